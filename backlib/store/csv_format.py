"""The store's CSV format, shared by export and import: the six files and their columns.

A value is written so that it reads back exactly (documented in README.md, "Data formats"): every
field that holds a quote, a comma, a carriage return or a line feed is quoted, and a cell that a
spreadsheet would run as a formula gets a leading apostrophe (`backlib.store.formula_guard`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from backlib.errors import StoreError
from backlib.store.formula_guard import GUARD_FIRST, guard_cell
from backlib.store.frames import DOSE_COLUMNS
from backlib.store.programme_rows import PROGRAMME_COLUMNS
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
QUESTIONNAIRE_FIELDS = (
    "questionnaire_uid",
    "patient_id",
    "instrument",
    "answered_on",
    "item",
    "value",
    "text",
)
# One row per programme version and item.
PROGRAMME_FIELDS = ("programme_uid", *PROGRAMME_COLUMNS)
FILES = {
    "patients.csv": PATIENT_FIELDS,
    "sessions.csv": SESSION_FIELDS,
    "entries.csv": ENTRY_FIELDS,
    "outcomes.csv": OUTCOME_FIELDS,
    "questionnaires.csv": QUESTIONNAIRE_FIELDS,
    "programmes.csv": PROGRAMME_FIELDS,
}
# Files an import may lack: exports older than the questionnaires hold the first four only,
# exports older than the programmes the first five.
OPTIONAL_FILES: tuple[str, ...] = ("questionnaires.csv", "programmes.csv")
# Headers of older exports that still read: their missing columns read as empty cells.
OLDER_HEADERS: dict[str, tuple[tuple[str, ...], ...]] = {
    "sessions.csv": (tuple(f for f in SESSION_FIELDS if f != "programme_version"),),
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


def sorted_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems in file order (patients, sessions, entries, outcomes, questionnaires,
    programmes), then by line."""
    order = {name: number for number, name in enumerate(FILES)}
    return sorted(problems, key=lambda p: (order.get(p.file, len(order)), p.line))


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


class CsvExportError(StoreError):
    """The store holds records the import would refuse, so no backup was written.

    ``problems`` names each record as the file, line and column it would have in the export.
    """

    def __init__(self, folder: Path, problems: list[Problem]):
        self.problems = problems
        listing = "\n".join(f"  {problem}" for problem in problems[:50])
        more = f"\n  ... and {len(problems) - 50} more" if len(problems) > 50 else ""
        first = problems[0] if problems else None
        super().__init__(
            f"export to {folder} refused, nothing was written: {len(problems)} stored value(s) "
            "break the store's current rules, and an export holding them could not be imported "
            f"again. Correct or delete these records, then export again:\n{listing}{more}",
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


def csv_line(cells: Sequence[str]) -> str:
    """One CSV line (ending in "\n") of text cells, formula-guarded and quoted where needed.

    RFC 4180: a field holding the delimiter, a quote or a line break is quoted. Python's csv
    module with lineterminator="\n" leaves a lone "\r" unquoted, and that file no longer reads
    back, so the rule is applied here.
    """
    written = []
    for cell in cells:
        if cell and cell[0] in GUARD_FIRST:
            cell = guard_cell(cell)
        if '"' in cell or "," in cell or "\n" in cell or "\r" in cell:
            cell = '"' + cell.replace('"', '""') + '"'
        written.append(cell)
    return ",".join(written) + "\n"
