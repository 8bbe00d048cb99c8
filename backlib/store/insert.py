"""INSERT statements compiled once per dialect and reused, for the store's most frequent write.

Logging a session runs two small inserts (the session, then its entries). Through
``Connection.execute`` each one pays for a cache-key look-up, per-row parameter construction and
result set-up that together cost more than the SQL itself. A `PreparedInsert` lets SQLAlchemy
Core build and compile the statement for the connection's dialect once (so SQLite and PostgreSQL
share this code, with PostgreSQL's type casts and each back end's parameter style), then runs
the compiled text through ``Connection.exec_driver_sql``: values still travel as bound
parameters, each passes through its column type's bind processor for that dialect (as
``Connection.execute`` would do), and events, error wrapping and the transaction stay
SQLAlchemy's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from sqlalchemy.engine import Connection, CursorResult, Dialect


class PreparedInsert:
    """``INSERT INTO table (columns) VALUES (...)``, optionally returning one column.

    Parameters
    ----------
    table
        The table to insert into.
    columns
        Every column each row gives a value for (rows are mappings with exactly these keys;
        other keys are ignored, missing ones raise KeyError).
    returning
        A column to return (the new primary key), or None.
    """

    def __init__(self, table: sa.Table, columns: Sequence[str], returning: sa.Column | None = None):
        statement = table.insert()
        self.statement = statement.returning(returning) if returning is not None else statement
        self.table = table
        self.columns = tuple(columns)
        # Per dialect object (one per engine), dropped with the engine.
        self._prepared: WeakKeyDictionary[Dialect, _Compiled] = WeakKeyDictionary()

    def execute(self, conn: Connection, row: Mapping[str, Any]) -> CursorResult:
        """Insert one row; the result holds the returned column when one was asked for."""
        compiled = self._for(conn.dialect)
        return conn.exec_driver_sql(compiled.sql, compiled.parameters(row))

    def execute_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert many rows with one executemany (no RETURNING)."""
        compiled = self._for(conn.dialect)
        conn.exec_driver_sql(compiled.sql, [compiled.parameters(row) for row in rows])

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._prepared.get(dialect)
        if compiled is None:
            compiled = _Compiled(self, dialect)
            self._prepared[dialect] = compiled
        return compiled


class _Compiled:
    """The statement compiled for one dialect, with its parameter order and bind processors."""

    def __init__(self, insert: PreparedInsert, dialect: Dialect):
        compiled = insert.statement.compile(dialect=dialect, column_keys=list(insert.columns))
        self.sql = compiled.string
        names = list(compiled.positiontup) if compiled.positional else None
        bound = names if names is not None else list(compiled.bind_names.values())
        if sorted(bound) != sorted(insert.columns):  # bind names are the column keys
            raise RuntimeError(f"unexpected bind names {bound} for {insert.table.name}")
        keys = names if names is not None else list(insert.columns)
        self._steps: list[tuple[str, Callable[[Any], Any] | None]] = [
            (key, insert.table.c[key].type.dialect_impl(dialect).bind_processor(dialect))
            for key in keys
        ]
        self.parameters: Callable[[Mapping[str, Any]], Any]
        self.parameters = self._positional if names is not None else self._named

    def _positional(self, row: Mapping[str, Any]) -> tuple[Any, ...]:
        # A list built then frozen is quicker than tuple(generator); the driver wants a tuple.
        return tuple(
            [row[key] if process is None else process(row[key]) for key, process in self._steps]
        )

    def _named(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return {
            key: row[key] if process is None else process(row[key]) for key, process in self._steps
        }
