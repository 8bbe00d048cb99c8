"""Pain-guided progression: logged sessions -> the next doses (progress, hold or regress).

The rules are the pain-monitoring model (Silbernagel 2007) as clinical summaries render it for a
pain log, with design choices (status U) where they stop. A physiotherapist should be able to
check them here line by line:

Each session with an exercise gets a zone (:func:`session_zone`):

- RED: pain during above 5/10, or pain after above 5/10, or next-morning pain 2 or more points
  above the pain before the session (Silbernagel 2007; the +2 is a design choice, U);
- GREEN: pain during and after 3/10 or less, and next-morning pain not above the pain before
  (Silbernagel 2007; the app decision rule's "after 4-5 holds" is a design choice, U);
- AMBER: anything else with all four scores known, i.e. pain during or after 4-5/10, or
  next-morning pain 1 point above the pain before (Silbernagel 2007 acceptable zone: "repeat the
  same dose");
- UNKNOWN: not RED, but a score needed for GREEN is missing (e.g. the next morning not logged).

Each exercise then gets a decision (:func:`decide_doses`), first rule that applies wins:

1. not done in the last 4 weeks (STALE_DAYS), counted back from today when given (else from the
   latest session) -> hold, even after a RED session: an old log makes no current decision
   (Guy's & St Thomas': start from what you have recently managed);
2. its latest session is RED at a dose other than the current one (``current`` given): hold when
   the dose has been lowered since, or when the session, done at a lower (a bad day's) dose,
   left the pain no worse than it started (NHS inform: stop only if symptoms worsen);
   otherwise, or when next-morning pain has risen week on week (Silbernagel 2007) ->
   regress one variable one step; at the bottom of the catalog range, suggest the easier variant
   when it suits the person's level and today's pain;
3. fewer than 2 sessions with it, or the latest dose not completed (ACSM: raise the load once the
   target is completed) -> hold;
4. GREEN in both of its last 2 sessions (both at the current dose, when given) -> progress one
   variable one step (reps, then hold, then sets; duration, then sets); at the top of the range,
   suggest the harder variant when it suits the person's level and today's pain;
5. otherwise (AMBER or UNKNOWN) -> hold, saying which score kept it from progressing.

Every reason is written for the patient: what their pain did and what changes, by the
exercise's name, never a zone code or an id.

A missing next-morning score never counts as settled: the exercise is held (not regressed) until
the next morning is logged. Decision support for exercise, not a diagnosis; the model was tested
in tendon pain, not in low back pain (Silbernagel 2007; status U for back pain).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol

import pandas as pd

from backlib.catalog import Catalog, Exercise, describe_dose, duration_words, load_catalog
from backlib.constants import (
    DOSE_VARIABLES,
    LEVEL_ALLOWS,
    NEXT_MORNING_RISE_REGRESS,
    PAIN_AFTER_ACCEPTABLE_MAX,
    PAIN_DURING_ACCEPTABLE_MAX,
    PAIN_DURING_SAFE_MAX,
    RECENT_SESSIONS,
    SESSION_GROWTH_MAX,
    STALE_DAYS,
)
from backlib.errors import RequestError
from backlib.labels import DECISION_DONE_WORDS, DOSE_LABELS
from backlib.plan.doses import dose_seconds
from backlib.plan.eligibility import exclusion_reason, pain_ceiling
from backlib.plan.request import PlanRequest
from backlib.plan.steps import Dose, Step, step_down, step_up
from backlib.programme import Programme, ProgrammeItem
from backlib.progress.frames import float_or_none, pain_column, require_columns
from backlib.progress.weekly import next_morning_rising, weekly_summary

GREEN, AMBER, RED, UNKNOWN = "green", "amber", "red", "unknown"
PROGRESS, HOLD, REGRESS = "progress", "hold", "regress"

DECISION_COLUMNS = (
    "exercise_id",
    "name",
    "zone",
    "decision",
    "variable",
    "previous",
    "next",
    "sets",
    "reps",
    "hold_s",
    "duration_s",
    "variant",
    "reason",
    "sessions_considered",
    "last_done",
)
_ENTRY_NEEDS = ("session_id", "exercise_id", "completed")
_ENTRY_KEEP = ("session_id", "exercise_id", "completed", "pain_during")
_SESSION_NEEDS = (
    "session_id",
    "started_at",
    "pain_before",
    "pain_during",
    "pain_after",
    "pain_next_morning",
)


@dataclass(frozen=True)
class Decision:
    """The model's decision for one exercise: progress, hold or regress, the next dose and why.

    ``dose`` is the next dose (None when the exercise is not in the catalog, so no dose can be
    suggested); ``previous`` and ``next`` are the doses in words; ``variable`` names the one
    variable that moves ("" when none); ``variant`` is a harder or easier exercise to try.
    """

    exercise_id: str
    name: str
    zone: str
    decision: str
    variable: str
    previous: str
    next: str
    dose: Dose | None
    variant: str
    reason: str
    sessions_considered: int
    last_done: pd.Timestamp

    def row(self) -> dict[str, Any]:
        """The decision as one row of the decisions table (DECISION_COLUMNS)."""
        values = self.dose or dict.fromkeys(DOSE_VARIABLES)
        return {
            "exercise_id": self.exercise_id,
            "name": self.name,
            "zone": self.zone,
            "decision": self.decision,
            "variable": self.variable,
            "previous": self.previous,
            "next": self.next,
            **{key: values[key] for key in DOSE_VARIABLES},
            "variant": self.variant,
            "reason": self.reason,
            "sessions_considered": self.sessions_considered,
            "last_done": self.last_done,
        }


class ProgrammeSource(Protocol):
    """What next_programme needs from a store: the programme, sessions and entries frames."""

    def programme(self, patient_id: str) -> Programme | None: ...

    def sessions(self, patient_id: str | None = None) -> pd.DataFrame: ...

    def entries(self, patient_id: str | None = None) -> pd.DataFrame: ...


class SessionSource(Protocol):
    """What next_doses needs from a store: the sessions and entries frames of a patient."""

    def sessions(self, patient_id: str | None = None) -> pd.DataFrame: ...

    def entries(self, patient_id: str | None = None) -> pd.DataFrame: ...


# --------------------------------------------------------------------------- zones


def session_zone(
    pain_before: float | None,
    pain_during: float | None,
    pain_after: float | None,
    pain_next_morning: float | None,
) -> tuple[str, list[str]]:
    """The pain-monitoring zone of one session with an exercise, and why.

    Parameters
    ----------
    pain_before, pain_during, pain_after, pain_next_morning
        0-10 scores; None or NaN when not recorded. ``pain_during`` is the exercise's own
        score when logged, else the session's.

    Returns
    -------
    (zone, reasons)
        ``zone`` is "green", "amber", "red" or "unknown"; ``reasons`` are short phrases.
    """
    before, during, after, morning = (
        float_or_none(v) for v in (pain_before, pain_during, pain_after, pain_next_morning)
    )
    red = []
    if during is not None and during > PAIN_DURING_ACCEPTABLE_MAX:  # > 5 unacceptable (Silbernagel)
        red.append(f"pain during {during:g}/10 is above {PAIN_DURING_ACCEPTABLE_MAX}")
    if after is not None and after > PAIN_AFTER_ACCEPTABLE_MAX:  # after may reach 5 (Silbernagel)
        red.append(f"pain after {after:g}/10 is above {PAIN_AFTER_ACCEPTABLE_MAX}")
    if (
        morning is not None
        and before is not None
        and morning - before >= NEXT_MORNING_RISE_REGRESS  # +2 -> regress (a design choice, U)
    ):
        red.append(
            f"next-morning pain {morning:g}/10 is {morning - before:g} above "
            f"the pain before ({before:g}/10)"
        )
    if red:
        return RED, red
    missing = [
        name
        for name, value in (
            ("pain during", during),
            ("pain after", after),
            ("pain before", before),
            ("next-morning pain", morning),
        )
        if value is None
    ]
    if missing:
        return UNKNOWN, [f"{', '.join(missing)} not recorded"]
    amber = []
    if during > PAIN_DURING_SAFE_MAX:  # 4-5 is the acceptable zone: hold (Silbernagel 2007)
        amber.append(f"pain during {during:g}/10 is in the acceptable 4-5 zone")
    if after > PAIN_DURING_SAFE_MAX:  # after 4-5 also holds the dose (a design choice, U)
        amber.append(f"pain after {after:g}/10 is in the acceptable 4-5 zone")
    if morning > before:  # not settled by the next morning (Silbernagel 2007 24-hour rule)
        amber.append(
            f"next-morning pain {morning:g}/10 is {morning - before:g} above the pain before "
            f"({before:g}/10): not fully settled"
        )
    if amber:
        return AMBER, amber
    return GREEN, [
        f"pain during {during:g} and after {after:g} stayed at {PAIN_DURING_SAFE_MAX}/10 or "
        f"less and had settled by the next morning ({morning:g})"
    ]


def current_dose(exercise: Exercise, last_entry: Mapping[str, Any] | None = None) -> Dose:
    """The dose last prescribed (else last done, else the catalog default), held in range."""
    logged: dict[str, float | None] = {}
    for variable in DOSE_VARIABLES:
        logged[variable] = None
        for column in (f"prescribed_{variable}", f"done_{variable}"):
            if last_entry is not None and logged[variable] is None:
                logged[variable] = float_or_none(last_entry.get(column))
    return _in_range(exercise, logged)


def _in_range(exercise: Exercise, dose: Mapping[str, Any]) -> Dose:
    """A given dose with every variable the exercise is dosed by, held in its catalog range."""
    held: Dose = {}
    for variable in DOSE_VARIABLES:
        dose_range = getattr(exercise.dose, variable)
        value = dose.get(variable)
        held[variable] = (
            None
            if dose_range is None
            else dose_range.clamp(dose_range.default if value is None else round(value))
        )
    return held


def _done_at(record: Mapping[str, Any], dose: Dose) -> Dose:
    """The dose an entry was prescribed, with the given dose's values where it recorded none."""
    return {**dose, **_known(_prescribed(record))}


