"""The pose file: every plannable exercise is posed, and a bad entry is named on load."""

from __future__ import annotations

import pytest

from backlib.catalog import load_catalog
from backlib.errors import CatalogError, PoseError
from backlib.figures.poses import (
    JOINT_RANGES,
    KEYFRAMES_MAX,
    KEYFRAMES_MIN,
    default_poses_path,
    load_poses,
    packaged_poses,
)

CATALOG = load_catalog()
POSES = packaged_poses()

_GOOD = """
[postures]
kneel = { knee = 90, ankle = -90 }

[[pose]]
exercise = "bird-dog"
view = "side"
props = ["mat"]

[[pose.keyframe]]
name = "start"
says = "On hands and knees"
angles = { trunk = 78, hip = 78, knee = 90, shoulder = 78, ankle = -90 }

[[pose.keyframe]]
name = "reach"
says = "Arm and leg out"
from = "start"
hold = true
angles = { right_shoulder = 165, left_hip = -5, left_knee = 0 }
"""


def _write(tmp_path, text):
    path = tmp_path / "poses.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_exercise_the_planner_may_choose_has_poses():
    missing = [e.id for e in CATALOG if e.plannable and e.id not in POSES]
    assert missing == []


def test_every_pose_belongs_to_a_catalog_exercise_by_its_own_id():
    assert all(CATALOG[i].id == i for i in POSES)


@pytest.mark.parametrize("exercise_id", list(POSES))
def test_each_exercise_has_two_to_four_keyframes_starting_with_start(exercise_id):
    keyframes = POSES[exercise_id].keyframes
    assert KEYFRAMES_MIN <= len(keyframes) <= KEYFRAMES_MAX
    assert keyframes[0].name == "start"
    assert all(k.says for k in keyframes)


@pytest.mark.parametrize("exercise_id", list(POSES))
def test_a_held_exercise_has_a_held_keyframe_and_a_moving_one_has_none(exercise_id):
    held = CATALOG[exercise_id].dose.hold_s is not None
    assert any(k.hold for k in POSES[exercise_id].keyframes) == held


@pytest.mark.parametrize("exercise_id", list(POSES))
def test_keyframes_of_an_exercise_differ_from_one_another(exercise_id):
    angles = [tuple(k.angles.values()) for k in POSES[exercise_id].keyframes]
    assert len(set(angles)) == len(angles)


def test_the_packaged_pose_file_sits_beside_the_catalog():
    assert default_poses_path().parent == CATALOG.path.parent


def test_a_good_file_loads_with_sides_spread_and_from_inherited(tmp_path):
    pose = load_poses(_write(tmp_path, _GOOD))["bird-dog"]
    start, reach = pose.keyframes
    assert start.angles["left_knee"] == start.angles["right_knee"] == 90
    assert reach.angles["trunk"] == 78 and reach.angles["right_shoulder"] == 165
    assert reach.angles["left_shoulder"] == 78
    assert reach.hold and start.support == "floor"


@pytest.mark.parametrize(
    ("change", "keyframe", "joint"),
    [
        (("right_shoulder = 165", "right_wrist = 165"), "reach", "right_wrist"),
        (("left_knee = 0", "left_knee = 200"), "reach", "left_knee"),
        (("left_knee = 0", 'left_knee = "bent"'), "reach", "left_knee"),
        (('from = "start"', 'from = "nowhere"'), "reach", "from"),
        (('name = "start"', 'name = "begin"'), "begin", "name"),
        (('says = "Arm and leg out"', 'says = ""'), "reach", "says"),
        (("hold = true", 'hold = "yes"'), "reach", "hold"),
    ],
)
def test_a_bad_keyframe_names_the_exercise_keyframe_and_joint(tmp_path, change, keyframe, joint):
    path = _write(tmp_path, _GOOD.replace(*change, 1))
    with pytest.raises(PoseError) as caught:
        load_poses(path)
    error = caught.value
    assert (error.exercise_id, error.keyframe, error.joint) == ("bird-dog", keyframe, joint)
    assert error.field == f"keyframe.{keyframe}.{joint}"
    assert "bird-dog" in str(error) and joint in str(error)
    assert isinstance(error, CatalogError) and error.file == str(path)


@pytest.mark.parametrize(
    ("change", "joint"),
    [
        (('exercise = "bird-dog"', 'exercise = "moonwalk"'), "exercise"),
        (('view = "side"', 'view = "above"'), "view"),
        (('props = ["mat"]', 'props = ["trampoline"]'), "props"),
        (('props = ["mat"]', 'props = ["mat"]\nroller = "trunk_upper"'), "roller"),
        (('props = ["mat"]', 'props = ["mat"]\ncolour = "red"'), "colour"),
    ],
)
def test_a_bad_pose_field_names_the_exercise_and_the_field(tmp_path, change, joint):
    with pytest.raises(PoseError) as caught:
        load_poses(_write(tmp_path, _GOOD.replace(*change, 1)))
    assert caught.value.joint == joint


def test_a_pose_with_one_keyframe_is_refused(tmp_path):
    one = _GOOD[: _GOOD.index('[[pose.keyframe]]\nname = "reach"')]
    with pytest.raises(PoseError) as caught:
        load_poses(_write(tmp_path, one))
    assert caught.value.joint == "keyframe"


def test_a_posture_with_a_bad_joint_is_named(tmp_path):
    with pytest.raises(PoseError) as caught:
        load_poses(_write(tmp_path, _GOOD.replace("knee = 90, ankle", "kneecap = 90, ankle")))
    assert caught.value.joint == "kneecap" and "kneel" in str(caught.value)


def test_a_missing_or_broken_file_is_named(tmp_path):
    with pytest.raises(PoseError) as caught:
        load_poses(tmp_path / "none.toml")
    assert caught.value.file == str(tmp_path / "none.toml")
    with pytest.raises(PoseError):
        load_poses(_write(tmp_path, "[[pose]\n"))


def test_a_continuous_exercise_without_a_pace_needs_cycle_s(tmp_path):
    text = _GOOD.replace('"bird-dog"', '"walking"').replace("hold = true\n", "")
    with pytest.raises(PoseError) as caught:
        load_poses(_write(tmp_path, text))
    assert caught.value.joint == "cycle_s"


def test_every_joint_has_a_range_that_includes_neutral():
    assert all(low <= 0 <= high for low, high in JOINT_RANGES.values())


def test_a_held_keyframe_must_match_the_catalogs_hold(tmp_path):
    with pytest.raises(PoseError) as caught:
        load_poses(_write(tmp_path, _GOOD.replace("hold = true\n", "")))
    assert (caught.value.keyframe, caught.value.joint) == ("reach", "hold")
