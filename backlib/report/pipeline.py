"""The report pipeline: papermill runs a notebook, nbconvert writes HTML, Chromium prints a PDF.

Kept apart from :mod:`backlib.report` (which knows about patients and stores) so each step can
be exercised on any notebook: the benchmark runs the same steps on an empty notebook to measure
the floor, and the tests run them on small stand-in notebooks.
"""

from __future__ import annotations

import functools
import html
import re
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

from backlib.constants import PAPER_SIZES_MM
from backlib.errors import ReportError
from backlib.labels import DISCLAIMER_SHORT
from backlib.paths import CHROMIUM_ARGS, CHROMIUM_PATH
from backlib.report.kernels import ReportKernel
from backlib.report.offline import external_references, is_outside, with_content_policy
from backlib.report.records import PLOTLYJS_MARKER, PRINT_DATA_CLASS

# Longest wait for the charts to be drawn before printing (milliseconds).
CHART_WAIT_MS = 30_000
# The printed page's margins (mm): the running header and footer live in the top and bottom.
PRINT_MARGINS_MM: dict[str, float] = {"top": 18, "bottom": 16, "left": 12, "right": 12}
MM_PER_INCH = 25.4
CSS_PX_PER_INCH = 96
# A chart is never drawn taller than this share of a page, so it and the line before it fit.
CHART_PAGE_SHARE_MAX = 0.9

# Each interactive chart drawn again as a static SVG at the printed width (and at most a page's
# height), in place of the chart and its fixed-height wrapper: Chromium prints a plotly chart at
# the size it was drawn, cut at the page's edge. Takes the height limit (CSS px).
_STATIC_CHARTS = """async (maxHeight) => {
  if (typeof Plotly === "undefined") return 0;
  const charts = [...document.querySelectorAll(".plotly-graph-div")];
  for (const div of charts) {
    const holder = div.parentElement;
    const width = Math.floor(holder.getBoundingClientRect().width);
    const height = Math.min(div._fullLayout.height, maxHeight);
    const url = await Plotly.toImage(div, {format: "svg", width: width, height: height});
    const image = document.createElement("img");
    image.className = "bl-chart";
    image.alt = (div._fullLayout.title && div._fullLayout.title.text) || "chart";
    image.style.cssText = "display: block; width: 100%; height: auto;";
    image.src = url;
    holder.style.height = "auto";
    div.replaceWith(image);
  }
  await Promise.all([...document.images].map(image => image.decode().catch(() => null)));
  return charts.length;
}"""
# The report's own data for the running header (html_parts.print_header_data), or null.
_PRINT_DATA = f"""() => {{
  const data = document.querySelector(".{PRINT_DATA_CLASS}");
  return data ? Object.fromEntries(Object.entries(data.dataset).map(
    ([key, value]) => [key.replace(/[A-Z]/g, c => "-" + c.toLowerCase()), value])) : null;
}}"""

# The lab template without the blocks that load JavaScript from CDNs (require.js, MathJax,
# mermaid, the widget manager): a report embeds what it needs and makes no network request.
_TEMPLATE_NAME = "backlib_offline_report.html.j2"
_OFFLINE_TEMPLATE = """{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}
<style type="text/css">
  body { max-width: 60rem; margin: 0 auto; }
  .jp-Cell { padding: 0 1rem; }
  @media print {
    body { max-width: none; margin: 0; }
    /* This sheet comes before JupyterLab's: `body` outweighs its rules. Its outputs are each
       one unbreakable box there, which pushes a long one whole to the next page and leaves
       the page before near blank; here only the things below are kept whole. */
    body .jp-Cell, body .jp-Cell-outputWrapper, body .jp-OutputArea-child,
    body .jp-OutputArea-output { padding: 0; overflow: visible; break-inside: auto; }
    /* A heading keeps company with what follows it: within its cell, and a markdown cell (a
       heading and its introduction) with the cell after it. */
    h1, h2, h3, h4, h5 { break-after: avoid; }
    .jp-MarkdownCell { break-after: avoid; }
    p, li { orphans: 3; widows: 3; }
    /* Nothing a reader takes in at a glance is cut: a chart, a group of cards, a table row, a
       list item, the what-it-rests-on list. */
    img.bl-chart, .js-plotly-plot, .bl-cards, .bl-card, .bl-cover, tr, li { break-inside: avoid; }
    thead { display: table-header-group; }
    /* The part to take home starts on a fresh page with its heading, so it can be handed over. */
    .jp-MarkdownCell:has(+ .jp-Cell .bl-take-home) { break-before: page; }
    .bl-take-home .bl-inlined { break-before: avoid; }
  }
</style>
{%- endblock extra_css -%}
"""

