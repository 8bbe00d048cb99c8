"""Run in JupyterLab, a notebook shows tables for people and leaves git clean (nbstripout)."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbclient
import nbformat
import pytest

from backlib import output_filter
from backlib.output_filter import ensure_output_filter, filter_settings

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
RAW = re.compile(r"<NA>|NaN|NaT|\d\.\d{4,}")


def _strip_command() -> list[str]:
    """The filter's clean command (backlib.output_filter), run by this interpreter."""
    words = shlex.split(filter_settings(sys.executable)["filter.nbstripout.clean"])
    assert words[1:3] == ["-m", "nbstripout"]
    return words


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, nbformat.NotebookNode]:
    """02 and 05 run as JupyterLab runs them, from a scratch folder."""
    workdir = tmp_path_factory.mktemp("run")
    ran = {}
    for name in ("02-log-a-session.ipynb", "05-programme.ipynb"):
        notebook = nbformat.read(NOTEBOOKS / name, as_version=4)
        client = nbclient.NotebookClient(
            notebook,
            timeout=300,
            kernel_name="python3",
            resources={"metadata": {"path": str(workdir)}},
        )
        client.execute()
        ran[name] = notebook
    return ran


def _tables(notebook: nbformat.NotebookNode) -> list[str]:
    return [
        output["data"]["text/html"]
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
        if "<table" in output.get("data", {}).get("text/html", "")
    ]


@pytest.mark.parametrize("name", ["02-log-a-session.ipynb", "05-programme.ipynb"])
def test_a_run_notebook_shows_no_raw_values_or_column_names_in_its_tables(executed, name):
    tables = _tables(executed[name])
    assert tables, f"{name} shows no table"
    for html in tables:
        assert RAW.findall(html) == []
        headings = re.findall(r"<th>([^<]*)</th>", html)
        assert [h for h in headings if "_" in h] == []


def test_gitattributes_names_the_nbstripout_filter_for_notebooks():
    attributes = (ROOT / ".gitattributes").read_text().splitlines()
    assert "*.ipynb filter=nbstripout" in attributes
    assert "*.ipynb diff=ipynb" in attributes


def test_make_lab_sets_the_filter_first():
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^lab: strip-outputs\b", makefile, re.MULTILINE)
    assert "$(BIN)/python -m backlib.output_filter" in makefile


def _new_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    (repo / "notebooks").mkdir(parents=True)
    shutil.copy(ROOT / ".gitattributes", repo / ".gitattributes")
    _git(repo, "init", "-q")
    return repo


def test_the_filter_is_set_once_in_a_checkout_and_then_left_alone(tmp_path):
    repo = _new_repo(tmp_path)
    said = ensure_output_filter(repo, sys.executable)
    assert "now strips notebook outputs" in said
    for key, value in filter_settings(sys.executable).items():
        assert _git(repo, "config", "--get", key).rstrip("\n") == value
    assert "now" not in ensure_output_filter(repo, sys.executable), "nothing to change"


def test_outside_a_checkout_or_without_nbstripout_it_says_so(tmp_path, monkeypatch):
    assert "not a git checkout" in ensure_output_filter(tmp_path)
    repo = _new_repo(tmp_path)
    monkeypatch.setattr(output_filter.importlib.util, "find_spec", lambda _name: None)
    said = ensure_output_filter(repo)
    assert said.startswith("WARNING") and "outputs" in said and ".[lab]" in said
    assert _git(repo, "config", "--get-regexp", "filter", check=False) == ""


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_each_committed_notebook_is_what_the_filter_makes_of_it(path):
    stripped = subprocess.run(
        [*_strip_command(), "-t", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert stripped == path.read_text(encoding="utf-8")


def _git(repo: Path, *args: str, check: bool = True) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=check,
    ).stdout


@pytest.mark.parametrize("filtered", [True, False], ids=["with filter", "without filter"])
def test_running_a_notebook_leaves_git_clean_only_with_the_filter(executed, tmp_path, filtered):
    repo = _new_repo(tmp_path)
    name = "02-log-a-session.ipynb"
    shutil.copy(NOTEBOOKS / name, repo / "notebooks" / name)
    if filtered:
        ensure_output_filter(repo, sys.executable)  # what `backlib lab` does
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "notebook without outputs")
    nbformat.write(executed[name], repo / "notebooks" / name)  # as JupyterLab saves it
    assert _tables(nbformat.read(repo / "notebooks" / name, as_version=4))
    assert (_git(repo, "diff") == "") is filtered
    # git status may list a filtered file by its changed stat until the index is refreshed;
    # what counts is that adding it leaves nothing to commit.
    _git(repo, "add", "--all")
    assert (_git(repo, "status", "--porcelain") == "") is filtered
