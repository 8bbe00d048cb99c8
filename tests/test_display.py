"""Tables for people: headings in words, values rounded by one rule per measure, "–" for gaps."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from backlib import progress, progression, questionnaires
from backlib.demo import write_demo_store
from backlib.display import DISPLAY_KINDS, MISSING, score_decimals, to_display
from backlib.errors import RequestError
from backlib.labels import DOSE_LABELS, PHASE_TITLES
from backlib.plan.planner import plan_routine
from backlib.store import open_store
from backlib.workbook import patient_with_programme

SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")
LONG_FLOAT = re.compile(r"\d\.\d{3,}")


@pytest.fixture(scope="module")
def frames(tmp_path_factory) -> dict[str, tuple[pd.DataFrame, dict]]:
    """One real frame of every kind, from a demo store made for this test."""
    path = tmp_path_factory.mktemp("store") / "demo.db"
    write_demo_store(path)
    store = open_store(f"sqlite:///{path}")
    patient = patient_with_programme(store)
    sessions = store.sessions(patient)
    found = {
        "catalog": (store.catalog.to_frame(), {}),
        "routine": (plan_routine(["lower_back"], 20, pain=3).to_frame(), {}),
        "patients": (store.patients(), {}),
        "sessions": (sessions, {}),
        "entries": (store.entries(patient), {"catalog": store.catalog}),
        "weekly": (progress.weekly_summary(sessions), {}),
        "summary": (progress.assess(sessions, store.outcomes(patient)).summary(), {}),
        "decisions": (progression.next_doses(store, patient)[1], {}),
        "history": (progress.programme_history(store.programmes(patient), store.catalog), {}),
        "sessions_by_version": (progress.sessions_by_version(sessions), {}),
        "outcomes": (store.outcomes(patient), {}),
        "items": (questionnaires.items_frame("odi"), {}),
        "outcome_measures": (progress.outcome_measures_frame(), {}),
    }
    assert all(len(frame) for frame, _ in found.values()), "every frame needs rows to test"
    return found


def test_every_kind_has_a_real_frame_here(frames):
    assert set(frames) == set(DISPLAY_KINDS)


@pytest.mark.parametrize("kind", DISPLAY_KINDS)
def test_no_raw_column_name_or_raw_value_survives_in_a_displayed_frame(frames, kind):
    frame, options = frames[kind]
    shown = to_display(frame, kind=kind, **options)
    assert len(shown) == len(frame)
    assert [c for c in shown.columns if SNAKE.match(c) or c == c.lower()] == []
    text = shown.to_string() + shown.to_html()
    assert "<NA>" not in text and "NaN" not in text and "NaT" not in text and "None" not in text
    assert all(isinstance(v, str) for v in shown.to_numpy().ravel())
    # Long text (reasons, notes) may hold a decimal; numbers in cells of their own may not.
    numbers = [v for v in shown.to_numpy().ravel() if re.fullmatch(r"[-+]?[\d.]+( %)?", v)]
    assert [v for v in numbers if LONG_FLOAT.search(v)] == []


def test_missing_values_of_every_type_become_a_dash():
    frame = pd.DataFrame(
        {
            "pain_before": pd.array([3, None], dtype="Int64"),
            "planned_minutes": [20.0, float("nan")],
            "started_at": [pd.Timestamp("2026-12-01 18:05"), pd.NaT],
            "notes": ["sore", ""],
            "completed": pd.array([True, None], dtype="boolean"),
        }
    )
    shown = to_display(frame, kind="sessions")
    assert shown.iloc[1].tolist() == [MISSING] * 5
    assert shown.iloc[0].tolist() == ["3", "20", "Tue 1 Dec 2026, 18:05", "sore", "yes"]


def test_columns_are_renamed_to_words_with_units():
    frame = pd.DataFrame({"pain_before": [2], "planned_minutes": [20], "started_at": [pd.NaT]})
    assert list(to_display(frame, kind="sessions").columns) == [
        "Pain before (0–10)",
        "Minutes planned",
        "Started",
    ]
    routine = to_display(pd.DataFrame({"hold_s": [5], "phase": ["warmup"]}), kind="routine")
    assert list(routine.columns) == [DOSE_LABELS["hold_s"].capitalize(), "Part"]
    assert routine.iloc[0, 1] == PHASE_TITLES["warmup"]


def test_a_column_means_what_its_kind_says():
    assert list(to_display(pd.DataFrame({"name": ["Alex"]}), kind="patients").columns) == [
        "Patient"
    ]
    assert list(to_display(pd.DataFrame({"name": ["Plank"]}), kind="routine").columns) == [
        "Exercise"
    ]


def test_pain_means_have_one_decimal_minutes_none_and_rounding_is_half_up():
    frame = pd.DataFrame(
        {
            "pain_before_mean": [3.333333, 2.25, 2.0],
            "minutes": [44.5, 90.1, 0.4],
            "adherence": [0.666667, 1.0, 1.333333],
            "week_start": pd.to_datetime(["2026-11-09", "2026-12-01", "2027-01-04"]),
        }
    )
    shown = to_display(frame, kind="weekly")
    assert shown.iloc[:, 0].tolist() == ["3.3", "2.3", "2.0"]
    assert shown.iloc[:, 1].tolist() == ["45", "90", "0"]
    assert shown.iloc[:, 2].tolist() == ["67 %", "100 %", "133 %"]
    assert shown.iloc[:, 3].tolist() == ["9 Nov 2026", "1 Dec 2026", "4 Jan 2027"]


def test_scores_are_shown_to_their_instruments_step():
    frame = pd.DataFrame(
        {"measure": ["nprs", "rmdq", "odi", "psfs"], "score": [7.0, 12.0, 35.56, 4.333]}
    )
    assert to_display(frame, kind="outcomes")["Score"].tolist() == ["7", "12", "35.6", "4.3"]
    assert score_decimals("rmdq") == 0 and score_decimals("odi") == 1


def test_thresholds_keep_their_published_decimals_without_trailing_zeros():
    shown = to_display(progress.outcome_measures_frame(), kind="outcome_measures")
    assert shown.iloc[0].tolist()[1:] == ["2", "1.77", "lower"]


def test_booleans_say_yes_or_no_and_seconds_read_as_a_clock():
    shown = to_display(
        pd.DataFrame({"per_side": [True, False], "seconds": [250, 45]}), kind="routine"
    )
    assert shown.to_numpy().tolist() == [["yes", "4:10"], ["no", "0:45"]]


def test_a_named_index_is_shown_as_a_column_and_rows_have_no_number():
    grouped = pd.DataFrame({"programme_version": [1, 1, 2], "sessions": [1, 1, 1]})
    shown = to_display(grouped.groupby("programme_version").sum(), kind="sessions_by_version")
    assert list(shown.columns) == ["Programme version", "Sessions"]
    assert list(shown.index) == ["", ""]


def test_an_unknown_kind_or_column_is_refused_naming_it():
    with pytest.raises(RequestError) as kind:
        to_display(pd.DataFrame(), kind="nonsense")
    assert kind.value.field == "kind"
    with pytest.raises(RequestError) as column:
        to_display(pd.DataFrame({"mystery_column": [1]}), kind="sessions")
    assert column.value.field == "mystery_column"


def test_the_raw_frame_is_left_as_it_was():
    frame = pd.DataFrame({"pain_before": pd.array([3, None], dtype="Int64")})
    before = frame.copy()
    to_display(frame, kind="sessions")
    pd.testing.assert_frame_equal(frame, before)
