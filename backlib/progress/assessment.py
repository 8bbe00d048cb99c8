"""Where a patient stands: pain now against the first two weeks, and flags for a clinician.

Whether the change is meaningful follows Ostelo 2008; the flags are a table of small rule
functions (FLAG_RULES), each returning a Flag or None.

Everything here works on the plain frames the store returns, so it can be tested and reused
without a store. Decision support for exercise, not a diagnosis: the flags ask a clinician to
look, they do not say what is wrong.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from backlib.constants import (
    ADHERENCE_MIN_HISTORY_DAYS,
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
from backlib.display import pain_text, rounded_text
from backlib.progress.frames import EPS, PAIN_COLUMNS
from backlib.progress.outcomes import empty_outcome_changes, outcome_changes
from backlib.progress.weekly import next_morning_rising, prepared_sessions, weekly_table


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
    2 points or at least 30 % (Ostelo 2008). With too little data ``baseline``
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

    def summary(self) -> pd.DataFrame:
        """The headline figures as a two-column table (what, value) for a report or widget."""

        def number(value: float | None, decimals: int, *, signed: bool = False) -> str:
            return "–" if value is None else rounded_text(value, decimals, signed=signed)

        rows = [
            ("pain before exercise, first 2 weeks", pain_text(self.baseline)),
            ("pain before exercise, last 2 weeks", pain_text(self.current)),
            ("change (points)", pain_text(self.change, signed=True)),
            ("change (%)", number(self.change_pct, 0, signed=True)),
            ("clinically meaningful improvement", "yes" if self.improved else "no"),
            ("sessions", str(self.sessions)),
            ("sessions per week", number(self.sessions_per_week, 1)),
            (
                "adherence, last 4 weeks",
                "–"
                if self.adherence_last_4_weeks is None
                else f"{rounded_text(self.adherence_last_4_weeks * 100, 0)}%",
            ),
        ]
        return pd.DataFrame(rows, columns=["what", "value"])


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
      sessions a week, and pain not improved by 2 points or 30 % (Ostelo 2008; NHS; ACSM);
    - ``high_pain``: the worst pain of a session (before, during, after or next morning) was
      8/10 or more in at least 2 of the last 5 sessions (Silbernagel: above 5 is unacceptable);
    - ``rising_morning_pain``: the last 3 weekly next-morning means each higher than the one
      before (Silbernagel 2007 week-to-week rule);
    - ``outcome_worse``: an outcome measure worse, from its first score to its last, by at
      least its minimal important change and its minimal detectable change (Ostelo 2008;
      see :func:`backlib.progress.outcomes.outcome_verdict`); raised with no sessions too;
    - ``low_adherence``: fewer than 50 % of the target sessions over the last 28 days, checked
      once there are at least 14 days of history (ACSM frequency).

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
    frame = prepared_sessions(sessions, end)
    changes = (
        outcome_changes(outcomes, end=end) if outcomes is not None else empty_outcome_changes()
    )
    if frame.empty:
        return Assessment(
            baseline=None,
            current=None,
            change=None,
            change_pct=None,
            improved=False,
            outcome_changes=changes,
            flags=tuple(flag for flag in (outcome_worse_flag(changes),) if flag is not None),
            message="No sessions logged yet: nothing to compare.",
            weekly=weekly_table(frame, end),
        )
    first_day = frame["day"].iloc[0]
    end_day = pd.Timestamp(end).normalize() if end is not None else frame["day"].iloc[-1]
    weekly = weekly_table(frame, end)

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
            f"{pain_text(baseline)}/10 so far) is still being set; a comparison follows after "
            "2 weeks."
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

    facts = _Facts(
        frame=frame,
        weekly=weekly,
        baseline=baseline,
        current=current,
        improved=improved,
        weeks=weeks,
        per_week=per_week,
        adherence=adherence,
        target=target,
        outcomes=changes,
    )
    flags = tuple(flag for rule in FLAG_RULES if (flag := rule(facts)) is not None)

    return Assessment(
        baseline=baseline,
        current=current,
        change=change,
        change_pct=change_pct,
        improved=improved,
        outcome_changes=changes,
        flags=flags,
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
    """Pain fell by at least 2 points or at least 30 % of baseline (Ostelo 2008)."""
    drop = baseline - current
    by_points = drop >= NPRS_MCID_POINTS - EPS  # MCID NRS: 2 points (Ostelo 2008)
    by_share = baseline > 0 and drop >= MCID_RELATIVE * baseline - EPS  # or 30 % (Ostelo 2008)
    return bool(by_points or by_share)


def meaningful_drop_points(baseline: float) -> float:
    """The smallest fall in points that counts as meaningful from this baseline (Ostelo 2008)."""
    return min(NPRS_MCID_POINTS, MCID_RELATIVE * baseline) if baseline > 0 else NPRS_MCID_POINTS


def _mean_or_none(values: pd.Series) -> float | None:
    values = values.dropna()
    return float(values.mean()) if len(values) else None


def _change_message(
    baseline: float, current: float, change: float, change_pct: float | None, improved: bool
) -> str:
    pct = f", {rounded_text(change_pct, 0, signed=True)} %" if change_pct is not None else ""
    head = (
        f"Pain before exercise: {pain_text(baseline)}/10 in the first 2 weeks, "
        f"{pain_text(current)}/10 in the last 2 weeks "
        f"({pain_text(change, signed=True)} points{pct})."
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
    if days < ADHERENCE_MIN_HISTORY_DAYS or target <= 0:
        return None
    done = int(((frame["day"] >= start) & (frame["day"] <= end_day)).sum())
    return done / (target * days / 7)


# --------------------------------------------------------------------------- flag rules


@dataclass(frozen=True)
class _Facts:
    """What the flag rules look at: the prepared sessions, the weeks and the headline figures."""

    frame: pd.DataFrame
    weekly: pd.DataFrame
    baseline: float | None
    current: float | None
    improved: bool
    weeks: float
    per_week: float
    adherence: float | None
    target: float
    outcomes: pd.DataFrame


def _no_improvement(facts: _Facts) -> Flag | None:
    """6 weeks of at least 2 sessions a week without a meaningful fall (Ostelo 2008; ACSM)."""
    if (
        facts.weeks < NO_IMPROVEMENT_WEEKS
        or facts.per_week < MIN_SESSIONS_PER_WEEK
        or facts.baseline is None
        or facts.current is None
        or facts.improved
    ):
        return None
    improved = _improved_measures(facts.outcomes)
    head = (
        f"After {facts.weeks:.0f} weeks at about {facts.per_week:.1f} sessions a week, pain "
        "before exercise has not fallen by 2 points or 30 % (a clinically meaningful amount): "
        f"{pain_text(facts.baseline)} then, {pain_text(facts.current)} now"
    )
    if improved:
        return Flag(
            "no_improvement",
            f"{head}, although {improved} improved meaningfully. Worth asking why pain before "
            "exercise lags behind the questionnaires, and reassessing.",
        )
    return Flag("no_improvement", f"{head}. Worth reviewing the plan and reassessing.")


def _improved_measures(changes: pd.DataFrame) -> str:
    """The measures that improved meaningfully, by their short names ('ODI, RMDQ and PSFS')."""
    if changes is None or changes.empty or "improved" not in changes:
        return ""
    names = [str(m).upper() for m in changes.loc[changes["improved"].astype(bool), "measure"]]
    return and_list(names)


def and_list(words: list[str]) -> str:
    """Words joined as a person lists them: 'a', 'a and b', 'a, b and c'."""
    if len(words) < 2:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _high_pain(facts: _Facts) -> Flag | None:
    """Worst pain 8/10 or more in 2 of the last 5 sessions: far above 5/10 (Silbernagel 2007)."""
    last = facts.frame.tail(HIGH_PAIN_WINDOW)
    worst = last[list(PAIN_COLUMNS)].max(axis=1, skipna=True)
    high = list(last.loc[worst >= HIGH_PAIN, "started_at"])
    if len(high) < HIGH_PAIN_COUNT:
        return None
    dates = ", ".join(day.strftime("%d %b") for day in high)
    return Flag(
        "high_pain",
        f"Pain reached {HIGH_PAIN}/10 or more in {len(high)} of the last {len(last)} sessions "
        f"({dates}), well above the 5/10 the pain-monitoring model allows. Check the dose and "
        "ask about new symptoms.",
    )


def _rising_morning_pain(facts: _Facts) -> Flag | None:
    """Next-morning pain rising week on week means the load is too high (Silbernagel 2007)."""
    if not next_morning_rising(facts.weekly):
        return None
    recent = facts.weekly.dropna(subset=["pain_next_morning_mean"]).tail(RISING_WEEKS)
    trail = " → ".join(
        f"{pain_text(m)} ({w})"
        for w, m in zip(recent["week"], recent["pain_next_morning_mean"], strict=True)
    )
    return Flag(
        "rising_morning_pain",
        f"Next-morning pain has risen {RISING_WEEKS - 1} weeks in a row: {trail}. "
        "A rising weekly trend means the load is too high; reduce it.",
    )


def outcome_worse_flag(changes: pd.DataFrame) -> Flag | None:
    """A flag naming every outcome measure with a meaningful worsening, or None.

    Worse by at least the minimal important change and the minimal detectable change
    (Ostelo 2008; the MDC per measure in ``OUTCOME_MEASURES``); ``changes`` is the frame of
    :func:`backlib.progress.outcomes.outcome_changes`.
    """
    if changes.empty or "worsened" not in changes:
        return None
    worse = changes[changes["worsened"].astype(bool)]
    if worse.empty:
        return None
    listed = "; ".join(
        f"{row.label} {row.first:.3g} → {row.last:.3g}" for row in worse.itertuples(index=False)
    )
    return Flag(
        "outcome_worse",
        f"Worse on {listed}: by at least the minimal important change and more than "
        "measurement error could explain. Reassess, and ask about new symptoms and what has "
        "changed.",
    )


def _outcome_worse(facts: _Facts) -> Flag | None:
    """An outcome measure meaningfully and detectably worse (Ostelo 2008; MDC per measure)."""
    return outcome_worse_flag(facts.outcomes)


def _low_adherence(facts: _Facts) -> Flag | None:
    """Fewer than half the target sessions over the last 4 weeks (ACSM frequency, Garber 2011)."""
    if facts.adherence is None or facts.adherence >= LOW_ADHERENCE:
        return None
    return Flag(
        "low_adherence",
        f"Only {facts.adherence:.0%} of the target sessions ({facts.target:.0f} a week) were "
        "done over the last 4 weeks. Ask what gets in the way; a shorter routine may fit better.",
    )


# The flags in the order a clinician reads them; each rule returns a Flag or None.
FLAG_RULES: tuple[Callable[[_Facts], Flag | None], ...] = (
    _no_improvement,
    _high_pain,
    _rising_morning_pain,
    _outcome_worse,
    _low_adherence,
)
