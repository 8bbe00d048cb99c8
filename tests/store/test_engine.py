"""Store URLs and engines: private WAL-mode SQLite files, psycopg 3, one connection per thread,
and writers that queue instead of losing sessions."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_support import YESTERDAY, _count, _mode, sample_routine

from backlib.errors import StoreError
from backlib.store import open_store
from backlib.store import schema as store_schema
from backlib.store.engine import normalise_url


def test_new_sqlite_store_and_its_new_folders_are_owner_only(tmp_path, store_catalog):
    path = tmp_path / "a" / "b" / "store.db"
    with open_store(f"sqlite:///{path}", catalog=store_catalog) as store:
        store.add_patient("anna")
        for file in path.parent.glob("store.db*"):  # the database, its WAL and shared memory
            assert _mode(file) == 0o600, file
    assert _mode(tmp_path / "a") == 0o700
    assert _mode(tmp_path / "a" / "b") == 0o700


def test_sqlite_store_runs_in_wal_mode_with_a_busy_timeout(tmp_path, store_catalog):
    url = f"sqlite:///{tmp_path / 's.db'}"
    with open_store(url, catalog=store_catalog) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.mark.parametrize(
    "url", ["mysql://u@h/db", "sqlite://", "sqlite:///:memory:", "not a url at all"]
)
def test_unsupported_or_memory_urls_are_refused_with_the_url_named(url):
    with pytest.raises(StoreError, match="store URL"):
        open_store(url)


def test_postgresql_urls_use_the_psycopg3_driver():
    assert normalise_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("postgresql+psycopg://u:p@h/db").drivername == "postgresql+psycopg"


def test_unreachable_postgresql_server_raises_store_error_without_password():
    with pytest.raises(StoreError, match="cannot open the store") as caught:
        open_store("postgresql://someone:s3cret@127.0.0.1:1/nothing?connect_timeout=2")
    assert "s3cret" not in str(caught.value)


# --- connections --------------------------------------------------------------------------


def test_store_keeps_one_connection_between_calls_and_gives_it_back_on_close(store):
    store.add_patient("anna")
    for pain in range(3):
        store.log_session("anna", pain_before=pain, when=YESTERDAY)
    store.sessions("anna")
    assert store.engine.pool.checkedout() == 1
    store.close()
    assert store.engine.pool.checkedout() == 0


def test_a_failed_write_rolls_back_and_the_next_call_works(store, store_catalog):
    store.add_patient("anna")
    store.log_session("anna", pain_before=1, when=YESTERDAY)  # anna is now known to the store
    with store.engine.begin() as conn:  # another connection removes her meanwhile
        conn.execute(store_schema.sessions.delete())
        conn.execute(store_schema.patients.delete())
    with pytest.raises(StoreError, match="patient_id='anna'"):
        store.log_session("anna", sample_routine(store_catalog), when=YESTERDAY)
    assert _count(store, "sessions") == 0 and _count(store, "entries") == 0
    store.add_patient("anna")
    store.log_session("anna", sample_routine(store_catalog), when=YESTERDAY)
    assert len(store.sessions("anna")) == 1 and len(store.entries("anna")) == 3


def test_threads_sharing_a_store_each_log_through_their_own_connection(store, store_catalog):
    from concurrent.futures import ThreadPoolExecutor

    store.add_patient("anna")
    routine = sample_routine(store_catalog)

    def log_twenty(worker: int) -> list[int]:
        return [
            store.log_session("anna", routine, when=YESTERDAY, notes=f"{worker}-{n}")
            for n in range(20)
        ]

    with ThreadPoolExecutor(max_workers=3) as pool:
        ids = [sid for batch in pool.map(log_twenty, range(3)) for sid in batch]
    assert len(set(ids)) == 60
    assert len(store.sessions("anna")) == 60 and len(store.entries("anna")) == 180


# --- nothing lost -------------------------------------------------------------------------


_LOGGER = """
import sys, time
from pathlib import Path
sys.path.insert(0, str(Path({tests!r}).parent))  # store_support is in tests/, one folder up
from store_support import sample_routine
from backlib.catalog import load_catalog
from backlib.store import open_store
url, catalog_path, name, count, go = sys.argv[1:]
store = open_store(url, catalog=load_catalog(catalog_path))
routine = sample_routine(store.catalog)
deadline = time.monotonic() + 60
while not Path(go).exists() and time.monotonic() < deadline:
    time.sleep(0.01)
for number in range(int(count)):
    store.log_session("anna", routine, pain_before=number % 11, notes=f"{{name}} {{number}}")
"""


@pytest.mark.slow
def test_two_processes_logging_500_sessions_each_store_exactly_1000(
    store, store_url, store_catalog_path, tmp_path
):
    import subprocess
    import sys

    store.add_patient("anna")
    script = _LOGGER.format(tests=str(Path(__file__).parent))
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", script, store_url, str(store_catalog_path), name, "500", str(go)]
        )
        for name in ("first", "second")
    ]
    go.touch()
    assert [worker.wait(timeout=300) for worker in workers] == [0, 0]
    sessions = store.sessions("anna")
    assert len(sessions) == 1000
    assert sessions["session_id"].is_unique
    assert sorted(sessions["notes"]) == sorted(
        f"{name} {n}" for name in ("first", "second") for n in range(500)
    )
    assert len(store.entries("anna")) == 3000
