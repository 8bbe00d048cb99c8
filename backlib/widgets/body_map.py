"""The body map: front and back outlines whose eight pain areas are clicked to select them."""

from __future__ import annotations

import html
from collections.abc import Iterable

import anywidget
import traitlets

from backlib.colours import AREA_SELECTED_FILL, AREA_SELECTED_STROKE
from backlib.constants import PAIN_AREAS
from backlib.errors import RequestError
from backlib.labels import AREA_LABELS

# Two outlines side by side in one SVG: the front view centred on x=110, the back on x=330.
_FRONT_X, _BACK_X = 110, 330
_VIEW_BOX = "0 0 440 470"


def _outline(cx: int) -> str:
    """A plain human silhouette centred on cx: head, neck, torso with arms, two legs."""
    head = f'<circle cx="{cx}" cy="38" r="24"/>'
    neck = f'<rect x="{cx - 11}" y="58" width="22" height="22" rx="6"/>'
    torso = (
        f'<path d="M{cx - 52},86 Q{cx},74 {cx + 52},86 L{cx + 58},120 L{cx + 46},210 '
        f'L{cx + 50},250 L{cx - 50},250 L{cx - 46},210 L{cx - 58},120 Z"/>'
    )
    arms = "".join(
        f'<path d="M{cx + s * 52},88 Q{cx + s * 72},96 {cx + s * 74},130 L{cx + s * 80},250 '
        f'L{cx + s * 66},252 L{cx + s * 58},140 Z"/>'
        for s in (-1, 1)
    )
    legs = "".join(
        f'<path d="M{cx + s * 4},246 L{cx + s * 50},246 L{cx + s * 42},440 L{cx + s * 12},440 Z"/>'
        for s in (-1, 1)
    )
    return f'<g class="backlib-body-outline">{head}{neck}{torso}{arms}{legs}</g>'


def _pair(shape: str, cx: int, dx: int, **attrs: int) -> str:
    """The same ellipse or rect on the left and right of the midline cx."""
    if shape == "ellipse":
        return "".join(
            f'<ellipse cx="{cx + s * dx}" cy="{attrs["cy"]}" '
            f'rx="{attrs["rx"]}" ry="{attrs["ry"]}"/>'
            for s in (-1, 1)
        )
    width = attrs["width"]
    return "".join(
        f'<rect x="{cx + s * dx - width / 2}" y="{attrs["y"]}" width="{width}" '
        f'height="{attrs["height"]}" rx="8"/>'
        for s in (-1, 1)
    )


def _area_shapes() -> dict[str, str]:
    """SVG shapes of each area; neck and shoulders show on both views, the rest on one."""
    f, b = _FRONT_X, _BACK_X
    neck = '<rect x="{x}" y="56" width="26" height="26" rx="7"/>'
    return {
        "neck": neck.format(x=f - 13) + neck.format(x=b - 13),
        "shoulders": _pair("ellipse", f, 50, cy=96, rx=20, ry=13)
        + _pair("ellipse", b, 50, cy=96, rx=20, ry=13),
        "upper_back": f'<rect x="{b - 34}" y="92" width="68" height="38" rx="8"/>',
        "mid_back": f'<rect x="{b - 34}" y="134" width="68" height="38" rx="8"/>',
        "lower_back": f'<rect x="{b - 36}" y="176" width="72" height="40" rx="8"/>',
        "hips": _pair("ellipse", f, 30, cy=236, rx=20, ry=16),
        "glutes": _pair("ellipse", b, 22, cy=240, rx=22, ry=20),
        "hamstrings": _pair("rect", b, 26, y=282, width=30, height=84),
    }


def _label_positions() -> dict[str, tuple[int, int, int]]:
    """Where each area's visible name sits (x, y, rotation), on one of its shapes."""
    f, b = _FRONT_X, _BACK_X
    return {
        "neck": (f, 72, 0),
        "shoulders": (b + 50, 99, 0),
        "upper_back": (b, 114, 0),
        "mid_back": (b, 156, 0),
        "lower_back": (b, 199, 0),
        "hips": (f + 30, 239, 0),
        "glutes": (b - 22, 243, 0),
        "hamstrings": (b - 26, 324, -90),
    }


