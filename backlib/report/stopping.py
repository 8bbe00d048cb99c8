"""How a batch's pool worker stops: Ctrl+C is the parent's, SIGTERM ends the report it runs.

Kept apart from :mod:`backlib.report.worker` (nbconvert, papermill, jupyter_client) so the
batch can name the pool's initializer and catch :class:`StopRequested` without importing the
workers' stack itself: the workers' server imports that, while the batch reads the store.
"""

from __future__ import annotations

import os
import signal
import sys
from types import FrameType


class StopRequested(BaseException):
    """Raised in a worker by SIGTERM (and in the parent by SIGTERM as Ctrl+C): stop this report
    now, shutting its kernel down on the way out. A BaseException, so no `except Exception`
    on the way swallows it."""


def start_pool_worker() -> None:
    """A pool worker leaves Ctrl+C to the parent (no traceback per worker) and stops its report
    on SIGTERM: the kernel is shut down and the private folders go with the process."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)


def _stop(_signum: int, _frame: FrameType | None) -> None:
    # Once is enough: a second SIGTERM (the terminal's and the batch's) must not interrupt the
    # clean-up the first one started (it would surface as a traceback from a closing store).
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    # A stopped worker's report is abandoned: what its half-finished kernel start or store
    # print from here on (asyncio's "Task exception was never retrieved", for one) is noise.
    _silence_stderr()
    raise StopRequested


def _silence_stderr() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stderr.fileno())
    os.close(devnull)
