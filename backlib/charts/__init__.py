"""Plotly charts of a patient's progress, built from the store's frames and backlib.progress.

Each chart has two forms with one docstring: ``*_spec`` builds the figure as plain plotly data
(:mod:`backlib.charts.style` says why: it is what a report exports, without plotly's validation
cost) and ``*_figure`` returns it as a :class:`plotly.graph_objects.Figure` for the dashboard and
the notebooks. Neither shows anything. Every pair of series differs by marker shape or line dash
as well as colour. With no data, or a single session, a chart says "not enough data yet" instead
of raising. Charts carry only the points they draw (no per-point extras beyond the hover text).
"""

from __future__ import annotations

from backlib.charts.entries import (
    dose_figure,
    dose_spec,
    minutes_by_category_figure,
    minutes_by_category_spec,
)
from backlib.charts.outcomes import outcomes_figure, outcomes_spec
from backlib.charts.sessions import (
    adherence_calendar_figure,
    adherence_calendar_spec,
    pain_before_after_figure,
    pain_before_after_spec,
    pain_trend_figure,
    pain_trend_spec,
)
from backlib.charts.style import (
    CATEGORY_COLOURS,
    DECISION_STYLE,
    GREY,
    NOT_ENOUGH,
    OKABE_ITO,
    PAIN_TITLE,
    FigureSpec,
    not_enough_data_figure,
)

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
