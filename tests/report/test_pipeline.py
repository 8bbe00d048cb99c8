"""The report pipeline: notebooks run in private kernels, pages checked offline, PDFs printed."""

from __future__ import annotations

from pathlib import Path

import pytest
from report_support import ESCAPED_NOTE, URL_NOTE, stand_in_notebook, visit_in_chromium

from backlib.errors import ReportError
from backlib.report import html_parts, offline, pipeline

HAS_CHROMIUM = pipeline.CHROMIUM_PATH.is_file()


@pytest.mark.parametrize(
    "fragment",
    [
        '<script src="https://cdn.example/x.js"></script>',
        "<script src='//cdn.example/x.js'></script>",
        '<link rel="stylesheet" href="https://fonts.example/f.css">',
        "<style>@import url(https://fonts.example/f.css);</style>",
        '<img src="http://tracker.example/p.gif">',
        '<img src="&#104;ttps://tracker.example/p.gif">',
        '<img srcset="a.png 1x, https://tracker.example/p.gif 2x">',
        "<div style=\"background: url('https://tracker.example/p.gif')\">x</div>",
        '<object data="ftp://files.example/x.swf"></object>',
        '<svg><image href="https://tracker.example/p.svg"/></svg>',
        '<video poster="https://tracker.example/p.jpg"></video>',
        '<iframe src="file:///etc/passwd"></iframe>',
        '<meta http-equiv="refresh" content="0; url=https://tracker.example/">',
        "<style>@import 'https://fonts.example/f.css';</style>",
    ],
)
def test_offline_check_refuses_pages_that_load_from_the_network(fragment):
    with pytest.raises(ReportError, match="network"):
        pipeline.check_offline(f"<html>{fragment}</html>", "page")


@pytest.mark.parametrize(
    "fragment",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"></svg><a href="https://nice.org.uk">NICE</a>',
        f"<p>{URL_NOTE}</p>",
        f"<p>{html_parts.escape('<img src=https://x.example/p.gif> url(https://x.example)')}</p>",
        f"<p>{ESCAPED_NOTE}</p>",
        '<script>const css = "url(https://x.example/a.png)";</script>',
        '<div style="clip-path: url(#clip1)"><img src="data:image/png;base64,AAAA"></div>',
        '<img src="chart.png" srcset="data:image/png;base64,AA, b.png 2x">',
    ],
)
def test_offline_check_reads_only_real_loads_never_text(fragment):
    pipeline.check_offline(f"<html><body>{fragment}</body></html>", "page")


# A page that reaches out every way it can: tags, CSS, and scripts.
_REACHING_OUT = (
    '<img src="https://example.com/p.gif"><link rel="stylesheet" href="https://example.com/s.css">'
    '<div style="background: url(https://example.com/b.png)">x</div>'
    '<iframe src="https://example.com/frame"></iframe><iframe src="file:///etc/hostname"></iframe>'
    '<script>fetch("https://example.com/leak").catch(() => {});'
    'new WebSocket("wss://example.com/ws"); navigator.sendBeacon("https://example.com/b", "x");'
    'const i = new Image(); i.src = "https://example.com/i.gif";</script>'
)


def _page_with_policy(folder: Path, body: str) -> Path:
    path = folder / "page.html"
    page = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{body}</body></html>'
    path.write_text(offline.with_content_policy(page), encoding="utf-8")
    return path


def test_a_page_without_a_head_gets_no_policy_but_an_error():
    with pytest.raises(ValueError, match="Content-Security-Policy"):
        offline.with_content_policy("<p>no head</p>")


@pytest.mark.skipif(not HAS_CHROMIUM, reason="Chromium is not installed")
def test_under_the_policy_a_page_that_reaches_out_makes_no_request_leaving_it(tmp_path):
    with visit_in_chromium(_page_with_policy(tmp_path, _REACHING_OUT)) as visit:
        visit.page.wait_for_timeout(500)
    assert visit.outside_requests == []
    assert len(visit.refused) >= 6  # each load was refused by the policy, not by the routing


@pytest.mark.skipif(not HAS_CHROMIUM, reason="Chromium is not installed")
def test_pdf_step_returns_every_load_a_page_attempts(tmp_path):
    attempts = pipeline.print_pdf(_page_with_policy(tmp_path, _REACHING_OUT), tmp_path / "p.pdf")
    assert "https://example.com/p.gif" in attempts
    assert "https://example.com/leak" in attempts
    assert any(url.startswith("wss://example.com/ws") for url in attempts)


@pytest.mark.skipif(not HAS_CHROMIUM, reason="Chromium is not installed")
def test_pdf_step_returns_a_navigation_to_a_file_outside_the_report(tmp_path):
    page = _page_with_policy(tmp_path, '<script>location.href = "file:///etc/hostname";</script>')
    assert pipeline.print_pdf(page, tmp_path / "p.pdf") == ["file:///etc/hostname"]


@pytest.mark.skipif(not HAS_CHROMIUM, reason="Chromium is not installed")
def test_pdf_step_finds_nothing_in_a_self_contained_page(tmp_path):
    page = _page_with_policy(tmp_path, '<p style="color: red">hello</p><img src="data:,">')
    assert pipeline.print_pdf(page, tmp_path / "p.pdf") == []
    assert (tmp_path / "p.pdf").read_bytes()[:5] == b"%PDF-"


def test_pdf_without_chromium_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "CHROMIUM_PATH", tmp_path / "no-chromium")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ReportError, match=r"Chromium.*apt-get install chromium"):
        pipeline.print_pdf(tmp_path / "r.html", tmp_path / "r.pdf")


def test_a_failing_cell_is_named_in_the_error(tmp_path):
    with pytest.raises(ReportError, match=r"demo-2: notebook stand_in.ipynb failed in cell .*"):
        pipeline.execute_notebook(
            stand_in_notebook(tmp_path, "demo-2"), {"patient": "demo-2"}, label="demo-2"
        )


def test_in_the_report_pipeline_charts_leave_plotly_js_to_the_export(monkeypatch):
    import plotly.graph_objects as go

    monkeypatch.setenv(html_parts.PLOTLYJS_ENV, "1")
    figures = [go.Figure(go.Scatter(x=[1, 2], y=[3, 1])), go.Figure(go.Bar(x=[1], y=[2]))]
    block = html_parts.charts_html(figures)
    assert "* plotly.js v" not in block
    assert block.count(html_parts.PLOTLYJS_MARKER) == 1
    page = pipeline._inject_plotlyjs(f"<html><body>{block}{block}</body></html>")
    assert page.count("* plotly.js v") == 1, "one copy, however many chart blocks"
    assert html_parts.PLOTLYJS_MARKER not in page
    assert page.index("* plotly.js v") < page.index('class="plotly-graph-div"')
