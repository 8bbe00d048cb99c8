"""The session store: patients, sessions, per-exercise entries, outcome scores and questionnaires.

One code path on SQLAlchemy Core serves a private SQLite file (the default, for one person or a
demo) and a shared PostgreSQL database (a clinic). Every value is checked before anything is
written, every write is one transaction, and every query binds its parameters.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from backlib.catalog import Catalog, load_catalog
from backlib.constants import DEFAULT_TARGET_PER_WEEK, DOSE_VARIABLES
from backlib.errors import StoreError
from backlib.paths import resolve_store_url
from backlib.plan.routine import Routine
from backlib.programme import Programme, normal_weekdays
from backlib.questionnaires import score as score_questionnaire
from backlib.store import frames
from backlib.store import programme_rows as programme_store
from backlib.store import validate as check
from backlib.store.csv_export import export_csv
from backlib.store.csv_import import ProgressCallback, import_csv, read_csv_folder
from backlib.store.csv_rows import parse_files
from backlib.store.engine import ConnectionKeeper, create_engine, describe_url
from backlib.store.entries import ENTRY_COLUMNS, build_entries, done_values
from backlib.store.insert import PreparedInsert
from backlib.store.questionnaire_rows import record as questionnaire_record
from backlib.store.records import PatientRecords, read_patient_records
from backlib.store.routine_text import check_routine_text, routine_json
from backlib.store.schema import (
    SCHEMA_VERSION,
    SESSION_VALUES,
    ensure_schema,
    entries,
    outcomes,
    patients,
    programme_items,
    programmes,
    questionnaire_items,
    questionnaires,
)
from backlib.store.schema import sessions as sessions_table

# The inserts of log_session, compiled once per dialect (see backlib/store_insert.py).
_SESSION_COLUMNS = ("uid", *SESSION_VALUES, "routine")
_INSERT_SESSION = PreparedInsert(
    sessions_table, _SESSION_COLUMNS, returning=sessions_table.c.session_id
)
_INSERT_ENTRIES = PreparedInsert(entries, ENTRY_COLUMNS)


class _Keep:
    """The default of correct_session's values: leave the stored value as it is."""

    def __repr__(self) -> str:
        return "KEEP"


# "Leave this value as it is" for correct_session (None means "clear it").
KEEP: Any = _Keep()

# Key for PostgreSQL's advisory lock: one process at a time creates or migrates the schema.
_PG_SCHEMA_LOCK = 0x6261636B  # "back"


def open_store(url: str | None = None, *, catalog: Catalog | None = None) -> Store:
    """Open (creating or migrating when needed) the store at a URL.

    Parameters
    ----------
    url
        ``sqlite:///path/to/file.db`` or ``postgresql://user:password@host/db``; None means
        ``$BACKLIB_STORE`` when set, else ``backlib.db`` in the user's data directory.
    catalog
        The exercise catalog that entries are checked against; the packaged one when None.

    Returns
    -------
    Store

    Raises
    ------
    StoreError
        For a URL that is not a supported store, a server that cannot be reached, or a store
        written by a newer backlib.
    """
    return Store(url if url is not None else resolve_store_url(), catalog=catalog)


