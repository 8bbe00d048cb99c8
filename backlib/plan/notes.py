"""The notes a routine carries: which rule could not be met, which area misses which work and why.

A shorter routine, or an area without strength work, is never silent: each note says what is
missing and why (equipment, level, pain, or time).
"""

from __future__ import annotations

from backlib.catalog import Catalog
from backlib.constants import COVERAGE_MINUTES
from backlib.labels import AREA_LABELS
from backlib.plan.eligibility import exclusion_reason
from backlib.plan.model import MOBILITY_CATEGORIES, Problem
from backlib.plan.request import PlanRequest
from backlib.plan.routine import RoutineItem


def stage_notes(problem: Problem, stage: frozenset[str], request: PlanRequest) -> list[str]:
    notes = []
    dropped = problem.rules(frozenset({"fill", "shares", "relax"})) - stage
    if "relax" in dropped:
        notes.append(
            "No breathing or relaxation exercise in the catalog fits this request; add slow "
            "breathing for a few minutes after the routine."
        )
    if "shares" in dropped:
        notes.append(
            "The catalog's exercises that fit this request cannot make a warm-up and a cool-down "
            "of 10-25 % of the time each, so the phases are uneven."
        )
    if "fill" in dropped:
        notes.append(
            "The exercises that fit this request (equipment, level, pain) cannot fill 90 % of "
            f"the {problem.budget_s // 60} minutes without padding, so the routine is shorter."
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
                notes.append(f"The {label} get no {kind} work today: {reason}.")
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
        shown = "; ".join(f"{ex.name} {why}" for ex, why in zip(matching, reasons, strict=True))
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
