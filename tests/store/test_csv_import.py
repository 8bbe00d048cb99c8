"""CSV import: idempotent, all or nothing, and every bad row reported with file, line and column."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from store_support import (
    ENTRY_ROW,
    OUTCOME_ROW,
    PATIENT_ROW,
    SESSION_ROW,
    WHITESPACE,
    YESTERDAY,
    _count,
    _fill,
    refused,
    sample_routine,
    write_import,
)

from backlib.errors import StoreError
from backlib.store import ImportProgress, open_store
from backlib.store.csv_format import FILES, CsvImportError


def test_reimporting_the_same_files_adds_nothing(store, store_catalog, tmp_path):
    _fill(store, store_catalog)
    store.export_csv(tmp_path / "out")
    before = [len(store.sessions()), len(store.entries()), len(store.outcomes())]
    assert set(store.import_csv(tmp_path / "out").values()) == {0}
    assert set(store.import_csv(tmp_path / "out").values()) == {0}
    assert [len(store.sessions()), len(store.entries()), len(store.outcomes())] == before


def test_hand_written_files_without_uids_import_once(store, tmp_path):
    folder = tmp_path / "hand"
    folder.mkdir()
    header = {name: ",".join(fields) for name, fields in FILES.items()}
    (folder / "patients.csv").write_text(
        header["patients.csv"] + "\ncara,Cara,2025-01-02T09:00:00,,3\n"
    )
    (folder / "sessions.csv").write_text(
        header["sessions.csv"] + "\n,cara,2025-01-03T18:00:00,,20,4,5,3,,,,,\n"
    )
    (folder / "entries.csv").write_text(header["entries.csv"] + "\n")
    (folder / "outcomes.csv").write_text(header["outcomes.csv"] + "\n,cara,2025-01-03,odi,40\n")
    assert store.import_csv(folder)["sessions.csv"] == 1
    assert set(store.import_csv(folder).values()) == {0}
    assert len(store.sessions()) == 1 and len(store.outcomes()) == 1


def test_import_reports_every_bad_row_and_writes_nothing(store, store_catalog, tmp_path):
    source = tmp_path / "source"
    with open_store(f"sqlite:///{tmp_path / 'source.db'}", catalog=store_catalog) as other:
        _fill(other, store_catalog)
        other.export_csv(source)
    sessions = (source / "sessions.csv").read_text().splitlines()
    fields = sessions[2].split(",")
    fields[5] = "11"  # pain_before
    sessions[2] = ",".join(fields)
    (source / "sessions.csv").write_text("\n".join(sessions) + "\n")
    entries = (source / "entries.csv").read_text().splitlines()
    last = entries[-1].split(",")
    last[2] = "no-such-exercise"
    entries[-1] = ",".join(last)
    (source / "entries.csv").write_text("\n".join(entries) + "\n")
    with (source / "outcomes.csv").open("a") as handle:
        handle.write("x1,anna,2999-01-01,odi,20\n")
        handle.write("x2,zed,2025-01-01,rmdq,30\n")
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(source)
    found = {(p.file, p.column) for p in caught.value.problems}
    assert ("sessions.csv", "pain_before") in found
    assert ("entries.csv", "exercise_id") in found
    assert ("outcomes.csv", "measured_on") in found
    assert ("outcomes.csv", "patient_id") in found
    assert ("outcomes.csv", "score") in found
    lines = {(p.file, p.column): p.line for p in caught.value.problems}
    assert lines[("outcomes.csv", "measured_on")] == 4
    assert lines[("outcomes.csv", "patient_id")] == 5
    assert "pain_before=11" in str(caught.value)
    assert "sessions.csv line 3" in str(caught.value)
    for table in ("patients", "sessions", "entries", "outcomes"):
        assert _count(store, table) == 0, table


def test_import_refuses_a_row_that_contradicts_the_store(store, store_catalog, tmp_path):
    _fill(store, store_catalog)
    store.export_csv(tmp_path / "out")
    text = (tmp_path / "out" / "patients.csv").read_text().replace(",61.25,", ",90.0,")
    (tmp_path / "out" / "patients.csv").write_text(text)
    with pytest.raises(StoreError, match="weight_kg"):
        store.import_csv(tmp_path / "out")
    assert store.patients().loc[0, "weight_kg"] == 61.25


def test_import_reports_missing_files_and_wrong_headers(store, tmp_path):
    folder = tmp_path / "partial"
    folder.mkdir()
    (folder / "patients.csv").write_text("id,name\nanna,Anna\n")
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    problems = {(p.file, p.line) for p in caught.value.problems}
    assert ("patients.csv", 1) in problems
    assert ("sessions.csv", 0) in problems and ("outcomes.csv", 0) in problems


# --- nothing lost -------------------------------------------------------------------------


_IMPORTER = """
import sys, time
from pathlib import Path
import sqlalchemy as sa
from backlib.catalog import load_catalog
from backlib.store import open_store
url, catalog_path, folder, marker = sys.argv[1:]
store = open_store(url, catalog=load_catalog(catalog_path))
batches = 0

