"""The reviewed exercise catalog: data/exercises.toml read and validated into frozen dataclasses.

The catalog is source data that people review; code never writes it. Every problem found on
load raises :class:`CatalogError` naming the exercise id, the field and what is allowed, so a
reviewer can fix the file without reading this module.

File format (one ``[[exercise]]`` table per exercise)::

    [[exercise]]
    id = "glute-bridge"                  # kebab-case, unique
    name = "Glute bridge"
    aliases = ["bridge", "hip bridge"]   # other names in the articles; unique across the catalog
    category = "strength"                # warmup|mobility|stretch|strength|cardio|relaxation
    phases = ["main"]                    # warmup | main | cooldown
    level = "beginner"                   # beginner | intermediate | advanced
    equipment = ["mat"]                  # from backlib.constants.EQUIPMENT; ["none"] for nothing
    met = 3.5                            # Compendium of Physical Activities 2011 MET
    met_code = "02030"
    cautions = []                        # from backlib.constants.CAUTIONS
    pain_max = 10                        # the highest current pain (0-10) it may be planned at
    position = "supine"                  # from backlib.constants.POSITIONS
    family = "bridge"                    # variants of one movement share a family
    steps = ["...", "..."]               # 3-6 short instructions
    stop_if = "..."                      # when to stop this exercise
    sources = ["000_c1e5e156c5880caa.txt"]   # seed articles it appears in (may be empty ...)
    references = ["Mayo Clinic ..."]     # ... when other named sources describe it
    note = "..."                         # optional: where the dose departs from an article, and why
    not_planned = "..."                  # optional: why the planner never chooses it

    [exercise.areas]
    primary = ["glutes", "lower_back"]   # from backlib.PAIN_AREAS
    secondary = ["hamstrings"]

    [exercise.dose]
    sets = { default = 2, min = 1, max = 3 }
    reps = { default = 10, min = 5, max = 15 }      # either reps ...
    hold_s = { default = 3, min = 2, max = 5 }      # ... optionally held for hold_s each,
    # duration_s = { default = 300, min = 120, max = 600 }   # ... or a continuous duration
    per_side = false
    seconds_per_rep = 3                  # time of one rep when it has no hold
    rest_s = 30                          # rest between sets
    harder = "single-leg-glute-bridge"   # optional variant ids
    easier = "pelvic-tilt"

Retired ids (optional ``[[retired]]`` tables, at the end of the file): an exercise id the
catalog no longer offers, kept so that stores which recorded it still read, export and import::

    [[retired]]
    id = "march-in-place"                # kebab-case, not a current id or alias
    replaced_by = "walking"              # the current exercise that took its place
    reason = "..."                       # why it was retired
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from backlib.constants import (
    ALWAYS_AVAILABLE,
    CATEGORIES,
    CAUTION_PAIN_MAX,
    CAUTIONS,
    EQUIPMENT,
    LEVELS,
    PAIN_AREAS,
    PAIN_MAX,
    PAIN_MIN,
    PHASES,
    POSITIONS,
)
from backlib.errors import CatalogError
from backlib.paths import DATA_DIR
from backlib.toml_files import read_toml

if TYPE_CHECKING:
    import pandas as pd  # imported where used: a light `import backlib` skips pandas

CATALOG_FILE = "exercises.toml"

# The five seed articles on back-pain exercise the catalog is drawn from, as `sources` names them.
SOURCE_FILES: tuple[str, ...] = (
    "000_c1e5e156c5880caa.txt",
    "001_545a05c9055580c0.txt",
    "002_40f122605697264d.txt",
    "003_9e19a629e3e8bf9a.txt",
    "004_d98e2d981cecd215.txt",
)

_ID_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_REQUIRED = (
    "id",
    "name",
    "category",
    "phases",
    "level",
    "equipment",
    "areas",
    "dose",
    "met",
    "met_code",
    "cautions",
    "steps",
    "stop_if",
    "sources",
)
_OPTIONAL = ("aliases", "note", "references", "not_planned", "pain_max", "position", "family")
_DOSE_RANGES = ("sets", "reps", "hold_s", "duration_s")
_DOSE_KEYS = (*_DOSE_RANGES, "per_side", "seconds_per_rep", "rest_s", "harder", "easier")
_MIN_STEPS, _MAX_STEPS = 3, 6


@dataclass(frozen=True)
class DoseRange:
    """A default value with the range progression may move it within (inclusive)."""

    default: int
    min: int
    max: int

    def clamp(self, value: int) -> int:
        """The value held inside the range."""
        return max(self.min, min(self.max, value))


@dataclass(frozen=True)
class Dose:
    """How an exercise is dosed: sets of reps (each optionally held) or a continuous duration."""

    sets: DoseRange
    reps: DoseRange | None
    hold_s: DoseRange | None
    duration_s: DoseRange | None
    per_side: bool
    seconds_per_rep: float
    rest_s: int
    harder: str | None = None
    easier: str | None = None


@dataclass(frozen=True)
class Exercise:
    """One reviewed exercise of the catalog."""

    id: str
    name: str
    aliases: tuple[str, ...]
    category: str
    phases: tuple[str, ...]
    primary_areas: tuple[str, ...]
    secondary_areas: tuple[str, ...]
    level: str
    equipment: tuple[str, ...]
    dose: Dose
    met: float
    met_code: str
    cautions: tuple[str, ...]
    steps: tuple[str, ...]
    stop_if: str
    sources: tuple[str, ...]
    pain_max: int = PAIN_MAX
    position: str = "standing"
    family: str = ""
    references: tuple[str, ...] = ()
    note: str = ""
    not_planned: str = ""

    @property
    def areas(self) -> tuple[str, ...]:
        """Primary then secondary areas."""
        return self.primary_areas + self.secondary_areas

    def __post_init__(self) -> None:
        # An exercise with no named family is a movement of its own.
        if not self.family:
            object.__setattr__(self, "family", self.id)

    @property
    def plannable(self) -> bool:
        """False for exercises kept in the catalog only to say why they are not planned."""
        return not self.not_planned


@dataclass(frozen=True)
class RetiredExercise:
    """An exercise id the catalog no longer offers; records that hold it stay readable."""

    id: str
    replaced_by: str
    reason: str


class Catalog:
    """The validated exercises: iterable, indexable by id or alias, and viewable as a frame.

    ``retired`` maps the ids of exercises taken out of the catalog to what replaced them: they
    are not exercises of the catalog (not in ``ids``, not indexable), but a store keeps reading
    records that name them.
    """

    def __init__(
        self,
        exercises: tuple[Exercise, ...],
        path: Path | None = None,
        retired: tuple[RetiredExercise, ...] = (),
    ):
        self.exercises = exercises
        self.path = path
        self.retired: dict[str, RetiredExercise] = {entry.id: entry for entry in retired}
        self._index: dict[str, Exercise] = {}
        for exercise in exercises:
            for key in (exercise.id, *exercise.aliases):
                self._index[_key(key)] = exercise

    def __iter__(self) -> Iterator[Exercise]:
        return iter(self.exercises)

    def __len__(self) -> int:
        return len(self.exercises)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and _key(key) in self._index

    def __getitem__(self, key: str) -> Exercise:
        try:
            return self._index[_key(key)]
        except KeyError:
            raise KeyError(f"no exercise with id or alias {key!r} in the catalog") from None

    def __repr__(self) -> str:
        return f"Catalog({len(self)} exercises from {self.path})"

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(exercise.id for exercise in self.exercises)

    def is_readable(self, exercise_id: object) -> bool:
        """True for a canonical id of the catalog or a retired id (what stored records may hold)."""
        if not isinstance(exercise_id, str):
            return False
        if exercise_id in self.retired:
            return True
        return exercise_id in self and self[exercise_id].id == exercise_id

    def offered_equipment(self) -> tuple[str, ...]:
        """The equipment worth asking about: used by at least two plannable exercises (none and
        mat are always assumed, so never asked)."""
        counts = {name: 0 for name in EQUIPMENT}
        for exercise in self.exercises:
            if exercise.plannable:
                for name in exercise.equipment:
                    counts[name] += 1
        return tuple(
            name for name in EQUIPMENT if name not in ALWAYS_AVAILABLE and counts[name] >= 2
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per exercise, lists joined with commas, for browsing in a notebook."""
        # pandas here, not at the top: `import backlib` and the planner stay light (import time).
        import pandas as pd

        rows = []
        for ex in self.exercises:
            dose = ex.dose
            rows.append(
                {
                    "id": ex.id,
                    "name": ex.name,
                    "category": ex.category,
                    "level": ex.level,
                    "phases": ", ".join(ex.phases),
                    "primary_areas": ", ".join(ex.primary_areas),
                    "secondary_areas": ", ".join(ex.secondary_areas),
                    "equipment": ", ".join(ex.equipment),
                    "dose": describe_dose(
                        dose.sets.default,
                        dose.reps.default if dose.reps else None,
                        dose.hold_s.default if dose.hold_s else None,
                        dose.duration_s.default if dose.duration_s else None,
                        dose.per_side,
                    ),
                    "met": ex.met,
                    "pain_max": ex.pain_max,
                    "position": ex.position,
                    "family": ex.family,
                    "cautions": ", ".join(ex.cautions),
                    "not_planned": ex.not_planned,
                    "aliases": ", ".join(ex.aliases),
                    "sources": len(ex.sources),
                }
            )
        return pd.DataFrame(rows)


