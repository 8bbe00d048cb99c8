"""Reading drawn figures back: the body's segments and props as the SVG gives them."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_PATH = re.compile(
    r'<path data-part="(?P<name>[a-z_]+)" d="M(?P<x0>-?[\d.]+) (?P<y0>-?[\d.]+)'
    r'L(?P<x1>-?[\d.]+) (?P<y1>-?[\d.]+)" stroke="[^"]+" stroke-width="(?P<w>[\d.]+)"'
)
_CIRCLE = re.compile(
    r'<circle data-part="(?P<name>[a-z_]+)" cx="(?P<x>-?[\d.]+)" cy="(?P<y>-?[\d.]+)" '
    r'r="(?P<r>[\d.]+)"'
)
_VIEWBOX = re.compile(r'viewBox="(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+)" width="(\d+)"')


@dataclass(frozen=True)
class Drawn:
    """A still figure as drawn: segment ends (height up) and radii, and pixels per unit."""

    ends: dict[str, tuple[tuple[float, float], tuple[float, float], float]]
    blobs: dict[str, tuple[float, float, float]]
    px_per_unit: float

    def length(self, name: str) -> float:
        (x0, y0), (x1, y1), _ = self.ends[name]
        return math.hypot(x1 - x0, y1 - y0)

    def lowest(self, names: tuple[str, ...] | None = None) -> float:
        """The height of the lowest drawn surface (of the named parts only, when given)."""
        heights = [
            min(y0, y1) - radius
            for name, ((_, y0), (_, y1), radius) in self.ends.items()
            if names is None or name in names
        ]
        heights += [
            y - r for name, (_, y, r) in self.blobs.items() if names is None or name in names
        ]
        return min(heights)


def read_figure(svg: str) -> Drawn:
    """The body parts of a still figure's SVG, heights upward (the SVG's y is downward)."""
    ends = {
        m["name"]: (
            (float(m["x0"]), -float(m["y0"])),
            (float(m["x1"]), -float(m["y1"])),
            float(m["w"]) / 2,
        )
        for m in _PATH.finditer(svg)
    }
    blobs = {
        m["name"]: (float(m["x"]), -float(m["y"]), float(m["r"])) for m in _CIRCLE.finditer(svg)
    }
    box = _VIEWBOX.search(svg)
    assert box is not None
    return Drawn(ends, blobs, float(box[5]) / float(box[3]))


def seat_height(svg: str) -> float | None:
    found = re.search(r'data-prop="chair" data-seat="(-?[\d.]+)"', svg)
    return None if found is None else float(found[1])
