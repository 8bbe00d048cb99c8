"""Report batches: one patient's report, or every patient's in worker processes, and the index.

Each report is notebooks/report.ipynb run by papermill and exported to offline HTML (and PDF).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from backlib.constants import PATIENT_ID_MAX
from backlib.errors import BacklibError, ReportError
from backlib.paths import NOTEBOOKS_DIR
from backlib.private_files import private_folder, replaced_whole, write_private_text
from backlib.report import pipeline
from backlib.report.data import (
    load_headline,
    open_report_store,
    parse_period,
    store_url_for_kernel,
)
from backlib.report.html_parts import Headline, IndexEntry, index_html, period_text

# The store's own patient-id rule (lower-case slugs): it also keeps every output path inside the
# output folder, since a slug has no '/', '\\' or '.'.
from backlib.store.validate import PATIENT_ID_RULE

REPORT_NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"
INDEX_NAME = "index.html"


@dataclass(frozen=True)
class BatchResult:
    """What `render_all` did: one entry per patient (report or failure) and the index page."""

    entries: tuple[IndexEntry, ...]
    index: Path

    @property
    def failed(self) -> tuple[IndexEntry, ...]:
        return tuple(entry for entry in self.entries if entry.error is not None)

    @property
    def reports(self) -> tuple[Path, ...]:
        folder = self.index.parent
        return tuple(folder / e.html_name for e in self.entries if e.html_name is not None)


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


def known_patients(store_url: str) -> list[str]:
    """The patient ids in a store, sorted."""
    with open_report_store(store_url) as store:
        return sorted(store.patients()["patient_id"].astype(str))


def check_known(patient_id: str, known: list[str], store_url: str) -> None:
    """An unknown patient gets an error listing the ids the store does have."""
    if patient_id not in known:
        listed = ", ".join(known) if known else "none: the store has no patients yet"
        raise ReportError(
            f"patient={patient_id!r} is not in the store {store_url}; known: {listed}",
            field="patient",
        )


def _render_checked(
    patient_id: str,
    store_url: str,
    start: dt.date | None,
    end: dt.date | None,
    out_dir: str | Path,
    pdf: bool,
    clinician_note: str,
    notebook: Path,
) -> Path:
    """Run, export and (optionally) print one report whose inputs are already checked."""
    folder = private_folder(out_dir)
    html_path = output_path(folder, patient_id, ".html")
    parameters = {
        "patient": patient_id,
        "store_url": store_url,
        "start": start.isoformat() if start else "",
        "end": end.isoformat() if end else "",
        "clinician_note": clinician_note,
    }
    executed = pipeline.execute_notebook(notebook, parameters, label=patient_id)
    html = pipeline.notebook_to_html(executed, f"Progress report {patient_id}")
    write_private_text(html_path, html)
    if pdf:
        pdf_path = output_path(folder, patient_id, ".pdf")
        attempts: list[str] = []
        try:
            with replaced_whole(pdf_path) as temporary:  # the PDF is kept only if this passes
                attempts = pipeline.print_pdf(html_path, temporary)
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


def render(
    patient_id: str,
    store_url: str | None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    out_dir: str | Path = "reports",
    pdf: bool = False,
    *,
    clinician_note: str = "",
    notebook: str | Path | None = None,
) -> Path:
    """Render one patient's progress report as a self-contained HTML file (and a PDF beside it).

    Parameters
    ----------
    patient_id
        A patient of the store (a lower-case slug such as ``demo-1``).
    store_url
        The store (``sqlite:///path.db``, a file path, or ``postgresql://...``); empty for the
        demo store.
    start, end
        The period, inclusive, as dates or ``YYYY-MM-DD``; None for open ends.
    out_dir
        Folder for ``<patient_id>.html`` (and ``.pdf``), created owner-only when missing.
    pdf
        Also print the page to PDF with headless Chromium.
    clinician_note
        Free text shown (escaped) in the report.
    notebook
        The report notebook; ``notebooks/report.ipynb`` when None.

    Returns
    -------
    Path
        The HTML report.

    Raises
    ------
    ReportError
        For a bad id or period, a patient the store does not have (the message lists the known
        ids), a notebook that fails, or a missing browser when ``pdf`` is set.
    """
    check_patient_id(patient_id)
    first, last = parse_period(start, end)
    url = store_url_for_kernel(store_url)
    check_known(patient_id, known_patients(url), url)
    return _render_checked(
        patient_id,
        url,
        first,
        last,
        out_dir,
        pdf,
        clinician_note,
        Path(notebook) if notebook else REPORT_NOTEBOOK,
    )


@dataclass(frozen=True)
class _Job:
    patient_id: str
    store_url: str
    start: dt.date | None
    end: dt.date | None
    out_dir: str
    pdf: bool
    clinician_note: str
    notebook: str


def _headline(job: _Job) -> Headline:
    return load_headline(job.patient_id, job.store_url, job.start, job.end)


def _run_job(job: _Job) -> IndexEntry:
    """One patient in a worker process; any failure comes back as the entry's error."""
    try:
        path = _render_checked(
            job.patient_id,
            job.store_url,
            job.start,
            job.end,
            job.out_dir,
            job.pdf,
            job.clinician_note,
            Path(job.notebook),
        )
        headline = _headline(job)
    except BacklibError as err:
        # The index and the summary name the patient already; keep the message's own words.
        return IndexEntry(job.patient_id, error=str(err).removeprefix(f"{job.patient_id}: "))
    except Exception as err:  # one patient's surprise must not stop the clinic's batch
        return IndexEntry(job.patient_id, error=f"{type(err).__name__}: {err}")
    pdf_name = path.with_suffix(".pdf").name if job.pdf else None
    return IndexEntry(job.patient_id, html_name=path.name, pdf_name=pdf_name, headline=headline)


def render_all(
    store_url: str | None,
    patients: list[str] | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
    out_dir: str | Path = "reports",
    pdf: bool = False,
    *,
    jobs: int | None = None,
    clinician_note: str = "",
    notebook: str | Path | None = None,
    progress: bool = True,
) -> BatchResult:
    """Render reports for many patients in parallel and write an index page linking them.

    Each patient runs in a worker process with its own kernel; a failure is recorded on the
    index and the others carry on.

    Parameters
    ----------
    store_url
        The store, as for :func:`render`.
    patients
        The ids to report on; every patient of the store when None.
    start, end, out_dir, pdf, clinician_note, notebook
        As for :func:`render`.
    jobs
        Worker processes; the number of cores when None.
    progress
        Show a tqdm progress bar on stderr.

    Returns
    -------
    BatchResult
        Entries per patient (sorted by id) and the path of ``index.html``.

    Raises
    ------
    ReportError
        Before anything runs: a bad period or jobs count, an unknown patient, an empty store.
    """
    first, last = parse_period(start, end)
    url = store_url_for_kernel(store_url)
    known = known_patients(url)
    chosen = list(known if patients is None else patients)
    for patient_id in chosen:
        check_patient_id(patient_id)
        check_known(patient_id, known, url)
    if not chosen:
        raise ReportError(f"the store {url} has no patients to report on")
    workers = (os.cpu_count() or 1) if jobs is None else jobs
    if workers < 1:
        raise ReportError(f"jobs={jobs!r} must be at least 1", field="jobs")
    folder = private_folder(out_dir)
    book = str(Path(notebook).resolve() if notebook else REPORT_NOTEBOOK)
    work = [
        _Job(pid, url, first, last, str(folder), pdf, clinician_note, book)
        for pid in sorted(set(chosen))
    ]
    entries: list[IndexEntry] = []
    # spawn: each worker starts clean (no inherited ZeroMQ sockets or threads from the caller).
    context = multiprocessing.get_context("spawn")
    with (
        ProcessPoolExecutor(max_workers=min(workers, len(work)), mp_context=context) as pool,
        tqdm(total=len(work), unit="report", desc="reports", disable=not progress) as bar,
    ):
        futures = {pool.submit(_run_job, job): job.patient_id for job in work}
        for future in as_completed(futures):
            try:
                entry = future.result()
            except Exception as err:  # a worker that died (out of memory, killed)
                entry = IndexEntry(futures[future], error=f"worker failed: {err}")
            if entry.error is not None:
                bar.write(f"backlib: {entry.patient_id}: {entry.error}", file=sys.stderr)
            entries.append(entry)
            bar.update(1)
    entries.sort(key=lambda entry: entry.patient_id)
    index = folder / INDEX_NAME
    title = "Progress reports" + (f" ({period_text(first, last)})" if first or last else "")
    write_private_text(index, index_html(entries, title, dt.datetime.now()))
    return BatchResult(tuple(entries), index)
