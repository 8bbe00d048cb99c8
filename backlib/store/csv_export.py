"""CSV export: the store as four files (patients, sessions, entries, outcomes), owner-only.

The format lives in :mod:`backlib.store.csv_format`; :mod:`backlib.store.csv_import` reads it back.
"""

from __future__ import annotations

import csv
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backlib.private_files import private_folder, replaced_whole
from backlib.store.csv_format import FILES, format_value
from backlib.store.schema import entries, outcomes, patients, sessions


# --- export ---------------------------------------------------------------------------------
def export_csv(conn: Connection, folder: Path) -> list[Path]:
    """Write the four files into folder (created owner-only) from one read; returns their paths."""
    folder = private_folder(folder)
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
    }
    renames = {"sessions.csv": "session_uid", "outcomes.csv": "outcome_uid"}
    written = []
    for file_name, query in queries.items():
        fields = FILES[file_name]
        rows = []
        for row in conn.execute(query).mappings():
            record = dict(row)
            if file_name in renames:
                record[renames[file_name]] = record["uid"]
            rows.append([format_value(record[field]) for field in fields])
        written.append(_write_csv(folder / file_name, fields, rows))
    return written


def _write_csv(path: Path, fields: tuple[str, ...], rows: list[list[str]]) -> Path:
    """One export file, written whole and owner-only (private_files.replaced_whole)."""
    with replaced_whole(path) as temp, temp.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows(rows)
    return path
