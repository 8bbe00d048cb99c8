"""The app in a real browser: Voila serves notebooks/app.ipynb, Debian's Chromium drives it.

Skipped, with the reason, only where /usr/bin/chromium is missing (.ci/run installs it).
Screenshots go to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
from server_support import ROOT, start_server, stop_process_group

from backlib.paths import CHROMIUM_ARGS
from backlib.paths import CHROMIUM_PATH as CHROMIUM

ARTIFACTS = ROOT / "test-artifacts"
# Console noise of Voila itself, not of the app.
HARMLESS_CONSOLE = ("Unsatisfied version", "setData is not a function")
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


@pytest.fixture(scope="module")
def app_store(tmp_path_factory):
    """A demo store in a temporary folder (its URL)."""
    from backlib import open_store
    from backlib.demo import make_demo

    folder = tmp_path_factory.mktemp("app")
    store_url = f"sqlite:///{folder / 'demo.db'}"
    with open_store(store_url) as store:
        make_demo(store)
    return store_url


@pytest.fixture(scope="module")
def app_url(app_store):
    """`backlib app` on the demo store, on a free port of 127.0.0.1: the address it prints,
    with its token."""
    from backlib.paths import sqlite_file

    try:
        server = start_server("app", sqlite_file(app_store).parent, app_store)
    except RuntimeError as err:
        pytest.fail(str(err))
    try:
        yield server.url
    finally:
        stop_process_group(server.process)


def sessions_of(store_url: str, patient_id: str) -> int:
    from backlib import open_store

    with open_store(store_url) as store:
        return len(store.sessions(patient_id))


def bar_patient(page, store_url: str) -> tuple[str, str]:
    """The bar's current patient (id, name), from the label it shows for them."""
    from backlib import open_store
    from backlib.widgets.patient_bar import patient_label

    # The browser shows the option's spaces as no-break spaces.
    label = page.locator(".backlib-bar-patient select option:checked").inner_text()
    label = label.replace("\xa0", " ")
    with open_store(store_url) as store:
        patients = store.patients().itertuples(index=False)
        found = [
            (p.patient_id, p.name)
            for p in patients
            if patient_label(p.patient_id, p.name, True) == label
        ]
    assert len(found) == 1, (label, found)
    return found[0]


def in_viewport(page, selector: str) -> bool:
    """True when the first visible element the selector names is wholly inside the window."""
    return page.evaluate(
        """(sel) => { const e = [...document.querySelectorAll(sel)]
             .find((x) => x.offsetParent !== null);
           if (!e) return false;
           const r = e.getBoundingClientRect();
           return r.top >= 0 && r.bottom <= window.innerHeight && r.height > 0; }""",
        selector,
    )


def routine_in_view(page) -> None:
    """Wait for a new routine's first card to be on screen (the page scrolls to it)."""
    page.wait_for_function(
        """() => { const e = document.querySelector('.backlib-routine .backlib-item');
             if (!e) return false; const r = e.getBoundingClientRect();
             return r.top >= 0 && r.top < window.innerHeight; }""",
        timeout=20_000,
    )
    page.wait_for_timeout(300)  # the scroll has settled


def enabled_buttons(page, selector: str) -> list[str]:
    """The visible, enabled buttons the selector names (their labels)."""
    return page.evaluate(
        """(sel) => [...document.querySelectorAll(sel)]
             .filter((b) => b.offsetParent !== null && !b.disabled)
             .map((b) => b.textContent.trim())""",
        selector,
    )


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
        if parsed.hostname != "127.0.0.1":  # the page loads nothing from anywhere else
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
    page.locator(".backlib-bar-patient select").select_option(index=2)  # one current patient
    page.locator(".backlib-bar-current").filter(has_text="Nothing is saved").wait_for(
        state="hidden"
    )
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
    page.locator(".backlib-bar-patient select").select_option(index=1)  # demo-1, who has one
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


def test_the_guided_session_opens_in_view_with_a_minutes_and_seconds_clock(app_page):
    page, watch = app_page
    page.locator(".backlib-generate").click()
    routine_in_view(page)
    page.locator(".backlib-guided-start").click()
    clock = page.locator(".backlib-countdown-clock")
    clock.wait_for()
    assert re.fullmatch(r"\d+:\d\d", clock.inner_text().strip()), clock.inner_text()
    page.wait_for_function(
        "() => { const r = document.querySelector('.backlib-guided').getBoundingClientRect();"
        " return r.top >= -2 && r.top < window.innerHeight / 2; }",
        timeout=10_000,
    )
    focused = page.evaluate("() => document.activeElement.className")
    assert "backlib-countdown-toggle" in focused, focused
    screenshot(page, "app-guided", max_height=1400)
    watch.check()


