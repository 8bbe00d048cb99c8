"""Store speed on SQLite: writing 10,000 sessions with entries, and reading one patient's 5 years.

Targets (issue 4): 10,000 sessions with their entries written in <= 5 s; one patient's 5 years of
daily sessions read from a store of 1,000 patients in <= 100 ms. Run by `make bench`.

Writing is measured two ways: 10,000 separate ``log_session`` calls (each its own durable
transaction, as a notebook logs them) and one ``import_csv`` of the same sessions (the bulk path).
Wall time and this process's CPU time are both printed: on a shared machine the gap between them
is time spent waiting for a core.
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
import time
from pathlib import Path

from backlib.catalog import load_catalog
from backlib.plan.routine import Routine, RoutineItem
from backlib.store import open_store
from backlib.store.schema import patients, sessions

WRITE_SESSIONS = 10_000
PATIENTS = 1_000
YEARS = 5
WRITE_TARGET_S = 5.0
CALL_AIM_MS = 0.4  # CPU per log_session with 6 entries: the per-call path's own aim
READ_TARGET_MS = 100.0


def _routine(catalog) -> Routine:
    """Six catalog exercises at their default doses: a typical 20-minute routine."""
    items = []
    for exercise in list(catalog)[:6]:
        dose = exercise.dose
        items.append(
            RoutineItem(
                exercise=exercise,
                phase=exercise.phases[0],
                sets=dose.sets.default,
                reps=dose.reps.default if dose.reps else None,
                hold_s=dose.hold_s.default if dose.hold_s else None,
                duration_s=dose.duration_s.default if dose.duration_s else None,
                per_side=dose.per_side,
                seconds=180,
                why="benchmark",
            )
        )
    return Routine(items=tuple(items), areas=("lower_back",), minutes=20)


def bench_write(folder: Path) -> tuple[float, float, float, float]:
    """Wall and CPU seconds for 10,000 log_session calls, and for importing them as CSV."""
    catalog = load_catalog()
    routine = _routine(catalog)
    start_day = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=WRITE_SESSIONS)
    with open_store(f"sqlite:///{folder / 'write.db'}", catalog=catalog) as store:
        store.add_patient("bench")
        began, cpu = time.perf_counter(), time.process_time()
        for number in range(WRITE_SESSIONS):
            store.log_session(
                "bench",
                routine,
                when=start_day + dt.timedelta(days=number),
                pain_before=number % 11,
                pain_after=(number + 3) % 11,
            )
        logged, logged_cpu = time.perf_counter() - began, time.process_time() - cpu
        store.export_csv(folder / "csv")
    with open_store(f"sqlite:///{folder / 'import.db'}", catalog=catalog) as store:
        began, cpu = time.perf_counter(), time.process_time()
        store.import_csv(folder / "csv")
        imported, imported_cpu = time.perf_counter() - began, time.process_time() - cpu
    return logged, logged_cpu, imported, imported_cpu


def bench_read(folder: Path) -> tuple[float, float, int, float]:
    """Build 1,000 patients x 5 years of daily sessions; time reading one patient (median ms)."""
    days = 365 * YEARS + 1
    first = dt.datetime.now().replace(hour=18, minute=0, second=0, microsecond=0)
    first -= dt.timedelta(days=days)
    with open_store(f"sqlite:///{folder / 'read.db'}", catalog=load_catalog()) as store:
        began = time.perf_counter()
        with store._write() as conn:
            conn.execute(
                patients.insert(),
                [
                    {"patient_id": f"p-{n:04d}", "name": f"Patient {n}", "created": first}
                    for n in range(PATIENTS)
                ],
            )
            for n in range(PATIENTS):
                conn.execute(
                    sessions.insert(),
                    [
                        {
                            "uid": f"{n:04d}-{day:05d}",
                            "patient_id": f"p-{n:04d}",
                            "started_at": first + dt.timedelta(days=day),
                            "planned_minutes": 20.0,
                            "actual_minutes": 18.5,
                            "routine": "",
                            "pain_before": (n + day) % 11,
                            "pain_during": 4,
                            "pain_after": 3,
                            "notes": "",
                        }
                        for day in range(days)
                    ],
                )
        built = time.perf_counter() - began
        timings = []
        for _ in range(20):
            began = time.perf_counter()
            frame = store.sessions("p-0500")
            timings.append((time.perf_counter() - began) * 1000)
        return built, statistics.median(timings), len(frame), max(timings)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        logged, logged_cpu, imported, imported_cpu = bench_write(folder)
        for how, wall, cpu in (
            ("log_session calls", logged, logged_cpu),
            ("one import_csv", imported, imported_cpu),
        ):
            print(
                f"write: {WRITE_SESSIONS:,} sessions x 6 entries by {how}: {wall:.2f} s wall, "
                f"{cpu:.2f} s CPU (target <= {WRITE_TARGET_S:.0f} s) "
                f"[{'ok' if wall <= WRITE_TARGET_S else 'SLOW'}]"
            )
        per_call = logged_cpu / WRITE_SESSIONS * 1000
        print(
            f"write: log_session CPU per call: {per_call:.3f} ms (aim <= {CALL_AIM_MS} ms) "
            f"[{'ok' if per_call <= CALL_AIM_MS else 'SLOW'}]"
        )
        built, median_ms, rows, worst_ms = bench_read(folder)
        print(f"read: built {PATIENTS:,} patients x {YEARS} years of daily sessions: {built:.1f} s")
        print(
            f"read: one patient's {rows:,} sessions: median {median_ms:.1f} ms, worst "
            f"{worst_ms:.1f} ms of 20 (target <= {READ_TARGET_MS:.0f} ms) "
            f"[{'ok' if median_ms <= READ_TARGET_MS else 'SLOW'}]"
        )


if __name__ == "__main__":
    main()
