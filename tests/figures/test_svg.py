"""The drawn SVG: self-contained, named and described, animated at the exercise's pace,
mirrored on request, and with the worked area marked by more than colour."""

from __future__ import annotations

import re

import pytest

from backlib.catalog import load_catalog
from backlib.colours import AREA_SELECTED_FILL
from backlib.errors import PoseError
from backlib.figures import exercise_svg
from backlib.figures.motion import cycle_seconds
from backlib.figures.poses import packaged_poses
from tests.figures.figure_support import read_figure

CATALOG = load_catalog()
POSES = packaged_poses()


@pytest.mark.parametrize("exercise_id", list(POSES))
def test_a_figure_is_self_contained_named_and_described(exercise_id):
    exercise = CATALOG[exercise_id]
    for svg in (exercise_svg(exercise_id), exercise_svg(exercise_id, animate=True)):
        assert svg.startswith("<svg ") and svg.endswith("</svg>")
        assert "<script" not in svg and "href" not in svg and "url(" not in svg
        assert re.search(r"https?:", svg.replace('xmlns="http://www.w3.org/2000/svg"', "")) is None
        assert f"<title>{exercise.name}</title>".replace("'", "&#x27;") in svg
        assert 'role="img"' in svg and "aria-label=" in svg and "<desc>" in svg


def test_the_description_says_the_pose_in_words_and_the_worked_area():
    svg = exercise_svg("bird-dog", frame="reach")
    desc = re.search(r"<desc>(.*)</desc>", svg)[1]
    assert desc.startswith("Bird dog: ")
    assert "arm reached forward" in desc and "lower back" in desc
    animated = re.search(r"<desc>(.*)</desc>", exercise_svg("bird-dog", animate=True))[1]
    assert "On hands and knees" in animated and "Then:" in animated


def test_a_still_has_no_animation_and_an_animation_moves_at_the_exercises_pace():
    assert "<animate" not in exercise_svg("bird-dog")
    animated = exercise_svg("bird-dog", animate=True)
    seconds, _ = cycle_seconds(POSES["bird-dog"], CATALOG["bird-dog"])
    assert f'dur="{seconds:.2f}s"' in animated and 'repeatCount="indefinite"' in animated


def test_the_default_still_is_the_last_keyframe_and_frames_are_chosen_by_name_or_index():
    assert exercise_svg("bird-dog") == exercise_svg("bird-dog", frame="reach")
    assert exercise_svg("bird-dog", frame=0) == exercise_svg("bird-dog", frame="start")


def test_an_unknown_exercise_or_keyframe_is_named():
    with pytest.raises(PoseError) as caught:
        exercise_svg("sit-up")
    assert caught.value.exercise_id == "sit-up"
    with pytest.raises(PoseError) as caught:
        exercise_svg("bird-dog", frame="flying")
    assert caught.value.keyframe == "flying" and "start, reach" in str(caught.value)


def test_a_mirrored_figure_is_the_other_side_seen_in_a_mirror():
    plain = read_figure(exercise_svg("bird-dog", frame="reach"))
    mirrored = read_figure(exercise_svg("bird-dog", frame="reach", mirror=True))
    for name, ((x0, y0), (x1, y1), r) in plain.ends.items():
        assert mirrored.ends[name] == ((-x0, y0), (-x1, y1), r)
    assert "(other side)" in exercise_svg("bird-dog", mirror=True)


def test_the_worked_area_is_marked_in_the_body_maps_colour_and_with_dashes():
    svg = exercise_svg("glute-bridge", frame="lifted")  # glutes, hamstrings and lower back
    trunk = re.search(r'<path data-part="trunk_lower"[^>]*stroke="([^"]+)"', svg)[1]
    assert trunk == AREA_SELECTED_FILL
    assert "stroke-dasharray" in svg  # the marking survives black-and-white printing
    neck = re.search(r'<path data-part="neck"[^>]*stroke="([^"]+)"', svg)[1]
    assert neck != AREA_SELECTED_FILL


def test_size_sets_the_width_and_keeps_the_shape():
    small, large = exercise_svg("squat", size=100), exercise_svg("squat", size=300)
    assert 'width="100"' in small and 'width="300"' in large
    h_small = int(re.search(r'height="(\d+)"', small)[1])
    h_large = int(re.search(r'height="(\d+)"', large)[1])
    assert abs(h_large - 3 * h_small) <= 2
