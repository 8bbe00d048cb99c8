"""Doses and their seconds: the time an item takes, and the ladder of doses the planner may use.

Every dose stays inside the exercise's reviewed range. Item times are whole multiples of
TIME_UNIT_S, so the planner's model can count time exactly in 5-s units.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from backlib.catalog import DoseRange, Exercise
from backlib.constants import PACING_REDUCTION

# Seconds allowed between items to get into position (part of every item's time).
TRANSITION_S = 10
# Item times are whole multiples of this many seconds, so the planner can count in 5-s units.
TIME_UNIT_S = 5


def dose_seconds(
    exercise: Exercise,
    sets: int,
    reps: int | None = None,
    hold_s: int | None = None,
    duration_s: int | None = None,
) -> int:
    """Seconds an item takes: sets × (one set's work) × 2 when per side, rests, a transition.

    One set's work is reps × hold_s for held reps, reps × seconds_per_rep for moving reps, or
    duration_s. Rest comes between sets (sets − 1 of them), and TRANSITION_S gets into position.
    The sum is rounded UP to a whole multiple of TIME_UNIT_S (5 s): the transition allowance
    absorbs the rounding (it becomes 10-14 s), so a routine's time is never under-counted and
    the planner's model, which counts in 5-s units, is exact.
    """
    dose = exercise.dose
    if duration_s is not None:
        work = float(duration_s)
    elif hold_s is not None:
        work = float(reps or 0) * hold_s
    else:
        work = float(reps or 0) * dose.seconds_per_rep
    sides = 2 if dose.per_side else 1
    total = sets * work * sides + dose.rest_s * (sets - 1) + TRANSITION_S
    return TIME_UNIT_S * math.ceil(total / TIME_UNIT_S - 1e-9)


# Categories whose hold or duration is a static position that severe pain shortens (pacing,
# RUH Bath pain clinic).
STATIC_CATEGORIES = frozenset({"stretch", "strength"})


@dataclass(frozen=True)
class DoseOption:
    """One way to dose an exercise, its seconds, and how many steps it is from the default."""

    sets: int
    reps: int | None
    hold_s: int | None
    duration_s: int | None
    seconds: int
    steps: int


def _levels_up(start: int, high: int) -> list[int]:
    """Values above ``start`` a dose climbs through: halfway to the top, then the top."""
    return sorted({v for v in (math.ceil((start + high) / 2), high) if v > start})


def _levels_down(start: int, low: int) -> list[int]:
    """Values below ``start`` a short dose uses: halfway to the bottom, then the bottom."""
    return sorted({v for v in ((low + start) // 2, low) if v < start}, reverse=True)


def _shortened(dose_range: DoseRange) -> int:
    """A hold cut by the pacing reduction, kept inside the range (RUH Bath pain clinic)."""
    return max(dose_range.min, math.floor(dose_range.default * (1 - PACING_REDUCTION)))


def dose_options(
    exercise: Exercise, severe: bool = False, fixed: Mapping[str, int] | None = None
) -> tuple[DoseOption, ...]:
    """The doses the planner may choose for an exercise, all inside its reviewed ranges.

    A ladder around the reviewed default whose every rung changes one variable (a design
    choice, U: progress one variable at a time): upwards reps (or duration), then the hold, then
    sets, in turn, each halfway to the top of its range and then to the top; downwards the
    reps (or duration) halfway to the bottom, then one set fewer, then the bottom. ``steps`` is
    the rung's distance from the default. Overridden fields stay fixed. At severe pain holds and
    static durations are cut by 20 % and never raised (RUH Bath pacing), overrides too.
    Of two rungs that take the same time the one nearer the default is kept.
    """
    fixed = dict(fixed or {})
    dose = exercise.dose
    sets = fixed.get("sets", dose.sets.default)
    sets_up = [] if "sets" in fixed else list(range(sets + 1, dose.sets.max + 1))
    sets_down = [] if "sets" in fixed or sets - 1 < dose.sets.min else [sets - 1]
    if dose.duration_s is not None:
        amount_range, field = dose.duration_s, "duration_s"
        shorten = severe and exercise.category in STATIC_CATEGORIES
    else:
        assert dose.reps is not None
        amount_range, field = dose.reps, "reps"
        shorten = False
    amount = fixed.get(field, amount_range.default)
    top = amount_range.max
    if shorten:
        top = _shortened(amount_range)
        amount = min(amount, top)
    amount_up = [] if field in fixed else _levels_up(amount, top)
    amount_down = [] if field in fixed else _levels_down(amount, amount_range.min)
    hold, hold_up = None, []
    if field == "reps" and dose.hold_s is not None:
        hold = fixed.get("hold_s", dose.hold_s.default)
        if severe:
            hold = min(hold, _shortened(dose.hold_s))
        elif "hold_s" not in fixed:
            hold_up = _levels_up(hold, dose.hold_s.max)

    rungs = [(sets, amount, hold, 0)]
    # Upwards: one variable per rung, in turn reps/duration, hold, sets.
    current = [sets, amount, hold]
    queues = {1: list(amount_up), 2: list(hold_up), 0: list(sets_up)}
    steps = 0
    while any(queues.values()):
        for slot in (1, 2, 0):
            if queues[slot]:
                current[slot] = queues[slot].pop(0)
                steps += 1
                rungs.append((current[0], current[1], current[2], steps))
    # Downwards: shorter versions for a tight budget.
    current = [sets, amount, hold]
    downs = [(1, v) for v in amount_down[:1]] + [(0, v) for v in sets_down]
    downs += [(1, v) for v in amount_down[1:]]
    for steps, (slot, value) in enumerate(downs, start=1):
        current[slot] = value
        rungs.append((current[0], current[1], current[2], steps))

    options: dict[int, DoseOption] = {}
    for rung_sets, rung_amount, rung_hold, rung_steps in rungs:
        reps = rung_amount if field == "reps" else None
        duration = rung_amount if field == "duration_s" else None
        seconds = dose_seconds(exercise, rung_sets, reps, rung_hold, duration)
        option = DoseOption(rung_sets, reps, rung_hold, duration, seconds, rung_steps)
        if seconds not in options or option.steps < options[seconds].steps:
            options[seconds] = option
    return tuple(options[s] for s in sorted(options))