# plotly's notebook renderer adds a MathJax <script> from a CDN to every figure (it is only
# needed for LaTeX in chart labels, which reports do not use): removed before export.
_PLOTLY_CDN_MATHJAX = re.compile(
    r"""<script[^>]*\bsrc\s*=\s*["']https?://cdnjs\.cloudflare\.com/ajax/libs/mathjax/[^"']*["']"""
    r"""[^>]*>\s*</script>""",
    re.IGNORECASE,
)

# Loads the page's policy refuses never become requests: the browser reports them as
# "securitypolicyviolation" events, passed on to Python. Registered before the page's own scripts
# run, on window and in the capture phase, so a script of the page cannot hide them.
_VIOLATION_BINDING = "__backlibPolicyViolation"
_REPORT_VIOLATIONS = f"""(() => {{
  const report = window.{_VIOLATION_BINDING};
  window.addEventListener("securitypolicyviolation",
    event => report(event.blockedURI || event.violatedDirective), true);
}})();"""

# Cells tagged so hold the notebook's own story (how to run it): kept out of the report.
HIDE_IN_REPORT_TAG = "hide-in-report"

_exporter: HTMLExporter | None = None


def execute_notebook(
    notebook: str | Path,
    parameters: Mapping[str, Any],
    *,
    label: str = "",
    kernel: ReportKernel | None = None,
) -> nbformat.NotebookNode:
    """Run a notebook with papermill on a private report kernel, set up for a static export.

    `notebook`, `parameters`, `label`, the result and the errors are those of
    :meth:`~backlib.report.kernels.ReportKernel.run`; `kernel` is a kernel kept for many
    notebooks (a batch worker's), or None for a kernel just for this run.
    """
    if kernel is not None:
        return kernel.run(notebook, parameters, label=label)
    with ReportKernel() as one_off:
        return one_off.run(notebook, parameters, label=label)


def notebook_to_html(notebook: nbformat.NotebookNode, title: str) -> str:
    """Export an executed notebook to one self-contained HTML page without its code cells, under
    a Content-Security-Policy that lets it load nothing from outside itself.

    Raises
    ------
    ReportError
        When the page would still reference anything on the network (see :func:`check_offline`).
    """
    exporter = _html_exporter()
    notebook = nbformat.from_dict(notebook)
    notebook.metadata["title"] = title
    notebook.metadata.pop("widgets", None)  # widget state needs a CDN manager: blank offline
    _drop_cdn_mathjax(notebook)
    html, _ = exporter.from_notebook_node(notebook)
    # Checked before plotly.js goes in: scanning its 4.8 MB for every report took 0.15 s, and
    # the script itself is checked once per process by _plotlyjs_script.
    check_offline(html, title)
    try:
        return with_content_policy(_inject_plotlyjs(html))
    except ValueError as err:
        raise ReportError(f"{title}: {err}") from None


def _inject_plotlyjs(html: str) -> str:
    """Put one inline copy of plotly.js where the charts marked it (see PLOTLYJS_ENV)."""
    if PLOTLYJS_MARKER not in html:
        return html
    html = html.replace(PLOTLYJS_MARKER, _plotlyjs_script(), 1)
    return html.replace(PLOTLYJS_MARKER, "")


@functools.cache
def _plotlyjs_script() -> str:
    """plotly.js as one inline script, checked to fetch nothing from the network."""
    # plotly here, not at the top: only an export that embeds the charts needs it (import time).
    from plotly.offline import get_plotlyjs

    script = f'<script type="text/javascript">{get_plotlyjs()}</script>'
    check_offline(script, "plotly.js")
    return script


