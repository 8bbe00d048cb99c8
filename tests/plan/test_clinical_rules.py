"""Clinical sense before filling the minutes: properties of every plan over random valid requests.

Each property is a rule a physiotherapist would check: doses start low and follow the level and
today's pain; nothing is planned above its pain ceiling or against a condition; the time is
honest; the routine flows by position with one variant per movement; a programme's exercises
stay at their doses.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backlib import plan_routine
from backlib.catalog import load_catalog
from backlib.constants import (
    CONDITION_CAUTIONS,
    CONDITION_POSITIONS,
    CONDITIONS,
    DOSE_VARIABLES,
    EQUIPMENT,
    FLOOR_POSITIONS,
    LEVELS,
    PAIN_AREAS,
    POSITIONS,
    SEVERE_PAIN,
)
from backlib.plan.doses import dose_seconds, is_continuous
from backlib.plan.steps import default_dose, start_dose, step_down, step_up

CATALOG = load_catalog()
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

requests = st.fixed_dictionaries(
    {
        "areas": st.lists(st.sampled_from(PAIN_AREAS), min_size=1, max_size=3, unique=True),
        "minutes": st.integers(5, 90),
        "level": st.sampled_from(LEVELS),
        "pain": st.one_of(st.none(), st.integers(0, 10)),
        "equipment": st.lists(st.sampled_from(EQUIPMENT), max_size=3, unique=True),
        "conditions": st.lists(st.sampled_from(CONDITIONS), max_size=2, unique=True),
        "seed": st.sampled_from([0, 0, 1, 7]),
    }
)


def _dose(item) -> dict[str, int | None]:
    return {v: getattr(item, v) for v in DOSE_VARIABLES}


@SETTINGS
@given(request=requests)
def test_first_plans_start_at_the_start_dose_and_never_above_it(request):
    routine = plan_routine(**request)
    for item in routine.items:
        start = start_dose(item.exercise, request["level"], request["pain"])
        for variable in ("sets", "reps", "hold_s"):
            if start[variable] is not None:
                assert getattr(item, variable) <= start[variable], (item.exercise_id, variable)
        if start["duration_s"] is not None and not is_continuous(item.exercise):
            assert item.duration_s <= start["duration_s"], item.exercise_id


@SETTINGS
@given(request=requests)
def test_a_beginner_or_anyone_at_pain_four_or_more_never_starts_above_the_default(request):
    if request["level"] != "beginner" and (request["pain"] is None or request["pain"] < 4):
        request = {**request, "level": "beginner"}
    routine = plan_routine(**request)
    for item in routine.items:
        default = default_dose(item.exercise)
        for variable in ("sets", "reps", "hold_s"):
            if default[variable] is not None:
                assert getattr(item, variable) <= default[variable], (item.exercise_id, variable)


@SETTINGS
@given(request=requests)
def test_severe_pain_keeps_sets_and_reps_at_most_the_default_and_holds_shorter(request):
    request = {**request, "pain": max(request["pain"] or 0, SEVERE_PAIN)}
    routine = plan_routine(**request)
    for item in routine.items:
        default = default_dose(item.exercise)
        assert item.sets <= default["sets"]
        if default["reps"] is not None:
            assert item.reps <= default["reps"]
        hold_range = item.exercise.dose.hold_s
        if hold_range is not None and hold_range.default > hold_range.min:
            assert item.hold_s < hold_range.default, item.exercise_id


def test_the_level_changes_the_start_dose_one_step_per_level_above_the_exercise():
    bridge = CATALOG["glute-bridge"]
    beginner, intermediate, advanced = (start_dose(bridge, level) for level in LEVELS)
    assert beginner == default_dose(bridge)
    assert intermediate == step_up(bridge, beginner)[0]
    assert advanced == step_up(bridge, intermediate)[0]
    assert start_dose(bridge, "advanced", pain=5) == beginner, "pain 4-6: the default"


@SETTINGS
@given(request=requests)
def test_nothing_is_planned_above_its_pain_ceiling_or_against_a_condition(request):
    routine = plan_routine(**request)
    for item in routine.items:
        exercise = item.exercise
        assert exercise.plannable
        if request["pain"] is not None:
            assert request["pain"] <= exercise.pain_max, exercise.id
        for condition in request["conditions"]:
            assert not CONDITION_CAUTIONS[condition] & set(exercise.cautions), (
                condition,
                exercise.id,
            )
            assert exercise.position not in CONDITION_POSITIONS.get(condition, ()), exercise.id


@SETTINGS
@given(request=requests)
def test_severe_pain_keeps_a_warm_up_and_a_cool_down_from_ten_minutes(request):
    request = {**request, "pain": 8, "minutes": max(request["minutes"], 10), "conditions": []}
    routine = plan_routine(**request)
    phases = {item.phase for item in routine.items}
    assert {"warmup", "cooldown"} <= phases, [i.exercise_id for i in routine.items]
    assert sum("pacing" in note for note in routine.notes) == 1, "pacing is explained once"


def test_severe_pain_opens_with_a_warm_up_when_every_gentle_move_works_a_requested_area():
    # Hypothesis found it: mid and lower back and neck cover every gentle mobility exercise,
    # so all were placed in the main part and the session had no warm-up.
    routine = plan_routine(areas=["mid_back", "lower_back", "neck"], minutes=10, pain=8, seed=1)
    phases = [item.phase for item in routine.items]
    assert phases[0] == "warmup" and "cooldown" in phases and "main" in phases
    opener = routine.items[0].exercise
    assert opener.category in {"warmup", "cardio", "mobility"}


@SETTINGS
@given(request=requests)
def test_time_is_honest_and_the_countdown_takes_the_planned_seconds(request):
    routine = plan_routine(**request)
    assert routine.total_seconds <= request["minutes"] * 60
    for item in routine.items:
        steps = item.timed_steps()
        assert sum(step.seconds for step in steps) == item.seconds
        assert item.seconds == dose_seconds(
            item.exercise, item.sets, item.reps, item.hold_s, item.duration_s
        )
        if item.hold_s and item.exercise.dose.seconds_per_rep:
            holds = [s for s in steps if s.kind == "hold"]
            resets = [s for s in steps if s.kind == "reset"]
            assert len(resets) == len(holds), "getting in and out of every held rep is counted"


@SETTINGS
@given(request=requests)
def test_a_session_never_warms_up_on_the_floor(request):
    # It opens standing or sitting and gets down to the floor once (model.place and the opener
    # a severe day's short session borrows from the main part alike).
    routine = plan_routine(**request)
    floor = [
        i.exercise_id
        for i in routine.items
        if i.phase == "warmup" and i.exercise.position in FLOOR_POSITIONS
    ]
    assert floor == []


@SETTINGS
@given(request=requests)
def test_a_routine_flows_by_position_and_has_one_variant_of_each_movement(request):
    routine = plan_routine(**request)
    families = [item.exercise.family for item in routine.items]
    assert len(families) == len(set(families)), families
    for phase in ("warmup", "main", "cooldown"):
        ranks = [POSITIONS.index(i.exercise.position) for i in routine.phase_items(phase)]
        assert ranks == sorted(ranks) or ranks == sorted(ranks, reverse=True), (phase, ranks)


def test_the_whole_routine_gets_down_to_the_floor_once():
    routine = plan_routine(["lower_back", "hips"], 45, pain=2)
    ranks = [POSITIONS.index(item.exercise.position) for item in routine.items]
    turns = sum(
        1 for a, b, c in zip(ranks, ranks[1:], ranks[2:], strict=False) if (b - a) * (c - b) < 0
    )
    assert turns <= 2, [item.exercise.position for item in routine.items]


@SETTINGS
@given(request=requests, data=st.data())
def test_a_programme_keeps_its_exercises_at_their_doses_and_adds_only_start_doses(request, data):
    request = {**request, "seed": 0}
    first = plan_routine(**request)
    if not first.items:
        return
    kept = data.draw(
        st.lists(st.sampled_from([i.exercise_id for i in first.items]), min_size=1, unique=True)
    )
    doses = {i.exercise_id: i.dose() for i in first.items if i.exercise_id in kept}
    again = plan_routine(**request, keep=kept, doses=doses)
    planned = {item.exercise_id: item for item in again.items}
    for exercise_id in kept:
        assert exercise_id in planned, exercise_id
        assert _dose(planned[exercise_id]) == doses[exercise_id]
    for item in again.items:
        if item.exercise_id not in kept:
            start = start_dose(item.exercise, request["level"], request["pain"])
            assert all(
                getattr(item, v) <= start[v]
                for v in ("sets", "reps", "hold_s")
                if start[v] is not None
            )


def _kept_again(request: dict, kept: list[str]):
    """The request planned again keeping ``kept`` from its first routine, at their doses."""
    first = plan_routine(**request)
    doses = {i.exercise_id: i.dose() for i in first.items if i.exercise_id in kept}
    return plan_routine(**request, keep=kept, doses=doses), doses


@pytest.mark.parametrize(
    ("request_", "left_out"),
    [
        # The first routine's warm-up is under 10 % of it (uneven phases): keeping the rest
        # must not trade a kept exercise for a warm-up share.
        ({"areas": ["neck", "mid_back"], "minutes": 17, "pain": 7}, "arm-circles"),
        # Kept walking is more than 25 % of any routine that fits: the shares give way.
        ({"areas": ["neck", "shoulders", "lower_back"], "minutes": 17}, None),
    ],
)
def test_a_kept_exercise_stays_when_the_earlier_routine_fits(request_, left_out):
    request = {**request_, "level": "beginner"}
    first = [i.exercise_id for i in plan_routine(**request).items]
    kept = [i for i in first if i != left_out] if left_out else ["walking"]
    assert set(kept) <= set(first)
    again, doses = _kept_again(request, kept)
    planned = {item.exercise_id: item for item in again.items}
    assert set(kept) <= set(planned), set(kept) - set(planned)
    assert all(_dose(planned[k]) == doses[k] for k in kept)
    assert not any("from your programme is not in" in note for note in again.notes)
    # The shares gave way to the programme, and the note says so.
    assert any("programme's exercises kept in" in note for note in again.notes), again.notes


@pytest.mark.parametrize(
    ("areas", "minutes", "pain"),
    [
        (["neck", "mid_back"], 17, 8),
        (["lower_back", "hips"], 20, 8),
        (["upper_back", "mid_back"], 15, 8),
        (["upper_back", "mid_back"], 17, 7),
        (["neck", "shoulders", "lower_back"], 12, 8),
        (["neck", "shoulders", "lower_back"], 25, 8),
    ],
)
def test_at_severe_pain_every_routine_but_one_exercise_stays_when_kept(areas, minutes, pain):
    request = {"areas": areas, "minutes": minutes, "pain": pain, "level": "beginner"}
    first = [item.exercise_id for item in plan_routine(**request).items]
    for left_out in first:
        kept = [i for i in first if i != left_out]
        again, _ = _kept_again(request, kept)
        planned = {item.exercise_id for item in again.items}
        assert set(kept) <= planned, (left_out, set(kept) - planned)
        assert any(item.exercise.category == "relaxation" for item in again.items)


def test_after_a_step_down_the_kept_load_is_lower_and_nothing_new_starts_higher():
    request = {"areas": ["lower_back", "glutes"], "minutes": 30, "level": "intermediate", "pain": 2}
    first = plan_routine(**request)
    kept = [item.exercise_id for item in first.items]
    lowered = {item.exercise_id: step_down(item.exercise, item.dose())[0] for item in first.items}
    again = plan_routine(**request, keep=kept, doses=lowered)
    before = {item.exercise_id: item.seconds for item in first.items}
    after = {item.exercise_id: item.seconds for item in again.items if item.exercise_id in kept}
    assert sum(after.values()) < sum(before[k] for k in after)
    for item in again.items:
        if item.exercise_id not in kept:
            start = start_dose(item.exercise, "intermediate", 2)
            assert item.sets <= start["sets"]


def test_a_shuffle_changes_at_least_two_exercises_and_stays_near_the_best():
    request = {"areas": ["lower_back"], "minutes": 30, "pain": 2}
    best = {i.exercise_id for i in plan_routine(**request).items}
    for seed in (1, 2, 3):
        other = {i.exercise_id for i in plan_routine(**request, seed=seed).items}
        assert len(best - other) >= 2, (seed, best ^ other)


def test_an_unknown_condition_is_refused_listing_the_known_ones():
    from backlib.errors import RequestError

    with pytest.raises(RequestError, match="pregnancy") as caught:
        plan_routine(["lower_back"], 20, conditions=["bad back"])
    assert caught.value.field == "conditions"


def test_every_item_says_why_it_was_chosen():
    routine = plan_routine(["neck", "shoulders"], 20, pain=3)
    assert all(item.reason for item in routine.items)
    assert list(routine.to_frame()["reason"]) == [item.reason for item in routine.items]


def test_a_flag_a_clinician_cleared_plans_a_routine_that_names_it():
    from backlib import RedFlagError

    with pytest.raises(RedFlagError):
        plan_routine(["lower_back"], 20, red_flags=["weight_loss"])
    routine = plan_routine(["lower_back"], 20, red_flags=["weight_loss"], cleared=["weight_loss"])
    assert routine.items and "Cleared by a clinician" in routine.notes[0]


def test_an_emergency_flag_can_never_be_cleared():
    from backlib.errors import RequestError

    with pytest.raises(RequestError) as caught:
        plan_routine(["lower_back"], 20, red_flags=["bladder_change"], cleared=["bladder_change"])
    assert caught.value.field == "cleared"


def test_new_pain_over_fifty_stops_the_plan_until_assessed():
    from backlib import RedFlagError

    with pytest.raises(RedFlagError):
        plan_routine(["lower_back"], 20, age=60)
    assert plan_routine(["lower_back"], 20, age=60, cleared=["new_onset_age"]).items


def test_a_yes_to_readiness_plans_gently_and_advises_a_doctor_first():
    from backlib import READINESS_TOPICS

    topic = next(iter(READINESS_TOPICS))
    gentle = plan_routine(["lower_back"], 30, pain=2, readiness=[topic])
    usual = plan_routine(["lower_back"], 30, pain=2)
    assert gentle.total_seconds <= 15 * 60 < usual.total_seconds
    assert any("doctor" in note for note in gentle.notes)
    assert any(item.exercise.category == "relaxation" for item in gentle.items)
    assert gentle.pain == 2, "the routine keeps the pain the person gave"
