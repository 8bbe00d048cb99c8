"""Routine: the kcal estimate, and a lossless round trip through to_dict and from_dict."""

from __future__ import annotations

import pytest
from plan_support import SYNTHETIC

from backlib.plan.planner import plan_routine
from backlib.plan.routine import Routine


def test_kcal_is_met_times_weight_times_hours_and_none_without_weight():
    routine = plan_routine(["neck"], 15, weight_kg=70, catalog=SYNTHETIC)
    expected = sum(i.exercise.met * 70 * i.seconds / 3600 for i in routine.items)
    assert routine.kcal == pytest.approx(expected)
    assert plan_routine(["neck"], 15, catalog=SYNTHETIC).kcal is None


def test_routine_round_trips_through_to_dict():
    routine = plan_routine(["upper_back"], 25, weight_kg=60, catalog=SYNTHETIC)
    again = Routine.from_dict(routine.to_dict(), SYNTHETIC)
    assert again == routine
    frame = routine.to_frame()
    assert list(frame["exercise_id"]) == [i.exercise_id for i in routine.items]
