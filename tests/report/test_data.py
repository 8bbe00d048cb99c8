"""Report data: periods and store URLs checked before a kernel starts, and the headline."""

from __future__ import annotations

import pytest

from backlib import report
from backlib.errors import ReportError


def test_missing_sqlite_store_is_an_error_not_a_new_empty_store(tmp_path):
    missing = tmp_path / "nowhere.db"
    with pytest.raises(ReportError, match="does not exist"):
        report.render("demo-1", f"sqlite:///{missing}", out_dir=tmp_path / "out")
    assert not missing.exists()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-13-01", None, "start="),
        (None, "soon", "end="),
        ("2026-03-01", "2026-02-01", "before"),
    ],
)
def test_bad_periods_are_refused_naming_the_field(start, end, message):
    with pytest.raises(ReportError, match=message):
        report.parse_period(start, end)


def test_relative_sqlite_paths_are_made_absolute_for_the_kernel(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert report.store_url_for_kernel("sqlite:///clinic.db") == f"sqlite:///{tmp_path}/clinic.db"
    assert report.store_url_for_kernel("clinic.db") == f"sqlite:///{tmp_path}/clinic.db"
    assert report.store_url_for_kernel("postgresql://u@h/db") == "postgresql://u@h/db"


def test_headline_counts_only_the_sessions_in_the_period(demo_store):
    from backlib.report import data as report_data
    from backlib.store import open_store

    with open_store(demo_store) as store:
        days = store.sessions("demo-2")["started_at"].dt.date
    start, end = days.iloc[5], days.iloc[20]
    head = report_data.load_headline("demo-2", demo_store, start.isoformat(), end.isoformat())
    assert head.sessions == int(((days >= start) & (days <= end)).sum())
    assert (head.start, head.end) == (start, end)
