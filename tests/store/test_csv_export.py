"""CSV export: one owner-only file per table, read in one snapshot, which imports back to the very
same store (formula-safe, quoted where needed, never over an earlier export)."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from store_support import YESTERDAY, _count, _fill, _mode, export_bytes, refused, sample_routine

from backlib.catalog import load_catalog
from backlib.errors import StoreError
from backlib.store import CsvExportError, open_store
from backlib.store.csv_format import FILES

V1_STORE = Path(__file__).parent / "data" / "store_v1.db"


def test_export_then_import_round_trips_exactly(store, store_catalog, tmp_path, store_url):
    _fill(store, store_catalog)
    store.log_questionnaire("anna", "odi", [3, 1, 2, 1, 2, 1, 2, 1, 3, None], when=YESTERDAY)
    store.log_questionnaire("anna", "psfs", {"=stairs, fast": 4, "-bending": 6, "gardening": 3})
    store.log_questionnaire("ben", "start_back", [1, 0, 1, 0, 1, 1, 0, 1, 4])
    first = tmp_path / "first"
    written = store.export_csv(first)
    assert sorted(p.name for p in written) == sorted(FILES)
    copy_url = f"sqlite:///{tmp_path / 'copy.db'}"
    with open_store(copy_url, catalog=store_catalog) as copy:
        counts = copy.import_csv(first)
        assert counts == {
            "patients.csv": 2,
            "sessions.csv": 6,
            "entries.csv": 16,
            "outcomes.csv": 4,
            "questionnaires.csv": 9 + 3 + 9,
            "programmes.csv": 3 + 3,
        }
        copy.export_csv(tmp_path / "second")
        for name in FILES:
            assert (first / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name
        pd.testing.assert_frame_equal(copy.patients(), store.patients())
        ids = ["session_id"]
        pd.testing.assert_frame_equal(
            copy.sessions().drop(columns=ids), store.sessions().drop(columns=ids)
        )
        ids = ["session_id", "entry_id"]
        pd.testing.assert_frame_equal(
            copy.entries().drop(columns=ids), store.entries().drop(columns=ids)
        )
        ids = ["outcome_id"]
        pd.testing.assert_frame_equal(
            copy.outcomes().drop(columns=ids), store.outcomes().drop(columns=ids)
        )
        ids = ["questionnaire_id"]
        pd.testing.assert_frame_equal(
            copy.questionnaires().drop(columns=ids), store.questionnaires().drop(columns=ids)
        )
        assert "'=stairs, fast" in (first / "questionnaires.csv").read_text()
        pd.testing.assert_frame_equal(copy.programmes(), store.programmes())
        assert copy.programme("anna") == store.programme("anna")
        assert copy.programme("anna", 1) == store.programme("anna", 1)
        assert list(copy.sessions("anna")["programme_version"]) == [pd.NA, 2, 1, 1]


def test_exported_files_are_owner_only(store, store_catalog, tmp_path):
    _fill(store, store_catalog)
    folder = tmp_path / "export"
    for path in store.export_csv(folder):
        assert _mode(path) == 0o600
    assert _mode(folder) == 0o700


# --- one snapshot ---------------------------------------------------------------------------

_LOGGER = """
import sys, time
from pathlib import Path
sys.path.insert(0, {tests!r})
from store_support import sample_routine
from backlib.catalog import load_catalog
from backlib.store import open_store
url, catalog_path, stop = sys.argv[1:]
store = open_store(url, catalog=load_catalog(catalog_path))
routine = sample_routine(store.catalog)
deadline = time.monotonic() + 120
number = 0
while not Path(stop).exists() and time.monotonic() < deadline:
    store.log_session("anna", routine, pain_before=number % 11, notes=f"logged {{number}}")
    number += 1