@sa.event.listens_for(store.engine, "after_cursor_execute")
def pause_half_way(conn, cursor, statement, parameters, context, executemany):
    global batches
    if statement.lstrip().upper().startswith("INSERT INTO SESSIONS"):
        batches += 1
        if batches == 5:  # half of the 10,000 sessions are written, none committed
            Path(marker).write_text("half way")
            time.sleep(120)

store.import_csv(folder)
"""


def _write_big_import(folder: Path, rows: int) -> None:
    folder.mkdir()
    header = {name: ",".join(fields) for name, fields in FILES.items()}
    (folder / "patients.csv").write_text(
        header["patients.csv"] + "\nbulk,Bulk,2020-01-01T08:00:00,70.0,3\n"
    )
    start = dt.datetime(2020, 1, 2, 18, 0)
    lines = [header["sessions.csv"]]
    for number in range(rows):
        when = (start + dt.timedelta(minutes=90 * number)).isoformat()
        lines.append(f"s-{number:05d},bulk,{when},20.0,19.5,{number % 11},4,3,,2,,,")
    (folder / "sessions.csv").write_text("\n".join(lines) + "\n")
    (folder / "entries.csv").write_text(header["entries.csv"] + "\n")
    (folder / "outcomes.csv").write_text(header["outcomes.csv"] + "\n")


@pytest.mark.slow
def test_sigkill_during_a_10000_row_import_leaves_all_or_none(
    store, store_url, store_catalog_path, tmp_path
):
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "big"
    _write_big_import(folder, 10_000)
    marker = tmp_path / "marker"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _IMPORTER,
            store_url,
            str(store_catalog_path),
            str(folder),
            str(marker),
        ]
    )
    deadline = time.monotonic() + 120
    while not marker.exists() and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists(), "the import never reached its half-way point"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    with open_store(store_url, catalog=store.catalog) as reopened:
        assert len(reopened.sessions()) == 0
        assert reopened.patients().empty
        assert reopened.import_csv(folder)["sessions.csv"] == 10_000
        assert len(reopened.sessions("bulk")) == 10_000


# --- nothing silently dropped ---------------------------------------------------------------


def _export_of_one_session(store, store_catalog, tmp_path) -> Path:
    store.add_patient("anna")
    store.log_session("anna", sample_routine(store_catalog), when=YESTERDAY, pain_before=3)
    store.export_csv(tmp_path / "out")
    return tmp_path / "out"


def _edit_rows(path: Path, edit) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = edit(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_entries_that_contradict_a_stored_session_are_reported_with_file_line_and_column(
    store, store_catalog, tmp_path
):
    folder = _export_of_one_session(store, store_catalog, tmp_path)

    def fewer_reps(rows):
        rows[1]["done_reps"] = "7"
        return rows

    _edit_rows(folder / "entries.csv", fewer_reps)
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert refused(caught) == {("entries.csv", 3, "done_reps")}
    assert "already in the store with different done_reps" in str(caught.value)
    assert list(store.entries()["done_reps"])[1] == 10


def test_entries_that_add_to_a_stored_session_are_refused_with_a_reason(
    store, store_catalog, tmp_path
):
    folder = _export_of_one_session(store, store_catalog, tmp_path)

    def one_more(rows):
        return [*rows, {**rows[-1], "position": "3", "exercise_id": "cat-cow"}]

    _edit_rows(folder / "entries.csv", one_more)
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert refused(caught) == {("entries.csv", 5, "position")}
    assert "entries are added with their session only" in str(caught.value)
    assert len(store.entries()) == 3


def test_entries_equal_to_the_stored_ones_are_skipped(store, store_catalog, tmp_path):
    folder = _export_of_one_session(store, store_catalog, tmp_path)
    assert store.import_csv(folder)["entries.csv"] == 0
    assert len(store.entries()) == 3


@pytest.mark.parametrize(
    ("file", "column", "text"),
    [
        ("patients", "weight_kg", "nan"),
        ("patients", "weight_kg", "NaN"),
        ("patients", "weight_kg", "inf"),
        ("patients", "weight_kg", " 70"),
        ("patients", "weight_kg", "7_0"),
        ("patients", "target_per_week", ""),
        ("patients", "target_per_week", "٣"),
        ("sessions", "planned_minutes", "nan"),
        ("sessions", "actual_minutes", "-inf"),
        ("sessions", "actual_minutes", "1e999"),
        ("sessions", "pain_before", "3\n"),
        ("sessions", "pain_before", "²"),
        ("outcomes", "score", "nan"),
        ("outcomes", "score", ""),
        ("entries", "position", ""),
        ("entries", "done_sets", "nan"),
        ("entries", "done_sets", "2.0"),
    ],
)
def test_nan_inf_and_text_that_is_not_a_plain_number_are_refused(
    store, tmp_path, file, column, text
):
    rows = {
        "patients": [dict(PATIENT_ROW)],
        "sessions": [dict(SESSION_ROW)],
        "entries": [dict(ENTRY_ROW)],
        "outcomes": [dict(OUTCOME_ROW)],
    }
    rows[file][0][column] = text
    folder = write_import(tmp_path / "in", **rows)
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert (f"{file}.csv", 2, column) in refused(caught)
    for table in ("patients", "sessions", "entries", "outcomes"):
        assert _count(store, table) == 0, table


@pytest.mark.parametrize(
    "routine",
    [
        "any text",
        "[]",
        '{"items": [{"exercise_id": "no-such-exercise", "phase": "main"}]}',
        '{"areas": ["elbow"], "minutes": 20}',
    ],
)
def test_a_routine_column_that_is_not_a_routine_is_refused(store, tmp_path, routine):
    folder = write_import(
        tmp_path / "in", patients=[PATIENT_ROW], sessions=[{**SESSION_ROW, "routine": routine}]
    )
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert refused(caught) == {("sessions.csv", 2, "routine")}
    assert store.sessions().empty


# --- the same refusal on both back ends -----------------------------------------------------


@pytest.mark.parametrize(
    ("file", "column", "text", "says"),
    [
        ("sessions", "notes", "a\x00b", "U+0000"),
        ("sessions", "notes", "bell\x07", "U+0007"),
        ("sessions", "notes", "n" * 10_001, "at most 10,000"),
        ("patients", "name", "Ann\x00", "U+0000"),
        ("patients", "name", "Ann\nLee", "U+000A"),
        ("patients", "name", "A" * 201, "at most 200"),
        ("sessions", "session_uid", "s" * 37, "not a uid"),
        ("outcomes", "outcome_uid", "o" * 37, "not a uid"),
    ],
)
def test_postgresql_only_refusals_are_caught_first_with_file_line_and_column(
    store, tmp_path, file, column, text, says
):
    rows = {"patients": [dict(PATIENT_ROW)]}
    if file != "patients":  # a session or an outcome, of that patient
        rows[file] = [dict({"sessions": SESSION_ROW, "outcomes": OUTCOME_ROW}[file])]
    rows[file][0][column] = text
    folder = write_import(tmp_path / "in", **rows)
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert refused(caught) == {(f"{file}.csv", 2, column)}
    assert says in str(caught.value)
    assert _count(store, "patients") == 0


def test_an_rmdq_total_of_3_5_is_refused_on_import(store, tmp_path):
    folder = write_import(
        tmp_path / "in",
        patients=[PATIENT_ROW],
        outcomes=[{**OUTCOME_ROW, "measure": "rmdq", "score": "3.5"}],
    )
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert refused(caught) == {("outcomes.csv", 2, "score")}


# --- ids that mean one thing ----------------------------------------------------------------


def test_ids_with_any_unicode_whitespace_are_refused_on_import(store, tmp_path):
    patients, sessions, outcomes = [], [], []
    for number, space in enumerate(WHITESPACE):
        patients.append({**PATIENT_ROW, "patient_id": f"p{number}{space}"})
        sessions.append({**SESSION_ROW, "session_uid": f"s-{number}{space}"})
        outcomes.append({**OUTCOME_ROW, "outcome_uid": f"{space}o-{number}"})
    folder = write_import(
        tmp_path / "in",
        patients=[PATIENT_ROW, *patients],
        sessions=sessions,
        outcomes=outcomes,
    )
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    found = [(p.file, p.column) for p in caught.value.problems]
    for where in (
        ("patients.csv", "patient_id"),
        ("sessions.csv", "session_uid"),
        ("outcomes.csv", "outcome_uid"),
    ):
        assert found.count(where) == len(WHITESPACE), where
    assert store.patients().empty


# --- progress and the lock ------------------------------------------------------------------


def test_an_import_reports_its_progress_and_how_long_the_store_is_locked(store, tmp_path):
    folder = tmp_path / "big"
    _write_big_import(folder, 2_500)
    steps: list[ImportProgress] = []
    counts = store.import_csv(folder, progress=steps.append)
    assert counts["sessions.csv"] == 2_500
    assert steps[0].done == 0 and steps[-1].done == steps[-1].total == 2_501
    assert [step.done for step in steps] == sorted(step.done for step in steps)
    assert all(step.locked_s >= 0 for step in steps)
    assert len(steps) >= 4  # a patient batch and three batches of sessions


def test_the_import_command_says_how_long_the_store_was_locked(store_url, tmp_path, capsys):
    from backlib.cli import main  # the command line, as a clinic runs the import

    folder = write_import(tmp_path / "in", patients=[PATIENT_ROW], sessions=[SESSION_ROW])
    assert main(["import", str(folder), "--store", store_url]) == 0
    out = capsys.readouterr().out
    assert "1 new in sessions.csv" in out and "the store was locked for writing for" in out
