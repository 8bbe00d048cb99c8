"""The command line: `backlib app` (Voila on 127.0.0.1 over app.ipynb) and `backlib lab`, each
with a token, IPC kernels and a store checked before serving; `make app` / `make lab`; the
store's `backlib export`, `import` and `demo`; and `report`'s options."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import socket
import stat
import subprocess
from pathlib import Path
from typing import ClassVar

import pytest

from backlib import cli, output_filter, serving
from backlib import demo as demo_module
from backlib.cli import main
from backlib.paths import DEMO_STORE_PATH, NOTEBOOKS_DIR, PROJECT_ROOT, resolve_store_url
from backlib.store import open_store

ROOT = PROJECT_ROOT

# --- backlib app --------------------------------------------------------------------------


def test_voila_serves_the_app_notebook_on_the_given_host_and_port_only():
    command = serving.voila_command("127.0.0.1", 8899)
    assert command[1:4] == ["-m", "voila", str(NOTEBOOKS_DIR / "app.ipynb")]
    assert "--Voila.ip=127.0.0.1" in command and "--port=8899" in command
    assert "--Voila.port_retries=0" in command  # the printed address is the real one
    assert "--no-browser" in command


def test_voila_culls_idle_kernels_and_preheats_one():
    command = serving.voila_command("127.0.0.1", 8899)
    assert "--MappingKernelManager.cull_idle_timeout=60" in command
    assert "--MappingKernelManager.cull_interval=10" in command
    assert "--preheat_kernel=True" in command and "--pool_size=1" in command
    assert "--show_tracebacks=False" in command


def test_voila_culls_with_the_manager_that_spares_a_kernel_just_handed_to_a_page():
    import importlib  # import time: only this test resolves the class Voila is told to load

    from backlib.app_kernels import AppKernelManager

    command = serving.voila_command("127.0.0.1", 8899)
    flag = "--VoilaConfiguration.multi_kernel_manager_class="
    named = [arg.removeprefix(flag) for arg in command if arg.startswith(flag)]
    assert len(named) == 1, command
    module, _, name = named[0].rpartition(".")
    assert getattr(importlib.import_module(module), name) is AppKernelManager
    assert "--MappingKernelManager.cull_connected=False" in command


def test_voila_uses_the_offline_template_a_token_and_ipc_kernels(tmp_path):
    command = serving.voila_command("127.0.0.1", 8899, runtime_dir=tmp_path)
    assert "--template=backlib" in command
    assert "--Voila.auto_token=True" in command  # else Voila ignores $JUPYTER_TOKEN
    assert "--KernelManager.transport=ipc" in command
    assert f"--Voila.connection_dir_root={tmp_path}" in command
    template = serving.JUPYTER_DATA_DIR / "voila" / "templates" / "backlib"
    assert (template / "index.html.j2").is_file() and (template / "conf.json").is_file()


def test_the_kernel_spec_of_the_servers_runs_the_kernel_without_tcp_and_no_debugger():
    spec = json.loads(
        (serving.JUPYTER_DATA_DIR / "kernels" / "python3" / "kernel.json").read_text()
    )
    assert spec["argv"][:3] == ["python", "-m", "backlib.private_kernel"]
    assert spec["metadata"]["debugger"] is False  # debugpy would listen on TCP


def test_lab_gets_ipc_kernels_keeps_its_token_and_the_given_port():
    command = serving.lab_command("127.0.0.1", 8890)
    assert "--KernelManager.transport=ipc" in command
    assert "--ServerApp.port=8890" in command and "--ServerApp.port_retries=0" in command
    assert not any("token" in part.lower() for part in command)


def test_a_server_gets_the_token_store_and_private_runtime_folder_by_environment(tmp_path):
    server = serving.app_server("127.0.0.1", 8897, "postgresql://u:s3cret@h/db", no_browser=True)
    try:
        token = server.url.split("?token=", 1)[1]
        assert server.url == f"http://127.0.0.1:8897/?token={token}" and len(token) >= 40
        assert server.env["JUPYTER_TOKEN"] == token
        assert server.env["BACKLIB_STORE"] == "postgresql://u:s3cret@h/db"
        assert server.env["JUPYTER_RUNTIME_DIR"] == str(server.runtime_dir)
        assert server.env["JUPYTER_PATH"].split(os.pathsep)[0] == str(serving.JUPYTER_DATA_DIR)
        assert stat.S_IMODE(server.runtime_dir.stat().st_mode) == 0o700
        assert not any(token in part or "s3cret" in part for part in server.command)
    finally:
        server.runtime_dir.rmdir()
    other = serving.lab_server("127.0.0.1", None, "sqlite:///x.db", no_browser=True)
    other.runtime_dir.rmdir()
    assert other.url.startswith("http://127.0.0.1:8888/lab?token=")
    assert other.env["JUPYTER_TOKEN"] != token


def test_app_store_is_the_flag_then_the_environment_then_the_demo(monkeypatch, tmp_path):
    monkeypatch.delenv("BACKLIB_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_store_url(fallback="demo") == f"sqlite:///{DEMO_STORE_PATH}"
    monkeypatch.setenv("BACKLIB_STORE", str(tmp_path / "mine.db"))
    assert resolve_store_url(fallback="demo") == f"sqlite:///{(tmp_path / 'mine.db').resolve()}"
    assert resolve_store_url("sqlite:///other.db") == f"sqlite:///{tmp_path / 'other.db'}"
    assert resolve_store_url("postgresql://u@h/db") == "postgresql://u@h/db"


class FakeServer:
    """Stands in for subprocess.Popen: records the command and environment, exits at once."""

    calls: ClassVar[list] = []

    def __init__(self, command, env):
        FakeServer.calls.append((command, env))

    def wait(self):
        return 0


@pytest.fixture
def fake_server(monkeypatch, tmp_path):
    FakeServer.calls = []
    # `backlib lab` sets git's output filter in its checkout (tested with a real repository in
    # test_notebook_outputs): here it is recorded, and this checkout's config is left alone.
    FakeServer.filters = []
    monkeypatch.setattr(
        output_filter,
        "ensure_output_filter",
        lambda: FakeServer.filters.append("set") or "git strips notebook outputs (test).",
    )
    monkeypatch.setattr(serving.subprocess, "Popen", FakeServer)
    monkeypatch.setattr(serving.signal, "signal", lambda *_args: None)
    return FakeServer.calls


@pytest.mark.parametrize("command", ["app", "lab"])
def test_a_server_command_prints_its_address_with_the_token_and_runs_the_server(
    fake_server, capsys, tmp_path, command
):
    store = f"sqlite:///{tmp_path / 'mine.db'}"
    with open_store(store):
        pass
    assert cli.main([command, "--port", "8898", "--store", store, "--no-browser"]) == 0
    out = capsys.readouterr().out
    ((argv, env),) = fake_server
    page = "/" if command == "app" else "/lab"
    assert f"open http://127.0.0.1:8898{page}?token={env['JUPYTER_TOKEN']} " in out
    assert env["BACKLIB_STORE"] == store and store not in argv
    assert any("8898" in part for part in argv)
    assert not Path(env["JUPYTER_RUNTIME_DIR"]).exists(), "the runtime folder outlives the server"
    with open_store(store) as opened:
        assert opened.patients().empty, "a user's store is never filled with demo data"


def test_backlib_lab_sets_the_output_filter_before_serving(fake_server, capsys, tmp_path):
    store = f"sqlite:///{tmp_path / 'mine.db'}"
    with open_store(store):
        pass
    assert cli.main(["lab", "--store", store, "--no-browser"]) == 0
    assert FakeServer.filters == ["set"] and len(fake_server) == 1
    assert "backlib lab: git strips notebook outputs (test)." in capsys.readouterr().out


def test_a_bad_store_stops_backlib_lab_before_it_touches_git(fake_server, tmp_path):
    assert cli.main(["lab", "--store", f"sqlite:///{tmp_path / 'none.db'}"]) == 2
    assert FakeServer.filters == [] and fake_server == []


@pytest.mark.parametrize("command", ["app", "lab"])
@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("mysql://clinic:s3cret@db.example/backlib", "not supported"),
        ("sqlite://", "names no file"),
        ("not a url://clinic:s3cret@db.example/backlib", "not a URL"),
    ],
)
def test_a_server_refuses_a_bad_store_url_before_starting(
    fake_server, capsys, monkeypatch, command, url, words
):
    monkeypatch.setenv("BACKLIB_STORE", url)
    assert cli.main([command, "--no-browser"]) == 2
    out, err = capsys.readouterr()
    assert words in err
    assert "s3cret" not in out + err
    assert fake_server == [], "no server is started on a bad store"


@pytest.mark.parametrize("command", ["app", "lab"])
def test_a_server_refuses_a_missing_sqlite_file_unless_told_to_create_it(
    fake_server, capsys, tmp_path, command
):
    store = f"sqlite:///{tmp_path / 'typo.db'}"
    assert cli.main([command, "--store", store, "--no-browser"]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'typo.db'} does not exist" in err and "--create" in err
    assert fake_server == [] and not (tmp_path / "typo.db").exists()
    assert cli.main([command, "--store", store, "--create", "--no-browser"]) == 0
    assert "created a new, empty store" in capsys.readouterr().out
    assert len(fake_server) == 1 and (tmp_path / "typo.db").exists()
    with open_store(store) as created:
        assert created.patients().empty


def test_a_server_refuses_a_file_that_is_not_sqlite(fake_server, capsys, tmp_path):
    (tmp_path / "notes.db").write_text("not a database, just notes\n" * 100)
    assert cli.main(["app", "--store", str(tmp_path / "notes.db"), "--no-browser"]) == 2
    assert "cannot be read as SQLite" in capsys.readouterr().err
    assert fake_server == []


@pytest.mark.parametrize("command", ["app", "lab"])
def test_a_server_refuses_an_unreachable_postgresql_and_never_shows_its_password(
    fake_server, capsys, monkeypatch, command
):
    pytest.importorskip("psycopg")
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("BACKLIB_STORE", f"postgresql://clinic:s3cret@127.0.0.1:{port}/backlib")
    assert cli.main([command, "--no-browser"]) == 2
    out, err = capsys.readouterr()
    assert "cannot reach the PostgreSQL store postgresql://clinic:***@127.0.0.1" in err
    assert "s3cret" not in out + err
    assert fake_server == []


def test_the_demo_store_is_created_on_first_use_without_create(
    fake_server, capsys, monkeypatch, tmp_path
):
    demo = tmp_path / "demo" / "demo.db"
    real = demo_module.ensure_demo_store
    monkeypatch.setattr(demo_module, "ensure_demo_store", lambda url: real(url, demo_path=demo))
    monkeypatch.setenv("BACKLIB_STORE", f"sqlite:///{demo}")
    assert cli.main(["app", "--no-browser"]) == 0
    assert "created the demo store" in capsys.readouterr().out
    assert demo.exists() and len(fake_server) == 1


def test_a_password_is_masked_in_the_printed_store(fake_server, capsys, monkeypatch):
    # A PostgreSQL server that answers (the check itself is tested against a closed port).
    monkeypatch.setattr("backlib.store.preflight._check_postgresql", lambda *_args: None)
    monkeypatch.setenv("BACKLIB_STORE", "postgresql://clinic:s3cret@db.example/backlib")
    assert cli.main(["app", "--no-browser"]) == 0
    out, err = capsys.readouterr()
    assert "store postgresql://clinic:***@db.example/backlib" in out
    assert "s3cret" not in out + err
    ((argv, env),) = fake_server
    assert env["BACKLIB_STORE"] == "postgresql://clinic:s3cret@db.example/backlib"
    assert not any("s3cret" in part for part in argv)


def _make_dry_run(folder: Path, *args: str, env: dict[str, str]) -> list[str]:
    """The backlib commands `make -n` would run, with BIN a folder of stand-ins and the
    install stamp fresh, so make neither creates a venv nor installs anything."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    (folder / "python").touch()
    stamp = folder / "stamp"
    stamp.touch()  # newer than pyproject.toml: the install is up to date
    done = subprocess.run(
        ["make", "-n", "-C", str(ROOT), *args, f"BIN={folder}", f"BASE_STAMP={stamp}"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return [line for line in done.stdout.splitlines() if f"{folder}/backlib " in line]


def test_make_app_and_lab_use_an_exported_backlib_store_and_the_given_host_and_port(tmp_path):
    env = {**os.environ, "BACKLIB_STORE": "sqlite:///mine.db"}
    env.pop("STORE", None)
    app, lab = _make_dry_run(tmp_path, "app", "lab", "HOST=0.0.0.0", "PORT=9001", env=env)
    for line in (app, lab):
        assert "BACKLIB_STORE=" not in line, "make overrode the exported store"
        assert line.endswith("--host 0.0.0.0 --port 9001")
    assert " app " in app and " lab " in lab


def test_make_store_reaches_app_and_lab_by_environment_not_argv(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("STORE", "BACKLIB_STORE")}
    app, lab = _make_dry_run(tmp_path, "app", "lab", "STORE=postgresql://u:pw@h/db", env=env)
    for line in (app, lab):
        assert "pw" not in line, "the store is exported, not written into the command"
        assert line.startswith("exec "), "no shell stays alive holding the command line"
        assert "--store" not in line and "--port" not in line  # each command's own default


STAND_IN = """#!/bin/sh
# A stand-in for backlib: what it was given, and the command lines of it and its parent.
{
  echo "store=$BACKLIB_STORE"
  echo "argv=$*"
  echo "self=$(tr '\\0' ' ' < /proc/$$/cmdline)"
  echo "parent=$(tr '\\0' ' ' < /proc/$PPID/cmdline)"
} > "$(dirname "$0")/ran-$1.txt"
"""


@pytest.mark.parametrize("target", ["app", "lab", "demo", "report"])
def test_make_runs_backlib_with_the_store_in_its_environment_and_no_shell_holding_it(
    tmp_path, target
):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    backlib = tmp_path / "backlib"
    backlib.write_text(STAND_IN)
    backlib.chmod(0o755)
    python = tmp_path / "python"  # `make lab` runs the filter set-up with it first: a no-op
    python.write_text("#!/bin/sh\nexit 0\n")
    python.chmod(0o755)
    stamp = tmp_path / "stamp"
    stamp.touch()
    for name in ("LAB_STAMP", "DEV_STAMP"):
        (tmp_path / name).touch()
    url = "postgresql://u:secret-pw@h/db"
    # STORE in make's environment (as `export STORE=…` would), so only the recipe could leak it.
    # GIT_DIR names no repository: `make lab`'s filter set-up must not touch this checkout's.
    env = {**os.environ, "STORE": url, "GIT_DIR": str(tmp_path / "no-repository")}
    env.pop("BACKLIB_STORE", None)
    subprocess.run(
        [
            "make",
            "-s",
            "-C",
            str(ROOT),
            target,
            f"BIN={tmp_path}",
            f"BASE_STAMP={stamp}",
            f"LAB_STAMP={tmp_path / 'LAB_STAMP'}",
        ],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    ran = dict(
        line.split("=", 1) for line in (tmp_path / f"ran-{target}.txt").read_text().splitlines()
    )
    assert ran["store"] == url
    for name in ("argv", "self", "parent"):
        assert "secret-pw" not in ran[name], (name, ran[name])
    assert not ran["parent"].startswith(("sh ", "/bin/sh ")), "the recipe's shell exec'd backlib"


# --- backlib export, import and demo ------------------------------------------------------


def _store_with_a_session(url: str) -> None:
    with open_store(url) as store:
        store.add_patient("anna", name="Anna")
        store.log_session("anna", when=dt.datetime(2025, 1, 2, 18), pain_before=4, notes="walk")
        store.log_outcome("anna", "rmdq", 9, when=dt.date(2025, 1, 2))


def test_export_then_import_on_the_command_line_copies_a_store(tmp_path, capsys):
    source, target = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    _store_with_a_session(source)
    assert main(["export", str(tmp_path / "csv"), "--store", source]) == 0
    assert main(["import", str(tmp_path / "csv"), "--store", target]) == 0
    assert "1 new in sessions.csv" in capsys.readouterr().out
    with open_store(target) as store:
        assert list(store.sessions()["notes"]) == ["walk"]
        assert list(store.outcomes()["score"]) == [9.0]


def test_import_with_a_bad_row_exits_2_and_names_file_line_and_column(tmp_path, capsys):
    source, target = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    _store_with_a_session(source)
    main(["export", str(tmp_path / "csv"), "--store", source])
    outcomes = tmp_path / "csv" / "outcomes.csv"
    outcomes.write_text(outcomes.read_text().replace(",rmdq,9.0", ",rmdq,30"))
    assert main(["import", str(tmp_path / "csv"), "--store", target]) == 2
    error = capsys.readouterr().err
    assert "outcomes.csv line 2, column score" in error and "nothing was written" in error
    with open_store(target) as store:
        assert store.patients().empty


def test_store_commands_default_to_the_backlib_store_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("BACKLIB_STORE", str(tmp_path / "env.db"))
    _store_with_a_session(f"sqlite:///{tmp_path / 'env.db'}")
    assert main(["export", str(tmp_path / "out")]) == 0
    assert "anna" in (tmp_path / "out" / "patients.csv").read_text()


def test_a_bad_store_url_exits_2_with_a_message(tmp_path, capsys):
    assert main(["export", str(tmp_path / "out"), "--store", "mysql://x/y"]) == 2
    assert "not supported" in capsys.readouterr().err


def test_backlib_demo_command_writes_the_demo_store(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert main(["demo", "--store", url, "--patients", "1", "--weeks", "2"]) == 0
    assert "demo-1" in capsys.readouterr().out
    with open_store(url) as store:
        assert len(store.sessions("demo-1")) > 0
    assert main(["demo", "--store", url, "--patients", "1", "--weeks", "2"]) == 2
    assert main(["demo", "--store", url, "--patients", "1", "--weeks", "2", "--replace"]) == 0


# --- backlib report -----------------------------------------------------------------------


def test_jobs_must_be_a_positive_number(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--all", "--jobs", "0"])
    assert "positive" in capsys.readouterr().err


def test_a_paper_size_other_than_a4_or_letter_exits_2_naming_paper(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    assert main(["demo", "--store", url, "--patients", "1", "--weeks", "2"]) == 0
    code = main(["report", "--patient", "demo-1", "--store", url, "--paper", "A5"])
    assert code == 2
    assert "paper='A5'" in capsys.readouterr().err
    assert not (tmp_path / "reports").exists()  # refused before anything ran


def test_paper_clinic_and_clinician_reach_the_report(monkeypatch, tmp_path):
    from backlib import report

    seen: dict = {}
    monkeypatch.setattr(report, "render", lambda *a, **kw: seen.update(kw) or tmp_path / "r.html")
    store = f"sqlite:///{tmp_path / 'unused.db'}"
    args = ["report", "--patient", "p", "--store", store, "--paper", "letter"]
    assert main([*args, "--clinic", "C", "--clinician", "D"]) == 0
    assert (seen["paper"], seen["clinic"], seen["clinician"]) == ("letter", "C", "D")


def _store_with_a_programme(url: str, *, weekdays=("tue", "sat")) -> None:
    from backlib.plan.planner import plan_routine

    with open_store(url) as store:
        store.add_patient("anna", name="Anna")
        routine = plan_routine(["lower_back"], 15, pain=3)
        store.save_programme("anna", routine, days_per_week=len(weekdays), weekdays=weekdays)


def test_the_calendar_command_writes_the_programme_days_as_an_owner_only_ics(tmp_path, capsys):
    import icalendar
    import recurring_ical_events

    url = f"sqlite:///{tmp_path / 'a.db'}"
    _store_with_a_programme(url)
    out = tmp_path / "anna.ics"
    start = dt.date.today() + dt.timedelta(days=1)
    argv = ["calendar", "--patient", "anna", "--store", url, "--out", str(out)]
    argv += ["--start", start.isoformat(), "--weeks", "3", "--time", "07:15"]
    assert main(argv) == 0
    assert "programme version 1" in capsys.readouterr().out
    assert out.stat().st_mode & 0o777 == 0o600
    calendar = icalendar.Calendar.from_ical(out.read_bytes())
    sessions = recurring_ical_events.of(calendar).between(start, start + dt.timedelta(weeks=5))
    assert len(sessions) == 3 * 2
    assert {s["DTSTART"].dt.strftime("%a").lower() for s in sessions} == {"tue", "sat"}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"--patient": "ben"}, "has no programme yet"),
        ({"--start": "2020-01-01"}, "in the past"),
        ({"--start": "soon"}, "is not a date"),
        ({"--out": "anna.txt"}, "should end in .ics"),
        ({"--time": "7pm"}, "is not a time"),
    ],
)
def test_a_bad_calendar_request_exits_2_and_writes_nothing(tmp_path, capsys, change, words):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    _store_with_a_programme(url)
    with open_store(url) as store:
        store.add_patient("ben")
    options = {"--patient": "anna", "--store": url, "--out": "a.ics", **change}
    options["--out"] = str(tmp_path / options["--out"])
    argv = ["calendar", *(part for pair in options.items() for part in pair)]
    assert main(argv) == 2
    assert words in capsys.readouterr().err
    assert not list(tmp_path.glob("*.ics")) and not list(tmp_path.glob("*.txt"))


def test_own_opens_a_new_private_store_in_the_data_folder_never_the_demo(
    fake_server, capsys, monkeypatch, tmp_path
):
    monkeypatch.delenv("BACKLIB_STORE", raising=False)
    monkeypatch.setattr("backlib.paths.user_data_dir", lambda: tmp_path / "data" / "backlib")
    assert cli.main(["app", "--own", "--no-browser"]) == 0
    own = tmp_path / "data" / "backlib" / "backlib.db"
    assert own.exists() and (own.stat().st_mode & 0o777) == 0o600
    assert str(own) in capsys.readouterr().out
    assert len(fake_server) == 1
    with open_store(f"sqlite:///{own}") as store:
        assert store.patients().empty, "nothing of the demo in one's own store"
    assert cli.main(["app", "--own", "--store", str(own), "--no-browser"]) == 2
    assert "--own and --store" in capsys.readouterr().err
