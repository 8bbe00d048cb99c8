"""Turning a store URL into a SQLAlchemy engine that loses nothing and shows nothing.

SQLite files are created owner-only (0600, folder 0700), run in WAL mode with a busy timeout,
and write transactions start with ``BEGIN IMMEDIATE`` so two processes queue for the write lock
instead of failing half-way. ``postgresql://`` URLs use the psycopg 3 driver.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError

from backlib.errors import StoreError

# How long a writer waits for another process's transaction before giving up (milliseconds).
BUSY_TIMEOUT_MS = 30_000
# Execution option marking a connection that will write (SQLite takes the write lock at BEGIN).
WRITE_OPTION = "backlib_write"


def normalise_url(url: str) -> sa.URL:
    """Parse a store URL; map postgresql:// to the psycopg 3 driver; refuse other back ends."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"store URL {url!r} is not a URL (use sqlite:///path/to/file.db or "
            "postgresql://user:password@host/db)"
        ) from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        if parsed.drivername in ("postgresql", "postgresql+psycopg2"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return parsed
    if backend == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise StoreError(
                f"store URL {url!r} names no file (use sqlite:///path/to/file.db; an in-memory "
                "store would lose everything when closed)"
            )
        return parsed
    raise StoreError(
        f"store URL {url!r}: back end {backend!r} is not supported (sqlite, postgresql)"
    )


def create_engine(url: str) -> Engine:
    """An engine for the URL, with the folder and file made private for a new SQLite store."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        _prepare_sqlite_file(Path(parsed.database))
        engine = sa.create_engine(parsed, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    try:
        return sa.create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as err:
        raise StoreError(
            f"PostgreSQL stores need the psycopg driver ({err.name} is missing): "
            "pip install 'backlib[postgres]'"
        ) from None


def _prepare_sqlite_file(path: Path) -> None:
    """Create missing folders 0700 and a missing file 0600 before SQLite opens it."""
    path = path.expanduser()
    missing = []
    folder = path.parent
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for new_folder in reversed(missing):
        try:
            new_folder.mkdir(mode=0o700)
        except FileExistsError:
            continue
        new_folder.chmod(0o700)  # mkdir's mode is filtered by the umask
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:
        return
    except OSError as err:
        raise StoreError(f"cannot create the store file {path}: {err.strerror}") from None
    os.close(descriptor)
    path.chmod(0o600)


def _configure_sqlite(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN, so DDL and reads stay transactional.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        # In WAL mode NORMAL keeps every committed transaction across an application crash.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get(WRITE_OPTION, False)
        # Straight to the driver: a constant statement, and the commonest call in the store.
        conn.connection.driver_connection.execute("BEGIN IMMEDIATE" if writing else "BEGIN")


def describe_url(engine: Engine) -> str:
    """The store's URL with any password hidden, for messages."""
    return engine.url.render_as_string(hide_password=True)
