"""The command line: `backlib app` (Voila on 127.0.0.1 over app.ipynb, with the store it was
given or the demo), the store's `backlib export`, `import` and `demo`, and `report`'s options."""

from __future__ import annotations

import datetime as dt

import pytest

from backlib import cli
from backlib.cli import main
from backlib.paths import DEMO_STORE_PATH, NOTEBOOKS_DIR, resolve_store_url
from backlib.store import open_store

# --- backlib app --------------------------------------------------------------------------


def test_voila_serves_the_app_notebook_on_the_given_host_and_port_only():
    command = cli.voila_command("127.0.0.1", 8899)
    assert command[1:4] == ["-m", "voila", str(NOTEBOOKS_DIR / "app.ipynb")]
    assert "--Voila.ip=127.0.0.1" in command and "--port=8899" in command
    assert "--Voila.port_retries=0" in command  # the printed address is the real one
    assert "--no-browser" in command


def test_voila_culls_idle_kernels_and_preheats_one():
    command = cli.voila_command("127.0.0.1", 8899)
    assert "--MappingKernelManager.cull_idle_timeout=60" in command
    assert "--MappingKernelManager.cull_interval=10" in command
    assert "--preheat_kernel=True" in command and "--pool_size=1" in command
    assert "--show_tracebacks=False" in command


def test_app_store_is_the_flag_then_the_environment_then_the_demo(monkeypatch, tmp_path):
    monkeypatch.delenv("BACKLIB_STORE", raising=False)
    monkeypatch.chdir(tmp_path)
    assert resolve_store_url(fallback="demo") == f"sqlite:///{DEMO_STORE_PATH}"
    monkeypatch.setenv("BACKLIB_STORE", str(tmp_path / "mine.db"))
    assert resolve_store_url(fallback="demo") == f"sqlite:///{(tmp_path / 'mine.db').resolve()}"
    assert resolve_store_url("sqlite:///other.db") == f"sqlite:///{tmp_path / 'other.db'}"
    assert resolve_store_url("postgresql://u@h/db") == "postgresql://u@h/db"


def test_the_app_command_prints_its_address_and_runs_voila(monkeypatch, capsys, tmp_path):
    calls = []

    class FakeServer:
        def __init__(self, command, env):
            calls.append((command, env))

        def wait(self):
            return 0

    monkeypatch.setattr(cli.subprocess, "Popen", FakeServer)
    monkeypatch.setattr(cli.signal, "signal", lambda *_args: None)
    store = f"sqlite:///{tmp_path / 'mine.db'}"
    assert cli.main(["app", "--port", "8898", "--store", store, "--no-browser"]) == 0
    assert "http://127.0.0.1:8898/" in capsys.readouterr().out
    ((command, env),) = calls
    assert env["BACKLIB_STORE"] == store
    assert "--port=8898" in command
    assert not (tmp_path / "mine.db").exists(), "a user's store is never filled with demo data"


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
