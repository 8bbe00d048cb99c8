"""FHIR fixtures: the demo store (every demo patient) and a clinic store with every record kind."""

from __future__ import annotations

import datetime as dt

import pytest
from fhir_support import fill_clinic

from backlib.demo import make_demo
from backlib.store import open_store

DEMO_TODAY = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    """backlib's demo patients in a SQLite store, written once per module."""
    path = tmp_path_factory.mktemp("fhir-demo") / "demo.db"
    store = open_store(f"sqlite:///{path}")
    make_demo(store, today=DEMO_TODAY)
    yield store
    store.close()


@pytest.fixture
def clinic(store, store_catalog):
    """A store (SQLite, and PostgreSQL when configured) holding fill_clinic's records."""
    fill_clinic(store, store_catalog)
    return store
