"""Printed reports a physiotherapist would file: every chart whole on one page, a running header
and footer on every page, the paper asked for, no near-blank pages, the cover's clinic."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from backlib.constants import PAPER_SIZES_MM
from backlib.display import date_words
from backlib.errors import ReportError
from backlib.report import html_parts, inlined, pipeline, render
from backlib.report.data import load_report

HAS_PRINTING = pipeline.CHROMIUM_PATH.is_file() and shutil.which("pdftotext") is not None
needs_printing = pytest.mark.skipif(not HAS_PRINTING, reason="Chromium or poppler is missing")

CLINIC = "Riverside <Physio> & Rehab"
CLINICIAN = "Jo O'Neil"
# A page with less text than this beyond its header and footer counts as near blank (the
# programme sheet's one-line introduction alone on a page was 88 characters in all).
NEAR_BLANK_CHARS = 300


@dataclass(frozen=True)
class Printed:
    """One printed report: its PDF, the text of each page, and the figures it drew."""

    pdf: Path
    pages: list[str]
    figures: list[dict]
    period: str


def _page_texts(pdf: Path) -> list[str]:
    count = int(re.search(r"Pages:\s+(\d+)", _pdfinfo(pdf)).group(1))
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def _pdfinfo(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout


def _print(store: str, out: Path, paper: str, **cover: str) -> Printed:
    html = render("demo-1", store, out_dir=out, pdf=True, paper=paper, **cover)
    report = load_report("demo-1", store)
    head = report.headline
    period = html_parts.period_text(head.first_day or head.start, head.last_day or head.end)
    pdf = html.with_suffix(".pdf")
    return Printed(pdf, _page_texts(pdf), report.figures, period)


@pytest.fixture(scope="module")
def a4(demo_store, tmp_path_factory) -> Printed:
    """demo-1 on A4, with a clinic and a clinician on its cover."""
    return _print(
        demo_store, tmp_path_factory.mktemp("a4"), "A4", clinic=CLINIC, clinician=CLINICIAN
    )


@pytest.fixture(scope="module")
def letter(demo_store, tmp_path_factory) -> Printed:
    """demo-1 on US Letter, without clinic or clinician."""
    return _print(demo_store, tmp_path_factory.mktemp("letter"), "letter")


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def _bottom_axis_titles(figure: dict) -> list[str]:
    layout = figure["layout"]
    return [
        value["title"]["text"]
        for key, value in layout.items()
        if re.fullmatch(r"xaxis\d*", key) and value.get("title", {}).get("text")
    ]


@needs_printing
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_each_charts_title_and_its_last_axis_label_print_on_one_page(paper, request):
    printed: Printed = request.getfixturevalue(paper)
    titles = [figure["layout"]["title"]["text"] for figure in printed.figures]
    assert len(titles) >= 4  # demo-1 has sessions and questionnaires: every chart is drawn
    for figure, title in zip(printed.figures, titles, strict=True):
        labels = _bottom_axis_titles(figure)
        assert labels, f"{title}: the chart has no axis title to check"
        on = [n for n, text in enumerate(printed.pages) if title in _lines(text)]
        assert len(on) == 1, f"{title!r} is printed on pages {[n + 1 for n in on]}"
        lines = _lines(printed.pages[on[0]])
        after = lines[lines.index(title) + 1 :]
        # The chart's own lines run up to the next chart's title on that page, if any.
        ends = [after.index(other) for other in titles if other != title and other in after]
        own = after[: min(ends)] if ends else after
        for label in labels:
            assert label in own, f"{title!r}: its axis label {label!r} is not on page {on[0] + 1}"


@needs_printing
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_every_page_carries_the_patient_the_period_and_its_number(paper, request):
    printed: Printed = request.getfixturevalue(paper)
    total = len(printed.pages)
    for number, text in enumerate(printed.pages, start=1):
        flat = " ".join(text.split())
        assert "Alex (demo: improving) · patient id demo-1" in flat, f"page {number}"
        assert f"period: {printed.period}" in flat, f"page {number}"
        assert f"page {number} of {total}" in flat, f"page {number}"
        assert "decision support, not a diagnosis" in flat, f"page {number}"
        assert f"made {date_words(dt.date.today())}" in flat, f"page {number}"


_RUNNING = re.compile(r"^(?:.* · patient id .*|period: .*|page \d+ of \d+|made .* · .*)$")


@needs_printing
@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_no_page_but_the_last_is_near_blank(paper, request):
    printed: Printed = request.getfixturevalue(paper)
    for number, text in enumerate(printed.pages[:-1], start=1):
        body = " ".join(line for line in _lines(text) if not _RUNNING.match(line))
        assert len(body) >= NEAR_BLANK_CHARS, f"page {number} is near blank: {body[:80]!r}"


@needs_printing
def test_a4_and_letter_print_at_their_own_page_size(a4, letter):
    for printed, paper in ((a4, "A4"), (letter, "Letter")):
        info = _pdfinfo(printed.pdf)
        size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts \((\w+)\)", info)
        assert size.group(3).lower() == paper.lower()
        width_mm, height_mm = PAPER_SIZES_MM[paper]
        # Chromium rounds A4 to whole CSS pixels: 595.92 x 842.88 pt for 595.28 x 841.89.
        assert float(size.group(1)) == pytest.approx(width_mm / 25.4 * 72, abs=1.5)
        assert float(size.group(2)) == pytest.approx(height_mm / 25.4 * 72, abs=1.5)


@needs_printing
def test_the_cover_names_the_clinic_and_the_clinician_only_when_given(a4, letter):
    assert f"{CLINIC} · Clinician: {CLINICIAN}" in " ".join(a4.pages[0].split())
    assert "Riverside" not in letter.pages[0] and "Clinician:" not in letter.pages[0]
    # The programme sheet, the part to take home, names them too.
    sheet = next(n for n, text in enumerate(a4.pages) if "Your home exercise programme" in text)
    assert f"Clinic: {CLINIC}" in " ".join(a4.pages[sheet].split())


@needs_printing
def test_the_part_to_take_home_starts_on_a_page_of_its_own(a4):
    starts = [n for n, text in enumerate(a4.pages) if "To take home" in _lines(text)]
    assert len(starts) == 1
    lines = _lines(a4.pages[starts[0]])
    assert lines.index("To take home") <= 3  # after the running header's lines only


@pytest.mark.parametrize("paper", ["A5", "", "a4 ", None])
def test_a_paper_size_other_than_a4_or_letter_is_refused_naming_the_field(paper, demo_store):
    if paper == "a4 ":  # any case and spacing of a known size is that size
        assert pipeline.check_paper(paper) == "A4"
        return
    with pytest.raises(ReportError, match="use one of A4, Letter") as caught:
        render("demo-1", demo_store, paper=paper)
    assert caught.value.field == "paper"


def test_the_running_header_escapes_the_patients_name():
    header, footer = pipeline.running_header(
        {"name": "<img src=x onerror=alert(1)>", "patient-id": "p-1", "period": "all sessions"},
        "title",
    )
    assert "<img" not in header and "&lt;img src=x onerror=alert(1)&gt;" in header
    assert '<span class="pageNumber"></span> of <span class="totalPages"></span>' in footer


def test_a_page_without_the_reports_print_data_is_headed_by_its_title():
    header, footer = pipeline.running_header(None, "Clinic <own> template")
    assert "Clinic &lt;own&gt; template" in header and "patient id" not in header
    assert '<span class="date"></span>' in footer


def test_the_cover_escapes_clinic_and_clinician(demo_store):
    head = load_report("demo-1", demo_store).headline
    page = html_parts.report_header(head, clinic="<b>Clinic</b>", clinician='"Jo" <x>')
    assert "&lt;b&gt;Clinic&lt;/b&gt;" in page and "&quot;Jo&quot; &lt;x&gt;" in page
    assert 'class="bl-from"' not in html_parts.report_header(head)
    assert 'data-patient-id="demo-1"' in page  # what the printed pages' header reads


def test_an_inlined_pages_styles_reach_only_inside_its_block():
    css = (
        "body { margin: 1em; } h1, .item { color: red; } @page { margin: 15mm; } "
        "@media print { body { margin: 0; } .item { break-inside: avoid; } }"
    )
    scoped = inlined.scoped_css(css, ".bl-inlined.bl-sheet")
    assert ".bl-inlined.bl-sheet { margin: 1em; }" in scoped
    assert ".bl-inlined.bl-sheet h1, .bl-inlined.bl-sheet .item { color: red; }" in scoped
    assert "@page" not in scoped
    assert "@media print { .bl-inlined.bl-sheet { margin: 0; }" in scoped
    assert ".bl-inlined.bl-sheet .item { break-inside: avoid; }" in scoped


def test_an_inlined_page_keeps_its_body_and_title_and_drops_its_document():
    page = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sheet &amp; co</title>'
        "<style>p { color: red; }</style></head><body><p>Hello</p></body></html>"
    )
    block = inlined.inline_page(page, "bl-sheet")
    assert block.startswith('<section class="bl-inlined bl-sheet" aria-label="Sheet &amp; co">')
    assert "<p>Hello</p>" in block and ".bl-inlined.bl-sheet p { color: red; }" in block
    assert "<html" not in block and "<head" not in block and "<body" not in block
