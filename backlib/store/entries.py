"""What was done in a session, exercise by exercise: a Routine plus a `done` map -> entry rows."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType
from typing import Any

from backlib.catalog import Catalog
from backlib.constants import DOSE_VALUE_MAX, DOSE_VARIABLES
from backlib.errors import StoreError
from backlib.plan.routine import Routine
from backlib.store import validate as check

DONE_KEYS = (*DOSE_VARIABLES, "completed", "pain_during", "phase")


def build_entries(
    routine: Routine | None,
    done: Mapping[str, Mapping[str, Any]] | None,
    catalog: Catalog,
) -> list[dict[str, Any]]:
    """One validated row per exercise: the routine's items in order, then extra exercises done.

    With ``done`` None every item counts as done as prescribed. With a ``done`` map, an item
    whose exercise is missing from it counts as not done; a value left out of an exercise's
    map is taken from the prescription when the exercise was completed.

    This runs once per logged session, so the common case (plain ints, known ids) is checked
    with set look-ups and comparisons; anything else goes through `backlib.store.validate`,
    which refuses it with the field and value named.
    """
    if routine is not None and not isinstance(routine, Routine):
        raise StoreError(
            f"routine={type(routine).__name__} is not a backlib Routine (or None)", field="routine"
        )
    if done is not None and not isinstance(done, Mapping):
        raise StoreError(
            f"done={done!r} is not a mapping of exercise id -> what was done", field="done"
        )
    ids = canonical_ids(catalog)
    rows: list[dict[str, Any]] = []
    items = routine.items if routine is not None else ()
    for item in items:
        exercise_id = item.exercise_id
        prescribed = (item.sets, item.reps, item.hold_s, item.duration_s)
        actual: Mapping[str, Any] | None = _AS_PRESCRIBED if done is None else done.get(exercise_id)
        rows.append(_entry_row(exercise_id, item.phase, prescribed, actual, ids, catalog))
    if done:
        routine_ids = {item.exercise_id for item in items}
        for exercise_id, actual in done.items():
            if exercise_id in routine_ids:
                continue
            phase = actual.get("phase", "main") if isinstance(actual, Mapping) else "main"
            rows.append(_entry_row(exercise_id, phase, _NO_DOSE, actual, ids, catalog))
    for position, row in enumerate(rows):
        row["position"] = position
    return rows


def canonical_ids(catalog: Catalog) -> frozenset[str]:
    """The catalog's canonical exercise ids (not aliases), computed once per catalog object."""
    return _canonical_ids(catalog)


@lru_cache(maxsize=8)
def _canonical_ids(catalog: Catalog) -> frozenset[str]:
    return frozenset(catalog.ids)


_AS_PRESCRIBED: Mapping[str, Any] = MappingProxyType({})
_NO_DOSE = (None, None, None, None)
_PRESCRIBED_COLUMNS = tuple(f"prescribed_{key}" for key in DOSE_VARIABLES)
_DONE_COLUMNS = tuple(f"done_{key}" for key in DOSE_VARIABLES)
_ALLOWED_KEYS = frozenset(DONE_KEYS)
# The columns of an entry row once the session id is added (what the store inserts).
ENTRY_COLUMNS = (
    "session_id",
    "position",
    "exercise_id",
    "phase",
    *_PRESCRIBED_COLUMNS,
    *_DONE_COLUMNS,
    "completed",
    "pain_during",
)


def _entry_row(
    exercise_id: Any,
    phase: Any,
    prescribed: tuple[Any, ...],
    actual: Mapping[str, Any] | None,
    ids: frozenset[str],
    catalog: Catalog,
) -> dict[str, Any]:
    if not (type(exercise_id) is str and exercise_id in ids):
        check_exercise(exercise_id, catalog)
    row: dict[str, Any] = {"exercise_id": exercise_id, "phase": check.phase(phase)}
    for column, key, value in zip(_PRESCRIBED_COLUMNS, DOSE_VARIABLES, prescribed, strict=True):
        row[column] = _dose("prescribed", key, exercise_id, value)
    if actual is None:  # in the routine, not in `done`: skipped
        for column in _DONE_COLUMNS:
            row[column] = None
        row["completed"] = False
        row["pain_during"] = None
        return row
    if actual is _AS_PRESCRIBED:  # done exactly as prescribed: the values checked just above
        for column, value in zip(_DONE_COLUMNS, prescribed, strict=True):
            row[column] = value
        row["completed"] = True
        row["pain_during"] = None
        return row
    row.update(done_values(exercise_id, prescribed, actual))
    return row


def done_values(
    exercise_id: str, prescribed: tuple[Any, ...], actual: Mapping[str, Any]
) -> dict[str, Any]:
    """The done_* columns, ``completed`` and ``pain_during`` of one entry, checked.

    ``prescribed`` is (sets, reps, hold_s, duration_s): a completed exercise's value left out
    of ``actual`` is taken from it. Shared by logging a session and correcting one.
    """
    if not isinstance(actual, Mapping):
        raise StoreError(f"done[{exercise_id!r}]={actual!r} is not a mapping", field="done")
    row: dict[str, Any] = {}
    unknown = sorted(set(actual) - _ALLOWED_KEYS)
    if unknown:
        raise StoreError(
            f"done[{exercise_id!r}] has unknown keys {unknown} (allowed: {', '.join(DONE_KEYS)})",
            field="done",
        )
    completed = actual.get("completed", True)
    if not isinstance(completed, bool):
        raise StoreError(
            f"done[{exercise_id!r}]['completed']={completed!r} is not true/false", field="done"
        )
    for column, key, fallback in zip(_DONE_COLUMNS, DOSE_VARIABLES, prescribed, strict=True):
        value = actual.get(key, fallback if completed else None)
        row[column] = _dose("done", key, exercise_id, value)
    row["completed"] = completed
    row["pain_during"] = check.pain(f"pain_during of {exercise_id}", actual.get("pain_during"))
    return row


def _dose(kind: str, key: str, exercise_id: str, value: Any) -> int | None:
    """check.dose, with the message built only when the value is refused (this runs often)."""
    if value is None or (type(value) is int and 0 <= value <= DOSE_VALUE_MAX):
        return value
    return check.dose(f"{kind} {key} of {exercise_id}", value)


def check_exercise(exercise_id: Any, catalog: Catalog) -> str:
    """The id of an exercise of the catalog (not an alias: the store keeps canonical ids).

    A retired id is refused for new sessions, naming what replaced it (stored and imported
    sessions keep reading theirs).
    """
    retired = catalog.retired.get(exercise_id) if isinstance(exercise_id, str) else None
    if retired is not None:
        raise StoreError(
            f"exercise_id={exercise_id!r} was retired from the catalog ({retired.reason}); "
            f"log {retired.replaced_by!r} instead",
            field="exercise_id",
        )
    known = isinstance(exercise_id, str) and exercise_id in catalog
    if not known or catalog[exercise_id].id != exercise_id:
        raise StoreError(
            f"exercise_id={check.shown(exercise_id)!r} is not in the exercise catalog "
            f"({len(catalog)} exercises; see backlib.load_catalog().ids)",
            field="exercise_id",
        )
    return exercise_id
