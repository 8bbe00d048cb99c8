"""Doses and their seconds: the one time function, and the doses the planner may choose.

An item's time is counted step by step (:func:`timed_steps`): getting into position, every set
and side, every held rep with the seconds to get into and out of it, and the rests between
sets. The guided session counts down exactly these steps, and :func:`dose_seconds` is their
sum, so the plan and the countdown never disagree. Item times are whole multiples of
TIME_UNIT_S, so the planner's model can count time exactly in 5-s units.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from backlib.catalog import Exercise
from backlib.constants import SEVERE_PAIN
from backlib.plan.steps import Dose, start_dose, step_down, step_size

# Seconds allowed between items to get into position (part of every item's time).
TRANSITION_S = 10
# Item times are whole multiples of this many seconds, so the planner can count in 5-s units.
TIME_UNIT_S = 5
# Categories whose duration is continuous activity: the planner may lengthen it (within
# CONTINUOUS_SHARE_MAX of the session) to use the time, instead of raising any other dose.
CONTINUOUS_CATEGORIES = frozenset({"cardio", "relaxation"})
# How far below its start dose a tight budget may take an item: one step (a design choice: a
# shorter routine beats token doses such as 4 reps or 10-s stretches).
MAX_STEPS_DOWN = 1
# The largest share of a session one continuous activity may take (a design choice, U: walking
# or cycling is a part of a back-pain session, not the whole of it).
CONTINUOUS_SHARE_MAX = 0.4


@dataclass(frozen=True)
class TimedStep:
    """One interval of an item: what to do and for how many seconds."""

    label: str
    seconds: float
    kind: str  # "position", "work", "hold", "reset" or "rest"


def timed_steps(
    exercise: Exercise,
    sets: int,
    reps: int | None = None,
    hold_s: int | None = None,
    duration_s: int | None = None,
) -> tuple[TimedStep, ...]:
    """The intervals of one dosed exercise, in order, as the guided session counts them down.

    Getting into position takes TRANSITION_S, plus whatever rounds the item's total up to a
    whole multiple of TIME_UNIT_S. Then, for each set and each side: a duration, or each held
    rep followed by the catalog's ``seconds_per_rep`` to come out of it and set up the next one,
    or the reps at the catalog's pace. The catalog's rest comes between sets.
    """
    dose = exercise.dose
    sides = ("left side", "right side") if dose.per_side else ("",)
    body: list[TimedStep] = []
    for set_number in range(1, sets + 1):
        set_label = f"Set {set_number} of {sets}" if sets > 1 else "Set 1 of 1"
        for side in sides:
            where = f"{set_label}, {side}" if side else set_label
            if duration_s is not None:
                body.append(TimedStep(f"{where}: keep going", float(duration_s), "work"))
            elif hold_s is not None:
                count = reps or 0
                for rep in range(1, count + 1):
                    body.append(TimedStep(f"{where}: hold rep {rep} of {count}", hold_s, "hold"))
                    if dose.seconds_per_rep:
                        label = "Release and get ready" if rep < count else "Release"
                        body.append(TimedStep(label, dose.seconds_per_rep, "reset"))
            else:
                seconds = (reps or 0) * dose.seconds_per_rep
                body.append(TimedStep(f"{where}: {reps} reps, steady pace", seconds, "work"))
        if set_number < sets and dose.rest_s:
            body.append(TimedStep("Rest", float(dose.rest_s), "rest"))
    work = sum(step.seconds for step in body)
    total = TIME_UNIT_S * math.ceil((work + TRANSITION_S) / TIME_UNIT_S - 1e-9)
    opening = TimedStep("Get into position", total - work, "position")
    return (opening, *body)


def dose_seconds(
    exercise: Exercise,
    sets: int,
    reps: int | None = None,
    hold_s: int | None = None,
    duration_s: int | None = None,
) -> int:
    """Seconds an item takes: the sum of its :func:`timed_steps`, a whole multiple of 5 s.

    sets × sides × (reps × (hold_s + seconds_per_rep) for held reps, reps × seconds_per_rep for
    moving reps, or duration_s), plus rests between sets and TRANSITION_S to get into position,
    rounded up: a routine's time is never under-counted.
    """
    steps = timed_steps(exercise, sets, reps, hold_s, duration_s)
    return round(sum(step.seconds for step in steps))


@dataclass(frozen=True)
class DoseOption:
    """One way to dose an exercise, its seconds, and how many steps it is from the start dose."""

    sets: int
    reps: int | None
    hold_s: int | None
    duration_s: int | None
    seconds: int
    steps: int


def is_continuous(exercise: Exercise) -> bool:
    """Walking, cycling, breathing: a duration the planner may lengthen to use the time."""
    return exercise.category in CONTINUOUS_CATEGORIES and exercise.dose.duration_s is not None


def dose_options(
    exercise: Exercise,
    level: str = "beginner",
    pain: int | None = None,
    fixed: Mapping[str, int] | None = None,
) -> tuple[DoseOption, ...]:
    """The doses the planner may choose for an exercise: its start dose, or less.

    The start dose is :func:`backlib.plan.steps.start_dose` for the level and today's pain, or
    the given ``fixed`` dose (a programme's progressed dose, with any variable it leaves out at
    the start dose), which is then the only option. Below the start dose, for a tight budget,
    the ladder goes MAX_STEPS_DOWN steps down (sets, then hold, then reps, as progression
    lowers a dose), never to token doses. A strength or stretch dose is
    never raised to fill time; only a continuous activity (:func:`is_continuous`) may be
    lengthened, a step at a time up to its range; the planner caps it at CONTINUOUS_SHARE_MAX of
    the session. ``steps`` is each rung's distance from the start. Of two rungs that take the
    same time the one nearer the start is kept.
    """
    start = start_dose(exercise, level, pain)
    dose: Dose = dict(start)
    for variable, value in (fixed or {}).items():
        if value is not None and dose.get(variable, None) is not None:
            dose[variable] = int(value)
    if pain is not None and pain >= SEVERE_PAIN:
        # A severe-pain day keeps today's pacing rules even for a programme's progressed dose.
        dose = {v: None if x is None else min(x, start[v] or x) for v, x in dose.items()}
    rungs: list[tuple[Dose, int]] = [(dose, 0)]
    current = dose
    # A programme's dose is the prescription: it is planned as given, never shortened for time.
    for steps in range(1, 1 + (0 if fixed else MAX_STEPS_DOWN)):
        lower, step = step_down(exercise, current)
        if step.variable is None:
            break
        rungs.append((lower, steps))
        current = lower
    if is_continuous(exercise) and not fixed:
        duration_range = exercise.dose.duration_s
        assert duration_range is not None
        size = step_size("duration_s", duration_range)
        value, steps = dose["duration_s"] or duration_range.default, 0
        while value + size <= duration_range.max:
            value, steps = value + size, steps + 1
            rungs.append(({**dose, "duration_s": value}, steps))
    options: dict[int, DoseOption] = {}
    for rung, steps in rungs:
        seconds = dose_seconds(
            exercise, rung["sets"] or 1, rung["reps"], rung["hold_s"], rung["duration_s"]
        )
        option = DoseOption(
            rung["sets"] or 1, rung["reps"], rung["hold_s"], rung["duration_s"], seconds, steps
        )
        if seconds not in options or option.steps < options[seconds].steps:
            options[seconds] = option
    return tuple(options[s] for s in sorted(options))


def start_option(
    exercise: Exercise,
    level: str = "beginner",
    pain: int | None = None,
    fixed: Mapping[str, int] | None = None,
) -> DoseOption:
    """The start dose (or the given programme dose) as a dose option with its seconds."""
    return next(o for o in dose_options(exercise, level, pain, fixed) if o.steps == 0)
