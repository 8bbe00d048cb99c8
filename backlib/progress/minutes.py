"""How many minutes each logged exercise took: the routine's own figure, else an estimate.

Used by the minutes-per-category chart; kept apart from the charts because it is arithmetic on
the store's frames and the catalog's doses, not drawing.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from backlib.catalog import Catalog
from backlib.plan.doses import TRANSITION_S
from backlib.progress.frames import as_floats


def entry_seconds(sessions: pd.DataFrame, entries: pd.DataFrame, catalog: Catalog) -> pd.Series:
    """Seconds each entry took: the routine's own figure when stored, else an estimate.

    The estimate from the dose done (else prescribed) is sets × (duration, or reps × hold or
    seconds per rep) × sides, plus rests between sets and the routine's transition time.
    """
    seconds = pd.Series(np.nan, index=entries.index, dtype=float)
    if "routine" in sessions.columns:
        planned = _routine_seconds(sessions)
        if not planned.empty:
            occurrence = entries.groupby(["session_id", "exercise_id"]).cumcount()
            keys = pd.MultiIndex.from_arrays(
                [entries["session_id"], entries["exercise_id"], occurrence]
            )
            seconds = pd.Series(planned.reindex(keys).to_numpy(), index=entries.index)
    missing = seconds.isna()
    if missing.any():
        seconds[missing] = _estimated_seconds(entries[missing], catalog)
    return seconds


def numeric_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A numeric column as floats (NaN when missing or absent)."""
    if name not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return as_floats(frame[name])


def _routine_seconds(sessions: pd.DataFrame) -> pd.Series:
    rows: list[tuple[Any, str, int, float]] = []
    for session_id, text in zip(sessions["session_id"], sessions["routine"], strict=True):
        if not isinstance(text, str) or not text.strip():
            continue
        try:
            items = json.loads(text).get("items", [])
        except (ValueError, AttributeError):
            continue  # a damaged routine falls back to the estimate from the dose
        seen: dict[str, int] = {}
        for item in items:
            ex_id = item.get("exercise_id")
            if ex_id is None or item.get("seconds") is None:
                continue
            rows.append((session_id, ex_id, seen.get(ex_id, 0), float(item["seconds"])))
            seen[ex_id] = seen.get(ex_id, 0) + 1
    if not rows:
        return pd.Series(dtype=float)
    frame = pd.DataFrame(rows, columns=["session_id", "exercise_id", "n", "seconds"])
    return frame.set_index(["session_id", "exercise_id", "n"])["seconds"]


def _estimated_seconds(entries: pd.DataFrame, catalog: Catalog) -> pd.Series:
    def value(name: str) -> pd.Series:
        return numeric_column(entries, f"done_{name}").fillna(
            numeric_column(entries, f"prescribed_{name}")
        )

    known = {ex.id: ex for ex in catalog}
    ids = entries["exercise_id"]
    per_rep = ids.map(lambda e: known[e].dose.seconds_per_rep if e in known else 3.0)
    sides = ids.map(lambda e: 2.0 if e in known and known[e].dose.per_side else 1.0)
    rest = ids.map(lambda e: float(known[e].dose.rest_s) if e in known else 0.0)
    sets = value("sets").fillna(1.0)
    hold = value("hold_s")
    work = value("duration_s").fillna(value("reps") * hold.fillna(per_rep.astype(float)))
    total = sets * work.fillna(0.0) * sides + rest * (sets - 1).clip(lower=0) + TRANSITION_S
    return total.astype(float)