def body_map_svg() -> str:
    """The body map as one SVG string; each area is a `<g>` with class `backlib-area-<id>`."""
    shapes = _area_shapes()
    regions = []
    for area in PAIN_AREAS:
        label = html.escape(AREA_LABELS[area])
        regions.append(
            f'<g class="backlib-area backlib-area-{area}" data-area="{area}" role="checkbox" '
            f'aria-checked="false" aria-label="{label}" tabindex="0">'
            f"{shapes[area]}<title>{label}</title></g>"
        )
    captions = (
        f'<text class="backlib-view-label" x="{_FRONT_X}" y="462">Front</text>'
        f'<text class="backlib-view-label" x="{_BACK_X}" y="462">Back</text>'
    )
    # Visible names on the shapes (the regions' aria-labels say the same to a screen reader).
    names = "".join(
        f'<text class="backlib-area-name" x="{x}" y="{y}" aria-hidden="true"'
        + (f' transform="rotate({turn} {x} {y})"' if turn else "")
        + f">{html.escape(AREA_LABELS[area])}</text>"
        for area, (x, y, turn) in _label_positions().items()
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{_VIEW_BOX}" class="backlib-body-svg" '
        f'role="group" aria-label="Body map: click the painful areas">'
        f"{_outline(_FRONT_X)}{_outline(_BACK_X)}{''.join(regions)}{names}{captions}</svg>"
    )


_ESM = """
function render({ model, el }) {
  el.classList.add("backlib-body-map");
  const holder = document.createElement("div");
  holder.innerHTML = model.get("_svg");
  const caption = document.createElement("div");
  caption.className = "backlib-body-caption";
  el.append(holder, caption);
  const labels = model.get("_labels");
  const regions = holder.querySelectorAll("[data-area]");

  function paint() {
    const chosen = new Set(model.get("value"));
    regions.forEach((region) => {
      const on = chosen.has(region.dataset.area);
      region.classList.toggle("selected", on);
      region.setAttribute("aria-checked", on ? "true" : "false");
    });
    const names = model.get("value").map((a) => labels[a] || a);
    caption.textContent = names.length
      ? "Selected: " + names.join(", ")
      : "Click the areas that hurt (front and back views).";
  }

  function toggle(area) {
    const order = model.get("_order");
    const chosen = new Set(model.get("value"));
    if (chosen.has(area)) chosen.delete(area); else chosen.add(area);
    model.set("value", order.filter((a) => chosen.has(a)));
    model.save_changes();
  }

  regions.forEach((region) => {
    region.addEventListener("click", () => toggle(region.dataset.area));
    region.addEventListener("keydown", (event) => {
      if (event.key === " " || event.key === "Enter") {
        event.preventDefault();
        toggle(region.dataset.area);
      }
    });
  });
  model.on("change:value", paint);
  paint();
  return () => model.off("change:value", paint);
}
export default { render };
"""

_CSS = """
.backlib-body-map { max-width: 420px; font-family: inherit; }
.backlib-body-map svg { width: 100%; height: auto; display: block; }
.backlib-body-outline > * { fill: #eef1f4; stroke: #9aa5b1; stroke-width: 1.5; }
.backlib-area > * { fill: #cfd8e3; fill-opacity: 0.85; stroke: #6b7c8f; stroke-width: 1.2;
  cursor: pointer; transition: fill 120ms; }
.backlib-area:hover > *, .backlib-area:focus > * { fill: #f6c38b; outline: none; }
.backlib-area.selected > * { fill: AREA_FILL; stroke: AREA_STROKE; }
.backlib-area:focus { outline: none; }
.backlib-area:focus-visible > * { stroke: #1f4fd8; stroke-width: 3.5; }
.backlib-area-name { text-anchor: middle; dominant-baseline: middle; font-size: 9px;
  fill: #102a43; pointer-events: none; }
.backlib-view-label { text-anchor: middle; font-size: 15px; fill: #52606d; }
.backlib-body-caption { margin-top: 4px; color: #323f4b; font-size: 14px; min-height: 1.4em; }
""".replace("AREA_FILL", AREA_SELECTED_FILL).replace("AREA_STROKE", AREA_SELECTED_STROKE)


def validate_areas(areas: Iterable[str]) -> list[str]:
    """The areas in the catalog's order; an unknown id raises RequestError naming it."""
    chosen = list(areas)
    unknown = [a for a in chosen if a not in PAIN_AREAS]
    if unknown:
        raise RequestError(
            f"areas: unknown pain area {unknown[0]!r}; allowed: {', '.join(PAIN_AREAS)}"
        )
    return [a for a in PAIN_AREAS if a in chosen]


class BodyMap(anywidget.AnyWidget):
    """Front and back body outlines; `value` lists the selected pain areas, kept in sync.

    The SVG and its script are inline (no CDN), so the map works offline in JupyterLab and Voila.
    """

    _esm = _ESM
    _css = _CSS
    _svg = traitlets.Unicode(body_map_svg()).tag(sync=True)
    _labels = traitlets.Dict(dict(AREA_LABELS)).tag(sync=True)
    _order = traitlets.List(list(PAIN_AREAS)).tag(sync=True)
    value = traitlets.List(traitlets.Unicode(), default_value=[]).tag(sync=True)

    def __init__(self, value: Iterable[str] = (), **kwargs) -> None:
        super().__init__(value=list(value), **kwargs)

    @traitlets.validate("value")
    def _check_value(self, proposal: traitlets.Bunch) -> list[str]:
        return validate_areas(proposal["value"])
