"""The store's subcommands: `backlib export`, `backlib import` and `backlib demo`."""

from __future__ import annotations

import datetime as dt

from backlib.cli import main
from backlib.store import open_store


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
