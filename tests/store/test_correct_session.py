"""Correcting a logged session: given values replace the stored ones after the same checks as
logging, entries are corrected by exercise, and a refused correction changes nothing; on SQLite
and (with BACKLIB_TEST_PG_URL) PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from store_support import YESTERDAY, sample_routine

from backlib.errors import StoreError


@pytest.fixture
def logged(store, store_catalog):
    store.add_patient("anna")
    session_id = store.log_session(
        "anna",
        sample_routine(store_catalog),
        when=YESTERDAY,
        pain_before=3,
        pain_after=4,
        notes="first try",
    )
    return store, session_id


def _row(store, session_id):
    sessions = store.sessions("anna")
    return sessions[sessions["session_id"] == session_id].iloc[0]


def test_given_values_replace_the_stored_ones_and_the_rest_stay(logged):
    store, session_id = logged
    store.correct_session(session_id, pain_after=2, notes="typed the wrong pain", difficulty=None)
    row = _row(store, session_id)
    assert (row["pain_before"], row["pain_after"]) == (3, 2)
    assert row["notes"] == "typed the wrong pain"
    assert row["started_at"] == pd.Timestamp(YESTERDAY)


def test_none_clears_a_value_that_was_never_given(logged):
    store, session_id = logged
    store.correct_session(session_id, pain_before=None)
    assert pd.isna(_row(store, session_id)["pain_before"])


def test_an_entry_is_corrected_by_its_exercise(logged):
    store, session_id = logged
    store.correct_session(session_id, done={"glute-bridge": {"sets": 1, "pain_during": 5}})
    entries = store.entries("anna", session_id=session_id).set_index("exercise_id")
    bridge = entries.loc["glute-bridge"]
    assert (bridge["done_sets"], bridge["done_reps"], bridge["pain_during"]) == (1, 10, 5)
    assert bridge["prescribed_sets"] == 2, "the prescription is never rewritten"
    assert entries.loc["child-pose", "completed"], "other entries stay as they were"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"pain_after": 11}, "pain_after"),
        ({"pain_before": 2.5}, "pain_before"),
        ({"difficulty": 0}, "difficulty"),
        ({"when": dt.datetime.now() + dt.timedelta(days=2)}, "when"),
        ({"when": None}, "when"),
        ({"done": {"cat-cow": {"sets": 1}}}, "done"),
        ({"done": {"glute-bridge": {"sets": -1}}}, "done"),
    ],
)
def test_a_refused_correction_names_the_field_and_changes_nothing(logged, change, field):
    store, session_id = logged
    before = (store.sessions("anna"), store.entries("anna"))
    with pytest.raises(StoreError) as caught:
        store.correct_session(session_id, **{"notes": "changed", **change})
    assert caught.value.field == field or field in str(caught.value)
    pd.testing.assert_frame_equal(store.sessions("anna"), before[0])
    pd.testing.assert_frame_equal(store.entries("anna"), before[1])


def test_an_unknown_session_cannot_be_corrected(store):
    with pytest.raises(StoreError) as caught:
        store.correct_session(999, pain_after=2)
    assert caught.value.field == "session_id"
