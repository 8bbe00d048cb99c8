"""CSV export: one owner-only file per table, which imports back to the very same store."""

from __future__ import annotations

import pandas as pd
from store_support import _fill, _mode

from backlib.store import open_store
from backlib.store.csv_format import FILES


def test_export_then_import_round_trips_exactly(store, store_catalog, tmp_path, store_url):
    _fill(store, store_catalog)
    first = tmp_path / "first"
    written = store.export_csv(first)
    assert sorted(p.name for p in written) == sorted(FILES)
    copy_url = f"sqlite:///{tmp_path / 'copy.db'}"
    with open_store(copy_url, catalog=store_catalog) as copy:
        counts = copy.import_csv(first)
        assert counts == {
            "patients.csv": 2,
            "sessions.csv": 6,
            "entries.csv": 16,
            "outcomes.csv": 2,
        }
        copy.export_csv(tmp_path / "second")
        for name in FILES:
            assert (first / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name
        pd.testing.assert_frame_equal(copy.patients(), store.patients())
        ids = ["session_id"]
        pd.testing.assert_frame_equal(
            copy.sessions().drop(columns=ids), store.sessions().drop(columns=ids)
        )
        ids = ["session_id", "entry_id"]
        pd.testing.assert_frame_equal(
            copy.entries().drop(columns=ids), store.entries().drop(columns=ids)
        )
        ids = ["outcome_id"]
        pd.testing.assert_frame_equal(
            copy.outcomes().drop(columns=ids), store.outcomes().drop(columns=ids)
        )


def test_exported_files_are_owner_only(store, store_catalog, tmp_path):
    _fill(store, store_catalog)
    folder = tmp_path / "export"
    for path in store.export_csv(folder):
        assert _mode(path) == 0o600
    assert _mode(folder) == 0o700
