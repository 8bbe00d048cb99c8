"""Each CSV row checked on its own: every value parsed by the rules the store writes with.

This needs the files and the catalog only, not the store, so the import runs it before it takes
the write lock, and the export runs it on what it is about to write (a backup that the import
would refuse is never written). Checks against the store's own rows are in csv_import.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from backlib.catalog import Catalog
from backlib.constants import (
    DIFFICULTY_MAX,
    DIFFICULTY_MIN,
    DOSE_VALUE_MAX,
    DOSE_VARIABLES,
    PAIN_MAX,
    PAIN_MIN,
    PHASES,
    TARGET_PER_WEEK_MAX,
    TARGET_PER_WEEK_MIN,
)
from backlib.errors import BacklibError, StoreError
from backlib.questionnaires import INSTRUMENTS
from backlib.questionnaires import score as score_questionnaire
from backlib.store import programme_rows, questionnaire_rows
from backlib.store import validate as check
from backlib.store.csv_format import Problem, format_value
from backlib.store.csv_read import CsvFolder, Rows
from backlib.store.frames import DOSE_COLUMNS
from backlib.store.routine_text import check_routine_text

# Namespace for uids derived from a row's natural key when the uid column is left blank.
_UID_NAMESPACE = uuid.UUID("6f1c3c1e-3b5e-4b8e-9a43-1f0b9e0c7a21")
# Numbers as the export writes them (ASCII digits; Python's shortest float repr), plus a sign:
# no NaN, no infinity, no spaces, no '1_000', no digits of other scripts.
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
POSITION_MAX = 10_000  # exercises in one session: far more than any routine has


Keyed = dict[Any, tuple[int, dict[str, Any]]]


@dataclass
class ParsedFiles:
    """The rows that passed their own checks, keyed and with their line, and every problem."""

    patients: Keyed = field(default_factory=dict)
    sessions: Keyed = field(default_factory=dict)
    # session uid -> the (line, row) of each of its entries, in file order
    entries: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    outcomes: Keyed = field(default_factory=dict)
    # questionnaire uid -> (line of its first row, its rows re-scored: QuestionnaireRecord)
    questionnaires: Keyed = field(default_factory=dict)
    # questionnaire uid -> (line, the outcome row of its total) when outcomes.csv lacks it
    questionnaire_outcomes: Keyed = field(default_factory=dict)
    # programme uid -> (line of its first row, its rows checked: ProgrammeRecord)
    programmes: Keyed = field(default_factory=dict)
    # session uids whose row in sessions.csv was refused (their entries are refused with them)
    refused_sessions: set[str] = field(default_factory=set)
    # well-formed patient ids whose row in patients.csv was refused
    refused_patients: set[str] = field(default_factory=set)
    # (file, line, patient_id) of refused session, outcome and questionnaire rows whose
    # patient_id is well formed: the import still says when that patient is unknown, so every
    # problem is listed
    patient_references: list[tuple[str, int, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def rows(self) -> int:
        """How many rows passed their own checks."""
        entries = sum(len(rows) for rows in self.entries.values())
        items = sum(len(record.items) for _, record in self.questionnaires.values())
        programmed = sum(len(record.items) for _, record in self.programmes.values())
        return (
            len(self.patients)
            + len(self.sessions)
            + entries
            + len(self.outcomes)
            + items
            + programmed
        )


class _Rows:
    """Parses one file's rows, recording a Problem for every value that fails a check."""

    def __init__(self, file: str, problems: list[Problem]):
        self.file = file
        self.problems = problems
        self.line = 0
        self.bad = False

    def start(self, line: int) -> None:
        self.line, self.bad = line, False

    def value(self, raw: dict[str, str], column: str, parse: Callable[[str], Any]) -> Any:
        try:
            return parse(raw.get(column) or "")
        except StoreError as err:
            self.fail(column, str(err))
        except ValueError as err:  # a parser's own refusal, worded by Python
            self.fail(column, f"{check.shown(raw.get(column))!r}: {err}")
        return None

    def fail(self, column: str, reason: str) -> None:
        self.bad = True
        self.problems.append(Problem(self.file, self.line, column, reason))


