"""Turning a store URL into a SQLAlchemy engine that loses nothing and shows nothing.

SQLite files are created owner-only (0600, folder 0700), run in WAL mode with a busy timeout,
and write transactions start with ``BEGIN IMMEDIATE`` so two processes queue for the write lock
instead of failing half-way. ``postgresql://`` URLs use the psycopg 3 driver, with the same
timeout for lock waits. A store still locked when the timeout runs out raises StoreBusyError.

Each thread keeps one connection between calls (`ConnectionKeeper`): checking a connection out
of the pool and back in for every logged session costs more than the session's SQL.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError

from backlib.errors import StoreError

# How long a writer waits for another process's transaction before giving up (milliseconds).
BUSY_TIMEOUT_MS = 30_000
# Execution option marking a connection that will write (SQLite takes the write lock at BEGIN).
WRITE_OPTION = "backlib_write"
# A kept connection idle longer than this goes back to the pool, which pings it before handing
# it out again: after a server restart or a dropped link the next call reconnects, not fails.
IDLE_RETURN_S = 30.0
# PostgreSQL's lock_not_available (lock_timeout ran out), deadlock_detected and
# serialization_failure (PostgreSQL documentation, Appendix A: error codes).
_PG_BUSY_CODES = frozenset({"55P03", "40P01", "40001"})
# What SQLite says when another connection holds the lock (SQLITE_BUSY, SQLITE_LOCKED).
_SQLITE_BUSY_TEXTS = ("database is locked", "database is busy", "database table is locked")
# Pause between attempts when SQLite reports busy without waiting (WAL recovery, a checkpoint).
_RETRY_PAUSE_S = 0.05


class StoreBusyError(StoreError):
    """Another connection kept the store locked for longer than the busy timeout."""


def busy_error(url: str) -> StoreBusyError:
    return StoreBusyError(
        f"the store is busy with another import; try again in a minute ({url} stayed locked "
        f"by another writer for more than {BUSY_TIMEOUT_MS / 1000:g} s)"
    )


def is_busy(err: BaseException) -> bool:
    """True for a driver error (raw or wrapped by SQLAlchemy) that means "locked, try later"."""
    original = getattr(err, "orig", None) or err
    if isinstance(original, sqlite3.OperationalError):
        text = str(original).lower()
        return any(phrase in text for phrase in _SQLITE_BUSY_TEXTS)
    return getattr(original, "sqlstate", None) in _PG_BUSY_CODES


# user:password@ in a URL SQLAlchemy cannot parse (the password is hidden all the same).
_URL_PASSWORD = re.compile(r"(://[^:/@]*:)[^@/]*@")


def mask_password(url: str) -> str:
    """The URL with any password shown as ***, for messages (even a URL that does not parse)."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return _URL_PASSWORD.sub(r"\1***@", url)


