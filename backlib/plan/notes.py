"""The notes a routine carries: which rule could not be met, which area misses which work and why.

A shorter routine, or an area without strength work, is never silent: each note says what is
missing and why (equipment, level, pain, or time).
"""

from __future__ import annotations

from backlib.catalog import Catalog, duration_words
from backlib.constants import COVERAGE_MINUTES, FILL_MIN_FRACTION, FLOOR_POSITIONS, MODERATE_PAIN
from backlib.labels import (
    AREA_LABELS,
    CALL_IF_NOT_BETTER,
    CONDITION_ADVICE,
    CONDITION_LABELS,
    FALLS_FLOOR_ADVICE,
    POSITION_LABELS,
)
from backlib.plan.eligibility import CAUTION_WORDS, exclusion_reason
from backlib.plan.model import MOBILITY_CATEGORIES, Problem
from backlib.plan.request import PlanRequest
from backlib.plan.routine import RoutineItem


def pain_notes(request: PlanRequest, budget_s: int, items: tuple[RoutineItem, ...]) -> list[str]:
    """One note on today's pain: pacing at 7-10 (said once), start doses at 4-6."""
    if request.gentle_for:
        return [
            f"{request.gentle_for}, so this is a gentle routine of at most "
            f"{duration_words(budget_s)} instead of {request.minutes} min, with shorter holds "
            "and a breathing or relaxation exercise (pacing)."
        ]
    if request.pain is None:
        return []
    if request.severe:
        return [
            f"Pain is {request.pain}/10, so this is a gentle routine of at most "
            f"{duration_words(budget_s)} instead of {request.minutes} min, with shorter holds "
            "and a breathing or relaxation exercise: start about 20 % below what you can manage "
            "and build up once the pain settles (pacing). Keep moving little and often rather "
            f"than resting in bed, and {CALL_IF_NOT_BETTER}."  # NHS inform; Sirona NHS leaflet
        ]
    if request.pain >= MODERATE_PAIN:
        return [
            f"Pain is {request.pain}/10, so only exercises suited to that pain are planned and "
            "every dose starts at its beginner level."
        ]
    return []


# For neck work, the signs that mean stop and get help at once (IFOMPT cervical framework 2023).
NECK_WARNING = (
    "Neck exercises: stop and get help at once if you feel suddenly dizzy, see double, slur "
    "your words, have trouble swallowing or a sudden severe headache unlike any before."
)


def area_notes(request: PlanRequest) -> list[str]:
    """Warnings that belong to the areas asked about (the neck's warning signs)."""
    return [NECK_WARNING] if "neck" in request.areas else []


def care_notes(request: PlanRequest, items: tuple[RoutineItem, ...] = ()) -> list[str]:
    """What the person's conditions and areas ask of them during every session: each
    condition's advice (CONDITION_ADVICE), the way down to the floor and up with a risk of
    falls, and the neck's warning signs."""
    return condition_advice(request, items) + area_notes(request)


def condition_advice(request: PlanRequest, items: tuple[RoutineItem, ...]) -> list[str]:
    """Each condition's advice, and how to get down to the floor and up with a risk of falls."""
    advice = [CONDITION_ADVICE[c] for c in request.conditions if c in CONDITION_ADVICE]
    return advice + falls_floor_notes(request, items)


def falls_floor_notes(request: PlanRequest, items: tuple[RoutineItem, ...]) -> list[str]:
    """With a risk of falls, a session that gets down to the floor says how to do it safely."""
    on_floor = any(item.exercise.position in FLOOR_POSITIONS for item in items)
    return [FALLS_FLOOR_ADVICE] if "falls_risk" in request.conditions and on_floor else []


def condition_notes(
    request: PlanRequest, catalog: Catalog, items: tuple[RoutineItem, ...]
) -> list[str]:
    """Name, per condition, the exercises for the requested areas it left out, and why."""
    notes = condition_advice(request, items)
    for condition in request.conditions:
        left_out: dict[str, list[str]] = {}
        for exercise in catalog:
            if not exercise.plannable or not set(exercise.areas) & set(request.areas):
                continue
            ruled = request.ruled_out(exercise)
            if ruled is not None and ruled[0] == condition:
                what = ruled[1]
                why = POSITION_LABELS.get(what) or CAUTION_WORDS.get(what, what)
                left_out.setdefault(why, []).append(exercise.name)
        if not left_out:
            continue
        parts = [f"{_listed(names)} ({why})" for why, names in sorted(left_out.items())]
        notes.append(
            f"Because of {CONDITION_LABELS[condition]}, these are left out: "
            + "; ".join(parts)
            + "."
        )
    return notes