def _prescribed(record: Mapping[str, Any]) -> Dose:
    """The dose an entry was prescribed (None where not recorded), as whole numbers."""
    values = {}
    for variable in DOSE_VARIABLES:
        value = float_or_none(record.get(f"prescribed_{variable}"))
        values[variable] = None if value is None else round(value)
    return values


def _known(dose: Mapping[str, Any]) -> Dose:
    """Only the variables a dose records."""
    return {key: value for key, value in dose.items() if value is not None}


def _seconds(exercise: Exercise, dose: Mapping[str, Any]) -> int:
    """A dose's planned seconds, by the one time function."""
    return dose_seconds(
        exercise,
        dose.get("sets") or 1,
        dose.get("reps"),
        dose.get("hold_s"),
        dose.get("duration_s"),
    )


def _worse_than_before(record: Mapping[str, Any]) -> bool:
    """Pain during, right after or the next morning above the pain the session started at
    (unknown start: counted as worse, so the model's usual rule applies)."""
    before = float_or_none(record.get("s_before"))
    if before is None:
        return True
    later = [float_or_none(record.get(key)) for key in ("during", "s_after", "s_morning")]
    return any(value is not None and value > before for value in later)


def _completed(value: Any) -> bool | None:
    """True/False as logged; None when unknown (then the store's default, 'as prescribed')."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return bool(value)


def _dose_text(exercise: Exercise, dose: Dose) -> str:
    return describe_dose(
        dose["sets"], dose["reps"], dose["hold_s"], dose["duration_s"], exercise.dose.per_side
    )


# --------------------------------------------------------------------------- decisions

# How the reason of an exercise not done for weeks begins (rule 1): a later rule that must leave
# those holds alone finds them by it.
NOT_DONE_FOR = "Not done for"


def decide_doses(
    sessions: pd.DataFrame,
    entries: pd.DataFrame,
    catalog: Catalog,
    *,
    today: dt.date | None = None,
    level: str | None = None,
    pain: int | None = None,
    exercises: Iterable[str] | None = None,
    current: Mapping[str, Dose] | None = None,
    request: PlanRequest | None = None,
) -> tuple[dict[str, Dose], pd.DataFrame]:
    """Next doses for every exercise a patient has done, by the rules in this module's docstring.

    Parameters
    ----------
    sessions, entries
        One patient's ``Store.sessions(...)`` and ``Store.entries(...)`` frames.
    catalog
        Gives each exercise's dose range and its harder/easier variants.
    current
        The doses the patient is on now (a programme's): each decision starts from these, not
        from the dose last logged, and a step up needs the last sessions to have been done at
        this dose (a dose changed by hand, or eased for a bad day, proves nothing yet).
    request
        When given, a suggested variant must also pass the planner's safety rules for it
        (conditions, equipment, level, pain), not only the level and pain.

    Returns
    -------
    (doses, decisions)
        ``doses`` maps exercise id -> {"sets", "reps", "hold_s", "duration_s"} (None where the
        exercise has no such variable), always inside the catalog range: pass it to
        ``plan_routine(doses=...)``. ``decisions`` has one row per exercise with columns
        ``exercise_id``, ``name``, ``zone``, ``decision`` (progress | hold | regress),
        ``variable`` (the one that moves, "" if none), ``previous`` and ``next`` (dose in
        words), the next ``sets``/``reps``/``hold_s``/``duration_s``, ``variant`` (a harder or
        easier catalog exercise to try, "" if none), ``reason``, ``sessions_considered`` and
        ``last_done``; most recently done first.
    """
    require_columns(sessions, _SESSION_NEEDS, "sessions")
    require_columns(entries, _ENTRY_NEEDS, "entries")
    if entries.empty or sessions.empty:
        return {}, _empty_decisions()
    rising = next_morning_rising(weekly_summary(sessions))
    session_ids = sessions["session_id"].to_numpy()
    started = pd.Series(pd.to_datetime(sessions["started_at"]).to_numpy(), index=session_ids)
    when = entries["session_id"].map(started)
    wanted = [
        c for c in entries.columns if c in _ENTRY_KEEP or c.startswith(("prescribed_", "done_"))
    ]
    rows = entries.loc[when.notna(), wanted].assign(session_started_at=when[when.notna()])
    if rows.empty:
        return {}, _empty_decisions()
    # Oldest first; a stable sort keeps the entry order within a session.
    rows = rows.sort_values("session_started_at", kind="stable")
    # One row per session and exercise (the last, if an exercise appears twice in a session).
    rows = rows.drop_duplicates(["session_id", "exercise_id"], keep="last")
    # Rules are measured from today when it is given (how long since an exercise was last done),
    # else from the latest session.
    latest_day = pd.Timestamp(today) if today is not None else rows["session_started_at"].iloc[-1]
    if exercises is not None:
        wanted_ids = set(exercises)
        rows = rows[rows["exercise_id"].isin(wanted_ids)]
        if rows.empty:
            return {}, _empty_decisions()

    def suits(variant_id: str | None) -> bool:
        """A variant to suggest exists and suits the person's level and today's pain (and,
        with a request, every rule the planner applies: conditions and equipment too)."""
        if not variant_id or variant_id not in catalog:
            return False
        variant = catalog[variant_id]
        if request is not None:
            return exclusion_reason(variant, replace(request, pain=pain)) is None
        if level is not None and variant.level not in LEVEL_ALLOWS[level]:
            return False
        return pain is None or pain <= pain_ceiling(variant)

    recent = rows.groupby("exercise_id", sort=False).tail(RECENT_SESSIONS)
    for column, name in (
        ("pain_before", "s_before"),
        ("pain_during", "s_during"),
        ("pain_after", "s_after"),
        ("pain_next_morning", "s_morning"),
    ):
        scores = pd.Series(pain_column(sessions, column).to_numpy(), index=session_ids)
        recent[name] = recent["session_id"].map(scores).to_numpy(dtype=float)
    own = (
        pain_column(recent, "pain_during")
        if "pain_during" in recent.columns
        else recent["s_during"]
    )
    recent["during"] = own.fillna(recent["s_during"])
    groups: dict[str, list[dict[str, Any]]] = {}
    for record in recent.to_dict("records"):
        groups.setdefault(record["exercise_id"], []).append(record)

    made = [
        _decide_one(
            exercise_id,
            group,
            catalog,
            rising,
            latest_day,
            suits,
            None if current is None else current.get(exercise_id),
        )
        for exercise_id, group in groups.items()
    ]
    doses = {d.exercise_id: dict(d.dose) for d in made if d.dose is not None}
    decisions = pd.DataFrame([d.row() for d in made], columns=list(DECISION_COLUMNS))
    for key in DOSE_VARIABLES:
        decisions[key] = decisions[key].astype("Int64")
    decisions = decisions.sort_values(
        ["last_done", "exercise_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
    return doses, decisions


def _empty_decisions() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in DECISION_COLUMNS})


def _decide_one(
    exercise_id: str,
    group: list[dict[str, Any]],
    catalog: Catalog,
    rising: bool,
    latest_day: pd.Timestamp,
    suits: Callable[[str | None], bool],
    current: Dose | None = None,
) -> Decision:
    last = group[-1]
    zones = [session_zone(r["s_before"], r["during"], r["s_after"], r["s_morning"]) for r in group]
    if exercise_id not in catalog:
        return Decision(
            exercise_id=exercise_id,
            name=exercise_id,
            zone=zones[-1][0],
            decision=HOLD,
            variable="",
            previous="",
            next="",
            dose=None,
            variant="",
            reason="Not in the current catalog: no dose suggested.",
            sessions_considered=len(group),
            last_done=last["session_started_at"],
        )
    exercise = catalog[exercise_id]
    dose = current_dose(exercise, last) if current is None else _in_range(exercise, current)
    zone, why = zones[-1]
    day = last["session_started_at"].strftime("%d %b %Y")

    def result(decision: str, new: Dose, step: Step, variant: str, reason: str) -> Decision:
        return Decision(
            exercise_id=exercise_id,
            name=exercise.name,
            zone=zone,
            decision=decision,
            variable=step.variable or "",
            previous=_dose_text(exercise, dose),
            next=_dose_text(exercise, new),
            dose=new,
            variant=variant,
            reason=reason,
            sessions_considered=len(group),
            last_done=last["session_started_at"],
        )

    unchanged = Step(None, None, None)
    # 1. Not done within the model's window: no current decision from an old log, whatever
    # zone it was in; repeat what was last managed (Guy's & St Thomas' pacing).
    idle = (latest_day - last["session_started_at"]).days
    if idle > STALE_DAYS:
        earlier = f" The last time, on {day}, {'; '.join(why)}." if zone == RED else ""
        return result(
            HOLD,
            dose,
            unchanged,
            "",
            f"{NOT_DONE_FOR} {idle // 7} weeks: repeat the last dose before stepping up, and "
            f"review it with your physiotherapist.{earlier}",
        )
    # 2a. RED at a dose other than today's: the programme has moved since. Done at a higher
    # dose (a clinician or a review has eased it since), that dose is already cut; done at a
    # bad day's eased dose with pain no worse than at the start, it was a flare-up the gentle
    # version did not add to (NHS inform: stop only if symptoms worsen). Either way, hold.
    if zone == RED and current is not None and not rising:
        done_at = _done_at(last, dose)
        if done_at != dose:
            if _seconds(exercise, done_at) > _seconds(exercise, dose):
                return result(
                    HOLD,
                    dose,
                    unchanged,
                    "",
                    f"On {day} {'; '.join(why)}, at {_dose_text(exercise, done_at)}; the dose "
                    "has been lowered since, so keep this one and see how it settles.",
                )
            if not _worse_than_before(last):
                start = float_or_none(last.get("s_before"))
                return result(
                    HOLD,
                    dose,
                    unchanged,
                    "",
                    f"On {day} your pain was already {start:g}/10 at the start, and this "
                    f"exercise, done at {_dose_text(exercise, done_at)}, did not make it worse: "
                    "keep your programme's dose.",
                )
    # 2. RED in the latest session, or a rising weekly trend: regress (Silbernagel 2007).
    if zone == RED or rising:
        cause = (
            f"On {day} {'; '.join(why)}"
            if zone == RED
            else "Your next-morning pain has risen week on week, which means the load is too high"
        )
        return _regress(exercise, dose, cause, result, catalog, suits)
    # 3. Too little evidence, or the last dose was not completed (ACSM: progress once completed).
    if len(group) < RECENT_SESSIONS:
        return result(
            HOLD,
            dose,
            unchanged,
            "",
            "Only one session with this exercise so far: repeat the dose once more before "
            "stepping up.",
        )
    if _completed(last.get("completed")) is False:
        return result(
            HOLD,
            dose,
            unchanged,
            "",
            f"The dose on {day} was not completed: repeat it until it is, then step up.",
        )
    # 4. GREEN twice at the current dose: progress one variable by one step (a design choice,
    # U). Sessions at another dose (before a change by hand, or a bad day's eased dose) say
    # nothing yet about this one (ACSM: raise the load once the target is completed).
    if all(z == GREEN for z, _ in zones):
        if current is not None and not all(_prescribed(r) == dose for r in group):
            return result(
                HOLD,
                dose,
                unchanged,
                "",
                f"Your pain settled, but the dose is now {_dose_text(exercise, dose)}: do it "
                f"in {RECENT_SESSIONS} sessions that settle before it steps up.",
            )
        return _progress(exercise, dose, result, catalog, suits)
    # 5. AMBER or unknown: hold (Silbernagel 2007).
    days = [r["session_started_at"].strftime("%d %b") for r in group]
    notes = [
        f"on {when} {'; '.join(w)}" for when, (z, w) in zip(days, zones, strict=True) if z != GREEN
    ]
    ask = any(z == UNKNOWN and "next-morning" in " ".join(w) for z, w in zones)
    tail = " Log next-morning pain so the exercise can step up." if ask else ""
    return result(HOLD, dose, unchanged, "", "Keep the same dose: " + "; ".join(notes) + "." + tail)


def _step_words(step: Step) -> str:
    """The one variable that moves, in words a patient reads: "hold 4 s → 5 s",
    "time 4 min → 5 min", "repetitions 8 → 10"."""
    if step.variable in ("hold_s", "duration_s"):
        label = "hold" if step.variable == "hold_s" else "time"
        return f"{label} {duration_words(step.before)} → {duration_words(step.after)}"
    label = {"reps": "repetitions", "sets": "sets"}.get(step.variable, DOSE_LABELS[step.variable])
    return f"{label} {step.before} → {step.after}"


def _progress(
    exercise: Exercise,
    dose: Dose,
    result: Callable[..., Decision],
    catalog: Catalog,
    suits: Callable[[str | None], bool],
) -> Decision:
    settled = (
        f"Your pain stayed low during and after it and had settled by the next morning in your "
        f"last {RECENT_SESSIONS} sessions"
    )
    new, step = step_up(exercise, dose)
    if step.variable is not None:
        return result(
            PROGRESS,
            new,
            step,
            "",
            f"{settled}, so it steps up: {_step_words(step)}.",
        )
    harder = exercise.dose.harder
    if suits(harder):
        return result(
            PROGRESS,
            dose,
            step,
            harder,
            f"{settled}, and the dose is at the top of its range, so try the harder version, "
            f"{catalog[harder].name}, at its starting dose.",
        )
    return result(
        HOLD,
        dose,
        step,
        "",
        f"{settled}, but the dose is at the top of its range and there is no harder version "
        "that suits you yet: keep this dose.",
    )


def _regress(
    exercise: Exercise,
    dose: Dose,
    cause: str,
    result: Callable[..., Decision],
    catalog: Catalog,
    suits: Callable[[str | None], bool],
) -> Decision:
    new, step = step_down(exercise, dose)
    if step.variable is not None:
        return result(
            REGRESS,
            new,
            step,
            "",
            f"{cause}, so this exercise eases off: {_step_words(step)}.",
        )
    easier = exercise.dose.easier
    if suits(easier):
        return result(
            REGRESS,
            dose,
            step,
            easier,
            f"{cause}, and the dose is already as low as it goes, so switch to the easier "
            f"version, {catalog[easier].name}.",
        )
    return result(
        REGRESS,
        dose,
        step,
        "",
        f"{cause}, and the dose is already as low as it goes with no easier version that "
        "suits you: consider leaving this exercise out and talk it over with your "
        "physiotherapist.",
    )


def next_doses(
    store: SessionSource, patient_id: str, catalog: Catalog | None = None
) -> tuple[dict[str, Dose], pd.DataFrame]:
    """The next doses for a patient, read from a store (see :func:`decide_doses`).

    Parameters
    ----------
    store
        Anything with ``sessions(patient_id)`` and ``entries(patient_id)`` returning the store's
        frames (a :class:`backlib.store.Store`).
    patient_id
        The patient's id.
    catalog
        Default: the store's own catalog (``store.catalog``) when it has one, else the packaged
        catalog.

    Returns
    -------
    (doses, decisions)
        As :func:`decide_doses`.
    """
    if catalog is None:
        catalog = getattr(store, "catalog", None) or load_catalog()
    return decide_doses(store.sessions(patient_id), store.entries(patient_id), catalog)


# --------------------------------------------------------------------------- the programme


def progress_programme(
    programme: Programme,
    sessions: pd.DataFrame,
    entries: pd.DataFrame,
    catalog: Catalog,
    *,
    today: dt.date | None = None,
    pain: int | None = None,
) -> tuple[Programme, pd.DataFrame]:
    """The programme's next version: the pain-monitoring model applied to its own items only.

    The same exercises in the same order; each dose moves from the programme's own dose by its
    decision (see :func:`decide_doses`, measured from ``today``), and a step up needs two settled
    sessions at that dose. No exercise is added, and when the latest session was painful (RED)
    nothing steps up, not even an exercise left out of it (a bad day's session leaves some
    out), so after a painful session the planned load can only fall. The session's planned
    time rises by at most SESSION_GROWTH_MAX at one review: step-ups beyond it wait their turn
    (the exercise longest at its dose first, then main work), and their reasons say so. A suggested
    harder or easier variant passes the planner's safety rules for this programme (level,
    conditions, equipment, the pain given) and is named in the decisions for the clinician to
    swap in. The new version's ``reason`` is "progressed" and its note counts what actually
    changed, in words.
    """
    doses, decisions = decide_doses(
        sessions,
        entries,
        catalog,
        today=today,
        level=programme.level,
        pain=pain,
        exercises=programme.exercise_ids,
        current=programme.doses(),
        request=programme.request(pain),
    )
    doses, decisions = _held_after_a_painful_session(
        programme, sessions, doses, decisions, catalog, today
    )
    items = tuple(
        replace(item, **{k: v for k, v in doses[item.exercise_id].items() if k in DOSE_VARIABLES})
        if item.exercise_id in doses
        else item
        for item in programme.items
    )
    items, decisions = _capped(
        programme.items,
        items,
        decisions,
        catalog,
        lambda: _at_dose_since(programme, sessions, entries),
    )
    note = (
        _changes_note(programme.items, items, catalog)
        if len(decisions)
        else "no sessions with these exercises yet: doses kept"
    )
    moved = replace(programme, items=items, reason="progressed", note=note)
    if pain is not None:
        moved = replace(moved, pain=pain)  # the pain this review was made at
    return moved, decisions


def _held_after_a_painful_session(
    programme: Programme,
    sessions: pd.DataFrame,
    doses: dict[str, Dose],
    decisions: pd.DataFrame,
    catalog: Catalog,
    today: dt.date | None,
) -> tuple[dict[str, Dose], pd.DataFrame]:
    """No step up after a RED latest session (Silbernagel 2007: reduce the load when pain
    exceeds the acceptable zone): what would progress holds at the programme's dose, and an
    exercise left out of that session holds for that reason (not for an older, settled one)."""
    latest = _latest_session(sessions, today)
    if latest is None or decisions.empty:
        return doses, decisions
    zone, why = session_zone(
        latest["pain_before"],
        latest["pain_during"],
        latest["pain_after"],
        latest["pain_next_morning"],
    )
    started = pd.Timestamp(latest["started_at"])
    reference = pd.Timestamp(today) if today is not None else started
    if zone != RED or (reference - started).days > STALE_DAYS:  # an old log decides nothing
        return doses, decisions
    day = started.strftime("%d %b %Y")
    doses, decisions = dict(doses), decisions.copy()
    left_out = pd.to_datetime(decisions["last_done"]) < started  # not done in that session
    stale = decisions["reason"].str.startswith(NOT_DONE_FOR)  # rule 1 holds for its reason
    for item in programme.items:
        this = decisions["exercise_id"] == item.exercise_id
        rows = decisions.index[
            this
            & ((decisions["decision"] == PROGRESS) | ((decisions["decision"] == HOLD) & left_out))
            & ~stale
        ]
        if rows.empty:
            continue
        exercise = catalog[item.exercise_id]
        kept = _in_range(exercise, item.dose())
        doses[item.exercise_id] = kept
        decisions.loc[rows, ["decision", "variable", "variant"]] = [HOLD, "", ""]
        decisions.loc[rows, "next"] = decisions.loc[rows, "previous"]
        for variable in DOSE_VARIABLES:
            decisions.loc[rows, variable] = kept[variable]
        decisions.loc[rows, "reason"] = (
            f"Your last session, on {day}, was painful ({'; '.join(why)}), so nothing steps up "
            "until a session settles: keep this dose."
        )
    return doses, decisions


def _up_to(sessions: pd.DataFrame, today: dt.date | None) -> pd.DataFrame:
    """The sessions started on or before `today` (all of them when None)."""
    if today is None:
        return sessions
    return sessions[
        pd.to_datetime(sessions["started_at"]) < pd.Timestamp(today) + pd.Timedelta(days=1)
    ]


def _latest_session(sessions: pd.DataFrame, today: dt.date | None) -> dict[str, Any] | None:
    """The patient's latest session up to today (any exercise), as a record."""
    rows = _up_to(sessions, today)
    if rows.empty:
        return None
    record = rows.sort_values("started_at", kind="stable").iloc[-1]
    return {
        column: float_or_none(record.get(column)) if column.startswith("pain_") else record[column]
        for column in _SESSION_NEEDS
    }


