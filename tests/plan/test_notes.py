"""Routine notes: what a person's conditions ask of them, said where they will read it."""

from __future__ import annotations

from backlib import plan_routine
from backlib.constants import FLOOR_POSITIONS
from backlib.labels import FALLS_FLOOR_ADVICE
from backlib.programme import Programme


def _on_floor(routine) -> bool:
    return any(item.exercise.position in FLOOR_POSITIONS for item in routine.items)


def test_with_a_risk_of_falls_a_session_on_the_floor_says_how_to_get_down_and_up():
    routine = plan_routine(
        ["hips", "lower_back"], 20, pain=4, conditions=("falls_risk",), equipment=("chair",)
    )
    assert _on_floor(routine)
    assert FALLS_FLOOR_ADVICE in routine.notes
    assert FALLS_FLOOR_ADVICE in Programme.from_routine(routine).routine(pain=4).notes


def test_the_floor_advice_is_not_given_when_the_session_stays_off_the_floor():
    chair_only = plan_routine(
        ["hips", "lower_back"],
        20,
        pain=4,
        conditions=("falls_risk", "no_floor_work"),
        equipment=("chair",),
    )
    assert not _on_floor(chair_only)
    assert FALLS_FLOOR_ADVICE not in chair_only.notes
    without_falls = plan_routine(["hips", "lower_back"], 20, pain=4)
    assert _on_floor(without_falls) and FALLS_FLOOR_ADVICE not in without_falls.notes


def test_a_condition_reads_as_a_sentence_where_it_explains_what_was_left_out():
    routine = plan_routine(["lower_back"], 20, pain=2, conditions=("no_floor_work",))
    said = " ".join(routine.notes)
    assert "Because of difficulty getting down to or up from the floor" in said