def parse_files(files: CsvFolder, catalog: Catalog) -> ParsedFiles:
    """Check every row of the files on its own (values, duplicates within a file); each
    questionnaire of questionnaires.csv is re-scored, and its total checked against outcomes.csv;
    each programme version of programmes.csv is checked as ``Store.save_programme`` checks one."""
    parsed = ParsedFiles(problems=list(files.problems))
    parser = _Parser(catalog, parsed)
    parser.patients(files.rows["patients.csv"])
    parser.sessions(files.rows["sessions.csv"])
    parser.entries(files.rows["entries.csv"])
    parser.outcomes(files.rows["outcomes.csv"])
    parser.questionnaires(files.rows["questionnaires.csv"])
    parser.programmes(files.rows["programmes.csv"])
    return parsed


# --- one value -----------------------------------------------------------------------------
def integer_parser(low: int, high: int, field: str) -> Callable[[str], int | None]:
    """Text -> a whole number within [low, high], or None for an empty cell."""

    def parse(text: str) -> int | None:
        if text == "":
            return None
        if not _INTEGER.fullmatch(text):
            raise StoreError(f"{field}={text!r} is not a whole number ({low}-{high})", field=field)
        return check.integer(field, int(text), low, high)

    return parse


def decimal(field: str, text: str) -> float | None:
    """Text -> a finite decimal number, or None for an empty cell (range checked by the caller)."""
    if text == "":
        return None
    if not _DECIMAL.fullmatch(text):
        raise StoreError(f"{field}={check.shown(text)!r} is not a number", field=field)
    return float(text)


def required(field: str, text: str) -> str:
    if text == "":
        raise StoreError(f"{field} is required", field=field)
    return text


def derived_uid(*parts: Any) -> str:
    """The uid of a row whose uid cell is empty: the same row always gets the same uid."""
    return str(uuid.uuid5(_UID_NAMESPACE, "|".join(format_value(part) for part in parts)))


def _agree(
    parser: _Rows, group: dict[str, Any], head: dict[str, Any], named: str, what: str
) -> None:
    """A row of a multi-row record (a questionnaire, a programme version) must repeat the
    columns its first row gave; each that differs is a problem at this row."""
    for column, first in group["head"].items():
        if first is not None and head[column] is not None and head[column] != first:
            parser.fail(
                column,
                f"{named} has {column}={format_value(first)!r} on line {group['line']}; "
                f"every row of one {what} must agree",
            )


def _programme_column(err: BacklibError) -> str:
    """The programmes.csv column a programme's refusal is about."""
    if err.field == "doses":  # validate_doses names the variable as ".reps", ".hold_s", ...
        return next((v for v in DOSE_VARIABLES if f".{v}" in str(err)), "sets")
    return {"items": "exercise_id", None: "-"}.get(err.field, err.field or "-")


def _boolean(text: str) -> bool:
    lowered = text.strip().lower()
    if lowered not in ("true", "false"):
        raise StoreError(f"completed={check.shown(text)!r} is not true or false", field="completed")
    return lowered == "true"