def describe_dose(
    sets: int,
    reps: int | None,
    hold_s: int | None,
    duration_s: int | None,
    per_side: bool,
) -> str:
    """A dose in words, as a handout says it: '2 × 10 each side, hold 5 s' or '5 min'."""
    side = " each side" if per_side else ""
    if duration_s is not None:
        amount = duration_words(duration_s)
        text = f"{amount}{side}" if sets == 1 else f"{sets} × {amount}{side}"
        return text
    text = f"{sets} × {reps}{side}"
    if hold_s:
        text += f", hold {hold_s} s"
    return text


def duration_words(seconds: float) -> str:
    """Seconds as '19 min 30 s', '20 min' or '45 s' (what people read on a clock)."""
    minutes, rest = divmod(round(seconds), 60)
    if minutes and rest:
        return f"{minutes} min {rest} s"
    if minutes:
        return f"{minutes} min"
    return f"{rest} s"


def default_catalog_path() -> Path:
    """The packaged catalog: backlib/data/ in an installed wheel, data/ in a checkout."""
    packaged = Path(__file__).resolve().parent / "data" / CATALOG_FILE
    return packaged if packaged.is_file() else DATA_DIR / CATALOG_FILE


def load_catalog(path: str | Path | None = None) -> Catalog:
    """Read and validate an exercise catalog.

    Parameters
    ----------
    path
        A TOML file in the format described in this module's docstring; the packaged
        catalog when None.

    Returns
    -------
    Catalog
        The exercises, in file order.

    Raises
    ------
    CatalogError
        For an unreadable file, invalid TOML, or any entry that breaks a rule; the message
        names the exercise id, the field and what is allowed.
    """
    file = Path(path) if path is not None else default_catalog_path()
    raw = read_toml(file, CatalogError, "catalog file")
    entries = raw.get("exercise")
    if not isinstance(entries, list) or not entries:
        raise CatalogError(f"catalog file {file} has no [[exercise]] tables", file=file)
    exercises = tuple(_parse_exercise(entry, position) for position, entry in enumerate(entries, 1))
    _check_unique_names(exercises)
    _check_variants(exercises)
    retired = _parse_retired(raw.get("retired", []), exercises, file)
    return Catalog(exercises, file, retired)


def _key(name: str) -> str:
    return name.strip().lower()


def _fail(exercise_id: str, field: str, problem: str) -> CatalogError:
    return CatalogError(
        f"exercise {exercise_id!r}, field '{field}': {problem}",
        exercise_id=exercise_id,
        field=field,
    )


def _parse_exercise(entry: Any, position: int) -> Exercise:
    if not isinstance(entry, dict):
        raise CatalogError(f"exercise #{position}: expected a table, got {type(entry).__name__}")
    ex_id = entry.get("id")
    if not isinstance(ex_id, str) or not _ID_PATTERN.match(ex_id):
        raise CatalogError(
            f"exercise #{position}, field 'id': {ex_id!r} is not a kebab-case id "
            "(lowercase letters and digits joined by '-')"
        )
    for name in _REQUIRED:
        if name not in entry:
            raise _fail(ex_id, name, "is missing (required)")
    unknown = sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL))
    if unknown:
        allowed = ", ".join(_REQUIRED + _OPTIONAL)
        raise _fail(ex_id, unknown[0], f"is not a known field; allowed: {allowed}")

    areas = entry["areas"]
    if not isinstance(areas, dict):
        raise _fail(ex_id, "areas", "must be a table with 'primary' and 'secondary'")
    category = _choice(ex_id, "category", entry["category"], CATEGORIES)
    # Breathing and relaxation work the whole person, not a painful area.
    relaxation = category == "relaxation"
    primary = _choices(
        ex_id, "areas.primary", areas.get("primary"), PAIN_AREAS, non_empty=not relaxation
    )
    secondary = _choices(ex_id, "areas.secondary", areas.get("secondary", []), PAIN_AREAS)
    overlap = set(primary) & set(secondary)
    if overlap:
        raise _fail(ex_id, "areas.secondary", f"repeats primary area {sorted(overlap)[0]!r}")
    if relaxation and (primary or secondary):
        raise _fail(ex_id, "areas", "relaxation targets no area: leave primary and secondary empty")
    extra_area_keys = set(areas) - {"primary", "secondary"}
    if extra_area_keys:
        raise _fail(ex_id, "areas", f"unknown key {sorted(extra_area_keys)[0]!r}")

    equipment = _choices(ex_id, "equipment", entry["equipment"], EQUIPMENT, non_empty=True)
    if "none" in equipment and len(equipment) > 1:
        raise _fail(ex_id, "equipment", "'none' cannot be combined with other equipment")

    met = entry["met"]
    if isinstance(met, bool) or not isinstance(met, int | float) or not 1.0 <= met <= 12.0:
        raise _fail(ex_id, "met", f"{met!r} is not a MET value between 1.0 and 12.0")
    met_code = entry["met_code"]
    if not isinstance(met_code, str) or not re.fullmatch(r"\d{5}", met_code):
        raise _fail(ex_id, "met_code", f"{met_code!r} is not a 5-digit Compendium code")

    steps = _strings(ex_id, "steps", entry["steps"])
    if not _MIN_STEPS <= len(steps) <= _MAX_STEPS:
        raise _fail(
            ex_id, "steps", f"has {len(steps)} steps; allowed: {_MIN_STEPS} to {_MAX_STEPS}"
        )
    sources = _choices(ex_id, "sources", entry["sources"], SOURCE_FILES)
    references = _strings(ex_id, "references", entry.get("references", []))
    if not sources and not references:
        raise _fail(ex_id, "sources", "name a seed article, or the sources under 'references'")
    cautions = _choices(ex_id, "cautions", entry["cautions"], CAUTIONS)
    pain_max = entry.get("pain_max", PAIN_MAX)
    if isinstance(pain_max, bool) or not isinstance(pain_max, int):
        raise _fail(ex_id, "pain_max", f"{pain_max!r} is not a whole number {PAIN_MIN}-{PAIN_MAX}")
    if not PAIN_MIN <= pain_max <= PAIN_MAX:
        raise _fail(ex_id, "pain_max", f"{pain_max} is outside {PAIN_MIN}-{PAIN_MAX}")
    for caution in cautions:
        limit = CAUTION_PAIN_MAX.get(caution, PAIN_MAX)
        if pain_max > limit:
            raise _fail(
                ex_id,
                "pain_max",
                f"{pain_max} is above {limit}, the most its caution {caution!r} allows",
            )
    family = entry.get("family", ex_id)
    if not isinstance(family, str) or not _ID_PATTERN.match(family):
        raise _fail(ex_id, "family", f"{family!r} is not a kebab-case name")

    return Exercise(
        id=ex_id,
        name=_text(ex_id, "name", entry["name"]),
        aliases=_strings(ex_id, "aliases", entry.get("aliases", [])),
        category=category,
        phases=_choices(ex_id, "phases", entry["phases"], PHASES, non_empty=True),
        primary_areas=primary,
        secondary_areas=secondary,
        level=_choice(ex_id, "level", entry["level"], LEVELS),
        equipment=equipment,
        dose=_parse_dose(ex_id, entry["dose"]),
        met=float(met),
        met_code=met_code,
        cautions=cautions,
        steps=steps,
        stop_if=_text(ex_id, "stop_if", entry["stop_if"]),
        sources=sources,
        pain_max=pain_max,
        position=_choice(ex_id, "position", entry.get("position", "standing"), POSITIONS),
        family=family,
        references=references,
        note=_text(ex_id, "note", entry["note"]) if "note" in entry else "",
        not_planned=_text(ex_id, "not_planned", entry["not_planned"])
        if "not_planned" in entry
        else "",
    )


