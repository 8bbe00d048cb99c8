"""CSV import: every row of the four files checked first, then the new ones added in one go.

Rows are matched to what the store already holds by natural keys (patient_id) and stable ids
(session_uid, outcome_uid), so importing the same files twice adds nothing; a row that
contradicts a stored one is reported instead of overwriting it.
"""

from __future__ import annotations

import csv
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backlib.catalog import Catalog
from backlib.constants import (
    DOSE_VALUE_MAX,
    PAIN_MAX,
    PAIN_MIN,
    PHASES,
    TARGET_PER_WEEK_MAX,
    TARGET_PER_WEEK_MIN,
)
from backlib.errors import StoreError
from backlib.store import validate as check
from backlib.store.csv_format import FILES, CsvImportError, Problem, format_value
from backlib.store.entries import check_exercise
from backlib.store.frames import DOSE_COLUMNS
from backlib.store.schema import entries, outcomes, patients, sessions

# Namespace for uids derived from a row's natural key when the uid column is left blank.
_UID_NAMESPACE = uuid.UUID("6f1c3c1e-3b5e-4b8e-9a43-1f0b9e0c7a21")
_CHUNK = 1000  # rows per INSERT batch and per IN (...) lookup
_INTEGER = re.compile(r"^[+-]?\d+$")


