"""A routine as plain data: the items a planner chose, with their doses, time and reasons."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from backlib.catalog import Catalog, Exercise, describe_dose
from backlib.constants import PHASES
from backlib.labels import CAUTION_TEXT
from backlib.plan.doses import DoseOption, TimedStep, timed_steps
from backlib.plan.handout import routine_html

if TYPE_CHECKING:
    import pandas as pd  # imported where used: a light `import backlib` skips pandas


@dataclass(frozen=True)
class RoutineItem:
    """One exercise of a routine, dosed: sets of reps (each held hold_s) or a duration."""

    exercise: Exercise
    phase: str
    sets: int
    reps: int | None
    hold_s: int | None
    duration_s: int | None
    per_side: bool
    seconds: int
    why: str
    reason: str = ""

    @classmethod
    def dosed(
        cls, exercise: Exercise, phase: str, option: DoseOption, *, why: str, reason: str = ""
    ) -> RoutineItem:
        """An item of an exercise at one of its dose options (with the option's seconds)."""
        return cls(
            exercise=exercise,
            phase=phase,
            sets=option.sets,
            reps=option.reps,
            hold_s=option.hold_s,
            duration_s=option.duration_s,
            per_side=exercise.dose.per_side,
            seconds=option.seconds,
            why=why,
            reason=reason,
        )

    @property
    def exercise_id(self) -> str:
        return self.exercise.id

    @property
    def name(self) -> str:
        return self.exercise.name

    @property
    def stop_if(self) -> str:
        return self.exercise.stop_if

    @property
    def stop_line(self) -> str:
        """The stop rule as a person reads it, saying "Stop" once.

        Most catalog texts already open with "Stop if you ...", so they are shown as written
        (reviewed wording, never rephrased by code); a text that does not name stopping goes
        after a "Stop if:" label.
        """
        text = self.exercise.stop_if
        return text if text.lower().startswith("stop") else f"Stop if: {text}"

    @property
    def caution_notes(self) -> tuple[str, ...]:
        """The exercise's cautions in plain words, shown with it on cards and handouts."""
        return tuple(CAUTION_TEXT[caution] for caution in self.exercise.cautions)

    def timed_steps(self) -> tuple[TimedStep, ...]:
        """The intervals the guided session counts down; they add up to ``seconds``."""
        return timed_steps(self.exercise, self.sets, self.reps, self.hold_s, self.duration_s)

    @property
    def dose_text(self) -> str:
        """The dose in words, e.g. '2 × 10 each side, hold 5 s'."""
        return describe_dose(self.sets, self.reps, self.hold_s, self.duration_s, self.per_side)

    def dose(self) -> dict[str, int | None]:
        """The dose as plain values (the keys `plan_routine(doses=...)` accepts)."""
        return {
            "sets": self.sets,
            "reps": self.reps,
            "hold_s": self.hold_s,
            "duration_s": self.duration_s,
        }


@dataclass(frozen=True)
class Routine:
    """A planned session: items in phase order, the request it answers, and notes for the user."""

    items: tuple[RoutineItem, ...]
    areas: tuple[str, ...]
    minutes: int
    level: str = "beginner"
    pain: int | None = None
    equipment: tuple[str, ...] = ()
    weight_kg: float | None = None
    seed: int = 0
    notes: tuple[str, ...] = ()
    created: dt.date = field(default_factory=dt.date.today)
    conditions: tuple[str, ...] = ()
    # The saved programme version this session comes from (Programme.routine), else None.
    programme_version: int | None = None

    @property
    def total_seconds(self) -> int:
        return sum(item.seconds for item in self.items)

    @property
    def kcal(self) -> float | None:
        """Gross energy: Σ MET × weight_kg × hours (Compendium 2011); None without a weight."""
        if self.weight_kg is None:
            return None
        return sum(item.exercise.met * self.weight_kg * item.seconds / 3600 for item in self.items)

    def phase_items(self, phase: str) -> tuple[RoutineItem, ...]:
        return tuple(item for item in self.items if item.phase == phase)

    def phase_seconds(self) -> dict[str, int]:
        return {phase: sum(i.seconds for i in self.phase_items(phase)) for phase in PHASES}

    def to_frame(self) -> pd.DataFrame:
        """One row per item, in order, for tables and CSV."""
        # pandas here, not at the top: `import backlib` and the planner stay light (import time).
        import pandas as pd

        columns = [
            "phase",
            "exercise_id",
            "name",
            "category",
            "sets",
            "reps",
            "hold_s",
            "duration_s",
            "per_side",
            "dose",
            "seconds",
            "why",
            "reason",
            "cautions",
            "stop_if",
        ]
        rows = [
            {
                "phase": item.phase,
                "exercise_id": item.exercise_id,
                "name": item.name,
                "category": item.exercise.category,
                "sets": item.sets,
                "reps": item.reps,
                "hold_s": item.hold_s,
                "duration_s": item.duration_s,
                "per_side": item.per_side,
                "dose": item.dose_text,
                "seconds": item.seconds,
                "why": item.why,
                "reason": item.reason,
                "cautions": " ".join(item.caution_notes),
                "stop_if": item.stop_if,
            }
            for item in self.items
        ]
        return pd.DataFrame(rows, columns=columns)

    def to_html(self) -> str:
        """A printable, self-contained handout (see backlib.plan.handout)."""

        return routine_html(self)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; `Routine.from_dict` reads it back against a catalog."""
        return {
            "areas": list(self.areas),
            "minutes": self.minutes,
            "level": self.level,
            "pain": self.pain,
            "equipment": list(self.equipment),
            "weight_kg": self.weight_kg,
            "seed": self.seed,
            "notes": list(self.notes),
            "created": self.created.isoformat(),
            "conditions": list(self.conditions),
            "items": [
                {
                    "exercise_id": item.exercise_id,
                    "phase": item.phase,
                    "sets": item.sets,
                    "reps": item.reps,
                    "hold_s": item.hold_s,
                    "duration_s": item.duration_s,
                    "per_side": item.per_side,
                    "seconds": item.seconds,
                    "why": item.why,
                    "reason": item.reason,
                }
                for item in self.items
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], catalog: Catalog) -> Routine:
        items = tuple(
            RoutineItem(
                exercise=catalog[raw["exercise_id"]],
                phase=raw["phase"],
                sets=raw["sets"],
                reps=raw["reps"],
                hold_s=raw["hold_s"],
                duration_s=raw["duration_s"],
                per_side=raw["per_side"],
                seconds=raw["seconds"],
                why=raw["why"],
                reason=raw.get("reason", ""),
            )
            for raw in data["items"]
        )
        return cls(
            items=items,
            areas=tuple(data["areas"]),
            minutes=data["minutes"],
            level=data["level"],
            pain=data["pain"],
            equipment=tuple(data["equipment"]),
            weight_kg=data["weight_kg"],
            seed=data["seed"],
            notes=tuple(data["notes"]),
            created=dt.date.fromisoformat(data["created"]),
            conditions=tuple(data.get("conditions", ())),
        )
