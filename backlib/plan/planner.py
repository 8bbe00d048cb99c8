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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np

from backlib.catalog import Catalog, Exercise
from backlib.constants import (
    CONDITION_PREFERS,
    MAX_ITEMS,
    MAX_ITEMS_BASE,
    MINUTES_PER_ITEM,
    SEVERE_PAIN,
    STRUCTURED_MINUTES,
)
from backlib.errors import RequestError
from backlib.plan.doses import CONTINUOUS_SHARE_MAX, DoseOption, dose_options, is_continuous
from backlib.plan.eligibility import catalog_cache, exclusion_reason
from backlib.plan.engine import (
    NEAR_BEST_FRACTION,
    Solution,
    own_score,
    replaceable,
    solve,
)
from backlib.plan.model import Problem, item_value, item_weight, place, with_an_opening
from backlib.plan.notes import (
    area_notes,
    condition_notes,
    coverage_notes,
    exclusion_summary,
    pain_notes,
    stage_notes,
    unrelated_notes,
)
from backlib.plan.order import ordered_items
from backlib.plan.request import (
    Doses,
    PlanRequest,
    resolve_catalog,
    validate_doses,
    validate_keep,
    validate_request,
)
from backlib.plan.routine import Routine, RoutineItem
from backlib.readiness import readiness as check_readiness
from backlib.screening import screen

# How many pairs, then single exercises, a shuffle tries leaving out (each is one re-plan).
_SHUFFLE_PAIRS, _SHUFFLE_SINGLES = 6, 2
# The most times a plan is solved again to keep two variants of one family out of a routine.
_FAMILY_ROUNDS = 8