# --- import ---------------------------------------------------------------------------------
class _Rows:
    """Parses one file's rows, recording a Problem for every value that fails a check."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        self.line = 0
        self.bad = False

    def value(self, raw: dict[str, str], column: str, parse: Callable[[str], Any]) -> Any:
        try:
            return parse(raw.get(column) or "")
        except StoreError as err:
            self.fail(column, str(err))
        except ValueError as err:
            self.fail(column, f"{raw.get(column)!r}: {err}")
        return None

    def fail(self, column: str, reason: str) -> None:
        self.bad = True
        self.problems.append(Problem(self.file, self.line, column, reason))


@dataclass(frozen=True)
class CsvFolder:
    """The four files of an import, read and split into rows, with the problems found so far."""

    folder: Path
    rows: dict[str, list[tuple[int, dict[str, str]]]]
    problems: tuple[Problem, ...]


def read_csv_folder(folder: Path) -> CsvFolder:
    """Read the four files (before any transaction opens, so the store is not locked meanwhile)."""
    problems: list[Problem] = []
    rows = {name: _read_file(folder, name, fields, problems) for name, fields in FILES.items()}
    return CsvFolder(folder, rows, tuple(problems))


def import_csv(conn: Connection, catalog: Catalog, files: CsvFolder) -> dict[str, int]:
    """Check every row against the files, the catalog and the store, then add the new ones.

    Runs inside the caller's write transaction; any problem raises CsvImportError listing them
    all, and the caller's rollback leaves the store as it was.
    """
    problems = list(files.problems)
    plan = _Plan(conn, catalog, problems)
    plan.patients(files.rows["patients.csv"])
    plan.sessions(files.rows["sessions.csv"])
    plan.entries(files.rows["entries.csv"])
    plan.outcomes(files.rows["outcomes.csv"])
    if problems:
        raise CsvImportError(files.folder, problems)
    return plan.write()


def _read_file(
    folder: Path, name: str, fields: tuple[str, ...], problems: list[Problem]
) -> list[tuple[int, dict[str, str]]]:
    """(first line number, raw row) pairs; header problems are recorded, not raised."""
    path = folder / name
    if not path.is_file():
        problems.append(Problem(name, 0, "-", f"file missing from {folder}"))
        return []
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None or tuple(header) != fields:
            problems.append(
                Problem(name, 1, "-", f"header must be exactly: {','.join(fields)} (got {header})")
            )
            return []
        line = reader.line_num
        for values in reader:
            start, line = line + 1, reader.line_num
            if len(values) != len(fields):
                problems.append(
                    Problem(name, start, "-", f"{len(values)} values, expected {len(fields)}")
                )
                continue
            rows.append((start, dict(zip(fields, values, strict=True))))
    return rows


def _int(low: int, high: int, field: str) -> Callable[[str], int | None]:
    def parse(text: str) -> int | None:
        if text == "":
            return None
        if text.isdigit():  # plain digits: the usual case
            return check.integer(field, int(text), low, high)
        if not _INTEGER.match(text):
            raise StoreError(f"{field}={text!r} is not a whole number ({low}-{high})", field=field)
        return check.integer(field, int(text), low, high)

    return parse


_DOSE_PARSERS = {field: _int(0, DOSE_VALUE_MAX, field) for field in DOSE_COLUMNS}
_PAIN_PARSERS = {
    field: _int(PAIN_MIN, PAIN_MAX, field)
    for field in ("pain_before", "pain_during", "pain_after", "pain_next_morning")
}


def _float(text: str) -> float | None:
    return None if text == "" else float(text)


def _bool(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered not in ("true", "false"):
        raise StoreError(f"completed={text!r} is not true or false", field="completed")
    return lowered == "true"


def _required(text: str) -> str:
    if text == "":
        raise StoreError("a value is required")
    return text


def _derived_uid(*parts: Any) -> str:
    return str(uuid.uuid5(_UID_NAMESPACE, "|".join(format_value(part) for part in parts)))


class _Plan:
    """Every parsed row, checked against the files and the store, ready to insert."""

    def __init__(self, conn: Connection, catalog: Catalog, problems: list[Problem]):
        self.conn = conn
        self.catalog = catalog
        self.problems = problems
        self.new: dict[str, list[dict[str, Any]]] = {name: [] for name in FILES}
        self.known_patients: set[str] = set()
        self.new_sessions: set[str] = set()
        self.stored_sessions: set[str] = set()
        self.refused_sessions: set[str] = set()
        self.exercise_ids = frozenset(catalog.ids)

    def patients(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        parser = _Rows("patients.csv", self.problems)
        parsed = {}
        for line, raw in rows:
            parser.line, parser.bad = line, False
            pid = parser.value(raw, "patient_id", check.patient_id)
            row = {
                "patient_id": pid,
                "name": parser.value(raw, "name", lambda t, p=pid: check.name(t, default=p or "")),
                "created": parser.value(
                    raw, "created", lambda t: check.timestamp("created", _required(t))
                ),
                "weight_kg": parser.value(raw, "weight_kg", lambda t: check.weight_kg(_float(t))),
                "target_per_week": parser.value(
                    raw,
                    "target_per_week",
                    lambda t: check.target_per_week(
                        _int(TARGET_PER_WEEK_MIN, TARGET_PER_WEEK_MAX, "target_per_week")(t)
                    ),
                ),
            }
            if pid in parsed:
                parser.fail("patient_id", f"patient_id={pid!r} appears twice in the file")
            if not parser.bad:
                parsed[pid] = (line, row)
        stored = self._stored(patients, patients.c.patient_id, list(parsed))
        self.known_patients = set(parsed) | set(self._all_patient_ids())
        self._keep_new("patients.csv", parser, parsed, stored, "patient_id")

    def sessions(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        parser = _Rows("sessions.csv", self.problems)
        parsed = {}
        for line, raw in rows:
            parser.line, parser.bad = line, False
            pid = parser.value(raw, "patient_id", self._patient)
            row: dict[str, Any] = {"patient_id": pid}
            row["started_at"] = parser.value(
                raw, "started_at", lambda t: check.timestamp("started_at", _required(t))
            )
            for field in ("planned_minutes", "actual_minutes"):
                row[field] = parser.value(
                    raw, field, lambda t, f=field: check.minutes(f, _float(t))
                )
            for field in ("pain_before", "pain_during", "pain_after", "pain_next_morning"):
                row[field] = parser.value(raw, field, _PAIN_PARSERS[field])
            row["difficulty"] = parser.value(raw, "difficulty", _int(1, 5, "difficulty"))
            row["notes"] = raw["notes"]
            row["routine"] = raw["routine"]
            uid = raw["session_uid"] or _derived_uid("session", pid, row["started_at"])
            row["uid"] = uid
            if uid in parsed:
                parser.fail("session_uid", f"session_uid={uid!r} appears twice in the file")
            if parser.bad:
                self.refused_sessions.add(raw["session_uid"])
            else:
                parsed[uid] = (line, row)
        stored = self._stored(sessions, sessions.c.uid, list(parsed))
        self.stored_sessions = set(stored)
        self._keep_new("sessions.csv", parser, parsed, stored, "uid", ignore=("session_id",))
        self.new_sessions = {row["uid"] for row in self.new["sessions.csv"]}

    def entries(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        parser = _Rows("entries.csv", self.problems)
        seen = set()
        for line, raw in rows:
            parser.line, parser.bad = line, False
            uid = raw["session_uid"]
            if uid and uid in self.refused_sessions:
                parser.fail(
                    "session_uid", f"session_uid={uid!r}: its row in sessions.csv is refused"
                )
                continue
            if uid not in self.new_sessions and uid not in self.stored_sessions:
                stored = self._stored(sessions, sessions.c.uid, [uid]) if uid else {}
                if not stored:
                    parser.fail(
                        "session_uid",
                        f"session_uid={uid!r} is in neither sessions.csv nor the store",
                    )
                    continue
                self.stored_sessions.add(uid)
            row = self._entry_fast(raw) or self._entry_checked(parser, raw)
            if (uid, row["position"]) in seen:
                parser.fail("position", f"session {uid} has position {row['position']} twice")
            seen.add((uid, row["position"]))
            if not parser.bad and uid in self.new_sessions:
                self.new["entries.csv"].append(row)

    def _entry_fast(self, raw: dict[str, str]) -> dict[str, Any] | None:
        """The common well-formed row, parsed cheaply; None sends it to the checked path."""
        values: dict[str, Any] = {"session_uid": raw["session_uid"]}
        for field in ("position", *DOSE_COLUMNS, "pain_during"):
            text = raw[field]
            if text == "":
                if field == "position":
                    return None
                values[field] = None
            elif text.isdigit() and int(text) <= (10 if field == "pain_during" else 10_000):
                values[field] = int(text)
            else:
                return None
        completed = raw["completed"]
        if completed not in ("true", "false") or raw["phase"] not in PHASES:
            return None
        if raw["exercise_id"] not in self.exercise_ids:
            return None
        values.update(exercise_id=raw["exercise_id"], phase=raw["phase"])
        values["completed"] = completed == "true"
        return values

    def _entry_checked(self, parser: _Rows, raw: dict[str, str]) -> dict[str, Any]:
        row: dict[str, Any] = {"session_uid": raw["session_uid"]}
        row["position"] = parser.value(
            raw, "position", lambda t: _int(0, 10_000, "position")(_required(t))
        )
        row["exercise_id"] = parser.value(
            raw, "exercise_id", lambda t: check_exercise(t, self.catalog)
        )
        row["phase"] = parser.value(raw, "phase", check.phase)
        for field in DOSE_COLUMNS:
            row[field] = parser.value(raw, field, _DOSE_PARSERS[field])
        row["completed"] = parser.value(raw, "completed", _bool)
        row["pain_during"] = parser.value(raw, "pain_during", _PAIN_PARSERS["pain_during"])
        return row

    def outcomes(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        parser = _Rows("outcomes.csv", self.problems)
        parsed = {}
        for line, raw in rows:
            parser.line, parser.bad = line, False
            row: dict[str, Any] = {"patient_id": parser.value(raw, "patient_id", self._patient)}
            row["measured_on"] = parser.value(
                raw, "measured_on", lambda t: check.day("measured_on", _required(t))
            )
            row["measure"] = parser.value(raw, "measure", check.measure)
            if row["measure"] is not None:
                row["score"] = parser.value(
                    raw, "score", lambda t, m=row["measure"]: check.score(m, _float(t))
                )
            uid = raw["outcome_uid"] or _derived_uid(
                "outcome", row["patient_id"], row["measured_on"], row["measure"], row.get("score")
            )
            row["uid"] = uid
            if uid in parsed:
                parser.fail("outcome_uid", f"outcome_uid={uid!r} appears twice in the file")
            if not parser.bad:
                parsed[uid] = (line, row)
        stored = self._stored(outcomes, outcomes.c.uid, list(parsed))
        self._keep_new("outcomes.csv", parser, parsed, stored, "uid", ignore=("outcome_id",))

    def write(self) -> dict[str, int]:
        """Insert the new rows (all checks passed); returns counts per file."""
        conn = self.conn
        for chunk in _chunks(self.new["patients.csv"]):
            conn.execute(patients.insert(), chunk)
        session_ids: dict[str, int] = {}
        for chunk in _chunks(self.new["sessions.csv"]):
            inserted = conn.execute(
                sessions.insert().returning(sessions.c.uid, sessions.c.session_id), chunk
            )
            session_ids.update((uid, sid) for uid, sid in inserted)
        for chunk in _chunks(self.new["entries.csv"]):
            conn.execute(
                entries.insert(),
                [
                    {
                        **{k: v for k, v in row.items() if k != "session_uid"},
                        "session_id": session_ids[row["session_uid"]],
                    }
                    for row in chunk
                ],
            )
        for chunk in _chunks(self.new["outcomes.csv"]):
            conn.execute(outcomes.insert(), chunk)
        return {name: len(rows) for name, rows in self.new.items()}

    # helpers
    def _patient(self, text: str) -> str:
        pid = check.patient_id(text)
        if pid not in self.known_patients:
            raise StoreError(
                f"patient_id={pid!r} is in neither patients.csv nor the store", field="patient_id"
            )
        return pid

    def _all_patient_ids(self) -> list[str]:
        return list(self.conn.execute(sa.select(patients.c.patient_id)).scalars())

    def _stored(self, table: sa.Table, key: sa.Column, values: list[Any]) -> dict[Any, dict]:
        found = {}
        for chunk in _chunks(values):
            query = sa.select(*table.c).where(key.in_(chunk))
            for row in self.conn.execute(query).mappings():
                found[row[key.name]] = dict(row)
        return found

    def _keep_new(self, file, parser, parsed, stored, key, ignore=()) -> None:
        """New rows go to the insert list; stored ones must match exactly or are reported."""
        for value, (line, row) in parsed.items():
            if value not in stored:
                self.new[file].append(row)
                continue
            existing = stored[value]
            differing = [
                column
                for column in row
                if column not in ignore and not _same(row[column], existing.get(column))
            ]
            if differing:
                parser.line = line
                parser.fail(
                    differing[0],
                    f"{key}={value!r} is already in the store with different "
                    f"{', '.join(differing)}; the store keeps its record "
                    "(fix the file or the store)",
                )


def _same(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, float) or isinstance(right, float):
        return float(left) == float(right)
    return left == right


def _chunks(rows: Iterable[Any]) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == _CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch
