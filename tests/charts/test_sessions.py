"""Session charts: the pain trend with its band of meaningful change, pain before and after,
and the adherence calendar."""

from __future__ import annotations

import pandas as pd
import pytest
from chart_support import DAY0, sessions_on
from progress_frames import sessions_frame

from backlib import charts


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


def test_the_baseline_label_rounds_half_up_as_the_report_cards_do():
    # First 2 weeks 5, 5, 5, 6: baseline 5.25, shown as 5.3 on the card above the chart.
    pains = [(0, 5), (2, 5), (4, 5), (6, 6), (21, 4), (27, 4)]
    sessions = sessions_frame(
        [{"started_at": DAY0 + pd.Timedelta(days=d), "pain_before": p} for d, p in pains]
    )
    figure = charts.pain_trend_figure(sessions)
    label = " ".join(annotation.text for annotation in figure.layout.annotations)
    assert "baseline 5.3 (band: change < 1.6 points)" in label