"""


def test_an_export_taken_while_another_process_logs_always_imports_back(
    store, store_url, store_catalog, store_catalog_path, tmp_path
):
    store.add_patient("anna")
    stop = tmp_path / "stop"
    script = _LOGGER.format(tests=str(Path(__file__).parent.parent))
    logger = subprocess.Popen(
        [sys.executable, "-c", script, store_url, str(store_catalog_path), str(stop)]
    )
    watcher = open_store(store_url, catalog=store_catalog)

    def sessions_committed() -> int:
        return _count(watcher, "sessions")

    def wait_for_another_session(conn, cursor, statement, *args):
        # Between the export's SELECT of sessions and its SELECT of entries, the other process
        # commits one more session with its entries: one snapshot must not see it.
        if "FROM sessions ORDER BY" in statement:
            seen = sessions_committed()
            deadline = time.monotonic() + 60
            while sessions_committed() <= seen and time.monotonic() < deadline:
                time.sleep(0.005)

    try:
        deadline = time.monotonic() + 60
        while sessions_committed() == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        sa.event.listen(store.engine, "after_cursor_execute", wait_for_another_session)
        for number in range(3):
            folder = tmp_path / f"export-{number}"
            store.export_csv(folder)
            with open_store(
                f"sqlite:///{tmp_path / f'copy-{number}.db'}", catalog=store_catalog
            ) as copy:
                counts = copy.import_csv(folder)
            assert counts["sessions.csv"] > 0
            assert counts["entries.csv"] == 3 * counts["sessions.csv"]
    finally:
        stop.touch()
        assert logger.wait(timeout=120) == 0
        watcher.close()


# --- exports that restore -------------------------------------------------------------------


def _round_trip(store, catalog, tmp_path) -> dict[str, bytes]:
    """Export, import into an empty SQLite store, export again: the second export's bytes."""
    store.export_csv(tmp_path / "first")
    with open_store(f"sqlite:///{tmp_path / 'copy.db'}", catalog=catalog) as copy:
        copy.import_csv(tmp_path / "first")
        copy.export_csv(tmp_path / "second")
    second = export_bytes(tmp_path / "second")
    assert export_bytes(tmp_path / "first") == second
    return second


@pytest.mark.parametrize("note", ["before\rafter", "\r", "ends with\r", "a\r\nb\nc\rd", '"\r,'])
def test_a_note_with_a_lone_carriage_return_is_quoted_and_reads_back(
    store, store_catalog, tmp_path, note
):
    store.add_patient("anna")
    store.log_session("anna", when=YESTERDAY, notes=note)
    written = _round_trip(store, store_catalog, tmp_path)["sessions.csv"].decode()
    with open_store(f"sqlite:///{tmp_path / 'copy.db'}", catalog=store_catalog) as copy:
        assert list(copy.sessions()["notes"]) == [note]
    assert written.count("\n") == 2 + note.count("\n")  # the header, the row, the note's own


def test_cells_a_spreadsheet_would_run_are_exported_with_an_apostrophe_and_import_unchanged(
    store, store_catalog, tmp_path
):
    name = '=cmd|"/C calc"!A0'
    notes = ['=HYPERLINK("http://example.org","x")', "+cmd|' /C calc'!A0", "-1+2", "@SUM(A1)",
             "\tindented", "\rreturn", "'=already quoted", "fine"]  # fmt: skip
    store.add_patient("anna", name=name)
    for day, note in enumerate(notes):
        store.log_session("anna", when=YESTERDAY - dt.timedelta(days=day), notes=note)
    _round_trip(store, store_catalog, tmp_path)
    with (tmp_path / "first" / "patients.csv").open(encoding="utf-8", newline="") as handle:
        assert list(csv.reader(handle))[1][1] == "'" + name
    with (tmp_path / "first" / "sessions.csv").open(encoding="utf-8", newline="") as handle:
        cells = {row[10] for row in list(csv.reader(handle))[1:]}
    assert cells == {("'" + note if note != "fine" else note) for note in notes}
    with open_store(f"sqlite:///{tmp_path / 'copy.db'}", catalog=store_catalog) as copy:
        assert list(copy.patients()["name"]) == [name]
        assert sorted(copy.sessions()["notes"]) == sorted(notes)


def test_a_migrated_version_1_store_exports_and_imports_back_with_the_packaged_catalog(tmp_path):
    copy = tmp_path / "old.db"
    shutil.copy(V1_STORE, copy)
    catalog = load_catalog()
    assert "march-in-place" in catalog.retired  # an id the version-1 store holds
    with open_store(f"sqlite:///{copy}", catalog=catalog) as old:
        assert "march-in-place" in set(old.entries()["exercise_id"])
        _round_trip(old, catalog, tmp_path)
    with open_store(f"sqlite:///{tmp_path / 'copy.db'}", catalog=catalog) as restored:
        assert len(restored.sessions()) == 6 and len(restored.entries()) == 18


@pytest.mark.parametrize(
    ("statement", "where"),
    [
        (
            "INSERT INTO patients (patient_id, name, created, target_per_week) "
            "VALUES ('abc\n', 'Abc', '2025-01-01 09:00:00', 3)",
            ("patients.csv", 2, "patient_id"),
        ),
        ("UPDATE sessions SET notes = 'bell\a'", ("sessions.csv", 2, "notes")),
        ("UPDATE sessions SET routine = 'not json'", ("sessions.csv", 2, "routine")),
        (
            "UPDATE outcomes SET measure = 'rmdq', score = 3.5 WHERE measure = 'odi'",
            ("outcomes.csv", 2, "score"),
        ),
        ("UPDATE outcomes SET score = 3.5 WHERE measure = 'odi'", None),
    ],
)
def test_a_store_holding_records_the_import_would_refuse_writes_no_export(
    store, store_catalog, tmp_path, statement, where
):
    _fill(store, store_catalog)
    with store.engine.begin() as conn:  # as an older backlib, or another tool, may have left it
        conn.exec_driver_sql(statement)
    folder = tmp_path / "export"
    if where is None:  # 3.5 is a possible ODI total: exported as usual
        store.export_csv(folder)
        return
    with pytest.raises(CsvExportError) as caught:
        store.export_csv(folder)
    assert where in refused(caught)
    assert "Correct or delete these records" in str(caught.value)
    assert not folder.exists()


