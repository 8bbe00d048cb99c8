"""The outcomes chart: each measure on its own scale with its threshold of meaningful change."""

from __future__ import annotations

from chart_support import outcomes_frame

from backlib import charts


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