class Store:
    """A connection to one store; cheap to keep open, safe to share between notebooks' cells."""

    def __init__(self, url: str, *, catalog: Catalog | None = None):
        self.engine: Engine = create_engine(url)
        self._connections = ConnectionKeeper(self.engine)
        self._catalog = catalog
        # Patients this object has seen in the store; the foreign key still guards the rest.
        self._known_patients: set[str] = set()
        self._routine_cache: tuple[Routine | None, str] = (None, "")
        try:
            with self._write() as conn:
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.select(sa.func.pg_advisory_xact_lock(_PG_SCHEMA_LOCK)))
                self.migrated_from = ensure_schema(conn)
        except StoreError:
            self.close()
            raise
        except SQLAlchemyError as err:
            self.close()
            raise StoreError(f"cannot open the store {self.url}: {_reason(err)}") from None
        self.schema_version = SCHEMA_VERSION

    # --- plumbing -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        """The store's URL, password hidden."""
        return describe_url(self.engine)

    @property
    def catalog(self) -> Catalog:
        """The catalog exercise ids are checked against (loaded on first use)."""
        if self._catalog is None:
            self._catalog = load_catalog()
        return self._catalog

    def close(self) -> None:
        self._connections.close()
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({self.url!r})"

    def _write(self) -> AbstractContextManager[Connection]:
        """One write transaction: committed whole, or rolled back whole on any error."""
        return self._connections.transaction(write=True)

    def _read(self) -> AbstractContextManager[Connection]:
        """One read transaction (takes no write lock)."""
        return self._connections.transaction(write=False)

    def _snapshot(self) -> AbstractContextManager[Connection]:
        """One read transaction in which every query sees the same committed data."""
        return self._connections.transaction(write=False, snapshot=True)

    def _routine_json(self, routine: Routine | None) -> str:
        """The routine as JSON, checked as the import checks it; the same routine object
        logged again reuses its text."""
        if routine is None:
            return ""
        cached, text = self._routine_cache
        if cached is not routine:
            text = routine_json(routine)
            check_routine_text(text, self.catalog)
            self._routine_cache = (routine, text)
        return text

    # --- patients -------------------------------------------------------------------------
    def add_patient(
        self,
        patient_id: str,
        *,
        name: str | None = None,
        weight_kg: float | None = None,
        target_per_week: int = DEFAULT_TARGET_PER_WEEK,
    ) -> str:
        """Add a patient; the id is a slug used everywhere else. Returns the id.

        Raises
        ------
        StoreError
            For a bad value, or an id that is already taken (nothing is overwritten).
        """
        row = {
            "patient_id": check.patient_id(patient_id),
            "name": check.name(name, default=patient_id),
            "created": check.timestamp("created", None),
            "weight_kg": check.weight_kg(weight_kg),
            "target_per_week": check.target_per_week(target_per_week),
        }
        taken = StoreError(
            f"patient_id={patient_id!r} already exists; choose another id", field="patient_id"
        )
        try:
            with self._write() as conn:
                found = conn.execute(
                    sa.select(patients.c.patient_id).where(patients.c.patient_id == patient_id)
                ).first()
                if found is not None:
                    raise taken
                conn.execute(patients.insert(), row)
        except IntegrityError:  # another connection added the same id since the check above
            raise taken from None
        return patient_id

    def delete_patient(self, patient_id: str) -> None:
        """Remove a patient with all their sessions, entries, outcomes, questionnaires and
        programme versions, in one transaction.

        Meant for synthetic patients (the demo) and for honouring a request to erase; it cannot
        be undone, so nothing calls it implicitly.
        """
        with self._write() as conn:
            frames.require_patient(conn, patient_id)
            own = sa.select(sessions_table.c.session_id).where(
                sessions_table.c.patient_id == patient_id
            )
            conn.execute(entries.delete().where(entries.c.session_id.in_(own)))
            conn.execute(sessions_table.delete().where(sessions_table.c.patient_id == patient_id))
            conn.execute(outcomes.delete().where(outcomes.c.patient_id == patient_id))
            answered = sa.select(questionnaires.c.questionnaire_id).where(
                questionnaires.c.patient_id == patient_id
            )
            conn.execute(
                questionnaire_items.delete().where(
                    questionnaire_items.c.questionnaire_id.in_(answered)
                )
            )
            conn.execute(questionnaires.delete().where(questionnaires.c.patient_id == patient_id))
            versions = sa.select(programmes.c.programme_id).where(
                programmes.c.patient_id == patient_id
            )
            conn.execute(
                programme_items.delete().where(programme_items.c.programme_id.in_(versions))
            )
            conn.execute(programmes.delete().where(programmes.c.patient_id == patient_id))
            conn.execute(patients.delete().where(patients.c.patient_id == patient_id))
        self._known_patients.discard(patient_id)

    def patients(self) -> pd.DataFrame:
        """patient_id, name, created, weight_kg, target_per_week; sorted by id."""
        with self._read() as conn:
            return frames.patients_frame(conn)

    # --- sessions -------------------------------------------------------------------------
    def log_session(
        self,
        patient_id: str,
        routine: Routine | None = None,
        *,
        when: Any = None,
        pain_before: int | None = None,
        pain_during: int | None = None,
        pain_after: int | None = None,
        difficulty: int | None = None,
        notes: str = "",
        done: Mapping[str, Mapping[str, Any]] | None = None,
        actual_minutes: float | None = None,
        programme_version: int | None = None,
    ) -> int:
        """Record one session and an entry per exercise; returns the new session id.

        Parameters
        ----------
        patient_id
            An existing patient.
        routine
            The routine that was planned; its items become the entries (prescribed doses).
        when
            When the session started (naive local time, not in the future); now when None.
        pain_before, pain_during, pain_after
            0-10 NRS; ``pain_during`` is the worst pain, taken from the entries when omitted.
        difficulty
            Self-rated 1 (very easy) to 5 (very hard), optional.
        done
            Exercise id -> {"sets", "reps", "hold_s", "duration_s", "completed",
            "pain_during"}; None means the routine was done as prescribed. Routine items missing
            from a given map count as not done; extra ids are exercises done in addition.
        actual_minutes
            Minutes actually spent; the planned minutes when the routine was done as planned.
        programme_version
            The version of the patient's programme the session was done from; by default the
            routine's own (``Programme.routine()`` sets it), None for a one-off routine. It
            must be a saved version of this patient's programme.

        Raises
        ------
        StoreError
            Naming the field and value at fault; nothing is written.
        """
        check.patient_id(patient_id)
        rows = build_entries(routine, done, self.catalog)
        planned = routine.total_seconds / 60 if routine is not None else None
        if actual_minutes is None and done is None:
            actual_minutes = planned
        worst = check.pain("pain_during", pain_during)
        if worst is None:
            entry_pains = [row["pain_during"] for row in rows if row["pain_during"] is not None]
            worst = max(entry_pains) if entry_pains else None
        session = {
            "uid": str(uuid.uuid4()),
            "patient_id": patient_id,
            "started_at": check.timestamp("when", when),
            "planned_minutes": check.minutes("planned_minutes", planned),
            "actual_minutes": check.minutes("actual_minutes", actual_minutes),
            "routine": self._routine_json(routine),
            "pain_before": check.pain("pain_before", pain_before),
            "pain_during": worst,
            "pain_after": check.pain("pain_after", pain_after),
            "pain_next_morning": None,
            "difficulty": check.difficulty(difficulty),
            "notes": check.text("notes", notes),
            "programme_version": _programme_version(programme_version, routine),
        }
        try:
            with self._write() as conn:
                if patient_id not in self._known_patients:
                    frames.require_patient(conn, patient_id)
                    self._known_patients.add(patient_id)
                version = session["programme_version"]
                if version is not None and not programme_store.version_exists(
                    conn, patient_id, version
                ):
                    raise StoreError(
                        f"programme_version={version}: patient {patient_id!r} has no programme "
                        "version with that number (save the programme first)",
                        field="programme_version",
                    )
                session_id = int(_INSERT_SESSION.execute(conn, session).scalar_one())
                if rows:  # one executemany for all of the session's entries
                    for row in rows:
                        row["session_id"] = session_id
                    _INSERT_ENTRIES.execute_many(conn, rows)
        except IntegrityError:  # the patient was removed by another connection meanwhile
            self._known_patients.discard(patient_id)
            raise StoreError(
                f"patient_id={patient_id!r} is not in the store", field="patient_id"
            ) from None
        return session_id

    def set_next_morning_pain(self, session_id: int, pain: int) -> None:
        """Record the pain felt the morning after a session (0-10), replacing any earlier value."""
        value = check.integer("pain_next_morning", pain, 0, 10, optional=False)
        with self._write() as conn:
            updated = conn.execute(
                sessions_table.update()
                .where(sessions_table.c.session_id == _session_key(session_id))
                .values(pain_next_morning=value)
            )
            if updated.rowcount != 1:
                raise StoreError(
                    f"session_id={session_id!r} is not in the store", field="session_id"
                )

    def correct_session(
        self,
        session_id: int,
        *,
        when: Any = KEEP,
        pain_before: Any = KEEP,
        pain_during: Any = KEEP,
        pain_after: Any = KEEP,
        pain_next_morning: Any = KEEP,
        difficulty: Any = KEEP,
        notes: Any = KEEP,
        actual_minutes: Any = KEEP,
        done: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        """Correct a logged session: each value given replaces the stored one (None clears it).

        Every value is checked as ``log_session`` checks it; ``done`` corrects the entries of
        the exercises it names (exercise id -> sets, reps, hold_s, duration_s, completed,
        pain_during; a value left out of a completed exercise is its prescription). One
        transaction: on any error nothing changes.

        Raises
        ------
        StoreError
            For an unknown session, an exercise the session does not hold, or a bad value,
            naming the field.
        """
        key = _session_key(session_id)
        checks = {
            "started_at": lambda v: check.timestamp("when", v, none_means_now=False),
            "pain_before": lambda v: check.pain("pain_before", v),
            "pain_during": lambda v: check.pain("pain_during", v),
            "pain_after": lambda v: check.pain("pain_after", v),
            "pain_next_morning": lambda v: check.pain("pain_next_morning", v),
            "difficulty": check.difficulty,
            "notes": lambda v: check.text("notes", v),
            "actual_minutes": lambda v: check.minutes("actual_minutes", v),
        }
        given = {
            "started_at": when,
            "pain_before": pain_before,
            "pain_during": pain_during,
            "pain_after": pain_after,
            "pain_next_morning": pain_next_morning,
            "difficulty": difficulty,
            "notes": notes,
            "actual_minutes": actual_minutes,
        }
        values = {name: checks[name](v) for name, v in given.items() if v is not KEEP}
        if done is not None and not isinstance(done, Mapping):
            raise StoreError(
                f"done={done!r} is not a mapping of exercise id -> what was done", field="done"
            )
        with self._write() as conn:
            found = conn.execute(
                sa.select(sessions_table.c.session_id).where(sessions_table.c.session_id == key)
            ).first()
            if found is None:
                raise StoreError(
                    f"session_id={session_id!r} is not in the store", field="session_id"
                )
            if values:
                conn.execute(
                    sessions_table.update()
                    .where(sessions_table.c.session_id == key)
                    .values(**values)
                )
            if done:
                self._correct_entries(conn, key, done)

    def _correct_entries(
        self, conn: Connection, session_id: int, done: Mapping[str, Mapping[str, Any]]
    ) -> None:
        stored = {
            row["exercise_id"]: row
            for row in conn.execute(
                sa.select(*entries.c).where(entries.c.session_id == session_id)
            ).mappings()
        }
        for exercise_id, actual in done.items():
            row = stored.get(exercise_id)
            if row is None:
                raise StoreError(
                    f"done: the session holds no {exercise_id!r} (it holds "
                    f"{', '.join(stored) or 'no exercises'})",
                    field="done",
                )
            prescribed = tuple(row[f"prescribed_{v}"] for v in DOSE_VARIABLES)
            conn.execute(
                entries.update()
                .where(entries.c.entry_id == row["entry_id"])
                .values(**done_values(exercise_id, prescribed, actual))
            )

    def delete_session(self, session_id: int) -> None:
        """Remove a session and its entries (a mistaken log); other records are untouched."""
        key = _session_key(session_id)
        with self._write() as conn:
            conn.execute(entries.delete().where(entries.c.session_id == key))
            deleted = conn.execute(
                sessions_table.delete().where(sessions_table.c.session_id == key)
            )
            if deleted.rowcount != 1:
                raise StoreError(
                    f"session_id={session_id!r} is not in the store", field="session_id"
                )

    def sessions(
        self, patient_id: str | None = None, start: Any = None, end: Any = None
    ) -> pd.DataFrame:
        """One row per session, sorted by started_at (SESSION_COLUMNS); start/end inclusive."""
        with self._read() as conn:
            return frames.sessions_frame(conn, patient_id, start, end)

    def entries(
        self,
        patient_id: str | None = None,
        start: Any = None,
        end: Any = None,
        session_id: int | None = None,
    ) -> pd.DataFrame:
        """One row per exercise of each session, in session then routine order."""
        with self._read() as conn:
            return frames.entries_frame(conn, patient_id, start, end, session_id)

    # --- programmes -----------------------------------------------------------------------
    def save_programme(
        self,
        patient_id: str,
        programme_or_routine: Programme | Routine,
        *,
        days_per_week: int | None = None,
        weekdays: Any = None,
        reason: str | None = None,
        by: str = "",
        note: str = "",
        when: Any = None,
    ) -> Programme:
        """Keep a programme as the patient's next version; earlier versions stay as they were.

        Parameters
        ----------
        patient_id
            An existing patient.
        programme_or_routine
            A ``Programme`` (edited, progressed) or a planned ``Routine`` (it becomes one).
        days_per_week, weekdays
            How often (1-7) and optionally on which days ("mon" ... "sun"); None keeps the
            programme's own, and a routine is done DEFAULT_TARGET_PER_WEEK times a week.
        reason
            planned, progressed, edited or replanned; None keeps the programme's own
            ("planned" for a routine).
        by, note
            Who made the change (free text, e.g. initials) and why, in words.
        when
            When the version was made (not in the future; a programme given on paper last
            week); now when None.

        Returns
        -------
        Programme
            The saved version: its number, patient and time filled in.

        Raises
        ------
        StoreError or RequestError
            For an unknown patient, an exercise not in the catalog or not allowed by the
            planner's safety rules, a dose outside its range, a bad frequency, weekday or
            reason, naming the field; nothing is written then.
        """
        check.patient_id(patient_id)
        programme = programme_or_routine
        if isinstance(programme, Routine):
            programme = Programme.from_routine(
                programme, days_per_week=days_per_week or DEFAULT_TARGET_PER_WEEK
            )
        elif not isinstance(programme, Programme):
            raise StoreError(
                f"programme: {type(programme).__name__} is neither a Programme nor a Routine",
                field="programme",
            )
        changes: dict[str, Any] = {}
        if days_per_week is not None:
            changes["days_per_week"] = days_per_week
        if weekdays is not None:
            changes["weekdays"] = normal_weekdays(weekdays)
        if reason is not None:
            changes["reason"] = reason
        if changes:
            programme = replace(programme, **changes)  # __post_init__ checks the new values
        programme = programme_store.prepared(
            programme, patient_id, self.catalog, by=by, note=note, when=when
        )
        try:
            with self._write() as conn:
                frames.require_patient(conn, patient_id)
                version = programme_store.latest_version(conn, patient_id) + 1
                saved = replace(programme, version=version)
                record = programme_store.record_of(saved, patient_id, version, str(uuid.uuid4()))
                programme_store.insert(conn, record)
        except IntegrityError:  # another connection saved a version meanwhile, or removed them
            raise StoreError(
                f"patient_id={patient_id!r}: the programme changed while saving (another "
                "window saved a version, or the patient was removed); nothing was saved, try again",
                field="patient_id",
            ) from None
        return saved

    def programme(self, patient_id: str, version: int | None = None) -> Programme | None:
        """The patient's current programme (or the given version); None when there is none."""
        with self._read() as conn:
            frames.require_patient(conn, patient_id)
            return programme_store.read_programme(conn, patient_id, version)

    def programmes(self, patient_id: str | None = None) -> pd.DataFrame:
        """The history: one row per version and item, oldest version first.

        Columns (``programme_rows.PROGRAMME_COLUMNS``): patient_id, version, created, reason,
        by, note, days_per_week, weekdays, areas, minutes, level, conditions, equipment (lists
        as comma lists), then the item's position, exercise_id, phase, sets, reps, hold_s and
        duration_s.
        """
        with self._read() as conn:
            if patient_id is not None:
                frames.require_patient(conn, patient_id)
            return programme_store.history_frame(conn, patient_id)

    # --- outcomes -------------------------------------------------------------------------
    def log_outcome(self, patient_id: str, measure: str, score: float, *, when: Any = None) -> int:
        """Record an outcome score (nprs, odi, rmdq or psfs) on a date; returns its id."""
        measure = check.measure(measure)
        row = {
            "uid": str(uuid.uuid4()),
            "patient_id": check.patient_id(patient_id),
            "measured_on": check.day("when", when),
            "measure": measure,
            "score": check.score(measure, score),
        }
        try:
            with self._write() as conn:
                frames.require_patient(conn, patient_id)
                return int(conn.execute(outcomes.insert(), row).inserted_primary_key[0])
        except IntegrityError:  # the patient was removed by another connection meanwhile
            raise StoreError(
                f"patient_id={patient_id!r} is not in the store", field="patient_id"
            ) from None

    def outcomes(
        self, patient_id: str | None = None, start: Any = None, end: Any = None
    ) -> pd.DataFrame:
        """outcome_id, patient_id, measured_on, measure, score; sorted by date."""
        with self._read() as conn:
            return frames.outcomes_frame(conn, patient_id, start, end)

    # --- questionnaires ------------------------------------------------------------------
    def log_questionnaire(
        self, patient_id: str, instrument: str, answers: object, *, when: Any = None
    ) -> int:
        """Score a questionnaire and keep it with every item answer; returns its id.

        The answers are scored first (``backlib.questionnaires.score``); then one transaction
        writes the questionnaire (instrument, date, total, band or risk), one row per item
        answer (a PSFS item keeps its activity name) and, when the instrument is an outcome
        measure (ODI, RMDQ, PSFS) and the answers give a score, the total as an outcome, so
        ``outcomes()`` shows it (STarT Back has no outcome row; nor has an ODI with more than
        two sections missing).

        Parameters
        ----------
        patient_id
            An existing patient.
        instrument
            ``odi``, ``rmdq``, ``psfs`` or ``start_back``.
        answers
            As ``backlib.questionnaires.score`` takes them; at least one item answered.
        when
            The date the questionnaire was answered (not in the future); today when None.

        Raises
        ------
        RequestError
            For an unknown instrument or a bad answer, naming the item and what is allowed.
        StoreError
            For an unknown patient, a bad date, no item answered or a PSFS activity name the
            store cannot keep, naming the field. Nothing is written on any error.
        """
        result = score_questionnaire(instrument, answers)
        check.patient_id(patient_id)
        answered_on = check.day("when", when)
        rows = questionnaire_record(result, patient_id, answered_on, str(uuid.uuid4()))
        try:
            with self._write() as conn:
                frames.require_patient(conn, patient_id)
                inserted = conn.execute(questionnaires.insert(), rows.questionnaire)
                questionnaire_id = int(inserted.inserted_primary_key[0])
                conn.execute(
                    questionnaire_items.insert(),
                    [{**item, "questionnaire_id": questionnaire_id} for item in rows.items],
                )
                if rows.outcome is not None:
                    conn.execute(outcomes.insert(), rows.outcome)
        except IntegrityError:  # the patient was removed by another connection meanwhile
            raise StoreError(
                f"patient_id={patient_id!r} is not in the store", field="patient_id"
            ) from None
        return questionnaire_id

    def questionnaires(
        self, patient_id: str | None = None, start: Any = None, end: Any = None
    ) -> pd.DataFrame:
        """One row per item answer, sorted by date, then questionnaire, then item.

        Columns (``frames.QUESTIONNAIRE_COLUMNS``): ``questionnaire_id``, ``patient_id``,
        ``instrument``, ``answered_on`` (datetime64, the date), ``item`` (number, from 1),
        ``value`` (the answer: ODI 0-5, RMDQ 0/1, PSFS 0-10, STarT Back 0/1 or item 9 0-4),
        ``text`` (the PSFS activity name, else empty), ``total`` (the questionnaire's score:
        ODI %, RMDQ total, PSFS mean, STarT Back total; NaN when not scorable) and ``band``
        (ODI band or STarT Back risk, else empty). start/end (dates) are inclusive.
        """
        with self._read() as conn:
            return frames.questionnaires_frame(conn, patient_id, start, end)

    def patient_records(
        self, patient_id: str, start: Any = None, end: Any = None
    ) -> PatientRecords:
        """One patient's row, sessions, outcomes and questionnaire answers, each with its uid,
        read in one snapshot (an export should not mix two moments of a busy store).

        start/end are inclusive, as for ``sessions``; see ``records.PatientRecords``.
        """
        with self._snapshot() as conn:
            return read_patient_records(conn, patient_id, start, end)

    # --- files ----------------------------------------------------------------------------
    def export_csv(self, folder: str | Path) -> list[Path]:
        """Write patients.csv, sessions.csv, entries.csv, outcomes.csv, questionnaires.csv and
        programmes.csv (README "Data formats").

        All six files are read in one snapshot, so an export taken while others log sessions
        is consistent, and checked as the import would check them.

        Parameters
        ----------
        folder
            A new folder (created owner-only), or one that holds none of the six files.

        Returns
        -------
        list of Path
            The six files written.

        Raises
        ------
        StoreError
            For a folder that holds an earlier export, is a file or cannot be written (naming the
            path and why); ``CsvExportError`` listing stored records the import would refuse.
            Nothing is written then.
        """
        with self._snapshot() as conn:
            return export_csv(conn, Path(folder), self.catalog)

    def import_csv(
        self, folder: str | Path, *, progress: ProgressCallback | None = None
    ) -> dict[str, int]:
        """Check every row of the files, then add the new ones in one transaction.

        Every row is checked on its own before the write transaction begins; the checks against
        the store and the inserts run inside it, all or nothing.

        Parameters
        ----------
        folder
            The folder holding the files (questionnaires.csv and programmes.csv may be missing:
            older exports).
        progress
            Called with an ``ImportProgress`` (rows written, rows to write, seconds the write
            transaction has been open) before the first insert and after each batch.

        Returns
        -------
        dict
            The number of rows added per file; rows already in the store are skipped.

        Raises
        ------
        StoreError
            Listing every bad row (file, line, column, reason); nothing is written then.
            ``StoreBusyError`` when another writer kept the store locked past the busy timeout.
        """
        folder = Path(folder)
        files = read_csv_folder(folder)
        parsed = parse_files(files, self.catalog)  # before the lock: needs no store
        try:
            with self._write() as conn:
                return import_csv(conn, self.catalog, files, parsed=parsed, progress=progress)
        except IntegrityError as err:
            raise StoreError(
                f"import from {folder} failed, nothing was written: another writer added some "
                f"of the same records while it ran ({_reason(err)}); import again",
                file=folder,
            ) from None
        except SQLAlchemyError as err:
            raise StoreError(
                f"import from {folder} failed, nothing was written: {_reason(err)}", file=folder
            ) from None


def _programme_version(given: Any, routine: Routine | None) -> int | None:
    """The programme version a session records: the one given, else the routine's own."""
    if given is None and routine is not None:
        given = routine.programme_version
    return check.integer("programme_version", given, 1, check.KEY_MAX)


def _session_key(session_id: Any) -> int:
    return check.integer("session_id", session_id, 1, check.KEY_MAX, optional=False)


def _reason(err: SQLAlchemyError) -> str:
    original = getattr(err, "orig", None)
    return str(original or err).strip().splitlines()[0]
