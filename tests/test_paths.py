"""One store-URL order everywhere: the given value, then $BACKLIB_STORE, then a fallback."""

from __future__ import annotations

import pytest

from backlib.paths import DEMO_STORE_PATH, resolve_store_url, sqlite_file, user_data_dir


@pytest.fixture(autouse=True)
def _no_store_in_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("BACKLIB_STORE", raising=False)
    monkeypatch.chdir(tmp_path)


def test_without_a_url_or_the_variable_the_fallback_decides():
    assert resolve_store_url() == f"sqlite:///{user_data_dir() / 'backlib.db'}"
    assert resolve_store_url(fallback="demo") == f"sqlite:///{DEMO_STORE_PATH}"
    assert resolve_store_url("   ", fallback="demo") == f"sqlite:///{DEMO_STORE_PATH}"


def test_the_variable_comes_before_the_fallback_and_a_given_url_before_both(monkeypatch):
    monkeypatch.setenv("BACKLIB_STORE", "postgresql://clinic@db/backlib")
    assert resolve_store_url(fallback="demo") == "postgresql://clinic@db/backlib"
    assert resolve_store_url() == "postgresql://clinic@db/backlib"
    assert resolve_store_url("sqlite:////srv/mine.db") == "sqlite:////srv/mine.db"


def test_paths_and_relative_sqlite_urls_become_absolute(tmp_path):
    assert resolve_store_url("mine.db") == f"sqlite:///{tmp_path / 'mine.db'}"
    assert resolve_store_url("sqlite:///mine.db") == f"sqlite:///{tmp_path / 'mine.db'}"
    assert resolve_store_url("sqlite:///:memory:") == "sqlite:///:memory:", (
        "left for the store to refuse"
    )


def test_sqlite_file_names_the_file_of_a_sqlite_url_only():
    assert str(sqlite_file("sqlite:////srv/a.db")) == "/srv/a.db"
    assert sqlite_file("postgresql://u@h/db") is None
    assert sqlite_file("sqlite:///") is None
