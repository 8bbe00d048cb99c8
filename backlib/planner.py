"""plan_routine(): pain areas and a time budget in, a safe, well-dosed routine that fits out.

Steps: validate the request (RequestError naming the field), screen red flags (RedFlagError, no
routine), keep the exercises that are safe for this person (pain, level, equipment), give each a
ladder of dose options inside its reviewed range, then choose exercises, phases and doses
exactly with the dynamic programme of :mod:`backlib.plan_model`, whose objective is

    score =   Σ_areas [ 100·P_a + 25·M_a + 25·S_a ]
            + Σ_items [ 12 · r_i · √(minutes_i)  −  8  −  0.5 · dose steps_i ]

(P_a: area a is the primary target of a main item; M_a: it gets mobility or stretch work;
S_a: it gets main strength work; r_i: the item's relevance to the requested areas), subject to
the time budget, the 90 % fill and the 10–25 % warm-up and cool-down shares (from 10 minutes),
at most one use of each exercise, and a breathing or relaxation item at severe pain: a few
well-dosed, relevant exercises rather than many token ones. Same request and seed give the same
routine; any other seed gives a different routine whose score is within 5 % of the best.

Safety rules (REFERENCE.md §6, §6a, §1c): pain 7–10 keeps a gentle routine (no high-impact,
loaded-flexion or loaded-rotation work, holds cut by 20 %, a breathing/relaxation item, and a
session of at most 80 % of the asked time and 15 minutes); pain 4–6 excludes high-impact work;
nobody gets an exercise above their level; only equipment the person has (none and mat always).
Decision support for exercise, not a diagnosis.
"""

from __future__ import annotations

import functools
import math
import numbers
import weakref
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from backlib.catalog import Catalog, DoseRange, Exercise, load_catalog
from backlib.constants import (
    ALWAYS_AVAILABLE,
    AREA_LABELS,
    COVERAGE_MINUTES,
    EQUIPMENT,
    LEVEL_ALLOWS,
    LEVELS,
    MODERATE_PAIN,
    MODERATE_PAIN_EXCLUDED,
    PACING_REDUCTION,
    PAIN_AREAS,
    PAIN_MAX,
    PAIN_MIN,
    PLAN_MINUTES_MAX,
    PLAN_MINUTES_MIN,
    SEVERE_PAIN,
    SEVERE_PAIN_EXCLUDED,
    SEVERE_PAIN_MAX_MINUTES,
    STRUCTURED_MINUTES,
    WEIGHT_KG_MAX,
    WEIGHT_KG_MIN,
)
from backlib.errors import RequestError
from backlib.plan_model import MOBILITY_CATEGORIES, Candidate, DoseOption, Problem, solve
from backlib.routine import Routine, RoutineItem, dose_seconds
from backlib.screening import screen
from backlib.why import describe_purpose

DOSE_FIELDS = ("sets", "reps", "hold_s", "duration_s")
# Categories whose hold or duration is a static position that severe pain shortens (§1c pacing).
STATIC_CATEGORIES = frozenset({"stretch", "strength"})
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


@functools.lru_cache(maxsize=1)
def _packaged_catalog() -> Catalog:
    """The packaged catalog, read once per process: repeated plans must be instant."""
    return load_catalog()


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
        routine; 4-6 leaves out high-impact work (REFERENCE.md §6, §6a).
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
    # Screening first: a red flag stops the plan whatever else the request says (§3b).
    screen(red_flags)
    request = _validate(areas, minutes, level, pain, equipment, weight_kg, seed)
    cat = _resolve_catalog(catalog)
    fixed = _validate_doses(doses, cat)
    return _plan(request, fixed, cat, seed)


class _Request:
    """A validated request."""

    def __init__(self, areas, minutes, level, pain, equipment, weight_kg):
        self.areas: tuple[str, ...] = areas
        self.minutes: int = minutes
        self.level: str = level
        self.pain: int | None = pain
        self.equipment: tuple[str, ...] = equipment
        self.weight_kg: float | None = weight_kg

    @property
    def severe(self) -> bool:
        return self.pain is not None and self.pain >= SEVERE_PAIN

    @property
    def excluded_cautions(self) -> frozenset[str]:
        if self.pain is None or self.pain < MODERATE_PAIN:
            return frozenset()
        return SEVERE_PAIN_EXCLUDED if self.severe else MODERATE_PAIN_EXCLUDED

    @property
    def budget_s(self) -> int:
        """The seconds to plan for: the minutes asked, cut short at severe pain."""
        asked = self.minutes * 60
        if not self.severe:
            return asked
        # Pacing: start about 20 % below what you can manage (RUH Bath, REFERENCE.md §1c); the
        # asked time stands in for that, and 15 min caps a first severe-pain session (constants).
        return min(math.floor(asked * (1 - PACING_REDUCTION)), SEVERE_PAIN_MAX_MINUTES * 60)


