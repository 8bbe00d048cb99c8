"""Progress analytics: weekly figures, change from baseline, meaningful change, clinician flags.

Everything here works on the plain frames the store returns (see TEAM.md, "Frame shapes"), so it
can be tested and reused without a store. Weeks are ISO weeks, always keyed by ISO year and ISO
week together (the last days of December can belong to week 1 of the next year, and the first days
of January to week 52 or 53 of the previous one).

This is decision support for exercise, not a diagnosis: the flags ask a clinician to look, they do
not say what is wrong.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from backlib.constants import (
    ADHERENCE_WINDOW_DAYS,
    BASELINE_DAYS,
    CURRENT_DAYS,
    DEFAULT_TARGET_PER_WEEK,
    HIGH_PAIN,
    HIGH_PAIN_COUNT,
    HIGH_PAIN_WINDOW,
    LOW_ADHERENCE,
    MCID_RELATIVE,
    MIN_SESSIONS_PER_WEEK,
    NO_IMPROVEMENT_WEEKS,
    NPRS_MCID_POINTS,
    RISING_WEEKS,
)
from backlib.progress_flare_ups import FLARE_UP_COLUMNS as FLARE_UP_COLUMNS
from backlib.progress_flare_ups import flare_up_exercises as flare_up_exercises
from backlib.progress_input import (
    _EPS,
    PAIN_COLUMNS,
    SESSION_COLUMNS,
    _floats,
    _one_patient,
    _pain,
    _require,
)
from backlib.progress_outcomes import OUTCOME_CHANGE_COLUMNS as OUTCOME_CHANGE_COLUMNS
from backlib.progress_outcomes import _empty_changes, outcome_changes

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


@dataclass(frozen=True)
class Flag:
    """Something a clinician should look at, with a plain-language message."""

    code: str
    message: str


@dataclass(frozen=True)
class Assessment:
    """Where a patient stands: pain before exercise now against the first two weeks.

    ``change`` is current minus baseline in points and ``change_pct`` the same in percent of the
    baseline, so a fall in pain is negative. ``improved`` is True when pain fell by at least
    2 points or at least 30 % (Ostelo 2008, REFERENCE.md §2a). With too little data ``baseline``
    and/or ``current`` are None, ``improved`` is False and ``message`` says why.
    """

    baseline: float | None
    current: float | None
    change: float | None
    change_pct: float | None
    improved: bool
    outcome_changes: pd.DataFrame
    flags: tuple[Flag, ...]
    message: str
    sessions: int = 0
    weeks: float = 0.0
    sessions_per_week: float | None = None
    adherence_last_4_weeks: float | None = None
    first_session: pd.Timestamp | None = None
    last_session: pd.Timestamp | None = None
    weekly: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    @property
    def flag_messages(self) -> list[str]:
        return [flag.message for flag in self.flags]

    def summary(self) -> pd.DataFrame:
        """The headline figures as a two-column table (what, value) for a report or widget."""

        def number(value: float | None, fmt: str) -> str:
            return "–" if value is None else format(value, fmt)

        rows = [
            ("pain before exercise, first 2 weeks", number(self.baseline, ".1f")),
            ("pain before exercise, last 2 weeks", number(self.current, ".1f")),
            ("change (points)", number(self.change, "+.1f")),
            ("change (%)", number(self.change_pct, "+.0f")),
            ("clinically meaningful improvement", "yes" if self.improved else "no"),
            ("sessions", str(self.sessions)),
            ("sessions per week", number(self.sessions_per_week, ".1f")),
            (
                "adherence, last 4 weeks",
                "–"
                if self.adherence_last_4_weeks is None
                else f"{self.adherence_last_4_weeks:.0%}",
            ),
        ]
        return pd.DataFrame(rows, columns=["what", "value"])


def _prepared_sessions(sessions: pd.DataFrame, end: dt.date | None) -> pd.DataFrame:
    _require(sessions, SESSION_COLUMNS, "sessions")
    _one_patient(sessions, "sessions")
    frame = pd.DataFrame(
        {
            "started_at": pd.to_datetime(sessions["started_at"]),
            **{column: _pain(sessions, column) for column in PAIN_COLUMNS},
        },
        index=sessions.index,
    )
    frame["minutes"] = _minutes(sessions)
    frame["target_per_week"] = (
        _floats(sessions["target_per_week"])
        if "target_per_week" in sessions.columns
        else float(DEFAULT_TARGET_PER_WEEK)
    )
    frame = frame.dropna(subset=["started_at"]).sort_values("started_at", kind="stable")
    frame["day"] = frame["started_at"].dt.normalize()
    if end is not None:
        frame = frame[frame["day"] <= pd.Timestamp(end).normalize()]
    return frame


def _minutes(sessions: pd.DataFrame) -> pd.Series:
    """Minutes actually exercised, falling back to the planned minutes when not recorded."""
    actual = (
        _floats(sessions["actual_minutes"])
        if "actual_minutes" in sessions.columns
        else pd.Series(np.nan, index=sessions.index)
    )
    if "planned_minutes" in sessions.columns:
        planned = _floats(sessions["planned_minutes"])
        actual = actual.fillna(planned)
    return actual


def _week_start(days: pd.Series) -> pd.Series:
    """The Monday of each day's ISO week (one Monday <-> one ISO year and week)."""
    return days - pd.to_timedelta(days.dt.day_of_week, unit="D")


