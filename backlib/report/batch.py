"""Report batches: one patient's report, or every patient's in worker processes, and the index.

Each report is notebooks/report.ipynb run by papermill and exported to offline HTML (and PDF).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

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
# After Ctrl+C or SIGTERM, how long workers get to stop their kernels before they are killed.
STOP_GRACE_S = 1.0


class StopRequested(BaseException):
    """Raised in a worker by SIGTERM (and in the parent by SIGTERM as Ctrl+C): stop this report
    now, shutting its kernel down on the way out. A BaseException, so no `except Exception`
    on the way swallows it."""


@dataclass(frozen=True)
class BatchResult:
    """What `render_all` did: one entry per patient (report or failure) and the index page."""

    entries: tuple[IndexEntry, ...]
    index: Path
    interrupted: bool = False
    planned: int = 0  # how many reports the run set out to make

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
    paper: str = "A4",
    clinic: str = "",
    clinician: str = "",
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
        "clinic": clinic,
        "clinician": clinician,
    }
    executed = pipeline.execute_notebook(notebook, parameters, label=patient_id)
    html = pipeline.notebook_to_html(executed, f"Progress report {patient_id}")
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
    paper: str = "A4",
    clinic: str = "",
    clinician: str = "",
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
    paper
        The PDF's paper size, ``A4`` or ``Letter`` (checked even without ``pdf``).
    clinic, clinician
        Shown (escaped) on the report's cover and the programme sheet when given.

    Returns
    -------
    Path
        The HTML report.

    Raises
    ------
    ReportError
        For a bad id or period, a patient the store does not have (the message lists the known
        ids), a notebook that fails, a paper size there is not, or a missing browser when
        ``pdf`` is set.
    """
    check_patient_id(patient_id)
    first, last = parse_period(start, end)
    paper = pipeline.check_paper(paper)
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
        paper,
        clinic,
        clinician,
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
    paper: str = "A4"
    clinic: str = ""
    clinician: str = ""


def _headline(job: _Job) -> Headline:
    return load_headline(job.patient_id, job.store_url, job.start, job.end)


def _worker_start() -> None:
    """A worker leaves Ctrl+C to the parent (no traceback per worker) and stops its report on
    SIGTERM: the kernel is shut down and the private folders go with the process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)


def _stop(_signum: int, _frame: FrameType | None) -> None:
    # Once is enough: a second SIGTERM (the terminal's and the batch's) must not interrupt the
    # clean-up the first one started (it would surface as a traceback from a closing store).
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise StopRequested


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """In the parent, SIGTERM stops the batch exactly as Ctrl+C does."""

    def interrupt(_signum: int, _frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGTERM, interrupt)
    except ValueError:  # not the main thread: leave signals to whoever owns them
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started, ask every worker to stop (SIGTERM), and kill any that has
    not gone within STOP_GRACE_S."""
    # The pool's worker processes: ProcessPoolExecutor keeps them in `_processes` (no public
    # API), and a worker deep in a report must be told to stop, not waited for.
    workers = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    deadline = time.monotonic() + STOP_GRACE_S
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
        if worker.is_alive():
            worker.kill()
            worker.join(1.0)


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
            job.paper,
            job.clinic,
            job.clinician,
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
    paper: str = "A4",
    clinic: str = "",
    clinician: str = "",
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
    start, end, out_dir, pdf, clinician_note, notebook, paper, clinic, clinician
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
        Before anything runs: a bad period, paper size or jobs count, an unknown patient, an
        empty store.
    """
    first, last = parse_period(start, end)
    paper = pipeline.check_paper(paper)
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
        _Job(
            pid, url, first, last, str(folder), pdf, clinician_note, book, paper, clinic, clinician
        )
        for pid in sorted(set(chosen))
    ]
    entries: list[IndexEntry] = []
    interrupted = False
    # spawn: each worker starts clean (no inherited ZeroMQ sockets or threads from the caller).
    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(work)), mp_context=context, initializer=_worker_start
    )
    worker_pids: set[int] = set()
    began = time.time()
    with (
        _sigterm_as_interrupt(),
        tqdm(total=len(work), unit="report", desc="reports", disable=not progress) as bar,
    ):
        try:
            futures = {pool.submit(_run_job, job): job.patient_id for job in work}
            worker_pids.update(getattr(pool, "_processes", {}))  # see _stop_workers
            for future in as_completed(futures):
                worker_pids.update(getattr(pool, "_processes", {}))
                entry = _entry_of(future, futures[future])
                if entry.error is not None:
                    bar.write(f"backlib: {entry.patient_id}: {entry.error}", file=sys.stderr)
                entries.append(entry)
                bar.update(1)
            pool.shutdown(wait=True)
        except KeyboardInterrupt:  # Ctrl+C, or SIGTERM: stop now, keep what finished
            interrupted = True
            worker_pids.update(getattr(pool, "_processes", {}))
            _stop_workers(pool)
    pipeline.remove_kernel_folders(worker_pids)
    # Only this run's reports are listed: a report left from an earlier run is never shown as
    # part of this one, and an interrupted run says so.
    entries = sorted((e for e in entries if e.error != _STOPPED), key=lambda e: e.patient_id)
    if interrupted:
        _remove_unfinished(folder, {e.patient_id for e in entries}, work, began)
    index = folder / INDEX_NAME
    title = "Progress reports" + (f" ({period_text(first, last)})" if first or last else "")
    note = (
        f"This run was interrupted: {len(entries)} of {len(work)} reports were made; the "
        "others were not. Run it again for the rest."
        if interrupted
        else ""
    )
    write_private_text(index, index_html(entries, title, dt.datetime.now(), note=note))
    return BatchResult(tuple(entries), index, interrupted=interrupted, planned=len(work))


_STOPPED = "stopped before it finished"


def _remove_unfinished(folder: Path, finished: set[str], work: list[_Job], began: float) -> None:
    """Files this run wrote for a report it did not finish (stopped after the HTML, before the
    PDF or the headline): removed, so every report in the folder from this run is listed."""
    for job in work:
        if job.patient_id in finished:
            continue
        for suffix in (".html", ".pdf"):
            path = folder / f"{job.patient_id}{suffix}"
            if path.exists() and path.stat().st_mtime >= began:
                path.unlink(missing_ok=True)


def _entry_of(future: Future, patient_id: str) -> IndexEntry:
    try:
        return future.result()
    except StopRequested:
        return IndexEntry(patient_id, error=_STOPPED)
    except Exception as err:  # a worker that died (out of memory, killed)
        return IndexEntry(patient_id, error=f"worker failed: {err}")
