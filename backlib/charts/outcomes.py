"""The outcome-measures chart: each questionnaire total over time against its meaningful change.

A ``*_spec`` (plain plotly data, what a report exports) and a ``*_figure`` twin (a validated
plotly Figure for the dashboard and notebooks).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from backlib.charts.style import (
    OKABE_ITO,
    FigureSpec,
    figure_twin,
    not_enough_data,
    pain_axis,
    spec,
    stack_rows,
)
from backlib.constants import OUTCOME_MEASURES
from backlib.progress.frames import require_columns

# --------------------------------------------------------------------------- outcome measures


def outcomes_spec(outcomes: pd.DataFrame, *, end: dt.date | None = None) -> FigureSpec:
    """Each outcome measure over time, with the line a change must cross to be meaningful.

    The dashed line sits one minimal important change from the first score, on the better side
    (NPRS 2, ODI 10, RMDQ 5 from Ostelo 2008; PSFS 2 from Stratford 1995, higher is better).
    """
    title = "Outcome measures"
    require_columns(outcomes, ("measured_on", "measure", "score"), "outcomes")
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


outcomes_figure = figure_twin(outcomes_spec)
