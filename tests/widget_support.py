"""Routine items for the widget tests: a catalog exercise at its default dose, or one given."""

from __future__ import annotations

from backlib.plan.routine import RoutineItem


def _item(catalog, exercise_id, phase, **dose):
    exercise = catalog[exercise_id]
    default = exercise.dose
    values = {
        "sets": default.sets.default,
        "reps": default.reps.default if default.reps else None,
        "hold_s": default.hold_s.default if default.hold_s else None,
        "duration_s": default.duration_s.default if default.duration_s else None,
    }
    values.update(dose)
    return RoutineItem(
        exercise=exercise,
        phase=phase,
        per_side=default.per_side,
        seconds=120,
        why=f"works the <{phase}> & more",
        **values,
    )