def _html_exporter() -> HTMLExporter:
    """One exporter per process: its compiled templates are reused by every report."""
    global _exporter
    if _exporter is not None:
        return _exporter
    exporter = HTMLExporter(
        extra_loaders=[jinja2.DictLoader({_TEMPLATE_NAME: _OFFLINE_TEMPLATE})],
        template_file=_TEMPLATE_NAME,
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        exclude_anchor_links=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={HIDE_IN_REPORT_TAG}, enabled=True), enabled=True
    )
    _exporter = exporter
    return exporter


def _drop_cdn_mathjax(notebook: nbformat.NotebookNode) -> None:
    for cell in notebook.cells:
        for output in cell.get("outputs", ()):
            data = output.get("data", {})
            if "text/html" in data:
                html = data["text/html"]
                text = "".join(html) if isinstance(html, list) else html
                data["text/html"] = _PLOTLY_CDN_MATHJAX.sub("", text)


def check_offline(html: str, name: str) -> None:
    """Refuse a page that would fetch anything when opened (offline and private reports)."""
    found = external_references(html)
    if found:
        raise ReportError(
            f"{name}: the HTML would load {len(found)} resource(s) from the network, "
            f"first: {found[0]!r}; reports must embed everything they show"
        )


def find_chromium() -> Path:
    """The Chromium binary used to print PDFs, or a ReportError saying how to install it."""
    if CHROMIUM_PATH.is_file():
        return CHROMIUM_PATH
    on_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if on_path:
        return Path(on_path)
    raise ReportError(
        f"PDF printing needs the Chromium browser, which is not installed (looked for "
        f"{CHROMIUM_PATH} and 'chromium' on PATH). Install it with "
        "`sudo apt-get install chromium` (Debian/Ubuntu) and run again; the HTML report "
        "is written either way"
    )


def _sync_playwright() -> Any:
    try:  # Playwright is optional (the pdf extra): only a PDF needs it
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise ReportError(
            "PDF printing needs the Python package 'playwright', which is not installed. "
            "Install it with `pip install 'backlib[pdf]'` (or `pip install playwright`); "
            "no browser download is needed, the system Chromium is used"
        ) from None
    return sync_playwright


def check_paper(paper: str) -> str:
    """The paper size's own name (``A4``, ``Letter``; any case accepted), or a ReportError naming
    the field and the sizes there are."""
    names = {name.lower(): name for name in PAPER_SIZES_MM}
    if isinstance(paper, str) and paper.strip().lower() in names:
        return names[paper.strip().lower()]
    raise ReportError(
        f"paper={paper!r} is not a paper size a report prints on: use one of "
        f"{', '.join(PAPER_SIZES_MM)} (default {next(iter(PAPER_SIZES_MM))})",
        field="paper",
    )


@dataclass(frozen=True)
class PageBox:
    """Where a printed page's content goes, in CSS pixels (96 to the inch): the charts are
    drawn to exactly this width, and never taller than a page holds."""

    width_px: int
    height_px: int

    @classmethod
    def of(cls, paper: str) -> PageBox:
        width_mm, height_mm = PAPER_SIZES_MM[check_paper(paper)]
        across = width_mm - PRINT_MARGINS_MM["left"] - PRINT_MARGINS_MM["right"]
        down = height_mm - PRINT_MARGINS_MM["top"] - PRINT_MARGINS_MM["bottom"]
        px_per_mm = CSS_PX_PER_INCH / MM_PER_INCH
        return cls(int(across * px_per_mm), int(down * px_per_mm))


def running_header(data: Mapping[str, str] | None, title: str) -> tuple[str, str]:
    """The header and footer every printed page carries, as Chromium's templates.

    The header names the patient (name and id) and the period, the footer gives "page x of y",
    the day the report was made and that it is decision support; without the report's own
    data (a template of a clinic's own that does not emit it) the header is the page's title.
    Every value is escaped: a patient's name is user text.
    """
    data = data or {}
    name, patient_id = data.get("name", ""), data.get("patient-id", "")
    period, made = data.get("period", ""), data.get("made", "")
    if patient_id:
        who = f"{html.escape(name)} · patient id {html.escape(patient_id)}"
        when = f"period: {html.escape(period)}" if period else ""
    else:
        who, when = html.escape(title), ""
    made_text = f"made {html.escape(made)}" if made else 'made <span class="date"></span>'
    header = f'<div style="{_RUNNING_STYLE}"><span>{who}</span><span>{when}</span></div>'
    footer = (
        f'<div style="{_RUNNING_STYLE}"><span>page <span class="pageNumber"></span> of '
        f'<span class="totalPages"></span></span>'
        f"<span>{made_text} · {html.escape(DISCLAIMER_SHORT)}</span></div>"
    )
    return header, footer