def _at_dose_since(
    programme: Programme, sessions: pd.DataFrame, entries: pd.DataFrame
) -> dict[str, pd.Timestamp]:
    """For each item, the first session of the run of latest sessions done at its current dose:
    how long it has waited at that dose."""
    if entries.empty or sessions.empty:
        return {}
    started = dict(zip(sessions["session_id"], pd.to_datetime(sessions["started_at"]), strict=True))
    doses = programme.doses()
    since: dict[str, pd.Timestamp] = {}
    records = entries[entries["exercise_id"].isin(doses)].to_dict("records")
    records.sort(key=lambda r: started.get(r["session_id"], pd.Timestamp.min))
    for record in records:
        exercise_id = record["exercise_id"]
        when = started.get(record["session_id"])
        if when is None:
            continue
        at_dose = _done_at(record, doses[exercise_id]) == doses[exercise_id]
        if not at_dose:
            since.pop(exercise_id, None)
        else:
            since.setdefault(exercise_id, when)
    return since


def _capped(
    before: tuple[ProgrammeItem, ...],
    after: tuple[ProgrammeItem, ...],
    decisions: pd.DataFrame,
    catalog: Catalog,
    since: Callable[[], Mapping[str, pd.Timestamp]] | None = None,
) -> tuple[tuple[ProgrammeItem, ...], pd.DataFrame]:
    """Step-ups kept only while the session grows by at most SESSION_GROWTH_MAX, the one that
    has waited longest at its dose first (then main work, in programme order), so each waits
    its turn and none is put off review after review; the others hold until the next review,
    and their reasons say so."""
    old = [item.seconds(catalog) for item in before]
    new = [item.seconds(catalog) for item in after]
    allowed = sum(old) * (1 + SESSION_GROWTH_MAX)  # add 2-10 % load at a time (Ratamess 2009)
    if sum(new) <= allowed:
        return after, decisions
    waited = since() if since is not None else {}  # read only when the cap binds
    rising = sorted(
        (k for k in range(len(after)) if new[k] > old[k]),
        key=lambda k: (
            waited.get(before[k].exercise_id, pd.Timestamp.max),
            after[k].phase != "main",
            k,
        ),
    )
    total = sum(new) - sum(new[k] - old[k] for k in rising)  # everything but the step-ups
    kept, decisions = list(after), decisions.copy()
    for k in rising:
        if total + new[k] - old[k] <= allowed:
            total += new[k] - old[k]
            continue
        kept[k] = before[k]
        row = decisions.index[decisions["exercise_id"] == before[k].exercise_id]
        decisions.loc[row, ["decision", "variable"]] = [HOLD, ""]
        decisions.loc[row, "next"] = decisions.loc[row, "previous"]
        for variable in DOSE_VARIABLES:
            decisions.loc[row, variable] = getattr(before[k], variable)
        decisions.loc[row, "reason"] = (
            "Your pain settled, so it is ready to step up; it waits its turn at a coming "
            "review, because a session grows by no more than a tenth at a time (the exercise "
            "that has waited longest goes first)."
        )
    return tuple(kept), decisions