# --- where an export goes -------------------------------------------------------------------


def test_an_export_never_replaces_an_earlier_one(store, store_catalog, tmp_path):
    _fill(store, store_catalog)
    folder = tmp_path / "export"
    store.export_csv(folder)
    before = export_bytes(folder)
    store.log_session("ben", when=YESTERDAY, notes="later")
    with pytest.raises(StoreError, match="already exists") as caught:
        store.export_csv(folder)
    assert caught.value.file == str(folder / "patients.csv")
    assert export_bytes(folder) == before


def test_an_export_into_an_empty_existing_folder_is_written(store, store_catalog, tmp_path):
    _fill(store, store_catalog)
    (tmp_path / "empty").mkdir()
    assert len(store.export_csv(tmp_path / "empty")) == len(FILES) == 6


def test_an_export_onto_a_file_names_the_path_and_why(store, tmp_path):
    target = tmp_path / "a-file.csv"
    target.write_text("keep me")
    with pytest.raises(StoreError, match="it is a file, not a folder") as caught:
        store.export_csv(target)
    assert caught.value.file == str(target)
    assert target.read_text() == "keep me"


def test_an_export_into_a_place_that_cannot_be_written_names_the_path_and_why(store, tmp_path):
    (tmp_path / "a-file").write_text("")
    target = tmp_path / "a-file" / "export"
    with pytest.raises(StoreError, match="cannot create the folder") as caught:
        store.export_csv(target)
    assert str(target) in str(caught.value) and "Not a directory" in str(caught.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_export_into_a_read_only_folder_says_permission_denied(store, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        with pytest.raises(StoreError, match="ermission denied"):
            store.export_csv(locked)
    finally:
        locked.chmod(0o700)


# --- property: any text the store keeps comes back byte for byte ------------------------------

# Every character the text rules keep (no control characters but tab and line breaks, no lone
# surrogates), with the ones CSV files, spreadsheets and the formula guard care about often.
_KEPT = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n\r")
_TRICKY = st.sampled_from(
    ["'", "=", "+", "-", "@", "\t", "\r", "\n", '"', ",", " ", "\u2028", "\ufeff"]
)
_NOTE = st.text(st.one_of(_KEPT, _TRICKY), max_size=40)
_NAME = st.text(
    st.one_of(st.characters(exclude_categories=("Cs", "Cc")), st.sampled_from("'=+-@\", ")),
    min_size=1,
    max_size=30,
).filter(str.strip)
_PATIENT = st.tuples(
    _NAME,
    st.none() | st.floats(20, 400),
    st.lists(st.tuples(_NOTE, st.none() | st.floats(0, 1440)), max_size=3),
    st.floats(0, 10),
)


def _clear(store) -> None:
    for patient_id in store.patients()["patient_id"]:
        store.delete_patient(patient_id)


def _frames(store) -> list[pd.DataFrame]:
    return [
        store.patients(),
        store.sessions().drop(columns=["session_id"]),
        store.entries().drop(columns=["session_id", "entry_id"]),
        store.outcomes().drop(columns=["outcome_id"]),
    ]


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(patients=st.lists(_PATIENT, min_size=1, max_size=3), routine_note=_NOTE)
def test_any_text_the_store_keeps_exports_imports_and_exports_byte_identical(
    store, store_catalog, tmp_path_factory, patients, routine_note
):
    _clear(store)
    routine = dataclasses.replace(sample_routine(store_catalog), notes=(routine_note,))
    for number, (name, weight, sessions, psfs) in enumerate(patients):
        patient_id = f"p-{number}"
        store.add_patient(patient_id, name=name, weight_kg=weight)
        for day, (note, minutes) in enumerate(sessions):
            when = YESTERDAY - dt.timedelta(days=day)
            store.log_session(patient_id, routine, when=when, notes=note, actual_minutes=minutes)
        store.log_outcome(patient_id, "psfs", psfs)
    folder = tmp_path_factory.mktemp("round-trip")
    store.export_csv(folder / "first")
    before = _frames(store)
    _clear(store)
    store.import_csv(folder / "first")
    store.export_csv(folder / "second")
    assert export_bytes(folder / "first") == export_bytes(folder / "second")
    for left, right in zip(before, _frames(store), strict=True):
        pd.testing.assert_frame_equal(left.reset_index(drop=True), right.reset_index(drop=True))