# Chromium draws the header and footer apart from the page, with no styles of its own (its
# default text size is too small to read): each template carries its own.
_RUNNING_STYLE = (
    f"width: 100%; margin: 0 {PRINT_MARGINS_MM['left']}mm; display: flex; "
    "justify-content: space-between; gap: 1em; "
    "font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; font-size: 8pt; "
    "color: #3e4c59;"
)


def print_pdf(html_path: str | Path, pdf_path: str | Path, *, paper: str = "A4") -> list[str]:
    """Print an HTML report to PDF with headless Chromium, fit for a patient's file.

    Before printing, each plotly chart is drawn again as a static SVG image exactly as wide as
    the page's content (no longer than a page holds) and put in place of the interactive one,
    so nothing is cut off at its right or foot and the PDF holds vectors; the HTML file keeps
    its interactive charts. Every page gets a running header (patient, period) and footer
    (page x of y, date made, decision support), taken from the report's own print data
    (``html_parts.print_header_data``).

    Every load the page attempts beyond itself is recorded and returned: requests (blocked, and
    only the page's own file, data:, blob: and about: are let through) and loads its
    Content-Security-Policy refused before they became requests.

    Parameters
    ----------
    html_path, pdf_path
        The report page, and where its PDF goes.
    paper
        ``A4`` or ``Letter`` (see :data:`backlib.constants.PAPER_SIZES_MM`).

    Returns
    -------
    list of str
        URLs the page tried to load from outside (empty for a self-contained report).

    Raises
    ------
    ReportError
        For an unknown paper size, when Chromium or Playwright is missing (saying what to
        install), or when printing fails.
    """
    paper = check_paper(paper)
    box = PageBox.of(paper)
    chromium = find_chromium()
    sync_playwright = _sync_playwright()
    source = Path(html_path).resolve()
    attempts: list[str] = []

    def _route(route: Any) -> None:
        url = route.request.url
        if url.split("#")[0] == source.as_uri() or not is_outside(url):
            route.continue_()
        else:
            attempts.append(url)
            route.abort()

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(chromium), args=list(CHROMIUM_ARGS), headless=True
            )
            try:
                # Laid out at the page's width from the start, the page and its charts wrap
                # as they will print.
                page = browser.new_page(viewport={"width": box.width_px, "height": box.height_px})
                page.route("**/*", _route)
                page.expose_function(_VIOLATION_BINDING, lambda url: attempts.append(str(url)))
                page.add_init_script(_REPORT_VIOLATIONS)
                page.goto(source.as_uri(), wait_until="load")
                # Wait until every plotly div has been drawn into an SVG before printing.
                page.wait_for_function(
                    "[...document.querySelectorAll('.plotly-graph-div')]"
                    ".every(div => div.querySelector('.main-svg'))",
                    timeout=CHART_WAIT_MS,
                )
                page.emulate_media(media="print")
                page.evaluate(_STATIC_CHARTS, int(box.height_px * CHART_PAGE_SHARE_MAX))
                data = page.evaluate(_PRINT_DATA)
                header, footer = running_header(data, page.title())
                page.pdf(
                    path=str(pdf_path),
                    format=paper,
                    print_background=True,
                    display_header_footer=True,
                    header_template=header,
                    footer_template=footer,
                    margin={key: f"{value}mm" for key, value in PRINT_MARGINS_MM.items()},
                )
            finally:
                browser.close()
    except ReportError:
        raise
    except Exception as err:
        if attempts:  # e.g. the page navigated away: what it reached for is the answer
            return attempts
        raise ReportError(f"printing {source.name} to PDF failed: {err}", file=source) from None
    return attempts
