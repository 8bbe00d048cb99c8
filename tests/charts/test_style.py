"""Rules of backlib.charts: figures returned (never shown), honest values, safe with little data."""

from __future__ import annotations

import base64
import itertools
import json
import re

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from progress_frames import entries_frame, exercise_spec, sessions_frame, write_catalog

from backlib import charts
from backlib.charts import NOT_ENOUGH, OKABE_ITO
from backlib.charts.style import spec, stack_rows
from backlib.progression import decide_doses

DAY0 = pd.Timestamp("2027-03-01 08:00")  # a Monday


@pytest.fixture
def catalog(tmp_path):
    return write_catalog(
        tmp_path,
        exercise_spec("bridge"),  # strength: 2 × 10 × 3 s hold, 10 s rest
        exercise_spec(
            "walk",
            "cardio",
            sets={"default": 1, "min": 1, "max": 1},
            duration_s={"default": 300, "min": 120, "max": 900},
        ),
    )


def sessions_on(days, **pains):
    return sessions_frame(
        [
            {
                "started_at": DAY0 + pd.Timedelta(days=d),
                "pain_before": 5,
                "pain_during": 2,
                "pain_after": 3,
                "pain_next_morning": 4,
                **pains,
            }
            for d in days
        ]
    )


def is_not_enough(figure: go.Figure) -> bool:
    return any(NOT_ENOUGH in (a.text or "") for a in figure.layout.annotations)


def all_figures(sessions, entries, outcomes, catalog):
    _, decisions = decide_doses(sessions, entries, catalog)
    return {
        "pain_trend": charts.pain_trend_figure(sessions),
        "before_after": charts.pain_before_after_figure(sessions),
        "calendar": charts.adherence_calendar_figure(sessions),
        "minutes": charts.minutes_by_category_figure(sessions, entries, catalog),
        "outcomes": charts.outcomes_figure(outcomes),
        "dose": charts.dose_figure(entries, "bridge", decisions, catalog),
    }


def outcomes_frame(rows):
    return pd.DataFrame(
        [{"measured_on": pd.Timestamp(d), "measure": m, "score": float(s)} for d, m, s in rows],
        columns=["measured_on", "measure", "score"],
    )


def bridge_entries(sessions, reps=(10,)):
    rows = []
    for i, sid in enumerate(sessions["session_id"]):
        rows.append(
            {
                "session_id": sid,
                "exercise_id": "bridge",
                "sets": 2,
                "reps": reps[min(i, len(reps) - 1)],
                "hold_s": 3,
            }
        )
    return entries_frame(rows, sessions)


def test_no_data_or_one_session_gives_not_enough_data_figures_not_errors(catalog):
    for days in ([], [0]):
        sessions = sessions_on(days)
        entries = (
            bridge_entries(sessions)
            if days
            else pd.DataFrame(columns=["session_id", "exercise_id", "started_at", "completed"])
        )
        outcomes = outcomes_frame([("2027-03-01", "odi", 30)][: len(days)])
        for name, figure in all_figures(sessions, entries, outcomes, catalog).items():
            assert isinstance(figure, go.Figure), name
            assert is_not_enough(figure), name


def test_every_figure_has_a_title_and_axis_titles(catalog):
    sessions = sessions_on(range(0, 21, 2))
    entries = bridge_entries(sessions, reps=(10, 10, 12))
    outcomes = outcomes_frame([("2027-03-01", "odi", 40), ("2027-03-20", "odi", 30)])
    for name, figure in all_figures(sessions, entries, outcomes, catalog).items():
        assert not is_not_enough(figure), name
        assert figure.layout.title.text, name
        axes = figure.to_plotly_json()["layout"]
        for letter in ("x", "y"):
            titled = [
                v for k, v in axes.items() if k.startswith(f"{letter}axis") and v.get("title")
            ]
            assert titled, (name, letter)
        assert all(t.hovertemplate or t.hoverinfo == "skip" for t in figure.data), name


