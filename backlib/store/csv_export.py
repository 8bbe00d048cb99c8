"""CSV export: the store as six files (patients, sessions, entries, outcomes, questionnaires,
programmes), owner-only.

The six files are read inside one snapshot (the caller's read transaction, REPEATABLE READ on
PostgreSQL), checked by the same row rules the import applies, and written into a folder that
holds no earlier export, all six or none. The format lives in :mod:`backlib.store.csv_format`;
:mod:`backlib.store.csv_import` reads it back.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backlib.catalog import Catalog
from backlib.errors import StoreError
from backlib.private_files import PRIVATE_DIR_MODE, PRIVATE_FILE_MODE
from backlib.store.csv_format import FILES, CsvExportError, csv_line, format_value, sorted_problems
from backlib.store.csv_read import CsvFolder
from backlib.store.csv_rows import parse_files
from backlib.store.programme_rows import history_query
from backlib.store.schema import (
    entries,
    outcomes,
    patients,
    questionnaire_items,
    questionnaires,
    sessions,
)


def export_csv(conn: Connection, folder: Path, catalog: Catalog | None = None) -> list[Path]:
    """Write the six files into folder from one read; returns their paths.

    Parameters
    ----------
    conn
        A connection inside one read transaction that has not read anything yet (a snapshot:
        see ``Store.export_csv``).
    folder
        A folder that does not exist yet (it is created owner-only) or holds none of the six
        files: an export never replaces an earlier one.
    catalog
        When given, every row is first checked as the import would check it, and a store
        holding a record the import would refuse raises CsvExportError (nothing is written).

    Raises
    ------
    StoreError
        For a folder that already holds an export, is a file, or cannot be written (the path
        and the reason are named); CsvExportError for records the import would refuse.
    """
    folder = Path(folder).absolute()
    _check_target(folder)
    tables = _read_tables(conn)
    if catalog is not None:
        _check_restorable(folder, tables, catalog)
    return _write_all(folder, tables)


def _read_tables(conn: Connection) -> dict[str, list[list[str]]]:
    """Every row of the six files as text cells, read in the caller's transaction."""
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
        "questionnaires.csv": sa.select(
            questionnaires.c.uid.label("questionnaire_uid"),
            questionnaires.c.patient_id,
            questionnaires.c.instrument,
            questionnaires.c.answered_on,
            questionnaire_items.c.item,
            questionnaire_items.c.value,
            questionnaire_items.c.text,
        )
        .join(
            questionnaire_items,
            questionnaire_items.c.questionnaire_id == questionnaires.c.questionnaire_id,
        )
        .order_by(
            questionnaires.c.answered_on,
            questionnaires.c.questionnaire_id,
            questionnaire_items.c.item,
        ),
        "programmes.csv": history_query(),
    }
    renames = {
        "sessions.csv": "session_uid",
        "outcomes.csv": "outcome_uid",
        "programmes.csv": "programme_uid",
    }
    tables = {}
    for file_name, query in queries.items():
        fields = FILES[file_name]
        rows = []
        for row in conn.execute(query).mappings():
            record = dict(row)
            if file_name in renames:
                record[renames[file_name]] = record["uid"]
            rows.append([format_value(record[field]) for field in fields])
        tables[file_name] = rows
    return tables


def _check_restorable(folder: Path, tables: dict[str, list[list[str]]], catalog: Catalog) -> None:
    """Refuse (CsvExportError) when the import would refuse any row of these files."""
    rows = {
        name: [
            (line, dict(zip(FILES[name], cells, strict=True)))
            for line, cells in enumerate(table, 2)
        ]
        for name, table in tables.items()
    }
    parsed = parse_files(CsvFolder(folder, rows, ()), catalog)
    if parsed.problems:
        raise CsvExportError(folder, sorted_problems(parsed.problems))


def _check_target(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise StoreError(
            f"cannot export to {folder}: it is a file, not a folder (name a new folder)",
            file=folder,
        )
    for name in FILES:
        path = folder / name
        if path.exists() or path.is_symlink():
            raise StoreError(
                f"cannot export to {folder}: {path} already exists, and an export never replaces "
                "an earlier one (name a new folder, or move the old export away)",
                file=path,
            )


def _write_all(folder: Path, tables: dict[str, list[list[str]]]) -> list[Path]:
    """The six files, each written to a temporary name first and renamed once all are whole."""
    try:
        if not folder.exists():
            folder.mkdir(parents=True, mode=PRIVATE_DIR_MODE)
            folder.chmod(PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask
    except OSError as err:
        raise StoreError(f"cannot create the folder {folder}: {_why(err)}", file=folder) from None
    temporaries: dict[Path, Path] = {}
    try:
        for name, rows in tables.items():
            path = folder / name
            temporaries[path] = _write_temporary(path, FILES[name], rows)
        for path, temporary in temporaries.items():
            if path.exists():  # written meanwhile by someone else: keep theirs
                raise StoreError(
                    f"cannot export to {folder}: {path} appeared while exporting", file=path
                )
            os.replace(temporary, path)
    except OSError as err:
        failed = Path(err.filename) if err.filename else folder
        raise StoreError(f"cannot write {failed}: {_why(err)}", file=failed) from None
    finally:
        for temporary in temporaries.values():
            temporary.unlink(missing_ok=True)
    return list(temporaries)


def _write_temporary(path: Path, fields: tuple[str, ...], rows: list[list[str]]) -> Path:
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as out:
            os.fchmod(out.fileno(), PRIVATE_FILE_MODE)  # mkstemp makes it 0600; say so anyway
            out.write(csv_line(fields))
            for row in rows:
                out.write(csv_line(row))
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _why(err: OSError) -> str:
    """An OS error in words, with a hint for the common cases."""
    reason = err.strerror or str(err)
    if isinstance(err, PermissionError):
        return f"{reason} (you have no right to write there; choose a folder of your own)"
    if err.errno == getattr(os, "ENOSPC", None):
        return f"{reason} (the disk is full)"
    return reason