def _validate(areas, minutes, level, pain, equipment, weight_kg, seed) -> _Request:
    _validate_seed(seed)
    return _Request(
        areas=_validate_areas(areas),
        minutes=_validate_minutes(minutes),
        level=_validate_level(level),
        pain=_validate_pain(pain),
        equipment=_validate_equipment(equipment),
        weight_kg=_validate_weight(weight_kg),
    )


def _names(value: Any, field: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable) and not isinstance(value, Mapping):
        items = list(value)
        for item in items:
            if not isinstance(item, str):
                raise RequestError(f"{field}: {item!r} is not a name (text)")
        return items
    raise RequestError(f"{field} must be a list of names; got {type(value).__name__}")


def _normal(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def _validate_areas(areas: Any) -> tuple[str, ...]:
    allowed = ", ".join(PAIN_AREAS)
    names = [_normal(n) for n in _names(areas, "areas")]
    if not names:
        raise RequestError(f"areas: name at least one pain area from: {allowed}")
    for name in names:
        if name not in PAIN_AREAS:
            raise RequestError(f"areas: {name!r} is not a pain area; valid areas: {allowed}")
    return tuple(dict.fromkeys(names))


def _validate_minutes(minutes: Any) -> int:
    allowed = f"a whole number of minutes from {PLAN_MINUTES_MIN} to {PLAN_MINUTES_MAX}"
    if isinstance(minutes, bool) or not isinstance(minutes, numbers.Real):
        raise RequestError(f"minutes must be {allowed}; got {minutes!r}")
    if not math.isfinite(minutes) or minutes != int(minutes):
        raise RequestError(f"minutes must be {allowed}; got {minutes!r}")
    if not PLAN_MINUTES_MIN <= minutes <= PLAN_MINUTES_MAX:
        raise RequestError(f"minutes must be {allowed}; got {minutes!r}")
    return int(minutes)


def _validate_level(level: Any) -> str:
    if not isinstance(level, str) or _normal(level) not in LEVELS:
        raise RequestError(f"level: {level!r} is not allowed; allowed: {', '.join(LEVELS)}")
    return _normal(level)


def _validate_pain(pain: Any) -> int | None:
    if pain is None:
        return None
    allowed = f"an integer from {PAIN_MIN} to {PAIN_MAX} (0 = no pain, 10 = worst imaginable)"
    if isinstance(pain, bool) or not isinstance(pain, numbers.Integral):
        raise RequestError(f"pain must be {allowed}, or None; got {pain!r}")
    if not PAIN_MIN <= pain <= PAIN_MAX:
        raise RequestError(f"pain must be {allowed}; got {pain!r}")
    return int(pain)


def _validate_equipment(equipment: Any) -> tuple[str, ...]:
    if equipment is None:
        return ()
    names = [_normal(n) for n in _names(equipment, "equipment")]
    for name in names:
        if name not in EQUIPMENT:
            raise RequestError(f"equipment: {name!r} is not known; allowed: {', '.join(EQUIPMENT)}")
    return tuple(dict.fromkeys(names))


def _validate_weight(weight_kg: Any) -> float | None:
    if weight_kg is None:
        return None
    allowed = f"a body weight in kg from {WEIGHT_KG_MIN:g} to {WEIGHT_KG_MAX:g}, or None"
    if isinstance(weight_kg, bool) or not isinstance(weight_kg, numbers.Real):
        raise RequestError(f"weight_kg must be {allowed}; got {weight_kg!r}")
    if not math.isfinite(weight_kg) or not WEIGHT_KG_MIN <= weight_kg <= WEIGHT_KG_MAX:
        raise RequestError(f"weight_kg must be {allowed}; got {weight_kg!r}")
    return float(weight_kg)


def _validate_seed(seed: Any) -> None:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise RequestError(f"seed must be a whole number of 0 or more; got {seed!r}")


def _resolve_catalog(catalog: Any) -> Catalog:
    if catalog is None:
        return _packaged_catalog()
    if isinstance(catalog, Catalog):
        return catalog
    if isinstance(catalog, str | Path):
        return load_catalog(catalog)
    raise RequestError(
        f"catalog must be a Catalog, a catalog file path or None; got {type(catalog).__name__}"
    )


def _validate_doses(doses: Any, catalog: Catalog) -> dict[str, dict[str, int]]:
    """Overrides as exercise id -> {field: value}, each checked against the exercise's range."""
    if doses is None:
        return {}
    if not isinstance(doses, Mapping):
        raise RequestError(
            f"doses must map exercise ids to {{sets, reps, hold_s, duration_s}}; "
            f"got {type(doses).__name__}"
        )
    fixed: dict[str, dict[str, int]] = {}
    for key, dose in doses.items():
        if not isinstance(key, str) or key not in catalog:
            raise RequestError(f"doses: {key!r} is not an exercise id in the catalog")
        exercise = catalog[key]
        if not isinstance(dose, Mapping):
            raise RequestError(
                f"doses[{exercise.id!r}] must be a mapping with any of {', '.join(DOSE_FIELDS)}"
            )
        values: dict[str, int] = {}
        for field, value in dose.items():
            if field not in DOSE_FIELDS:
                raise RequestError(
                    f"doses[{exercise.id!r}]: {field!r} is not a dose field; "
                    f"allowed: {', '.join(DOSE_FIELDS)}"
                )
            if value is None:
                continue
            dose_range: DoseRange | None = getattr(exercise.dose, field)
            if dose_range is None:
                raise RequestError(
                    f"doses[{exercise.id!r}].{field}: exercise {exercise.id!r} is not dosed "
                    f"by {field}"
                )
            if isinstance(value, bool) or not isinstance(value, numbers.Integral):
                raise RequestError(
                    f"doses[{exercise.id!r}].{field} must be a whole number; got {value!r}"
                )
            if not dose_range.min <= value <= dose_range.max:
                raise RequestError(
                    f"doses[{exercise.id!r}].{field} = {value} is outside the range "
                    f"{dose_range.min}..{dose_range.max} of exercise {exercise.id!r}"
                )
            values[field] = int(value)
        fixed[exercise.id] = values
    return fixed


def _exclusion(exercise: Exercise, request: _Request) -> str | None:
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


def _levels_up(start: int, high: int) -> list[int]:
    """Values above ``start`` a dose climbs through: halfway to the top, then the top."""
    return sorted({v for v in (math.ceil((start + high) / 2), high) if v > start})


def _levels_down(start: int, low: int) -> list[int]:
    """Values below ``start`` a short dose uses: halfway to the bottom, then the bottom."""
    return sorted({v for v in ((low + start) // 2, low) if v < start}, reverse=True)


def _shortened(dose_range: DoseRange) -> int:
    """A hold cut by the pacing reduction, kept inside the range (REFERENCE.md §1c)."""
    return max(dose_range.min, math.floor(dose_range.default * (1 - PACING_REDUCTION)))


def dose_options(
    exercise: Exercise, severe: bool = False, fixed: Mapping[str, int] | None = None
) -> tuple[DoseOption, ...]:
    """The doses the planner may choose for an exercise, all inside its reviewed ranges.

    A ladder around the reviewed default whose every rung changes one variable (REFERENCE.md
    §1d: progress one variable at a time): upwards reps (or duration), then the hold, then
    sets, in turn, each halfway to the top of its range and then to the top; downwards the
    reps (or duration) halfway to the bottom, then one set fewer, then the bottom. ``steps`` is
    the rung's distance from the default. Overridden fields stay fixed. At severe pain holds and
    static durations are cut by 20 % and never raised (pacing, REFERENCE.md §1c), overrides too.
    Of two rungs that take the same time the one nearer the default is kept.
    """
    fixed = dict(fixed or {})
    dose = exercise.dose
    sets = fixed.get("sets", dose.sets.default)
    sets_up = [] if "sets" in fixed else list(range(sets + 1, dose.sets.max + 1))
    sets_down = [] if "sets" in fixed or sets - 1 < dose.sets.min else [sets - 1]
    if dose.duration_s is not None:
        amount_range, field = dose.duration_s, "duration_s"
        shorten = severe and exercise.category in STATIC_CATEGORIES
    else:
        assert dose.reps is not None
        amount_range, field = dose.reps, "reps"
        shorten = False
    amount = fixed.get(field, amount_range.default)
    top = amount_range.max
    if shorten:
        top = _shortened(amount_range)
        amount = min(amount, top)
    amount_up = [] if field in fixed else _levels_up(amount, top)
    amount_down = [] if field in fixed else _levels_down(amount, amount_range.min)
    hold, hold_up = None, []
    if field == "reps" and dose.hold_s is not None:
        hold = fixed.get("hold_s", dose.hold_s.default)
        if severe:
            hold = min(hold, _shortened(dose.hold_s))
        elif "hold_s" not in fixed:
            hold_up = _levels_up(hold, dose.hold_s.max)

    rungs = [(sets, amount, hold, 0)]
    # Upwards: one variable per rung, in turn reps/duration, hold, sets.
    current = [sets, amount, hold]
    queues = {1: list(amount_up), 2: list(hold_up), 0: list(sets_up)}
    steps = 0
    while any(queues.values()):
        for slot in (1, 2, 0):
            if queues[slot]:
                current[slot] = queues[slot].pop(0)
                steps += 1
                rungs.append((current[0], current[1], current[2], steps))
    # Downwards: shorter versions for a tight budget.
    current = [sets, amount, hold]
    downs = [(1, v) for v in amount_down[:1]] + [(0, v) for v in sets_down]
    downs += [(1, v) for v in amount_down[1:]]
    for steps, (slot, value) in enumerate(downs, start=1):
        current[slot] = value
        rungs.append((current[0], current[1], current[2], steps))

    options: dict[int, DoseOption] = {}
    for rung_sets, rung_amount, rung_hold, rung_steps in rungs:
        reps = rung_amount if field == "reps" else None
        duration = rung_amount if field == "duration_s" else None
        seconds = dose_seconds(exercise, rung_sets, reps, rung_hold, duration)
        option = DoseOption(rung_sets, reps, rung_hold, duration, seconds, rung_steps)
        if seconds not in options or option.steps < options[seconds].steps:
            options[seconds] = option
    return tuple(options[s] for s in sorted(options))


class _CatalogCache:
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

    def eligible(self, request: _Request) -> tuple[int, ...]:
        key = (request.level, request.excluded_cautions, frozenset(request.equipment))
        if key not in self._eligible:
            if len(self._eligible) >= self.MAX_KINDS:
                self._eligible.clear()
            self._eligible[key] = tuple(
                i for i, ex in enumerate(self.exercises) if _exclusion(ex, request) is None
            )
        return self._eligible[key]


_CACHES: weakref.WeakKeyDictionary[Catalog, _CatalogCache] = weakref.WeakKeyDictionary()


def _cache_for(catalog: Catalog) -> _CatalogCache:
    cache = _CACHES.get(catalog)
    if cache is None or len(cache.exercises) != len(catalog):
        cache = _CACHES[catalog] = _CatalogCache(catalog)
    return cache


def _plan(request: _Request, fixed: dict[str, dict[str, int]], catalog: Catalog, seed: int):
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
    cache = _cache_for(catalog)
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
            + _exclusion_summary(catalog, request)
        )
    items = _items(problem, solution.selection)
    notes += _stage_notes(problem, solution.stage, request)
    notes += _coverage_notes(problem, items, catalog, request)
    notes += _unrelated_notes(items, request)
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


def _stage_notes(problem: Problem, stage: frozenset[str], request: _Request) -> list[str]:
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


def _coverage_notes(
    problem: Problem, items: tuple[RoutineItem, ...], catalog: Catalog, request: _Request
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


def _unrelated_notes(items: tuple[RoutineItem, ...], request: _Request) -> list[str]:
    """Say why a main item works none of the requested areas (it only fills time)."""
    notes = []
    for item in items:
        if item.phase == "main" and not set(request.areas) & set(item.exercise.areas):
            notes.append(
                f"{item.name} does not work the areas asked about; it is included because the "
                "exercises for those areas that suit this request could not fill the time."
            )
    return notes


def _missing_reason(catalog: Catalog, request: _Request, wanted, problem: Problem) -> str:
    matching = [ex for ex in catalog if wanted(ex)]
    if not matching:
        return "the catalog has no such exercise"
    reasons = [_exclusion(ex, request) for ex in matching]
    if all(reasons):
        shown = "; ".join(f"{ex.name} {why}" for ex, why in zip(matching, reasons, strict=True))
        return f"none suits this request ({shown})"
    if problem.budget_s < request.minutes * 60:
        return "the shorter session today has no room for it"
    return "the time did not allow it alongside the other areas"


def _exclusion_summary(catalog: Catalog, request: _Request) -> str:
    reasons = {}
    for ex in catalog:
        why = _exclusion(ex, request)
        if why:
            reasons.setdefault(why, ex.name)
    return "; ".join(f"{name} {why}" for why, name in list(reasons.items())[:5])