def test_pain_axes_are_fixed_at_0_to_10(catalog):
    sessions = sessions_on(range(0, 21, 2))
    for figure in (charts.pain_trend_figure(sessions), charts.pain_before_after_figure(sessions)):
        assert tuple(figure.layout.yaxis.range) == (0, 10)
        assert "0-10" in figure.layout.yaxis.title.text
    nprs = outcomes_frame([("2027-03-01", "nprs", 6), ("2027-03-20", "nprs", 3)])
    assert tuple(charts.outcomes_figure(nprs).layout.yaxis.range) == (0, 10)


def test_pain_trend_draws_baseline_and_the_band_of_meaningful_change():
    # Baseline 5.0 (first 2 weeks): the smaller meaningful drop is 30 % = 1.5 points.
    sessions = sessions_on([0, 7, 21, 27])
    figure = charts.pain_trend_figure(sessions)
    band = next(s for s in figure.layout.shapes if s.type == "rect")
    assert (band.y0, band.y1) == pytest.approx((3.5, 6.5))
    line = next(s for s in figure.layout.shapes if s.type == "line")
    assert line.y0 == 5.0
    points = figure.data[0]
    assert list(points.y) == [5, 5, 5, 5]
    assert "next morning 4/10" in points.hovertemplate.replace("%{customdata[1]}", "4")


def test_pain_before_after_pairs_each_session_and_reports_the_mean_change():
    sessions = sessions_frame(
        [
            {"started_at": DAY0, "pain_before": 6, "pain_after": 4},
            {"started_at": DAY0 + pd.Timedelta(days=2), "pain_before": 5, "pain_after": 4},
            {"started_at": DAY0 + pd.Timedelta(days=4), "pain_before": 5},  # no after: left out
        ]
    )
    figure = charts.pain_before_after_figure(sessions)
    assert "mean change -1.5 points" in figure.layout.title.text
    before, after = figure.data[0], figure.data[1]
    assert list(before.y) == [6, 5] and list(after.y) == [4, 4]
    assert {before.marker.symbol, after.marker.symbol} == {"circle", "diamond"}
    # the line joining each pair: from before down (or up) to after
    assert list(before.error_y.arrayminus) == [2, 1] and list(before.error_y.array) == [0, 0]


def test_adherence_calendar_has_one_cell_per_day_by_iso_week_and_weekday():
    sessions = sessions_on([0, 0, 2, 9])  # Mon twice, Wed; Wed of the next week
    heatmap = charts.adherence_calendar_figure(sessions).data[0]
    assert list(heatmap.y) == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    assert len(heatmap.x) == 2
    z = pd.DataFrame(heatmap.z)
    assert z.iloc[0, 0] == 2 and z.iloc[2, 0] == 1 and z.iloc[1, 0] == 0
    assert z.iloc[2, 1] == 1
    assert pd.isna(z.iloc[3, 1])  # after the last day: blank, not "missed"


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
    assert list(figure.data[0].x) == ["2027-W09", "2027-W10"]
    # walk: routine 600 s, then estimated 300 s + 10 s transition
    assert bars["cardio"] == [pytest.approx(10.0), pytest.approx(5.2)]
    # bridge: 2 sets × 10 reps × 3 s + 10 s rest + 10 s transition = 80 s
    assert bars["strength"] == [0.0, pytest.approx(1.3)]
    assert bars["other"] == [0.0, 1.0]
    assert figure.data[0].marker.color in OKABE_ITO.values()


def test_outcomes_figure_draws_each_measure_with_its_threshold_line():
    outcomes = outcomes_frame(
        [
            ("2027-01-01", "odi", 40),
            ("2027-02-01", "odi", 32),
            ("2027-01-01", "psfs", 3),
            ("2027-02-01", "psfs", 6),
        ]
    )
    figure = charts.outcomes_figure(outcomes)
    assert [t.name for t in figure.data] == [
        "Oswestry (ODI %)",
        "Patient-Specific Functional Scale",
    ]
    lines = sorted(s.y0 for s in figure.layout.shapes)
    assert lines == [5.0, 30.0]  # PSFS 3 + 2 (higher is better), ODI 40 − 10
    assert tuple(figure.layout.yaxis.range) == (0, 100)
    assert tuple(figure.layout.yaxis2.range) == (0, 10)


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
    assert "GREEN" in star.hovertext[0]