def _iso_label(year: int, week: int) -> str:
    return f"{year}-W{week:02d}"


# --------------------------------------------------------------------------- weekly summary


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
        Columns ``iso_year``, ``iso_week``, ``week`` ("2027-W01"), ``week_start`` (the Monday),
        ``sessions``, ``target_per_week``, ``adherence`` (sessions / target, 1.0 = on target),
        ``minutes``, ``pain_before_mean``, ``pain_after_mean``, ``pain_next_morning_mean``
        (NaN when none recorded) and ``pain_during_max`` (the worst pain during).

    Raises
    ------
    RequestError
        When a needed column is missing or the frame holds more than one patient.
    """
    frame = _prepared_sessions(sessions, end)
    return _weekly(frame, end)


def _weekly(frame: pd.DataFrame, end: dt.date | None) -> pd.DataFrame:
    if frame.empty:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in WEEKLY_COLUMNS})
    week_start = _week_start(frame["day"])
    grouped = frame.groupby(week_start.rename("week_start"), sort=True)
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
    weekly["week"] = [_iso_label(year, week) for year, week, _ in iso]
    return weekly[list(WEEKLY_COLUMNS)]


def next_morning_rising(weekly: pd.DataFrame) -> bool:
    """Is next-morning pain rising week on week? (REFERENCE.md §1b week-to-week rule.)

    True when the last ``RISING_WEEKS`` (3) weeks that have a next-morning mean each have a
    higher mean than the week before them; weeks without next-morning scores are skipped.
    """
    means = weekly["pain_next_morning_mean"].dropna().to_numpy(dtype=float)
    if len(means) < RISING_WEEKS:
        return False
    recent = means[-RISING_WEEKS:]
    return bool(np.all(np.diff(recent) > 0))


# --------------------------------------------------------------------------- assessment


def assess(
    sessions: pd.DataFrame,
    outcomes: pd.DataFrame | None = None,
    *,
    end: dt.date | None = None,
) -> Assessment:
    """Change in pain since the first two weeks, whether it matters, and flags for a clinician.

    Baseline is the mean pain before exercise over the first 14 days from the first session;
    current is the mean over the last 14 days up to ``end`` (default: the last session),
    counting only days after the baseline window so the two never share a session.

    Too little data: with every session inside the first 14 days, ``baseline`` is the mean so
    far (provisional), ``current``, ``change`` and ``change_pct`` are None, ``improved`` is
    False, and ``message`` says that the baseline is still being set. No sessions: all None.

    Flags (each a :class:`Flag` with a plain-language ``message``):

    - ``no_improvement``: 6 weeks or more since the first session, on average at least 2
      sessions a week, and pain not improved by 2 points or 30 % (§2a; §3b; §4a);
    - ``high_pain``: the worst pain of a session (before, during, after or next morning) was
      8/10 or more in at least 2 of the last 5 sessions (§1b: above 5 is unacceptable);
    - ``rising_morning_pain``: the last 3 weekly next-morning means each higher than the one
      before (§1b week-to-week rule);
    - ``low_adherence``: fewer than 50 % of the target sessions over the last 28 days, checked
      once there are at least 14 days of history (§4a frequency).

    Parameters
    ----------
    sessions
        One patient's ``Store.sessions(...)`` frame.
    outcomes
        Optional ``Store.outcomes(...)`` frame; see :func:`outcome_changes`.
    end
        The day the assessment is made for (today, a report period's end). Later sessions are
        ignored. Default: the day of the last session.

    Returns
    -------
    Assessment
    """
    frame = _prepared_sessions(sessions, end)
    changes = outcome_changes(outcomes, end=end) if outcomes is not None else _empty_changes()
    if frame.empty:
        return Assessment(
            baseline=None,
            current=None,
            change=None,
            change_pct=None,
            improved=False,
            outcome_changes=changes,
            flags=(),
            message="No sessions logged yet: nothing to compare.",
            weekly=_weekly(frame, end),
        )
    first_day = frame["day"].iloc[0]
    end_day = pd.Timestamp(end).normalize() if end is not None else frame["day"].iloc[-1]
    weekly = _weekly(frame, end)

    baseline_end = first_day + pd.Timedelta(days=BASELINE_DAYS)  # exclusive
    current_start = max(baseline_end, end_day - pd.Timedelta(days=CURRENT_DAYS - 1))
    baseline = _mean_or_none(frame.loc[frame["day"] < baseline_end, "pain_before"])
    current = _mean_or_none(frame.loc[frame["day"] >= current_start, "pain_before"])

    change = change_pct = None
    improved = False
    if baseline is None:
        message = "No pain-before scores in the first 2 weeks: no baseline to compare with."
    elif end_day < baseline_end:
        message = (
            f"Fewer than 2 weeks of sessions: the baseline (pain before exercise "
            f"{baseline:.1f}/10 so far) is still being set; a comparison follows after 2 weeks."
        )
    elif current is None:
        message = "No pain-before scores in the last 2 weeks: nothing to compare with the baseline."
    else:
        change = current - baseline
        change_pct = change / baseline * 100 if baseline > 0 else None
        improved = is_meaningful_drop(baseline, current)
        message = _change_message(baseline, current, change, change_pct, improved)

    days = (end_day - first_day).days + 1
    weeks = days / 7
    n_sessions = len(frame)
    per_week = n_sessions / weeks
    target = (
        float(frame["target_per_week"].dropna().iloc[-1])
        if frame["target_per_week"].notna().any()
        else float(DEFAULT_TARGET_PER_WEEK)
    )
    adherence = _adherence_last_window(frame, first_day, end_day, target)

    flags: list[Flag] = []
    # No meaningful improvement by 6 weeks of regular exercise (§2a MCID; §3b; §4a >= 2/week).
    if (
        weeks >= NO_IMPROVEMENT_WEEKS
        and per_week >= MIN_SESSIONS_PER_WEEK
        and baseline is not None
        and current is not None
        and not improved
    ):
        flags.append(
            Flag(
                "no_improvement",
                f"After {weeks:.0f} weeks at about {per_week:.1f} sessions a week, pain before "
                f"exercise has not fallen by a clinically meaningful amount (2 points or 30 %): "
                f"{baseline:.1f} then, {current:.1f} now. Worth reviewing the plan and "
                "reassessing.",
            )
        )
    high = _high_pain_sessions(frame)
    if len(high) >= HIGH_PAIN_COUNT:
        dates = ", ".join(day.strftime("%d %b") for day in high)
        flags.append(
            Flag(
                "high_pain",
                f"Pain reached {HIGH_PAIN}/10 or more in {len(high)} of the last "
                f"{min(HIGH_PAIN_WINDOW, n_sessions)} sessions ({dates}), well above the 5/10 "
                "the pain-monitoring model allows. Check the dose and ask about new symptoms.",
            )
        )
    if next_morning_rising(weekly):
        recent = weekly.dropna(subset=["pain_next_morning_mean"]).tail(RISING_WEEKS)
        trail = " → ".join(
            f"{m:.1f} ({w})"
            for w, m in zip(recent["week"], recent["pain_next_morning_mean"], strict=True)
        )
        flags.append(
            Flag(
                "rising_morning_pain",
                f"Next-morning pain has risen {RISING_WEEKS - 1} weeks in a row: {trail}. "
                "A rising weekly trend means the load is too high; reduce it.",
            )
        )
    if adherence is not None and adherence < LOW_ADHERENCE:
        flags.append(
            Flag(
                "low_adherence",
                f"Only {adherence:.0%} of the target sessions ({target:.0f} a week) were done "
                "over the last 4 weeks. Ask what gets in the way; a shorter routine may fit "
                "better.",
            )
        )

    return Assessment(
        baseline=baseline,
        current=current,
        change=change,
        change_pct=change_pct,
        improved=improved,
        outcome_changes=changes,
        flags=tuple(flags),
        message=message,
        sessions=n_sessions,
        weeks=weeks,
        sessions_per_week=per_week,
        adherence_last_4_weeks=adherence,
        first_session=frame["started_at"].iloc[0],
        last_session=frame["started_at"].iloc[-1],
        weekly=weekly,
    )


def is_meaningful_drop(baseline: float, current: float) -> bool:
    """Pain fell by at least 2 points or at least 30 % of baseline (Ostelo 2008, §2a)."""
    drop = baseline - current
    by_points = drop >= NPRS_MCID_POINTS - _EPS  # MCID NRS: 2 points (Ostelo 2008)
    by_share = baseline > 0 and drop >= MCID_RELATIVE * baseline - _EPS  # or 30 % (Ostelo 2008)
    return bool(by_points or by_share)


def meaningful_drop_points(baseline: float) -> float:
    """The smallest fall in points that counts as meaningful from this baseline (§2a)."""
    return min(NPRS_MCID_POINTS, MCID_RELATIVE * baseline) if baseline > 0 else NPRS_MCID_POINTS


def _mean_or_none(values: pd.Series) -> float | None:
    values = values.dropna()
    return float(values.mean()) if len(values) else None


def _change_message(
    baseline: float, current: float, change: float, change_pct: float | None, improved: bool
) -> str:
    pct = f", {change_pct:+.0f} %" if change_pct is not None else ""
    head = (
        f"Pain before exercise: {baseline:.1f}/10 in the first 2 weeks, {current:.1f}/10 "
        f"in the last 2 weeks ({change:+.1f} points{pct})."
    )
    if improved:
        return head + " A clinically meaningful improvement (≥ 2 points or ≥ 30 %, Ostelo 2008)."
    if change < 0:
        return head + " Better, but not yet by a clinically meaningful amount."
    return head + " No improvement yet."


def _adherence_last_window(
    frame: pd.DataFrame, first_day: pd.Timestamp, end_day: pd.Timestamp, target: float
) -> float | None:
    """Sessions done / sessions targeted over the last 28 days (or since the start)."""
    start = max(first_day, end_day - pd.Timedelta(days=ADHERENCE_WINDOW_DAYS - 1))
    days = (end_day - start).days + 1
    if days < 14 or target <= 0:  # two weeks at least before judging adherence (design, U)
        return None
    done = int(((frame["day"] >= start) & (frame["day"] <= end_day)).sum())
    return done / (target * days / 7)


def _high_pain_sessions(frame: pd.DataFrame) -> list[pd.Timestamp]:
    last = frame.tail(HIGH_PAIN_WINDOW)
    worst = last[list(PAIN_COLUMNS)].max(axis=1, skipna=True)
    return list(last.loc[worst >= HIGH_PAIN, "started_at"])  # pain >= 8: far above 5 (§1b)
