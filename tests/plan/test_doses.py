"""Doses: item seconds from the dose formula, the ladder of options, and fixed overrides."""

from __future__ import annotations

from catalog_factory import make_exercise
from plan_support import SYNTHETIC

import backlib
from backlib.plan.doses import TRANSITION_S, dose_options, dose_seconds
from backlib.plan.planner import plan_routine


def test_item_seconds_are_whole_multiples_of_five_rounded_up():
    odd = make_exercise("odd", reps=(7, 5, 9), seconds_per_rep=3, rest_s=0, sets=(1, 1, 1))
    assert dose_seconds(odd, 1, reps=7) == 35  # 7 × 3 + 10 = 31 s, rounded up to 35
    assert dose_seconds(odd, 1, reps=5) == 25  # 15 + 10 = 25 s exactly


def test_item_seconds_formula_with_reps_hold_duration_and_sides():
    reps = make_exercise("r", reps=(10, 5, 15), seconds_per_rep=3, rest_s=20)
    held = make_exercise("h", reps=(10, 5, 15), hold_s=(5, 2, 8), per_side=True, rest_s=30)
    timed = make_exercise("d", duration_s=(60, 30, 120), rest_s=15)
    assert dose_seconds(reps, 2, reps=10) == 2 * 10 * 3 + 20 + TRANSITION_S
    assert dose_seconds(held, 2, reps=10, hold_s=5) == 2 * 10 * 5 * 2 + 30 + TRANSITION_S
    assert dose_seconds(timed, 3, duration_s=60) == 3 * 60 + 2 * 15 + TRANSITION_S


def test_severe_pain_shortens_holds_by_a_fifth_to_a_whole_step():
    catalog = backlib.Catalog(
        (make_exercise("hold-it", category="stretch", reps=(3, 2, 4), hold_s=(20, 10, 30)),)
    )
    options = dose_options(catalog["hold-it"], pain=8)
    start = next(o for o in options if o.steps == 0)
    assert start.hold_s == 15  # 20 s cut by 20 % is 16 s, held in 5-s steps (pacing)
    assert max(o.hold_s for o in options) == 15, "never raised"


# --- doses overrides -------------------------------------------------------------------------


def test_dose_override_inside_the_range_is_used():
    routine = plan_routine(
        ["lower_back"],
        20,
        catalog=SYNTHETIC,
        doses={"glute-bridge": {"sets": 3, "reps": 12}},
        keep=["glute-bridge"],
    )
    (bridge,) = [i for i in routine.items if i.exercise_id == "glute-bridge"]
    assert (bridge.sets, bridge.reps) == (3, 12)


def test_dose_override_accepts_none_values_from_item_dose():
    routine = plan_routine(["lower_back"], 20, catalog=SYNTHETIC)
    doses = {item.exercise_id: item.dose() for item in routine.items}
    again = plan_routine(["lower_back"], 20, catalog=SYNTHETIC, doses=doses)
    assert [i.dose() for i in again.items if i.exercise_id in doses] == [
        doses[i.exercise_id] for i in again.items if i.exercise_id in doses
    ]
