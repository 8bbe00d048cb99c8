"""Rules of backlib.progress.weekly: ISO weeks, weekly means and adherence, empty weeks kept."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from progress_frames import DAY0, on, sessions_frame

from backlib.errors import BacklibError, RequestError
from backlib.progress import WEEKLY_COLUMNS, next_morning_rising, weekly_summary


def test_weekly_summary_keys_a_week_spanning_new_year_by_iso_year_and_week():
    sessions = sessions_frame(
        [
            {"started_at": "2026-12-31 09:00", "pain_before": 4},  # Thu of 2026-W53
            {"started_at": "2027-01-02 09:00", "pain_before": 6},  # Sat of 2026-W53
            {"started_at": "2027-01-04 09:00", "pain_before": 3},  # Mon of 2027-W01
        ]
    )
    weekly = weekly_summary(sessions)
    assert list(weekly["iso_year"]) == [2026, 2027]
    assert list(weekly["iso_week"]) == [53, 1]
    assert list(weekly["week"]) == ["week of 28 Dec 2026", "week of 4 Jan 2027"]
    assert list(weekly["week_start"]) == [pd.Timestamp("2026-12-28"), pd.Timestamp("2027-01-04")]
    assert list(weekly["sessions"]) == [2, 1]
    assert list(weekly["pain_before_mean"]) == [5.0, 3.0]


def test_weekly_summary_puts_late_december_days_in_week_one_of_the_next_iso_year():
    sessions = sessions_frame(
        [{"started_at": "2025-12-30 09:00"}, {"started_at": "2026-01-02 09:00"}]
    )
    weekly = weekly_summary(sessions)
    assert len(weekly) == 1
    assert (weekly["iso_year"].iloc[0], weekly["iso_week"].iloc[0]) == (2026, 1)


def test_weekly_summary_aggregates_pain_minutes_and_adherence_and_keeps_empty_weeks():
    sessions = sessions_frame(
        [
            on(
                0,
                pain_before=4,
                pain_during=2,
                pain_after=3,
                pain_next_morning=4,
                actual_minutes=20,
            ),
            on(2, pain_before=6, pain_during=5, pain_after=5, actual_minutes=30),
            on(
                15,
                pain_before=2,
                pain_during=1,
                pain_after=1,
                pain_next_morning=1,
                actual_minutes=10,
            ),
        ],
        target=2,
    )
    weekly = weekly_summary(sessions)
    assert list(weekly.columns) == list(WEEKLY_COLUMNS)
    assert list(weekly["sessions"]) == [2, 0, 1]
    assert list(weekly["adherence"]) == [1.0, 0.0, 0.5]
    assert list(weekly["minutes"]) == [50.0, 0.0, 10.0]
    first = weekly.iloc[0]
    assert first["pain_before_mean"] == 5.0
    assert first["pain_after_mean"] == 4.0
    assert first["pain_during_max"] == 5.0
    assert first["pain_next_morning_mean"] == 4.0  # the missing one is left out, not zero
    assert math.isnan(weekly.iloc[1]["pain_before_mean"])


def test_weekly_summary_extends_to_end_and_ignores_later_sessions():
    sessions = sessions_frame([on(0), on(1), on(30)])
    weekly = weekly_summary(sessions, end=(DAY0 + pd.Timedelta(days=20)).date())
    assert list(weekly["sessions"]) == [2, 0, 0]


def test_weekly_summary_of_no_sessions_is_an_empty_frame_with_the_columns():
    weekly = weekly_summary(sessions_frame([]))
    assert weekly.empty
    assert list(weekly.columns) == list(WEEKLY_COLUMNS)


def test_weekly_summary_refuses_a_frame_with_a_missing_column_naming_it():
    sessions = sessions_frame([on(0)]).drop(columns=["pain_after"])
    with pytest.raises(RequestError, match="pain_after"):
        weekly_summary(sessions)


def test_weekly_summary_refuses_more_than_one_patient():
    both = pd.concat([sessions_frame([on(0)], "ann"), sessions_frame([on(1)], "bob")])
    with pytest.raises(BacklibError, match="2 patients"):
        weekly_summary(both)


def test_next_morning_rising_needs_three_weekly_means_each_higher():
    def weekly(means):
        return pd.DataFrame({"pain_next_morning_mean": means})

    assert next_morning_rising(weekly([3.0, 4.0, 5.0]))
    assert next_morning_rising(weekly([6.0, 3.0, math.nan, 4.0, 5.0]))  # gaps are skipped
    assert not next_morning_rising(weekly([3.0, 4.0, 4.0]))
    assert not next_morning_rising(weekly([4.0, 5.0]))
