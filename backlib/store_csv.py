"""The store as four CSV files (patients, sessions, entries, outcomes): format and export.

The format is documented in README.md ("Data formats"); values are written so that they read
back exactly (see backlib.store_import for the way in).
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from backlib.errors import StoreError
from backlib.private_files import private_folder, replaced_whole
from backlib.store_frames import DOSE_COLUMNS
from backlib.store_schema import entries, outcomes, patients, sessions

if TYPE_CHECKING:
    from backlib.store import Store

PATIENT_FIELDS = ("patient_id", "name", "created", "weight_kg", "target_per_week")
SESSION_FIELDS = (
    "session_uid",
    "patient_id",
    "started_at",
    "planned_minutes",
    "actual_minutes",
    "pain_before",
    "pain_during",
    "pain_after",
    "pain_next_morning",
    "difficulty",
    "notes",
    "routine",
)
ENTRY_FIELDS = (
    "session_uid",
    "position",
    "exercise_id",
    "phase",
    *DOSE_COLUMNS,
    "completed",
    "pain_during",
)
OUTCOME_FIELDS = ("outcome_uid", "patient_id", "measured_on", "measure", "score")
FILES = {
    "patients.csv": PATIENT_FIELDS,
    "sessions.csv": SESSION_FIELDS,
    "entries.csv": ENTRY_FIELDS,
    "outcomes.csv": OUTCOME_FIELDS,
}


@dataclass(frozen=True)
class Problem:
    """One bad value: where it is and why it was refused."""

    file: str
    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file} line {self.line}, column {self.column}: {self.reason}"


class CsvImportError(StoreError):
    """Some rows were refused; ``problems`` lists every one. Nothing was written."""

    def __init__(self, folder: Path, problems: list[Problem]):
        self.problems = problems
        listing = "\n".join(f"  {problem}" for problem in problems)
        super().__init__(
            f"import from {folder} refused, nothing was written; "
            f"{len(problems)} problem(s) to fix:\n{listing}"
        )


# --- export ---------------------------------------------------------------------------------
def export_csv(store: Store, folder: Path) -> list[Path]:
    """Write the four files into folder (created owner-only); returns their paths."""
    folder = private_folder(folder)
    queries = {
        "patients.csv": sa.select(*patients.c).order_by(patients.c.patient_id),
        "sessions.csv": sa.select(*sessions.c).order_by(
            sessions.c.started_at, sessions.c.session_id
        ),
        "entries.csv": sa.select(*entries.c, sessions.c.uid.label("session_uid"))
        .join(sessions, sessions.c.session_id == entries.c.session_id)
        .order_by(sessions.c.started_at, sessions.c.session_id, entries.c.position),
        "outcomes.csv": sa.select(*outcomes.c).order_by(
            outcomes.c.measured_on, outcomes.c.outcome_id
        ),
    }
    renames = {"sessions.csv": "session_uid", "outcomes.csv": "outcome_uid"}
    written = []
    with store._read() as conn:
        for file_name, query in queries.items():
            fields = FILES[file_name]
            rows = []
            for row in conn.execute(query).mappings():
                record = dict(row)
                if file_name in renames:
                    record[renames[file_name]] = record["uid"]
                rows.append([format_value(record[field]) for field in fields])
            written.append(_write_csv(folder / file_name, fields, rows))
    return written


def format_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)  # shortest text that reads back as the same float
    return str(value)


def _write_csv(path: Path, fields: tuple[str, ...], rows: list[list[str]]) -> Path:
    """One export file, written whole and owner-only (private_files.replaced_whole)."""
    with replaced_whole(path) as temp, temp.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows(rows)
    return path
