"""Checking a store URL before a server starts on it, so a typo fails at once and in words.

A server (the app, JupyterLab) that started on a bad store would only fail when a page opens,
in a kernel, far from the command that was mistyped. The check opens nothing for writing and
creates nothing: a SQLite file must already exist and be a SQLite database, a PostgreSQL server
must answer. Every message shows the URL with its password hidden.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from backlib.errors import StoreError
from backlib.store.engine import mask_password, normalise_url

# How long to wait for a PostgreSQL server to answer before calling it unreachable (seconds).
CONNECT_TIMEOUT_S = 5


def check_store(url: str, *, create: bool = False) -> None:
    """Raise StoreError, in plain words, when a server could not use the store at ``url``.

    Parameters
    ----------
    url
        A store URL (``sqlite:///file.db`` or ``postgresql://...``).
    create
        Accept a SQLite file that does not exist yet (the store creates it, empty, on first
        use); without it a missing file is taken for a mistyped path.

    Raises
    ------
    StoreError
        For a URL that is not one, a back end other than SQLite or PostgreSQL, a missing or
        unreadable SQLite file (``file`` names it), or a PostgreSQL server that does not answer
        or refuses the login.
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_file(Path(parsed.database).expanduser(), create=create)
    else:
        _check_postgresql(parsed, mask_password(url))


def _check_sqlite_file(path: Path, *, create: bool) -> None:
    if path.is_dir():
        raise StoreError(f"the store {path} is a folder, not a SQLite file", file=path)
    if not path.exists():
        if create:
            return
        raise StoreError(
            f"the store file {path} does not exist (check the path; give --create to start "
            "a new, empty store there)",
            file=path,
        )
    try:
        # Read-only, and a real read: sqlite3 opens any file lazily and fails on the first query.
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as connection:
            connection.execute("PRAGMA schema_version").fetchone()
    except sqlite3.Error as err:
        raise StoreError(
            f"the store file {path} cannot be read as SQLite: {err}", file=path
        ) from None


def _check_postgresql(parsed: sa.URL, shown: str) -> None:
    try:
        engine = sa.create_engine(
            parsed, poolclass=NullPool, connect_args={"connect_timeout": CONNECT_TIMEOUT_S}
        )
    except ModuleNotFoundError as err:
        raise StoreError(
            f"PostgreSQL stores need the psycopg driver ({err.name} is missing): "
            "pip install 'backlib[postgres]'"
        ) from None
    try:
        with engine.connect():
            pass
    except sa.exc.DBAPIError as err:
        reason = str(err.orig).strip().splitlines()[0] if str(err.orig).strip() else "no answer"
        if parsed.password:  # a driver message should never hold it; make sure
            reason = reason.replace(parsed.password, "***")
        raise StoreError(f"cannot reach the PostgreSQL store {shown}: {reason}") from None
    finally:
        engine.dispose()
