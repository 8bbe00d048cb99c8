"""Programmes in the store: versions kept, the current one read back, sessions linked to their
version, refusals that write nothing, the version-4 migration and programmes.csv; on SQLite and
(with BACKLIB_TEST_PG_URL) PostgreSQL."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from store_support import (
    PATIENT_ROW,
    SESSION_ROW,
    YESTERDAY,
    _count,
    refused,
    sample_routine,
    write_import,
)

from backlib.errors import BacklibError, StoreError
from backlib.programme import Programme, ProgrammeItem
from backlib.store import CsvImportError, open_store
from backlib.store import schema as store_schema
from backlib.store.programme_rows import PROGRAMME_COLUMNS


def _nothing_written(store) -> None:
    assert _count(store, "programmes") == 0
    assert _count(store, "programme_items") == 0


@pytest.fixture
def anna(store):
    store.add_patient("anna", name="Anna")
    return store


# --- versions -----------------------------------------------------------------------------


def test_saving_a_routine_makes_version_1_and_each_save_a_new_version(anna, store_catalog):
    routine = sample_routine(store_catalog)
    first = anna.save_programme("anna", routine, by="JK", note="first visit")
    assert (first.version, first.reason, first.days_per_week) == (1, "planned", 3)
    assert first.patient_id == "anna" and first.by == "JK"
    assert first.exercise_ids == ("march-in-place", "glute-bridge", "child-pose")
    edited = first.with_dose("glute-bridge", catalog=store_catalog, reps=12)
    second = anna.save_programme("anna", edited, by="JK")
    assert (second.version, second.reason) == (2, "edited")
    assert anna.programme("anna") == second, "the current programme is the latest version"
    assert anna.programme("anna", 1) == first, "older versions are kept as they were"
    assert anna.programme("anna", 1).items[1].reps == 10


def test_the_history_has_one_row_per_version_and_item(anna, store_catalog):
    first = anna.save_programme(
        "anna", sample_routine(store_catalog), weekdays=["Mon", "thu"], days_per_week=2
    )
    anna.save_programme(
        "anna", first.remove("child-pose", catalog=store_catalog), note="too much kneeling"
    )
    history = anna.programmes("anna")
    assert tuple(history.columns) == PROGRAMME_COLUMNS
    assert list(history["version"]) == [1, 1, 1, 2, 2]
    assert list(history["position"]) == [0, 1, 2, 0, 1]
    assert set(history["weekdays"]) == {"mon,thu"}
    notes = list(history.drop_duplicates("version")["note"])
    assert notes == ["", "removed Child's pose; too much kneeling"], "what changed, then why"


def test_a_patient_without_a_programme_has_none(anna):
    assert anna.programme("anna") is None
    assert anna.programmes("anna").empty


def test_a_session_from_the_programme_records_its_version(anna, store_catalog):
    programme = anna.save_programme("anna", sample_routine(store_catalog))
    today = programme.routine(catalog=store_catalog)
    assert today.programme_version == 1
    anna.log_session("anna", today, when=YESTERDAY, pain_before=2)
    anna.log_session("anna", sample_routine(store_catalog), when=YESTERDAY, pain_before=2)
    assert list(anna.sessions("anna")["programme_version"]) == [1, pd.NA]


def test_a_session_cannot_name_a_version_the_patient_does_not_have(anna, store_catalog):
    anna.add_patient("ben")
    anna.save_programme("ben", sample_routine(store_catalog))
    with pytest.raises(StoreError) as caught:
        anna.log_session("anna", sample_routine(store_catalog), programme_version=1)
    assert caught.value.field == "programme_version"
    assert anna.sessions("anna").empty


# --- refusals -----------------------------------------------------------------------------


def _hand_programme(**item) -> Programme:
    base = {"exercise_id": "glute-bridge", "phase": "main", "sets": 2, "reps": 10, "hold_s": 5}
    return Programme(items=(ProgrammeItem(**{**base, **item}),), areas=("lower_back",), minutes=10)


@pytest.mark.parametrize(
    ("programme", "field"),
    [
        (_hand_programme(exercise_id="no-such-exercise"), "exercise_id"),
        (_hand_programme(reps=40), "doses"),
        (_hand_programme(phase="cooldown"), "phase"),
    ],
)
def test_a_programme_the_catalog_refuses_is_not_saved(anna, programme, field):
    with pytest.raises(BacklibError) as caught:
        anna.save_programme("anna", programme)
    assert caught.value.field == field
    _nothing_written(anna)


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"days_per_week": 0}, "days_per_week"),
        ({"days_per_week": 8}, "days_per_week"),
        ({"weekdays": ["mon", "funday", "fri"]}, "weekdays"),
        ({"weekdays": ["mon"]}, "weekdays"),  # one day named for three a week
        ({"reason": "because"}, "reason"),
        ({"by": "J\nK"}, "by"),
    ],
)
def test_a_bad_frequency_or_reason_is_refused_naming_its_field(anna, store_catalog, options, field):
    with pytest.raises(BacklibError) as caught:
        anna.save_programme("anna", sample_routine(store_catalog), **options)
    assert caught.value.field == field
    _nothing_written(anna)


def test_an_unknown_patient_gets_no_programme(store, store_catalog):
    with pytest.raises(StoreError) as caught:
        store.save_programme("nobody", sample_routine(store_catalog))
    assert caught.value.field == "patient_id"
    _nothing_written(store)


def test_a_programme_is_not_saved_for_another_patient(anna, store_catalog):
    anna.add_patient("ben")
    annas = anna.save_programme("anna", sample_routine(store_catalog))
    with pytest.raises(StoreError) as caught:
        anna.save_programme("ben", annas)
    assert caught.value.field == "patient_id"
    assert anna.programme("ben") is None


def test_deleting_a_patient_removes_their_programme(anna, store_catalog):
    anna.save_programme("anna", sample_routine(store_catalog))
    anna.delete_patient("anna")
    _nothing_written(anna)


# --- migration ----------------------------------------------------------------------------


def test_a_version_3_store_migrates_to_version_4_keeping_every_session(store_url, store_catalog):
    with open_store(store_url, catalog=store_catalog) as store:
        store.add_patient("anna")
        store.log_session("anna", sample_routine(store_catalog), when=YESTERDAY, pain_before=3)
        with store.engine.begin() as conn:  # back to exactly the version-3 schema
            conn.exec_driver_sql("DROP TABLE programme_items")
            conn.exec_driver_sql("DROP TABLE programmes")
            conn.exec_driver_sql("ALTER TABLE sessions DROP COLUMN programme_version")
            conn.execute(store_schema.schema_version.update().values(version=3))
    with open_store(store_url, catalog=store_catalog) as store:
        assert store.migrated_from == 3
        sessions = store.sessions("anna")
        assert list(sessions["pain_before"]) == [3]
        assert sessions["programme_version"].isna().all()
        assert store.save_programme("anna", sample_routine(store_catalog)).version == 1


# --- programmes.csv -----------------------------------------------------------------------

PROGRAMME_ROW = {
    "programme_uid": "p-1",
    "patient_id": "cara",
    "version": "1",
    "created": "2025-01-02T10:00:00",
    "reason": "planned",
    "days_per_week": "3",
    "areas": "lower_back",
    "minutes": "10",
    "level": "beginner",
    "position": "0",
    "exercise_id": "glute-bridge",
    "phase": "main",
    "sets": "2",
    "reps": "10",
    "hold_s": "5",
}


def test_programmes_csv_imports_its_versions_and_links_sessions(store, tmp_path):
    folder = write_import(
        tmp_path / "in",
        patients=[PATIENT_ROW],
        programmes=[
            PROGRAMME_ROW,
            {**PROGRAMME_ROW, "position": "1", "exercise_id": "cat-cow", "hold_s": ""},
        ],
        sessions=[{**SESSION_ROW, "programme_version": "1"}],
    )
    counts = store.import_csv(folder)
    assert counts["programmes.csv"] == 2 and counts["sessions.csv"] == 1
    assert store.programme("cara").exercise_ids == ("glute-bridge", "cat-cow")
    assert list(store.sessions("cara")["programme_version"]) == [1]
    assert set(store.import_csv(folder).values()) == {0}, "importing again adds nothing"


def test_programmes_csv_rows_are_checked_as_saving_checks_them(store, tmp_path):
    folder = write_import(
        tmp_path / "in",
        patients=[PATIENT_ROW],
        programmes=[
            {**PROGRAMME_ROW, "reps": "40"},
            {**PROGRAMME_ROW, "programme_uid": "p-2", "version": "2", "days_per_week": "9"},
            {**PROGRAMME_ROW, "programme_uid": "p-3", "version": "3", "exercise_id": "nope"},
        ],
        sessions=[{**SESSION_ROW, "programme_version": "7"}],
    )
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert refused(caught) == {
        ("programmes.csv", 2, "reps"),
        ("programmes.csv", 3, "days_per_week"),
        ("programmes.csv", 4, "exercise_id"),
        ("sessions.csv", 2, "programme_version"),
    }
    _nothing_written(store)
    assert store.patients().empty


def test_a_version_the_store_already_has_under_another_uid_is_refused(store, tmp_path):
    store.add_patient("cara")
    folder = write_import(tmp_path / "in", programmes=[PROGRAMME_ROW])
    store.import_csv(folder)
    clash = write_import(tmp_path / "clash", programmes=[{**PROGRAMME_ROW, "programme_uid": "p-9"}])
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(clash)
    assert refused(caught) == {("programmes.csv", 2, "version")}


def test_an_export_older_than_programmes_still_imports(store, tmp_path):
    folder = write_import(tmp_path / "old", patients=[PATIENT_ROW], sessions=[SESSION_ROW])
    (folder / "programmes.csv").unlink()
    sessions = (folder / "sessions.csv").read_text().splitlines()
    header = sessions[0].split(",")
    at = header.index("programme_version")
    old = [",".join(c for k, c in enumerate(line.split(",")) if k != at) for line in sessions]
    (folder / "sessions.csv").write_text("\n".join(old) + "\n")
    assert store.import_csv(folder)["sessions.csv"] == 1
    assert store.sessions("cara")["programme_version"].isna().all()


def test_the_exported_history_reads_back_as_the_same_programme(anna, store_catalog, tmp_path):
    saved = anna.save_programme("anna", sample_routine(store_catalog), by='"=cmd"', note="a, b\nc")
    anna.export_csv(tmp_path / "out")
    with open_store(f"sqlite:///{tmp_path / 'copy.db'}", catalog=store_catalog) as copy:
        copy.import_csv(tmp_path / "out")
        assert copy.programme("anna") == saved
        assert dataclasses.asdict(copy.programme("anna")) == dataclasses.asdict(saved)
