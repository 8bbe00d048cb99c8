"""The store's tables, its schema version, and the migrations that bring an old store forward.

Version history
---------------
1. patients (id, name, created), sessions (one ``minutes`` figure, pain before/during/after,
   routine JSON, notes) and entries (exercise, phase, sets/reps done, completed).
2. Patient weight and weekly target; planned and actual minutes; next-morning pain and
   difficulty; a stable ``uid`` per session so CSV re-imports add nothing; prescribed beside
   done doses, hold and duration, and pain per entry; the outcomes table.
3. Questionnaires scored item by item: the questionnaires table (one row per answered
   questionnaire: instrument, date, total and band or risk) and questionnaire_items (one row per
   item answer, with the PSFS activity name); the total also goes to outcomes, under the
   questionnaire's uid.
4. Programmes kept by version: the programmes table (one row per version of a patient's
   programme: when, why, by whom, a note, how often and what it was planned for) and
   programme_items (its exercises in order, each with its phase and dose; the version keeps the
   pain it was made at); a session records the
   programme version it was done from (``programme_version``, empty for a one-off routine).

A migration runs inside the same transaction that reads the version, so a store is either
fully migrated or left exactly as it was.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backlib.constants import DEFAULT_TARGET_PER_WEEK
from backlib.errors import StoreError

# What a patient row holds, and what a session records besides its ids and its routine: the
# columns the frames, the CSV files and the inserts share (each adds its own ids around them).
PATIENT_VALUES: tuple[str, ...] = ("patient_id", "name", "created", "weight_kg", "target_per_week")
SESSION_VALUES: tuple[str, ...] = (
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
    "programme_version",
)
# What a programme version holds besides its uid, patient and items (programmes table, the
# history frame and programmes.csv share these); list-valued fields are kept as comma lists.
PROGRAMME_VALUES: tuple[str, ...] = (
    "version",
    "created",
    "reason",
    "by",
    "note",
    "days_per_week",
    "weekdays",
    "areas",
    "minutes",
    "level",
    "conditions",
    "equipment",
    "pain",
)
PROGRAMME_ITEM_VALUES: tuple[str, ...] = (
    "position",
    "exercise_id",
    "phase",
    "sets",
    "reps",
    "hold_s",
    "duration_s",
)

SCHEMA_VERSION = 4

metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version",
    metadata,
    sa.Column("version", sa.Integer, nullable=False),
)

patients = sa.Table(
    "patients",
    metadata,
    sa.Column("patient_id", sa.String(64), primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("weight_kg", sa.Double, nullable=True),
    sa.Column(
        "target_per_week", sa.Integer, nullable=False, server_default=str(DEFAULT_TARGET_PER_WEEK)
    ),
)

sessions = sa.Table(
    "sessions",
    metadata,
    sa.Column("session_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("patient_id", sa.String(64), sa.ForeignKey("patients.patient_id"), nullable=False),
    sa.Column("started_at", sa.DateTime, nullable=False),
    sa.Column("actual_minutes", sa.Double, nullable=True),
    sa.Column("routine", sa.Text, nullable=False, server_default=""),
    sa.Column("pain_before", sa.Integer, nullable=True),
    sa.Column("pain_during", sa.Integer, nullable=True),
    sa.Column("pain_after", sa.Integer, nullable=True),
    sa.Column("notes", sa.Text, nullable=False, server_default=""),
    # version 2
    sa.Column("planned_minutes", sa.Double, nullable=True),
    sa.Column("pain_next_morning", sa.Integer, nullable=True),
    sa.Column("difficulty", sa.Integer, nullable=True),
    sa.Column("uid", sa.String(36), nullable=False),
    # version 4
    sa.Column("programme_version", sa.Integer, nullable=True),
    sa.Index("ix_sessions_patient_started", "patient_id", "started_at"),
    sa.Index("ux_sessions_uid", "uid", unique=True),
)

entries = sa.Table(
    "entries",
    metadata,
    sa.Column("entry_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("sessions.session_id"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("exercise_id", sa.String(64), nullable=False),
    sa.Column("phase", sa.String(16), nullable=False),
    sa.Column("done_sets", sa.Integer, nullable=True),
    sa.Column("done_reps", sa.Integer, nullable=True),
    sa.Column("completed", sa.Boolean, nullable=False),
    # version 2
    sa.Column("prescribed_sets", sa.Integer, nullable=True),
    sa.Column("prescribed_reps", sa.Integer, nullable=True),
    sa.Column("prescribed_hold_s", sa.Integer, nullable=True),
    sa.Column("prescribed_duration_s", sa.Integer, nullable=True),
    sa.Column("done_hold_s", sa.Integer, nullable=True),
    sa.Column("done_duration_s", sa.Integer, nullable=True),
    sa.Column("pain_during", sa.Integer, nullable=True),
    sa.Index("ix_entries_session", "session_id", "position"),
)

outcomes = sa.Table(
    "outcomes",
    metadata,
    sa.Column("outcome_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uid", sa.String(36), nullable=False),
    sa.Column("patient_id", sa.String(64), sa.ForeignKey("patients.patient_id"), nullable=False),
    sa.Column("measured_on", sa.Date, nullable=False),
    sa.Column("measure", sa.String(16), nullable=False),
    sa.Column("score", sa.Double, nullable=False),
    sa.Index("ix_outcomes_patient", "patient_id", "measured_on"),
    sa.Index("ux_outcomes_uid", "uid", unique=True),
)

# version 3: a questionnaire scored item by item; its total (when it has an outcome measure and
# a score) is also an outcomes row with the same uid.
questionnaires = sa.Table(
    "questionnaires",
    metadata,
    sa.Column("questionnaire_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uid", sa.String(36), nullable=False),
    sa.Column("patient_id", sa.String(64), sa.ForeignKey("patients.patient_id"), nullable=False),
    sa.Column("instrument", sa.String(16), nullable=False),
    sa.Column("answered_on", sa.Date, nullable=False),
    sa.Column("value", sa.Double, nullable=True),
    sa.Column("band", sa.String(16), nullable=False, server_default=""),
    sa.Index("ix_questionnaires_patient", "patient_id", "answered_on"),
    sa.Index("ux_questionnaires_uid", "uid", unique=True),
)

questionnaire_items = sa.Table(
    "questionnaire_items",
    metadata,
    sa.Column(
        "questionnaire_id",
        sa.Integer,
        sa.ForeignKey("questionnaires.questionnaire_id"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("item", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("value", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False, server_default=""),
)

# version 4: a patient's programme, one row per version (old versions are kept), and its items.
programmes = sa.Table(
    "programmes",
    metadata,
    sa.Column("programme_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("uid", sa.String(36), nullable=False),
    sa.Column("patient_id", sa.String(64), sa.ForeignKey("patients.patient_id"), nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("created", sa.DateTime, nullable=False),
    sa.Column("reason", sa.String(16), nullable=False),
    sa.Column("by", sa.Text, nullable=False, server_default=""),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.Column("days_per_week", sa.Integer, nullable=False),
    sa.Column("weekdays", sa.String(32), nullable=False, server_default=""),
    sa.Column("areas", sa.Text, nullable=False),
    sa.Column("minutes", sa.Integer, nullable=False),
    sa.Column("level", sa.String(16), nullable=False),
    sa.Column("conditions", sa.Text, nullable=False, server_default=""),
    sa.Column("equipment", sa.Text, nullable=False, server_default=""),
    sa.Column("pain", sa.Integer, nullable=True),
    sa.Index("ux_programmes_patient_version", "patient_id", "version", unique=True),
    sa.Index("ux_programmes_uid", "uid", unique=True),
)

programme_items = sa.Table(
    "programme_items",
    metadata,
    sa.Column(
        "programme_id",
        sa.Integer,
        sa.ForeignKey("programmes.programme_id"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("exercise_id", sa.String(64), nullable=False),
    sa.Column("phase", sa.String(16), nullable=False),
    sa.Column("sets", sa.Integer, nullable=False),
    sa.Column("reps", sa.Integer, nullable=True),
    sa.Column("hold_s", sa.Integer, nullable=True),
    sa.Column("duration_s", sa.Integer, nullable=True),
)

# The first schema, kept verbatim so tests and migrations know exactly what version 1 was.
V1_DDL: tuple[str, ...] = (
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "CREATE TABLE patients (patient_id VARCHAR(64) PRIMARY KEY, name TEXT NOT NULL, "
    "created TIMESTAMP NOT NULL)",
    "CREATE TABLE sessions (session_id INTEGER PRIMARY KEY, "
    "patient_id VARCHAR(64) NOT NULL REFERENCES patients (patient_id), "
    "started_at TIMESTAMP NOT NULL, minutes FLOAT, routine TEXT NOT NULL DEFAULT '', "
    "pain_before INTEGER, pain_during INTEGER, pain_after INTEGER, notes TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE entries (entry_id INTEGER PRIMARY KEY, "
    "session_id INTEGER NOT NULL REFERENCES sessions (session_id), position INTEGER NOT NULL, "
    "exercise_id VARCHAR(64) NOT NULL, phase VARCHAR(16) NOT NULL, sets INTEGER, reps INTEGER, "
    "completed BOOLEAN NOT NULL)",
    "CREATE INDEX ix_sessions_patient_started ON sessions (patient_id, started_at)",
    "CREATE INDEX ix_entries_session ON entries (session_id, position)",
)


def _migrate_1_to_2(conn: Connection) -> None:
    """Add the version-2 columns and the outcomes table; give every old session a uid."""
    statements = (
        "ALTER TABLE patients ADD COLUMN weight_kg FLOAT",
        "ALTER TABLE patients ADD COLUMN target_per_week INTEGER NOT NULL "
        f"DEFAULT {DEFAULT_TARGET_PER_WEEK}",
        "ALTER TABLE sessions RENAME COLUMN minutes TO actual_minutes",
        "ALTER TABLE sessions ADD COLUMN planned_minutes FLOAT",
        "ALTER TABLE sessions ADD COLUMN pain_next_morning INTEGER",
        "ALTER TABLE sessions ADD COLUMN difficulty INTEGER",
        "ALTER TABLE sessions ADD COLUMN uid VARCHAR(36)",
        "ALTER TABLE entries RENAME COLUMN sets TO done_sets",
        "ALTER TABLE entries RENAME COLUMN reps TO done_reps",
        "ALTER TABLE entries ADD COLUMN prescribed_sets INTEGER",
        "ALTER TABLE entries ADD COLUMN prescribed_reps INTEGER",
        "ALTER TABLE entries ADD COLUMN prescribed_hold_s INTEGER",
        "ALTER TABLE entries ADD COLUMN prescribed_duration_s INTEGER",
        "ALTER TABLE entries ADD COLUMN done_hold_s INTEGER",
        "ALTER TABLE entries ADD COLUMN done_duration_s INTEGER",
        "ALTER TABLE entries ADD COLUMN pain_during INTEGER",
    )
    for statement in statements:
        conn.exec_driver_sql(statement)
    ids = conn.execute(sa.text("SELECT session_id FROM sessions")).scalars().all()
    if ids:
        conn.execute(
            sa.text("UPDATE sessions SET uid = :uid WHERE session_id = :sid"),
            [{"uid": str(uuid.uuid4()), "sid": sid} for sid in ids],
        )
    conn.exec_driver_sql("CREATE UNIQUE INDEX ux_sessions_uid ON sessions (uid)")
    outcomes.create(conn)


def _migrate_2_to_3(conn: Connection) -> None:
    """Add the questionnaires and questionnaire_items tables (no existing row changes)."""
    questionnaires.create(conn)
    questionnaire_items.create(conn)


def _migrate_3_to_4(conn: Connection) -> None:
    """Add the programme tables and the sessions' programme_version (empty for old sessions)."""
    conn.exec_driver_sql("ALTER TABLE sessions ADD COLUMN programme_version INTEGER")
    programmes.create(conn)
    programme_items.create(conn)


# MIGRATIONS[n] takes a store from version n to n + 1.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _migrate_1_to_2,
    2: _migrate_2_to_3,
    3: _migrate_3_to_4,
}


def stored_version(conn: Connection) -> int | None:
    """The schema version recorded in the store, or None for an empty database."""
    if not sa.inspect(conn).has_table("schema_version"):
        return None
    return conn.execute(sa.select(schema_version.c.version)).scalar_one()


def ensure_schema(conn: Connection) -> int:
    """Create a new store or migrate an old one to SCHEMA_VERSION; returns the version found.

    Runs inside the caller's transaction, so a failed migration leaves nothing changed.
    """
    found = stored_version(conn)
    if found is None:
        metadata.create_all(conn)
        conn.execute(schema_version.insert().values(version=SCHEMA_VERSION))
        return SCHEMA_VERSION
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"store schema version {found} is newer than this backlib understands "
            f"({SCHEMA_VERSION}): upgrade backlib to open it"
        )
    for version in range(found, SCHEMA_VERSION):
        MIGRATIONS[version](conn)
    if found != SCHEMA_VERSION:
        conn.execute(schema_version.update().values(version=SCHEMA_VERSION))
    return found
