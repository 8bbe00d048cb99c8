"""The project's set-up promises: one dependency list, lower bounds only, a wheel that works."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import tomllib
import venv
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_environment_yml_stays_thin_and_defers_to_pyproject():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = env["dependencies"]
    plain = [d for d in deps if isinstance(d, str)]
    pip_entries = [d["pip"] for d in deps if isinstance(d, dict)]
    assert sorted(plain) == ["pip", "python=3.11"]
    assert pip_entries == [["-e .[dev]"]]


def test_dependencies_have_lower_bounds_not_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        specs += extra
    for spec in specs:
        assert "==" not in spec, spec
        assert re.search(r">=\s*\d", spec), f"{spec} has no lower bound"
    names = {re.split(r"[<>=\[ ]", s)[0].lower() for s in project["dependencies"]}
    assert {"jupyterlab", "ipywidgets", "pandas", "plotly", "papermill", "voila"} <= names
    dev = {re.split(r"[<>=\[ ]", s)[0].lower() for s in project["optional-dependencies"]["dev"]}
    assert {"pytest", "nbval", "hypothesis", "ruff", "playwright"} <= dev


@pytest.mark.slow
def test_the_wheel_ships_every_subpackage_and_the_catalog(tmp_path):
    wheel_dir = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(wheel_dir), str(ROOT)],
        check=True,
        cwd=tmp_path,
        capture_output=True,
    )
    wheel = next(wheel_dir.glob("backlib-*.whl"))
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    # Without the caller's PYTHONPATH: a checkout on it (with its egg-info) would make pip
    # believe backlib is installed already and skip the wheel.
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)], check=True, env=clean
    )
    # The fresh venv has only backlib; borrow the other libraries from this interpreter's
    # site-packages (a plain path entry, so this checkout's editable hook is not loaded).
    env = {**clean, "PYTHONPATH": sysconfig.get_paths()["purelib"]}
    # Every subpackage of the source tree must be in the wheel and import from it.
    subpackages = sorted(
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "backlib").rglob("__init__.py")
    )
    assert {"backlib.plan", "backlib.store", "backlib.progress", "backlib.charts"} <= set(
        subpackages
    )
    script = (
        "import backlib, importlib, pathlib; c = backlib.load_catalog(); "
        "print(len(c)); print(pathlib.Path(backlib.__file__).resolve()); print(c.path); "
        f"print(all(str(pathlib.Path(importlib.import_module(m).__file__).resolve()).startswith("
        f"{str(target)!r}) for m in {subpackages!r})); "
        "from backlib.serving import JUPYTER_DATA_DIR as d; "
        "print((d / 'voila/templates/backlib/index.html.j2').is_file() "
        "and (d / 'kernels/python3/kernel.json').is_file())"
    )
    out = subprocess.run(
        [str(python), "-c", script],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    ).stdout.split("\n")
    assert int(out[0]) > 0
    assert str(target) in out[1], "backlib was not imported from the wheel"
    assert str(target) in out[2], "the catalog was not read from the wheel"
    assert out[3] == "True", f"a subpackage did not import from the wheel: {subpackages}"
    assert out[4] == "True", "the Voila template or the kernel spec is missing from the wheel"
