"""Exercise figures as self-contained SVG: a still keyframe, or the movement animated with SMIL.

The SVG carries everything it shows (no script, no stylesheet or image from elsewhere), so it
works in the app, in a printed handout and in an offline report alike. The body part an
exercise works is drawn in the body map's colour with white dashes along it, so it still stands
out printed in black and white; the limbs on the far side are paler than the near ones.
"""

from __future__ import annotations

import functools
import math
from html import escape

from backlib.catalog import Catalog, Exercise
from backlib.colours import AREA_SELECTED_FILL
from backlib.errors import PoseError
from backlib.figures.geometry import SEGMENTS, Segment, Vec, point
from backlib.figures.motion import samples
from backlib.figures.poses import ExercisePose, Keyframe, packaged_poses
from backlib.figures.scene import Props, facing_sign, fit_props, place, place_keyframe
from backlib.labels import AREA_LABELS
from backlib.plan.request import resolve_catalog

DEFAULT_SIZE = 160
SVG_NS = "http://www.w3.org/2000/svg"
NEAR = "#2b3640"
FAR = "#97a3af"
FAR_WORKING = "#eaa29f"
PROP = "#6d5c4b"
PROP_FILL = "#e7ddd0"
FLOOR = "#444444"
MAT_FILL = "#c5d3df"
BAND = "#1d7a4c"
WATER = "#3d8fd1"
PAD = 4.0


def exercise_svg(
    exercise_id: str,
    *,
    frame: int | str | None = None,
    animate: bool = False,
    size: int = DEFAULT_SIZE,
    mirror: bool = False,
    catalog: Catalog | None = None,
) -> str:
    """The figure of an exercise as one self-contained SVG element.

    Parameters
    ----------
    exercise_id
        A catalog id with poses in the pose file.
    frame
        A keyframe (its index or name) to draw still; None draws the last keyframe, the
        position the exercise moves into.
    animate
        Move through every keyframe and back at the exercise's pace, for ever (SMIL, no script);
        ``frame`` is then ignored.
    size
        The drawing's width in CSS pixels; its height follows the figure's shape.
    mirror
        Draw the other side of a per-side exercise (the figure seen as in a mirror).
    catalog
        Where the exercise's name, areas and pace come from; None means the packaged catalog.

    Returns
    -------
    str
        An ``<svg>`` element with a ``<title>`` (the exercise's name) and a ``<desc>`` and
        ``aria-label`` saying the pose in words.

    Raises
    ------
    PoseError
        For an exercise without poses, or a keyframe it does not have, naming them.
    """
    cat = resolve_catalog(catalog)
    if exercise_id not in cat:
        raise PoseError(f"exercise {exercise_id!r} is not in the catalog", exercise_id=exercise_id)
    return _exercise_svg(cat[exercise_id], frame, animate, size, mirror, True)


def exercise_figure(
    exercise: Exercise,
    *,
    frame: int | str | None = None,
    animate: bool = False,
    size: int = DEFAULT_SIZE,
) -> str:
    """The figure of an exercise the caller holds, or "" when it has no poses.

    Cards, handouts and sheets show a figure where there is one: an exercise the planner
    never chooses (or one from a catalog of its own) may have none, and its text still stands.
    """
    if exercise.id not in packaged_poses():
        return ""
    return _exercise_svg(exercise, frame, animate, size, False, False)