def normalise_url(url: str) -> sa.URL:
    """Parse a store URL; map postgresql:// to the psycopg 3 driver; refuse other back ends."""
    shown = mask_password(url)
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(
            f"store URL {shown!r} is not a URL (use sqlite:///path/to/file.db or "
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
                f"store URL {shown!r} names no file (use sqlite:///path/to/file.db; an in-memory "
                "store would lose everything when closed)"
            )
        return parsed
    raise StoreError(
        f"store URL {shown!r}: back end {backend!r} is not supported (sqlite, postgresql)"
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
        engine = sa.create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as err:
        raise StoreError(
            f"PostgreSQL stores need the psycopg driver ({err.name} is missing): "
            "pip install 'backlib[postgres]'"
        ) from None
    _configure_postgresql(engine)
    return engine


def _configure_postgresql(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # A lock wait (another transaction writing the same key) ends after the busy timeout,
        # as on SQLite, instead of waiting for ever.
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {int(BUSY_TIMEOUT_MS)}")
        dbapi_connection.commit()


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
        # Let SQLAlchemy's "begin" event below emit BEGIN, so DDL and reads stay transactional.
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
        statement = "BEGIN IMMEDIATE" if writing else "BEGIN"
        # Straight to the driver: a constant statement, and the commonest call in the store.
        driver = conn.connection.driver_connection
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                driver.execute(statement)
                return
            except sqlite3.OperationalError as err:
                # SQLite's busy handler has already waited busy_timeout for a lock held by
                # another writer; a busy reported at once (recovery, checkpoint) is retried
                # until the same deadline.
                if not is_busy(err) or time.monotonic() >= deadline:
                    raise
                time.sleep(_RETRY_PAUSE_S)


def describe_url(engine: Engine) -> str:
    """The store's URL with any password hidden, for messages."""
    return engine.url.render_as_string(hide_password=True)


class ConnectionKeeper:
    """One connection per thread, kept between transactions and reused while calls come quickly.

    Every transaction still begins and ends here (commit, or rollback on any error), so keeping
    the connection changes only how often the pool is visited. A connection is given back to
    the pool after an error, after IDLE_RETURN_S idle, in a forked child (never shared across
    processes) and on `close`.
    """

    def __init__(self, engine: Engine):
        self.engine = engine
        self._local = threading.local()
        self._lock = threading.Lock()
        self._kept: set[Connection] = set()

    @contextmanager
    def transaction(self, *, write: bool, snapshot: bool = False) -> Iterator[Connection]:
        """A connection inside one transaction, committed whole or rolled back whole.

        ``snapshot`` makes every read of the transaction see the same committed data
        (REPEATABLE READ, READ ONLY on PostgreSQL; a SQLite read transaction in WAL mode
        already does). A store locked past the busy timeout raises StoreBusyError.
        """
        local = self._local
        if getattr(local, "busy", False):  # a transaction inside another: its own connection
            try:
                with self.engine.connect() as conn:
                    conn.execution_options(**{WRITE_OPTION: write})
                    with conn.begin():
                        _start_snapshot(conn, snapshot)
                        yield conn
            except Exception as err:
                if is_busy(err):
                    raise busy_error(describe_url(self.engine)) from None
                raise
            return
        conn = self._connection(local)
        if local.write is not write:
            conn.execution_options(**{WRITE_OPTION: write})  # in place on a 2.x Connection
            local.write = write
        local.busy = True
        try:
            with conn.begin():
                _start_snapshot(conn, snapshot)
                yield conn
        except BaseException as err:
            self._give_back(local)
            if isinstance(err, Exception) and is_busy(err):
                raise busy_error(describe_url(self.engine)) from None
            raise
        finally:
            local.busy = False
            local.last_used = time.monotonic()

    def close(self) -> None:
        """Give every kept connection back to the pool (call before disposing of the engine)."""
        with self._lock:
            kept, self._kept = self._kept, set()
        for conn in kept:
            conn.close()

    def _connection(self, local: threading.local) -> Connection:
        conn = getattr(local, "conn", None)
        if conn is not None:
            stale = time.monotonic() - local.last_used > IDLE_RETURN_S
            if local.pid != os.getpid():  # forked: the parent's connection is not ours to use
                local.conn = None
                conn = None
            elif stale or conn.closed or conn.invalidated:
                self._give_back(local)
                conn = None
        if conn is None:
            conn = self.engine.connect()
            local.conn, local.pid, local.write = conn, os.getpid(), None
            with self._lock:
                self._kept.add(conn)
        return conn

    def _give_back(self, local: threading.local) -> None:
        conn, local.conn = getattr(local, "conn", None), None
        if conn is None:
            return
        with self._lock:
            self._kept.discard(conn)
        with suppress(Exception):  # a broken connection still leaves this thread free to reconnect
            conn.close()


def _start_snapshot(conn: Connection, snapshot: bool) -> None:
    """Make the transaction just begun read one snapshot (must run before its first query)."""
    if snapshot and conn.dialect.name == "postgresql":
        # Under READ COMMITTED each SELECT sees what was committed when it started, so an
        # export's four SELECTs could disagree (PostgreSQL documentation, 13.2 isolation).
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
