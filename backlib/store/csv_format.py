"""The store's CSV format, shared by export and import: the four files and their columns.

A value is written so that it reads back exactly (documented in README.md, "Data formats").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backlib.errors import StoreError
from backlib.store.frames import DOSE_COLUMNS
from backlib.store.schema import PATIENT_VALUES, SESSION_VALUES

PATIENT_FIELDS = PATIENT_VALUES
SESSION_FIELDS = ("session_uid", *SESSION_VALUES, "routine")
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
        first = problems[0] if problems else None
        super().__init__(
            f"import from {folder} refused, nothing was written; "
            f"{len(problems)} problem(s) to fix:\n{listing}",
            field=first.column if first else None,
            row=first.line if first else None,
            file=folder / first.file if first else folder,
        )


def format_value(value: Any) -> str:
    """A stored value as CSV text that the import reads back as the same value."""
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
