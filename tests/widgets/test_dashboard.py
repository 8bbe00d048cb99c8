"""The progress dashboard: session count, cards, flags and charts for a chosen period."""

from __future__ import annotations

import datetime as dt


def test_dashboard_counts_sessions_and_shows_cards_flags_and_charts(store, planned):
    from backlib.widgets import ProgressDashboard

    for days_ago, pain in [(20, 7), (16, 7), (12, 6), (8, 4), (4, 3), (1, 3)]:
        when = dt.datetime.combine(dt.date.today() - dt.timedelta(days=days_ago), dt.time(9))
        store.log_session("ana", planned, when=when, pain_before=pain, pain_after=pain)
    dashboard = ProgressDashboard(store, patient_id="ana")
    assert "backlib-dashboard" in dashboard._dom_classes
    assert dashboard.count.value.startswith("6 sessions")
    assert "Baseline pain" in dashboard.cards.value and "Meaningful?" in dashboard.cards.value
    assert dashboard.flags.children
    figures = [o for o in dashboard.charts.outputs if "application/vnd.plotly.v1+json" in o["data"]]
    assert figures, "the charts should be shown"
    dashboard.start.value = dt.date.today() - dt.timedelta(days=5)
    assert dashboard.count.value.startswith("2 sessions")


def test_dashboard_refuses_a_start_after_the_end_in_plain_words(store):
    from backlib.widgets import ProgressDashboard

    dashboard = ProgressDashboard(store, patient_id="ana")
    dashboard.end.value = dt.date.today() - dt.timedelta(days=10)
    dashboard.start.value = dt.date.today()
    assert "must come before" in dashboard.flags.children[0].value
