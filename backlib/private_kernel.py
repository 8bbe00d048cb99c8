"""The workbook servers' Python kernel: ipykernel without the one TCP port it opens itself.

Over IPC transport a kernel's five channels are Unix sockets in an owner-only folder, but
ipykernel still binds a TCP port of 127.0.0.1 (any local user may connect) to collect output
printed by processes the kernel forks. The workbook forks none, so this kernel goes without:
output of a forked child is dropped instead of forwarded. The debugger, which would listen on
TCP too, is switched off in this kernel's spec (``jupyter_data/kernels/python3``), and debugpy
is not even imported: ipykernel loads it at every start when it is installed (0.1-0.2 s of each
report kernel's start), and this kernel never runs it.
"""

from __future__ import annotations

import sys

# Before ipykernel: its debugger module then finds no debugpy and the kernel starts without one.
sys.modules.setdefault("debugpy", None)

from ipykernel import iostream  # noqa: E402
from ipykernel.kernelapp import launch_new_instance  # noqa: E402


def _no_subprocess_pipe(thread: iostream.IOPubThread) -> None:
    # What IOPubThread(pipe=False) does; ipykernel's kernel app always asks for the pipe.
    thread._pipe_flag = False


def main() -> None:
    """Start the kernel (the spec runs ``python -m backlib.private_kernel -f FILE``)."""
    iostream.IOPubThread._setup_pipe_in = _no_subprocess_pipe
    launch_new_instance()


if __name__ == "__main__":
    main()