_DOSE_PARSERS = {name: integer_parser(0, DOSE_VALUE_MAX, name) for name in DOSE_COLUMNS}
_PAIN_FIELDS = ("pain_before", "pain_during", "pain_after", "pain_next_morning")
_PAIN_PARSERS = {name: integer_parser(PAIN_MIN, PAIN_MAX, name) for name in _PAIN_FIELDS}
_DIFFICULTY = integer_parser(DIFFICULTY_MIN, DIFFICULTY_MAX, "difficulty")
_TARGET = integer_parser(TARGET_PER_WEEK_MIN, TARGET_PER_WEEK_MAX, "target_per_week")
_POSITION = integer_parser(0, POSITION_MAX, "position")
_VERSION = integer_parser(1, check.KEY_MAX, "version")
_PROGRAMME_VERSION = integer_parser(1, check.KEY_MAX, "programme_version")
# The columns of programmes.csv that every row of one version repeats, each with its parser.
_PROGRAMME_HEAD: dict[str, Callable[[str], Any]] = {
    "patient_id": check.patient_id,
    "version": lambda t: _VERSION(required("version", t)),
    "created": lambda t: check.timestamp("created", required("created", t)),
    "reason": lambda t: required("reason", t),
    "by": programme_rows.checked_by,
    "note": lambda t: check.text("note", t),
    "days_per_week": lambda t: integer_parser(1, 7, "days_per_week")(required("days_per_week", t)),
    "weekdays": str,
    "areas": lambda t: required("areas", t),
    "minutes": lambda t: integer_parser(0, DOSE_VALUE_MAX, "minutes")(required("minutes", t)),
    "level": lambda t: required("level", t),
    "conditions": str,
    "equipment": str,
    "pain": integer_parser(PAIN_MIN, PAIN_MAX, "pain"),
}
# An answer's value is parsed as a whole number here and checked by the instrument's scoring.
_ANSWER = integer_parser(-DOSE_VALUE_MAX, DOSE_VALUE_MAX, "value")
_ITEM_MAX = max(len(spec.items) for spec in INSTRUMENTS.values())
# Words of questionnaires.score's refusals of a PSFS activity's name (not its rating).
_NAME_REFUSALS = ("is not a name", "is named twice", "has too long a name")