def _parse_dose(ex_id: str, raw: Any) -> Dose:
    if not isinstance(raw, dict):
        raise _fail(ex_id, "dose", "must be a table")
    unknown = sorted(set(raw) - set(_DOSE_KEYS))
    if unknown:
        raise _fail(
            ex_id, f"dose.{unknown[0]}", f"is not a dose field; allowed: {', '.join(_DOSE_KEYS)}"
        )
    ranges = {name: _range(ex_id, name, raw[name]) for name in _DOSE_RANGES if name in raw}
    if "sets" not in ranges:
        raise _fail(ex_id, "dose.sets", "is missing (required)")
    has_reps, has_duration = "reps" in ranges, "duration_s" in ranges
    if has_reps == has_duration:
        raise _fail(ex_id, "dose", "needs exactly one of 'reps' or 'duration_s'")
    if "hold_s" in ranges and not has_reps:
        raise _fail(ex_id, "dose.hold_s", "needs 'reps' (each rep is held for hold_s)")
    per_side = raw.get("per_side", False)
    if not isinstance(per_side, bool):
        raise _fail(ex_id, "dose.per_side", f"{per_side!r} is not true or false")
    seconds_per_rep = raw.get("seconds_per_rep")
    if has_reps and "hold_s" not in ranges and seconds_per_rep is None:
        raise _fail(ex_id, "dose.seconds_per_rep", "is required for reps without a hold")
    if seconds_per_rep is None:
        seconds_per_rep = 0
    if (
        isinstance(seconds_per_rep, bool)
        or not isinstance(seconds_per_rep, int | float)
        or not (0 <= seconds_per_rep <= 60)
    ):
        raise _fail(ex_id, "dose.seconds_per_rep", f"{seconds_per_rep!r} is not 0 to 60 seconds")
    rest_s = raw.get("rest_s", 0)
    if isinstance(rest_s, bool) or not isinstance(rest_s, int) or not 0 <= rest_s <= 300:
        raise _fail(ex_id, "dose.rest_s", f"{rest_s!r} is not a whole number of seconds 0 to 300")
    variants = {}
    for name in ("harder", "easier"):
        value = raw.get(name)
        if value is not None and (not isinstance(value, str) or not _ID_PATTERN.match(value)):
            raise _fail(ex_id, f"dose.{name}", f"{value!r} is not an exercise id")
        if value == ex_id:
            raise _fail(ex_id, f"dose.{name}", "cannot name the exercise itself")
        variants[name] = value
    _check_followable(ex_id, ranges)
    return Dose(
        sets=ranges["sets"],
        reps=ranges.get("reps"),
        hold_s=ranges.get("hold_s"),
        duration_s=ranges.get("duration_s"),
        per_side=per_side,
        seconds_per_rep=float(seconds_per_rep),
        rest_s=rest_s,
        **variants,
    )