def plan_routine(
    areas: Iterable[str] | str,
    minutes: int,
    *,
    level: str = "beginner",
    pain: int | None = None,
    equipment: Iterable[str] | str = (),
    conditions: Iterable[str] | str = (),
    weight_kg: float | None = None,
    red_flags: Iterable[str] | Mapping[str, bool] = (),
    cleared: Iterable[str] = (),
    age: int | None = None,
    readiness: Iterable[str] | Mapping[str, bool] = (),
    doses: Mapping[str, Mapping[str, int | None]] | None = None,
    keep: Iterable[str] | str = (),
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
        beginner, intermediate or advanced: nobody gets an exercise above their level, their own
        level is preferred, and doses start one step higher per level above an exercise's own.
    pain
        Today's pain, an integer 0-10 (None when not given). No exercise is planned above its
        ``pain_max``; at 4-6 doses start at the catalog default, at 7-10 the routine is gentle
        and shorter (pacing, RUH Bath pain clinic).
    equipment
        Equipment at hand, from ``backlib.constants.EQUIPMENT``; none and mat are always assumed.
    conditions
        Ids from ``backlib.CONDITIONS``; each rules out the cautions and positions it must
        avoid, and the notes say what was left out.
    weight_kg
        Body weight for the kcal estimate; None leaves ``Routine.kcal`` as None.
    red_flags
        Red-flag ids (``backlib.RED_FLAGS``) answered yes; any of them stops the plan unless a
        clinician has assessed it (``cleared``; emergency flags can never be cleared).
    cleared
        Red-flag ids below emergency level that a clinician has assessed: the plan goes ahead
        and its notes name them.
    age
        The person's age in years (optional): new back pain under 20 or over 50 is a red flag.
    readiness
        Readiness topics (``backlib.READINESS_TOPICS``) answered yes: the routine is planned as
        gently as at severe pain, and a note advises checking with a doctor first.
    doses
        Exercise id -> {sets, reps, hold_s, duration_s}: a programme's progressed doses; each
        value must lie in the exercise's range. Other exercises start at their start dose.
    keep
        Exercise ids that must stay in the routine (a patient's programme), when they suit
        today's pain and fit the time beside a warm-up, a cool-down and, at severe pain, a
        relaxation item (the fill and the phase shares give way); the notes name any that
        cannot.
    seed
        0 gives the best routine; another seed a near-best one that changes at least two
        exercises when the catalog allows (the Shuffle button).
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
    screened = screen(red_flags, age=age, areas=_area_names(areas), cleared=cleared)
    screened.raise_for_stop()
    ready = check_readiness(readiness)
    request = validate_request(
        areas, minutes, level, pain, equipment, weight_kg, seed, conditions, keep
    )
    cat = resolve_catalog(catalog)
    fixed = validate_doses(doses, cat)
    request = replace(request, keep=validate_keep(request.keep, cat))
    if ready.gentle:
        # Readiness: plan as gently as at severe pain until a doctor has been asked (PAR-Q+).
        request = replace(
            request,
            pain=max(request.pain or 0, SEVERE_PAIN),
            gentle_for=request.gentle_for or "Your readiness answers call for care",
        )
    routine = _plan(request, fixed, cat, seed)
    front = [
        note for note in (screened.cleared_note, ready.message if ready.gentle else None) if note
    ]
    if ready.gentle:
        routine = replace(routine, pain=pain)
    return replace(routine, notes=(*front, *routine.notes)) if front else routine


def _area_names(areas: Iterable[str] | str) -> tuple[str, ...]:
    """The areas as the screen needs them (their checks happen in validate_request)."""
    names = [areas] if isinstance(areas, str) else list(areas or ())
    return tuple(str(n).strip().lower().replace(" ", "_").replace("-", "_") for n in names)


def _plan(request: PlanRequest, fixed: Doses, catalog: Catalog, seed: int) -> Routine:
    cache = catalog_cache(catalog)
    indices = list(cache.eligible(request))
    standard = cache.options(request.level, request.pain)
    budget_s = request.budget_s
    options = {
        i: _request_options(cache.exercises[i], standard[i], request, fixed) for i in indices
    }
    kept_ids = request.keep
    preferred = frozenset().union(
        *(CONDITION_PREFERS.get(c, frozenset()) for c in request.conditions)
    )

    def problem_without(banned: set[int]) -> tuple[Problem, list[int]]:
        chosen = [i for i in indices if i not in banned]
        problem = Problem(
            exercises=tuple(cache.exercises[i] for i in chosen),
            options=tuple(options[i] for i in chosen),
            areas=request.areas,
            budget_s=budget_s,
            # Warm-up and cool-down whenever 10 minutes or more were asked, even when severe
            # pain shortens the session (pacing keeps the shape of a session).
            structured=request.minutes >= STRUCTURED_MINUTES,
            need_relaxation=request.severe,
            gentle=request.severe,
            level=request.level,
            kept=frozenset(k for k, i in enumerate(chosen) if cache.exercises[i].id in kept_ids),
            pain=request.pain,
            preferred=preferred,
        )
        return problem, chosen

    def best_without(
        banned: set[int], round_seed: int = 0, refill: bool = True
    ) -> tuple[Problem, Solution, list[int]]:
        """The best routine without the banned exercises (catalog-cache indices): solved again
        without the weaker variant while two variants of one movement clash, then held to
        max_items; also the cache index of each of the problem's exercises."""
        for _round in range(_FAMILY_ROUNDS):
            problem, chosen = problem_without(banned)
            solution = solve(problem, round_seed)
            if solution is None:
                raise RequestError(
                    "no exercise in the catalog fits this request (check equipment, level, "
                    "pain and conditions): " + exclusion_summary(catalog, request),
                    field="areas",
                )
            clash = _family_clashes(problem, solution)
            if not clash:
                break
            banned |= {chosen[k] for k in clash}
        limited = _at_most(max_items(request.minutes), problem, solution)
        if len(limited.selection) < len(solution.selection):
            if not refill:
                return problem, limited, chosen
            problem, solution, chosen = _refilled(problem, limited, chosen)
        return problem, solution, chosen

    banned = _weaker_variants(cache.exercises, indices, request)
    # best_without adds the clashing variants it finds to ``banned``: a shuffle starts from them.
    problem, solution, chosen = best_without(banned)
    if seed:
        problem, solution = _shuffled(
            problem, solution, chosen, banned, seed, best_without, request.keep
        )
    opened = with_an_opening(problem, solution.selection)
    items = ordered_items(problem, opened, request, catalog)
    notes = pain_notes(request, budget_s, items)
    notes += area_notes(request)
    notes += condition_notes(request, catalog, items)
    notes += _keep_notes(request, catalog, items)
    notes += stage_notes(problem, solution.stage, items, request)
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
        conditions=request.conditions,
    )


def _request_options(
    exercise: Exercise,
    standard: tuple[DoseOption, ...],
    request: PlanRequest,
    fixed: Doses,
) -> tuple[DoseOption, ...]:
    """An exercise's dose options for this request: its programme dose when given, and for a
    continuous activity no longer than CONTINUOUS_SHARE_MAX of the session."""
    found = (
        dose_options(exercise, request.level, request.pain, fixed[exercise.id])
        if exercise.id in fixed
        else standard
    )
    if not is_continuous(exercise):
        return found
    cap = CONTINUOUS_SHARE_MAX * request.budget_s
    capped = tuple(option for option in found if option.seconds <= cap)
    return capped or found[:1]


def _weaker_variants(
    exercises: tuple[Exercise, ...], indices: list[int], request: PlanRequest
) -> set[int]:
    """Variants of one movement that cannot beat another variant in the same place: lower
    relevance and level fit for the same phase and area block (kept exercises always stay).
    Leaving them out first spares the solver most clashes; ties are left to the solver."""
    best: dict[tuple, float] = {}
    weights: dict[int, tuple[tuple, float]] = {}
    for i in indices:
        exercise = exercises[i]
        where = place(exercise, request.areas, request.severe)
        if where is None or exercise.id in request.keep:
            continue
        key = (exercise.family, where)
        weight = item_weight(exercise, request.areas, request.level, request.pain)
        weights[i] = (key, weight)
        best[key] = max(best.get(key, weight), weight)
    return {i for i, (key, weight) in weights.items() if weight < best[key] - 1e-9}


def _shuffled(
    problem: Problem,
    best: Solution,
    chosen: list[int],
    banned: set[int],
    seed: int,
    best_without: Callable[..., tuple[Problem, Solution, list[int]]],
    keep: tuple[str, ...],
) -> tuple[Problem, Solution]:
    """A near-best routine for the Shuffle button: two of the best routine's replaceable
    exercises (chosen by the seed) are left out and the routine is planned again, kept when
    its score (without keep bonuses) is within NEAR_BEST_FRACTION of the best; failing that,
    one is left out; failing that, the best routine. Only the request's own ``keep`` stays: a
    refilled problem marks every item it holds as kept."""
    rng = np.random.default_rng(seed)
    kept = frozenset(k for k, exercise in enumerate(problem.exercises) if exercise.id in keep)
    spare = [chosen[k] for k in replaceable(replace(problem, kept=kept), best)]
    floor = own_score(problem, best) - NEAR_BEST_FRACTION * abs(own_score(problem, best))
    pairs = [(a, b) for k, a in enumerate(spare) for b in spare[k + 1 :]]
    trials = [set(pair) for pair in pairs] + [{single} for single in spare]
    order = [int(k) for k in rng.permutation(len(pairs))[:_SHUFFLE_PAIRS]] + [
        len(pairs) + int(k) for k in rng.permutation(len(spare))[:_SHUFFLE_SINGLES]
    ]
    for position in order:
        other_problem, other, other_chosen = best_without(
            set(banned) | trials[position], refill=False
        )
        if own_score(other_problem, other) >= floor:
            refilled_problem, refilled, _ = _refilled(other_problem, other, other_chosen)
            return refilled_problem, refilled
    # Every exercise is some area's only work: let the solver swap variants itself.
    other_problem, other, _ = best_without(set(banned), seed)
    return other_problem, other


def max_items(minutes: int) -> int:
    """The most exercises a routine of this length holds: MAX_ITEMS_BASE plus one per
    MINUTES_PER_ITEM, at most MAX_ITEMS (a design choice: a person can follow a handful of
    exercises at a useful dose, not thirty at token doses)."""
    return min(MAX_ITEMS, MAX_ITEMS_BASE + round(minutes / MINUTES_PER_ITEM))


def _at_most(limit: int, problem: Problem, solution: Solution) -> Solution:
    """The solution with items left out until it holds at most ``limit``, each time from the
    kind of work (category) the routine has most of, the least valuable first; kept exercises,
    an area's only primary, mobility or strength work, and the last item of a phase stay."""
    selection = list(solution.selection)
    while len(selection) > limit:
        current = replace(solution, selection=tuple(selection))
        spare = set(replaceable(problem, current))
        phases = [c.phase for c in selection]
        droppable = [c for c in selection if c.exercise in spare and phases.count(c.phase) > 1]
        if not droppable:
            break
        kinds = [problem.exercises[c.exercise].category for c in selection]
        most = max(droppable, key=lambda c: kinds.count(problem.exercises[c.exercise].category))
        crowded = problem.exercises[most.exercise].category
        same = [c for c in droppable if problem.exercises[c.exercise].category == crowded]
        selection.remove(min(same, key=lambda c: item_value(problem, c)))
    return replace(solution, selection=tuple(selection))


def _refilled(
    problem: Problem, solution: Solution, chosen: list[int]
) -> tuple[Problem, Solution, list[int]]:
    """After items were left out, the same items solved again on their own, so that a
    continuous activity (walking, cycling, breathing) may use the freed time within its share;
    nothing else is added and no strength or stretch dose rises."""
    picked = sorted({c.exercise for c in solution.selection})
    smaller = replace(
        problem,
        exercises=tuple(problem.exercises[i] for i in picked),
        options=tuple(problem.options[i] for i in picked),
        kept=frozenset(range(len(picked))),
    )
    vars(smaller).pop("placed", None)  # the cached arrays belong to the larger problem
    again = solve(smaller, 0)
    if again is None or len(again.selection) != len(picked):
        return problem, solution, chosen
    return smaller, again, [chosen[i] for i in picked]


def _family_clashes(problem: Problem, solution: Solution) -> set[int]:
    """Exercises to leave out so that no two variants of one family share the routine: all but
    the one that brings the most to the score."""
    by_family: dict[str, list] = {}
    for candidate in solution.selection:
        family = problem.exercises[candidate.exercise].family
        by_family.setdefault(family, []).append(candidate)
    clash: set[int] = set()
    for members in by_family.values():
        if len(members) > 1:
            members.sort(key=lambda c: item_value(problem, c), reverse=True)
            clash |= {c.exercise for c in members[1:]}
    return clash


def _keep_notes(
    request: PlanRequest, catalog: Catalog, items: tuple[RoutineItem, ...]
) -> list[str]:
    """Say which kept (programme) exercises are not in today's routine, and why."""
    planned = {item.exercise_id for item in items}
    notes = []
    for exercise_id in request.keep:
        if exercise_id in planned:
            continue
        exercise = catalog[exercise_id]
        why = exclusion_reason(exercise, request) or "does not fit in the time today"
        notes.append(f"{exercise.name} from your programme is not in today's routine: it {why}.")
    return notes
