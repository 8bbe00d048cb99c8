"""Which exercises suit a request: equipment at hand, the level, today's pain, the conditions.

Each exclusion has a reason in words, so the planner's notes can say why an area got no work.
"""

from __future__ import annotations

import weakref

from backlib.catalog import Catalog, Exercise
from backlib.constants import (
    ALWAYS_AVAILABLE,
    CAUTION_PAIN_MAX,
    LEVEL_ALLOWS,
    MODERATE_PAIN,
    SEVERE_PAIN,
)
from backlib.labels import CONDITION_LABELS, POSITION_LABELS
from backlib.plan.doses import DoseOption, dose_options
from backlib.plan.request import PlanRequest


def exclusion_reason(exercise: Exercise, request: PlanRequest) -> str | None:
    """Why an exercise is not for this request (None when it is)."""
    if not exercise.plannable:
        return "is not planned (see the catalog)"
    have = ALWAYS_AVAILABLE | set(request.equipment)
    missing = [item for item in exercise.equipment if item not in have]
    if missing:
        return f"needs equipment ({', '.join(missing)})"
    if exercise.level not in LEVEL_ALLOWS[request.level]:
        return f"is {exercise.level} level (above {request.level})"
    ceiling = pain_ceiling(exercise)
    if request.pain is not None and request.pain > ceiling:
        return f"is not advised at pain {request.pain}/10 (only up to {ceiling}/10)"
    ruled = request.ruled_out(exercise)
    if ruled is not None:
        condition, what = ruled
        why = POSITION_LABELS.get(what) or CAUTION_WORDS.get(what, what)
        return f"is left out for {CONDITION_LABELS[condition]} ({why})"
    return None


def pain_ceiling(exercise: Exercise) -> int:
    """The highest pain an exercise may be planned at: its pain_max, and never above what its
    spine-loading cautions allow (the catalog checks this too; this holds for any catalog)."""
    limits = [CAUTION_PAIN_MAX[c] for c in exercise.cautions if c in CAUTION_PAIN_MAX]
    return min([exercise.pain_max, *limits])


# What a caution is about, in a few words, for exclusion reasons.
CAUTION_WORDS = {
    "high_impact": "jumping or running",
    "loaded_flexion": "curls the spine under load",
    "rotation_under_load": "twists the spine under load",
    "end_range_flexion": "bends the spine fully forward",
    "spinal_extension": "arches the back",
    "wrist_load": "weight on the hands",
    "balance": "needs balance",
    "deep_knee_bend": "bends the knees deeply",
}


class CatalogCache:
    """Per catalog: dose options per pain band and eligible exercises per request kind.

    Repeated plans (the widget re-plans on every change) then cost only the optimisation.
    """

    MAX_KINDS = 256

    def __init__(self, catalog: Catalog):
        self.exercises = tuple(catalog)
        self._options: dict[tuple, tuple[tuple[DoseOption, ...], ...]] = {}
        self._eligible: dict[tuple, tuple[int, ...]] = {}

    def options(self, level: str, pain: int | None) -> tuple[tuple[DoseOption, ...], ...]:
        """Every exercise's dose options for a level and a pain band (they differ by band only)."""
        band = pain_band(pain)
        key = (level, band)
        if key not in self._options:
            self._options[key] = tuple(dose_options(ex, level, band) for ex in self.exercises)
        return self._options[key]

    def eligible(self, request: PlanRequest) -> tuple[int, ...]:
        key = (request.level, request.pain, request.conditions, frozenset(request.equipment))
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


def pain_band(pain: int | None) -> int | None:
    """A pain score as the band the dose rules use: None, 0 (0-3), MODERATE_PAIN or SEVERE_PAIN."""
    if pain is None:
        return None
    if pain >= SEVERE_PAIN:
        return SEVERE_PAIN
    return MODERATE_PAIN if pain >= MODERATE_PAIN else 0
