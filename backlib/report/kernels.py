"""Report kernels: one private kernel a worker keeps for all its patients.

Starting a kernel and importing pandas, SQLAlchemy and plotly into it cost more than a report
itself, so a worker starts one kernel and runs every patient's notebook in it, emptying the
kernel's namespace between patients (:meth:`ReportKernel.reset`). papermill still does the
parameters and the cell bookkeeping: the :class:`KeptKernelEngine` (registered as papermill
engine ``backlib``) runs its notebook client on the worker's kernel instead of a new one.

The kernel is backlib's private kernel (``backlib.private_kernel``: no TCP port of its own) and
talks over Unix sockets in an owner-only folder, since it reads patients' records.
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import nbformat
import papermill
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.exceptions import PapermillExecutionError
from papermill.utils import merge_kwargs, remove_args

from backlib.errors import ReportError
from backlib.paths import JUPYTER_DATA_DIR
from backlib.private_files import socket_folder
from backlib.report.records import PLOTLYJS_ENV

# papermill's name for the engine below.
ENGINE_NAME = "backlib"
# The kernel spec every report runs on: backlib's private kernel (jupyter_data/kernels).
KERNEL_NAME = "python3"
# Inside a kernel plotly picks a renderer nbconvert cannot draw; "notebook" embeds plotly.js
# once and the chart shows offline (other renderers, or a CDN plotly.js, are blank offline).
PLOTLY_RENDERER_FOR_EXPORT = "notebook"
# Longest time one cell may run before the report is abandoned (seconds).
CELL_TIMEOUT_S = 600
# Longest wait for a new kernel to answer (seconds).
START_TIMEOUT_S = 60

# Run between two patients: nothing the last notebook defined or ran survives: its variables,
# the output history and `_` (%reset), the input history (which holds the injected parameters:
# a patient's id and the clinician's note), the cells' source kept for tracebacks; the working
# folder is the next notebook's, cell numbers start at 1 again (so an error names the cell a
# user counts), and the collector frees what was let go. What is left is what the modules hold
# (tests/report/test_kernels.py looks through it for the last patient): frozen, so the next
# reset's collection only goes through what the next notebook made (0.25 s less per report).
# IPython keeps the cells' file names in its compiler's `_filename_map` (no public API).
_RESET_CODE = """\
get_ipython().run_line_magic("reset", "-f")
import gc as _backlib_gc, linecache as _backlib_lines, os as _backlib_os
get_ipython().history_manager.input_hist_parsed[:] = [""]
get_ipython().history_manager.input_hist_raw[:] = [""]
_backlib_cell = None
for _backlib_cell in list(get_ipython().compile._filename_map):
    _backlib_lines.cache.pop(_backlib_cell, None)
get_ipython().compile._filename_map.clear()
_backlib_os.chdir({folder!r})
get_ipython().execution_count = 1
del _backlib_lines, _backlib_os, _backlib_cell
_backlib_gc.collect()
_backlib_gc.freeze()
del _backlib_gc
"""
# IPython's history database would keep every cell run, parameters included, on disk.
_KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]


@functools.cache
def private_kernel_folder() -> Path:
    """A folder only this user can enter (0700), for the report kernels' sockets; removed when
    the process ends."""
    folder = socket_folder(kernel_folder_prefix(os.getpid()))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


def kernel_folder_prefix(pid: int) -> str:
    """The name prefix of a process's kernel folder (a batch removes its workers' folders,
    since a stopped worker may not run its exit handlers)."""
    return f"backlib-kernels-{pid}-"


class PrivateKernelManager(AsyncKernelManager):
    """A report's kernel: backlib's private kernel, over Unix sockets in a private folder.

    The kernel reads a patient's records, and on TCP any local user can reach its ports (and
    ipykernel warns on every report that the traffic is unencrypted); sockets in a 0700 folder
    are for this user only. jupyter_client removes them when the kernel is shut down. The spec
    comes from backlib's own kernel folder only, so a user's other kernels are never picked.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", str(private_kernel_folder() / "kernel"))
        kwargs.setdefault("kernel_name", KERNEL_NAME)
        kwargs.setdefault(
            "kernel_spec_manager",
            KernelSpecManager(kernel_dirs=[str(JUPYTER_DATA_DIR / "kernels")]),
        )
        super().__init__(**kwargs)

    async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
        # The kernel's own log stays out of the terminal: a report's errors come back through
        # the notebook, and a batch stopped by Ctrl+C must not print kernel tracebacks.
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        await super().start_kernel(**kw)


def kernel_environment() -> dict[str, str]:
    """The report kernel's environment: the caller's, with plotly set up for a static export."""
    return {**os.environ, "PLOTLY_RENDERER": PLOTLY_RENDERER_FOR_EXPORT, PLOTLYJS_ENV: "1"}


