"""Every keyframe of every exercise, as drawn: bones keep their length, and the figure rests on
what carries it (floor, feet, chair seat, water, machine, roller) without sinking below the floor.
"""

from __future__ import annotations

import math

import pytest

from backlib.figures.geometry import SEGMENTS, body_points, project
from backlib.figures.poses import packaged_poses
from backlib.figures.scene import (
    MACHINE_FOOT_HEIGHT,
    ROLLER_RADIUS,
    place_keyframe,
    roller_contact,
)
from backlib.figures.svg import exercise_svg
from tests.figures.figure_support import read_figure, seat_height

POSES = packaged_poses()
KEYFRAMES = [(i, k.name) for i, pose in POSES.items() for k in pose.keyframes]
FEET = ("left_foot", "right_foot", "left_shin", "right_shin")
BONES = [s for s in SEGMENTS if s.start != s.end]


def _drawn(exercise_id: str, keyframe: str):
    return read_figure(exercise_svg(exercise_id, frame=keyframe))


@pytest.mark.parametrize("exercise_id", list(POSES))
def test_bones_keep_their_length_in_every_keyframe(exercise_id):
    lengths = [
        {s.name: math.dist(points[s.start], points[s.end]) for s in BONES}
        for points in (body_points(k.angles) for k in POSES[exercise_id].keyframes)
    ]
    for name in lengths[0]:
        assert max(f[name] for f in lengths) - min(f[name] for f in lengths) < 1e-9, name


@pytest.mark.parametrize(("exercise_id", "keyframe"), KEYFRAMES)
def test_no_drawn_bone_is_longer_than_the_bone(exercise_id, keyframe):
    # The picture is the 3-D figure seen from one side: a bone may look shorter (pointing at
    # the viewer), never longer; seen square on (a side view of a movement in that plane) it
    # keeps its length.
    pose = POSES[exercise_id]
    drawn = _drawn(exercise_id, keyframe)
    points = body_points(pose.keyframe(keyframe).angles)
    seen = project(points, pose.yaw)
    for segment in BONES:
        true = math.dist(points[segment.start], points[segment.end])
        flat = math.dist(seen[segment.start][:2], seen[segment.end][:2])
        assert drawn.length(segment.name) <= true + 0.15, segment.name
        assert abs(drawn.length(segment.name) - flat) <= 0.15, segment.name


@pytest.mark.parametrize(("exercise_id", "keyframe"), KEYFRAMES)
def test_the_figure_rests_on_what_carries_it_and_never_below_the_floor(exercise_id, keyframe):
    pose = POSES[exercise_id]
    support = pose.keyframe(keyframe).support
    svg = exercise_svg(exercise_id, frame=keyframe)
    drawn = read_figure(svg)
    pixel = 1 / drawn.px_per_unit  # a pixel of the figure at its default size, in units
    if support != "water":
        assert drawn.lowest() >= -pixel, "below the floor"
    if support == "floor":
        assert abs(drawn.lowest()) <= pixel, "does not rest on the floor"
    elif support == "feet":
        assert abs(drawn.lowest(FEET)) <= pixel, "feet are not on the floor"
    elif support == "chair":
        seat = seat_height(svg)
        assert seat is not None, "no chair drawn"
        _, pelvis_y, radius = drawn.blobs["pelvis"]
        assert abs(pelvis_y - radius - seat) <= pixel, "not sitting on the chair's seat"
        assert abs(drawn.lowest(FEET)) <= pixel or keyframe != "start", "feet off the floor"
    elif support == "water":
        assert abs(drawn.blobs["pelvis"][1] - pose.water) <= pixel, "not at the water line"
    elif support == "machine":
        machine = next(p for p in pose.props if p in MACHINE_FOOT_HEIGHT)
        assert abs(drawn.lowest(FEET) - MACHINE_FOOT_HEIGHT[machine]) <= pixel


@pytest.mark.parametrize("exercise_id", [i for i, p in POSES.items() if p.roller])
def test_a_foam_roller_sits_under_the_part_that_rolls_on_it_in_every_keyframe(exercise_id):
    pose = POSES[exercise_id]
    for keyframe in pose.keyframes:
        points = place_keyframe(pose, keyframe)
        x, along = roller_contact(points, pose.roller, ROLLER_RADIUS)
        assert 0 <= along <= 1, keyframe.name
        assert abs(x) < 1e-6, f"{keyframe.name}: the roller moved"


@pytest.mark.parametrize(
    "exercise_id", [i for i, p in POSES.items() if p.keyframes[0].support == "chair"]
)
def test_a_chair_has_a_chairs_height(exercise_id):
    seat = seat_height(exercise_svg(exercise_id, frame="start"))
    assert seat is not None and 16 <= seat <= 30


@pytest.mark.parametrize("exercise_id", ["bird-dog", "cat-cow", "childs-pose", "glute-kickback"])
def test_on_all_fours_both_hands_and_knees_reach_the_floor(exercise_id):
    pose = POSES[exercise_id]
    points = place_keyframe(pose, pose.start)
    for part in ("left_hand", "right_hand", "left_knee", "right_knee"):
        radius = next(s.radius for s in SEGMENTS if s.end == part or s.start == part)
        assert points[part][1] - radius <= 1.5, part
