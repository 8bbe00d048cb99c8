"""Fixtures for the report tests."""

from __future__ import annotations

import datetime as dt

import pytest
from report_support import NOTE, URL_NOTE


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> str:
    """Three demo patients; demo-1 also logged a session whose note is a script tag, demo-2 one
    whose note only mentions URLs."""
    from backlib.demo import make_demo
    from backlib.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'clinic.db'}"
    with open_store(url) as store:
        make_demo(store, patients=3, weeks=12, seed=0)
        last = store.sessions("demo-1")["started_at"].max()
        store.log_session(
            "demo-1",
            when=last + dt.timedelta(hours=2),
            pain_before=3,
            pain_during=3,
            pain_after=2,
            notes=NOTE,
        )
        last = store.sessions("demo-2")["started_at"].max()
        store.log_session(
            "demo-2",
            when=last + dt.timedelta(hours=2),
            pain_before=3,
            pain_during=3,
            pain_after=2,
            notes=URL_NOTE,
        )
    return url
