"""What the store refuses: each bad value is named with its field, and nothing is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from store_support import NOW, WHITESPACE, _count

from backlib.constants import (
    EARLIEST_YEAR,
    NOTES_MAX,
    OUTCOME_MEASURES,
    PATIENT_NAME_MAX,
    ROUTINE_TEXT_MAX,
    SESSION_MINUTES_MAX,
    UID_MAX,
)
from backlib.errors import ReportError, StoreError
from backlib.report.batch import check_patient_id
from backlib.store.engine import BUSY_TIMEOUT_MS


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


# --- ids that mean one thing ----------------------------------------------------------------


def _spaced(space: str) -> list[str]:
    return [f"abc{space}", f"{space}abc", f"ab{space}c"]


def test_every_unicode_whitespace_in_a_patient_id_is_refused_by_every_store_call(store):
    store.add_patient("abc")
    for space in WHITESPACE:
        for patient_id in _spaced(space):
            calls = [
                lambda p=patient_id: store.add_patient(p),
                lambda p=patient_id: store.log_session(p, pain_before=2, when=NOW),
                lambda p=patient_id: store.log_outcome(p, "odi", 20),
                lambda p=patient_id: store.sessions(p),
                lambda p=patient_id: store.entries(p),
                lambda p=patient_id: store.outcomes(p),
                lambda p=patient_id: store.delete_patient(p),
            ]
            for call in calls:
                with pytest.raises(StoreError, match="is not a slug") as caught:
                    call()
                assert caught.value.field == "patient_id"
    assert list(store.patients()["patient_id"]) == ["abc"]
    assert _count(store, "sessions") == 0 and _count(store, "outcomes") == 0


def test_a_report_refuses_a_patient_id_with_a_trailing_newline():
    for space in WHITESPACE:
        for patient_id in _spaced(space):
            with pytest.raises(ReportError, match="is not a patient id"):
                check_patient_id(patient_id)
    assert check_patient_id("abc") == "abc"


def test_the_report_command_refuses_a_patient_id_with_a_trailing_newline(store_url, capsys):
    from backlib.cli import main  # the command line, as a clinic runs a report

    assert main(["report", "--patient", "abc\n", "--store", store_url]) == 2
    assert "is not a patient id" in capsys.readouterr().err


# --- numbers that exist ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s: s.add_patient("ann", weight_kg=float("nan")), "weight_kg"),
        (lambda s: s.log_session("anna", when=NOW, actual_minutes=float("nan")), "actual_minutes"),
        (lambda s: s.log_session("anna", when=NOW, actual_minutes=float("inf")), "actual_minutes"),
        (lambda s: s.log_session("anna", when=NOW, actual_minutes=24 * 60 + 1), "actual_minutes"),
        (lambda s: s.log_session("anna", when=NOW, pain_before=float("nan")), "pain_before"),
        (lambda s: s.log_session("anna", when="1899-12-31T10:00"), "when"),
        (lambda s: s.log_session("anna", when="0001-01-01"), "when"),
        (lambda s: s.log_outcome("anna", "odi", 20, when="1850-01-01"), "when"),
    ],
)
def test_nan_infinity_and_impossible_values_are_refused_not_stored_as_empty(store, call, field):
    store.add_patient("anna")
    with pytest.raises(StoreError) as caught:
        call(store)
    assert caught.value.field == field
    assert list(store.patients()["patient_id"]) == ["anna"]
    assert _count(store, "sessions") == 0 and _count(store, "outcomes") == 0


@pytest.mark.parametrize(("measure", "score"), [("rmdq", 3.5), ("nprs", 4.5), ("rmdq", 0.1)])
def test_a_score_between_the_whole_points_of_its_measure_is_refused(store, measure, score):
    store.add_patient("anna")
    with pytest.raises(StoreError, match="is not a score") as caught:
        store.log_outcome("anna", measure, score)
    assert caught.value.field == "score"
    assert store.outcomes().empty


@pytest.mark.parametrize("measure", sorted(OUTCOME_MEASURES))
def test_every_measure_declares_its_range_and_step_and_the_store_follows_them(store, measure):
    spec = OUTCOME_MEASURES[measure]
    low, high, step = spec["min"], spec["max"], spec["step"]
    store.add_patient("anna")
    store.log_outcome("anna", measure, low)
    store.log_outcome("anna", measure, high)
    if step is None:
        store.log_outcome("anna", measure, (low + high) / 3)  # any number in the range
    else:
        with pytest.raises(StoreError, match="is not a score"):
            store.log_outcome("anna", measure, low + step / 2)
    for outside in (low - 1, high + 1):
        with pytest.raises(StoreError, match="out of range"):
            store.log_outcome("anna", measure, outside)
    assert len(store.outcomes()) == (3 if step is None else 2)


# --- text the store keeps -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field", "says"),
    [
        ({"notes": "a\x00b"}, "notes", "control character U\\+0000"),
        ({"notes": "esc\x1b[31m"}, "notes", "control character U\\+001B"),
        ({"notes": "half \ud83d"}, "notes", "lone surrogate U\\+D83D"),
        ({"notes": "x" * (NOTES_MAX + 1)}, "notes", "at most 10,000"),
    ],
)
def test_notes_with_control_characters_or_over_the_maximum_are_refused_on_both_back_ends(
    store, kwargs, field, says
):
    store.add_patient("anna")
    with pytest.raises(StoreError, match=says) as caught:
        store.log_session("anna", when=NOW, **kwargs)
    assert caught.value.field == field
    assert _count(store, "sessions") == 0


def test_notes_keep_tabs_and_every_kind_of_line_break(store):
    store.add_patient("anna")
    note = "tab\there\nline\r\ncrlf\rcr \u2028 é"
    store.log_session("anna", when=NOW, notes=note)
    assert store.sessions().loc[0, "notes"] == note


@pytest.mark.parametrize("name", ["Ann\nLee", "Ann\tLee", "Ann\x00", "A" * 201, "   "])
def test_a_name_is_one_line_of_at_most_200_characters(store, name):
    with pytest.raises(StoreError) as caught:
        store.add_patient("anna", name=name)
    assert caught.value.field == "name"
    assert store.patients().empty


def test_a_session_id_beyond_the_stores_key_range_is_refused_as_unknown(store):
    store.add_patient("anna")
    for session_id in (2**31, 2**40):
        with pytest.raises(StoreError) as caught:
            store.set_next_morning_pain(session_id, 2)
        assert caught.value.field == "session_id"
        with pytest.raises(StoreError):
            store.delete_session(session_id)


def test_the_readme_states_the_limits_the_store_checks():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Data formats") : readme.index("## Where the clinical")]
    for phrase in (
        f"1-{PATIENT_NAME_MAX} characters",
        f"notes up to {NOTES_MAX:,} characters",
        f"JSON up to {ROUTINE_TEXT_MAX:,}",
        f"0-{SESSION_MINUTES_MAX}, or empty",
        f"from {EARLIEST_YEAR}, not in the future",
        f"up to {UID_MAX} letters and digits",
        f"{BUSY_TIMEOUT_MS // 1000} s busy timeout",
    ):
        assert phrase in section, phrase