def unnamed_controls(page) -> dict[str, list[str]]:
    """Controls of the whole app (the tab on show, the bar, the tabs) without an accessible
    name, by role, from Playwright's accessibility snapshot."""
    snapshot = page.locator(".backlib-app").aria_snapshot()
    found = {}
    for role in ("checkbox", "slider", "combobox", "textbox", "spinbutton", "button", "tab"):
        unnamed = [
            line
            for line in snapshot.splitlines()
            if re.match(rf"\s*- {role}(\s*\[|:|$)", line) and f'{role} "' not in line
        ]
        if unnamed:
            found[role] = unnamed[:5]
    return found


def test_every_control_has_a_name_and_the_build_to_log_flow_works_by_keyboard(app_page):
    page, watch = app_page
    assert unnamed_controls(page) == {}, "Build"
    flag = page.locator(".backlib-question").first
    flag.locator("label.widget-label-basic").click()  # the words of a question tick its box
    assert flag.locator("input").is_checked()
    flag.locator("label.widget-label-basic").click()
    assert not flag.locator("input").is_checked()
    assert page.locator(".backlib-area-name").count() >= 8, "the body map names its shapes"
    # Keyboard only: a body-map area by Space, Generate by Enter, then to the Log tab.
    page.locator(".backlib-area-hips").focus()
    page.keyboard.press("Space")
    page.locator(".backlib-area-hips.selected").wait_for()
    ring = page.evaluate(
        "() => getComputedStyle(document.activeElement.firstElementChild).strokeWidth"
    )
    assert float(ring.rstrip("px")) >= 3, "a focus ring anyone can see"
    page.locator(".backlib-generate").focus()
    page.keyboard.press("Enter")
    page.locator(".backlib-routine .backlib-item").first.wait_for()
    page.locator(".lm-TabBar-tab", has_text="Log a session").focus()
    page.keyboard.press("Enter")
    page.locator(".backlib-log-row").first.wait_for()
    assert unnamed_controls(page) == {}, "Log"
    watch.check()


def test_save_is_reached_by_tab_and_pressed_by_enter(app_page, app_store):
    page, watch = app_page
    page.locator(".backlib-bar-patient select").select_option(index=2)
    patient_id, _name = bar_patient(page, app_store)
    open_tab(page, "Log a session")
    page.locator(".backlib-log-notes textarea").focus()
    before = sessions_of(app_store, patient_id)
    for _ in range(40):  # bounded: Save is a few stops after the notes
        page.keyboard.press("Tab")
        if "backlib-log-save" in page.evaluate("() => document.activeElement.className"):
            break
    else:
        pytest.fail("Save is not reachable by Tab from the notes")
    page.keyboard.press("Enter")
    page.locator(".backlib-logger .backlib-alert-success").wait_for()
    assert sessions_of(app_store, patient_id) == before + 1
    watch.check()


def test_the_log_follows_the_bar_and_a_double_click_on_save_stores_one_session(app_page, app_store):
    page, watch = app_page
    page.locator(".backlib-bar-patient select").select_option(index=2)
    patient_id, name = bar_patient(page, app_store)
    page.locator(".backlib-generate").click()
    page.locator(".backlib-routine .backlib-item").first.wait_for()
    open_tab(page, "Log a session")
    page.locator(".backlib-log-items .backlib-log-item").first.wait_for()
    followed = page.locator(".backlib-log-patient select option:checked").inner_text()
    followed = followed.replace("\xa0", " ")
    assert followed.endswith(f"({patient_id})"), (followed, patient_id)
    before = sessions_of(app_store, patient_id)
    page.locator(".backlib-log-save").dblclick()
    success = page.locator(".backlib-logger .backlib-alert-success")
    success.wait_for()
    assert f"Session saved for {name} on" in success.inner_text()
    page.wait_for_timeout(1500)  # a second save would land by now
    assert sessions_of(app_store, patient_id) == before + 1
    watch.check()


def test_a_ticked_stop_flag_shows_its_alert_in_view_and_pauses_the_programme(app_page):
    page, watch = app_page
    page.locator(".backlib-bar-patient select").select_option(index=1)  # demo-1, a programme
    page.locator(".backlib-programme-summary").filter(has_text="Programme v").wait_for()
    page.locator(".backlib-routine .backlib-item").first.wait_for()
    page.locator("[class*='backlib-redflag-'] input").first.check()  # no Generate pressed
    page.locator(".backlib-screen-alert .backlib-alert-error").wait_for()
    page.wait_for_function(
        "() => document.querySelectorAll('.backlib-routine .backlib-item').length === 0"
    )
    page.wait_for_function(
        """() => { const e = document.querySelector('.backlib-screen-alert .backlib-alert');
             const r = e.getBoundingClientRect();
             return r.top >= 0 && r.bottom <= window.innerHeight; }""",
        timeout=10_000,
    )
    focused = page.evaluate("() => document.activeElement.className")
    assert "backlib-alert" in focused, focused
    controls = ".backlib-programme button, .backlib-guided-start"
    assert enabled_buttons(page, controls) == [], "no programme Save or Start while stopped"
    assert (
        page.locator(".backlib-programme-item").count() == 0
        or not page.locator(".backlib-programme-items").is_visible()
    )
    screenshot(page, "app-stop-flag", max_height=1400)
    page.locator("[class*='backlib-redflag-'] input").first.uncheck()
    page.locator(".backlib-programme-today").wait_for(state="visible")
    assert "Today's session" in enabled_buttons(page, ".backlib-programme button")
    watch.check()


