"""A routine that flows: the chosen items in phase order, grouped by position, each with a reason.

Within a phase, items are grouped by position in the order of ``backlib.constants.POSITIONS``
(standing, then sitting, kneeling, all fours, lying), or in the reverse order when that
continues from where the previous phase ended, so a person gets down to the floor once and up
once (a design convention after the UBC GOAL and Otago class structures, status U). Within one
position, moving comes before strengthening, stretching and relaxing.
"""

from __future__ import annotations

from backlib.catalog import Catalog, Exercise
from backlib.constants import PHASES, POSITIONS
from backlib.labels import AREA_LABELS, PHASE_TITLES, POSITION_LABELS
from backlib.plan.eligibility import exclusion_reason
from backlib.plan.model import Candidate, Problem, item_weight, relevance
from backlib.plan.purpose import describe_purpose
from backlib.plan.request import PlanRequest
from backlib.plan.routine import RoutineItem

# Order of items inside a position group: move first, then strengthen, then stretch, relax last.
CATEGORY_ORDER = {
    "warmup": 0,
    "cardio": 1,
    "mobility": 2,
    "strength": 3,
    "stretch": 4,
    "relaxation": 5,
}
_ROLE = {
    "warmup": "warm-up work",
    "cardio": "aerobic work",
    "mobility": "mobility work",
    "strength": "strength and control work",
    "stretch": "stretching",
    "relaxation": "breathing and relaxation",
}


def ordered_items(
    problem: Problem,
    selection: tuple[Candidate, ...],
    request: PlanRequest,
    catalog: Catalog,
) -> tuple[RoutineItem, ...]:
    """The selection as routine items, in phase order and flowing by position, with reasons."""
    items: list[RoutineItem] = []
    last_position: int | None = None
    for phase in PHASES:
        chosen = [c for c in selection if c.phase == phase]
        if not chosen:
            continue
        ranks = [POSITIONS.index(problem.exercises[c.exercise].position) for c in chosen]
        ascending = _ascending(ranks, last_position)
        order = sorted(
            range(len(chosen)),
            key=lambda k: (
                ranks[k] if ascending else -ranks[k],
                # The warm-up builds from gentle to brisk (ACSM: light to moderate first).
                problem.exercises[chosen[k].exercise].met if phase == "warmup" else 0,
                CATEGORY_ORDER.get(problem.exercises[chosen[k].exercise].category, 9),
                chosen[k].exercise,
            ),
        )
        for k in order:
            items.append(_item(problem, chosen[k], request, catalog, selection))
        last_position = ranks[order[-1]]
    return tuple(items)


def _ascending(ranks: list[int], previous: int | None) -> bool:
    """Go standing → lying unless starting from the lying end continues the previous phase."""
    if previous is None:
        return True
    return abs(min(ranks) - previous) <= abs(max(ranks) - previous)


def _item(
    problem: Problem,
    candidate: Candidate,
    request: PlanRequest,
    catalog: Catalog,
    selection: tuple[Candidate, ...],
) -> RoutineItem:
    exercise = problem.exercises[candidate.exercise]
    return RoutineItem.dosed(
        exercise,
        candidate.phase,
        candidate.option,
        why=describe_purpose(exercise, candidate.phase, problem.areas),
        reason=_reason(problem, candidate, request, catalog, selection),
    )


def _reason(
    problem: Problem,
    candidate: Candidate,
    request: PlanRequest,
    catalog: Catalog,
    selection: tuple[Candidate, ...],
) -> str:
    """Why this exercise over the alternatives, in plain words."""
    exercise = problem.exercises[candidate.exercise]
    # The request's own kept exercises (a programme's): a re-planned or shuffled problem also
    # holds the items it already chose, which are no programme of the patient's.
    if exercise.id in request.keep:
        return "Part of your programme, at its current dose."
    role = _ROLE.get(exercise.category, "work")
    if candidate.block:
        where = f"{role} for the {AREA_LABELS[candidate.block]}"
    elif exercise.category == candidate.phase:  # a warm-up exercise warming up: say it once
        where = _phase_word(candidate.phase)
    else:
        where = f"{role} for the {_phase_word(candidate.phase)}"
    fits = []
    if request.pain is not None:
        fits.append(f"suits pain {request.pain}/10")
    fits.append(f"is {exercise.level} level")
    fits.append(f"is done {POSITION_LABELS[exercise.position]}")
    used = {c.exercise for c in selection}
    rivals = [
        other
        for k, other in enumerate(problem.exercises)
        if k not in used
        and other.family != exercise.family
        and other.category == exercise.category
        and _same_target(other, exercise, candidate.block, problem)
    ]
    variants = [
        other
        for other in catalog
        if other.family == exercise.family
        and other.id != exercise.id
        and other.plannable
        and exclusion_reason(other, request) is None
    ]
    text = f"Gives the routine its {where}: it " + ", ".join(fits[:-1]) + f" and {fits[-1]}."
    if variants:
        names = " and ".join(v.name for v in variants[:2])
        versus = _versus(exercise, variants[0], problem)
        text += f" Chosen over {names} (versions of the same movement): {versus}."
    elif rivals:
        best = max(rivals, key=lambda other: item_weight(other, problem.areas, problem.level))
        text += f" Preferred to {best.name}: {_versus(exercise, best, problem)}."
    return text


def _versus(exercise: Exercise, other: Exercise, problem: Problem) -> str:
    """The plainest difference that made the planner prefer exercise to other."""
    mine, theirs = relevance(exercise, problem.areas), relevance(other, problem.areas)
    if mine > theirs:
        return "it works more of the areas you asked about"
    if exercise.level == problem.level and other.level != problem.level:
        return "it matches your level"
    return "it fits the time best with the rest of the routine"


def _same_target(other: Exercise, exercise: Exercise, block: str | None, problem: Problem) -> bool:
    if block is not None:
        return block in other.primary_areas
    return bool(set(other.areas) & set(exercise.areas) & set(problem.areas))


def _phase_word(phase: str) -> str:
    return PHASE_TITLES[phase].lower()
