"""Serving the workbook on this machine, for its owner only: the Voila app and JupyterLab.

Each server gets a random token, which only the printed address holds (it reaches the server
through its environment, never its command line, so `ps` does not show it); its kernels talk
over Unix sockets in a folder only this user can enter, not over TCP ports any local user could
reach; and the Voila page comes from a template of ours that loads nothing from outside.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from backlib.paths import JUPYTER_DATA_DIR, NOTEBOOKS_DIR, STORE_ENV
from backlib.private_files import socket_folder

APP_NOTEBOOK = "app.ipynb"
DEFAULT_APP_PORT = 8866
DEFAULT_LAB_PORT = 8888
# jupyter_server's IdentityProvider reads its token from here when no config sets one.
TOKEN_ENV = "JUPYTER_TOKEN"
# The Voila template shipped in the package: Voila's lab page without its CDN stylesheets.
VOILA_TEMPLATE = "backlib"
# Kernels over Unix sockets (beside their connection files), never TCP ports.
IPC_KERNELS = "--KernelManager.transport=ipc"
# Kernels of closed pages (~150 MB each) are shut down after this long without a connection.
CULL_IDLE_TIMEOUT_S = 60
CULL_INTERVAL_S = 10
APP_KERNEL_MANAGER = "backlib.app_kernels.AppKernelManager"


@dataclass(frozen=True)
class Server:
    """A server to start: its command line (no secrets in it) and its environment."""

    name: str
    command: list[str]
    env: dict[str, str]
    url: str
    runtime_dir: Path


def new_token() -> str:
    """A random token (256 bits, URL-safe) that a request must carry."""
    return secrets.token_urlsafe(32)


def private_runtime_dir(prefix: str) -> Path:
    """A new folder only this user can enter (mkdtemp makes it 0700): the server's runtime
    folder, where its kernels' connection files and sockets live."""
    return socket_folder(f"backlib-{prefix}-")


def server_environment(
    store_url: str, token: str, runtime_dir: Path, base: Mapping[str, str] | None = None
) -> dict[str, str]:
    """The server's environment: the store, the token and the private runtime folder."""
    env = dict(os.environ if base is None else base)
    env.pop("JUPYTER_TOKEN_FILE", None)
    paths = [str(JUPYTER_DATA_DIR), *filter(None, env.get("JUPYTER_PATH", "").split(os.pathsep))]
    env.update(
        {
            STORE_ENV: store_url,
            TOKEN_ENV: token,
            "JUPYTER_RUNTIME_DIR": str(runtime_dir),
            "JUPYTER_PATH": os.pathsep.join(paths),
        }
    )
    return env


def voila_command(
    host: str, port: int, no_browser: bool = True, runtime_dir: Path | None = None
) -> list[str]:
    """Voila serving the app notebook, with the flags measured as needed on these machines."""
    command = [
        sys.executable,
        "-m",
        "voila",
        str(NOTEBOOKS_DIR / APP_NOTEBOOK),
        f"--Voila.ip={host}",
        f"--port={port}",
        "--Voila.port_retries=0",  # the printed address must be the real one
        "--show_tracebacks=False",  # errors in plain words, no code in the app
        "--theme=light",
        f"--template={VOILA_TEMPLATE}",  # found on the JUPYTER_PATH server_environment sets
        # Without it Voila ignores $JUPYTER_TOKEN and serves anyone; with it, the token is read
        # from there (a generated one when unset).
        "--Voila.auto_token=True",
        IPC_KERNELS,
        # One kernel per page view stays alive after the tab closes unless culled; ours starts
        # a kernel's idle clock when it leaves the preheated pool, so the page it was handed to
        # is never left with a culled kernel (the clock otherwise runs from the notebook's run).
        f"--VoilaConfiguration.multi_kernel_manager_class={APP_KERNEL_MANAGER}",
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_TIMEOUT_S}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_S}",
        # A kernel with its page still open is never culled, however long it idles.
        "--MappingKernelManager.cull_connected=False",
        # A kernel that has already run the notebook: widgets show in ~3 s instead of ~5 s.
        "--preheat_kernel=True",
        "--pool_size=1",
    ]
    if runtime_dir is not None:
        # Voila keeps its kernels' connection files in a new folder under this one (/tmp else).
        command.append(f"--Voila.connection_dir_root={runtime_dir}")
    if no_browser:
        command.append("--no-browser")
    return command


def lab_command(host: str, port: int, no_browser: bool = True) -> list[str]:
    """JupyterLab on the notebooks folder; its token comes from the environment."""
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--notebook-dir={NOTEBOOKS_DIR}",
        f"--ServerApp.ip={host}",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # the printed address must be the real one
        IPC_KERNELS,
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")  # JupyterLab refuses to run as root without it
    if no_browser:
        command.append("--no-browser")
    return command


def app_server(host: str, port: int | None, store_url: str, *, no_browser: bool) -> Server:
    """The Voila app on host:port over the store, with a new token and runtime folder."""
    port = port or DEFAULT_APP_PORT
    token, runtime_dir = new_token(), private_runtime_dir("app")
    return Server(
        name="app",
        command=voila_command(host, port, no_browser, runtime_dir),
        env=server_environment(store_url, token, runtime_dir),
        url=f"http://{host}:{port}/?token={token}",
        runtime_dir=runtime_dir,
    )


def lab_server(host: str, port: int | None, store_url: str, *, no_browser: bool) -> Server:
    """JupyterLab on host:port over the store, with a new token and runtime folder."""
    port = port or DEFAULT_LAB_PORT
    token, runtime_dir = new_token(), private_runtime_dir("lab")
    return Server(
        name="lab",
        command=lab_command(host, port, no_browser),
        env=server_environment(store_url, token, runtime_dir),
        url=f"http://{host}:{port}/lab?token={token}",
        runtime_dir=runtime_dir,
    )


def serve(server: Server) -> int:
    """Run the server until it exits or Ctrl+C; stopping this process stops it (and its
    kernels) too, and its runtime folder is removed."""
    try:
        process = subprocess.Popen(server.command, env=server.env)
        signal.signal(signal.SIGTERM, lambda _signum, _frame: process.terminate())
        try:
            return process.wait()
        except KeyboardInterrupt:  # Ctrl+C is how a server is meant to be stopped
            process.terminate()
            process.wait()
            print(f"backlib {server.name}: stopped", flush=True)
            return 0
    finally:
        shutil.rmtree(server.runtime_dir, ignore_errors=True)
