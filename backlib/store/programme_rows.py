"""A programme version as store rows and back: one programmes row and one row per item.

The store, the history frame and programmes.csv all go through these functions, so a programme
reads back exactly as it was saved. List-valued fields (areas, weekdays, conditions, equipment)
are kept as comma lists; their values are slugs, which never hold a comma.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from backlib.catalog import Catalog
from backlib.constants import PATIENT_NAME_MAX
from backlib.errors import StoreError
from backlib.programme import Programme, ProgrammeItem
from backlib.store import validate as check
from backlib.store.schema import (
    PROGRAMME_ITEM_VALUES,
    PROGRAMME_VALUES,
    programme_items,
    programmes,
)
from backlib.store.text_rules import check_text

# The history frame (Store.programmes) and programmes.csv: one row per version and item.
PROGRAMME_COLUMNS = ("patient_id", *PROGRAMME_VALUES, *PROGRAMME_ITEM_VALUES)
_LIST_FIELDS = ("weekdays", "areas", "conditions", "equipment")
_INT_COLUMNS = ("version", "days_per_week", "minutes", "position", "sets")
_OPTIONAL_INT_COLUMNS = ("reps", "hold_s", "duration_s")


@dataclass(frozen=True)
class ProgrammeRecord:
    """One version as rows: the programmes row (with uid and patient) and its item rows."""

    programme: dict[str, Any]
    items: tuple[dict[str, Any], ...]


def checked_by(value: Any) -> str:
    """Who made the change: one line of free text (initials, a name), possibly empty."""
    if check.is_missing(value) or value == "":
        return ""
    if not isinstance(value, str):
        raise StoreError(f"by={value!r} is not text", field="by")
    return check_text("by", value.strip(), PATIENT_NAME_MAX, one_line=True)


def record_of(programme: Programme, patient_id: str, version: int, uid: str) -> ProgrammeRecord:
    """The rows of one programme version (its values already checked)."""
    head = {
        "uid": uid,
        "patient_id": patient_id,
        "version": version,
        "created": programme.created,
        "reason": programme.reason,
        "by": programme.by,
        "note": programme.note,
        "days_per_week": programme.days_per_week,
        "weekdays": ",".join(programme.weekdays),
        "areas": ",".join(programme.areas),
        "minutes": programme.minutes,
        "level": programme.level,
        "conditions": ",".join(programme.conditions),
        "equipment": ",".join(programme.equipment),
        "pain": programme.pain,
    }
    items = tuple(
        {"position": position, "exercise_id": item.exercise_id, "phase": item.phase, **item.dose()}
        for position, item in enumerate(programme.items)
    )
    return ProgrammeRecord(head, items)


def programme_of(head: Mapping[str, Any], items: Iterable[Mapping[str, Any]]) -> Programme:
    """The Programme a programmes row and its item rows hold (items in position order)."""
    ordered = sorted(items, key=lambda row: row["position"])
    return Programme(
        items=tuple(
            ProgrammeItem(
                row["exercise_id"],
                row["phase"],
                int(row["sets"]),
                _optional_int(row["reps"]),
                _optional_int(row["hold_s"]),
                _optional_int(row["duration_s"]),
            )
            for row in ordered
        ),
        areas=_split(head["areas"]),
        minutes=int(head["minutes"]),
        level=head["level"],
        conditions=_split(head["conditions"]),
        equipment=_split(head["equipment"]),
        days_per_week=int(head["days_per_week"]),
        weekdays=_split(head["weekdays"]),
        patient_id=head["patient_id"],
        version=int(head["version"]),
        reason=head["reason"],
        by=head["by"] or "",
        note=head["note"] or "",
        created=pd.Timestamp(head["created"]).to_pydatetime(),
        pain=_optional_int(head.get("pain")),
    )


def prepared(
    programme: Programme,
    patient_id: str,
    catalog: Catalog,
    *,
    by: str,
    note: str,
    when: Any = None,
) -> Programme:
    """The programme as the store will keep it: checked against the catalog and the planner's
    rules, stamped with the patient and the time (``when``, else now). ``note`` (why) follows
    the programme's own note (what an edit or a progression changed); ``by`` replaces the
    programme's when given."""
    if programme.patient_id not in (None, patient_id):
        raise StoreError(
            f"patient_id={patient_id!r}: this programme belongs to {programme.patient_id!r}; "
            "save it for that patient, or plan one for this patient",
            field="patient_id",
        )
    programme.check(catalog)
    note = check.text("note", note)
    if programme.note and note:
        note = f"{programme.note}; {note}"  # what changed (the edit's own words), then why
    return replace(
        programme,
        patient_id=patient_id,
        by=checked_by(by) or checked_by(programme.by),
        note=note or check.text("note", programme.note),
        created=check.timestamp("when", when),
    )


