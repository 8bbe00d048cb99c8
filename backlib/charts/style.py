"""The house style of backlib's charts, as plain plotly figure dictionaries ("specs").

A chart is built as a dict of ``data`` (trace dicts) and ``layout``, which plotly.js draws as it
is. Building plotly's validated ``graph_objects`` instead costs about half a second per report
(the validators of every property used are imported and run), and a report only needs the JSON;
:func:`to_figure` makes a :class:`plotly.graph_objects.Figure` from a spec for the dashboard and
the notebooks, where the figure is inspected or shown interactively.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies); pain axes are
fixed at 0-10.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ParamSpec

from backlib.constants import PAIN_MAX, PAIN_MIN

if TYPE_CHECKING:
    import plotly.graph_objects as go

FigureSpec = dict[str, Any]
"""A plotly figure as plain data: ``{"data": [trace, ...], "layout": {...}}``."""

# Okabe & Ito (2008), "Color Universal Design": distinguishable with common colour blindness.
OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
GREY = "#999999"
NOT_ENOUGH = "not enough data yet"
PAIN_TITLE = "pain (0-10 NRS)"

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

_AXIS: dict[str, Any] = {
    "showgrid": True,
    "gridcolor": "#e5e5e5",
    "zeroline": False,
    "showline": True,
    "linecolor": "#444444",
    "ticks": "outside",
    # Room for long or slanted tick labels ("week of 16 Nov 2026") instead of cutting them at
    # the figure's edge.
    "automargin": True,
}


def axis(title: str | None = None, **settings: Any) -> dict[str, Any]:
    """A new axis dict in the house style (a fresh copy: figures never share nested dicts)."""
    result: dict[str, Any] = {**_AXIS, **settings}
    if title is not None:
        result["title"] = {"text": title}
    return result


def pain_axis(**settings: Any) -> dict[str, Any]:
    """The 0-10 pain axis every pain chart uses, so charts compare at a glance."""
    return axis(PAIN_TITLE, range=[PAIN_MIN, PAIN_MAX], dtick=2, **settings)


def layout(title: str, *, height: int = 420) -> dict[str, Any]:
    """The house layout on an empty template (plotly's "none"): small JSON, plain defaults."""
    return {
        "template": {},
        "title": {"text": title, "x": 0.01, "xanchor": "left"},
        "font": {"family": "Helvetica, Arial, sans-serif", "size": 13, "color": "#222222"},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "height": height,
        "margin": {"l": 64, "r": 24, "t": 64, "b": 110},
        "hovermode": "closest",
        # At the figure's foot, below the x axis's title whatever the figure's height (a
        # legend placed by the plot's height sat on that title in short figures).
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        "xaxis": axis(),
        "yaxis": axis(),
    }


def spec(title: str, *, height: int = 420) -> FigureSpec:
    """An empty figure in the house style, for a builder to add traces and settings to."""
    return {"data": [], "layout": layout(title, height=height)}


def not_enough_data(title: str, detail: str = "") -> FigureSpec:
    """A figure that says "not enough data yet" (and what is missing) instead of a chart."""
    figure = spec(title, height=260)
    text = NOT_ENOUGH + (f"<br><span style='font-size:12px'>{detail}</span>" if detail else "")
    figure["layout"]["annotations"] = [
        {
            "text": text,
            "x": 0.5,
            "y": 0.5,
            "xref": "paper",
            "yref": "paper",
            "showarrow": False,
            "font": {"size": 16, "color": "#555555"},
        }
    ]
    figure["layout"]["xaxis"]["visible"] = False
    figure["layout"]["yaxis"]["visible"] = False
    return figure


def stack_rows(figure: FigureSpec, titles: list[str], *, spacing: float) -> list[str]:
    """Lay out one plot per title, stacked, sharing the bottom plot's time axis.

    Sets the axes and the titles (as plotly's ``make_subplots`` would) and returns each row's
    axis suffix ("" for the first row, then "2", "3", ...): a trace of row i takes
    ``xaxis="x" + suffix`` and ``yaxis="y" + suffix``.
    """
    rows = len(titles)
    spacing = spacing if rows > 1 else 0.0
    height = (1.0 - spacing * (rows - 1)) / rows
    suffixes = ["" if row == 0 else str(row + 1) for row in range(rows)]
    bottom = f"x{suffixes[-1]}"
    annotations = figure["layout"].setdefault("annotations", [])
    for row, (suffix, title) in enumerate(zip(suffixes, titles, strict=True)):
        # Rounded and clamped: float error must not push a domain outside plotly's [0, 1].
        top = min(1.0, round(1.0 - row * (height + spacing), 6))
        bottom_edge = max(0.0, round(top - height, 6))
        x_axis = axis(anchor=f"y{suffix}", domain=[0.0, 1.0])
        if row < rows - 1:
            x_axis.update(matches=bottom, showticklabels=False)
        figure["layout"][f"xaxis{suffix}"] = x_axis
        figure["layout"][f"yaxis{suffix}"] = axis(anchor=f"x{suffix}", domain=[bottom_edge, top])
        annotations.append(
            {
                "text": title,
                "font": {"size": 16},
                "showarrow": False,
                "x": 0.5,
                "xanchor": "center",
                "xref": "paper",
                "y": top,
                "yanchor": "bottom",
                "yref": "paper",
            }
        )
    return suffixes


def to_figure(figure: FigureSpec) -> go.Figure:
    """A validated plotly Figure of a spec: for the dashboard, notebooks and inspection."""
    # graph_objects here, not at the top: a report exports plain specs and never pays for
    # plotly's validators (about half a second; import time).
    import plotly.graph_objects as go

    return go.Figure(figure)


_Args = ParamSpec("_Args")


def figure_twin(build: Callable[_Args, FigureSpec]) -> Callable[_Args, go.Figure]:
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
