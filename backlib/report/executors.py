"""Where a batch's reports run: worker processes on this machine, or a Dask cluster.

Both give the batch a ``concurrent.futures`` executor to submit :func:`worker.run_job` to, a way
to stop everything at once (Ctrl+C), and the ids of local worker processes whose leftover
folders the batch removes afterwards.
"""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import time
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from multiprocessing import forkserver
from typing import Any

from backlib.errors import ReportError
from backlib.report.stopping import start_pool_worker

# After Ctrl+C or SIGTERM, how long workers get to stop their kernels before they are killed.
STOP_GRACE_S = 1.0
# How often a stopping batch looks whether its workers have gone (seconds).
STOP_POLL_S = 0.02
# `--cluster local`: a Dask LocalCluster on this machine instead of a remote scheduler.
LOCAL_CLUSTER = "local"
CLUSTER_SCHEMES = ("tcp://", "tls://")
# How long to wait for a remote scheduler to answer before saying it cannot be reached.
CONNECT_TIMEOUT_S = 20


# What the workers' server imports once, before it forks each worker: the caller's main module
# (a spawned worker would import it again, whatever it brings) and the worker's own stack.
WORKER_PRELOAD = ("__main__", "backlib.report.worker")


def pool_context() -> multiprocessing.context.BaseContext:
    """How pool workers start: forked from a server process that has imported their modules.

    Each worker then starts in a fork's time instead of importing nbconvert, papermill and
    jupyter_client (and the caller's main module) again. The server is a fresh process, not a
    fork of the caller, so workers inherit none of the caller's threads or ZeroMQ sockets.
    Where there is no fork (Windows), workers are spawned.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(list(WORKER_PRELOAD))
    return context


def start_worker_server() -> None:
    """Start the workers' server now, so it imports their modules while the caller goes on
    (reading the store, importing its own modules) instead of when the first report is due."""
    if pool_context().get_start_method() == "forkserver":
        forkserver.ensure_running()


class PoolWorkers:
    """Worker processes of this machine (see :func:`pool_context`), each keeping one report
    kernel."""

    def __init__(self, workers: int) -> None:
        self.executor: Executor = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=pool_context(),
            initializer=start_pool_worker,
        )
        self._pids: set[int] = set()

    def note_workers(self) -> None:
        """Remember the worker processes started so far (the pool starts them as work comes)."""
        # ProcessPoolExecutor keeps them in `_processes` (no public API), and a worker deep in
        # a report must be told to stop, not waited for.
        self._pids.update(getattr(self.executor, "_processes", None) or {})

    def worker_pids(self) -> set[int]:
        self.note_workers()
        return set(self._pids)

    def close(self) -> None:
        self.executor.shutdown(wait=True)

    def stop(self) -> None:
        """Cancel what has not started, ask every worker to stop (SIGTERM), and kill any that
        has not gone within STOP_GRACE_S.

        Workers are followed by process id: a worker forked by the workers' server looks
        finished to its handle once that server has gone (a SIGTERM to the whole process group
        ends it first), while the worker itself may still be shutting its kernel down, or
        waiting for work that will never come.
        """
        self.note_workers()
        workers = list((getattr(self.executor, "_processes", None) or {}).values())
        self.executor.shutdown(wait=False, cancel_futures=True)
        pids = {worker.pid for worker in workers if worker.pid is not None}
        for pid in pids:
            _send(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_S
        while (running := {pid for pid in pids if _running(pid)}) and time.monotonic() < deadline:
            time.sleep(STOP_POLL_S)
        for pid in running:
            _send(pid, getattr(signal, "SIGKILL", signal.SIGTERM))
        for worker in workers:  # a spawned worker is this process's child: collect its exit
            worker.join(STOP_POLL_S)


def _send(pid: int, signum: int) -> None:
    with suppress(ProcessLookupError):  # gone already
        os.kill(pid, signum)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # no signal: only asks whether the process is there
    except ProcessLookupError:
        return False
    return _state(pid) != "Z"  # a finished worker its parent has not collected yet


def _state(pid: int) -> str:
    """The process's state letter from /proc (R, S, Z...), or "" where there is no /proc."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def check_cluster(address: str, store_url: str) -> str:
    """Refuse a cluster address Dask cannot use, or a store its workers cannot open."""
    if address != LOCAL_CLUSTER and not address.startswith(CLUSTER_SCHEMES):
        raise ReportError(
            f"cluster={address!r} is not a Dask scheduler address: give "
            f"tcp://HOST:PORT or tls://HOST:PORT (port 8786 by default), or {LOCAL_CLUSTER!r} "
            "for a cluster on this machine",
            field="cluster",
        )
    if address != LOCAL_CLUSTER and store_url.startswith("sqlite"):
        raise ReportError(
            f"cluster={address!r}: the workers of a cluster may run on other machines, which "
            f"cannot open the SQLite file of {store_url}; use a PostgreSQL store "
            f"(--store postgresql://...) or --cluster {LOCAL_CLUSTER}",
            field="cluster",
        )
    return address


