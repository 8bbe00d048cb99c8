"""Bringing a part of the page into view, and the keyboard focus to it, when the kernel says so.

The kernel cannot scroll the page: a red-flag alert shown at the top of a long tab, or a routine
drawn far below the button that asked for it, would change nothing the person sees. This
invisible widget scrolls the element a CSS selector names (inside the same front-end) into view
and, when asked, moves the focus to it, so a screen reader reads it and the keyboard starts
there. The element is drawn a moment after the kernel asks, so the page waits for it (a bounded
wait).
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
function render({ model, el }) {
  el.style.display = "none";
  const LIMIT_MS = 3000;
  function reveal() {
    const selector = model.get("selector");
    if (!selector) { return; }
    const scope = el.closest(model.get("scope")) || document;
    const started = Date.now();
    function attempt() {
      const target = scope.querySelector(selector);
      const drawn = target && target.getBoundingClientRect().height > 0;
      if (!drawn) {
        if (Date.now() - started < LIMIT_MS) { requestAnimationFrame(attempt); }
        return;
      }
      target.scrollIntoView({ behavior: "auto", block: model.get("block") });
      if (model.get("focus")) {
        if (!target.hasAttribute("tabindex")) { target.setAttribute("tabindex", "-1"); }
        target.focus({ preventScroll: true });
      }
    }
    requestAnimationFrame(attempt);
  }
  model.on("change:count", reveal);
  return () => model.off("change:count", reveal);
}
export default { render };
"""


class Reveal(anywidget.AnyWidget):
    """Invisible: ``show(selector)`` scrolls that element into view (see module doc)."""

    _esm = _ESM
    selector = traitlets.Unicode("").tag(sync=True)
    # The front-end the selector is looked up in (the closest ancestor matching this).
    scope = traitlets.Unicode("body").tag(sync=True)
    focus = traitlets.Bool(False).tag(sync=True)
    block = traitlets.Unicode("start").tag(sync=True)
    # Bumped at every request: the page acts on its change, even for the same selector.
    count = traitlets.Int(0).tag(sync=True)

    def show(self, selector: str, *, focus: bool = False, block: str = "start") -> None:
        """Scroll the element ``selector`` names into view; focus it too when asked."""
        with self.hold_sync():
            self.selector, self.focus, self.block = selector, focus, block
            self.count += 1
