"""Store.patient_records: one patient's frames for a period, each row with its stable uid."""

from __future__ import annotations

import pytest
from fhir_support import SUMMER, fill_clinic

from backlib.errors import StoreError


def test_records_carry_the_uids_the_csv_export_keeps(store, store_catalog, tmp_path):
    fill_clinic(store, store_catalog)
    records = store.patient_records("anna")
    assert records.patient["name"] == 'Anna "K" Müller'
    assert list(records.sessions["session_id"]) == list(store.sessions("anna")["session_id"])
    store.export_csv(tmp_path / "csv")
    sessions_csv = (tmp_path / "csv" / "sessions.csv").read_text(encoding="utf-8")
    assert all(uid in sessions_csv for uid in records.sessions["uid"])
    scored = set(records.questionnaires["uid"])
    from_questionnaires = records.outcomes[records.outcomes["uid"].isin(scored)]
    assert set(from_questionnaires["measure"]) == {"odi", "rmdq", "psfs"}


def test_records_keep_to_the_period(store, store_catalog):
    fill_clinic(store, store_catalog)
    records = store.patient_records("anna", start=SUMMER.date())
    assert len(records.sessions) == 2 and set(records.questionnaires["instrument"]) == {"psfs"}


def test_a_patient_without_records_has_empty_frames_with_a_uid_column(store, store_catalog):
    fill_clinic(store, store_catalog)
    records = store.patient_records("ben")
    assert records.sessions.empty and "uid" in records.sessions.columns


def test_an_unknown_patient_is_refused_naming_the_field(store):
    with pytest.raises(StoreError) as caught:
        store.patient_records("nobody")
    assert caught.value.field == "patient_id"
