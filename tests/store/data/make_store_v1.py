"""Rebuild tests/store/data/store_v1.db: a store of schema version 1 for the migration test.

Run once by hand (``python tests/store/data/make_store_v1.py``); the file is committed so the test
opens a real first-version store, not one the current code could have shaped.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from backlib.store.schema import V1_DDL

TARGET = Path(__file__).with_name("store_v1.db")


def build(path: Path) -> None:
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        for statement in V1_DDL:
            db.execute(statement)
        db.execute("INSERT INTO schema_version (version) VALUES (1)")
        created = dt.datetime(2024, 1, 8, 9, 0)
        for pid, name in (("anna", "Anna K."), ("ben", "Ben")):
            db.execute("INSERT INTO patients VALUES (?, ?, ?)", (pid, name, created.isoformat(" ")))
        routine = json.dumps({"items": [{"exercise_id": "glute-bridge", "phase": "main"}]})
        for day in range(6):
            started = created + dt.timedelta(days=2 * day, hours=9)
            pid = "anna" if day % 2 == 0 else "ben"
            cursor = db.execute(
                "INSERT INTO sessions (patient_id, started_at, minutes, routine, pain_before, "
                "pain_during, pain_after, notes) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (pid, started.isoformat(" "), 12.5, routine, 5 - day // 2, 4, 3, f"day {day}"),
            )
            for position, exercise in enumerate(("march-in-place", "glute-bridge", "cat-cow")):
                db.execute(
                    "INSERT INTO entries (session_id, position, exercise_id, phase, sets, reps, "
                    "completed) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (cursor.lastrowid, position, exercise, "main", 2, 10, position != 2),
                )
    db.close()


if __name__ == "__main__":
    build(TARGET)
    print(f"wrote {TARGET}")
