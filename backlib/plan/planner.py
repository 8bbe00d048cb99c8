"""plan_routine(): pain areas and a time budget in, a safe, well-dosed routine that fits out.

Steps: validate the request (RequestError naming the field), screen red flags (RedFlagError, no
routine), keep the exercises that are safe for this person (pain, level, equipment), give each a
ladder of dose options inside its reviewed range, then choose exercises, phases and doses
exactly with the solver of :mod:`backlib.plan.engine`, which maximises the objective written in
:mod:`backlib.plan.model` (coverage of the requested areas, mobility and strength pairing, a few
well-dosed relevant items) subject to the time budget, the 90 % fill and the 10–25 % warm-up and
cool-down shares (from 10 minutes), at most one use of each exercise, and a breathing or
relaxation item at severe pain. Same request and seed give the same routine; any other seed
gives a different routine whose score is within 5 % of the best.

Safety rules (Axler & McGill 1997, Les Mills, RUH Bath pacing): pain 7–10 keeps a gentle routine
(no high-impact, loaded-flexion or loaded-rotation work, holds cut by 20 %, a breathing/relaxation
item, and a session of at most 80 % of the asked time and 15 minutes); pain 4–6 excludes
high-impact work;
nobody gets an exercise above their level; only equipment the person has (none and mat always).
Decision support for exercise, not a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from backlib.catalog import Catalog
from backlib.constants import MODERATE_PAIN, STRUCTURED_MINUTES
from backlib.errors import RequestError
from backlib.plan.doses import dose_options
from backlib.plan.eligibility import catalog_cache
from backlib.plan.engine import solve
from backlib.plan.model import Candidate, Problem
from backlib.plan.notes import coverage_notes, exclusion_summary, stage_notes, unrelated_notes
from backlib.plan.purpose import describe_purpose
from backlib.plan.request import (
    Doses,
    PlanRequest,
    resolve_catalog,
    validate_doses,
    validate_request,
)
from backlib.plan.routine import Routine, RoutineItem
from backlib.screening import screen

# Order of items inside a phase: move first, then strengthen, then stretch, relax last.
_CATEGORY_ORDER = {
    "warmup": 0,
    "cardio": 1,
    "mobility": 2,
    "strength": 3,
    "stretch": 4,
    "relaxation": 5,
}
_PHASE_ORDER = {"warmup": 0, "main": 1, "cooldown": 2}


def plan_routine(
    areas: Iterable[str] | str,
    minutes: int,
    *,
    level: str = "beginner",
    pain: int | None = None,
    equipment: Iterable[str] | str = (),
    weight_kg: float | None = None,
    red_flags: Iterable[str] | Mapping[str, bool] = (),
    doses: Mapping[str, Mapping[str, int | None]] | None = None,
    seed: int = 0,
    catalog: Catalog | str | Path | None = None,
) -> Routine:
    """Plan a warm-up, main work and cool-down for the painful areas within the minutes given.

    Parameters
    ----------
    areas
        One or more of ``backlib.PAIN_AREAS`` (a single id is accepted too).
    minutes
        The time budget, a whole number of minutes from 5 to 90.
    level
        beginner, intermediate or advanced; nobody gets an exercise above their level.
    pain
        Today's pain, an integer 0-10 (None when not given). 7-10 gives a gentle, shorter
        routine; 4-6 leaves out high-impact work (pacing advice, RUH Bath).
    equipment
        Equipment at hand, from ``backlib.constants.EQUIPMENT``; none and mat are always assumed.
    weight_kg
        Body weight for the kcal estimate; None leaves ``Routine.kcal`` as None.
    red_flags
        Red-flag ids (``backlib.RED_FLAGS``) answered yes; any of them stops the plan.
    doses
        Exercise id -> {sets, reps, hold_s, duration_s} overriding the catalog default (the
        progression model feeds this); each value must lie in the exercise's range.
    seed
        0 gives the best routine; another seed a different near-best one (the Shuffle button).
    catalog
        A Catalog or a catalog file; None uses the packaged catalog (loaded once).

    Returns
    -------
    Routine
        Items in phase order with doses, seconds, reasons and stop rules, plus notes.

    Raises
    ------
    RedFlagError
        When a red flag is given: the message says where to seek care.
    RequestError
        For any invalid field, naming it and what is allowed.
    """
    # Screening first: a red flag stops the plan whatever else the request says (NICE CKS).
    screen(red_flags)
    request = validate_request(areas, minutes, level, pain, equipment, weight_kg, seed)
    cat = resolve_catalog(catalog)
    fixed = validate_doses(doses, cat)
    return _plan(request, fixed, cat, seed)


def _plan(request: PlanRequest, fixed: Doses, catalog: Catalog, seed: int) -> Routine:
    notes: list[str] = []
    budget_s = request.budget_s
    if request.severe:
        notes.append(
            f"Pain is {request.pain}/10, so this is a gentle routine of at most "
            f"{budget_s // 60} min {budget_s % 60:02d} s instead of {request.minutes} min: start "
            "about 20 % below what you can manage and build up once the pain settles "
            "(pacing). Holds are shorter and a breathing or relaxation exercise is included."
        )
    elif request.pain is not None and request.pain >= MODERATE_PAIN:
        notes.append(
            f"Pain is {request.pain}/10, so high-impact exercises (jumping, jogging) are left out."
        )
    cache = catalog_cache(catalog)
    indices = cache.eligible(request)
    eligible = [cache.exercises[i] for i in indices]
    standard = cache.options(request.severe)
    options = tuple(
        dose_options(cache.exercises[i], request.severe, fixed[cache.exercises[i].id])
        if cache.exercises[i].id in fixed
        else standard[i]
        for i in indices
    )
    for exercise in eligible:
        override = fixed.get(exercise.id, {})
        if request.severe and ("hold_s" in override or "duration_s" in override):
            notes.append(
                f"{exercise.name}: the prescribed hold is shortened today because of severe pain."
            )
    structured = budget_s >= STRUCTURED_MINUTES * 60
    problem = Problem(
        exercises=tuple(eligible),
        options=options,
        areas=request.areas,
        budget_s=budget_s,
        structured=structured,
        need_relaxation=request.severe,
        gentle=request.severe,
    )
    solution = solve(problem, seed)
    if solution is None:
        raise RequestError(
            "no exercise in the catalog fits this request (check equipment, level and pain): "
            + exclusion_summary(catalog, request)
        )
    items = _items(problem, solution.selection)
    notes += stage_notes(problem, solution.stage, request)
    notes += coverage_notes(problem, items, catalog, request)
    notes += unrelated_notes(items, request)
    return Routine(
        items=items,
        areas=request.areas,
        minutes=request.minutes,
        level=request.level,
        pain=request.pain,
        equipment=request.equipment,
        weight_kg=request.weight_kg,
        seed=seed,
        notes=tuple(notes),
    )


def _items(problem: Problem, selection: tuple[Candidate, ...]) -> tuple[RoutineItem, ...]:
    def order(candidate: Candidate) -> tuple[int, int, int]:
        exercise = problem.exercises[candidate.exercise]
        return (
            _PHASE_ORDER[candidate.phase],
            _CATEGORY_ORDER.get(exercise.category, 9),
            candidate.exercise,
        )

    items = []
    for candidate in sorted(selection, key=order):
        exercise = problem.exercises[candidate.exercise]
        option = candidate.option
        items.append(
            RoutineItem(
                exercise=exercise,
                phase=candidate.phase,
                sets=option.sets,
                reps=option.reps,
                hold_s=option.hold_s,
                duration_s=option.duration_s,
                per_side=exercise.dose.per_side,
                seconds=option.seconds,
                why=describe_purpose(exercise, candidate.phase, problem.areas),
            )
        )
    return tuple(items)
