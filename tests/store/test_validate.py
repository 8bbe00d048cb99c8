"""What the store refuses: each bad value is named with its field, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from store_support import NOW, _count

from backlib.errors import StoreError


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"patient_id": "Anna K"}, "patient_id"),
        ({"patient_id": "x'; DROP TABLE patients; --"}, "patient_id"),
        ({"patient_id": "anna", "weight_kg": 5}, "weight_kg"),
        ({"patient_id": "anna", "weight_kg": "heavy"}, "weight_kg"),
        ({"patient_id": "anna", "target_per_week": 0}, "target_per_week"),
        ({"patient_id": "anna", "target_per_week": 2.5}, "target_per_week"),
    ],
)
def test_add_patient_refuses_bad_values_naming_field_and_value(store, kwargs, field):
    kwargs = dict(kwargs)  # the same dict serves both back ends
    patient_id = kwargs.pop("patient_id")
    with pytest.raises(StoreError, match=field):
        store.add_patient(patient_id, **kwargs)
    assert store.patients().empty


@pytest.mark.parametrize(
    ("kwargs", "field", "value"),
    [
        ({"pain_before": 11}, "pain_before", "11"),
        ({"pain_after": -1}, "pain_after", "-1"),
        ({"pain_during": 3.5}, "pain_during", "3.5"),
        ({"pain_before": "5"}, "pain_before", "'5'"),
        ({"pain_before": True}, "pain_before", "True"),
        ({"difficulty": 6}, "difficulty", "6"),
        ({"actual_minutes": -2}, "actual_minutes", "-2"),
        ({"when": NOW + dt.timedelta(days=2)}, "when", str((NOW + dt.timedelta(days=2)).year)),
        ({"when": "yesterday"}, "when", "yesterday"),
        ({"done": {"no-such-exercise": {}}}, "exercise_id", "no-such-exercise"),
        ({"done": {"glute-bridge": {"sets": -1}}}, "sets", "-1"),
        ({"done": {"glute-bridge": {"pain_during": 12}}}, "pain_during", "12"),
        ({"done": {"glute-bridge": {"weight": 5}}}, "weight", "weight"),
        ({"done": {"glute-bridge": {"completed": "yes"}}}, "completed", "yes"),
    ],
)
def test_log_session_refuses_bad_values_and_writes_nothing(store, kwargs, field, value):
    store.add_patient("anna")
    with pytest.raises(StoreError) as caught:
        store.log_session("anna", **kwargs)
    assert field in str(caught.value) and value in str(caught.value)
    assert _count(store, "sessions") == 0 and _count(store, "entries") == 0


@pytest.mark.parametrize(
    ("measure", "score", "match"),
    [
        ("odi", 101, "score=101"),
        ("rmdq", 25, "score=25"),
        ("psfs", -0.5, "score=-0.5"),
        ("nprs", 10.5, "score=10.5"),
        ("vas", 3, "measure='vas'"),
        ("odi", float("nan"), "score=nan"),
    ],
)
def test_log_outcome_refuses_scores_outside_the_measure_range(store, measure, score, match):
    store.add_patient("anna")
    with pytest.raises(StoreError, match=match):
        store.log_outcome("anna", measure, score)
    assert store.outcomes().empty


def test_log_outcome_refuses_future_dates_and_unknown_patients(store):
    store.add_patient("anna")
    with pytest.raises(StoreError, match="in the future"):
        store.log_outcome("anna", "odi", 20, when=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(StoreError, match="patient_id='bob'"):
        store.log_outcome("bob", "odi", 20)
    assert store.outcomes().empty
