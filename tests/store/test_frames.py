"""The store's frames: contract columns and dtypes, sorted rows, inclusive date filters."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from backlib.errors import StoreError
from backlib.store.frames import (
    ENTRY_COLUMNS,
    OUTCOME_COLUMNS,
    PATIENT_COLUMNS,
    SESSION_COLUMNS,
)


def test_patients_frame_has_the_contract_columns_and_dtypes(store):
    store.add_patient("anna-k", name="Anna K.", weight_kg=64.5, target_per_week=4)
    store.add_patient("ben")
    frame = store.patients()
    assert tuple(frame.columns) == PATIENT_COLUMNS
    assert list(frame["patient_id"]) == ["anna-k", "ben"]
    assert frame["created"].dtype == "datetime64[ns]"
    assert frame["weight_kg"].dtype == "float64"
    assert pd.isna(frame.loc[1, "weight_kg"])
    assert list(frame["target_per_week"]) == [4, 3]
    assert frame.loc[1, "name"] == "ben"  # the id stands in for a missing name


def test_sessions_are_sorted_by_start_and_filtered_inclusively(store):
    store.add_patient("anna")
    store.add_patient("ben")
    days = [dt.datetime(2025, 3, d, 18, 30) for d in (10, 3, 7, 1)]
    for day in days:
        store.log_session("anna", when=day, pain_before=3)
    store.log_session("ben", when=dt.datetime(2025, 3, 5, 8), pain_before=1)
    frame = store.sessions("anna")
    assert list(frame["started_at"]) == sorted(pd.Timestamp(d) for d in days)
    window = store.sessions("anna", start="2025-03-03", end=dt.date(2025, 3, 7))
    assert [t.day for t in window["started_at"]] == [3, 7]  # the end date counts whole
    assert len(store.sessions()) == 5
    assert set(store.sessions(start=dt.datetime(2025, 3, 5, 8))["patient_id"]) == {"anna", "ben"}


def test_outcomes_are_recorded_per_measure_and_sorted_by_date(store):
    store.add_patient("anna")
    store.log_outcome("anna", "odi", 42, when=dt.date(2025, 2, 1))
    store.log_outcome("anna", "rmdq", 12, when=dt.date(2025, 1, 1))
    store.log_outcome("anna", "psfs", 4.3, when="2025-03-01")
    store.log_outcome("anna", "nprs", 6)
    frame = store.outcomes("anna")
    assert tuple(frame.columns) == OUTCOME_COLUMNS
    assert list(frame["measure"]) == ["rmdq", "odi", "psfs", "nprs"]
    assert frame["measured_on"].dtype == "datetime64[ns]"
    assert frame["measured_on"].iloc[-1] == pd.Timestamp(dt.date.today())
    assert list(store.outcomes(start="2025-02-01", end="2025-03-01")["measure"]) == ["odi", "psfs"]


def test_queries_for_an_unknown_patient_raise_naming_it(store):
    for method in (store.sessions, store.entries, store.outcomes):
        with pytest.raises(StoreError, match="patient_id='ghost'"):
            method("ghost")


def test_empty_frames_still_have_the_contract_columns_and_dtypes(store):
    sessions, entries, outcomes = store.sessions(), store.entries(), store.outcomes()
    assert tuple(sessions.columns) == SESSION_COLUMNS
    assert tuple(entries.columns) == ENTRY_COLUMNS
    assert tuple(outcomes.columns) == OUTCOME_COLUMNS
    assert sessions["started_at"].dtype == "datetime64[ns]"
    assert sessions["pain_before"].dtype == "Int64"
    assert entries["completed"].dtype == bool
    assert outcomes["score"].dtype == "float64"
