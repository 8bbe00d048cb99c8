"""Report batches: one patient's report, or every patient's in worker processes, and the index.

Each report is notebooks/report.ipynb run by papermill and exported to offline HTML (and PDF).
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
from concurrent.futures import CancelledError, Future, as_completed
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from tqdm import tqdm

from backlib.errors import ReportError
from backlib.paths import NOTEBOOKS_DIR
from backlib.private_files import (
    private_folder,
    remove_temporary_folders,
    write_private_bytes,
    write_private_text,
)
from backlib.report import pipeline
from backlib.report.data import open_report_store, parse_period, store_url_for_kernel
from backlib.report.executors import (
    DaskWorkers,
    PoolWorkers,
    check_cluster,
    handling,
    start_worker_server,
)
from backlib.report.html_parts import IndexEntry, index_html, period_text
from backlib.report.kernels import kernel_folder_prefix
from backlib.report.patient_report import check_patient_id, output_path, render_checked
from backlib.report.stopping import StopRequested
from backlib.report.worker import Job, Made, report_folder_prefix, run_job

REPORT_NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"
INDEX_NAME = "index.html"


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
    html_path, _headline = render_checked(
        patient_id,
        url,
        first,
        last,
        out_dir,
        pdf,
        clinician_note,
        Path(notebook) if notebook else REPORT_NOTEBOOK,
        paper=paper,
        clinic=clinic,
        clinician=clinician,
    )
    return html_path


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


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
    cluster: str | None = None,
    paper: str = "A4",
    clinic: str = "",
    clinician: str = "",
) -> BatchResult:
    """Render reports for many patients in parallel and write an index page linking them.

    Each worker keeps one kernel for all its patients, emptied between them; a failure is
    recorded on the index and the others carry on. The batch writes every report into
    `out_dir` itself as it arrives, wherever it was made.

    Parameters
    ----------
    store_url
        The store, as for :func:`render`.
    patients
        The ids to report on; every patient of the store when None.
    start, end, out_dir, pdf, clinician_note, notebook, paper, clinic, clinician
        As for :func:`render`.
    jobs
        Worker processes; the number of cores when None. With ``cluster="local"``, the
        LocalCluster's workers; a remote cluster uses the workers it has.
    progress
        Show a tqdm progress bar on stderr.
    cluster
        Run on Dask distributed instead of local worker processes: a scheduler address
        (``tcp://HOST:8786`` or ``tls://...``; the store must then be PostgreSQL, which every
        worker can reach), or ``"local"`` for a LocalCluster on this machine. Needs the
        ``cluster`` extra.

    Returns
    -------
    BatchResult
        Entries per patient (sorted by id) and the path of ``index.html``.

    Raises
    ------
    ReportError
        Before anything runs: a bad period, paper size, jobs count or cluster address, an
        unknown patient, an empty store, a cluster that cannot be reached.
    """
    first, last = parse_period(start, end)
    paper = pipeline.check_paper(paper)
    if cluster is None:  # the workers' imports go on while the store is read and checked
        start_worker_server()
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
    if cluster is not None:
        check_cluster(cluster, url)
    book = Path(notebook).resolve() if notebook else REPORT_NOTEBOOK
    work = [
        Job(
            pid,
            url,
            first,
            last,
            pdf,
            clinician_note,
            str(book),
            _notebook_text(book),
            paper=paper,
            clinic=clinic,
            clinician=clinician,
        )
        for pid in sorted(set(chosen))
    ]
    entries: list[IndexEntry] = []
    interrupted = False
    count = min(workers, len(work))
    runner = PoolWorkers(count) if cluster is None else DaskWorkers(cluster, count)
    with (
        handling(signal.SIGTERM, _interrupt),  # SIGTERM stops the batch as Ctrl+C does
        tqdm(total=len(work), unit="report", desc="reports", disable=not progress) as bar,
    ):
        try:
            futures = {runner.executor.submit(run_job, job): job.patient_id for job in work}
            runner.note_workers()
            for future in as_completed(futures):
                runner.note_workers()
                entry = _keep(folder, _made_of(future, futures[future]))
                if entry.error is not None:
                    bar.write(f"backlib: {entry.patient_id}: {entry.error}", file=sys.stderr)
                entries.append(entry)
                bar.update(1)
            runner.close()
        except KeyboardInterrupt:  # Ctrl+C, or SIGTERM: stop now, keep what finished
            interrupted = True
            runner.stop()
    _remove_worker_folders(runner.worker_pids())
    # Only this run's reports are listed: a report left from an earlier run is never shown as
    # part of this one, and an interrupted run says so. The batch writes each report itself
    # once it is finished, so nothing half-made is left in the folder.
    entries = sorted((e for e in entries if e.error != _STOPPED), key=lambda e: e.patient_id)
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


def _notebook_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as err:
        raise ReportError(f"report notebook {path} cannot be read: {err}", file=path) from None


def _keep(folder: Path, made: Made) -> IndexEntry:
    """Write a finished report's files into the output folder (owner-only, each whole)."""
    entry = made.entry
    if entry.html_name is not None:
        write_private_text(output_path(folder, entry.patient_id, ".html"), made.html)
    if entry.pdf_name is not None:
        write_private_bytes(output_path(folder, entry.patient_id, ".pdf"), made.pdf)
    return entry


def _remove_worker_folders(pids: set[int]) -> None:
    """The kernel and report folders of workers that were stopped before their exit handlers
    ran (a finished worker leaves none)."""
    remove_temporary_folders(
        prefix(pid) for pid in pids for prefix in (kernel_folder_prefix, report_folder_prefix)
    )


def _made_of(future: Future, patient_id: str) -> Made:
    try:
        return future.result()
    except (StopRequested, CancelledError):  # stopped by Ctrl+C, or cancelled before it ran
        return Made(IndexEntry(patient_id, error=_STOPPED))
    except Exception as err:  # a worker that died (out of memory, killed)
        return Made(IndexEntry(patient_id, error=f"worker failed: {err}"))