def latest_version(conn: Connection, patient_id: str) -> int:
    """The patient's highest programme version, 0 when there is none."""
    found = conn.execute(
        sa.select(sa.func.max(programmes.c.version)).where(programmes.c.patient_id == patient_id)
    ).scalar()
    return int(found or 0)


def version_exists(conn: Connection, patient_id: str, version: int) -> bool:
    found = conn.execute(
        sa.select(programmes.c.programme_id).where(
            programmes.c.patient_id == patient_id, programmes.c.version == version
        )
    ).first()
    return found is not None


def insert(conn: Connection, record: ProgrammeRecord) -> None:
    """Write one version's rows in the caller's transaction."""
    inserted = conn.execute(programmes.insert(), record.programme)
    programme_id = int(inserted.inserted_primary_key[0])
    conn.execute(
        programme_items.insert(), [{**item, "programme_id": programme_id} for item in record.items]
    )


def read_programme(
    conn: Connection, patient_id: str, version: int | None = None
) -> Programme | None:
    """One version of the patient's programme (the latest when version is None), or None."""
    query = sa.select(*programmes.c).where(programmes.c.patient_id == patient_id)
    if version is None:
        query = query.order_by(programmes.c.version.desc()).limit(1)
    else:
        query = query.where(programmes.c.version == version)
    head = conn.execute(query).mappings().first()
    if head is None:
        return None
    items = conn.execute(
        sa.select(*programme_items.c).where(programme_items.c.programme_id == head["programme_id"])
    ).mappings()
    return programme_of(head, items)


def history_query(patient_id: str | None = None) -> sa.Select:
    """Every version and item, by patient, version and position (the frame and the export)."""
    query = sa.select(
        programmes.c.uid,
        *(programmes.c[name] for name in ("patient_id", *PROGRAMME_VALUES)),
        *(programme_items.c[name] for name in PROGRAMME_ITEM_VALUES),
    ).join(programme_items, programme_items.c.programme_id == programmes.c.programme_id)
    if patient_id is not None:
        query = query.where(programmes.c.patient_id == patient_id)
    return query.order_by(programmes.c.patient_id, programmes.c.version, programme_items.c.position)


def history_frame(conn: Connection, patient_id: str | None = None) -> pd.DataFrame:
    """One row per version and item (PROGRAMME_COLUMNS), oldest version first."""
    rows = conn.execute(history_query(patient_id)).mappings().all()
    frame = pd.DataFrame([dict(row) for row in rows], columns=["uid", *PROGRAMME_COLUMNS])
    frame = frame.drop(columns="uid")
    frame["created"] = pd.to_datetime(frame["created"]).astype("datetime64[ns]")
    for column in _INT_COLUMNS:
        frame[column] = frame[column].astype("int64")
    for column in (*_OPTIONAL_INT_COLUMNS, "pain"):
        frame[column] = frame[column].astype("Int64")
    for column in ("patient_id", "reason", "by", "note", "level", "exercise_id", "phase"):
        frame[column] = frame[column].astype(str)
    for column in _LIST_FIELDS:
        frame[column] = frame[column].astype(str)
    return frame


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part for part in (text or "").split(",") if part)


def _optional_int(value: Any) -> int | None:
    return None if check.is_missing(value) else int(value)
