"""The dose grammar: one variable moved one step, and the dose a first plan starts from.

The planner and the pain-monitoring model (backlib.progression) move doses with the same steps,
so a plan's start dose and a progressed dose speak one language: reps by 2, sets by 1, brief
holds by 1 s, longer holds by 5 s, timed work by 10 s or a minute.
"""

from __future__ import annotations

from dataclasses import dataclass

from backlib.catalog import DoseRange, Exercise
from backlib.constants import (
    DOSE_VARIABLES,
    DURATION_STEP_S,
    HOLD_STEP_S,
    LEVELS,
    MODERATE_PAIN,
    PACING_REDUCTION,
    REPS_STEP,
    SETS_STEP,
    SEVERE_PAIN,
    SHORT_DURATION_MAX_S,
    SHORT_DURATION_STEP_S,
    SHORT_HOLD_MAX_S,
    SHORT_HOLD_STEP_S,
)

# A dose as plain values: sets, reps, hold_s, duration_s (None where the exercise has no such
# variable).
Dose = dict[str, int | None]

# The order variables are raised in (a design choice, U: "one variable at a time"); lowered in
# reverse.
REPS_ORDER = ("reps", "hold_s", "sets")
DURATION_ORDER = ("duration_s", "sets")
# Categories whose hold or duration is a static position that severe pain shortens (pacing,
# RUH Bath pain clinic).
STATIC_CATEGORIES = frozenset({"stretch", "strength"})
# Categories whose start dose rises with the person's training level (resistance training by
# training status, Ratamess 2009); stretches, mobility and breathing do not.
LEVELLED_CATEGORIES = frozenset({"strength"})


def step_size(variable: str, dose_range: DoseRange) -> int:
    """How far one progression step moves a dose variable (Silbernagel 2007, ACSM, McGill)."""
    if variable == "reps":
        return REPS_STEP  # +/-2 reps (ACSM; Silbernagel 2020: 3x10-15 -> 3x15)
    if variable == "sets":
        return SETS_STEP  # +/-1 set (ACSM 2-4 sets)
    if variable == "hold_s":
        # brief endurance holds (McGill) by 1 s; stretch holds of 10-30 s by 5 s (ACSM)
        return SHORT_HOLD_STEP_S if dose_range.max <= SHORT_HOLD_MAX_S else HOLD_STEP_S
    if variable == "duration_s":
        # timed work up to 3 min (plank, Bournemouth Uni) by 10 s; continuous minutes by 1 min (U)
        return SHORT_DURATION_STEP_S if dose_range.max <= SHORT_DURATION_MAX_S else DURATION_STEP_S
    raise ValueError(f"unknown dose variable {variable!r}; allowed: {', '.join(DOSE_VARIABLES)}")


@dataclass(frozen=True)
class Step:
    """One variable moved one step: which, from what, to what (None: no room left)."""

    variable: str | None
    before: int | None
    after: int | None


def _order(exercise: Exercise) -> tuple[str, ...]:
    return DURATION_ORDER if exercise.dose.duration_s is not None else REPS_ORDER


def step_up(exercise: Exercise, dose: Dose) -> tuple[Dose, Step]:
    """Raise the first variable with room (reps, hold, sets; or duration, sets) by one step."""
    for variable in _order(exercise):
        found = _moved(exercise, dose, variable, +1)
        if found is not None:
            return found
    return dict(dose), Step(None, None, None)


def step_down(exercise: Exercise, dose: Dose) -> tuple[Dose, Step]:
    """Lower one variable by one step, undoing progression in reverse (sets, hold, reps)."""
    for variable in reversed(_order(exercise)):
        found = _moved(exercise, dose, variable, -1)
        if found is not None:
            return found
    return dict(dose), Step(None, None, None)


def _moved(exercise: Exercise, dose: Dose, variable: str, sign: int) -> tuple[Dose, Step] | None:
    dose_range = getattr(exercise.dose, variable)
    value = dose.get(variable)
    if dose_range is None or value is None:
        return None
    target = dose_range.clamp(value + sign * step_size(variable, dose_range))
    if target == value:
        return None
    return {**dose, variable: target}, Step(variable, value, target)


def flare_up_dose(exercise: Exercise, dose: Dose) -> Dose:
    """A programme's dose for a flare-up day: half the sets, or else half the reps or the
    duration, never below the catalog minimum (flare-up mode: "halve sets/reps"; a design
    suggestion after the NHS flare-up leaflets, status U). Holds are cut by the pacing rule
    before this (start_dose at severe pain)."""
    eased = dict(dose)
    sets = eased.get("sets")
    if sets is not None and sets > 1:
        eased["sets"] = exercise.dose.sets.clamp(sets // 2)
        return eased
    for variable in ("reps", "duration_s"):
        dose_range = getattr(exercise.dose, variable)
        value = eased.get(variable)
        if dose_range is not None and value is not None:
            eased[variable] = dose_range.clamp(-(-value // 2))  # half, rounded up
            return eased
    return eased


def default_dose(exercise: Exercise) -> Dose:
    """The catalog's default dose of an exercise."""
    return {
        variable: (None if (found := getattr(exercise.dose, variable)) is None else found.default)
        for variable in DOSE_VARIABLES
    }


def level_steps(level: str, exercise: Exercise) -> int:
    """Progression steps a person of ``level`` starts above an exercise's default dose.

    An exercise's default is pitched at its own level: a person one level above it starts one
    step higher, two levels above, two steps (Ratamess 2009: novice, intermediate and advanced
    training status), within the range.
    """
    return max(0, LEVELS.index(level) - LEVELS.index(exercise.level))


def start_dose(exercise: Exercise, level: str = "beginner", pain: int | None = None) -> Dose:
    """The dose a first plan starts from: start low, follow the level and today's pain.

    A beginner gets the catalog default and never more; intermediate and advanced start one or
    two steps higher on strength work (:func:`level_steps`; Ratamess 2009), while stretches keep
    the about-a-minute volume ACSM gives every level (Garber 2011). At pain 4-6 nothing starts
    above the default (no level steps: pacing, RUH Bath pain clinic). At pain 7-10 sets and reps
    stay at most the default, and holds and static durations are cut by 20 % (RUH Bath pacing),
    to a whole step.
    """
    dose = default_dose(exercise)
    if pain is None or pain < MODERATE_PAIN:
        steps = level_steps(level, exercise) if exercise.category in LEVELLED_CATEGORIES else 0
        for _ in range(steps):
            dose, _step = step_up(exercise, dose)
        return dose
    if pain >= SEVERE_PAIN:
        static = exercise.category in STATIC_CATEGORIES
        for variable in ("hold_s", "duration_s") if static else ("hold_s",):
            dose_range = getattr(exercise.dose, variable)
            if dose_range is not None and dose[variable] is not None:
                dose[variable] = shortened(variable, dose_range)
    return dose


def shortened(variable: str, dose_range: DoseRange) -> int:
    """A hold or static duration cut by the pacing reduction, down to a whole step, in range."""
    step = step_size(variable, dose_range)
    cut = dose_range.default * (1 - PACING_REDUCTION)  # 20 % below (RUH Bath pain clinic)
    value = int(cut // step * step) if cut >= step else int(cut)
    return dose_range.clamp(min(value, dose_range.default))