def stage_notes(
    problem: Problem,
    stage: frozenset[str],
    items: tuple[RoutineItem, ...],
    request: PlanRequest,
) -> list[str]:
    """Say, in one plain sentence each, which shape rule the routine could not meet."""
    notes = []
    dropped = problem.rules(frozenset({"fill", "shares", "relax"})) - stage
    if "relax" in dropped:
        notes.append(
            "No breathing or relaxation exercise in the catalog fits this request; add slow "
            "breathing for a few minutes after the routine."
        )
    if "shares" in dropped:
        # A programme's exercises outrank the shares (backlib.plan.model), so say they are in.
        kept = ", with your programme's exercises kept in," if request.keep else ""
        notes.append(
            f"The exercises that fit this request{kept} cannot make a warm-up and a cool-down "
            "of 10-25 % of the time each, so the phases are uneven."
        )
    total = sum(item.seconds for item in items)
    if total < FILL_MIN_FRACTION * problem.budget_s:
        notes.append(
            f"This routine takes about {duration_words(total)} of the "
            f"{duration_words(problem.budget_s)} available: there are not enough exercises "
            "that suit this request at the right dose to fill the time, and a shorter routine "
            "at the right dose is better than a longer one at the wrong dose."
        )
    return notes


def coverage_notes(
    problem: Problem, items: tuple[RoutineItem, ...], catalog: Catalog, request: PlanRequest
) -> list[str]:
    """Say which requested area misses primary main work or its mobility/strength pair, and why."""
    if problem.budget_s < COVERAGE_MINUTES * 60 and request.minutes < COVERAGE_MINUTES:
        return []
    notes = []
    for area in request.areas:
        label = AREA_LABELS[area]
        primary = any(i.phase == "main" and area in i.exercise.primary_areas for i in items)
        mobility = any(
            i.exercise.category in MOBILITY_CATEGORIES and area in i.exercise.areas for i in items
        )
        strength = any(
            i.phase == "main" and i.exercise.category == "strength" and area in i.exercise.areas
            for i in items
        )
        if not primary:
            reason = _missing_reason(
                catalog,
                request,
                lambda ex, a=area: "main" in ex.phases and a in ex.primary_areas,
                problem,
            )
            notes.append(f"No main exercise targets the {label} first: {reason}.")
        for kind, present, test in (
            (
                "mobility or stretch",
                mobility,
                lambda ex, a=area: ex.category in MOBILITY_CATEGORIES and a in ex.areas,
            ),
            (
                "strength",
                strength,
                lambda ex, a=area: (
                    "main" in ex.phases and ex.category == "strength" and a in ex.areas
                ),
            ),
        ):
            if not present:
                reason = _missing_reason(catalog, request, test, problem)
                notes.append(f"There is no {kind} work for the {label} today: {reason}.")
    return notes


def unrelated_notes(items: tuple[RoutineItem, ...], request: PlanRequest) -> list[str]:
    """Say why a main item works none of the requested areas (it only fills time)."""
    notes = []
    for item in items:
        if item.phase == "main" and not set(request.areas) & set(item.exercise.areas):
            notes.append(
                f"{item.name} does not work the areas asked about; it is included because the "
                "exercises for those areas that suit this request could not fill the time."
            )
    return notes


def _missing_reason(catalog: Catalog, request: PlanRequest, wanted, problem: Problem) -> str:
    matching = [ex for ex in catalog if wanted(ex)]
    if not matching:
        return "the catalog has no such exercise"
    reasons = [exclusion_reason(ex, request) for ex in matching]
    if all(reasons):
        pairs = list(zip(matching, reasons, strict=True))[:3]
        shown = "; ".join(f"{ex.name} {why}" for ex, why in pairs)
        return f"none suits this request ({shown})"
    if problem.budget_s < request.minutes * 60:
        return "the shorter session today has no room for it"
    return "the time did not allow it alongside the other areas"


def exclusion_summary(catalog: Catalog, request: PlanRequest) -> str:
    reasons = {}
    for ex in catalog:
        why = exclusion_reason(ex, request)
        if why:
            reasons.setdefault(why, ex.name)
    return "; ".join(f"{name} {why}" for why, name in list(reasons.items())[:5])


def _listed(names: list[str]) -> str:
    shown = names[:4] + ([f"{len(names) - 4} more"] if len(names) > 4 else [])
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