def _distributed() -> Any:
    try:  # Dask is optional (the cluster extra): only --cluster needs it
        import distributed
    except ImportError:
        raise ReportError(
            "--cluster needs the Python package 'distributed', which is not installed. "
            "Install it with `pip install 'backlib[cluster]'`",
            field="cluster",
        ) from None
    return distributed


@contextmanager
def handling(signum: int, handler: Any) -> Iterator[None]:
    """`handler` for the signal during the block, the previous one after; outside the main
    thread signals belong to whoever owns it, and nothing changes."""
    try:
        previous = signal.signal(signum, handler)
    except ValueError:
        yield
        return
    try:
        yield
    finally:
        signal.signal(signum, previous)


class DaskWorkers:
    """The workers of a Dask cluster: a remote scheduler's, or a LocalCluster's.

    A LocalCluster's scheduler and workers talk over TLS with credentials made for this run
    (mutual TLS: a process without them, another local user's say, cannot join or submit). A
    remote cluster's security is its own (``tls://`` and the Dask configuration of this
    machine); a plain ``tcp://`` scheduler is named in a warning, since patients' reports
    cross the network unencrypted.
    """

    def __init__(self, address: str, workers: int) -> None:
        distributed = _distributed()
        self._cluster: Any = None
        if address == LOCAL_CLUSTER:
            # The cluster's processes ignore Ctrl+C (an ignored signal stays ignored in a new
            # process, and Python then installs no handler of its own): the terminal sends
            # it to the whole group, and the batch, not each worker with a traceback, stops.
            with handling(signal.SIGINT, signal.SIG_IGN):
                self._cluster = distributed.LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,  # one kernel per worker, one report at a time each
                    processes=True,
                    security=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
            self.client = distributed.Client(self._cluster)
        else:
            if address.startswith("tcp://"):
                print(
                    f"backlib: the scheduler {address} is not encrypted: reports cross the "
                    "network in the clear; prefer tls:// (see the README)",
                    file=sys.stderr,
                )
            try:
                self.client = distributed.Client(address, timeout=CONNECT_TIMEOUT_S)
            except OSError as err:
                raise ReportError(
                    f"cluster={address!r}: no Dask scheduler answered ({err}); start one with "
                    "`dask scheduler` and workers with `dask worker ADDRESS`",
                    field="cluster",
                ) from None
        self.executor: Executor = self.client.get_executor()
        # A LocalCluster's workers are processes of this machine: their leftover folders are
        # removed like a pool's.
        self._pids: set[int] = (
            set(self.client.run(os.getpid).values()) if self._cluster is not None else set()
        )

    def note_workers(self) -> None:
        """Nothing to note: the workers are known from the start."""

    def worker_pids(self) -> set[int]:
        return set(self._pids)

    def close(self) -> None:
        self.executor.shutdown(wait=True)
        self._close_client()

    def stop(self) -> None:
        """Cancel every report still queued or running, and let go of the cluster."""
        self.executor.shutdown(wait=False)  # cancels the futures
        self._close_client()

    def _close_client(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()
