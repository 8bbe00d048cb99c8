"""The servers on this machine are for their owner only: a token, and kernels without TCP ports.

`backlib app` (Voila) and `backlib lab` (JupyterLab) run for real here, on a free port of
127.0.0.1: a request without the printed token is refused, one with it is served, and the
kernels talk over Unix sockets in an owner-only folder, listening on no TCP port at all.
"""

from __future__ import annotations

import json
import shutil
import stat
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from server_support import (
    command_line,
    free_port,
    kernel_pids,
    server_environment,
    start_server,
    stop_process_group,
    tcp_listening_ports,
)

pytestmark = pytest.mark.slow

KERNEL_WAIT_S = 60


def _get(url: str, *, method: str = "GET", headers: dict | None = None):
    """(status, body, Location) of one request, redirects not followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, method=method, headers=headers or {}, data=None)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode(), response.headers.get("Location")
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode(errors="replace"), err.headers.get("Location")


def _without_token(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _token(url: str) -> str:
    return urlsplit(url).query.removeprefix("token=")


def _kernels_of(server, count: int = 1) -> list[int]:
    """The server's kernels once at least `count` have started (bounded wait)."""
    deadline = time.monotonic() + KERNEL_WAIT_S
    while time.monotonic() < deadline:
        pids = kernel_pids(server.process.pid)
        if len(pids) >= count:
            time.sleep(1)  # let the last one bind its sockets
            return kernel_pids(server.process.pid)
        time.sleep(0.5)
    raise TimeoutError(f"fewer than {count} kernel(s) after {KERNEL_WAIT_S} s")


def _assert_private_ipc_kernel(pid: int) -> None:
    assert tcp_listening_ports(pid) == [], f"kernel {pid} listens on TCP"
    command = command_line(pid)
    assert "-m backlib.private_kernel " in command, command
    connection_file = Path(command.split(" -f ", 1)[1].split()[0])
    info = json.loads(connection_file.read_text())
    assert info["transport"] == "ipc"
    assert Path(info["ip"]).parent == connection_file.parent
    # In the server's own runtime folder (backlib-app-*/voila_*/ or backlib-lab-*/), 0700.
    assert any(part.startswith(("backlib-app-", "backlib-lab-")) for part in connection_file.parts)
    folder = connection_file.parent
    assert stat.S_IMODE(folder.stat().st_mode) & 0o077 == 0, f"{folder} is not owner-only"


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory):
    from backlib import open_store
    from backlib.demo import make_demo

    folder = tmp_path_factory.mktemp("store")
    url = f"sqlite:///{folder / 'demo.db'}"
    with open_store(url) as store:
        make_demo(store, patients=1, weeks=2)
    return url


@pytest.fixture(scope="module")
def app(tmp_path_factory, demo_store):
    server = start_server("app", tmp_path_factory.mktemp("app"), demo_store)
    yield server
    stop_process_group(server.process)


@pytest.fixture(scope="module")
def lab(tmp_path_factory, demo_store):
    server = start_server("lab", tmp_path_factory.mktemp("lab"), demo_store)
    yield server
    stop_process_group(server.process)


def test_the_app_prints_an_address_with_a_long_random_token(app):
    assert app.url.startswith(f"http://127.0.0.1:{app.port}/?token=")
    assert len(_token(app.url)) >= 40


def test_the_app_refuses_a_request_without_the_token_and_serves_one_with_it(app):
    status, _body, location = _get(_without_token(app.url))
    assert status == 302 and "/login" in location, (status, location)
    status, _body, location = _get(_without_token(app.url) + "?token=not-the-token")
    assert status == 302 and "/login" in location, (status, location)
    status, body, _ = _get(app.url)
    assert status == 200 and "backlib" in body.lower()


def test_the_token_is_not_on_any_command_line(app):
    token = _token(app.url)
    for pid in [app.process.pid, *kernel_pids(app.process.pid)]:
        assert token not in command_line(pid)


