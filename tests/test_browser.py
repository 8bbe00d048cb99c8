"""The app in a real browser: Voila serves notebooks/app.ipynb, Debian's Chromium drives it.

Skipped, with the reason, only where /usr/bin/chromium is missing (.ci/run installs it).
Screenshots go to test-artifacts/ (git-ignored).
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
from pathlib import Path
from urllib.parse import urlparse

import pytest

from backlib.paths import CHROMIUM_ARGS
from backlib.paths import CHROMIUM_PATH as CHROMIUM

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
# The one request allowed to leave the machine: Voila's FontAwesome stylesheets (pitfall 8),
# which fail fast offline and only draw icons the app does not use.
ALLOWED_REMOTE = re.compile(r"/@fortawesome/fontawesome-free@[^/]+/css/[\w.-]+\.css$")
# Console noise of Voila itself (pitfall 8), not of the app.
HARMLESS_CONSOLE = (
    "Unsatisfied version",
    "setData is not a function",
    "Failed to load resource: net::ERR_NAME_NOT_RESOLVED",
    "Failed to load resource: net::ERR_INTERNET_DISCONNECTED",
)
SERVER_START_LIMIT_S = 90
UI_TIMEOUT_MS = 60_000

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's Chromium is not installed at /usr/bin/chromium "
        "(apt-get install chromium; .ci/run does it)",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, limit_s: float) -> None:
    """Wait, at most limit_s, until something listens on 127.0.0.1:port."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early with code {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"the app did not listen on port {port} within {limit_s} s")


def stop_process_group(process: subprocess.Popen) -> None:
    """Stop `backlib app`, its Voila server and the kernels: the whole session started for it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """`backlib app` on a demo store in a temporary folder, on a free port of 127.0.0.1."""
    from backlib import open_store
    from backlib.demo import make_demo

    folder = tmp_path_factory.mktemp("app")
    store_url = f"sqlite:///{folder / 'demo.db'}"
    with open_store(store_url) as store:
        make_demo(store)
    port = free_port()
    home = folder / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "BACKLIB_STORE": store_url,
    }
    log = (folder / "app.log").open("w")
    command = [sys.executable, "-m", "backlib.cli", "app", "--port", str(port), "--no-browser"]
    process = subprocess.Popen(
        command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True
    )
    try:
        wait_for_port(port, process, SERVER_START_LIMIT_S)
        yield f"http://127.0.0.1:{port}/"
    except (RuntimeError, TimeoutError) as err:
        log.flush()
        tail = (folder / "app.log").read_text()[-3000:]
        pytest.fail(f"{err}\n--- app log ---\n{tail}")
    finally:
        stop_process_group(process)
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS)
        )
        yield chromium
        chromium.close()


class PageWatch:
    """Every request and console error of a page, to check offline use and real errors."""

    def __init__(self, page):
        self.remote: list[str] = []
        self.errors: list[str] = []
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))

    def _request(self, request):
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob", "about"):
            return
        if parsed.hostname in ("127.0.0.1", "localhost"):
            return
        if not ALLOWED_REMOTE.search(parsed.path):
            self.remote.append(request.url)

    def _console(self, message):
        if message.type == "error" and not any(h in message.text for h in HARMLESS_CONSOLE):
            self.errors.append(message.text)

    def check(self):
        assert not self.remote, f"requests left 127.0.0.1: {self.remote}"
        assert not self.errors, f"console errors: {self.errors}"


@pytest.fixture
def app_page(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    watch = PageWatch(page)
    page.goto(app_url)
    page.locator(".backlib-generate").wait_for(state="visible")
    yield page, watch
    context.close()


def screenshot(page, name: str, max_height: int = 4000) -> Path:
    """The whole app (up to max_height): Voila scrolls inside a panel, so the window grows first."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('*')].map((e) => e.scrollHeight))"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, max_height)})
    page.evaluate("() => document.querySelectorAll('*').forEach((e) => { e.scrollTop = 0; })")
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
    return path


def set_slider(page, css_class: str, value: int) -> None:
    """Type a value into an ipywidgets slider's editable readout."""
    readout = page.locator(f".{css_class} .widget-readout")
    readout.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(value))
    page.keyboard.press("Enter")
    page.wait_for_function(
        "([sel, v]) => document.querySelector(sel).textContent.trim() === String(v)",
        arg=[f".{css_class} .widget-readout", value],
    )


