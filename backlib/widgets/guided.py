"""Guided mode: step through a routine in a focused panel, with a large mm:ss countdown for each
hold, set and rest, and hand what was done and the minutes measured to the session log."""

from __future__ import annotations

import html

import anywidget
import ipywidgets as widgets
import traitlets

from backlib.labels import PHASE_TITLES
from backlib.plan.routine import Routine, RoutineItem
from backlib.widgets.cards import GUIDED_FIGURE_SIZE, item_card_html
from backlib.widgets.common import stylesheet


def guided_steps(item: RoutineItem) -> list[dict[str, object]]:
    """The timed intervals of one exercise, in order, as the countdown shows them.

    They are the plan's own timed steps (``RoutineItem.timed_steps``): getting into position,
    each set and side, each hold with the time to come out of it, and the rests between sets,
    so the countdown takes exactly the seconds the routine planned for the item.
    """
    return [{"label": step.label, "seconds": step.seconds} for step in item.timed_steps()]


_ESM = """
function render({ model, el }) {
  el.classList.add("backlib-countdown");
  const label = document.createElement("div");
  label.className = "backlib-countdown-label";
  const clock = document.createElement("div");
  clock.className = "backlib-countdown-clock";
  const bar = document.createElement("progress");
  bar.className = "backlib-countdown-bar";
  const button = document.createElement("button");
  button.className = "backlib-countdown-toggle jupyter-button";
  el.append(label, clock, bar, button);

  let timer = null;
  let index = 0;
  let left = 0;
  let last = 0;

  function clockText(seconds) {
    const whole = Math.max(0, Math.ceil(seconds));
    const m = Math.floor(whole / 60), s = whole % 60;
    return m + ":" + String(s).padStart(2, "0");
  }

  function steps() { return model.get("steps") || []; }
  // A new exercise (Done, Skip, Back): its steps start from the top, and the session clock
  // keeps running if it ran (only Pause stops it), so the time between exercises counts too.
  function reset() {
    index = 0;
    left = steps().length ? steps()[0].seconds : 0;
    if (!steps().length) { stop(); }
    draw();
  }
  function draw() {
    const all = steps();
    if (!all.length) { label.textContent = "Nothing to time"; button.disabled = true; return; }
    const done = index >= all.length;
    label.textContent = done ? "Steps finished: press Done" : all[index].label;
    clock.textContent = done ? "" : clockText(left);
    bar.max = all.length;
    bar.value = Math.min(index, all.length);
    button.disabled = false;
    const started = model.get("elapsed_s") > 0;
    button.textContent = timer ? "Pause" : (started ? "Resume" : "Start");
  }
  function tick() {
    const now = Date.now();
    left -= (now - last) / 1000;
    model.set("elapsed_s", model.get("elapsed_s") + (now - last) / 1000);
    last = now;
    while (left <= 0 && index < steps().length) {
      index += 1;
      if (index < steps().length) left += steps()[index].seconds;
    }
    if (index >= steps().length && !model.get("finished")) {
      // The exercise's steps are over; the session clock runs on until Pause or the end.
      model.set("finished", true);
      model.save_changes();
    }
    draw();
  }
  // The seconds spent exercising (pauses left out) reach the kernel every second while the
  // clock runs and at every stop, so Done, Skip and the log read the time measured so far.
  const saver = setInterval(() => { if (timer) model.save_changes(); }, 1000);
  function stop() {
    if (timer) {
      tick();
      clearInterval(timer);
      timer = null;
      model.save_changes();
    }
  }
  button.addEventListener("click", () => {
    if (timer) { stop(); }
    else { last = Date.now(); timer = setInterval(tick, 200); }
    model.set("running", Boolean(timer));
    model.save_changes();
    draw();
  });
  function stepsChanged() { model.set("finished", false); reset(); }
  model.on("change:steps", stepsChanged);
  reset();
  // The guided panel comes into view with its controls in reach (it opens below the routine).
  requestAnimationFrame(() => {
    const panel = el.closest(".backlib-guided") || el;
    panel.scrollIntoView({ behavior: "auto", block: "start" });
    button.focus({ preventScroll: true });
  });
  return () => { stop(); clearInterval(saver); model.off("change:steps", stepsChanged); };
}
export default { render };
"""