@functools.lru_cache(maxsize=1024)
def _exercise_svg(
    exercise: Exercise,
    frame: int | str | None,
    animate: bool,
    size: int,
    mirror: bool,
    standalone: bool,
) -> str:
    exercise_id = exercise.id
    pose = pose_of(exercise_id)
    keyframes = [place_keyframe(pose, keyframe) for keyframe in pose.keyframes]
    props = fit_props(pose, keyframes)
    if animate:
        seconds, moments = samples(pose, exercise)
        # A keyframe's pose recurs in the cycle (its hold, the pause, the return): placed once.
        placed = {id(k.angles): f for k, f in zip(pose.keyframes, keyframes, strict=True)}
        frames = [placed.get(id(m.angles)) or place(pose, m.angles, m.support) for m in moments]
        times = [moment.at for moment in moments]
        words = " Then: ".join(_sentence(k.says) for k in pose.keyframes)
        shown = pose.keyframes
    else:
        chosen = choose_keyframe(pose, frame)
        frames = [keyframes[pose.keyframes.index(chosen)]]
        times, seconds = [], 0.0
        words = _sentence(chosen.says)
        shown = (chosen,)
    flip = -1.0 if mirror else 1.0
    if mirror:
        frames = [{n: (-x, y, d) for n, (x, y, d) in f.items()} for f in frames]
        keyframes = [{n: (-x, y, d) for n, (x, y, d) in f.items()} for f in keyframes]
    # The keyframes bound the movement (the eased poses between them stay near them; PAD
    # covers the rest), and measuring only them keeps drawing quick.
    box = _bounds(keyframes, props, flip)
    working = set(exercise.primary_areas)
    side = " (other side)" if mirror else ""
    title = exercise.name + side
    areas = [AREA_LABELS[a] for a in exercise.primary_areas]
    marked = f" The part it works, the {_and(areas)}, is marked in red." if areas else ""
    desc = f"{exercise.name}{side}: {words}{marked}"
    label = "; ".join(k.name for k in shown)
    x0, y0, x1, y1 = box
    width, height = x1 - x0, y1 - y0
    namespace = f' xmlns="{SVG_NS}"' if standalone else ""
    parts = [
        # Inside HTML an <svg> needs no namespace (the parser gives it one), and a page that
        # names no URL at all is easier to prove offline; a file of its own needs it.
        f'<svg{namespace} class="backlib-figure" role="img" '
        f'data-exercise="{escape(exercise_id)}" data-keyframes="{escape(label)}" '
        f'viewBox="{x0:.1f} {-y1:.1f} {width:.1f} {height:.1f}" width="{size}" '
        f'height="{size * height / width:.0f}" aria-label="{escape(desc)}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>",
        _props_back(props, box, flip, pose),
    ]
    anim = _Animator(times, seconds)
    parts.append(_body(frames, working, anim))
    parts.append(_props_front(pose, props, frames, box, flip, anim))
    parts.append("</svg>")
    return "".join(parts)


def pose_of(exercise_id: str) -> ExercisePose:
    """The poses of an exercise, or a PoseError naming it."""
    poses = packaged_poses()
    if exercise_id not in poses:
        raise PoseError(f"exercise {exercise_id!r} has no poses", exercise_id=exercise_id)
    return poses[exercise_id]