def total_seconds(text: str) -> int:
    match = re.search(r"Total (?:(\d+) min)?\s*(?:(\d+) s)?", text)
    assert match and (match.group(1) or match.group(2)), f"no total in {text!r}"
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def open_tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).click()


def test_two_areas_and_twenty_minutes_give_a_three_phase_routine_within_budget(app_page):
    page, watch = app_page
    page.locator(".backlib-area-hips > :first-child").click()
    page.locator(".backlib-area-lower_back.selected").wait_for()
    page.locator(".backlib-area-hips.selected").wait_for()
    set_slider(page, "backlib-minutes", 20)
    page.locator(".backlib-generate").click()
    routine = page.locator(".backlib-routine")
    for phase in ("warmup", "main", "cooldown"):
        routine.locator(f".backlib-item.backlib-phase-{phase}").first.wait_for()
    total = page.locator(".backlib-total").inner_text()
    assert total_seconds(total) <= 20 * 60, total
    assert page.locator(".backlib-handout a[download]").count() == 1
    assert page.get_by_text("not a diagnosis").first.is_visible()
    screenshot(page, "app-routine")
    screenshot(page, "app-overview", max_height=1500)  # the README's picture (docs/app.png)
    watch.check()


def test_a_red_flag_answer_shows_an_alert_and_no_routine(app_page):
    from backlib import RED_FLAGS

    page, watch = app_page
    page.locator(".backlib-generate").click()
    page.locator(".backlib-routine .backlib-item").first.wait_for()
    flag = next(iter(RED_FLAGS))
    page.locator(f".backlib-redflag-{flag} input").check()
    page.locator(".backlib-generate").click()
    page.locator(".backlib-messages .backlib-alert").first.wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('.backlib-routine .backlib-item').length === 0"
    )
    assert page.locator(".backlib-total").inner_text().strip() == ""
    screenshot(page, "app-red-flag")
    watch.check()


def test_logging_a_session_raises_the_dashboard_session_count(app_page):
    page, watch = app_page
    page.locator(".backlib-generate").click()
    page.locator(".backlib-routine .backlib-item").first.wait_for()
    open_tab(page, "Progress")
    count = page.locator(".backlib-dashboard .backlib-session-count")
    count.wait_for()
    before = int(re.search(r"\d+", count.inner_text()).group())
    open_tab(page, "Log a session")
    page.locator(".backlib-log-items .backlib-log-item").first.wait_for()
    page.locator(".backlib-log-save").click()
    page.locator(".backlib-logger .backlib-alert-success").wait_for()
    open_tab(page, "Progress")
    page.wait_for_function(
        "(n) => { const m = document.querySelector("
        "'.backlib-dashboard .backlib-session-count').textContent.match(/\\d+/);"
        " return m && Number(m[0]) === n; }",
        arg=before + 1,
    )
    page.locator(".backlib-dashboard .js-plotly-plot").first.wait_for()
    screenshot(page, "app-progress")
    watch.check()


def test_a_patient_with_a_programme_opens_on_it_and_an_edit_saves_a_new_version(app_page):
    page, watch = app_page
    page.locator(".backlib-patient select").select_option(index=1)  # demo-1, who has one
    summary = page.locator(".backlib-programme-summary")
    summary.filter(has_text="Programme v").wait_for()
    version = int(re.search(r"Programme v(\d+)", summary.inner_text()).group(1))
    page.locator(".backlib-routine .backlib-item").first.wait_for()  # today's session
    page.locator(".backlib-programme-change").nth(1).click()
    page.locator(".backlib-programme-editor").wait_for()
    screenshot(page, "app-programme", max_height=2400)
    page.locator(".backlib-programme-swap").click()
    page.get_by_text("Unsaved changes: swapped").wait_for()
    page.locator(".backlib-programme-save").click()
    summary.filter(has_text=f"Programme v{version + 1}, changed by hand").wait_for()
    assert page.locator(".backlib-programme-calendar a[download$='.ics']").count() == 1
    open_tab(page, "Progress")
    page.locator(".backlib-programme-history").filter(has_text=f"v{version + 1}").wait_for()
    watch.check()
