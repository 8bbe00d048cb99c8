"""Report data: periods and store URLs checked before a kernel starts, and the headline."""

from __future__ import annotations

import datetime as dt

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


def test_the_report_shows_the_programme_as_it_stood_at_the_period_end(demo_store):
    from backlib.report.data import load_report
    from backlib.store import open_store

    with open_store(demo_store) as store:
        history = store.programmes("demo-1").drop_duplicates("version")
    second = history.iloc[1]["created"].date()
    early = load_report("demo-1", demo_store, end=second.isoformat())
    assert early.programme.version == 2 and list(early.programme_history["version"]) == [1, 2]
    whole = load_report("demo-1", demo_store)
    assert whole.programme.version == int(history["version"].max())
    before = load_report(
        "demo-1", demo_store, end=history.iloc[0]["created"].date() - dt.timedelta(days=1)
    )
    assert before.programme is None and before.programme_history.empty


def test_the_programme_part_says_how_often_and_what_each_version_changed(demo_store):
    from backlib.report.data import load_report
    from backlib.report.html_parts import programme_html

    report = load_report("demo-1", demo_store)
    page = programme_html(report.programme, report.programme_history)
    assert "times a week" in page and "first planned" in page and "What changed" in page
    assert page.index(f"v{report.programme.version}<") < page.index("v1<"), "newest first"
    assert "No programme saved yet" in programme_html(None, report.programme_history.iloc[0:0])
