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
  function reset() {
    stop();
    index = 0;
    left = steps().length ? steps()[0].seconds : 0;
    draw();
  }
  function draw() {
    const all = steps();
    if (!all.length) { label.textContent = "Nothing to time"; button.disabled = true; return; }
    const done = index >= all.length;
    label.textContent = done ? "Finished: well done" : all[index].label;
    clock.textContent = done ? "" : clockText(left);
    bar.max = all.length;
    bar.value = Math.min(index, all.length);
    button.disabled = done;
    const started = index > 0 || left < all[0].seconds;
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
    if (index >= steps().length) {
      stop();
      model.set("finished", true);
      model.save_changes();
    }
    draw();
  }
  // The seconds spent exercising (pauses left out) reach the kernel every few seconds and at
  // each pause, not at every tick, so the log gets the measured minutes.
  const saver = setInterval(() => { if (timer) model.save_changes(); }, 5000);
  function stop() { if (timer) { clearInterval(timer); timer = null; } }
  button.addEventListener("click", () => {
    if (timer) { stop(); model.save_changes(); }
    else { last = Date.now(); timer = setInterval(tick, 200); }
    draw();
  });
  model.on("change:steps", reset);
  reset();
  // The guided panel comes into view with its controls in reach (it opens below the routine).
  requestAnimationFrame(() => {
    const panel = el.closest(".backlib-guided") || el;
    panel.scrollIntoView({ behavior: "smooth", block: "start" });
    button.focus({ preventScroll: true });
  });
  return () => { stop(); clearInterval(saver); model.off("change:steps", reset); };
}
export default { render };
"""

_CSS = """
.backlib-countdown { padding: 8px 0; }
.backlib-countdown-clock { font-size: 56px; font-weight: 700; font-variant-numeric: tabular-nums; }
.backlib-countdown-toggle { font-size: 16px; min-width: 120px; min-height: 40px; }
.backlib-countdown-bar { width: 260px; height: 10px; display: block; margin: 4px 0 8px; }
"""


class Countdown(anywidget.AnyWidget):
    """A browser-side countdown over a list of {label, seconds} steps, with Start and Pause.

    It runs in the page (no kernel round trip per second); `finished` turns True at the end.
    """

    _esm = _ESM
    _css = _CSS
    steps = traitlets.List(traitlets.Dict(), default_value=[]).tag(sync=True)
    finished = traitlets.Bool(False).tag(sync=True)
    # Seconds the countdown has run (pauses left out), kept up to date by the page.
    elapsed_s = traitlets.Float(0.0).tag(sync=True)


class GuidedSession(widgets.VBox):
    """One exercise at a time: its card, a countdown, and Done / Skip / Back.

    `done` maps exercise id -> what was done, in the shape `Store.log_session(done=...)` takes;
    `finished` turns True after the last exercise, when a summary and *Log this session* show;
    that button bumps `log_requested`, and the app hands `done` and `minutes` to the Log tab.
    """

    done = traitlets.Dict()
    finished = traitlets.Bool(False)
    log_requested = traitlets.Int(0)

    def __init__(self, routine: Routine, *, offer_log: bool = False) -> None:
        self.routine = routine
        self.offer_log = offer_log  # only where a session log can take it (the app)
        self.position = 0
        self.progress = widgets.HTML()
        self.progress.add_class("backlib-guided-progress")
        self.card = widgets.HTML()
        self.countdown = Countdown()
        self.done_button = widgets.Button(description="Done", button_style="success")
        self.done_button.add_class("backlib-guided-done")
        self.skip_button = widgets.Button(description="Skip")
        self.skip_button.add_class("backlib-guided-skip")
        self.back_button = widgets.Button(description="Back")
        self.back_button.add_class("backlib-guided-back")
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
        super().__init__(
            [
                stylesheet(),
                self.progress,
                self.card,
                self.countdown,
                widgets.HBox([self.back_button, self.skip_button, self.done_button]),
                self.log_button,
            ]
        )
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
        if item is None:
            completed = sum(1 for entry in self.done.values() if entry["completed"])
            minutes = self.minutes
            spent = f" in {minutes:.0f} min" if minutes else ""
            self.progress.value = (
                f"<b>Session finished:</b> {completed} of {total} exercises done{spent}. "
                + (
                    "Log it with your pain scores."
                    if self.offer_log
                    else "Log it with your pain scores in the session log."
                )
            )
            self.card.value = ""
            self.countdown.steps = []
            self.countdown.layout.display = "none"  # no timer left running at the end
            self.done_button.disabled = self.skip_button.disabled = True
            self.log_button.layout.display = None if self.offer_log else "none"
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

    def record(self, *, completed: bool) -> None:
        """Note the current exercise as done as prescribed, or skipped, and move on."""
        item = self.current
        if item is None:
            return
        entry = {**item.dose(), "completed": completed, "pain_during": None}
        self.done = {**self.done, item.exercise_id: entry}
        self.position += 1
        self._show()

    @property
    def minutes(self) -> float | None:
        """Minutes the countdown ran (pauses left out); None when it was never started."""
        seconds = self.countdown.elapsed_s
        return seconds / 60 if seconds > 0 else None

    def _ask_to_log(self) -> None:
        self.log_requested += 1

    def go_back(self) -> None:
        if self.position > 0:
            self.position -= 1
            self.finished = False
            self._show()