# --- the files ------------------------------------------------------------------------------
class _Parser:
    def __init__(self, catalog: Catalog, parsed: ParsedFiles):
        self.catalog = catalog
        self.parsed = parsed
        self.exercise_ids = frozenset(catalog.ids)
        self.routines: dict[str, str | None] = {}  # routine text -> None or why it is refused

    def patients(self, rows: Rows) -> None:
        parser = _Rows("patients.csv", self.parsed.problems)
        found = self.parsed.patients
        for line, raw in rows:
            parser.start(line)
            pid = parser.value(raw, "patient_id", check.patient_id)
            row = {
                "patient_id": pid,
                "name": parser.value(raw, "name", lambda t, p=pid: check.name(t, default=p or "")),
                "created": parser.value(
                    raw, "created", lambda t: check.timestamp("created", required("created", t))
                ),
                "weight_kg": parser.value(
                    raw, "weight_kg", lambda t: check.weight_kg(decimal("weight_kg", t))
                ),
                "target_per_week": parser.value(
                    raw,
                    "target_per_week",
                    lambda t: check.target_per_week(_TARGET(required("target_per_week", t))),
                ),
            }
            if pid is not None and pid in found:
                parser.fail("patient_id", f"patient_id={pid!r} appears twice in the file")
            if not parser.bad:
                found[pid] = (line, row)
            elif pid is not None:
                self.parsed.refused_patients.add(pid)

    def sessions(self, rows: Rows) -> None:
        parser = _Rows("sessions.csv", self.parsed.problems)
        found = self.parsed.sessions
        for line, raw in rows:
            parser.start(line)
            row: dict[str, Any] = {"patient_id": parser.value(raw, "patient_id", check.patient_id)}
            row["started_at"] = parser.value(
                raw,
                "started_at",
                lambda t: check.timestamp("started_at", required("started_at", t)),
            )
            for name in ("planned_minutes", "actual_minutes"):
                row[name] = parser.value(
                    raw, name, lambda t, f=name: check.minutes(f, decimal(f, t))
                )
            for name in _PAIN_FIELDS:
                row[name] = parser.value(raw, name, _PAIN_PARSERS[name])
            row["difficulty"] = parser.value(raw, "difficulty", _DIFFICULTY)
            row["notes"] = parser.value(raw, "notes", lambda t: check.text("notes", t))
            row["programme_version"] = parser.value(raw, "programme_version", _PROGRAMME_VERSION)
            row["routine"] = parser.value(raw, "routine", self._routine)
            given = raw["session_uid"]
            if given:
                uid = parser.value(raw, "session_uid", lambda t: check.uid("session_uid", t))
            else:
                uid = derived_uid("session", row["patient_id"], row["started_at"])
            row["uid"] = uid
            if uid is not None and uid in found:
                parser.fail("session_uid", f"session_uid={uid!r} appears twice in the file")
            if parser.bad:
                if given:
                    self.parsed.refused_sessions.add(given)
                self._reference(parser, row["patient_id"])
            else:
                found[uid] = (line, row)

    def entries(self, rows: Rows) -> None:
        parser = _Rows("entries.csv", self.parsed.problems)
        grouped = self.parsed.entries
        positions: set[tuple[str, int]] = set()
        for line, raw in rows:
            parser.start(line)
            uid = raw["session_uid"]
            if uid in self.parsed.refused_sessions:
                parser.fail(
                    "session_uid", f"session_uid={uid!r}: its row in sessions.csv is refused"
                )
                continue
            if uid not in self.parsed.sessions:  # a session of sessions.csv has a checked uid
                parser.value(raw, "session_uid", lambda t: check.uid("session_uid", t))
            row = self._entry_fast(raw) or self._entry_checked(parser, raw)
            position = row["position"]
            if position is not None and (uid, position) in positions:
                parser.fail("position", f"session {uid} has position {position} twice")
            positions.add((uid, position))
            if not parser.bad:
                grouped.setdefault(uid, []).append((line, row))

    def outcomes(self, rows: Rows) -> None:
        parser = _Rows("outcomes.csv", self.parsed.problems)
        found = self.parsed.outcomes
        for line, raw in rows:
            parser.start(line)
            row: dict[str, Any] = {"patient_id": parser.value(raw, "patient_id", check.patient_id)}
            row["measured_on"] = parser.value(
                raw, "measured_on", lambda t: check.day("measured_on", required("measured_on", t))
            )
            row["measure"] = parser.value(raw, "measure", check.measure)
            row["score"] = None
            if row["measure"] is not None:
                row["score"] = parser.value(
                    raw,
                    "score",
                    lambda t, m=row["measure"]: check.score(m, decimal("score", t)),
                )
            if raw["outcome_uid"]:
                uid = parser.value(raw, "outcome_uid", lambda t: check.uid("outcome_uid", t))
            else:
                uid = derived_uid(
                    "outcome", row["patient_id"], row["measured_on"], row["measure"], row["score"]
                )
            row["uid"] = uid
            if uid is not None and uid in found:
                parser.fail("outcome_uid", f"outcome_uid={uid!r} appears twice in the file")
            if parser.bad:
                self._reference(parser, row["patient_id"])
            else:
                found[uid] = (line, row)

    def questionnaires(self, rows: Rows) -> None:
        """Group the item rows by questionnaire, check each row, then re-score each one."""
        parser = _Rows("questionnaires.csv", self.parsed.problems)
        groups: dict[str, dict[str, Any]] = {}
        for line, raw in rows:
            parser.start(line)
            pid = parser.value(raw, "patient_id", check.patient_id)
            instrument = parser.value(
                raw,
                "instrument",
                lambda t: questionnaire_rows.instrument(required("instrument", t)),
            )
            day = parser.value(
                raw, "answered_on", lambda t: check.day("answered_on", required("answered_on", t))
            )
            count = len(INSTRUMENTS[instrument].items) if instrument else _ITEM_MAX
            item = parser.value(
                raw, "item", lambda t, n=count: integer_parser(1, n, "item")(required("item", t))
            )
            value = parser.value(raw, "value", lambda t: _ANSWER(required("value", t)))
            text = raw["text"]
            if instrument is not None:
                text = parser.value(
                    raw, "text", lambda t, i=instrument: questionnaire_rows.item_text(i, t)
                )
            if raw["questionnaire_uid"]:
                uid = parser.value(
                    raw, "questionnaire_uid", lambda t: check.uid("questionnaire_uid", t)
                )
            else:
                uid = derived_uid("questionnaire", pid, instrument, day)
            if uid is None:
                self._reference(parser, pid)
                continue
            head = {"patient_id": pid, "instrument": instrument, "answered_on": day}
            group = groups.setdefault(uid, {"line": line, "head": head, "items": {}, "bad": False})
            _agree(parser, group, head, f"questionnaire_uid={uid!r}", "questionnaire")
            if item is not None and item in group["items"]:
                parser.fail("item", f"questionnaire_uid={uid!r} has item {item} twice")
            if parser.bad:
                group["bad"] = True
                self._reference(parser, pid)
            else:
                group["items"][item] = (line, value, text)
        for uid, group in groups.items():
            if not group["bad"]:
                self._questionnaire(parser, uid, group)

    def _questionnaire(self, parser: _Rows, uid: str, group: dict[str, Any]) -> None:
        """Re-score one questionnaire's item rows; a refusal names the item's line and column."""
        head, items = group["head"], group["items"]
        instrument = head["instrument"]
        parser.start(group["line"])
        numbers = sorted(items)
        if instrument == "psfs" and numbers != list(range(1, len(numbers) + 1)):
            parser.fail(
                "item",
                f"questionnaire_uid={uid!r}: PSFS activities are numbered 1-{len(numbers)} in "
                f"order (got {', '.join(map(str, numbers))})",
            )
            self._reference(parser, head["patient_id"])
            return
        answers = questionnaire_rows.answers_of(
            instrument, {n: (value, text) for n, (_, value, text) in items.items()}
        )
        try:
            result = score_questionnaire(instrument, answers)
            record = questionnaire_rows.record(result, head["patient_id"], head["answered_on"], uid)
        except BacklibError as err:
            if err.row in items:
                parser.start(items[err.row][0])
            name = instrument == "psfs" and any(word in str(err) for word in _NAME_REFUSALS)
            column = "text" if name else ("value" if err.row in items else "item")
            parser.fail(column, f"questionnaire_uid={uid!r}: {err}")
            self._reference(parser, head["patient_id"])
            return
        self.parsed.questionnaires[uid] = (group["line"], record)
        if record.outcome is None:
            return
        listed = self.parsed.outcomes.get(uid)
        if listed is None:
            self.parsed.questionnaire_outcomes[uid] = (group["line"], record.outcome)
            return
        line, outcome = listed
        differing = [c for c in record.outcome if c != "uid" and outcome[c] != record.outcome[c]]
        if differing:
            column = "score" if differing[0] == "score" else differing[0]
            self.parsed.problems.append(
                Problem(
                    "outcomes.csv",
                    line,
                    column,
                    f"outcome_uid={uid!r} is the total of that questionnaire in "
                    f"questionnaires.csv (line {group['line']}), which gives "
                    f"{', '.join(f'{c}={format_value(record.outcome[c])}' for c in differing)}; "
                    "the two must agree",
                )
            )

    def programmes(self, rows: Rows) -> None:
        """Group the item rows by version, check each row, then each version as a whole."""
        parser = _Rows("programmes.csv", self.parsed.problems)
        groups: dict[str, dict[str, Any]] = {}
        versions: dict[tuple[str, int], str] = {}
        for line, raw in rows:
            parser.start(line)
            head = {name: parser.value(raw, name, parse) for name, parse in _PROGRAMME_HEAD.items()}
            item = {
                "position": parser.value(
                    raw, "position", lambda t: _POSITION(required("position", t))
                ),
                "exercise_id": raw["exercise_id"],
                "phase": parser.value(raw, "phase", check.phase),
                **{
                    name: parser.value(raw, name, integer_parser(0, DOSE_VALUE_MAX, name))
                    for name in DOSE_VARIABLES
                },
            }
            if item["sets"] is None and not parser.bad:
                parser.fail("sets", "sets is required")
            if raw["programme_uid"]:
                uid = parser.value(raw, "programme_uid", lambda t: check.uid("programme_uid", t))
            else:
                uid = derived_uid("programme", head["patient_id"], head["version"])
            if uid is None:
                self._reference(parser, head["patient_id"])
                continue
            group = groups.setdefault(uid, {"line": line, "head": head, "items": [], "bad": False})
            _agree(parser, group, head, f"programme_uid={uid!r}", "programme version")
            key = (head["patient_id"], head["version"])
            if None not in key and versions.setdefault(key, uid) != uid:
                parser.fail(
                    "version",
                    f"patient {key[0]!r} has programme version {key[1]} twice in the file "
                    "(under two programme_uid values)",
                )
            positions = {row["position"] for _, row in group["items"]}
            if item["position"] is not None and item["position"] in positions:
                parser.fail(
                    "position", f"programme_uid={uid!r} has position {item['position']} twice"
                )
            if parser.bad:
                group["bad"] = True
                self._reference(parser, head["patient_id"])
            else:
                group["items"].append((line, item))
        for uid, group in groups.items():
            if not group["bad"]:
                self._programme(parser, uid, group)

    def _programme(self, parser: _Rows, uid: str, group: dict[str, Any]) -> None:
        """One version checked whole: a programme the store would save (catalog, doses, rules)."""
        head = group["head"]
        parser.start(group["line"])
        try:
            programme = programme_rows.programme_of(head, [row for _, row in group["items"]])
            programme.check(self.catalog)
        except BacklibError as err:
            exercise = next(
                (line for line, row in group["items"] if row["exercise_id"] in str(err)), None
            )
            if exercise is not None:
                parser.start(exercise)
            parser.fail(_programme_column(err), f"programme_uid={uid!r}: {err}")
            self._reference(parser, head["patient_id"])
            return
        record = programme_rows.record_of(programme, head["patient_id"], head["version"], uid)
        self.parsed.programmes[uid] = (group["line"], record)

    # --- helpers ---------------------------------------------------------------------------
    def _reference(self, parser: _Rows, patient_id: str | None) -> None:
        if patient_id is not None:
            self.parsed.patient_references.append((parser.file, parser.line, patient_id))

    def _routine(self, text: str) -> str:
        """check_routine_text, once per distinct text (a programme logs the same routine often)."""
        if text not in self.routines:
            try:
                check_routine_text(text, self.catalog)
                self.routines[text] = None
            except StoreError as err:
                self.routines[text] = str(err)
        problem = self.routines[text]
        if problem is not None:
            raise StoreError(problem, field="routine")
        return text

    def _entry_fast(self, raw: dict[str, str]) -> dict[str, Any] | None:
        """The common well-formed row, parsed cheaply; None sends it to the checked path."""
        values: dict[str, Any] = {}
        for name in ("position", *DOSE_COLUMNS, "pain_during"):
            text = raw[name]
            if text == "":
                if name == "position":
                    return None
                values[name] = None
            elif text.isascii() and text.isdigit() and len(text) <= 5:
                number = int(text)
                if number > (PAIN_MAX if name == "pain_during" else DOSE_VALUE_MAX):
                    return None
                values[name] = number
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
        row: dict[str, Any] = {}
        row["position"] = parser.value(
            raw, "position", lambda t: _POSITION(required("position", t))
        )
        row["exercise_id"] = parser.value(raw, "exercise_id", self._exercise)
        row["phase"] = parser.value(raw, "phase", check.phase)
        for name in DOSE_COLUMNS:
            row[name] = parser.value(raw, name, _DOSE_PARSERS[name])
        row["completed"] = parser.value(raw, "completed", _boolean)
        row["pain_during"] = parser.value(raw, "pain_during", _PAIN_PARSERS["pain_during"])
        return row

    def _exercise(self, text: str) -> str:
        """A canonical exercise id of the catalog, or a retired one (old sessions keep theirs)."""
        if self.catalog.is_readable(text):
            return text
        raise StoreError(
            f"exercise_id={check.shown(text)!r} is not in the exercise catalog "
            f"({len(self.catalog)} exercises; see backlib.load_catalog().ids; an id taken out "
            "of the catalog stays readable when its [[retired]] list names it)",
            field="exercise_id",
        )
