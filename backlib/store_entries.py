"""What was done in a session, exercise by exercise: a Routine plus a `done` map -> entry rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backlib import store_validate as check
from backlib.catalog import Catalog
from backlib.errors import StoreError
from backlib.routine import Routine

DONE_KEYS = ("sets", "reps", "hold_s", "duration_s", "completed", "pain_during", "phase")
_DOSE_KEYS = ("sets", "reps", "hold_s", "duration_s")


def build_entries(
    routine: Routine | None,
    done: Mapping[str, Mapping[str, Any]] | None,
    catalog: Catalog,
) -> list[dict[str, Any]]:
    """One validated row per exercise: the routine's items in order, then extra exercises done.

    With ``done`` None every item counts as done as prescribed. With a ``done`` map, an item
    whose exercise is missing from it counts as not done; a value left out of an exercise's
    map is taken from the prescription when the exercise was completed.
    """
    if routine is not None and not isinstance(routine, Routine):
        raise StoreError(f"routine={type(routine).__name__} is not a backlib Routine (or None)")
    if done is not None and not isinstance(done, Mapping):
        raise StoreError(f"done={done!r} is not a mapping of exercise id -> what was done")
    done = dict(done or {}) if done is not None else None
    rows: list[dict[str, Any]] = []
    items = routine.items if routine is not None else ()
    for item in items:
        prescribed = {
            "sets": item.sets,
            "reps": item.reps,
            "hold_s": item.hold_s,
            "duration_s": item.duration_s,
        }
        if done is None:
            actual: Mapping[str, Any] | None = {}
        else:
            actual = done.get(item.exercise_id)
        rows.append(_entry_row(item.exercise_id, item.phase, prescribed, actual, catalog))
    routine_ids = {item.exercise_id for item in items}
    for exercise_id, actual in (done or {}).items():
        if exercise_id in routine_ids:
            continue
        phase = actual.get("phase", "main") if isinstance(actual, Mapping) else "main"
        rows.append(_entry_row(exercise_id, phase, dict.fromkeys(_DOSE_KEYS), actual, catalog))
    for position, row in enumerate(rows):
        row["position"] = position
    return rows


def _entry_row(
    exercise_id: str,
    phase: Any,
    prescribed: dict[str, Any],
    actual: Mapping[str, Any] | None,
    catalog: Catalog,
) -> dict[str, Any]:
    check_exercise(exercise_id, catalog)
    row: dict[str, Any] = {"exercise_id": exercise_id, "phase": check.phase(phase)}
    for key, value in prescribed.items():
        row[f"prescribed_{key}"] = _dose(f"prescribed {key}", exercise_id, value)
    if actual is None:  # in the routine, not in `done`: skipped
        row.update({f"done_{key}": None for key in _DOSE_KEYS})
        row.update(completed=False, pain_during=None)
        return row
    if not isinstance(actual, Mapping):
        raise StoreError(f"done[{exercise_id!r}]={actual!r} is not a mapping")
    unknown = sorted(set(actual) - set(DONE_KEYS))
    if unknown:
        raise StoreError(
            f"done[{exercise_id!r}] has unknown keys {unknown} (allowed: {', '.join(DONE_KEYS)})"
        )
    completed = actual.get("completed", True)
    if not isinstance(completed, bool):
        raise StoreError(f"done[{exercise_id!r}]['completed']={completed!r} is not true/false")
    for key in _DOSE_KEYS:
        fallback = prescribed[key] if completed else None
        value = actual.get(key, fallback)
        row[f"done_{key}"] = _dose(f"done {key}", exercise_id, value)
    row["completed"] = completed
    row["pain_during"] = check.pain(f"pain_during of {exercise_id}", actual.get("pain_during"))
    return row


def _dose(what: str, exercise_id: str, value: Any) -> int | None:
    """check.dose, with the message built only when the value is refused (this runs often)."""
    if value is None or (type(value) is int and 0 <= value <= check.DOSE_MAX):
        return value
    return check.dose(f"{what} of {exercise_id}", value)


def check_exercise(exercise_id: Any, catalog: Catalog) -> str:
    """The id of an exercise of the catalog (not an alias: the store keeps canonical ids)."""
    known = isinstance(exercise_id, str) and exercise_id in catalog
    if not known or catalog[exercise_id].id != exercise_id:
        raise StoreError(
            f"exercise_id={exercise_id!r} is not in the exercise catalog "
            f"({len(catalog)} exercises; see backlib.load_catalog().ids)"
        )
    return exercise_id
