"""Weekly figures from a patient's sessions, and the week-on-week next-morning trend.

Per ISO week (keyed by ISO year and week together): sessions, minutes, adherence and pain means.

The last days of December can belong to week 1 of the next year, and the first days of January
to week 52 or 53 of the previous one, so a week is always its ISO year with its ISO week.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from backlib.constants import DEFAULT_TARGET_PER_WEEK, RISING_WEEKS
from backlib.display import week_words
from backlib.progress.frames import (
    PAIN_COLUMNS,
    SESSION_COLUMNS,
    as_floats,
    pain_column,
    require_columns,
    require_one_patient,
)

WEEKLY_COLUMNS = (
    "iso_year",
    "iso_week",
    "week",
    "week_start",
    "sessions",
    "target_per_week",
    "adherence",
    "minutes",
    "pain_before_mean",
    "pain_after_mean",
    "pain_next_morning_mean",
    "pain_during_max",
)


def prepared_sessions(sessions: pd.DataFrame, end: dt.date | None) -> pd.DataFrame:
    require_columns(sessions, SESSION_COLUMNS, "sessions")
    require_one_patient(sessions, "sessions")
    frame = pd.DataFrame(
        {
            "started_at": pd.to_datetime(sessions["started_at"]),
            **{column: pain_column(sessions, column) for column in PAIN_COLUMNS},
        },
        index=sessions.index,
    )
    frame["minutes"] = session_minutes(sessions)
    frame["target_per_week"] = (
        as_floats(sessions["target_per_week"])
        if "target_per_week" in sessions.columns
        else float(DEFAULT_TARGET_PER_WEEK)
    )
    frame = frame.dropna(subset=["started_at"]).sort_values("started_at", kind="stable")
    frame["day"] = frame["started_at"].dt.normalize()
    if end is not None:
        frame = frame[frame["day"] <= pd.Timestamp(end).normalize()]
    return frame


def session_minutes(sessions: pd.DataFrame) -> pd.Series:
    """Minutes actually exercised, falling back to the planned minutes when not recorded."""
    actual = (
        as_floats(sessions["actual_minutes"])
        if "actual_minutes" in sessions.columns
        else pd.Series(np.nan, index=sessions.index)
    )
    if "planned_minutes" in sessions.columns:
        planned = as_floats(sessions["planned_minutes"])
        actual = actual.fillna(planned)
    return actual


def week_start(days: pd.Series) -> pd.Series:
    """The Monday of each day's ISO week (one Monday <-> one ISO year and week)."""
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def iso_week_label(year: int, week: int) -> str:
    """The week as words for people and charts ('week of 14 Sep 2026'); keys stay year+week."""
    return week_words(year, week)


def weekly_summary(sessions: pd.DataFrame, *, end: dt.date | None = None) -> pd.DataFrame:
    """One row per ISO week from the first session's week to the last (or to ``end``).

    Weeks without a session are kept, with 0 sessions and 0 % adherence, because a gap is
    exactly what a clinician wants to see at a follow-up.

    Parameters
    ----------
    sessions
        One patient's ``Store.sessions(...)`` frame (needs ``started_at`` and the four pain
        columns; ``actual_minutes``/``planned_minutes`` and ``target_per_week`` are used when
        present).
    end
        Extend the weeks up to this date (e.g. today, or a report period's end) and ignore
        sessions after it. Default: the last session.

    Returns
    -------
    pandas.DataFrame
        Columns ``iso_year``, ``iso_week``, ``week`` ("week of 4 Jan 2027"), ``week_start`` (the
        Monday), ``sessions``, ``target_per_week``, ``adherence`` (sessions / target, 1.0 = on
        target), ``minutes``, ``pain_before_mean``, ``pain_after_mean``, ``pain_next_morning_mean``
        (NaN when none recorded) and ``pain_during_max`` (the worst pain during).

    Raises
    ------
    RequestError
        When a needed column is missing or the frame holds more than one patient.
    """
    frame = prepared_sessions(sessions, end)
    return weekly_table(frame, end)


def weekly_table(frame: pd.DataFrame, end: dt.date | None) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in WEEKLY_COLUMNS})
    mondays = week_start(frame["day"])
    grouped = frame.groupby(mondays.rename("week_start"), sort=True)
    weekly = pd.DataFrame(
        {
            "sessions": grouped.size(),
            "target_per_week": grouped["target_per_week"].last(),
            "minutes": grouped["minutes"].sum(min_count=1),
            "pain_before_mean": grouped["pain_before"].mean(),
            "pain_after_mean": grouped["pain_after"].mean(),
            "pain_next_morning_mean": grouped["pain_next_morning"].mean(),
            "pain_during_max": grouped["pain_during"].max(),
        }
    )
    last_week = weekly.index.max()
    if end is not None:
        end_day = pd.Timestamp(end).normalize()
        last_week = max(last_week, end_day - pd.Timedelta(days=end_day.weekday()))
    all_weeks = pd.date_range(weekly.index.min(), last_week, freq="7D", name="week_start")
    weekly = weekly.reindex(all_weeks)
    weekly["sessions"] = weekly["sessions"].fillna(0).astype(int)
    weekly["minutes"] = weekly["minutes"].fillna(0.0)
    weekly["target_per_week"] = (
        weekly["target_per_week"].ffill().fillna(DEFAULT_TARGET_PER_WEEK).astype(int)
    )
    weekly["adherence"] = weekly["sessions"] / weekly["target_per_week"].where(
        weekly["target_per_week"] > 0
    )
    weekly = weekly.reset_index()
    iso = [monday.isocalendar() for monday in weekly["week_start"]]
    weekly["iso_year"] = np.array([year for year, _, _ in iso], dtype=int)
    weekly["iso_week"] = np.array([week for _, week, _ in iso], dtype=int)
    weekly["week"] = [iso_week_label(year, week) for year, week, _ in iso]
    return weekly[list(WEEKLY_COLUMNS)]


def next_morning_rising(weekly: pd.DataFrame) -> bool:
    """Is next-morning pain rising week on week? (Silbernagel 2007 week-to-week rule.)

    True when the last ``RISING_WEEKS`` (3) weeks that have a next-morning mean each have a
    higher mean than the week before them; weeks without next-morning scores are skipped.
    """
    means = weekly["pain_next_morning_mean"].dropna().to_numpy(dtype=float)
    if len(means) < RISING_WEEKS:
        return False
    recent = means[-RISING_WEEKS:]
    return bool(np.all(np.diff(recent) > 0))
