"""The animation's timing follows the catalog's pace, and its poses ease between keyframes."""

from __future__ import annotations

import itertools

import pytest

from backlib.catalog import load_catalog
from backlib.figures.motion import HOLD_SHOWN_S, PAUSE_S, cycle_seconds, samples
from backlib.figures.poses import packaged_poses

CATALOG = load_catalog()
POSES = packaged_poses()


def test_a_moving_rep_takes_the_catalogs_seconds_per_rep_plus_short_pauses():
    pose, exercise = POSES["cat-cow"], CATALOG["cat-cow"]
    total, moves = cycle_seconds(pose, exercise)
    assert sum(moves) == pytest.approx(exercise.dose.seconds_per_rep)
    assert total == pytest.approx(exercise.dose.seconds_per_rep + PAUSE_S * len(moves))


def test_a_hold_is_shown_for_the_catalogs_hold_up_to_a_few_seconds():
    short = CATALOG["bird-dog"]  # held 4 s
    total, moves = cycle_seconds(POSES["bird-dog"], short)
    assert total == pytest.approx(sum(moves) + PAUSE_S * len(moves) + short.dose.hold_s.default)
    long_total, long_moves = cycle_seconds(POSES["childs-pose"], CATALOG["childs-pose"])
    assert long_total == pytest.approx(sum(long_moves) + PAUSE_S * len(long_moves) + HOLD_SHOWN_S)


def test_a_continuous_exercise_repeats_its_cycle():
    total, _ = cycle_seconds(POSES["walking"], CATALOG["walking"])
    assert total == pytest.approx(POSES["walking"].cycle_s)


@pytest.mark.parametrize("exercise_id", list(POSES))
def test_samples_run_forward_in_time_from_the_start_back_to_it(exercise_id):
    _, moments = samples(POSES[exercise_id], CATALOG[exercise_id])
    times = [m.at for m in moments]
    assert times[0] == 0 and times[-1] == 1
    assert all(a <= b for a, b in itertools.pairwise(times))
    assert moments[0].angles == moments[-1].angles == POSES[exercise_id].start.angles
