"""Speed a person feels in the app, measured in Debian's Chromium against Voila on 127.0.0.1.

1. From requesting the app to a usable Generate button, against Voila rendering an empty
   notebook with the same flags on the same machine (target: at most 2x).
2. From clicking Generate to the routine shown on the page (target: at most 300 ms).

Run with `make bench` (or `.venv/bin/python benchmarks/bench_app.py`); it prints both figures.
"""

from __future__ import annotations

import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backlib.paths import CHROMIUM_ARGS, CHROMIUM_PATH  # noqa: E402
from backlib.serving import (  # noqa: E402
    new_token,
    private_runtime_dir,
    server_environment,
    voila_command,
)

RUNTIME_DIRS: list[Path] = []  # the servers' runtime folders, removed when they stop
PAGE_LOADS = 3  # each page view starts a kernel: a few are enough on 2 shared cores
CLICKS = 7
START_LIMIT_S = 90
LOAD_TARGET_RATIO = 2.0
CLICK_TARGET_MS = 300.0

# Waits until Generate is enabled (the previous plan is over), clears the routine on the page only,
# clicks Generate, and resolves with the milliseconds until cards are drawn again.
_CLICK_TO_ROUTINE_JS = """
() => new Promise((resolve, reject) => {
  const button = document.querySelector('.backlib-generate');
  const view = document.querySelector('.backlib-routine');
  const content = view.querySelector('.widget-html-content') || view;
  function measure() {
    if (button.disabled) { setTimeout(measure, 20); return; }
    content.innerHTML = '';
    const t0 = performance.now();
    const observer = new MutationObserver(() => {
      if (view.querySelector('.backlib-item')) {
        observer.disconnect();
        resolve(performance.now() - t0);
      }
    });
    observer.observe(view, { childList: true, subtree: true });
    setTimeout(() => { observer.disconnect(); reject(new Error('no routine in 10 s')); }, 10000);
    button.click();
  }
  measure();
})
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(notebook: Path, env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    """Voila on a free port of 127.0.0.1 with the app's flags and a token, as `backlib app`
    serves it; waits (bounded) for the port."""
    port = free_port()
    # An owner-only runtime folder (0700) with a short path: the kernels' IPC socket paths
    # must stay under the 107 characters a Unix socket address allows. Removed in stop().
    token, runtime = new_token(), private_runtime_dir("bench")
    RUNTIME_DIRS.append(runtime)
    command = voila_command("127.0.0.1", port, runtime_dir=runtime)
    command[3] = str(notebook)
    env = server_environment(env["BACKLIB_STORE"], token, runtime, base=env)
    process = subprocess.Popen(command, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + START_LIMIT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"voila exited early; see {log}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, f"http://127.0.0.1:{port}/?token={token}"
        except OSError:
            time.sleep(0.25)
    process.terminate()
    raise SystemExit(f"voila did not listen within {START_LIMIT_S} s; see {log}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    while RUNTIME_DIRS:
        shutil.rmtree(RUNTIME_DIRS.pop(), ignore_errors=True)


def time_loads(browser, url: str, selector: str) -> list[float]:
    """Seconds from page.goto to the selector visible and enabled, once per fresh page."""
    times = []
    for _ in range(PAGE_LOADS):
        time.sleep(3)  # let Voila refill its preheated kernel, as between two real visitors
        page = browser.new_page()
        start = time.perf_counter()
        page.goto(url)
        page.locator(selector).first.wait_for(state="visible", timeout=60_000)
        page.wait_for_function(
            "(s) => { const e = document.querySelector(s); return e && !e.disabled; }",
            arg=selector,
            timeout=60_000,
        )
        times.append(time.perf_counter() - start)
        page.close()
    return times


def main() -> int:
    from playwright.sync_api import sync_playwright

    from backlib import open_store
    from backlib.demo import make_demo

    if not CHROMIUM_PATH.exists():
        print(f"bench_app: skipped, {CHROMIUM_PATH} is not installed (apt-get install chromium)")
        return 0
    with tempfile.TemporaryDirectory(prefix="backlib-bench-") as tmp:
        folder = Path(tmp)
        store_url = f"sqlite:///{folder / 'demo.db'}"
        with open_store(store_url) as store:
            make_demo(store)
        empty = folder / "empty.ipynb"
        notebook = nbformat.v4.new_notebook()
        notebook.cells = [nbformat.v4.new_markdown_cell("# An empty notebook")]
        nbformat.write(notebook, empty)
        (folder / "home").mkdir()
        env = {
            **os.environ,
            "HOME": str(folder / "home"),
            "JUPYTER_RUNTIME_DIR": str(folder / "home" / "runtime"),
            "BACKLIB_STORE": store_url,
        }
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM_PATH), args=list(CHROMIUM_ARGS)
            )
            server, url = serve(empty, env, folder / "empty.log")
            try:
                empty_times = time_loads(browser, url, "h1")
            finally:
                stop(server)
            server, url = serve(ROOT / "notebooks" / "app.ipynb", env, folder / "app.log")
            try:
                app_times = time_loads(browser, url, ".backlib-generate")
                page = browser.new_page()
                page.goto(url)
                page.locator(".backlib-generate").wait_for(state="visible", timeout=60_000)
                # One routine first: the kernel connection is then surely up.
                page.locator(".backlib-generate").click(timeout=60_000)
                page.locator(".backlib-routine .backlib-item").first.wait_for(timeout=60_000)
                clicks = [page.evaluate(_CLICK_TO_ROUTINE_JS) for _ in range(CLICKS)]
                page.close()
            finally:
                stop(server)
            browser.close()

    empty_s, app_s = statistics.median(empty_times), statistics.median(app_times)
    ratio = app_s / empty_s
    click_ms = statistics.median(clicks)
    print(
        f"app load: request -> usable Generate button  median {app_s:.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in app_times)})"
    )
    print(
        f"baseline: Voila rendering an empty notebook  median {empty_s:.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in empty_times)})"
    )
    verdict = "ok" if ratio <= LOAD_TARGET_RATIO else "OVER TARGET"
    print(f"ratio app / empty: {ratio:.2f}x (target <= {LOAD_TARGET_RATIO:.0f}x) {verdict}")
    verdict = "ok" if click_ms <= CLICK_TARGET_MS else "OVER TARGET"
    print(
        f"click Generate -> routine shown: median {click_ms:.0f} ms, max {max(clicks):.0f} ms "
        f"over {CLICKS} clicks (target <= {CLICK_TARGET_MS:.0f} ms) {verdict}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
