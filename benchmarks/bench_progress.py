"""Benchmark: weekly_summary + assess + next_doses on 5 years of daily sessions (target <= 150 ms).

The frames are built in memory with the store's shapes (backlib.store.frames), so the figure
measures the analytics, not the database. Prints the median and best of several runs.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pandas as pd

from backlib.catalog import load_catalog
from backlib.progress import assess, weekly_summary
from backlib.progression import next_doses

TARGET_MS = 150.0
YEARS = 5
RUNS = 15
EXERCISES = ("cat-cow", "glute-bridge", "bird-dog", "dead-bug", "knees-to-chest", "walking")


class MemoryStore:
    """The two store methods next_doses reads, over frames held in memory."""

    def __init__(self, sessions: pd.DataFrame, entries: pd.DataFrame):
        self._sessions, self._entries = sessions, entries

    def sessions(self, patient_id=None, start=None, end=None):
        return self._sessions

    def entries(self, patient_id=None, start=None, end=None, session_id=None):
        return self._entries


def synthetic_frames(days: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    started = pd.date_range("2022-01-03 08:00", periods=days, freq="D")
    trend = np.linspace(6, 2, days)

    def pain(offset: float, missing: float = 0.0) -> pd.arrays.IntegerArray:
        values = np.clip(np.round(trend + offset + rng.normal(0, 1, days)), 0, 10).astype(int)
        array = pd.array(values, dtype="Int64")
        array[rng.random(days) < missing] = pd.NA
        return array

    session_ids = np.arange(1, days + 1)
    sessions = pd.DataFrame(
        {
            "session_id": session_ids,
            "patient_id": "bench",
            "started_at": started,
            "planned_minutes": 20.0,
            "actual_minutes": rng.uniform(12, 25, days).round(1),
            "pain_before": pain(0),
            "pain_during": pain(-1),
            "pain_after": pain(-0.5),
            "pain_next_morning": pain(0, missing=0.3),
            "difficulty": pd.array(rng.integers(1, 6, days), dtype="Int64"),
            "notes": "",
            "target_per_week": 3,
            "routine": "",
        }
    )
    n = len(EXERCISES)
    entries = pd.DataFrame(
        {
            "entry_id": np.arange(1, days * n + 1),
            "session_id": np.repeat(session_ids, n),
            "patient_id": "bench",
            "started_at": np.repeat(started, n),
            "exercise_id": np.tile(EXERCISES, days),
            "phase": "main",
        }
    )
    walking = entries["exercise_id"] == "walking"
    for key, value in (("sets", 2), ("reps", 10), ("hold_s", 5), ("duration_s", 600)):
        column = pd.array(np.full(len(entries), value), dtype="Int64")
        if key == "duration_s":
            column[~walking.to_numpy()] = pd.NA
        elif key in ("reps", "hold_s"):
            column[walking.to_numpy()] = pd.NA
        entries[f"prescribed_{key}"] = column
        entries[f"done_{key}"] = column.copy()
    entries["completed"] = True
    entries["pain_during"] = pd.array([pd.NA] * len(entries), dtype="Int64")
    return sessions, entries


def main() -> None:
    days = 365 * YEARS + 1
    sessions, entries = synthetic_frames(days)
    store = MemoryStore(sessions, entries)
    catalog = load_catalog()

    def once() -> float:
        start = time.perf_counter()
        weekly_summary(sessions)
        assess(sessions)
        next_doses(store, "bench", catalog=catalog)
        return (time.perf_counter() - start) * 1000

    once()  # warm-up: imports and first-call caches
    timings = [once() for _ in range(RUNS)]
    median = statistics.median(timings)
    print(
        f"progress: weekly_summary + assess + next_doses on {days} daily sessions "
        f"({len(entries)} entries): median {median:.1f} ms, best {min(timings):.1f} ms "
        f"over {RUNS} runs (target <= {TARGET_MS:.0f} ms) "
        f"{'OK' if median <= TARGET_MS else 'OVER TARGET'}"
    )


if __name__ == "__main__":
    main()
