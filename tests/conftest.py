"""Shared fixtures: no test touches the user's home directory or default store.

tests/ and its stage folders are packages (tests.plan.test_engine, tests.store.test_engine, ...),
so test files in different folders may share a name. The helper modules beside this file
(catalog_factory, store_support, ...) are imported by their plain names: this folder goes on
sys.path before any test module is imported.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HELPERS = str(Path(__file__).resolve().parent)
if HELPERS not in sys.path:
    # Last, not first: a test folder named like an installed package (tests/fhir beside the
    # fhir.resources distribution) must not hide that package from the code under test.
    sys.path.append(HELPERS)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory, monkeypatch):
    """Point HOME, XDG dirs and $BACKLIB_STORE at a temporary folder for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("BACKLIB_STORE", raising=False)


# Session-store fixtures: store_catalog, store_url and store, on SQLite and (when
# BACKLIB_TEST_PG_URL is set) on PostgreSQL; see tests/store_support.py.
from store_support import store, store_catalog, store_catalog_path, store_url  # noqa: E402, F401
