"""The prepared inserts store exactly what SQLAlchemy Core's own inserts would."""

from __future__ import annotations

import sqlalchemy as sa
from store_support import YESTERDAY, sample_routine

from backlib.store import schema as store_schema


def test_log_session_stores_values_exactly_as_a_core_insert_would(store, store_catalog):
    """The prepared inserts bind values as Connection.execute does (same stored text/types)."""
    store.add_patient("anna")
    session_id = store.log_session(
        "anna", sample_routine(store_catalog), when=YESTERDAY, pain_before=3, pain_after=2
    )
    sessions, entries = store_schema.sessions, store_schema.entries
    with store.engine.begin() as conn:
        session = dict(conn.execute(sa.select(sessions)).mappings().one())
        rows = [dict(row) for row in conn.execute(sa.select(entries)).mappings()]
        session.update(session_id=session_id + 100, uid="core-copy")
        conn.execute(sessions.insert(), session)
        for row in rows:
            row.update(entry_id=row["entry_id"] + 100, session_id=session_id + 100)
        conn.execute(entries.insert(), rows)

    def stored(table, key, value):
        as_text = [sa.cast(column, sa.Text) for column in table.c if column.name not in ignore]
        query = sa.select(*as_text).where(key == value)
        with store.engine.connect() as conn:
            return [tuple(row) for row in conn.execute(query)]

    ignore = {"session_id", "uid", "entry_id"}
    assert stored(sessions, sessions.c.session_id, session_id) == stored(
        sessions, sessions.c.session_id, session_id + 100
    )
    assert len(stored(entries, entries.c.session_id, session_id)) == 3
    assert stored(entries, entries.c.session_id, session_id) == stored(
        entries, entries.c.session_id, session_id + 100
    )