def choose_keyframe(pose: ExercisePose, frame: int | str | None) -> Keyframe:
    """The keyframe ``frame`` names (index or name); the last one for None."""
    if frame is None:
        return pose.end
    if isinstance(frame, int) and not isinstance(frame, bool):
        if -len(pose.keyframes) <= frame < len(pose.keyframes):
            return pose.keyframes[frame]
    elif isinstance(frame, str):
        for keyframe in pose.keyframes:
            if keyframe.name == frame:
                return keyframe
    names = ", ".join(k.name for k in pose.keyframes)
    raise PoseError(
        f"exercise {pose.exercise_id!r} has no keyframe {frame!r}; it has: {names}",
        exercise_id=pose.exercise_id,
        keyframe=str(frame),
    )


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _bounds(
    frames: list[dict[str, Vec]], props: Props, flip: float
) -> tuple[float, float, float, float]:
    """The drawing's box (x0, y0, x1, y1 with y up) around every frame and prop, padded."""
    xs, ys = [], [0.0]
    for frame in frames:
        for segment in SEGMENTS:
            for end in (segment.start, segment.end):
                x, y, _ = frame[end]
                xs += [x - segment.radius, x + segment.radius]
                ys += [y - segment.radius, y + segment.radius]
    if props.chair is not None:
        ys.append(props.chair.seat_y + 26)
        xs += [props.chair.seat_x0 * flip, props.chair.seat_x1 * flip]
    if props.wall is not None:
        xs.append((props.wall + props.wall_side * 5) * flip)
    if props.band_anchor is not None:
        xs.append(props.band_anchor[0] * flip)
        ys.append(props.band_anchor[1])
    if props.water is not None:
        ys.append(props.water + 3)
    x0, x1 = min(xs) - PAD, max(xs) + PAD
    y0, y1 = min(ys) - PAD, max(ys) + PAD
    # Never narrower than tall by much, nor a sliver: cards and sheets lay figures out in rows.
    if x1 - x0 < 0.8 * (y1 - y0):
        grow = (0.8 * (y1 - y0) - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    if y1 - y0 < 0.45 * (x1 - x0):
        y1 = y0 + 0.45 * (x1 - x0)
    return x0, y0, x1, y1


class _Animator:
    """SMIL ``<animate>`` elements over the sampled frames (nothing when drawing a still)."""

    def __init__(self, times: list[float], seconds: float):
        self.key_times = ";".join(f"{t:.4f}" for t in times)
        self.seconds = seconds

    @property
    def active(self) -> bool:
        return bool(self.key_times)

    def animate(self, attribute: str, values: list[str]) -> str:
        if not self.active or len(set(values)) == 1:
            return ""
        return (
            f'<animate attributeName="{attribute}" dur="{self.seconds:.2f}s" '
            f'repeatCount="indefinite" keyTimes="{self.key_times}" values="{";".join(values)}"/>'
        )


def _xy(p: Vec) -> str:
    return f"{p[0]:.1f} {-p[1]:.1f}"


def _body(frames: list[dict[str, Vec]], working: set[str], anim: _Animator) -> str:
    first = frames[0]

    def depth(segment: Segment) -> float:
        return (first[segment.start][2] + first[segment.end][2]) / 2

    # Each joint's coordinates are written once per frame and shared by the segments meeting there.
    written = [{name: _xy(p) for name, p in f.items()} for f in frames]
    out = ['<g fill="none" stroke-linecap="round" stroke-linejoin="round">']
    for segment in sorted(SEGMENTS, key=depth):
        # Only limbs are drawn paler on the far side: the trunk and head are the figure itself.
        far = bool(segment.side) and depth(segment) < first["pelvis"][2] - 1.0
        works = bool(working & set(segment.areas))
        colour = (FAR_WORKING if far else AREA_SELECTED_FILL) if works else (FAR if far else NEAR)
        if segment.start == segment.end:
            out.append(_circle(frames, segment, colour, works, anim))
            if segment.name == "head":
                out.append(_nose(frames, colour, anim))
            continue
        paths = [f"M{w[segment.start]}L{w[segment.end]}" for w in written]
        moving = anim.animate("d", paths)
        tag = f'data-part="{segment.name}"'
        out.append(
            f'<path {tag} d="{paths[0]}" stroke="{colour}" stroke-width="{2 * segment.radius:.1f}">'
            f"{moving}</path>"
        )
        if works:
            out.append(
                f'<path d="{paths[0]}" stroke="#ffffff" stroke-width="{0.5 * segment.radius:.1f}" '
                f'stroke-dasharray="1.6 2">{moving}</path>'
            )
    out.append("</g>")
    return "".join(out)


def _circle(
    frames: list[dict[str, Vec]], segment: Segment, colour: str, works: bool, anim: _Animator
) -> str:
    xs = [f"{f[segment.start][0]:.1f}" for f in frames]
    ys = [f"{-f[segment.start][1]:.1f}" for f in frames]
    body = (
        f'<circle data-part="{segment.name}" cx="{xs[0]}" cy="{ys[0]}" r="{segment.radius}" '
        f'fill="{colour}" stroke="none">{anim.animate("cx", xs)}{anim.animate("cy", ys)}</circle>'
    )
    if works:
        body += (
            f'<circle cx="{xs[0]}" cy="{ys[0]}" r="{segment.radius * 0.55:.1f}" fill="none" '
            f'stroke="#ffffff" stroke-width="1.2" stroke-dasharray="1.6 2">'
            f"{anim.animate('cx', xs)}{anim.animate('cy', ys)}</circle>"
        )
    return body


def _nose(frames: list[dict[str, Vec]], colour: str, anim: _Animator) -> str:
    """A small bump on the face side of the head, so the figure's facing can be read."""
    xs, ys = [], []
    for f in frames:
        hx, hy, _ = f["head"]
        fx, fy, _ = f["face"]
        dx, dy = fx - hx, fy - hy
        reach = math.hypot(dx, dy)
        # Seen from the front the face is toward the viewer: the bump hides inside the head.
        scale = 6.3 / reach if abs(dx) > 1.2 else 0.0
        xs.append(f"{hx + dx * scale:.1f}")
        ys.append(f"{-(hy + dy * scale):.1f}")
    return (
        f'<circle cx="{xs[0]}" cy="{ys[0]}" r="1.8" fill="{colour}">'
        f"{anim.animate('cx', xs)}{anim.animate('cy', ys)}</circle>"
    )


def _props_back(
    props: Props, box: tuple[float, float, float, float], flip: float, pose: ExercisePose
) -> str:
    """Props drawn behind the body: floor, mat, wall, chair, roller, machine."""
    x0, _, x1, y1 = box
    out = []
    if props.floor:
        out.append(
            f'<line data-prop="floor" x1="{x0:.1f}" y1="0" x2="{x1:.1f}" y2="0" stroke="{FLOOR}" '
            'stroke-width="1.2"/>'
        )
    if props.mat is not None:
        a, b = sorted((props.mat[0] * flip, props.mat[1] * flip))
        out.append(
            f'<rect x="{a:.1f}" y="0.4" width="{b - a:.1f}" height="2.4" rx="1" fill="{MAT_FILL}" '
            f'stroke="{FLOOR}" stroke-width="0.6"/>'
        )
    if props.wall is not None:
        edge = props.wall * flip
        far = (props.wall + props.wall_side * 6) * flip
        a, b = sorted((edge, far))
        out.append(
            f'<rect x="{a:.1f}" y="{-y1:.1f}" width="{b - a:.1f}" height="{y1:.1f}" '
            f'fill="{PROP_FILL}" stroke="none"/>'
            f'<line x1="{edge:.1f}" y1="{-y1:.1f}" x2="{edge:.1f}" y2="0" stroke="{PROP}" '
            'stroke-width="1.4"/>'
        )
    chair = props.chair
    if chair is not None:
        a, b = sorted((chair.seat_x0 * flip, chair.seat_x1 * flip))
        seat = -chair.seat_y
        legs = (
            f'<line x1="{a + 1:.1f}" y1="{seat:.1f}" x2="{a + 1:.1f}" y2="0"/>'
            f'<line x1="{b - 1:.1f}" y1="{seat:.1f}" x2="{b - 1:.1f}" y2="0"/>'
        )
        if chair.facing == "side":
            back = chair.back_x * flip
            top = seat - 26
            back_line = f'<line x1="{back:.1f}" y1="{seat:.1f}" x2="{back:.1f}" y2="{top:.1f}"/>'
        else:
            back_line = (
                f'<rect x="{a + 2:.1f}" y="{seat - 26:.1f}" width="{b - a - 4:.1f}" height="26" '
                f'fill="{PROP_FILL}" stroke-width="1"/>'
            )
        out.append(
            f'<g data-prop="chair" data-seat="{chair.seat_y:.1f}" stroke="{PROP}" '
            'stroke-width="2" stroke-linecap="round" fill="none">'
            f"{back_line}{legs}"
            f'<line x1="{a:.1f}" y1="{seat + 1.2:.1f}" x2="{b:.1f}" y2="{seat + 1.2:.1f}" '
            'stroke-width="2.4"/></g>'
        )
    if props.roller is not None:
        r = props.roller
        out.append(
            f'<circle cx="{r.x * flip:.1f}" cy="{-r.y:.1f}" r="{r.radius:.1f}" fill="{PROP_FILL}" '
            f'stroke="{PROP}" stroke-width="1.4"/>'
            f'<circle cx="{r.x * flip:.1f}" cy="{-r.y:.1f}" r="{r.radius * 0.45:.1f}" '
            f'fill="none" stroke="{PROP}" stroke-width="0.8"/>'
        )
    if props.machine is not None and props.machine_points is not None:
        out.append(_machine(props, flip, pose))
    return "".join(out)


def _machine(props: Props, flip: float, pose: ExercisePose) -> str:
    """An exercise bike or cross-trainer, built around the seated or standing figure."""
    points = props.machine_points or {}
    sx, sy, _ = points["seat"]
    hx, hy, _ = points["hands"]
    fx, _, _ = points["feet"]
    ahead = facing_sign(pose)

    def line(x1: float, y1: float, x2: float, y2: float, width: float = 2.2) -> str:
        return (
            f'<line x1="{x1 * flip:.1f}" y1="{-y1:.1f}" x2="{x2 * flip:.1f}" y2="{-y2:.1f}" '
            f'stroke-width="{width}"/>'
        )

    if props.machine == "bike":
        cx, cy = fx - 2 * ahead, points["feet"][1] + 4
        shapes = (
            line(sx - 5 * ahead, sy - 6, sx + 6 * ahead, sy - 6, 3)
            + line(sx, sy - 6, cx, cy)
            + line(cx, cy, hx + 3 * ahead, hy - 2)
            + line(cx, cy, cx, 0)
            + line(sx - 14 * ahead, 1, hx + 10 * ahead, 1, 3)
            + f'<circle cx="{cx * flip:.1f}" cy="{-cy:.1f}" r="6"/>'
            f'<circle cx="{(cx + 16 * ahead) * flip:.1f}" cy="-10" r="9" fill="{PROP_FILL}"/>'
        )
    else:
        shapes = (
            line(fx - 9 * ahead, 9, fx + 9 * ahead, 9, 2.6)
            + line(fx + 9 * ahead, 9, hx + 4 * ahead, 0)
            + line(hx + 4 * ahead, 0, hx + ahead, hy)
            + line(fx - 22 * ahead, 1, hx + 8 * ahead, 1, 3)
        )
    return f'<g stroke="{PROP}" stroke-linecap="round" fill="none">{shapes}</g>'


def _props_front(
    pose: ExercisePose,
    props: Props,
    frames: list[dict[str, Vec]],
    box: tuple[float, float, float, float],
    flip: float,
    anim: _Animator,
) -> str:
    """Props drawn over the body: the band or towel in the hands, and the water."""
    out = []
    if pose.band is not None:
        towel = "towel" in pose.props
        ends = []
        for f in frames:
            coords = []
            for end in pose.band:
                if end == "anchor" and props.band_anchor is not None:
                    coords.append((props.band_anchor[0] * flip, props.band_anchor[1], 0.0))
                else:
                    coords.append(point(f, end))
            ends.append(f"M{_xy(coords[0])}L{_xy(coords[1])}")
        colour, width = ("#8a6d1f", 2.4) if towel else (BAND, 1.3)
        out.append(
            f'<path d="{ends[0]}" stroke="{colour}" stroke-width="{width}" fill="none" '
            f'stroke-linecap="round">{anim.animate("d", ends)}</path>'
        )
        if props.band_anchor is not None:
            ax, ay = props.band_anchor[0] * flip, props.band_anchor[1]
            size = 3.0
            out.append(
                f'<rect x="{ax - size:.1f}" y="{-ay - size:.1f}" width="{2 * size}" '
                f'height="{2 * size}" fill="{PROP}"/>'
                f'<line x1="{ax:.1f}" y1="{-ay:.1f}" x2="{ax:.1f}" y2="0" stroke="{PROP}" '
                'stroke-width="1.4"/>'
            )
    if props.water is not None:
        x0, _, x1, _ = box
        level = -props.water
        out.append(
            f'<rect data-prop="water" data-level="{props.water:.1f}" x="{x0:.1f}" y="{level:.1f}" '
            f'width="{x1 - x0:.1f}" height="{-level:.1f}" '
            f'fill="{WATER}" fill-opacity="0.22"/>'
            f'<line x1="{x0:.1f}" y1="{level:.1f}" x2="{x1:.1f}" y2="{level:.1f}" stroke="{WATER}" '
            'stroke-width="1.2" stroke-dasharray="5 3"/>'
        )
    return "".join(out)