def _changes_note(
    before: tuple[ProgrammeItem, ...], after: tuple[ProgrammeItem, ...], catalog: Catalog
) -> str:
    """What a review changed, counted from the doses themselves ("2 stepped up, 1 kept")."""
    counts = {PROGRESS: 0, HOLD: 0, REGRESS: 0}
    for old, new in zip(before, after, strict=True):
        change = new.seconds(catalog) - old.seconds(catalog)
        counts[PROGRESS if change > 0 else REGRESS if change < 0 else HOLD] += 1
    parts = [f"{n} {DECISION_DONE_WORDS[d]}" for d, n in counts.items() if n]
    return ", ".join(parts) if parts else "no exercises"


def next_programme(
    store: ProgrammeSource, patient_id: str, *, today: dt.date | None = None
) -> tuple[Programme, pd.DataFrame]:
    """The patient's current programme moved on by the pain-monitoring model (not yet saved).

    Measured from ``today``: an exercise not done in the model's window is held, and the reason
    says so. A harder or easier variant is suggested only when it suits the programme's level
    and the pain before the latest session.

    Raises
    ------
    RequestError
        When the patient has no programme yet (save one first).
    """
    programme = store.programme(patient_id)
    if programme is None:
        raise RequestError(
            f"patient_id={patient_id!r} has no programme yet: save one first", field="patient_id"
        )
    catalog = getattr(store, "catalog", None) or load_catalog()
    sessions = store.sessions(patient_id)
    return progress_programme(
        programme,
        sessions,
        store.entries(patient_id),
        catalog,
        today=today or dt.date.today(),
        pain=latest_pain(sessions, today),
    )


def latest_pain(sessions: pd.DataFrame, today: dt.date | None = None) -> int | None:
    """The pain before the latest session up to today (the patient's current pain, as far as
    the log knows), or None when none was recorded: a suggested variant must suit it."""
    if sessions.empty or "pain_before" not in sessions:
        return None
    rows = _up_to(sessions, today)
    known = rows.loc[rows["pain_before"].notna()].sort_values("started_at")
    return None if known.empty else int(known["pain_before"].iloc[-1])
