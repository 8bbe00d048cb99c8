"""Which exercises suit a request: equipment at hand, the person's level, today's pain.

Each exclusion has a reason in words, so the planner's notes can say why an area got no work.
"""

from __future__ import annotations

import weakref

from backlib.catalog import Catalog, Exercise
from backlib.constants import ALWAYS_AVAILABLE, LEVEL_ALLOWS
from backlib.plan.doses import DoseOption, dose_options
from backlib.plan.request import PlanRequest


def exclusion_reason(exercise: Exercise, request: PlanRequest) -> str | None:
    """Why an exercise is not for this request (None when it is)."""
    have = ALWAYS_AVAILABLE | set(request.equipment)
    missing = [item for item in exercise.equipment if item not in have]
    if missing:
        return f"needs equipment ({', '.join(missing)})"
    if exercise.level not in LEVEL_ALLOWS[request.level]:
        return f"is {exercise.level} level (above {request.level})"
    banned = request.excluded_cautions.intersection(exercise.cautions)
    if banned:
        return f"is not advised at pain {request.pain}/10 ({', '.join(sorted(banned))})"
    return None


class CatalogCache:
    """Per catalog: dose options per pain band and eligible exercises per request kind.

    Repeated plans (the widget re-plans on every change) then cost only the optimisation.
    """

    MAX_KINDS = 256

    def __init__(self, catalog: Catalog):
        self.exercises = tuple(catalog)
        self._options: dict[bool, tuple[tuple[DoseOption, ...], ...]] = {}
        self._eligible: dict[tuple, tuple[int, ...]] = {}

    def options(self, severe: bool) -> tuple[tuple[DoseOption, ...], ...]:
        if severe not in self._options:
            self._options[severe] = tuple(dose_options(ex, severe) for ex in self.exercises)
        return self._options[severe]

    def eligible(self, request: PlanRequest) -> tuple[int, ...]:
        key = (request.level, request.excluded_cautions, frozenset(request.equipment))
        if key not in self._eligible:
            if len(self._eligible) >= self.MAX_KINDS:
                self._eligible.clear()
            self._eligible[key] = tuple(
                i for i, ex in enumerate(self.exercises) if exclusion_reason(ex, request) is None
            )
        return self._eligible[key]


_CACHES: weakref.WeakKeyDictionary[Catalog, CatalogCache] = weakref.WeakKeyDictionary()


def catalog_cache(catalog: Catalog) -> CatalogCache:
    """The cache of one catalog object (rebuilt when the catalog's size changes)."""
    cache = _CACHES.get(catalog)
    if cache is None or len(cache.exercises) != len(catalog):
        cache = _CACHES[catalog] = CatalogCache(catalog)
    return cache
