"""The report pipeline: notebooks run in private kernels, pages checked offline, PDFs printed."""

from __future__ import annotations

import stat
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook
from report_support import stand_in_notebook

from backlib.errors import ReportError
from backlib.report import html_parts, pipeline


@pytest.mark.parametrize(
    "fragment",
    [
        '<script src="https://cdn.example/x.js"></script>',
        "<script src='//cdn.example/x.js'></script>",
        '<link rel="stylesheet" href="https://fonts.example/f.css">',
        "<style>@import url(https://fonts.example/f.css);</style>",
        '<img src="http://tracker.example/p.gif">',
    ],
)
def test_offline_check_refuses_pages_that_load_from_the_network(fragment):
    with pytest.raises(ReportError, match="network"):
        pipeline.check_offline(f"<html>{fragment}</html>", "page")


def test_offline_check_accepts_urls_that_are_only_text():
    page = '<svg xmlns="http://www.w3.org/2000/svg"></svg><a href="https://nice.org.uk">NICE</a>'
    pipeline.check_offline(page, "page")


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


def test_report_kernels_talk_over_private_sockets_not_tcp(tmp_path):
    # The kernel holds a patient's records: Unix sockets in a folder only the user can enter.
    notebook = tmp_path / "where.ipynb"
    nbformat.write(
        new_notebook(
            cells=[
                new_code_cell('patient: str = "x"', metadata={"tags": ["parameters"]}),
                new_code_cell(
                    "from ipykernel import get_connection_info\n"
                    "info = get_connection_info(unpack=True)\n"
                    "print(info['transport'], info['ip'])"
                ),
            ],
            metadata={
                "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
            },
        ),
        notebook,
    )
    executed = pipeline.execute_notebook(notebook, {"patient": "x"})
    transport, address = executed.cells[-1].outputs[0]["text"].split()
    folder = pipeline.private_kernel_folder()
    assert transport == "ipc" and Path(address).parent == folder
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not list(folder.iterdir())  # the sockets go with the kernel


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