@pytest.mark.parametrize("width", [390, 1400, 2560])
def test_the_guided_controls_stay_in_view_and_its_clock_runs_on_to_the_log(browser, app_url, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    watch = PageWatch(page)
    page.goto(app_url)
    page.locator(".backlib-bar-patient select").select_option(index=2)
    page.locator(".backlib-generate").click()
    routine_in_view(page)  # the page has scrolled to it: Start is clicked where it now is
    page.locator(".backlib-guided-start").click()
    page.locator(".backlib-countdown-clock").wait_for()
    controls = (
        ".backlib-countdown-clock",
        ".backlib-countdown-toggle",
        ".backlib-guided-back",
        ".backlib-guided-skip",
        ".backlib-guided-done",
    )
    page.wait_for_function(
        """(sels) => sels.every((sel) => { const r = document.querySelector(sel)
             .getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })""",
        arg=list(controls),
        timeout=10_000,
    )
    assert not page.locator(".backlib-routine").is_visible(), "the cards give way"
    page.locator(".backlib-countdown-toggle").click()  # Start
    page.wait_for_timeout(1500)
    page.locator(".backlib-guided-done").click()
    page.locator(".backlib-guided-progress").filter(has_text="Exercise 2 of").wait_for()
    toggle = page.locator(".backlib-countdown-toggle")
    assert toggle.inner_text() == "Pause", "the session clock runs on into the next exercise"
    page.mouse.wheel(0, 800)  # down through the steps: the bar stays
    page.wait_for_timeout(300)
    assert all(in_viewport(page, selector) for selector in controls[2:])
    while page.locator(".backlib-guided-done").is_enabled():
        page.locator(".backlib-guided-done").click()
        page.wait_for_timeout(150)
    page.locator(".backlib-guided-log").click()
    page.locator(".backlib-log-items .backlib-log-item").first.wait_for()
    minutes = page.locator(".backlib-log-minutes input").input_value()
    assert minutes == "1", f"a short run logs 1 minute, not {minutes!r}"
    context.close()
    watch.check()


@pytest.mark.parametrize(("width", "name"), [(390, "phone"), (2560, "wide")])
def test_the_app_fits_a_phone_and_keeps_a_readable_width_on_a_wide_screen(
    browser, app_url, width, name
):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    page.goto(app_url)
    page.locator(".backlib-generate").wait_for(state="visible")
    page.locator(".backlib-bar-patient select").select_option(index=1)
    page.locator(".backlib-programme-summary").filter(has_text="Programme v").wait_for()
    app_width = page.evaluate("() => document.querySelector('.backlib-app').offsetWidth")
    page.locator(".backlib-generate").click()
    routine_in_view(page)  # the new routine comes into view, though a programme sits on the page
    if width == 2560:
        assert app_width <= 1200, "a maximum content width"
        boxes = page.evaluate(
            """() => Object.fromEntries(['h1', '.jp-RenderedMarkdown p', '.backlib-app']
                 .map((sel) => { const r = document.querySelector(sel).getBoundingClientRect();
                   return [sel, [r.left, r.right]]; }))"""
        )
        app_left, app_right = boxes[".backlib-app"]
        for header in ("h1", ".jp-RenderedMarkdown p"):
            left, right = boxes[header]
            assert app_left - 20 <= left and right <= app_right + 20, (header, boxes)
        open_tab(page, "Log a session")
        page.locator(".backlib-log-minutes").wait_for()
        for field in (".backlib-log-minutes", ".backlib-log-pain-before", ".backlib-log-date"):
            field_width = page.evaluate(
                "(sel) => document.querySelector(sel).getBoundingClientRect().width", field
            )
            assert field_width <= 520, (field, field_width)
    else:
        overflowing = page.evaluate(
            """() => [...document.querySelectorAll('.backlib-app *')]
                 .filter((e) => e.offsetParent !== null)
                 .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
                 .map((e) => (e.className || e.tagName) + ' ' + e.textContent.trim().slice(0, 40)
                   + ' in ' + (e.parentElement.className || ''))
                 .slice(0, 5)"""
        )
        assert not overflowing, overflowing
        cut = page.evaluate(
            """() => [...document.querySelectorAll('.backlib-app .widget-label,'
                 + ' .backlib-app .widget-button, .backlib-app .lm-TabBar-tabLabel')]
                 .filter((e) => e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1)
                 .map((e) => e.textContent.trim()).slice(0, 5)"""
        )
        assert not cut, cut
    screenshot(page, f"app-{name}", max_height=2600)
    context.close()
