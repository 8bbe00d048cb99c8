"""One patient's report in a batch worker: a process of the pool, or a Dask worker elsewhere.

A worker keeps one report kernel for all the patients it is given (see
:mod:`backlib.report.kernels`) and sends each report back as its file contents, so the batch
writes every file itself: into its own output folder whichever machine made the report, and
only for reports that finished.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from backlib.errors import BacklibError
from backlib.report.kernels import ReportKernel
from backlib.report.patient_report import make_html, write_report
from backlib.report.records import Headline, IndexEntry


@dataclass(frozen=True)
class Job:
    """One patient's report, as the batch hands it to a worker (picklable)."""

    patient_id: str
    store_url: str
    start: dt.date | None
    end: dt.date | None
    pdf: bool
    clinician_note: str
    notebook: str  # the template's path where the batch runs
    notebook_text: str  # and its content, for a worker on another machine
    paper: str = "A4"
    clinic: str = ""
    clinician: str = ""


@dataclass(frozen=True)
class Made:
    """What a worker sends back: the index entry and, when the report was made, its files."""

    entry: IndexEntry
    html: str = ""
    pdf: bytes = b""


def report_folder_prefix(pid: int) -> str:
    """The name prefix of the folders a worker makes its reports in before sending them back
    (a batch removes a stopped worker's, which may not run its exit handlers)."""
    return f"backlib-reports-{pid}-"


# One kernel per worker thread (a Dask worker may run tasks in more than one thread; a pool
# worker has one), shut down when the worker exits.
_kernels = threading.local()
_all_kernels: list[ReportKernel] = []


def worker_kernel() -> ReportKernel:
    """This thread's report kernel, made on first use and kept for every later patient."""
    kernel = getattr(_kernels, "kernel", None)
    if kernel is None:
        kernel = _kernels.kernel = ReportKernel()
        if not _all_kernels:
            atexit.register(_close_all)
        _all_kernels.append(kernel)
    return kernel


def _close_all() -> None:
    for kernel in _all_kernels:
        kernel.close()


def run_job(job: Job) -> Made:
    """Make one patient's report on this worker's kernel; a failure comes back as the entry's
    error, never as an exception (one patient's surprise must not stop the clinic's batch)."""
    folder = Path(tempfile.mkdtemp(prefix=report_folder_prefix(os.getpid())))  # 0700
    try:
        template = _template(job, folder)
        html, headline = make_html(
            job.patient_id,
            job.store_url,
            job.start,
            job.end,
            job.clinician_note,
            template,
            clinic=job.clinic,
            clinician=job.clinician,
            kernel=worker_kernel(),
        )
        pdf = b""
        if job.pdf:  # Chromium prints the page from a file in the worker's folder
            page = write_report(folder, job.patient_id, html, pdf=True, paper=job.paper)
            pdf = page.with_suffix(".pdf").read_bytes()
        if headline is None:  # a template that publishes no headline: read it from the store
            headline = _headline_from_store(job)
    except BacklibError as err:
        # The index and the summary name the patient already; keep the message's own words.
        message = str(err).removeprefix(f"{job.patient_id}: ")
        return Made(IndexEntry(job.patient_id, error=message))
    except Exception as err:
        return Made(IndexEntry(job.patient_id, error=f"{type(err).__name__}: {err}"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    entry = IndexEntry(
        job.patient_id,
        html_name=f"{job.patient_id}.html",
        pdf_name=f"{job.patient_id}.pdf" if job.pdf else None,
        headline=headline,
    )
    return Made(entry, html, pdf)


def _template(job: Job, folder: Path) -> Path:
    """The template to run: the batch's own file where this worker sees it unchanged (it runs
    in its folder, beside anything it reads), else a copy of it in the worker's folder."""
    path = Path(job.notebook)
    try:
        if path.read_text(encoding="utf-8") == job.notebook_text:
            return path
    except OSError:
        pass  # another machine: the batch's path is not here
    copy = folder / path.name
    copy.write_text(job.notebook_text, encoding="utf-8")
    return copy


def _headline_from_store(job: Job) -> Headline:
    # data here, not at the top (import time): SQLAlchemy and the store, only for a template
    # that publishes no headline; every worker starts with what its first report needs.
    from backlib.report.data import load_headline

    return load_headline(job.patient_id, job.store_url, job.start, job.end)
