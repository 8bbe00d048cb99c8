"""Questionnaires in the store: scored item by item, totals in outcomes, refusals write nothing,
the version-3 migration and questionnaires.csv; on SQLite and (with BACKLIB_TEST_PG_URL)
PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import sqlalchemy as sa
from store_support import (
    OUTCOME_ROW,
    PATIENT_ROW,
    _count,
    export_bytes,
    refused,
    write_import,
)

from backlib.errors import BacklibError, RequestError, StoreError
from backlib.store import CsvImportError, open_store
from backlib.store import schema as store_schema
from backlib.store.frames import QUESTIONNAIRE_COLUMNS

TODAY = dt.date.today()
LAST_WEEK = TODAY - dt.timedelta(days=7)
ODI = [3, 1, 2, 1, 2, 1, 2, 1, 3, None]  # 16 / 45 = 35.6 %, moderate
START_BACK = [1, 0, 1, 0, 1, 1, 0, 1, 4]  # total 6, subscale 4: high


def _nothing_written(store) -> None:
    assert store.questionnaires().empty
    assert store.outcomes().empty
    assert _count(store, "questionnaire_items") == 0


# --- logging ------------------------------------------------------------------------------


def test_an_odi_keeps_each_section_and_its_total_goes_to_outcomes(store):
    store.add_patient("anna")
    qid = store.log_questionnaire("anna", "odi", ODI, when=LAST_WEEK)
    frame = store.questionnaires("anna")
    assert tuple(frame.columns) == QUESTIONNAIRE_COLUMNS
    assert list(frame["item"]) == list(range(1, 10))  # section 10 unanswered: no row
    assert list(frame["value"]) == ODI[:9]
    assert (frame["questionnaire_id"] == qid).all()
    assert (frame["instrument"] == "odi").all() and (frame["text"] == "").all()
    assert (frame["answered_on"] == pd.Timestamp(LAST_WEEK)).all()
    assert frame["total"].iloc[0] == pytest.approx(100 * 16 / 45)
    assert (frame["band"] == "moderate").all()
    outcomes = store.outcomes("anna")
    assert list(outcomes["measure"]) == ["odi"]
    assert outcomes["score"].iloc[0] == pytest.approx(100 * 16 / 45)
    assert outcomes["measured_on"].iloc[0] == pd.Timestamp(LAST_WEEK)


def test_an_rmdq_keeps_the_items_given_and_its_total(store):
    store.add_patient("anna")
    store.log_questionnaire("anna", "rmdq", {1: 1, "5": True, 14: 1, 20: 0})
    frame = store.questionnaires("anna")
    assert list(zip(frame["item"], frame["value"], strict=True)) == [
        (1, 1),
        (5, 1),
        (14, 1),
        (20, 0),
    ]
    assert frame["total"].iloc[0] == 3 and frame["band"].iloc[0] == ""
    assert list(store.outcomes("anna")["score"]) == [3.0]


def test_a_psfs_keeps_the_activity_names_and_its_mean(store):
    store.add_patient("anna")
    store.log_questionnaire("anna", "psfs", [("climbing stairs", 4), ("gardening", 6), ("run", 3)])
    frame = store.questionnaires("anna")
    assert list(frame["text"]) == ["climbing stairs", "gardening", "run"]
    assert list(frame["value"]) == [4, 6, 3]
    assert frame["total"].iloc[0] == pytest.approx(13 / 3)
    assert store.outcomes("anna")["score"].iloc[0] == pytest.approx(13 / 3)


def test_a_start_back_keeps_its_risk_and_adds_no_outcome(store):
    store.add_patient("anna")
    store.log_questionnaire("anna", "start_back", START_BACK)
    frame = store.questionnaires("anna")
    assert len(frame) == 9 and frame["value"].iloc[-1] == 4
    assert frame["total"].iloc[0] == 6 and (frame["band"] == "high").all()
    assert store.outcomes().empty


def test_an_unscorable_odi_is_kept_without_a_total_or_an_outcome(store):
    store.add_patient("anna")
    store.log_questionnaire("anna", "odi", {1: 2, 2: 3, 3: 1})
    frame = store.questionnaires("anna")
    assert len(frame) == 3 and frame["total"].isna().all() and (frame["band"] == "").all()
    assert store.outcomes().empty


def test_questionnaires_are_sorted_by_date_then_questionnaire_then_item_and_filtered(store):
    store.add_patient("anna")
    store.add_patient("ben")
    later = store.log_questionnaire("anna", "rmdq", {3: 1, 2: 1})
    earlier = store.log_questionnaire("anna", "start_back", START_BACK, when=LAST_WEEK)
    store.log_questionnaire("ben", "rmdq", {1: 1})
    frame = store.questionnaires("anna")
    assert list(frame["questionnaire_id"]) == [earlier] * 9 + [later] * 2
    assert list(frame["item"])[-2:] == [2, 3]
    assert len(store.questionnaires()) == 12
    assert set(store.questionnaires(start=TODAY)["questionnaire_id"]) >= {later}
    assert earlier not in set(store.questionnaires(start=TODAY)["questionnaire_id"])
    assert set(store.questionnaires(end=LAST_WEEK)["questionnaire_id"]) == {earlier}
    with pytest.raises(StoreError, match="patient_id='cara'"):
        store.questionnaires("cara")


def test_delete_patient_removes_their_questionnaires(store):
    store.add_patient("anna")
    store.add_patient("ben")
    store.log_questionnaire("anna", "odi", ODI)
    store.log_questionnaire("ben", "rmdq", {1: 1})
    store.delete_patient("anna")
    assert set(store.questionnaires()["patient_id"]) == {"ben"}
    assert _count(store, "questionnaire_items") == 1


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("instrument", "answers", "row", "words"),
    [
        ("odi", {6: 6}, 6, "section 6"),
        ("odi", {11: 1}, 11, "section 11"),
        ("rmdq", {25: 1}, 25, "item 25"),
        ("rmdq", {3: 0.5}, 3, "item 3"),
        ("psfs", {"stairs": 11, "garden": 2, "walk": 3}, 1, "0-10"),
        ("psfs", {"stairs": 1, "garden": 2}, None, "2 activities"),
        ("start_back", {9: 5}, 9, "item 9"),
    ],
)
def test_bad_answers_are_refused_naming_the_item_and_nothing_is_written(
    store, instrument, answers, row, words
):
    store.add_patient("anna")
    with pytest.raises(RequestError, match=words) as caught:
        store.log_questionnaire("anna", instrument, answers)
    assert caught.value.field == "answers" and caught.value.row == row
    _nothing_written(store)


def test_an_unknown_instrument_patient_or_date_is_refused_naming_the_field(store):
    store.add_patient("anna")
    cases = [
        (("anna", "sf36", {1: 1}), {}, "instrument"),
        (("cara", "rmdq", {1: 1}), {}, "patient_id"),
        (("Anna ", "rmdq", {1: 1}), {}, "patient_id"),
        (("anna", "rmdq", {1: 1}), {"when": TODAY + dt.timedelta(days=1)}, "when"),
        (("anna", "rmdq", {1: 1}), {"when": "yesterday"}, "when"),
        (("anna", "rmdq", {}), {}, "answers"),
        (("anna", "psfs", {"stairs\x07": 1, "garden": 2, "walk": 3}), {}, "answers"),
    ]
    for args, keywords, field in cases:
        with pytest.raises(BacklibError) as caught:
            store.log_questionnaire(*args, **keywords)
        assert caught.value.field == field, (args, caught.value)
    _nothing_written(store)


def test_a_failing_write_leaves_no_questionnaire_half_written(store, monkeypatch):
    store.add_patient("anna")

    def broken(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("INSERT INTO OUTCOMES"):
            raise RuntimeError("disk gremlin")

    sa.event.listen(store.engine, "before_cursor_execute", broken)
    with pytest.raises(RuntimeError, match="gremlin"):
        store.log_questionnaire("anna", "odi", ODI)
    sa.event.remove(store.engine, "before_cursor_execute", broken)
    _nothing_written(store)


# --- schema -------------------------------------------------------------------------------


def test_a_version_2_store_migrates_forward_keeping_every_row(store_url, store_catalog):
    with open_store(store_url, catalog=store_catalog) as store:
        store.add_patient("anna")
        store.log_outcome("anna", "rmdq", 7, when=LAST_WEEK)
        with store.engine.begin() as conn:  # back to exactly the version-2 schema
            conn.exec_driver_sql("DROP TABLE programme_items")
            conn.exec_driver_sql("DROP TABLE programmes")
            conn.exec_driver_sql("ALTER TABLE sessions DROP COLUMN programme_version")
            conn.exec_driver_sql("DROP TABLE questionnaire_items")
            conn.exec_driver_sql("DROP TABLE questionnaires")
            conn.execute(store_schema.schema_version.update().values(version=2))
    with open_store(store_url, catalog=store_catalog) as store:
        assert store.migrated_from == 2
        with store.engine.connect() as conn:
            version = conn.execute(sa.select(store_schema.schema_version.c.version)).scalar()
            assert sa.inspect(conn).has_table("questionnaire_items")
        assert version == store_schema.SCHEMA_VERSION
        assert list(store.outcomes("anna")["score"]) == [7.0]
        store.log_questionnaire("anna", "rmdq", {1: 1, 2: 1})
        assert len(store.questionnaires("anna")) == 2
        assert list(store.outcomes("anna")["score"]) == [7.0, 2.0]


# --- questionnaires.csv -------------------------------------------------------------------

QUESTIONNAIRE_ROW = {
    "questionnaire_uid": "q-1",
    "patient_id": "cara",
    "instrument": "rmdq",
    "answered_on": "2025-01-03",
}


def _items(values: dict[int, int], **common: str) -> list[dict]:
    return [
        {**QUESTIONNAIRE_ROW, **common, "item": str(item), "value": str(value)}
        for item, value in values.items()
    ]


def test_a_hand_written_questionnaire_imports_once_with_its_total(store, tmp_path):
    folder = write_import(
        tmp_path / "in",
        patients=[PATIENT_ROW],
        questionnaires=[
            *_items({1: 1, 2: 1, 7: 1}),
            *(
                {**row, "text": name}
                for row, name in zip(
                    _items({1: 5, 2: 7, 3: 9}, questionnaire_uid="", instrument="psfs"),
                    ["stairs", "garden", "bike"],
                    strict=True,
                )
            ),
        ],
    )
    counts = store.import_csv(folder)
    assert counts["questionnaires.csv"] == 6 and counts["outcomes.csv"] == 2
    frame = store.questionnaires("cara")
    assert list(frame["total"].drop_duplicates()) == pytest.approx([3, 7])
    assert sorted(store.outcomes("cara")["measure"]) == ["psfs", "rmdq"]
    assert set(store.import_csv(folder).values()) == {0}
    assert len(store.questionnaires()) == 6 and len(store.outcomes()) == 2


def test_bad_answers_in_questionnaires_csv_are_refused_with_file_line_and_column(store, tmp_path):
    bad_psfs = _items({1: 5, 2: 11, 3: 9}, questionnaire_uid="q-2", instrument="psfs")
    for row, name in zip(bad_psfs, ["stairs", "garden", "bike"], strict=True):
        row["text"] = name
    folder = write_import(
        tmp_path / "in",
        patients=[PATIENT_ROW],
        questionnaires=[
            *_items({1: 1, 2: 2}),  # lines 2-3: RMDQ item 2 is ticked or not
            *bad_psfs,  # lines 4-6: a rating of 11
            *_items({6: 6}, questionnaire_uid="q-3", instrument="odi"),  # line 7
            *_items({25: 1}, questionnaire_uid="q-4"),  # line 8: no item 25
            {**_items({1: 1}, questionnaire_uid="q-5")[0], "text": "why"},  # line 9
            *_items({1: 1}, questionnaire_uid="q-8"),  # line 10
            *_items({2: 1}, questionnaire_uid="q-8", answered_on="2025-01-04"),  # line 11
            *_items({1: 1}, questionnaire_uid="q-6", instrument="sf36"),  # line 12
            *_items({1: 1}, questionnaire_uid="q-7", patient_id="dan"),  # line 13
        ],
    )
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert refused(caught) == {
        ("questionnaires.csv", 3, "value"),
        ("questionnaires.csv", 5, "value"),
        ("questionnaires.csv", 7, "value"),
        ("questionnaires.csv", 8, "item"),
        ("questionnaires.csv", 9, "text"),
        ("questionnaires.csv", 11, "answered_on"),
        ("questionnaires.csv", 12, "instrument"),
        ("questionnaires.csv", 13, "patient_id"),
    }
    assert "item 2" in str(caught.value) and "activity 2" in str(caught.value)
    assert store.patients().empty
    assert _count(store, "questionnaires") == 0


def test_a_total_in_outcomes_csv_that_contradicts_its_questionnaire_is_refused(store, tmp_path):
    folder = write_import(
        tmp_path / "in",
        patients=[PATIENT_ROW],
        outcomes=[{**OUTCOME_ROW, "outcome_uid": "q-1", "measure": "rmdq", "score": "5"}],
        questionnaires=_items({1: 1, 2: 1}),
    )
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert refused(caught) == {("outcomes.csv", 2, "score")}
    assert store.patients().empty


def test_a_questionnaire_that_contradicts_the_store_is_reported(store, tmp_path):
    folder = write_import(tmp_path / "in", patients=[PATIENT_ROW], questionnaires=_items({1: 1}))
    store.import_csv(folder)
    changed = write_import(
        tmp_path / "changed", patients=[PATIENT_ROW], questionnaires=_items({1: 0})
    )
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(changed)
    assert refused(caught) == {("questionnaires.csv", 2, "value")}
    assert list(store.questionnaires()["value"]) == [1]


def test_an_export_without_questionnaires_csv_still_imports(store, tmp_path):
    folder = write_import(tmp_path / "in", patients=[PATIENT_ROW], outcomes=[OUTCOME_ROW])
    (folder / "questionnaires.csv").unlink()
    counts = store.import_csv(folder)
    assert counts["outcomes.csv"] == 1 and counts["questionnaires.csv"] == 0


def test_questionnaires_export_import_and_export_byte_identical(store, store_catalog, tmp_path):
    store.add_patient("anna")
    store.log_questionnaire("anna", "psfs", {"+lifting": 2, "@work": 5, 'say "hi", now': 8})
    store.log_questionnaire("anna", "odi", ODI, when=LAST_WEEK)
    store.log_questionnaire("anna", "start_back", START_BACK, when=LAST_WEEK)
    store.export_csv(tmp_path / "first")
    copy_url = f"sqlite:///{tmp_path / 'copy.db'}"
    with open_store(copy_url, catalog=store_catalog) as copy:
        copy.import_csv(tmp_path / "first")
        copy.export_csv(tmp_path / "second")
        assert export_bytes(tmp_path / "first") == export_bytes(tmp_path / "second")
        assert list(copy.questionnaires()["text"])[-3:] == ["+lifting", "@work", 'say "hi", now']
