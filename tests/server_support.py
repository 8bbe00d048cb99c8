"""Starting `backlib app` / `backlib lab` for a test, and looking at what their processes listen on.

The servers run this checkout's backlib (PYTHONPATH), in a session of their own so a test can
stop the command, the server and every kernel at once. What a process listens on is read from
/proc: its socket inodes (/proc/PID/fd) against the LISTEN rows of /proc/net/tcp and tcp6.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVER_START_LIMIT_S = 90
# The address `backlib app` / `backlib lab` prints.
OPEN_LINE = re.compile(r"backlib (?:app|lab): open (http://\S+)")
# /proc/net/tcp's state column: 0A is LISTEN.
TCP_LISTEN = "0A"


@dataclass
class RunningServer:
    process: subprocess.Popen
    url: str  # as printed, with the token
    port: int
    log: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_environment(home: Path, store_url: str) -> dict[str, str]:
    """A user of their own (HOME) and this checkout's backlib, for the server and its kernels."""
    home.mkdir(parents=True, exist_ok=True)
    python_path = [str(ROOT), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep))]
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
        "BACKLIB_STORE": store_url,
        "PYTHONPATH": os.pathsep.join(python_path),
        # `backlib lab` sets git's output filter in its checkout: a test's server finds no
        # repository, so this checkout's config is left as it is.
        "GIT_DIR": str(home / "no-repository"),
    }
    for name in ("JUPYTER_TOKEN", "JUPYTER_TOKEN_FILE", "JUPYTER_RUNTIME_DIR"):
        env.pop(name, None)
    return env


def wait_for_address(server: RunningServer, limit_s: float = SERVER_START_LIMIT_S) -> None:
    """Wait, at most limit_s, for the printed address and for something to listen on the port."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited early with code {server.process.returncode}")
        if not server.url:
            match = OPEN_LINE.search(server.log.read_text())
            server.url = match.group(1) if match else ""
        if server.url:
            try:
                with socket.create_connection(("127.0.0.1", server.port), timeout=1):
                    return
            except OSError:
                pass
        time.sleep(0.25)
    raise TimeoutError(f"the server did not listen on port {server.port} within {limit_s} s")


def start_server(command: str, folder: Path, store_url: str) -> RunningServer:
    """`backlib <command>` (app or lab) on a free port of 127.0.0.1, its output in folder/."""
    port = free_port()
    log = folder / f"{command}.log"
    argv = [sys.executable, "-m", "backlib.cli", command, "--port", str(port), "--no-browser"]
    with log.open("w") as out:
        process = subprocess.Popen(
            argv,
            env=server_environment(folder / "home", store_url),
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
        )
    server = RunningServer(process, "", port, log)
    try:
        wait_for_address(server)
    except (RuntimeError, TimeoutError) as err:
        stop_process_group(process)
        raise RuntimeError(f"{err}\n--- log ---\n{log.read_text()[-3000:]}") from None
    return server


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop the command, its server and the kernels: the whole session started for it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def descendants(pid: int) -> list[int]:
    """Every process below pid (children, their children, ...)."""
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        parents.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        children = parents.get(todo.pop(), [])
        found += children
        todo += children
    return found


def command_line(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


KERNEL_MODULES = ("ipykernel_launcher", "backlib.private_kernel")


def kernel_pids(pid: int) -> list[int]:
    """The kernels started under pid (any Python kernel, ours or ipykernel's own)."""
    return [
        child
        for child in descendants(pid)
        if any(f"-m {module} " in command_line(child) for module in KERNEL_MODULES)
    ]


def tcp_listening_ports(pid: int) -> list[int]:
    """The TCP ports (IPv4 and IPv6) the process listens on."""
    inodes = set()
    for fd in (Path("/proc") / str(pid) / "fd").iterdir():
        with contextlib.suppress(OSError):
            target = os.readlink(fd)
            if target.startswith("socket:["):
                inodes.add(target[len("socket:[") : -1])
    ports = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            fields = row.split()
            if fields[3] == TCP_LISTEN and fields[9] in inodes:
                ports.append(int(fields[1].rsplit(":", 1)[1], 16))
    return ports
