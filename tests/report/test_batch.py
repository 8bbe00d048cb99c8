"""Progress reports: parameters, offline HTML, escaping, PDF, the clinic batch and its failures.

Kernel starts are the expensive part (seconds each), so the real report notebook runs once, in
one module-scoped `backlib report --all` over the three demo patients; most tests read its
output. One more small batch runs a stand-in notebook that fails for one patient.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
from pathlib import Path

import nbformat
import papermill
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from backlib import report
from backlib.cli import main
from backlib.errors import ReportError
from backlib.report import batch, html_parts, pipeline

NOTE = "<script>alert(1)</script>"
ESCAPED_NOTE = "&lt;script&gt;alert(1)&lt;/script&gt;"
HAS_CHROMIUM = pipeline.CHROMIUM_PATH.is_file()


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory) -> str:
    """Three demo patients; demo-1 also logged a session whose note is a script tag."""
    from backlib.demo import make_demo
    from backlib.store import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('store') / 'clinic.db'}"
    with open_store(url) as store:
        make_demo(store, patients=3, weeks=12, seed=0)
        last = store.sessions("demo-1")["started_at"].max()
        store.log_session(
            "demo-1",
            when=last + dt.timedelta(hours=2),
            pain_before=3,
            pain_during=3,
            pain_after=2,
            notes=NOTE,
        )
    return url


@pytest.fixture(scope="module")
def clinic_run(demo_store, tmp_path_factory) -> tuple[int, Path]:
    """`backlib report --all` over the demo store: HTML and PDF, two workers, a script note."""
    out = tmp_path_factory.mktemp("reports")
    args = ["report", "--all", "--store", demo_store, "--out", str(out), "--jobs", "2"]
    args += ["--note", NOTE]
    if HAS_CHROMIUM:
        args.append("--pdf")
    return main(args), out


@pytest.fixture(scope="module")
def demo_html(clinic_run) -> str:
    return (clinic_run[1] / "demo-1.html").read_text(encoding="utf-8")


def stand_in_notebook(folder: Path, fail_for: str = "") -> Path:
    """A tiny report notebook with the real parameters; it raises for one patient id."""
    parameters = new_code_cell(
        'patient: str = "demo-1"  # patient id\n'
        'store_url: str = ""  # store\n'
        'start: str = ""  # first day\n'
        'end: str = ""  # last day\n'
        'clinician_note: str = ""  # note',
        metadata={"tags": ["parameters"]},
    )
    body = new_code_cell(
        f"if patient == {fail_for!r}:\n"
        "    raise ValueError('no usable sessions for ' + patient)\n"
        "print('report for', patient)"
    )
    notebook = new_notebook(cells=[new_markdown_cell("# Stand-in report"), parameters, body])
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / "stand_in.ipynb"
    nbformat.write(notebook, path)
    return path


def card_value(html: str, key: str) -> str:
    match = re.search(
        rf'data-key="{key}"><div class="bl-label">[^<]*</div><div class="bl-value[^"]*">([^<]*)<',
        html,
    )
    assert match, f"no card {key!r} in the report"
    return match.group(1)


# --------------------------------------------------------------------------- the notebook


def test_report_notebook_parameters_are_inspectable_with_help():
    parameters = papermill.inspect_notebook(str(report.REPORT_NOTEBOOK))
    assert list(parameters) == ["patient", "store_url", "start", "end", "clinician_note"]
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
    assert card_value(demo_html, "pain_baseline") == html_parts.number(assessment.baseline)
    assert card_value(demo_html, "pain_current") == html_parts.number(assessment.current)
    assert card_value(demo_html, "pain_change") == html_parts.number(assessment.change, signed=True)
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


def test_missing_sqlite_store_is_an_error_not_a_new_empty_store(tmp_path):
    missing = tmp_path / "nowhere.db"
    with pytest.raises(ReportError, match="does not exist"):
        report.render("demo-1", f"sqlite:///{missing}", out_dir=tmp_path / "out")
    assert not missing.exists()


@pytest.mark.parametrize(
    "patient_id", ["../etc/passwd", "a/b", "..", ".hidden", "Demo-1", "", "x" * 65, "a\\b"]
)
def test_patient_ids_that_could_leave_the_output_folder_are_refused(patient_id, tmp_path):
    with pytest.raises(ReportError, match="not a patient id"):
        report.output_path(tmp_path, patient_id, ".html")


def test_output_path_stays_inside_the_output_folder(tmp_path):
    path = report.output_path(tmp_path / "reports", "demo-1", ".html")
    assert path == (tmp_path / "reports" / "demo-1.html").resolve()


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        ("2026-13-01", None, "start="),
        (None, "soon", "end="),
        ("2026-03-01", "2026-02-01", "before"),
    ],
)
def test_bad_periods_are_refused_naming_the_field(start, end, message):
    with pytest.raises(ReportError, match=message):
        report.parse_period(start, end)


def test_relative_sqlite_paths_are_made_absolute_for_the_kernel(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert report.store_url_for_kernel("sqlite:///clinic.db") == f"sqlite:///{tmp_path}/clinic.db"
    assert report.store_url_for_kernel("clinic.db") == f"sqlite:///{tmp_path}/clinic.db"
    assert report.store_url_for_kernel("postgresql://u@h/db") == "postgresql://u@h/db"


def test_jobs_must_be_a_positive_number(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--all", "--jobs", "0"])
    assert "positive" in capsys.readouterr().err


# --------------------------------------------------------------------------- export pieces


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


# --------------------------------------------------------------------------- HTML pieces


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
    assert card_value(html, "pain_baseline") == "6"
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
    assert html_parts.number(1.25, signed=True) == "+1.2"
    assert html_parts.number(None) == "—"
    assert html_parts.number(float("nan")) == "—"


def test_charts_embed_plotly_js_once_and_no_mathjax():
    import plotly.graph_objects as go

    figures = [go.Figure(go.Scatter(x=[1, 2], y=[3, 1])), go.Figure(go.Bar(x=[1], y=[2]))]
    html = html_parts.charts_html(figures)
    assert html.count("* plotly.js v") == 1
    assert html.count('class="plotly-graph-div"') == 2
    assert pipeline.external_references(html) == []


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


def test_period_in_words():
    assert html_parts.period_text(None, None) == "all sessions"
    assert html_parts.period_text(dt.date(2026, 1, 1), None) == "from 2026-01-01"
    assert html_parts.period_text(None, dt.date(2026, 2, 1)) == "up to 2026-02-01"


def test_next_routine_handout_sits_in_its_own_frame_escaped_and_offline():
    from backlib.plan.planner import plan_routine

    routine = plan_routine(["lower_back"], 20, pain=3)
    html = html_parts.handout_html(routine, "Planned for <today>")
    assert html.count("<iframe") == 1
    assert 'srcdoc="&lt;!DOCTYPE html&gt;' in html
    assert "Planned for &lt;today&gt;" in html
    assert pipeline.external_references(html) == []
    assert routine.items[0].name.split()[0] in html


def test_no_routine_logged_yet_says_so_instead_of_a_handout():
    html = html_parts.handout_html(None, "No routine has been logged yet.")
    assert "<iframe" not in html and "No routine has been logged yet." in html


def test_headline_counts_only_the_sessions_in_the_period(demo_store):
    from backlib.report import data as report_data
    from backlib.store import open_store

    with open_store(demo_store) as store:
        days = store.sessions("demo-2")["started_at"].dt.date
    start, end = days.iloc[5], days.iloc[20]
    head = report_data.load_headline("demo-2", demo_store, start.isoformat(), end.isoformat())
    assert head.sessions == int(((days >= start) & (days <= end)).sum())
    assert (head.start, head.end) == (start, end)


def test_a_missing_demo_store_is_made_with_the_demo_patients(tmp_path):
    from backlib.demo import ensure_demo_store
    from backlib.store import open_store

    path = tmp_path / "demo" / "demo.db"
    url = f"sqlite:///{path}"
    assert ensure_demo_store(url, demo_path=path) is True
    with open_store(url) as store:
        assert sorted(store.patients()["patient_id"]) == ["demo-1", "demo-2", "demo-3"]
    assert ensure_demo_store(url, demo_path=path) is False  # made once, then reused
    assert [p.name for p in path.parent.iterdir()] == ["demo.db"]
