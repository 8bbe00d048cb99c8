"""Charts of the entries frame: minutes by exercise category per week, each exercise's dose.

Each chart has a ``*_spec`` (plain plotly data, what a report exports) and a ``*_figure`` twin
(a validated plotly Figure for the dashboard and notebooks).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from backlib.catalog import Catalog, load_catalog
from backlib.charts.style import (
    CATEGORY_COLOURS,
    DECISION_STYLE,
    GREY,
    OKABE_ITO,
    FigureSpec,
    axis,
    figure_twin,
    not_enough_data,
    spec,
    stack_rows,
)
from backlib.constants import CATEGORIES
from backlib.labels import DOSE_LABELS
from backlib.progress.frames import require_columns
from backlib.progress.minutes import entry_seconds, numeric_column
from backlib.progress.weekly import iso_week_label, week_start

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
    require_columns(entries, ("session_id", "exercise_id", "started_at"), "entries")
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
            "week_start": week_start(days),
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
    labels = [iso_week_label(y, w) for y, w in zip(iso["year"], iso["week"], strict=True)]
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
        xaxis=axis("week (Monday to Sunday)", type="category", showgrid=False),
        yaxis=axis("minutes per week", rangemode="tozero"),
    )
    return figure


minutes_by_category_figure = figure_twin(minutes_by_category_spec)


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
    require_columns(entries, ("session_id", "exercise_id", "started_at"), "entries")
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


dose_figure = figure_twin(dose_spec)


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
