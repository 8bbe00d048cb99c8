"""Where a posed figure stands and where its props go: placement on the floor, chair, water or
machine, and the props' shapes, in figure units with the floor at height 0.

A figure is placed by what carries its weight: on the floor, feet or a chair its lowest surface
touches the floor line; in water its pelvis floats at the water line; on a machine its feet are
on the pedals or plates. It is then slid sideways so its anchor (the point that stays still as
the exercise moves, or the foam roller it rolls over) keeps its place in every frame. Props
are fitted to the keyframes: a chair's seat is where the seated figure's pelvis rests, a wall
where the hand touches it, a roller under the part of the back that lies on it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from backlib.figures.geometry import (
    PELVIS_RADIUS,
    SEGMENT_BY_NAME,
    Vec,
    body_points,
    lowest,
    point,
    project,
)
from backlib.figures.poses import ExercisePose, Keyframe

ROLLER_RADIUS = 5.0  # a 15-17 cm foam roller, at about 1.7 cm to a unit of a 1.65 m figure
BALL_RADIUS = 16.0
MACHINE_FOOT_HEIGHT = {"bike": 12.0, "elliptical": 10.0}
BAND_ANCHOR_SIZE = 3.0


@dataclass(frozen=True)
class Roller:
    """A foam roller or ball lying on the floor, seen end on: its centre and radius."""

    x: float
    y: float
    radius: float


@dataclass(frozen=True)
class Chair:
    """A chair under a seated figure: its seat, its back and which way it faces."""

    seat_y: float
    seat_x0: float
    seat_x1: float
    back_x: float
    facing: str  # "side" (the back is drawn upright at back_x) or "front" (a seat seen from ahead)


@dataclass(frozen=True)
class Props:
    """Every prop of one exercise, fitted once to its keyframes (they stay put as it moves)."""

    floor: bool
    mat: tuple[float, float] | None = None
    chair: Chair | None = None
    wall: float | None = None
    wall_side: float = 1.0
    roller: Roller | None = None
    water: float | None = None
    band_anchor: tuple[float, float] | None = None
    machine: str | None = None
    machine_points: dict[str, Vec] | None = None


def place(pose: ExercisePose, angles: dict[str, float], support: str) -> dict[str, Vec]:
    """The figure posed by ``angles``, seen by the exercise's camera and set on its support."""
    points = project(body_points(angles), pose.yaw)
    if support == "water":
        lift = (pose.water or 0.0) - points["pelvis"][1]
    elif support == "machine":
        machine = next(p for p in pose.props if p in MACHINE_FOOT_HEIGHT)
        lift = MACHINE_FOOT_HEIGHT[machine] - lowest(points)
    else:
        lift = -lowest(points)
    if pose.roller is not None:
        contact = roller_contact(points, pose.roller, _roller_radius(pose), lift)
        shift = -contact[0]
    else:
        shift = -point(points, pose.anchor)[0]
    return {name: (x + shift, y + lift, d) for name, (x, y, d) in points.items()}


def place_keyframe(pose: ExercisePose, keyframe: Keyframe) -> dict[str, Vec]:
    """A keyframe's figure, placed."""
    return place(pose, keyframe.angles, keyframe.support)


def _roller_radius(pose: ExercisePose) -> float:
    return BALL_RADIUS if "ball" in pose.props else ROLLER_RADIUS


def roller_contact(
    points: dict[str, Vec], segment_name: str, radius: float, lift: float = 0.0
) -> tuple[float, float]:
    """Where a roller of ``radius`` on the floor touches a segment: (centre x, position 0-1).

    The roller's centre is one radius above the floor and one radius plus the segment's
    thickness below the segment's line, so it is tangent to the segment; the position says where
    along the segment it touches (outside 0-1, it would miss the segment).
    """
    segment = SEGMENT_BY_NAME[segment_name]
    (x0, y0, _), (x1, y1, _) = points[segment.start], points[segment.end]
    y0, y1 = y0 + lift, y1 + lift
    length = math.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = -uy, ux
    if ny < 0:
        nx, ny = -nx, -ny
    gap = radius + segment.radius
    # A level segment touches a roller anywhere along it: the middle is as good as any.
    cx = (x0 + x1) / 2 if abs(nx) < 1e-6 else x0 + (-gap - (radius - y0) * ny) / nx
    t = ((cx - x0) * ux + (radius - y0) * uy) / length
    return cx, t


def fit_props(pose: ExercisePose, frames: list[dict[str, Vec]]) -> Props:
    """The exercise's props, fitted to its placed keyframes (``frames``, in keyframe order)."""
    xs = [x for frame in frames for x, _, _ in frame.values()]
    left, right = min(xs), max(xs)
    chair = None
    seated = [f for f, k in zip(frames, pose.keyframes, strict=True) if k.support == "chair"]
    if "chair" in pose.props and seated:
        pelvis = seated[0]["pelvis"]
        facing = _facing(pose)
        if facing == "front":
            chair = Chair(pelvis[1] - PELVIS_RADIUS, pelvis[0] - 12, pelvis[0] + 12, 0.0, "front")
        else:
            back = pelvis[0] - 8 * facing_sign(pose)
            chair = Chair(
                pelvis[1] - PELVIS_RADIUS,
                min(back, pelvis[0] + 14 * facing_sign(pose)),
                max(back, pelvis[0] + 14 * facing_sign(pose)),
                back,
                "side",
            )
    wall = None
    wall_side = 1.0
    if pose.wall is not None:
        touch = point(frames[0], pose.wall)
        wall_side = 1.0 if touch[0] >= frames[0]["pelvis"][0] else -1.0
        wall = touch[0] + wall_side * 2.4
    roller = None
    if pose.roller is not None:
        radius = _roller_radius(pose)
        roller = Roller(0.0, radius, radius)
    band_anchor = None
    if pose.band_anchor is not None:
        band_anchor = pose.band_anchor
    machine = next((p for p in pose.props if p in MACHINE_FOOT_HEIGHT), None)
    machine_points = None
    if machine is not None:
        first = frames[0]
        machine_points = {
            "seat": first["pelvis"],
            "hands": point(first, "hands"),
            "feet": point(first, "ankles"),
        }
    return Props(
        floor=any(keyframe.support != "water" for keyframe in pose.keyframes),
        mat=(left - 4, right + 4) if "mat" in pose.props else None,
        chair=chair,
        wall=wall,
        wall_side=wall_side,
        roller=roller,
        water=pose.water,
        band_anchor=band_anchor,
        machine=machine,
        machine_points=machine_points,
    )


def facing_sign(pose: ExercisePose) -> float:
    """+1 when the figure faces the right of the picture, -1 the left (before mirroring)."""
    return 1.0 if math.cos(math.radians(pose.yaw)) >= 0 else -1.0


def _facing(pose: ExercisePose) -> str:
    return "side" if abs(math.cos(math.radians(pose.yaw))) >= 0.5 else "front"
