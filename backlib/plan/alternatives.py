"""Exercises that could take an item's place: for swapping one exercise of a routine or programme.

A good alternative goes in the same phase, works the same requested area, is allowed at today's
pain, the person's level, equipment and conditions, and is not a variant of something already
in the routine; the list is ordered as the planner would rank them (relevance and level fit).
"""

from __future__ import annotations

from collections.abc import Iterable

from backlib.catalog import Catalog, Exercise
from backlib.errors import RequestError
from backlib.plan.eligibility import exclusion_reason
from backlib.plan.model import item_weight
from backlib.plan.request import resolve_catalog, validate_request


def alternatives(
    exercise_id: str,
    *,
    areas: Iterable[str],
    level: str = "beginner",
    pain: int | None = None,
    equipment: Iterable[str] = (),
    conditions: Iterable[str] = (),
    phase: str | None = None,
    exclude: Iterable[str] = (),
    limit: int = 5,
    catalog: Catalog | None = None,
) -> list[Exercise]:
    """The exercises that could replace ``exercise_id``, best first.

    Parameters
    ----------
    exercise_id
        The exercise to replace (a catalog id).
    areas, level, pain, equipment, conditions
        The request the routine was planned for; the same checks as ``plan_routine`` apply.
    phase
        The phase the item is in (default: the main part when the exercise is done there, as
        most items are, else its first phase).
    exclude
        Exercise ids already in the routine: neither they nor their variants are offered.
    limit
        The most alternatives to return.

    Raises
    ------
    RequestError
        For an unknown exercise id or a bad request field, naming it.
    """
    cat = resolve_catalog(catalog)
    request = validate_request(areas, 20, level, pain, equipment, None, 0, conditions)
    if exercise_id not in cat:
        raise RequestError(
            f"{exercise_id!r} is not an exercise in the catalog", field="exercise_id"
        )
    current = cat[exercise_id]
    where = phase or ("main" if "main" in current.phases else current.phases[0])
    taken = {cat[e].family for e in exclude if e in cat} | {current.family}
    targets = set(current.areas) & set(request.areas) or set(current.areas)
    found = [
        other
        for other in cat
        if other.id != current.id
        and other.family not in taken
        and where in other.phases
        and (not targets or set(other.areas) & targets)
        and exclusion_reason(other, request) is None
    ]
    found.sort(
        key=lambda other: (
            other.category != current.category,
            -item_weight(other, request.areas, request.level),
            other.id,
        )
    )
    return found[:limit]