_CSS = """
.backlib-countdown { padding: 2px 0; display: flex; flex-wrap: wrap; align-items: center;
  column-gap: 14px; }
.backlib-countdown-label { flex: 1 1 100%; }
.backlib-countdown-clock { font-size: 48px; font-weight: 700; line-height: 1.1;
  font-variant-numeric: tabular-nums; }
.backlib-countdown-toggle { font-size: 16px; min-width: 120px; min-height: 40px; }
.backlib-countdown-bar { width: 180px; max-width: 40vw; height: 10px; }
"""


class Countdown(anywidget.AnyWidget):
    """A browser-side countdown over a list of {label, seconds} steps, with Start and Pause.

    It runs in the page (no kernel round trip per second); `finished` turns True at the end.
    """

    _esm = _ESM
    _css = _CSS
    steps = traitlets.List(traitlets.Dict(), default_value=[]).tag(sync=True)
    # True once the current exercise's steps have all been counted down.
    finished = traitlets.Bool(False).tag(sync=True)
    # Seconds the session clock has run (pauses left out), over every exercise so far; the page
    # reports it every second while it runs and at every stop.
    elapsed_s = traitlets.Float(0.0).tag(sync=True)
    # True while the clock runs: a new exercise keeps it running, only Pause stops it.
    running = traitlets.Bool(False).tag(sync=True)


