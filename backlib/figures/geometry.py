"""The figure's body: segment lengths, forward kinematics from joint angles, and the camera.

The figure is posed in three dimensions (x forward, y up, z to the figure's right) so that a
twist, a side bend or a knee opening sideways can be drawn, then seen through a camera turned
about the vertical axis only: the floor stays a horizontal line in every view, which is what
lets the geometry tests check that a figure rests on it. Lengths are in figure units, about
one hundredth of the figure's standing height; every segment's length comes from
:data:`SEGMENTS`, so it is the same in every keyframe by construction.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Vec = tuple[float, float, float]
Mat = tuple[float, float, float, float, float, float, float, float, float]


@dataclass(frozen=True)
class Segment:
    """A drawn part of the body: a rounded bar from one point to another."""

    name: str
    start: str
    end: str
    radius: float
    areas: tuple[str, ...]
    side: str = ""


# Lengths in figure units (a figure about 96 units tall standing); proportions after the
# usual drawing canon of a body about seven and a half heads tall.
TRUNK_PART = 10.0  # each of the trunk's three parts
NECK = 4.0
HEAD_RADIUS = 6.5
SHOULDER_HALF = 7.5  # half the shoulders' width
SHOULDER_DROP = 1.5  # shoulders sit a little below the base of the neck
HIP_HALF = 5.0
UPPER_ARM = 16.0
FOREARM = 15.0  # with the hand
THIGH = 24.0
SHIN = 23.0
FOOT = 8.0
PELVIS_RADIUS = 6.0

SEGMENTS: tuple[Segment, ...] = (
    Segment("left_thigh", "left_hip", "left_knee", 3.8, ("hamstrings",), "left"),
    Segment("left_shin", "left_knee", "left_ankle", 3.0, (), "left"),
    Segment("left_foot", "left_ankle", "left_toe", 2.2, (), "left"),
    Segment("left_upper_arm", "left_shoulder", "left_elbow", 2.9, ("shoulders",), "left"),
    Segment("left_forearm", "left_elbow", "left_hand", 2.4, (), "left"),
    Segment("hips", "left_hip", "right_hip", 4.0, ("hips", "glutes")),
    Segment("pelvis", "pelvis", "pelvis", PELVIS_RADIUS, ("hips", "glutes")),
    Segment("trunk_lower", "pelvis", "waist", 5.6, ("lower_back",)),
    Segment("trunk_mid", "waist", "chest", 5.8, ("mid_back",)),
    Segment("trunk_upper", "chest", "neck_base", 5.8, ("upper_back",)),
    Segment("shoulders", "left_shoulder", "right_shoulder", 3.2, ("shoulders", "upper_back")),
    Segment("neck", "neck_base", "head_base", 2.6, ("neck",)),
    Segment("head", "head", "head", HEAD_RADIUS, ()),
    Segment("right_thigh", "right_hip", "right_knee", 3.8, ("hamstrings",), "right"),
    Segment("right_shin", "right_knee", "right_ankle", 3.0, (), "right"),
    Segment("right_foot", "right_ankle", "right_toe", 2.2, (), "right"),
    Segment("right_upper_arm", "right_shoulder", "right_elbow", 2.9, ("shoulders",), "right"),
    Segment("right_forearm", "right_elbow", "right_hand", 2.4, (), "right"),
)
SEGMENT_BY_NAME: dict[str, Segment] = {segment.name: segment for segment in SEGMENTS}
FOOT_POINTS: tuple[str, ...] = ("left_ankle", "left_toe", "right_ankle", "right_toe")


def _rx(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (1.0, 0.0, 0.0, 0.0, c, -s, 0.0, s, c)


def _ry(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (c, 0.0, s, 0.0, 1.0, 0.0, -s, 0.0, c)


def _rz(degrees: float) -> Mat:
    c, s = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
    return (c, -s, 0.0, s, c, 0.0, 0.0, 0.0, 1.0)


def _mul(a: Mat, b: Mat) -> Mat:
    return (
        a[0] * b[0] + a[1] * b[3] + a[2] * b[6],
        a[0] * b[1] + a[1] * b[4] + a[2] * b[7],
        a[0] * b[2] + a[1] * b[5] + a[2] * b[8],
        a[3] * b[0] + a[4] * b[3] + a[5] * b[6],
        a[3] * b[1] + a[4] * b[4] + a[5] * b[7],
        a[3] * b[2] + a[4] * b[5] + a[5] * b[8],
        a[6] * b[0] + a[7] * b[3] + a[8] * b[6],
        a[6] * b[1] + a[7] * b[4] + a[8] * b[7],
        a[6] * b[2] + a[7] * b[5] + a[8] * b[8],
    )


_TURNS = {"x": _rx, "y": _ry, "z": _rz}


def _turn(m: Mat, axis: str, degrees: float) -> Mat:
    """m turned about its own axis; most joints sit at 0, so that costs nothing (speed)."""
    return m if degrees == 0 else _mul(m, _TURNS[axis](degrees))


def _along(origin: Vec, m: Mat, x: float, y: float, z: float) -> Vec:
    """The point at local offset (x, y, z) from origin, in the frame m."""
    return (
        origin[0] + m[0] * x + m[1] * y + m[2] * z,
        origin[1] + m[3] * x + m[4] * y + m[5] * z,
        origin[2] + m[6] * x + m[7] * y + m[8] * z,
    )


def body_points(angles: dict[str, float]) -> dict[str, Vec]:
    """Every joint of the figure posed by ``angles`` (see backlib.figures.poses), pelvis at 0.

    Each segment hangs from its parent at a fixed offset and length, so the lengths cannot
    change from one pose to the next; the geometry tests check that on the drawn output too.
    """
    a = angles
    root = _turn(_turn(_ry(a["turn"]), "x", a["lean"]), "z", -a["trunk"])
    spine, side, twist = a["spine"], a["side_bend"], a["twist"]
    # The back curves about its middle part: rounding tips the lower part back and the upper
    # part forward by a third each, so the line from pelvis to neck keeps the trunk's angle.
    lower = _turn(_turn(root, "x", side / 3), "z", spine / 3)
    middle = _turn(_turn(root, "y", -twist / 2), "x", 2 * side / 3)
    upper = _turn(_turn(_turn(root, "y", -twist), "x", side), "z", -spine / 3)
    pelvis = (0.0, 0.0, 0.0)
    waist = _along(pelvis, lower, 0, TRUNK_PART, 0)
    chest = _along(waist, middle, 0, TRUNK_PART, 0)
    neck_base = _along(chest, upper, 0, TRUNK_PART, 0)
    head_frame = _turn(
        _turn(_turn(upper, "y", -a["neck_turn"]), "x", a["neck_tilt"]), "z", -a["neck"]
    )
    head_base = _along(neck_base, head_frame, 0, NECK, 0)
    points: dict[str, Vec] = {
        "pelvis": pelvis,
        "waist": waist,
        "chest": chest,
        "neck_base": neck_base,
        "head_base": head_base,
        "head": _along(head_base, head_frame, 0, HEAD_RADIUS, 0),
        "face": _along(head_base, head_frame, HEAD_RADIUS * 0.55, HEAD_RADIUS * 1.15, 0),
    }
    # Shoulder blades: a shrug lifts the shoulders, a squeeze draws them back.
    lift = SHOULDER_HALF * math.sin(math.radians(a["shrug"])) * 0.7
    retract = SHOULDER_HALF * math.sin(math.radians(a["retract"])) * 0.6
    for side_name, sign in (("right", 1.0), ("left", -1.0)):
        s = f"{side_name}_"
        shoulder = _along(neck_base, upper, -retract, lift - SHOULDER_DROP, sign * SHOULDER_HALF)
        arm = _turn(
            _turn(
                _turn(upper, "y", sign * a[s + "shoulder_across"]),
                "x",
                -sign * a[s + "shoulder_out"],
            ),
            "z",
            a[s + "shoulder"],
        )
        elbow = _along(shoulder, arm, 0, -UPPER_ARM, 0)
        forearm = _turn(arm, "z", a[s + "elbow"])
        hip = _along(pelvis, root, 0, 0, sign * HIP_HALF)
        thigh = _turn(
            _turn(_turn(root, "y", -sign * a[s + "hip_turn"]), "x", -sign * a[s + "hip_out"]),
            "z",
            a[s + "hip"],
        )
        knee = _along(hip, thigh, 0, -THIGH, 0)
        shin = _turn(thigh, "z", -a[s + "knee"])
        ankle = _along(knee, shin, 0, -SHIN, 0)
        foot = _turn(shin, "z", a[s + "ankle"])
        points.update(
            {
                s + "shoulder": shoulder,
                s + "elbow": elbow,
                s + "hand": _along(elbow, forearm, 0, -FOREARM, 0),
                s + "hip": hip,
                s + "knee": knee,
                s + "ankle": ankle,
                s + "toe": _along(ankle, foot, FOOT, 0, 0),
            }
        )
    return points


def project(points: dict[str, Vec], yaw: float) -> dict[str, Vec]:
    """The points seen by a camera turned ``yaw`` degrees about the vertical: (x, y, depth).

    Yaw 0 looks at the figure's right side (it faces to the right of the picture); -90 looks
    at its front. Height is kept as it is, so the floor stays level; a larger depth is nearer.
    """
    c, s = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
    return {name: (x * c + z * s, y, -x * s + z * c) for name, (x, y, z) in points.items()}


def point(points: dict[str, Vec], name: str) -> Vec:
    """A named point, including the midpoints 'ankles', 'hands' and 'knees'."""
    pair = {"ankles": "ankle", "hands": "hand", "knees": "knee"}.get(name)
    if pair is None:
        return points[name]
    (lx, ly, lz), (rx, ry, rz) = points[f"left_{pair}"], points[f"right_{pair}"]
    return ((lx + rx) / 2, (ly + ry) / 2, (lz + rz) / 2)


def lowest(points: dict[str, Vec], names: tuple[str, ...] | None = None) -> float:
    """The height of the lowest surface: each point less the widest segment ending there."""
    if names is None:
        return min(points[name][1] - radius for name, radius in _WIDEST.items())
    low = math.inf
    for segment in SEGMENTS:
        if segment.start not in names and segment.end not in names:
            continue
        for end in (segment.start, segment.end):
            if end in names:
                low = min(low, points[end][1] - segment.radius)
    return low


# Each point with the radius of the widest segment ending at it: what reaches lowest there.
_WIDEST: dict[str, float] = {}
for _segment in SEGMENTS:
    for _end in (_segment.start, _segment.end):
        _WIDEST[_end] = max(_WIDEST.get(_end, 0.0), _segment.radius)
