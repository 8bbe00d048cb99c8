"""Charts of the sessions frame: pain over time, pain before and after, the adherence calendar.

Each chart has a ``*_spec`` (plain plotly data, what a report exports) and a ``*_figure`` twin
(a validated plotly Figure for the dashboard and notebooks). With no data, or one session, a
chart says "not enough data yet" instead of raising.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from backlib.charts.style import (
    GREY,
    OKABE_ITO,
    FigureSpec,
    axis,
    figure_twin,
    not_enough_data,
    pain_axis,
    spec,
)
from backlib.constants import PAIN_MAX, PAIN_MIN
from backlib.display import pain_text, rounded_text
from backlib.labels import WEEKDAYS
from backlib.progress.assessment import Assessment, assess, meaningful_drop_points
from backlib.progress.weekly import prepared_sessions


def _score_text(values: pd.Series) -> list[str]:
    return ["–" if pd.isna(v) else f"{v:g}" for v in values]


# --------------------------------------------------------------------------- pain over time


def pain_trend_spec(
    sessions: pd.DataFrame,
    assessment: Assessment | None = None,
    *,
    end: dt.date | None = None,
) -> FigureSpec:
    """Pain before each session, its weekly mean, the baseline and the band of meaningful change.

    Inside the shaded band around the baseline, a change is smaller than the minimal important
    change (2 points or 30 %, whichever is smaller from this baseline; Ostelo 2008); below
    the band is a meaningful improvement. The weekly mean of next-morning pain is drawn dotted
    (the 24-hour rule of Silbernagel 2007).

    Parameters
    ----------
    sessions
        One patient's ``Store.sessions(...)`` frame.
    assessment
        ``assess(sessions)`` if already computed (saves the work); computed when None.
    end
        As in :func:`backlib.progress.assess`.
    """
    title = "Pain before exercise over time"
    frame = prepared_sessions(sessions, end)
    scored = frame.dropna(subset=["pain_before"])
    if len(scored) < 2:
        return not_enough_data(title, "at least 2 sessions with pain before exercise")
    assessment = assessment if assessment is not None else assess(sessions, end=end)
    weekly = assessment.weekly
    figure = spec(title)
    layout = figure["layout"]
    baseline = assessment.baseline
    if baseline is not None:
        needed = meaningful_drop_points(baseline)
        layout["shapes"] = [
            {
                "type": "rect",
                "xref": "x domain",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": max(PAIN_MIN, baseline - needed),
                "y1": min(PAIN_MAX, baseline + needed),
                "fillcolor": OKABE_ITO["sky_blue"],
                "opacity": 0.15,
                "line": {"width": 0},
                "layer": "below",
            },
            {
                "type": "line",
                "xref": "x domain",
                "x0": 0,
                "x1": 1,
                "yref": "y",
                "y0": baseline,
                "y1": baseline,
                "line": {"color": OKABE_ITO["black"], "dash": "dash", "width": 1},
            },
        ]
        layout["annotations"] = [
            {
                "text": (
                    f"baseline {pain_text(baseline)} "
                    f"(band: change < {rounded_text(needed, 1)} points)"
                ),
                "xref": "x domain",
                "x": 0,
                "xanchor": "left",
                "yref": "y",
                "y": baseline,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11},
            }
        ]
    figure["data"].append(
        {
            "type": "scatter",
            "x": scored["started_at"],
            "y": scored["pain_before"],
            "mode": "markers",
            "name": "pain before, each session",
            "marker": {"color": OKABE_ITO["blue"], "size": 6, "opacity": 0.55, "symbol": "circle"},
            "customdata": np.column_stack(
                [_score_text(scored["pain_after"]), _score_text(scored["pain_next_morning"])]
            ),
            "hovertemplate": (
                "%{x|%a %d %b %Y}<br>before %{y}/10, after %{customdata[0]}/10, "
                "next morning %{customdata[1]}/10<extra></extra>"
            ),
            "cliponaxis": False,
        }
    )
    middle = weekly["week_start"] + pd.Timedelta(days=3)  # Thursday: the ISO week's own day
    for column, name, style in (
        ("pain_before_mean", "weekly mean, before", {"color": OKABE_ITO["blue"], "width": 3}),
        (
            "pain_next_morning_mean",
            "weekly mean, next morning",
            {"color": OKABE_ITO["orange"], "width": 2, "dash": "dot"},
        ),
    ):
        if weekly[column].notna().any():
            figure["data"].append(
                {
                    "type": "scatter",
                    "x": middle,
                    "y": weekly[column].round(2),
                    "mode": "lines+markers",
                    "name": name,
                    "line": style,
                    "marker": {"size": 5, "symbol": "square" if "before" in column else "diamond"},
                    "customdata": weekly["week"],
                    "hovertemplate": f"%{{customdata}}: {name} %{{y:.1f}}/10<extra></extra>",
                    "connectgaps": False,
                }
            )
    layout["yaxis"] = pain_axis()
    layout["xaxis"] = axis("date")
    return figure


def pain_before_after_spec(sessions: pd.DataFrame, *, end: dt.date | None = None) -> FigureSpec:
    """Pain before and after each session, joined by a line: the immediate effect of exercise."""
    title = "Pain before and after each session"
    frame = prepared_sessions(sessions, end).dropna(subset=["pain_before", "pain_after"])
    if len(frame) < 2:
        return not_enough_data(title, "at least 2 sessions with pain before and after")
    change = frame["pain_after"] - frame["pain_before"]
    title += f" (mean change {change.mean():+.1f} points)"
    figure = spec(title)
    up = change.clip(lower=0)
    down = (-change).clip(lower=0)
    # The joining line is an error bar from "before" to "after": no second copy of the dates.
    figure["data"] += [
        {
            "type": "scatter",
            "x": frame["started_at"],
            "y": frame["pain_before"],
            "mode": "markers",
            "name": "pain before",
            "marker": {"color": OKABE_ITO["blue"], "symbol": "circle", "size": 7},
            "error_y": {
                "type": "data",
                "symmetric": False,
                "array": up,
                "arrayminus": down,
                "color": GREY,
                "thickness": 1,
                "width": 0,
            },
            "hovertemplate": "%{x|%a %d %b %Y}<br>before: %{y}/10<extra></extra>",
            "cliponaxis": False,
        },
        {
            "type": "scatter",
            "x": frame["started_at"],
            "y": frame["pain_after"],
            "mode": "markers",
            "name": "pain after",
            "marker": {"color": OKABE_ITO["orange"], "symbol": "diamond", "size": 7},
            "customdata": change,
            "hovertemplate": (
                "%{x|%a %d %b %Y}<br>after: %{y}/10 (after − before: %{customdata:+g})"
                "<extra></extra>"
            ),
            "cliponaxis": False,
        },
    ]
    figure["layout"]["yaxis"] = pain_axis()
    figure["layout"]["xaxis"] = axis("session date")
    return figure


pain_trend_figure = figure_twin(pain_trend_spec)
pain_before_after_figure = figure_twin(pain_before_after_spec)


# --------------------------------------------------------------------------- adherence


def adherence_calendar_spec(sessions: pd.DataFrame, *, end: dt.date | None = None) -> FigureSpec:
    """A calendar heatmap of days: one column per ISO week, one row per weekday."""
    title = "Sessions per day"
    frame = prepared_sessions(sessions, end)
    if len(frame) < 2:
        return not_enough_data(title, "at least 2 logged sessions")
    first = frame["day"].iloc[0]
    last = pd.Timestamp(end).normalize() if end is not None else frame["day"].iloc[-1]
    start = first - pd.Timedelta(days=first.weekday())
    stop = last + pd.Timedelta(days=6 - last.weekday())
    days = pd.date_range(start, stop, freq="D")
    counts = frame.groupby("day").size().reindex(days, fill_value=0).astype(float)
    minutes = frame.groupby("day")["minutes"].sum().reindex(days, fill_value=0.0)
    outside = (days < first) | (days > last)
    counts[outside] = np.nan  # before the start or after the end: blank, not "missed"
    weeks = len(days) // 7
    shape = (weeks, 7)
    count_grid = counts.to_numpy().reshape(shape).T
    minute_grid = minutes.to_numpy().reshape(shape).T.round(0)
    label_grid = np.array([d.strftime("%a %d %b %Y") for d in days], dtype=object)
    label_grid = label_grid.reshape(shape).T
    week_starts = days[::7]
    target = (
        int(frame["target_per_week"].dropna().iloc[-1])
        if frame["target_per_week"].notna().any()
        else None
    )
    span = ((last - first).days + 1) / 7
    subtitle = f"{len(frame)} sessions in {span:.0f} weeks"
    if target:
        subtitle += f", target {target} a week"
    figure = spec(f"{title}: {subtitle}", height=300)
    figure["data"].append(
        {
            "type": "heatmap",
            "x": week_starts,
            "y": list(WEEKDAYS),
            "z": np.minimum(count_grid, 2),
            "zmin": 0,
            "zmax": 2,
            "colorscale": [
                [0.0, "#eeeeee"],
                [0.25, "#eeeeee"],
                [0.25, OKABE_ITO["sky_blue"]],
                [0.75, OKABE_ITO["sky_blue"]],
                [0.75, OKABE_ITO["blue"]],
                [1.0, OKABE_ITO["blue"]],
            ],
            "colorbar": {
                "title": {"text": "sessions"},
                "tickvals": [0, 1, 2],
                "ticktext": ["none", "1", "2+"],
                "thickness": 12,
                "len": 0.8,
            },
            "xgap": 2,
            "ygap": 2,
            "text": label_grid,
            "customdata": np.dstack([np.nan_to_num(count_grid), minute_grid]),
            "hovertemplate": (
                "%{text}<br>%{customdata[0]:.0f} session(s), %{customdata[1]:.0f} min"
                "<extra></extra>"
            ),
            "hoverongaps": False,
        }
    )
    figure["layout"]["yaxis"] = axis("weekday", autorange="reversed", showgrid=False)
    figure["layout"]["xaxis"] = axis("week starting (Monday)", showgrid=False)
    return figure


adherence_calendar_figure = figure_twin(adherence_calendar_spec)
