"""A routine request checked field by field: each bad value raises RequestError naming its field.

The bounds come from :mod:`backlib.constants` (minutes, pain, weight, levels, areas, equipment);
a valid request becomes a :class:`PlanRequest`, which also knows what today's pain rules out and
how many seconds a session may take.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backlib.catalog import Catalog, DoseRange, Exercise, load_catalog
from backlib.constants import (
    CONDITION_CAUTIONS,
    CONDITION_POSITIONS,
    CONDITIONS,
    DOSE_VARIABLES,
    EQUIPMENT,
    LEVELS,
    PACING_REDUCTION,
    PAIN_AREAS,
    PAIN_MAX,
    PAIN_MIN,
    PLAN_MINUTES_MAX,
    PLAN_MINUTES_MIN,
    SEVERE_PAIN,
    SEVERE_PAIN_MAX_MINUTES,
    WEIGHT_KG_MAX,
    WEIGHT_KG_MIN,
)
from backlib.errors import RequestError

# A dose override: exercise id -> {dose variable: value}.
Doses = dict[str, dict[str, int]]


@dataclass(frozen=True)
class PlanRequest:
    """A validated request: what to plan for and what today's pain allows."""

    areas: tuple[str, ...]
    minutes: int
    level: str
    pain: int | None
    equipment: tuple[str, ...]
    weight_kg: float | None
    conditions: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    # Why the routine is gentle although pain is below 7 (e.g. readiness answers), or "".
    gentle_for: str = ""

    @property
    def severe(self) -> bool:
        return self.pain is not None and self.pain >= SEVERE_PAIN

    def ruled_out(self, exercise: Exercise) -> tuple[str, str] | None:
        """(condition, what it rules out) when one of the conditions rules the exercise out."""
        for condition in self.conditions:
            cautions = CONDITION_CAUTIONS[condition].intersection(exercise.cautions)
            if cautions:
                return condition, sorted(cautions)[0]
            if exercise.position in CONDITION_POSITIONS.get(condition, ()):
                return condition, exercise.position
        return None

    @property
    def budget_s(self) -> int:
        """The seconds to plan for: the minutes asked, cut short at severe pain."""
        asked = self.minutes * 60
        if not self.severe:
            return asked
        # Pacing: start about 20 % below what you can manage (RUH Bath pain clinic); the asked
        # time stands in for that, and 15 min caps a first severe-pain session (Mayo Clinic).
        return min(math.floor(asked * (1 - PACING_REDUCTION)), SEVERE_PAIN_MAX_MINUTES * 60)


def validate_request(
    areas: Any,
    minutes: Any,
    level: Any,
    pain: Any,
    equipment: Any,
    weight_kg: Any,
    seed: Any,
    conditions: Any = (),
    keep: Any = (),
) -> PlanRequest:
    """Check every field of a request; the first bad one raises RequestError naming it."""
    _validate_seed(seed)
    return PlanRequest(
        areas=_validate_areas(areas),
        minutes=_validate_minutes(minutes),
        level=_validate_level(level),
        pain=_validate_pain(pain),
        equipment=_validate_equipment(equipment),
        weight_kg=_validate_weight(weight_kg),
        conditions=_validate_conditions(conditions),
        keep=tuple(dict.fromkeys(_names(keep or (), "keep"))),
    )


def _validate_conditions(conditions: Any) -> tuple[str, ...]:
    if conditions is None:
        return ()
    names = [_normal(n) for n in _names(conditions, "conditions")]
    for name in names:
        if name not in CONDITIONS:
            raise RequestError(
                f"conditions: {name!r} is not known; known: {', '.join(CONDITIONS)}",
                field="conditions",
            )
    return tuple(dict.fromkeys(names))


def validate_keep(keep: tuple[str, ...], catalog: Catalog) -> tuple[str, ...]:
    """The kept exercises as catalog ids; an unknown one raises RequestError naming it."""
    ids = []
    for name in keep:
        if name not in catalog:
            raise RequestError(f"keep: {name!r} is not an exercise id in the catalog", field="keep")
        ids.append(catalog[name].id)
    return tuple(dict.fromkeys(ids))


@functools.lru_cache(maxsize=1)
def _packaged_catalog() -> Catalog:
    """The packaged catalog, read once per process: repeated plans must be instant."""
    return load_catalog()


