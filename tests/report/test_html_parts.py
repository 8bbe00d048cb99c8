"""The report's HTML pieces: headline cards, escaped user text, rounded numbers, charts, handout."""

from __future__ import annotations

import datetime as dt

from report_support import ESCAPED_NOTE, NOTE, card_value

from backlib.report import html_parts, offline, pipeline


def _headline(**changes) -> html_parts.Headline:
    values = dict(
        patient_id="demo-1",
        name="Ana <b>",
        start=dt.date(2026, 1, 5),
        end=None,
        sessions=30,
        target_per_week=3,
        adherence_pct=83.3,
        minutes=600.0,
        pain_baseline=6.0,
        pain_current=3.5,
        pain_change=-2.5,
        pain_change_pct=-41.7,
        improved=True,
        flags=("Pain <rose>",),
    )
    values.update(changes)
    return html_parts.Headline(**values)


def test_summary_cards_show_each_headline_figure():
    html = html_parts.summary_cards(_headline())
    assert card_value(html, "sessions") == "30"
    assert card_value(html, "adherence") == "83 %"
    assert card_value(html, "pain_baseline") == "6.0"
    assert card_value(html, "pain_current") == "3.5"
    assert card_value(html, "pain_change") == "-2.5"
    assert "clinically meaningful improvement" in html


def test_a_rise_in_pain_is_called_a_rise_not_an_improvement():
    html = html_parts.summary_cards(_headline(pain_change=1.0, improved=False))
    assert "pain is higher than at the start" in html
    assert "meaningful improvement" not in html


def test_user_text_is_escaped_in_every_piece():
    head = _headline()
    assert "Ana &lt;b&gt;" in html_parts.report_header(head)
    assert "Pain &lt;rose&gt;" in html_parts.flags_html(head.flags)
    notes = html_parts.notes_html([(dt.datetime(2026, 1, 5), NOTE)], clinician_note=NOTE)
    assert notes.count(ESCAPED_NOTE) == 2 and NOTE not in notes
    decisions = html_parts.decisions_html(
        [{"name": "Bridge", "decision": "hold", "reason": NOTE, "variable": None}]
    )
    assert ESCAPED_NOTE in decisions and "keep the same" in decisions
    entries = [
        html_parts.IndexEntry("demo-1", "demo-1.html", None, head),
        html_parts.IndexEntry("demo-2", error=NOTE),
    ]
    index = html_parts.index_html(entries, "Reports <all>", dt.datetime(2026, 3, 1, 9, 0))
    assert NOTE not in index and ESCAPED_NOTE in index and "Reports &lt;all&gt;" in index
    assert "1 failed" in index


def test_numbers_are_rounded_for_reading_and_missing_ones_shown_as_a_dash():
    assert html_parts.number(2.0) == "2"
    assert html_parts.number(-0.04) == "0"
    assert html_parts.number(1.25, signed=True) == "+1.3"  # half up, as every figure read
    assert html_parts.number(26.5, 0) == "27"
    assert html_parts.number(None) == "—"
    assert html_parts.number(float("nan")) == "—"


def test_period_in_words():
    assert html_parts.period_text(None, None) == "all sessions"
    assert html_parts.period_text(dt.date(2026, 1, 1), None) == "from 1 Jan 2026"
    assert html_parts.period_text(None, dt.date(2026, 2, 1)) == "up to 1 Feb 2026"


def test_charts_embed_plotly_js_once_and_no_mathjax():
    import plotly.graph_objects as go

    figures = [go.Figure(go.Scatter(x=[1, 2], y=[3, 1])), go.Figure(go.Bar(x=[1], y=[2]))]
    html = html_parts.charts_html(figures)
    assert html.count("* plotly.js v") == 1
    assert html.count('class="plotly-graph-div"') == 2
    assert pipeline.external_references(html) == []


def test_next_routine_handout_sits_in_the_reports_flow_escaped_and_offline():
    from backlib.plan.planner import plan_routine

    routine = plan_routine(["lower_back"], 20, pain=3)
    html = html_parts.handout_html(routine, "Planned for <today>")
    assert "<iframe" not in html and "<body" not in html
    assert html.count('<section class="bl-inlined bl-handout"') == 1
    assert "Planned for &lt;today&gt;" in html
    assert pipeline.external_references(html) == []
    assert routine.items[0].name.split()[0] in html


def test_no_routine_logged_yet_says_so_instead_of_a_handout():
    html = html_parts.handout_html(None, "No routine has been logged yet.")
    assert "<iframe" not in html and "No routine has been logged yet." in html


def test_index_page_opens_with_the_content_security_policy():
    page = html_parts.index_html([], "Progress reports", dt.datetime(2026, 3, 1, 9, 0))
    head = page[: page.index("</head>")]
    assert f'content="{offline.CONTENT_SECURITY_POLICY}"' in head
    assert head.index("Content-Security-Policy") < head.index("<style")


def test_content_security_policy_allows_loads_only_from_the_page_itself():
    directives = dict(
        part.strip().split(" ", 1) for part in offline.CONTENT_SECURITY_POLICY.split(";")
    )
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    for sources in directives.values():
        for source in sources.split():
            assert source in {"'none'", "'unsafe-inline'", "data:", "blob:", "about:"}, source