def test_after_a_page_view_the_app_kernels_use_private_unix_sockets_and_no_tcp_port(app):
    status, _body, _ = _get(app.url)  # a page view: the notebook runs in a kernel
    assert status == 200
    pids = _kernels_of(app, count=2)  # the one that ran the page, and the pool's next one
    for pid in pids:
        _assert_private_ipc_kernel(pid)


def test_the_page_links_nothing_outside_the_machine(app):
    _status, body, _ = _get(app.url)
    assert "fontawesome" not in body and "cdn.jsdelivr.net" not in body
    assert "cdnjs.cloudflare.com" not in body


def test_lab_refuses_requests_without_its_token(lab):
    assert lab.url.startswith(f"http://127.0.0.1:{lab.port}/lab?token=")
    base = f"http://127.0.0.1:{lab.port}"
    status, _body, _ = _get(f"{base}/api/kernels")
    assert status == 403
    status, _body, _ = _get(f"{base}/api/kernels?token=not-the-token")
    assert status == 403
    status, body, _ = _get(f"{base}/api/kernels?token={_token(lab.url)}")
    assert status == 200 and json.loads(body) == []


def test_lab_kernels_use_private_unix_sockets_and_no_tcp_port(lab):
    base = f"http://127.0.0.1:{lab.port}"
    headers = {"Authorization": f"token {_token(lab.url)}", "Content-Type": "application/json"}
    request = urllib.request.Request(
        f"{base}/api/kernels", method="POST", headers=headers, data=b'{"name": "python3"}'
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        kernel = json.loads(response.read())
    try:
        (pid,) = _kernels_of(lab)
        _assert_private_ipc_kernel(pid)
    finally:
        _get(f"{base}/api/kernels/{kernel['id']}", method="DELETE", headers=headers)


# The culler, for real but quickly: a 5 s timeout checked every second.
SHORT_CULL = (
    "--MappingKernelManager.cull_idle_timeout=5",
    "--MappingKernelManager.cull_interval=1",
)
POOL_IDLE_S = 20  # the preheated kernel waits four timeouts before a page asks for it


def test_a_page_opened_after_its_preheated_kernel_idled_past_the_cull_timeout_is_live(
    tmp_path, demo_store
):
    """Voila's culler once shut down the kernel just handed to a page (idle since it ran the
    notebook in the pool) before the browser connected: a dead page. It must work."""
    # Playwright is imported here, at test time: optional, for this one test in this module.
    from playwright.sync_api import sync_playwright

    from backlib import serving
    from backlib.paths import CHROMIUM_ARGS, CHROMIUM_PATH

    if not CHROMIUM_PATH.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium")
    port = free_port()
    server = serving.app_server("127.0.0.1", port, demo_store, no_browser=True)
    command = [arg for arg in server.command if "cull_i" not in arg] + list(SHORT_CULL)
    env = server_environment(tmp_path / "home", demo_store)
    # What `backlib app` adds to its environment: the store, the token, the runtime folder.
    env.update(
        {
            key: server.env[key]
            for key in ("BACKLIB_STORE", "JUPYTER_TOKEN", "JUPYTER_RUNTIME_DIR", "JUPYTER_PATH")
        }
    )
    log = tmp_path / "voila.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 90
        while "is filled with 1 kernel" not in log.read_text():
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.5)
        time.sleep(POOL_IDLE_S)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM_PATH), args=list(CHROMIUM_ARGS)
            )
            page = browser.new_page()
            page.set_default_timeout(60_000)
            page.goto(server.url)
            page.locator(".backlib-generate").wait_for(state="visible")
            page.wait_for_timeout(8_000)  # past the timeout again, the page connected
            page.locator(".backlib-generate").click()
            page.locator(".backlib-routine .backlib-item").first.wait_for(timeout=20_000)
            browser.close()
        assert "Culling 'idle' kernel" not in log.read_text().split("Using pre-heated")[1]
    finally:
        stop_process_group(process)
        shutil.rmtree(server.runtime_dir, ignore_errors=True)
