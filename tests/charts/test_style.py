"""Rules every chart keeps: figures returned (never shown), titled axes, safe with little data,
light on a year of data, and each figure the very spec that reports export."""

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
from chart_support import bridge_entries, outcomes_frame, sessions_on

from backlib import charts
from backlib.charts import NOT_ENOUGH
from backlib.charts.style import spec, stack_rows
from backlib.progression import decide_doses


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
