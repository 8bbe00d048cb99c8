"""Fixtures for store tests: a small catalog, a clean store on SQLite and on PostgreSQL, and the
helpers the store tests share (a filled store, row counts, file modes).

Every store test that takes ``store_url`` or ``store`` runs once on a fresh SQLite file and,
when ``BACKLIB_TEST_PG_URL`` is set, once more in a fresh PostgreSQL schema that is dropped
afterwards, so each test starts from empty tables on both back ends.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from backlib.catalog import Catalog, load_catalog
from backlib.plan.routine import Routine, RoutineItem
from backlib.store import Store, open_store
from backlib.store.csv_format import FILES
from backlib.store.engine import normalise_url

PG_ENV = "BACKLIB_TEST_PG_URL"
NOW = dt.datetime.now().replace(microsecond=0)
YESTERDAY = NOW - dt.timedelta(days=1)

_EXERCISE = """
[[exercise]]
id = "{id}"
name = "{name}"
category = "{category}"
phases = ["{phase}"]
level = "beginner"
equipment = ["none"]
met = 2.5
met_code = "02101"
cautions = []
steps = ["Get ready.", "Move slowly.", "Return to the start."]
stop_if = "Sharp pain or pain spreading into a leg."
sources = ["000_c1e5e156c5880caa.txt"]
[exercise.areas]
primary = ["lower_back"]
secondary = []
[exercise.dose]
{dose}
per_side = false
rest_s = 20
"""
_SETS = "sets = { default = 2, min = 1, max = 3 }\nreps = { default = 10, min = 5, max = 15 }"
_REPS = _SETS + "\nseconds_per_rep = 3"
_HOLD = _SETS + "\nhold_s = { default = 5, min = 3, max = 10 }"
_DURATION = (
    "sets = { default = 1, min = 1, max = 1 }\nduration_s = { default = 300, min = 60, max = 600 }"
)
CATALOG_TOML = "".join(
    _EXERCISE.format(id=i, name=n, category=c, phase=p, dose=d)
    for i, n, c, p, d in (
        ("march-in-place", "March in place", "warmup", "warmup", _DURATION),
        ("glute-bridge", "Glute bridge", "strength", "main", _HOLD),
        ("cat-cow", "Cat-cow", "mobility", "main", _REPS),
        ("child-pose", "Child's pose", "stretch", "cooldown", _DURATION),
    )
)


def write_catalog(folder: Path) -> Path:
    path = folder / "exercises.toml"
    path.write_text(CATALOG_TOML, encoding="utf-8")
    return path


def sample_routine(catalog: Catalog) -> Routine:
    """A three-item routine built by hand (the planner is not needed to test the store)."""
    items = (
        RoutineItem(catalog["march-in-place"], "warmup", 1, None, None, 180, False, 190, "warm up"),
        RoutineItem(catalog["glute-bridge"], "main", 2, 10, 5, None, False, 150, "hip strength"),
        RoutineItem(catalog["child-pose"], "cooldown", 1, None, None, 120, False, 130, "settle"),
    )
    return Routine(items=items, areas=("lower_back",), minutes=8, pain=3, seed=1)


def _fill(store, catalog) -> None:
    """Two patients, six sessions (one without a routine, three from anna's programme),
    next-morning pains, outcomes, and two versions of anna's programme."""
    routine = sample_routine(catalog)
    store.add_patient("anna", name='Anna "K", Jr.', weight_kg=61.25, target_per_week=4)
    store.add_patient("ben")
    first = store.save_programme("anna", routine, weekdays=("mon", "thu"), days_per_week=2)
    store.save_programme(
        "anna",
        first.with_dose("glute-bridge", catalog=catalog, reps=12),
        by='PT, "jk"',
        note="=one more rep, line two é",
    )
    for day in range(6):
        when = YESTERDAY - dt.timedelta(days=day, minutes=7 * day)
        done = {"glute-bridge": {"sets": 1, "pain_during": 4}} if day % 2 else None
        sid = store.log_session(
            "anna" if day < 4 else "ben",
            routine if day != 3 else None,
            when=when,
            pain_before=day % 5,
            pain_after=2,
            difficulty=3 if day % 2 else None,
            notes="line one\nline, two é" if day == 1 else "",
            done=done,
            programme_version=(1 if day < 2 else 2) if day < 3 else None,
        )
        if day % 3 == 0:
            store.set_next_morning_pain(sid, 1)
    store.log_outcome("anna", "odi", 38, when=dt.date.today() - dt.timedelta(days=30))
    store.log_outcome("anna", "psfs", 5.666666666666667)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _count(store, table: str) -> int:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(sa.func.count()).select_from(sa.table(table))).scalar_one()


@pytest.fixture
def store_catalog_path(tmp_path_factory) -> Path:
    return write_catalog(tmp_path_factory.mktemp("catalog"))


@pytest.fixture
def store_catalog(store_catalog_path) -> Catalog:
    return load_catalog(store_catalog_path)


def _backends() -> list:
    return [
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not os.environ.get(PG_ENV), reason=f"{PG_ENV} is not set"),
        ),
    ]


@pytest.fixture(params=_backends())
def store_url(request, tmp_path) -> Iterator[str]:
    """A URL to an empty store: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'backlib.db'}"
        return
    base = os.environ[PG_ENV]
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(normalise_url(base))
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@pytest.fixture
def store(store_url, store_catalog) -> Iterator[Store]:
    opened = open_store(store_url, catalog=store_catalog)
    yield opened
    opened.close()


# --- hand-written import folders ------------------------------------------------------------


def write_import(folder: Path, **files: list[dict]) -> Path:
    """The CSV files in folder, written by Python's csv module (not by the store's writer).

    Each keyword is a file stem (patients, sessions, entries, outcomes, questionnaires,
    programmes) with its
    rows as dicts; columns left out are empty, files left out hold only their header.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for name, fields in FILES.items():
        rows = files.get(name.removesuffix(".csv"), [])
        with (folder / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\r\n")  # quotes any \r or \n
            writer.writerow(fields)
            for row in rows:
                unknown = set(row) - set(fields)
                assert not unknown, unknown
                writer.writerow([row.get(field, "") for field in fields])
    return folder


PATIENT_ROW = {
    "patient_id": "cara",
    "name": "Cara",
    "created": "2025-01-02T09:00:00",
    "target_per_week": "3",
}
SESSION_ROW = {"session_uid": "s-1", "patient_id": "cara", "started_at": "2025-01-03T18:00:00"}
OUTCOME_ROW = {
    "outcome_uid": "o-1",
    "patient_id": "cara",
    "measured_on": "2025-01-03",
    "measure": "odi",
    "score": "40",
}
ENTRY_ROW = {
    "session_uid": "s-1",
    "position": "0",
    "exercise_id": "glute-bridge",
    "phase": "main",
    "completed": "true",
}


def refused(caught) -> set[tuple[str, int, str]]:
    """(file, line, column) of every problem of a CsvImportError or CsvExportError."""
    return {(p.file, p.line, p.column) for p in caught.value.problems}


def export_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in FILES}


# Every character Python calls whitespace, and the invisible format characters that look like
# none: an id holding one of them would be shown as another patient's id.
WHITESPACE = (
    *(chr(code) for code in range(0x110000) if chr(code).isspace()),
    "\u180e",  # Mongolian vowel separator (whitespace before Unicode 6.3)
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # zero-width no-break space (byte-order mark)
)
