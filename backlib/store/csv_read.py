"""Reading the CSV files of an import: UTF-8 text, the exact header, one value per column.

Every file problem (missing, unreadable, not UTF-8, broken quoting, a wrong header or a row of
the wrong length) is recorded as a Problem with the file and line, never raised, so the import
can report all of them at once. Cells come back with the formula guard removed. A folder without
questionnaires.csv or programmes.csv (an export older than them) reads as one with none, and a
sessions.csv without the programme_version column as sessions done from no programme.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from backlib.constants import NOTES_MAX, ROUTINE_TEXT_MAX
from backlib.store.csv_format import FILES, OLDER_HEADERS, OPTIONAL_FILES, Problem
from backlib.store.formula_guard import unguard_cell

# Python's csv module refuses fields over 131,072 characters; the longest text the store keeps
# (plus a guard apostrophe and quotes) must read back, and a longer value should reach the
# column's own length check, so the limit is set well above it. A field past even this is a
# broken quote swallowing the rest of the file, reported with its line.
FIELD_LIMIT = 4 * max(NOTES_MAX, ROUTINE_TEXT_MAX)
# Spreadsheets save "CSV UTF-8" with a byte-order mark; it is not part of the first column name.
_BOM = "\ufeff"

Rows = list[tuple[int, dict[str, str]]]


@dataclass(frozen=True)
class CsvFolder:
    """The files of an import, read and split into rows, with the problems found so far."""

    folder: Path
    rows: dict[str, Rows]
    problems: tuple[Problem, ...]


def read_csv_folder(folder: Path) -> CsvFolder:
    """Read the files (before any transaction opens, so the store is not locked meanwhile)."""
    folder = Path(folder)
    problems: list[Problem] = []
    if not folder.is_dir():
        reason = "is a file, not a folder" if folder.exists() else "does not exist"
        problems.append(Problem("-", 0, "-", f"the folder {folder} {reason}"))
        return CsvFolder(folder, {name: [] for name in FILES}, tuple(problems))
    rows = {
        name: []
        if name in OPTIONAL_FILES
        and not (folder / name).exists()
        and not (folder / name).is_symlink()
        else read_csv_file(folder, name, fields, problems)
        for name, fields in FILES.items()
    }
    return CsvFolder(folder, rows, tuple(problems))


def read_csv_file(
    folder: Path, name: str, fields: tuple[str, ...], problems: list[Problem]
) -> Rows:
    """(first line number, raw row) pairs of one file; every problem is recorded, not raised."""
    path = folder / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.append(Problem(name, 0, "-", f"file missing from {folder}"))
        return []
    except OSError as err:
        problems.append(Problem(name, 0, "-", f"cannot read {path}: {err.strerror}"))
        return []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        column = err.start - (data.rfind(b"\n", 0, err.start) + 1) + 1
        problems.append(
            Problem(
                name,
                line,
                "-",
                f"not UTF-8 text: byte {err.start + 1} of the file (0x{data[err.start]:02x}, "
                f"byte {column} of line {line}) is not UTF-8; save the file as UTF-8 "
                "(in a spreadsheet: CSV UTF-8)",
            )
        )
        return []
    return parse_csv_text(name, text.removeprefix(_BOM), fields, problems)


def parse_csv_text(name: str, text: str, fields: tuple[str, ...], problems: list[Problem]) -> Rows:
    """Split one file's text into rows of the given header; problems are recorded, not raised."""
    rows: Rows = []
    line = 0  # the last line of the last row read
    with _field_limit(FIELD_LIMIT):
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            header = next(reader, None)
            older = OLDER_HEADERS.get(name, ())
            read_fields = tuple(header) if header is not None and tuple(header) in older else fields
            if header is None or tuple(header) != read_fields:
                problems.append(
                    Problem(
                        name, 1, "-", f"header must be exactly: {','.join(fields)} (got {header})"
                    )
                )
                return []
            line = reader.line_num
            for values in reader:
                start, line = line + 1, reader.line_num
                if len(values) != len(read_fields):
                    problems.append(
                        Problem(
                            name, start, "-", f"{len(values)} values, expected {len(read_fields)}"
                        )
                    )
                    continue
                cells = [unguard_cell(v) if v[:1] == "'" else v for v in values]
                row = dict.fromkeys(fields, "")
                row.update(zip(read_fields, cells, strict=True))
                rows.append((start, row))
        except csv.Error as err:
            # The row that starts after the last one read is the broken one (often a quote
            # that is never closed, or a file cut short).
            problems.append(Problem(name, line + 1, "-", f"the row is not readable as CSV: {err}"))
    return rows


@contextmanager
def _field_limit(limit: int) -> Iterator[None]:
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)
