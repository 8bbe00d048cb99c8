"""Names for the controls ipywidgets leaves unnamed for a screen reader.

An ipywidgets slider draws its label beside the handle, but the handle (``role="slider"``)
carries no accessible name. This invisible widget gives each slider handle on the page the
text of its own label, now and whenever the page changes.
"""

from __future__ import annotations

import anywidget

_ESM = """
function render({ el }) {
  el.style.display = "none";
  function name() {
    document.querySelectorAll(".widget-slider").forEach((widget) => {
      const label = widget.querySelector(".widget-label");
      const text = label ? label.textContent.trim() : "";
      widget.querySelectorAll('[role="slider"]').forEach((handle) => {
        if (text && handle.getAttribute("aria-label") !== text) {
          handle.setAttribute("aria-label", text);
        }
      });
    });
  }
  name();
  const watch = new MutationObserver(name);
  watch.observe(document.body, { childList: true, subtree: true });
  return () => watch.disconnect();
}
export default { render };
"""


class SliderNames(anywidget.AnyWidget):
    """Invisible: names every slider handle on the page after its label (see module doc)."""

    _esm = _ESM
