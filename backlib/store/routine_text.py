"""The `routine` a session keeps: empty, or the JSON of a Routine that reads back as one.

A routine is checked as ``Routine.from_dict`` reads it and as the report re-plans it: every field
of the request is one the planner accepts (``validate_request``), and every item names an exercise
the catalog can read (a current id, or a retired one: old sessions keep theirs), a phase, whole
dose numbers, seconds and its texts. Sessions migrated from a version-1 store kept a shorter
routine, ``{"items": [{"exercise_id": ..., "phase": ...}, ...]}``; it stays readable too.
"""

from __future__ import annotations

import datetime as dt
import json
import numbers
import re
from typing import Any

from backlib.catalog import Catalog, Exercise
from backlib.constants import DOSE_VALUE_MAX, DOSE_VARIABLES, PHASES, ROUTINE_TEXT_MAX
from backlib.errors import BacklibError, StoreError
from backlib.plan.request import validate_request
from backlib.plan.routine import Routine
from backlib.store.text_rules import check_text

# The keys of Routine.to_dict() that Routine.from_dict needs ("conditions" and an item's
# "reason" came later and may be missing from older routines).
_ROUTINE_KEYS = ("areas", "minutes", "level", "pain", "equipment", "weight_kg", "seed", "notes")
_ITEM_KEYS = ("exercise_id", "phase", *DOSE_VARIABLES, "per_side", "seconds", "why")
_VERSION_1_ITEM_KEYS = frozenset({"exercise_id", "phase"})
# What json.dumps(ensure_ascii=False) may leave in a string that the text rules refuse.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def routine_json(routine: Routine) -> str:
    """A routine as the text the store keeps: its JSON, every control character escaped.

    ``json.dumps`` leaves DEL, the C1 controls and lone surrogates as they are, which the text
    rules refuse; inside a JSON string a ``\\u`` escape of four hex digits says the same,
    so the routine reads back equal.
    """
    text = json.dumps(routine.to_dict(), ensure_ascii=False)
    return _UNSAFE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def check_routine_text(value: str, catalog: Catalog) -> str:
    """The routine text itself when it is empty or a readable routine; else StoreError (routine).

    Parameters
    ----------
    value
        The text of the ``routine`` column.
    catalog
        The exercise catalog the routine's items must be in (current or retired ids).
    """
    if value == "":
        return value
    check_text("routine", value, ROUTINE_TEXT_MAX)
    try:
        data = json.loads(value)
    except ValueError as err:
        raise StoreError(f"routine is not JSON: {err}", field="routine") from None
    problem = _version_1_problem(data, catalog)
    if problem is None:
        return value
    if not (isinstance(data, dict) and set(data) == {"items"}):
        problem = _routine_problem(data, catalog)
    if problem is not None:
        raise StoreError(
            f"routine is not a routine (Routine.to_dict() as JSON, or empty): {problem}",
            field="routine",
        )
    return value


def _version_1_problem(data: Any, catalog: Catalog) -> str | None:
    """None for a version-1 routine (items of exercise_id and phase only), else what is wrong."""
    if not isinstance(data, dict) or set(data) != {"items"} or not isinstance(data["items"], list):
        return "not a version-1 routine"
    for number, item in enumerate(data["items"], 1):
        if not isinstance(item, dict) or set(item) != _VERSION_1_ITEM_KEYS:
            return f"item {number} must hold exactly exercise_id and phase"
        problem = _exercise_problem(item["exercise_id"], catalog) or _phase_problem(item["phase"])
        if problem:
            return f"item {number}: {problem}"
    return None


def _routine_problem(data: Any, catalog: Catalog) -> str | None:
    """None when Routine.from_dict reads the data back and the planner accepts its request."""
    if not isinstance(data, dict):
        return f"a JSON object is needed, not {type(data).__name__}"
    missing = [key for key in (*_ROUTINE_KEYS, "created", "items") if key not in data]
    if missing:
        return f"{missing[0]!r} is missing"
    try:
        validate_request(
            data["areas"],
            data["minutes"],
            data["level"],
            data["pain"],
            data["equipment"],
            data["weight_kg"],
            data["seed"],
            data.get("conditions", ()),
        )
    except BacklibError as err:
        return str(err)
    if not isinstance(data["areas"], list) or not isinstance(data["equipment"], list):
        return "areas and equipment must be lists"
    if not isinstance(data.get("conditions", []), list):
        return "conditions must be a list"
    if not _is_texts(data["notes"]):
        return "notes must be a list of texts"
    if not isinstance(data["created"], str):
        return "created must be a date (YYYY-MM-DD)"
    try:
        dt.date.fromisoformat(data["created"])
    except ValueError:
        return f"created={data['created']!r} is not a date (YYYY-MM-DD)"
    items = data["items"]
    if not isinstance(items, list):
        return "items must be a list"
    for number, item in enumerate(items, 1):
        problem = _item_problem(item, catalog)
        if problem:
            return f"item {number}: {problem}"
    try:
        Routine.from_dict(data, _Readable(catalog))
    except (KeyError, TypeError, ValueError) as err:  # the checks above should leave none
        return f"Routine.from_dict cannot read it ({err!r})"
    return None


def _item_problem(item: Any, catalog: Catalog) -> str | None:
    if not isinstance(item, dict):
        return "not a JSON object"
    missing = [key for key in _ITEM_KEYS if key not in item]
    if missing:
        return f"{missing[0]!r} is missing"
    problem = _exercise_problem(item["exercise_id"], catalog) or _phase_problem(item["phase"])
    if problem:
        return problem
    if not _is_whole(item["sets"], 0, DOSE_VALUE_MAX):
        return f"sets={item['sets']!r} is not a whole number 0-{DOSE_VALUE_MAX}"
    for key in ("reps", "hold_s", "duration_s"):
        if item[key] is not None and not _is_whole(item[key], 0, DOSE_VALUE_MAX):
            return f"{key}={item[key]!r} is not a whole number 0-{DOSE_VALUE_MAX} (or null)"
    if not isinstance(item["per_side"], bool):
        return f"per_side={item['per_side']!r} is not true or false"
    if not _is_whole(item["seconds"], 0, 24 * 3600):
        return f"seconds={item['seconds']!r} is not a whole number of seconds"
    if not isinstance(item["why"], str) or not isinstance(item.get("reason", ""), str):
        return "why and reason must be texts"
    return None


def _exercise_problem(exercise_id: Any, catalog: Catalog) -> str | None:
    if catalog.is_readable(exercise_id):
        return None
    return f"exercise_id={exercise_id!r} is not in the exercise catalog"


def _phase_problem(phase: Any) -> str | None:
    if phase in PHASES:
        return None
    return f"phase={phase!r} is not one of {', '.join(PHASES)}"


def _is_whole(value: Any, low: int, high: int) -> bool:
    return (
        isinstance(value, numbers.Integral) and not isinstance(value, bool) and low <= value <= high
    )


def _is_texts(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


class _Readable:
    """The catalog as Routine.from_dict looks exercises up, retired ids read as their successor."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def __getitem__(self, exercise_id: str) -> Exercise:
        retired = self.catalog.retired.get(exercise_id)
        return self.catalog[retired.replaced_by if retired else exercise_id]