def _names(value: Any, field: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        items = list(value)
        for item in items:
            if not isinstance(item, str):
                raise RequestError(f"{field}: {item!r} is not a name (text)", field=field)
        return items
    raise RequestError(f"{field} must be a list of names; got {type(value).__name__}", field=field)


def _normal(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _validate_areas(areas: Any) -> tuple[str, ...]:
    allowed = ", ".join(PAIN_AREAS)
    names = [_normal(n) for n in _names(areas, "areas")]
    if not names:
        raise RequestError(f"areas: name at least one pain area from: {allowed}", field="areas")
    for name in names:
        if name not in PAIN_AREAS:
            raise RequestError(
                f"areas: {name!r} is not a pain area; valid areas: {allowed}", field="areas"
            )
    return tuple(dict.fromkeys(names))


def _validate_minutes(minutes: Any) -> int:
    allowed = f"a whole number of minutes from {PLAN_MINUTES_MIN} to {PLAN_MINUTES_MAX}"
    if isinstance(minutes, bool) or not isinstance(minutes, numbers.Real):
        raise RequestError(f"minutes must be {allowed}; got {minutes!r}", field="minutes")
    if not math.isfinite(minutes) or minutes != int(minutes):
        raise RequestError(f"minutes must be {allowed}; got {minutes!r}", field="minutes")
    if not PLAN_MINUTES_MIN <= minutes <= PLAN_MINUTES_MAX:
        raise RequestError(f"minutes must be {allowed}; got {minutes!r}", field="minutes")
    return int(minutes)


def _validate_level(level: Any) -> str:
    if not isinstance(level, str) or _normal(level) not in LEVELS:
        raise RequestError(
            f"level: {level!r} is not allowed; allowed: {', '.join(LEVELS)}", field="level"
        )
    return _normal(level)


def _validate_pain(pain: Any) -> int | None:
    if pain is None:
        return None
    allowed = f"an integer from {PAIN_MIN} to {PAIN_MAX} (0 = no pain, 10 = worst imaginable)"
    if isinstance(pain, bool) or not isinstance(pain, numbers.Integral):
        raise RequestError(f"pain must be {allowed}, or None; got {pain!r}", field="pain")
    if not PAIN_MIN <= pain <= PAIN_MAX:
        raise RequestError(f"pain must be {allowed}; got {pain!r}", field="pain")
    return int(pain)


def _validate_equipment(equipment: Any) -> tuple[str, ...]:
    if equipment is None:
        return ()
    names = [_normal(n) for n in _names(equipment, "equipment")]
    for name in names:
        if name not in EQUIPMENT:
            raise RequestError(
                f"equipment: {name!r} is not known; allowed: {', '.join(EQUIPMENT)}",
                field="equipment",
            )
    return tuple(dict.fromkeys(names))


def _validate_weight(weight_kg: Any) -> float | None:
    if weight_kg is None:
        return None
    allowed = f"a body weight in kg from {WEIGHT_KG_MIN:g} to {WEIGHT_KG_MAX:g}, or None"
    if isinstance(weight_kg, bool) or not isinstance(weight_kg, numbers.Real):
        raise RequestError(f"weight_kg must be {allowed}; got {weight_kg!r}", field="weight_kg")
    if not math.isfinite(weight_kg) or not WEIGHT_KG_MIN <= weight_kg <= WEIGHT_KG_MAX:
        raise RequestError(f"weight_kg must be {allowed}; got {weight_kg!r}", field="weight_kg")
    return float(weight_kg)


def _validate_seed(seed: Any) -> None:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise RequestError(f"seed must be a whole number of 0 or more; got {seed!r}", field="seed")


def resolve_catalog(catalog: Any) -> Catalog:
    """A Catalog from a Catalog, a catalog file or None (the packaged catalog, read once)."""
    if catalog is None:
        return _packaged_catalog()
    if isinstance(catalog, Catalog):
        return catalog
    if isinstance(catalog, str | Path):
        return load_catalog(catalog)
    raise RequestError(
        f"catalog must be a Catalog, a catalog file path or None; got {type(catalog).__name__}",
        field="catalog",
    )


def validate_doses(doses: Any, catalog: Catalog) -> Doses:
    """Overrides as exercise id -> {field: value}, each checked against the exercise's range."""
    if doses is None:
        return {}
    if not isinstance(doses, Mapping):
        raise RequestError(
            f"doses must map exercise ids to {{sets, reps, hold_s, duration_s}}; "
            f"got {type(doses).__name__}",
            field="doses",
        )
    fixed: Doses = {}
    for key, dose in doses.items():
        if not isinstance(key, str) or key not in catalog:
            raise RequestError(
                f"doses: {key!r} is not an exercise id in the catalog", field="doses"
            )
        exercise = catalog[key]
        if not isinstance(dose, Mapping):
            raise RequestError(
                f"doses[{exercise.id!r}] must be a mapping with any of {', '.join(DOSE_VARIABLES)}",
                field="doses",
            )
        values: dict[str, int] = {}
        for field, value in dose.items():
            if field not in DOSE_VARIABLES:
                raise RequestError(
                    f"doses[{exercise.id!r}]: {field!r} is not a dose field; "
                    f"allowed: {', '.join(DOSE_VARIABLES)}",
                    field="doses",
                )
            if value is None:
                continue
            dose_range: DoseRange | None = getattr(exercise.dose, field)
            if dose_range is None:
                raise RequestError(
                    f"doses[{exercise.id!r}].{field}: exercise {exercise.id!r} is not dosed "
                    f"by {field}",
                    field="doses",
                )
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise RequestError(
                    f"doses[{exercise.id!r}].{field} must be a whole number; got {value!r}",
                    field="doses",
                )
            if not dose_range.min <= value <= dose_range.max:
                raise RequestError(
                    f"doses[{exercise.id!r}].{field} = {value} is outside the range "
                    f"{dose_range.min}..{dose_range.max} of exercise {exercise.id!r}",
                    field="doses",
                )
            values[field] = int(value)
        fixed[exercise.id] = values
    return fixed
