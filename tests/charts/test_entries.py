"""Entry charts: minutes by category, and one exercise's dose over time with its decisions."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from chart_support import DAY0, bridge_entries, sessions_on
from progress_frames import entries_frame, sessions_frame

from backlib import charts
from backlib.charts import OKABE_ITO
from backlib.progression import decide_doses


def test_minutes_by_category_uses_routine_seconds_or_estimates_from_the_dose(catalog):
    routine = json.dumps({"items": [{"exercise_id": "walk", "seconds": 600}]})
    sessions = sessions_frame(
        [
            {"started_at": DAY0, "routine": routine},
            {"started_at": DAY0 + pd.Timedelta(days=7)},
        ]
    )
    entries = entries_frame(
        [
            {"session_id": 1, "exercise_id": "walk", "sets": 1, "duration_s": 300},
            {"session_id": 2, "exercise_id": "walk", "sets": 1, "duration_s": 300},
            {"session_id": 2, "exercise_id": "bridge", "sets": 2, "reps": 10, "hold_s": 3},
            {"session_id": 2, "exercise_id": "mystery", "sets": 1, "duration_s": 50},
        ],
        sessions,
    )
    figure = charts.minutes_by_category_figure(sessions, entries, catalog)
    bars = {trace.name: list(trace.y) for trace in figure.data}
    assert list(figure.data[0].x) == ["week of 1 Mar 2027", "week of 8 Mar 2027"]
    # walk: routine 600 s, then estimated 300 s + 10 s transition
    assert bars["cardio"] == [pytest.approx(10.0), pytest.approx(5.2)]
    # bridge: 2 sets × 10 reps × 3 s + 10 s rest + 10 s transition = 80 s
    assert bars["strength"] == [0.0, pytest.approx(1.3)]
    assert bars["other"] == [0.0, 1.0]
    assert figure.data[0].marker.color in OKABE_ITO.values()


def test_dose_figure_marks_progressions_and_the_next_decision(catalog):
    sessions = sessions_on(range(6))
    entries = bridge_entries(sessions, reps=(10, 10, 12, 12, 10, 10))
    _, decisions = decide_doses(sessions, entries, catalog)
    figure = charts.dose_figure(entries, "bridge", decisions, catalog)
    assert figure.layout.title.text == "Bridge: dose over time"
    names = {t.name for t in figure.data}
    assert {"progress", "regress"} <= names
    progress = next(t for t in figure.data if t.name == "progress")
    assert list(progress.y) == [12.0]
    star = next(t for t in figure.data if t.name and t.name.startswith("next:"))
    assert star.name == "next: progress" and star.y[0] == 12
    assert "settled by" in star.hovertext[0]