class ReportKernel:
    """One kernel, started on first use and kept for every notebook run through it.

    Use as a context manager, or call :meth:`close`. After a run that leaves the kernel in an
    unknown state (it died, a cell timed out, the run was interrupted) the kernel is shut down
    and the next run starts a fresh one; a notebook whose cell raised keeps the kernel.
    """

    def __init__(self) -> None:
        self.manager: PrivateKernelManager | None = None
        self.client: Any = None
        self.runs = 0  # notebooks run on the current kernel

    def __enter__(self) -> ReportKernel:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @property
    def started(self) -> bool:
        return self.manager is not None

    def start(self, folder: Path) -> None:
        """Start the kernel (in `folder`) and connect to it, unless it is running."""
        if self.manager is not None:
            return
        manager = PrivateKernelManager()
        try:
            run_sync(manager.start_kernel)(
                cwd=str(folder), env=kernel_environment(), extra_arguments=_KERNEL_ARGUMENTS
            )
            client = manager.client()
            client.start_channels()
            run_sync(client.wait_for_ready)(timeout=START_TIMEOUT_S)
        except BaseException:
            _shut_down(manager, None)
            raise
        self.manager, self.client, self.runs = manager, client, 0

    def reset(self, folder: Path) -> None:
        """Empty the namespace the last notebook left and move to `folder` (see _RESET_CODE)."""
        reply = run_sync(self.client.execute_interactive)(
            _RESET_CODE.format(folder=str(folder)),
            silent=True,
            store_history=False,
            timeout=START_TIMEOUT_S,
            output_hook=lambda _msg: None,
        )
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"the kernel could not be reset: {reply['content'].get('evalue')}")

    def close(self) -> None:
        """Shut the kernel down (its sockets go with it); a later run starts a new one."""
        manager, client = self.manager, self.client
        self.manager, self.client = None, None
        if manager is not None:
            _shut_down(manager, client)

    def run(
        self, notebook: str | Path, parameters: Mapping[str, Any], *, label: str = ""
    ) -> nbformat.NotebookNode:
        """Run a notebook with papermill on this kernel, its namespace emptied first.

        Parameters
        ----------
        notebook
            The notebook file; its cell tagged ``parameters`` receives `parameters`. It runs in
            the notebook's folder.
        parameters
            Values papermill injects after the parameters cell.
        label
            Names the run in error messages (e.g. the patient id).

        Returns
        -------
        nbformat.NotebookNode
            The executed notebook, with its outputs.

        Raises
        ------
        ReportError
            When the notebook is missing or a cell fails; the message names the cell and error.
        """
        path = Path(notebook)
        if not path.is_file():
            raise ReportError(f"report notebook {path} does not exist", file=path)
        where = f"{label}: " if label else ""
        folder = path.resolve().parent
        kept = False
        try:
            self.start(folder)
            if self.runs:
                self.reset(folder)
            self.runs += 1
            executed = papermill.execute_notebook(
                str(path),
                None,
                parameters=dict(parameters),
                engine_name=ENGINE_NAME,
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                request_save_on_cell_execute=False,
                execution_timeout=CELL_TIMEOUT_S,
                start_timeout=START_TIMEOUT_S,
                report_kernel=self,
            )
            kept = True
            return executed
        except PapermillExecutionError as err:
            kept = True  # a cell raised; the kernel is idle and is reset before the next run
            raise ReportError(
                f"{where}notebook {path.name} failed in cell {err.exec_count}: "
                f"{err.ename}: {err.evalue}"
            ) from None
        except Exception as err:  # kernel death, timeout, unreadable notebook
            raise ReportError(
                f"{where}notebook {path.name} could not run: {type(err).__name__}: {err}"
            ) from None
        finally:
            if not kept:  # died, timed out or interrupted (StopRequested): never reused
                self.close()


def _shut_down(manager: PrivateKernelManager, client: Any) -> None:
    if client is not None:
        client.stop_channels()
    if manager.has_kernel:
        run_sync(manager.shutdown_kernel)(now=True)
    run_sync(manager.cleanup_resources)()


class KeptKernelEngine(NBClientEngine):
    """papermill's nbclient engine, on the kernel of a :class:`ReportKernel` (``report_kernel``)
    instead of a new kernel per notebook; nbclient neither starts nor stops it."""

    @classmethod
    def execute_managed_notebook(  # type: ignore[override]
        cls,
        nb_man: Any,
        kernel_name: str,
        *,
        report_kernel: ReportKernel,
        log_output: bool = False,
        stdout_file: Any = None,
        stderr_file: Any = None,
        start_timeout: int = START_TIMEOUT_S,
        execution_timeout: int | None = None,
        **kwargs: Any,
    ) -> Any:
        """Run the notebook's cells on the kept kernel (papermill's NBClientEngine otherwise)."""
        kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
        options = merge_kwargs(
            kwargs,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client = PapermillNotebookClient(nb_man, km=report_kernel.manager, **options)
        client.kc = report_kernel.client  # already connected: nbclient keeps it open
        return client.execute()


# Registered here, not under the `papermill.engine` entry point: papermill loads every entry
# point when it is imported, and this engine is only for kernels a ReportKernel owns.
papermill_engines.register(ENGINE_NAME, KeptKernelEngine)
