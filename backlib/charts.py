"""Plotly charts of a patient's progress, built from the store's frames and backlib.progress.

Each chart has two forms with one docstring: ``*_spec`` builds the figure as plain plotly data
(:mod:`backlib.chart_style` says why: it is what a report exports, without plotly's validation
cost) and ``*_figure`` returns it as a :class:`plotly.graph_objects.Figure` for the dashboard and
the notebooks. Neither shows anything. Every pair of series differs by marker shape or line dash
as well as colour. With no data, or a single session, a chart says "not enough data yet" instead
of raising. Charts carry only the points they draw (no per-point extras beyond the hover text).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec

import numpy as np
import pandas as pd

from backlib.catalog import Catalog, load_catalog
from backlib.chart_style import (
    GREY,
    NOT_ENOUGH,
    OKABE_ITO,
    PAIN_TITLE,
    FigureSpec,
    axis,
    not_enough_data,
    pain_axis,
    spec,
    stack_rows,
    to_figure,
)
from backlib.constants import CATEGORIES, OUTCOME_MEASURES, PAIN_MAX, PAIN_MIN
from backlib.progress import (
    Assessment,
    _iso_label,
    _prepared_sessions,
    _week_start,
    assess,
    meaningful_drop_points,
)
from backlib.progress_input import _require
from backlib.progress_minutes import entry_seconds, numeric_column

if TYPE_CHECKING:
    import plotly.graph_objects as go

__all__ = [
    "CATEGORY_COLOURS",
    "DECISION_STYLE",
    "GREY",
    "NOT_ENOUGH",
    "OKABE_ITO",
    "PAIN_TITLE",
    "FigureSpec",
    "adherence_calendar_figure",
    "adherence_calendar_spec",
    "dose_figure",
    "dose_spec",
    "entry_seconds",
    "minutes_by_category_figure",
    "minutes_by_category_spec",
    "not_enough_data_figure",
    "outcomes_figure",
    "outcomes_spec",
    "pain_before_after_figure",
    "pain_before_after_spec",
    "pain_trend_figure",
    "pain_trend_spec",
]

CATEGORY_COLOURS: dict[str, str] = {
    "warmup": OKABE_ITO["orange"],
    "mobility": OKABE_ITO["sky_blue"],
    "stretch": OKABE_ITO["bluish_green"],
    "strength": OKABE_ITO["blue"],
    "cardio": OKABE_ITO["vermillion"],
    "relaxation": OKABE_ITO["reddish_purple"],
    "other": GREY,
}
DECISION_STYLE: dict[str, tuple[str, str]] = {  # colour, marker symbol
    "progress": (OKABE_ITO["bluish_green"], "triangle-up"),
    "hold": (OKABE_ITO["black"], "circle-open"),
    "regress": (OKABE_ITO["vermillion"], "triangle-down"),
}
DOSE_LABELS = {"sets": "sets", "reps": "reps", "hold_s": "hold (s)", "duration_s": "duration (s)"}
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

_Args = ParamSpec("_Args")


def _as_figure(build: Callable[_Args, FigureSpec]) -> Callable[_Args, go.Figure]:
    """The ``*_figure`` twin of a ``*_spec`` builder: same arguments, a plotly Figure back."""

    @functools.wraps(build)
    def figure(*args: _Args.args, **kwargs: _Args.kwargs) -> go.Figure:
        return to_figure(build(*args, **kwargs))

    figure.__name__ = figure.__qualname__ = build.__name__.replace("_spec", "_figure")
    figure.__annotations__ = {**build.__annotations__, "return": "go.Figure"}  # not the spec's
    return figure


def not_enough_data_figure(title: str, detail: str = "") -> go.Figure:
    """A figure that says "not enough data yet" (and what is missing) instead of a chart."""
    return to_figure(not_enough_data(title, detail))


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
    change (2 points or 30 %, whichever is smaller from this baseline; Ostelo 2008, REFERENCE.md
    §2a); below the band is a meaningful improvement. The weekly mean of next-morning pain is
    drawn dotted (the 24-hour rule of §1b).

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
    frame = _prepared_sessions(sessions, end)
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
                "text": f"baseline {baseline:.1f} (band: change < {needed:.1f} points)",
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
    frame = _prepared_sessions(sessions, end).dropna(subset=["pain_before", "pain_after"])
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


pain_trend_figure = _as_figure(pain_trend_spec)
pain_before_after_figure = _as_figure(pain_before_after_spec)


# --------------------------------------------------------------------------- adherence


def adherence_calendar_spec(sessions: pd.DataFrame, *, end: dt.date | None = None) -> FigureSpec:
    """A calendar heatmap of days: one column per ISO week, one row per weekday."""
    title = "Sessions per day"
    frame = _prepared_sessions(sessions, end)
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


adherence_calendar_figure = _as_figure(adherence_calendar_spec)


# --------------------------------------------------------------------------- minutes by category


def minutes_by_category_spec(
    sessions: pd.DataFrame,
    entries: pd.DataFrame,
    catalog: Catalog | None = None,
    *,
    end: dt.date | None = None,
) -> FigureSpec:
    """Minutes per ISO week, stacked by exercise category (from the catalog)."""
    title = "Minutes per week by exercise category"
    _require(entries, ("session_id", "exercise_id", "started_at"), "entries")
    frame = entries
    days = pd.to_datetime(frame["started_at"]).dt.normalize()
    if end is not None:
        keep = days <= pd.Timestamp(end).normalize()
        frame, days = frame[keep], days[keep]
    if frame.empty or frame["session_id"].nunique() < 2:
        return not_enough_data(title, "at least 2 sessions with exercises logged")
    catalog = catalog if catalog is not None else load_catalog()
    category = {ex.id: ex.category for ex in catalog}
    seconds = entry_seconds(sessions, frame, catalog)
    table = pd.DataFrame(
        {
            "week_start": _week_start(days),
            "category": frame["exercise_id"].map(category).fillna("other"),
            "minutes": seconds / 60,
        }
    )
    pivot = table.pivot_table(
        index="week_start", columns="category", values="minutes", aggfunc="sum", fill_value=0.0
    )
    weeks = pd.date_range(pivot.index.min(), pivot.index.max(), freq="7D")
    pivot = pivot.reindex(weeks, fill_value=0.0)
    iso = weeks.isocalendar()
    labels = [_iso_label(y, w) for y, w in zip(iso["year"], iso["week"], strict=True)]
    figure = spec(title)
    for name in (*CATEGORIES, "other"):
        if name not in pivot.columns:
            continue
        figure["data"].append(
            {
                "type": "bar",
                "x": labels,
                "y": pivot[name].round(1),
                "name": name,
                "marker": {"color": CATEGORY_COLOURS[name]},
                "hovertemplate": f"%{{x}} {name}: %{{y:.0f}} min<extra></extra>",
            }
        )
    figure["layout"].update(
        barmode="stack",
        bargap=0.15,
        # Above the plot: rotated week labels need the room below it.
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 1, "xanchor": "right"},
        xaxis=axis("ISO week", type="category", showgrid=False),
        yaxis=axis("minutes per week", rangemode="tozero"),
    )
    return figure


minutes_by_category_figure = _as_figure(minutes_by_category_spec)


# --------------------------------------------------------------------------- outcome measures


def outcomes_spec(outcomes: pd.DataFrame, *, end: dt.date | None = None) -> FigureSpec:
    """Each outcome measure over time, with the line a change must cross to be meaningful.

    The dashed line sits one minimal important change from the first score, on the better side
    (NPRS 2, ODI 10, RMDQ 5 from Ostelo 2008; PSFS 2, higher is better; REFERENCE.md §2).
    """
    title = "Outcome measures"
    _require(outcomes, ("measured_on", "measure", "score"), "outcomes")
    frame = outcomes.dropna(subset=["score"]).copy()
    frame["measured_on"] = pd.to_datetime(frame["measured_on"])
    if end is not None:
        frame = frame[frame["measured_on"].dt.normalize() <= pd.Timestamp(end).normalize()]
    frame = frame[frame["measure"].isin(list(OUTCOME_MEASURES))].sort_values("measured_on")
    if len(frame) < 2:
        return not_enough_data(title, "at least 2 questionnaire scores")
    measures = [m for m in OUTCOME_MEASURES if (frame["measure"] == m).any()]
    titles = [
        OUTCOME_MEASURES[m]["label"]
        + (" (higher is better)" if OUTCOME_MEASURES[m]["higher_is_better"] else "")
        for m in measures
    ]
    figure = spec(title, height=170 + 190 * len(measures))
    layout = figure["layout"]
    suffixes = stack_rows(figure, titles, spacing=0.12)
    colours = [OKABE_ITO[c] for c in ("blue", "vermillion", "bluish_green", "reddish_purple")]
    thresholds: list[dict] = []
    for row, (measure, suffix) in enumerate(zip(measures, suffixes, strict=True)):
        measure_spec = OUTCOME_MEASURES[measure]
        scores = frame[frame["measure"] == measure]
        colour = colours[row % len(colours)]
        figure["data"].append(
            {
                "type": "scatter",
                "xaxis": f"x{suffix}",
                "yaxis": f"y{suffix}",
                "x": scores["measured_on"],
                "y": scores["score"],
                "mode": "lines+markers",
                "name": measure_spec["label"],
                "line": {"color": colour, "width": 2},
                "marker": {
                    "size": 8,
                    "symbol": ("circle", "square", "diamond", "triangle-up")[row % 4],
                },
                "hovertemplate": (
                    f"%{{x|%d %b %Y}}: {measure_spec['label']} %{{y:g}}<extra></extra>"
                ),
                "cliponaxis": False,
            }
        )
        first = float(scores["score"].iloc[0])
        sign = 1 if measure_spec["higher_is_better"] else -1
        line = min(
            measure_spec["max"], max(measure_spec["min"], first + sign * measure_spec["mcid"])
        )
        thresholds.append(
            {
                "type": "line",
                "xref": f"x{suffix} domain",
                "x0": 0,
                "x1": 1,
                "yref": f"y{suffix}",
                "y0": line,
                "y1": line,
                "line": {"color": colour, "dash": "dash", "width": 1},
            }
        )
        layout["annotations"].append(
            {
                "text": f"meaningful change: {'≥' if sign > 0 else '≤'} {line:g}",
                "xref": f"x{suffix} domain",
                "x": 1,
                "xanchor": "right",
                "yref": f"y{suffix}",
                "y": line,
                "yanchor": "bottom" if sign > 0 else "top",
                "showarrow": False,
                "font": {"size": 11},
            }
        )
        if measure == "nprs":
            layout[f"yaxis{suffix}"].update(pain_axis())
        else:
            scale = [measure_spec["min"], measure_spec["max"]]
            layout[f"yaxis{suffix}"].update(range=scale, title={"text": "score"})
    layout[f"xaxis{suffixes[-1]}"]["title"] = {"text": "date"}
    layout.update(showlegend=False, shapes=thresholds)
    return figure


outcomes_figure = _as_figure(outcomes_spec)


# --------------------------------------------------------------------------- dose over time


def dose_spec(
    entries: pd.DataFrame,
    exercise_id: str,
    decisions: pd.DataFrame | None = None,
    catalog: Catalog | None = None,
) -> FigureSpec:
    """One exercise's prescribed dose over time, with each progression step marked.

    A rise in a dose variable from one session to the next is marked as a progression
    (triangle up), a fall as a regression (triangle down). With ``decisions`` (from
    :func:`backlib.progression.next_doses`) the next dose is drawn as a star after the last
    session, with its decision and reason in the hover text.
    """
    _require(entries, ("session_id", "exercise_id", "started_at"), "entries")
    rows = entries[entries["exercise_id"] == exercise_id].copy()
    rows["started_at"] = pd.to_datetime(rows["started_at"])
    rows = rows.sort_values("started_at", kind="stable").drop_duplicates("session_id", keep="last")
    exercise = None
    if catalog is not None and exercise_id in catalog:
        exercise = catalog[exercise_id]
    name = exercise.name if exercise is not None else exercise_id
    title = f"{name}: dose over time"
    if len(rows) < 2:
        return not_enough_data(title, "at least 2 sessions with this exercise")
    values = {}
    for key in DOSE_LABELS:
        series = numeric_column(rows, f"prescribed_{key}").fillna(
            numeric_column(rows, f"done_{key}")
        )
        uses = exercise is not None and getattr(exercise.dose, key) is not None
        if uses or (exercise is None and series.notna().any()):
            values[key] = series
    if not values:
        return not_enough_data(title, "no dose recorded for this exercise")
    next_row = None
    if decisions is not None and not decisions.empty and "exercise_id" in decisions.columns:
        match = decisions[decisions["exercise_id"] == exercise_id]
        next_row = match.iloc[0] if not match.empty else None
    order = [key for key in ("reps", "hold_s", "sets", "duration_s") if key in values]
    figure = spec(title, height=150 + 160 * len(order))
    layout = figure["layout"]
    suffixes = stack_rows(figure, [DOSE_LABELS[k] for k in order], spacing=0.08)
    span = rows["started_at"].iloc[-1] - rows["started_at"].iloc[0]
    next_x = rows["started_at"].iloc[-1] + max(pd.Timedelta(days=1), span / 30)
    # Keep only the sessions where the dose changed (and the last): a step line needs no more.
    doses = pd.DataFrame(values).fillna(-1.0)
    keep = doses.ne(doses.shift()).any(axis=1)
    keep.iloc[-1] = True
    when = rows["started_at"][keep]
    values = {key: series[keep] for key, series in values.items()}
    legend_done: set[str] = set()
    for key, suffix in zip(order, suffixes, strict=True):
        series = values[key]
        on_row = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
        figure["data"].append(
            {
                "type": "scatter",
                **on_row,
                "x": when,
                "y": series,
                "mode": "lines+markers",
                "line": {"color": OKABE_ITO["blue"], "shape": "hv", "width": 2},
                "marker": {"size": 4, "color": OKABE_ITO["blue"]},
                "name": DOSE_LABELS[key],
                "showlegend": False,
                "hovertemplate": f"%{{x|%d %b %Y}}: {DOSE_LABELS[key]} %{{y:g}}<extra></extra>",
            }
        )
        step = series.diff()
        for decision, mask in (("progress", step > 0), ("regress", step < 0)):
            if not mask.any():
                continue
            colour, symbol = DECISION_STYLE[decision]
            before = series.shift(1)[mask]
            figure["data"].append(
                {
                    "type": "scatter",
                    **on_row,
                    "x": when[mask],
                    "y": series[mask],
                    "mode": "markers",
                    "marker": {"color": colour, "symbol": symbol, "size": 11},
                    "name": decision,
                    "legendgroup": decision,
                    "showlegend": decision not in legend_done,
                    "customdata": before,
                    "hovertemplate": (
                        f"%{{x|%d %b %Y}}: {decision} {DOSE_LABELS[key]} "
                        "%{customdata:g} → %{y:g}<extra></extra>"
                    ),
                }
            )
            legend_done.add(decision)
        if next_row is not None and pd.notna(next_row.get(key)):
            decision = str(next_row["decision"])
            colour, _ = DECISION_STYLE.get(decision, (GREY, "star"))
            reason = str(next_row.get("reason", ""))
            figure["data"].append(
                {
                    "type": "scatter",
                    **on_row,
                    "x": [next_x],
                    "y": [float(next_row[key])],
                    "mode": "markers",
                    "marker": {"color": colour, "symbol": "star", "size": 14},
                    "name": f"next: {decision}",
                    "legendgroup": "next",
                    "showlegend": "next" not in legend_done,
                    "hovertext": [f"next: {decision}<br>{_wrap(reason)}"],
                    "hovertemplate": "%{hovertext}<extra></extra>",
                }
            )
            legend_done.add("next")
        layout[f"yaxis{suffix}"].update(rangemode="tozero", title={"text": DOSE_LABELS[key]})
    layout[f"xaxis{suffixes[-1]}"]["title"] = {"text": "session date"}
    return figure


dose_figure = _as_figure(dose_spec)


def _wrap(text: str, width: int = 60) -> str:
    """Hover text broken into lines (plotly does not wrap hover labels)."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)