def _check_followable(ex_id: str, ranges: dict[str, DoseRange]) -> None:
    """Doses a person can follow on a clock: holds over 10 s in 5-s steps, durations of a minute
    or more in 30-s steps and shorter ones in 5-s steps (a design choice: no "hold 23 s")."""
    for name in ("hold_s", "duration_s"):
        found = ranges.get(name)
        if found is None:
            continue
        for key in ("default", "min", "max"):
            value = getattr(found, key)
            long_step, short_step, limit = (5, 1, 10) if name == "hold_s" else (30, 5, 59)
            step = long_step if value > limit else short_step
            if value % step:
                raise _fail(
                    ex_id, f"dose.{name}.{key}", f"{value} s is not in whole {step}-s steps"
                )


def _range(ex_id: str, name: str, raw: Any) -> DoseRange:
    field = f"dose.{name}"
    if not isinstance(raw, dict) or set(raw) != {"default", "min", "max"}:
        raise _fail(ex_id, field, "must be a table { default = …, min = …, max = … }")
    for key in ("default", "min", "max"):
        value = raw[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise _fail(ex_id, f"{field}.{key}", f"{value!r} is not a whole number of at least 1")
    value = DoseRange(**{f.name: raw[f.name] for f in fields(DoseRange)})
    if not value.min <= value.default <= value.max:
        raise _fail(
            ex_id,
            field,
            f"default {value.default} is outside its range {value.min}..{value.max}",
        )
    return value


def _text(ex_id: str, field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(ex_id, field, "must be non-empty text")
    return value.strip()


def _strings(ex_id: str, field: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _fail(ex_id, field, "must be a list of text")
    return tuple(_text(ex_id, field, item) for item in value)


def _choice(ex_id: str, field: str, value: Any, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _fail(ex_id, field, f"{value!r} is not allowed; allowed: {', '.join(allowed)}")
    return value


def _choices(
    ex_id: str, field: str, value: Any, allowed: tuple[str, ...], non_empty: bool = False
) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _fail(ex_id, field, f"must be a list from: {', '.join(allowed)}")
    if non_empty and not value:
        raise _fail(ex_id, field, f"must not be empty; allowed: {', '.join(allowed)}")
    for item in value:
        _choice(ex_id, field, item, allowed)
    if len(set(value)) != len(value):
        raise _fail(ex_id, field, "lists an item twice")
    return tuple(value)


def _check_unique_names(exercises: tuple[Exercise, ...]) -> None:
    owner: dict[str, str] = {}
    for exercise in exercises:
        for field, name in [("id", exercise.id)] + [("aliases", a) for a in exercise.aliases]:
            key = _key(name)
            if key in owner:
                kind = "id" if field == "id" else "alias"
                raise _fail(
                    exercise.id,
                    field,
                    f"{kind} {name!r} is already used by exercise {owner[key]!r}; "
                    "ids and aliases must be unique across the catalog",
                )
            owner[key] = exercise.id


def _parse_retired(
    raw: Any, exercises: tuple[Exercise, ...], file: Path
) -> tuple[RetiredExercise, ...]:
    """The [[retired]] tables: ids no longer offered, each naming the id that replaced it."""
    if not isinstance(raw, list):
        raise CatalogError(f"catalog file {file}: 'retired' must be [[retired]] tables", file=file)
    names = {_key(name) for exercise in exercises for name in (exercise.id, *exercise.aliases)}
    ids = {exercise.id for exercise in exercises}
    found: dict[str, RetiredExercise] = {}
    for position, entry in enumerate(raw, 1):
        if not isinstance(entry, dict):
            raise CatalogError(f"retired #{position}: expected a table", file=file)
        ex_id = entry.get("id")
        if not isinstance(ex_id, str) or not _ID_PATTERN.match(ex_id):
            raise CatalogError(
                f"retired #{position}, field 'id': {ex_id!r} is not a kebab-case id", file=file
            )
        unknown = sorted(set(entry) - {"id", "replaced_by", "reason"})
        if unknown:
            raise _fail(
                ex_id, f"retired.{unknown[0]}", "is not known; allowed: replaced_by, reason"
            )
        if _key(ex_id) in names:
            raise _fail(ex_id, "retired.id", "is still an exercise id or alias of the catalog")
        if ex_id in found:
            raise _fail(ex_id, "retired.id", "is retired twice")
        replaced_by = entry.get("replaced_by")
        if replaced_by not in ids:
            raise _fail(
                ex_id, "retired.replaced_by", f"{replaced_by!r} is not an exercise of the catalog"
            )
        reason = _text(ex_id, "retired.reason", entry.get("reason"))
        found[ex_id] = RetiredExercise(ex_id, replaced_by, reason)
    return tuple(found.values())


def _check_variants(exercises: tuple[Exercise, ...]) -> None:
    ids = {exercise.id for exercise in exercises}
    for exercise in exercises:
        for name in ("harder", "easier"):
            target = getattr(exercise.dose, name)
            if target is not None and target not in ids:
                raise _fail(
                    exercise.id, f"dose.{name}", f"names {target!r}, which is not in the catalog"
                )