def test_figures_stay_light_on_a_year_of_daily_sessions(catalog):
    sessions = sessions_on(range(365))
    entries = bridge_entries(sessions)
    for figure in (
        charts.pain_trend_figure(sessions),
        charts.adherence_calendar_figure(sessions),
        charts.minutes_by_category_figure(sessions, entries, catalog),
    ):
        assert len(figure.to_json()) < 120_000


SPEC_BUILDERS = {
    "pain_trend": "pain_trend_spec",
    "before_after": "pain_before_after_spec",
    "calendar": "adherence_calendar_spec",
    "minutes": "minutes_by_category_spec",
    "outcomes": "outcomes_spec",
    "dose": "dose_spec",
}


ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.0+$")


def _decoded(value):
    """JSON with plotly's typed arrays ({"dtype", "bdata"}) as plain lists, for comparison."""
    if isinstance(value, dict) and "bdata" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        shape = [int(size) for size in str(value.get("shape", len(array))).split(",")]
        return _decoded(array.reshape(shape).tolist())
    if isinstance(value, dict):
        return {key: _decoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and ISO_TIME.match(value):
        return value.rstrip("0").rstrip(".")  # numpy writes nanoseconds; same instant
    return value


def test_each_figure_is_its_plain_spec_validated_by_plotly(catalog):
    # Reports export the specs without plotly's validation: each must be the very figure that
    # the validated twin shows, and valid for plotly.
    sessions = sessions_on(range(0, 21, 2))
    entries = bridge_entries(sessions, reps=(10, 10, 12))
    outcomes = outcomes_frame(
        [("2027-03-01", "odi", 40), ("2027-03-20", "odi", 30), ("2027-03-20", "nprs", 4)]
    )
    _, decisions = decide_doses(sessions, entries, catalog)
    arguments = {
        "pain_trend": (sessions,),
        "before_after": (sessions,),
        "calendar": (sessions,),
        "minutes": (sessions, entries, catalog),
        "outcomes": (outcomes,),
        "dose": (entries, "bridge", decisions, catalog),
    }
    figures = all_figures(sessions, entries, outcomes, catalog)
    for name, builder in SPEC_BUILDERS.items():
        spec = getattr(charts, builder)(*arguments[name])
        assert isinstance(spec, dict) and set(spec) == {"data", "layout"}, name
        exported = _decoded(json.loads(pio.to_json(spec, validate=False)))
        shown = _decoded(json.loads(figures[name].to_json()))
        # An empty template is plotly's "none": plotly.js's own plain defaults.
        assert exported["layout"].pop("template") == {}, name
        assert shown["layout"].pop("template") == pio.templates["none"].to_plotly_json(), name
        assert exported == shown, name


@pytest.mark.parametrize("rows", [1, 2, 3, 4])
def test_stacked_rows_share_the_time_axis_and_stay_inside_the_figure(rows):
    figure = spec("stacked")
    suffixes = stack_rows(figure, [f"row {n}" for n in range(rows)], spacing=0.12)
    layout = figure["layout"]
    domains = [layout[f"yaxis{s}"]["domain"] for s in suffixes]
    assert all(0.0 <= low < high <= 1.0 for low, high in domains)
    assert all(below[1] < above[0] for above, below in itertools.pairwise(domains))
    assert domains[0][1] == 1.0 and domains[-1][0] == 0.0
    bottom = f"x{suffixes[-1]}"
    assert all(layout[f"xaxis{s}"].get("matches") == bottom for s in suffixes[:-1])
    assert [a["text"] for a in layout["annotations"]] == [f"row {n}" for n in range(rows)]
    go.Figure(figure)  # plotly accepts the layout
