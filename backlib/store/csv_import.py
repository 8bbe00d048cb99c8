"""CSV import: the checked rows matched against the store, then the new ones added in one go.

Rows are matched to what the store already holds by natural keys (patient_id) and stable ids
(session_uid, outcome_uid, questionnaire_uid, programme_uid), so importing the same files twice
adds nothing.
Each questionnaire is re-scored on import; its total joins the outcomes under its uid. A row that
contradicts a stored one is reported instead of overwriting it; entries of a stored session must
be the stored ones (entries are added with their session only). Nothing is written unless every
row passes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backlib.catalog import Catalog
from backlib.store.csv_format import FILES, CsvImportError, Problem, sorted_problems
from backlib.store.csv_read import CsvFolder, read_csv_folder
from backlib.store.csv_rows import ParsedFiles, parse_files
from backlib.store.frames import DOSE_COLUMNS
from backlib.store.schema import (
    PROGRAMME_ITEM_VALUES,
    entries,
    outcomes,
    patients,
    programme_items,
    programmes,
    questionnaire_items,
    questionnaires,
    sessions,
)

__all__ = ["ImportProgress", "import_csv", "read_csv_folder"]

_CHUNK = 1000  # rows per INSERT batch and per IN (...) lookup
# What an entry records, compared with the stored entry at the same position.
_ENTRY_VALUES = ("exercise_id", "phase", *DOSE_COLUMNS, "completed", "pain_during")


@dataclass(frozen=True)
class ImportProgress:
    """How far an import's write has come.

    Attributes
    ----------
    done, total
        Rows written so far, and rows to write (the new ones; rows already stored are skipped).
    locked_s
        Seconds since the import's write transaction began: other writers to a SQLite store
        wait that long (PostgreSQL only holds the new rows' keys).
    """

    done: int
    total: int
    locked_s: float


ProgressCallback = Callable[[ImportProgress], None]


def import_csv(
    conn: Connection,
    catalog: Catalog,
    files: CsvFolder,
    *,
    parsed: ParsedFiles | None = None,
    progress: ProgressCallback | None = None,
) -> dict[str, int]:
    """Check every row against the files, the catalog and the store, then add the new ones.

    Parameters
    ----------
    conn
        A connection inside the caller's write transaction.
    catalog
        The exercise catalog entries and routines are checked against.
    files
        The files, as `read_csv_folder` read them.
    parsed
        The rows already checked on their own (`csv_rows.parse_files`), so the caller can do that
        before it takes the write lock; parsed here when None.
    progress
        Called with an `ImportProgress` before the first insert and after each batch.

    Returns
    -------
    dict
        Rows added per file.

    Raises
    ------
    CsvImportError
        Listing every problem (file, line, column, reason); the caller's rollback then leaves
        the store as it was.
    """
    began = time.monotonic()
    if parsed is None:
        parsed = parse_files(files, catalog)
    plan = _Reconcile(conn, parsed)
    plan.run()
    if parsed.problems:
        raise CsvImportError(files.folder, sorted_problems(parsed.problems))
    return plan.write(progress, began)


class _Reconcile:
    """The parsed rows matched against the store: new rows to add, contradictions reported."""

    def __init__(self, conn: Connection, parsed: ParsedFiles):
        self.conn = conn
        self.parsed = parsed
        self.problems = parsed.problems
        self.new: dict[str, list[dict[str, Any]]] = {name: [] for name in FILES}
        self.known_patients: set[str] = set()
        self.refused_sessions: set[str] = set(parsed.refused_sessions)
        # new questionnaires (their item rows are in new["questionnaires.csv"])
        self.new_questionnaires: list[dict[str, Any]] = []
        # new programme versions (their item rows are in new["programmes.csv"])
        self.new_programmes: list[dict[str, Any]] = []
        # (patient_id, version) of every programme version in the store or added by the import
        self.programme_versions: set[tuple[str, int]] = set()

    def run(self) -> None:
        self._patients()
        self._programmes()
        self._sessions()
        self._entries()
        self._questionnaires()
        self._outcomes()

    # --- each file -------------------------------------------------------------------------
    def _patients(self) -> None:
        parsed = self.parsed.patients
        stored = self._stored(patients, patients.c.patient_id, list(parsed))
        self._keep_new("patients.csv", parsed, stored, "patient_id")
        references = self.parsed.patient_references
        referenced = {row["patient_id"] for _, row in self.parsed.sessions.values()}
        referenced |= {row["patient_id"] for _, row in self.parsed.outcomes.values()}
        referenced |= {
            record.questionnaire["patient_id"] for _, record in self.parsed.questionnaires.values()
        }
        referenced |= {
            record.programme["patient_id"] for _, record in self.parsed.programmes.values()
        }
        referenced |= {pid for _, _, pid in references}
        elsewhere = list(referenced - set(parsed))
        self.known_patients = set(parsed) | set(
            self._stored(patients, patients.c.patient_id, elsewhere)
        )
        for file, line, pid in references:  # rows refused already: is their patient known too?
            self._patient_known(file, line, pid)

    def _programmes(self) -> None:
        """New versions are added; a stored one (same uid) must match; a version number a
        patient already has under another uid is refused."""
        parsed = {
            uid: (line, record)
            for uid, (line, record) in self.parsed.programmes.items()
            if self._patient_known("programmes.csv", line, record.programme["patient_id"])
        }
        stored = self._stored(programmes, programmes.c.uid, list(parsed))
        stored_items: dict[int, list[dict]] = {}
        for chunk in _chunks([row["programme_id"] for row in stored.values()]):
            query = sa.select(*programme_items.c).where(programme_items.c.programme_id.in_(chunk))
            for row in self.conn.execute(query).mappings():
                stored_items.setdefault(row["programme_id"], []).append(dict(row))
        patient_ids = {record.programme["patient_id"] for _, record in parsed.values()}
        patient_ids |= {row["patient_id"] for _, row in self.parsed.sessions.values()}
        taken: dict[tuple[str, int], str] = {}
        for chunk in _chunks(sorted(patient_ids)):
            query = sa.select(programmes.c.patient_id, programmes.c.version, programmes.c.uid)
            for pid, version, uid in self.conn.execute(
                query.where(programmes.c.patient_id.in_(chunk))
            ):
                taken[(pid, version)] = uid
        self.programme_versions = set(taken)
        for uid, (line, record) in parsed.items():
            head = record.programme
            key = (head["patient_id"], head["version"])
            existing = stored.get(uid)
            if existing is None:
                if key in taken:
                    self._fail(
                        "programmes.csv",
                        line,
                        "version",
                        f"patient {key[0]!r} already has programme version {key[1]} in the store "
                        f"(programme_uid={taken[key]!r}); the store keeps its record",
                    )
                    continue
                self.new_programmes.append(head)
                self.new["programmes.csv"].extend(
                    {**item, "programme_uid": uid} for item in record.items
                )
                self.programme_versions.add(key)
                continue
            differing = [
                column
                for column, value in head.items()
                if column != "uid" and not _same(value, existing[column])
            ]
            items = sorted(
                tuple(row[name] for name in PROGRAMME_ITEM_VALUES)
                for row in stored_items.get(existing["programme_id"], [])
            )
            wanted = sorted(tuple(i[name] for name in PROGRAMME_ITEM_VALUES) for i in record.items)
            if items != wanted:
                differing.append("exercise_id")
            if differing:
                self._fail(
                    "programmes.csv",
                    line,
                    differing[0],
                    f"programme_uid={uid!r} is already in the store with different "
                    f"{', '.join(differing)}; the store keeps its record (fix the file or the "
                    "store)",
                )

    def _sessions(self) -> None:
        parsed = {}
        for uid, (line, row) in self.parsed.sessions.items():
            if not self._patient_known("sessions.csv", line, row["patient_id"]):
                self.refused_sessions.add(uid)
                continue
            version = row.get("programme_version")
            if version is not None and (row["patient_id"], version) not in self.programme_versions:
                self._fail(
                    "sessions.csv",
                    line,
                    "programme_version",
                    f"programme_version={version}: patient {row['patient_id']!r} has no "
                    "programme version with that number in programmes.csv or the store",
                )
                self.refused_sessions.add(uid)
                continue
            parsed[uid] = (line, row)
        stored = self._stored(sessions, sessions.c.uid, list(parsed))
        self._keep_new("sessions.csv", parsed, stored, "uid", ignore=("session_id",))
        self.stored_session_ids = {uid: row["session_id"] for uid, row in stored.items()}
        self.new_sessions = {row["uid"] for row in self.new["sessions.csv"]}

    def _entries(self) -> None:
        grouped = self.parsed.entries
        elsewhere = [
            uid
            for uid in grouped
            if uid not in self.parsed.sessions and uid not in self.refused_sessions
        ]
        for uid, row in self._stored(sessions, sessions.c.uid, elsewhere).items():
            self.stored_session_ids[uid] = row["session_id"]
        stored_entries = self._stored_entries(
            [self.stored_session_ids[uid] for uid in grouped if uid in self.stored_session_ids]
        )
        for uid, rows in grouped.items():
            if uid in self.refused_sessions:
                for line, _ in rows:
                    self._fail(
                        "entries.csv",
                        line,
                        "session_uid",
                        f"session_uid={uid!r}: its row in sessions.csv is refused",
                    )
            elif uid in self.new_sessions:
                self.new["entries.csv"].extend({**row, "session_uid": uid} for _, row in rows)
            elif uid in self.stored_session_ids:
                stored = stored_entries.get(self.stored_session_ids[uid], {})
                self._match_stored_entries(uid, rows, stored)
            else:
                for line, _ in rows:
                    self._fail(
                        "entries.csv",
                        line,
                        "session_uid",
                        f"session_uid={uid!r} is in neither sessions.csv nor the store",
                    )

    def _match_stored_entries(
        self, uid: str, rows: list[tuple[int, dict[str, Any]]], stored: dict[int, dict]
    ) -> None:
        """Entries of a stored session: each must be the stored entry at its position."""
        for line, row in rows:
            existing = stored.get(row["position"])
            if existing is None:
                self._fail(
                    "entries.csv",
                    line,
                    "position",
                    f"session_uid={uid!r} is already in the store with {len(stored)} entries "
                    f"and none at position {row['position']}; entries are added with their "
                    "session only (import them with a new session, or log them in the store)",
                )
                continue
            differing = [name for name in _ENTRY_VALUES if not _same(row[name], existing[name])]
            if differing:
                self._fail(
                    "entries.csv",
                    line,
                    differing[0],
                    f"the entry at position {row['position']} of session_uid={uid!r} is already "
                    f"in the store with different {', '.join(differing)}; the store keeps its "
                    "record (fix the file or the store)",
                )

    def _outcomes(self) -> None:
        parsed = {
            uid: (line, row)
            for uid, (line, row) in self.parsed.outcomes.items()
            if self._patient_known("outcomes.csv", line, row["patient_id"])
        }
        stored = self._stored(outcomes, outcomes.c.uid, list(parsed))
        self._keep_new("outcomes.csv", parsed, stored, "uid", ignore=("outcome_id",))
        # The totals of new questionnaires that outcomes.csv does not list (hand-written files).
        totals = {
            uid: (line, row)
            for uid, (line, row) in self.parsed.questionnaire_outcomes.items()
            if uid in self.new_questionnaire_uids
        }
        stored = self._stored(outcomes, outcomes.c.uid, list(totals))
        self._keep_new(
            "questionnaires.csv",
            totals,
            stored,
            "questionnaire_uid",
            ignore=("outcome_id",),
            into="outcomes.csv",
        )

    @property
    def new_questionnaire_uids(self) -> set[str]:
        return {row["uid"] for row in self.new_questionnaires}

    def _questionnaires(self) -> None:
        parsed = {
            uid: (line, record)
            for uid, (line, record) in self.parsed.questionnaires.items()
            if self._patient_known("questionnaires.csv", line, record.questionnaire["patient_id"])
        }
        stored = self._stored(questionnaires, questionnaires.c.uid, list(parsed))
        stored_items: dict[int, list[dict]] = {}
        ids = [row["questionnaire_id"] for row in stored.values()]
        for chunk in _chunks(ids):
            query = sa.select(*questionnaire_items.c).where(
                questionnaire_items.c.questionnaire_id.in_(chunk)
            )
            for row in self.conn.execute(query).mappings():
                stored_items.setdefault(row["questionnaire_id"], []).append(dict(row))
        for uid, (line, record) in parsed.items():
            existing = stored.get(uid)
            if existing is None:
                self.new_questionnaires.append(record.questionnaire)
                self.new["questionnaires.csv"].extend(
                    {**item, "questionnaire_uid": uid} for item in record.items
                )
                continue
            differing = [
                column
                for column, value in record.questionnaire.items()
                if not _same(value, existing[column])
            ]
            answers = sorted(
                (row["item"], row["value"], row["text"])
                for row in stored_items.get(existing["questionnaire_id"], [])
            )
            if answers != sorted((i["item"], i["value"], i["text"]) for i in record.items):
                differing.append("value")
            if differing:
                self._fail(
                    "questionnaires.csv",
                    line,
                    differing[0],
                    f"questionnaire_uid={uid!r} is already in the store with different "
                    f"{', '.join(differing)}; the store keeps its record (fix the file or the "
                    "store)",
                )

    # --- writing ---------------------------------------------------------------------------
    def write(self, progress: ProgressCallback | None, began: float) -> dict[str, int]:
        """Insert the new rows (all checks passed); returns counts per file."""
        conn = self.conn
        total = sum(len(rows) for rows in self.new.values())
        done = 0

        def advance(count: int) -> None:
            nonlocal done
            done += count
            if progress is not None:
                progress(ImportProgress(done, total, time.monotonic() - began))

        advance(0)
        for chunk in _chunks(self.new["patients.csv"]):
            conn.execute(patients.insert(), chunk)
            advance(len(chunk))
        programme_ids: dict[str, int] = {}
        for chunk in _chunks(self.new_programmes):
            inserted = conn.execute(
                programmes.insert().returning(programmes.c.uid, programmes.c.programme_id), chunk
            )
            programme_ids.update((uid, pid) for uid, pid in inserted)
        for chunk in _chunks(self.new["programmes.csv"]):
            conn.execute(
                programme_items.insert(),
                [
                    {
                        **{k: v for k, v in row.items() if k != "programme_uid"},
                        "programme_id": programme_ids[row["programme_uid"]],
                    }
                    for row in chunk
                ],
            )
            advance(len(chunk))
        session_ids: dict[str, int] = {}
        for chunk in _chunks(self.new["sessions.csv"]):
            inserted = conn.execute(
                sessions.insert().returning(sessions.c.uid, sessions.c.session_id), chunk
            )
            session_ids.update((uid, sid) for uid, sid in inserted)
            advance(len(chunk))
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
            advance(len(chunk))
        for chunk in _chunks(self.new["outcomes.csv"]):
            conn.execute(outcomes.insert(), chunk)
            advance(len(chunk))
        questionnaire_ids: dict[str, int] = {}
        for chunk in _chunks(self.new_questionnaires):
            inserted = conn.execute(
                questionnaires.insert().returning(
                    questionnaires.c.uid, questionnaires.c.questionnaire_id
                ),
                chunk,
            )
            questionnaire_ids.update((uid, qid) for uid, qid in inserted)
        for chunk in _chunks(self.new["questionnaires.csv"]):
            conn.execute(
                questionnaire_items.insert(),
                [
                    {
                        **{k: v for k, v in row.items() if k != "questionnaire_uid"},
                        "questionnaire_id": questionnaire_ids[row["questionnaire_uid"]],
                    }
                    for row in chunk
                ],
            )
            advance(len(chunk))
        return {name: len(rows) for name, rows in self.new.items()}

    # --- helpers ---------------------------------------------------------------------------
    def _fail(self, file: str, line: int, column: str, reason: str) -> None:
        self.problems.append(Problem(file, line, column, reason))

    def _patient_known(self, file: str, line: int, patient_id: str) -> bool:
        if patient_id in self.known_patients:
            return True
        if patient_id in self.parsed.refused_patients:
            reason = f"patient_id={patient_id!r}: its row in patients.csv is refused"
        else:
            reason = f"patient_id={patient_id!r} is in neither patients.csv nor the store"
        self._fail(file, line, "patient_id", reason)
        return False

    def _stored(self, table: sa.Table, key: sa.Column, values: list[Any]) -> dict[Any, dict]:
        found = {}
        for chunk in _chunks(values):
            query = sa.select(*table.c).where(key.in_(chunk))
            for row in self.conn.execute(query).mappings():
                found[row[key.name]] = dict(row)
        return found

    def _stored_entries(self, session_ids: list[int]) -> dict[int, dict[int, dict]]:
        """session_id -> position -> the stored entry."""
        found: dict[int, dict[int, dict]] = {}
        for chunk in _chunks(session_ids):
            query = sa.select(*entries.c).where(entries.c.session_id.in_(chunk))
            for row in self.conn.execute(query).mappings():
                found.setdefault(row["session_id"], {})[row["position"]] = dict(row)
        return found

    def _keep_new(
        self,
        file: str,
        parsed: dict[Any, tuple[int, dict]],
        stored: dict[Any, dict],
        key: str,
        ignore: tuple[str, ...] = (),
        into: str | None = None,
    ) -> None:
        """New rows go to the insert list (of ``into``, else of file); stored ones must match
        exactly or are reported."""
        for value, (line, row) in parsed.items():
            if value not in stored:
                self.new[into or file].append(row)
                continue
            existing = stored[value]
            differing = [
                column
                for column in row
                if column not in ignore and not _same(row[column], existing.get(column))
            ]
            if differing:
                self._fail(
                    file,
                    line,
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