class GuidedSession(widgets.VBox):
    """One exercise at a time: a control bar (clock, Start/Pause, Back, Skip, Done) that stays
    in view, then the exercise's card.

    The session clock runs across exercises until Pause, so `minutes` is the time spent in the
    session, pauses left out. `done` maps exercise id -> what was done, in the shape
    `Store.log_session(done=...)` takes; `timed_s` the seconds the clock ran on each exercise (an
    exercise marked done while the clock stood still is not counted as timed). `finished` turns
    True after the last exercise, when a summary and *Log this session* show; that button bumps
    `log_requested`, and the app hands `done` and `minutes` to the Log tab. *Close* bumps
    `close_requested` (the builder shows the routine again).
    """

    done = traitlets.Dict()
    finished = traitlets.Bool(False)
    log_requested = traitlets.Int(0)
    close_requested = traitlets.Int(0)

    def __init__(self, routine: Routine, *, offer_log: bool = False) -> None:
        self.routine = routine
        self.offer_log = offer_log  # only where a session log can take it (the app)
        self.position = 0
        self.timed_s: dict[str, float] = {}
        self._clock_at_start = 0.0  # the session clock when the current exercise began
        self.progress = widgets.HTML()
        self.progress.add_class("backlib-guided-progress")
        self.card = widgets.HTML()
        self.card.add_class("backlib-guided-card")
        self.countdown = Countdown()
        self.done_button = widgets.Button(description="Done", button_style="success")
        self.done_button.add_class("backlib-guided-done")
        self.skip_button = widgets.Button(description="Skip")
        self.skip_button.add_class("backlib-guided-skip")
        self.back_button = widgets.Button(description="Back")
        self.back_button.add_class("backlib-guided-back")
        self.close_button = widgets.Button(
            description="Close", tooltip="Back to the routine", layout=widgets.Layout(width="auto")
        )
        self.close_button.add_class("backlib-guided-close")
        self.log_button = widgets.Button(
            description="Log this session",
            button_style="primary",
            layout=widgets.Layout(width="auto"),
        )
        self.log_button.add_class("backlib-guided-log")
        self.log_button.layout.display = "none"
        self.log_button.on_click(lambda _b: self._ask_to_log())
        self.done_button.on_click(lambda _b: self.record(completed=True))
        self.skip_button.on_click(lambda _b: self.record(completed=False))
        self.back_button.on_click(lambda _b: self.go_back())
        self.close_button.on_click(lambda _b: self._ask_to_close())
        # The page reports the clock after the last Done too: the summary follows it.
        self.countdown.observe(self._clock_moved, names="elapsed_s")
        buttons = widgets.HBox(
            [self.back_button, self.skip_button, self.done_button, self.close_button],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        buttons.add_class("backlib-guided-buttons")
        # The clock and every control in one bar at the top of the panel, kept in view while
        # the steps and the figure scroll under it.
        self.controls = widgets.VBox(
            [self.progress, self.countdown, buttons, self.log_button],
        )
        self.controls.add_class("backlib-guided-controls")
        super().__init__([stylesheet(), self.controls, self.card])
        self.add_class("backlib-guided")
        self._show()

    @property
    def current(self) -> RoutineItem | None:
        items = self.routine.items
        return items[self.position] if self.position < len(items) else None

    def _show(self) -> None:
        item = self.current
        total = len(self.routine.items)
        self.back_button.disabled = self.position == 0
        self._clock_at_start = self.countdown.elapsed_s
        if item is None:
            self.card.value = ""
            self.countdown.steps = []
            self.countdown.layout.display = "none"  # no timer left running at the end
            self.done_button.disabled = self.skip_button.disabled = True
            self.log_button.layout.display = None if self.offer_log else "none"
            self._summarise()
            self.finished = True
            return
        self.countdown.layout.display = None
        self.log_button.layout.display = "none"
        self.done_button.disabled = self.skip_button.disabled = False
        self.progress.value = html.escape(
            f"Exercise {self.position + 1} of {total} · {PHASE_TITLES[item.phase]}"
        )
        self.card.value = item_card_html(item, steps_open=True, figure_size=GUIDED_FIGURE_SIZE)
        self.countdown.steps = guided_steps(item)

    def _summarise(self) -> None:
        """The summary in words: what was done, and only the minutes the clock measured."""
        total = len(self.routine.items)
        completed = [key for key, entry in self.done.items() if entry["completed"]]
        untimed = sum(1 for key in completed if not self.timed_s.get(key))
        minutes = self.minutes
        if minutes is None:
            spent = (
                "; the clock did not run, so no minutes were measured (enter them in the log)"
                if completed
                else ""
            )
        else:
            spent = f" in {minutes_words(minutes)} on the clock"
            if untimed:
                spent += f" ({untimed} of them marked done with the clock paused)"
        log = (
            "Log it with your pain scores."
            if self.offer_log
            else "Log it with your pain scores in the session log."
        )
        self.progress.value = (
            f"<b>Session finished:</b> {len(completed)} of {total} exercises done"
            f"{html.escape(spent)}. {log}"
        )

    def _clock_moved(self, _change: dict) -> None:
        if self.current is None:
            self._summarise()

    def record(self, *, completed: bool) -> None:
        """Note the current exercise as done as prescribed, or skipped, and move on; the seconds
        the clock ran on it are kept (none when it stood still)."""
        item = self.current
        if item is None:
            return
        entry = {**item.dose(), "completed": completed, "pain_during": None}
        self.timed_s[item.exercise_id] = max(0.0, self.countdown.elapsed_s - self._clock_at_start)
        self.done = {**self.done, item.exercise_id: entry}
        self.position += 1
        self._show()

    @property
    def minutes(self) -> float | None:
        """Minutes the session clock ran (pauses left out); None when it never ran."""
        seconds = self.countdown.elapsed_s
        return seconds / 60 if seconds > 0 else None

    def log_minutes(self) -> int | None:
        """The whole minutes to log: the measured time rounded, at least 1 when the clock ran
        at all (a short session is not 0 minutes), None when it never ran."""
        minutes = self.minutes
        return None if minutes is None else max(1, round(minutes))

    def _ask_to_log(self) -> None:
        self.log_requested += 1

    def _ask_to_close(self) -> None:
        self.close_requested += 1

    def go_back(self) -> None:
        if self.position > 0:
            self.position -= 1
            self.finished = False
            self._show()


def minutes_words(minutes: float) -> str:
    """'12 min', or '40 s' under a minute (a short session is not '0 min')."""
    if minutes < 1:
        return f"{max(1, round(minutes * 60))} s"
    return f"{round(minutes)} min"
