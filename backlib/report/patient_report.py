"""One patient's report from checked inputs: run the notebook, export the HTML, print the PDF.

Shared by :func:`backlib.report.batch.render` (one patient, here) and the batch's workers
(:mod:`backlib.report.worker`), which make each report in a folder of their own.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from backlib.constants import PATIENT_ID_MAX, PATIENT_ID_PATTERN
from backlib.errors import ReportError
from backlib.private_files import private_folder, replaced_whole, write_private_text
from backlib.report import headline_record, pipeline
from backlib.report.kernels import ReportKernel
from backlib.report.records import Headline

# The store's own patient-id rule (lower-case slugs; not the store's module, which brings pandas
# and SQLAlchemy to every worker): it also keeps every output path inside the output folder,
# since a slug has no '/', '\\' or '.'.
PATIENT_ID_RULE = re.compile(PATIENT_ID_PATTERN)


def check_patient_id(patient_id: str) -> str:
    """Refuse an id that is not a store slug (and so could name a path outside the folder)."""
    if (
        not isinstance(patient_id, str)
        or len(patient_id) > PATIENT_ID_MAX
        or not PATIENT_ID_RULE.match(patient_id)
    ):
        raise ReportError(
            f"patient={patient_id!r} is not a patient id: allowed are lower-case letters and "
            f"digits joined by single '-' or '_', at most {PATIENT_ID_MAX} characters",
            field="patient",
        )
    return patient_id


def output_path(out_dir: str | Path, patient_id: str, suffix: str) -> Path:
    """The report file of a patient inside `out_dir`; never anywhere else."""
    folder = Path(out_dir).resolve()
    path = (folder / f"{check_patient_id(patient_id)}{suffix}").resolve()
    if path.parent != folder:
        raise ReportError(
            f"patient={patient_id!r} would write outside the folder {folder}", field="patient"
        )
    return path


def make_html(
    patient_id: str,
    store_url: str,
    start: dt.date | None,
    end: dt.date | None,
    clinician_note: str,
    notebook: Path,
    *,
    clinic: str = "",
    clinician: str = "",
    kernel: ReportKernel | None = None,
) -> tuple[str, Headline | None]:
    """One report's offline HTML page and the headline its notebook published (None for a
    template that publishes none), written nowhere: a batch worker sends the page back as it
    is, and :func:`write_report` writes it where it is kept or printed."""
    parameters = {
        "patient": patient_id,
        "store_url": store_url,
        "start": start.isoformat() if start else "",
        "end": end.isoformat() if end else "",
        "clinician_note": clinician_note,
        "clinic": clinic,
        "clinician": clinician,
    }
    executed = pipeline.execute_notebook(notebook, parameters, label=patient_id, kernel=kernel)
    headline = headline_record.find(executed)
    return pipeline.notebook_to_html(executed, f"Progress report {patient_id}"), headline


def render_checked(
    patient_id: str,
    store_url: str,
    start: dt.date | None,
    end: dt.date | None,
    out_dir: str | Path,
    pdf: bool,
    clinician_note: str,
    notebook: Path,
    *,
    paper: str = "A4",
    clinic: str = "",
    clinician: str = "",
    kernel: ReportKernel | None = None,
) -> tuple[Path, Headline | None]:
    """Run, export and (optionally) print one report whose inputs are already checked, on
    `kernel` (a batch worker's) or a kernel of its own; returns the HTML file and the headline
    the notebook published (None for a template that publishes none)."""
    folder = private_folder(out_dir)
    html, headline = make_html(
        patient_id,
        store_url,
        start,
        end,
        clinician_note,
        notebook,
        clinic=clinic,
        clinician=clinician,
        kernel=kernel,
    )
    return write_report(folder, patient_id, html, pdf=pdf, paper=paper), headline


def write_report(folder: Path, patient_id: str, html: str, *, pdf: bool, paper: str) -> Path:
    """Write a report's page into `folder` and, when asked, print it to a PDF beside it; a page
    that tries to load anything while printing is removed with its PDF. Returns the page."""
    html_path = output_path(folder, patient_id, ".html")
    write_private_text(html_path, html)
    if pdf:
        pdf_path = output_path(folder, patient_id, ".pdf")
        attempts: list[str] = []
        try:
            with replaced_whole(pdf_path) as temporary:  # the PDF is kept only if this passes
                attempts = pipeline.print_pdf(html_path, temporary, paper=paper)
                if attempts:
                    raise ReportError(
                        f"{patient_id}: the report tried to load {attempts[0]} while printing "
                        f"({len(attempts)} load(s) from outside the page); its HTML and PDF "
                        "were removed",
                        file=html_path,
                    )
        except ReportError:
            if attempts:  # a page that reaches out (a template's script, say) is no report
                html_path.unlink(missing_ok=True)
                pdf_path.unlink(missing_ok=True)
            raise
    return html_path
