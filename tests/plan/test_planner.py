"""Rules of plan_routine: time, structure, coverage, safety and the shape of a routine."""

from __future__ import annotations

import functools

import pytest
from catalog_factory import make_exercise, random_catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_support import CATALOGS, SYNTHETIC

import backlib
from backlib.constants import (
    ALWAYS_AVAILABLE,
    EQUIPMENT,
    LEVEL_ALLOWS,
    PAIN_AREAS,
    SEVERE_PAIN_MAX_MINUTES,
)
from backlib.errors import RequestError
from backlib.plan.doses import dose_seconds
from backlib.plan.planner import plan_routine
from backlib.plan.routine import Routine

PROPERTY = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


requests = st.fixed_dictionaries(
    {
        "areas": st.lists(st.sampled_from(PAIN_AREAS), min_size=1, max_size=3, unique=True),
        "minutes": st.integers(5, 90),
        "level": st.sampled_from(("beginner", "intermediate", "advanced")),
        "pain": st.one_of(st.none(), st.integers(0, 10)),
        "equipment": st.lists(st.sampled_from(EQUIPMENT), max_size=3, unique=True),
        "seed": st.sampled_from((0, 0, 1, 7)),
        "catalog": st.sampled_from(sorted(CATALOGS)),
    }
)


@functools.cache
def _plan_cached(areas, minutes, level, pain, equipment, seed, catalog) -> Routine:
    return plan_routine(
        list(areas),
        minutes,
        level=level,
        pain=pain,
        equipment=list(equipment),
        seed=seed,
        catalog=CATALOGS[catalog],
    )


def plan(request: dict) -> Routine:
    return _plan_cached(
        tuple(request["areas"]),
        request["minutes"],
        request["level"],
        request["pain"],
        tuple(request["equipment"]),
        request["seed"],
        request["catalog"],
    )


def budget_s(routine: Routine) -> int:
    asked = routine.minutes * 60
    if routine.pain is not None and routine.pain >= 7:
        return min(int(asked * 0.8), SEVERE_PAIN_MAX_MINUTES * 60)
    return asked


# --- properties over random valid requests ---------------------------------------------------


@PROPERTY
@given(requests)
def test_total_never_exceeds_the_budget_and_is_the_sum_of_items(request):
    routine = plan(request)
    assert routine.total_seconds == sum(item.seconds for item in routine.items)
    assert 0 < routine.total_seconds <= budget_s(routine) <= routine.minutes * 60


@PROPERTY
@given(requests)
def test_ten_minutes_and_more_fill_at_least_90_percent_or_say_why(request):
    routine = plan(request)
    if budget_s(routine) >= 600 and routine.total_seconds < 0.9 * budget_s(routine):
        assert any("shorter routine at the right dose" in note for note in routine.notes)


@PROPERTY
@given(requests)
def test_severe_pain_keeps_the_session_short_and_says_why(request):
    routine = plan(request)
    if routine.pain is not None and routine.pain >= 7:
        assert routine.total_seconds <= SEVERE_PAIN_MAX_MINUTES * 60
        assert routine.total_seconds <= 0.8 * routine.minutes * 60
        assert any("pacing" in note for note in routine.notes)


@PROPERTY
@given(requests)
def test_items_come_in_phase_order(request):
    routine = plan(request)
    order = {"warmup": 0, "main": 1, "cooldown": 2}
    ranks = [order[item.phase] for item in routine.items]
    assert ranks == sorted(ranks)
    for item in routine.items:
        assert item.phase in item.exercise.phases


@PROPERTY
@given(requests)
def test_warmup_and_cooldown_take_10_to_25_percent_from_ten_minutes(request):
    routine = plan(request)
    if budget_s(routine) < 600 or any("phases are uneven" in n for n in routine.notes):
        return
    shares = routine.phase_seconds()
    for phase in ("warmup", "cooldown"):
        assert 0.10 * routine.total_seconds <= shares[phase] <= 0.25 * routine.total_seconds
    assert routine.phase_items("main")


@PROPERTY
@given(requests)
def test_from_15_minutes_every_area_is_a_primary_main_target_or_a_note_says_why(request):
    routine = plan(request)
    if routine.minutes < 15:
        return
    from backlib.labels import AREA_LABELS

    for area in routine.areas:
        covered = any(i.phase == "main" and area in i.exercise.primary_areas for i in routine.items)
        if not covered:
            assert any(AREA_LABELS[area] in note and "first" in note for note in routine.notes), (
                area,
                routine.notes,
            )


@PROPERTY
@given(requests)
def test_each_area_gets_mobility_and_strength_work_or_a_note_says_why(request):
    routine = plan(request)
    if routine.minutes < 15:
        return
    from backlib.labels import AREA_LABELS

    for area in routine.areas:
        label = AREA_LABELS[area]
        mobility = any(
            i.exercise.category in ("mobility", "stretch") and area in i.exercise.areas
            for i in routine.items
        )
        strength = any(
            i.phase == "main" and i.exercise.category == "strength" and area in i.exercise.areas
            for i in routine.items
        )
        if not mobility:
            assert any(label in n and "mobility or stretch" in n for n in routine.notes)
        if not strength:
            assert any(label in n and "strength work" in n for n in routine.notes)


@PROPERTY
@given(requests)
def test_pain_rules_exclude_unsafe_movements_and_shorten_holds(request):
    routine = plan(request)
    pain = routine.pain
    for item in routine.items:
        cautions = set(item.exercise.cautions)
        if pain is not None and pain >= 4:
            assert "high_impact" not in cautions
        if pain is not None and pain >= 7:
            assert not cautions & {"high_impact", "loaded_flexion", "rotation_under_load"}
            if item.hold_s is not None and item.exercise.dose.hold_s.default > 1:
                assert item.hold_s < item.exercise.dose.hold_s.default or (
                    item.hold_s == item.exercise.dose.hold_s.min
                )
    if pain is not None and pain >= 7:
        has_relaxation = any(i.exercise.category == "relaxation" for i in routine.items)
        assert has_relaxation or any("breathing" in n for n in routine.notes)


@PROPERTY
@given(requests)
def test_nobody_gets_an_exercise_above_their_level(request):
    routine = plan(request)
    for item in routine.items:
        assert item.exercise.level in LEVEL_ALLOWS[routine.level]
        if routine.level == "beginner":
            assert item.exercise.level == "beginner"


@PROPERTY
@given(requests)
def test_only_equipment_the_person_has(request):
    routine = plan(request)
    have = ALWAYS_AVAILABLE | set(routine.equipment)
    for item in routine.items:
        assert set(item.exercise.equipment) <= have


@PROPERTY
@given(requests)
def test_no_exercise_twice_and_every_item_carries_its_stop_rule(request):
    routine = plan(request)
    ids = [item.exercise_id for item in routine.items]
    assert len(ids) == len(set(ids))
    for item in routine.items:
        assert item.stop_if and item.stop_if == item.exercise.stop_if
        assert item.why


@PROPERTY
@given(requests)
def test_item_seconds_come_from_the_dose_and_stay_in_range(request):
    routine = plan(request)
    for item in routine.items:
        dose = item.exercise.dose
        assert item.seconds == dose_seconds(
            item.exercise, item.sets, item.reps, item.hold_s, item.duration_s
        )
        assert dose.sets.min <= item.sets <= dose.sets.max
        for field in ("reps", "hold_s", "duration_s"):
            value, allowed = getattr(item, field), getattr(dose, field)
            assert (value is None) == (allowed is None)
            if value is not None:
                assert allowed.min <= value <= allowed.max
        assert item.per_side == dose.per_side


@PROPERTY
@given(requests)
def test_same_request_and_seed_give_the_same_routine(request):
    first = plan(request).to_dict()
    again = plan_routine(
        request["areas"],
        request["minutes"],
        level=request["level"],
        pain=request["pain"],
        equipment=request["equipment"],
        seed=request["seed"],
        catalog=CATALOGS[request["catalog"]],
    ).to_dict()
    assert first == again


# --- shape: a few well-dosed, relevant exercises (shipped catalog) ---------------------------


shipped_requests = requests.filter(lambda r: "shipped" in CATALOGS).map(
    lambda r: {**r, "catalog": "shipped"}
)


@PROPERTY
@given(shipped_requests)
def test_from_15_minutes_a_few_well_dosed_items_not_many_token_ones(request):
    routine = plan(request)
    if routine.minutes < 15:
        return
    seconds = sorted(item.seconds for item in routine.items)
    assert len(seconds) <= routine.minutes / 1.5 + 3, [i.exercise_id for i in routine.items]
    median = (
        seconds[len(seconds) // 2]
        if len(seconds) % 2
        else sum(seconds[len(seconds) // 2 - 1 : len(seconds) // 2 + 1]) / 2
    )
    assert median >= 60, seconds


@PROPERTY
@given(shipped_requests)
def test_every_main_item_works_a_requested_area_or_a_note_says_why(request):
    routine = plan(request)
    for item in routine.phase_items("main"):
        if not set(routine.areas) & set(item.exercise.areas):
            assert any(item.name in note for note in routine.notes), item.exercise_id


@PROPERTY
@given(shipped_requests)
def test_severe_pain_keeps_strength_work_out_of_the_warm_up(request):
    routine = plan(request)
    if routine.pain is not None and routine.pain >= 7:
        assert all(i.exercise.category != "strength" for i in routine.phase_items("warmup"))


def test_time_is_filled_by_exercises_never_by_raising_a_dose():
    if "shipped" not in CATALOGS:
        pytest.skip("the shipped catalog has not landed in this checkout yet")
    routine = plan_routine(["lower_back", "hips"], 20, pain=3)
    above_default = [
        i
        for i in routine.items
        if i.sets > i.exercise.dose.sets.default
        or (i.reps or 0) > (i.exercise.dose.reps.default if i.exercise.dose.reps else 0)
    ]
    assert above_default == []
    assert all(set(routine.areas) & set(i.exercise.areas) for i in routine.phase_items("main"))


def test_another_seed_gives_a_different_near_best_routine():
    best = plan_routine(["lower_back"], 30, catalog=SYNTHETIC)
    ids = {tuple(i.exercise_id for i in best.items)}
    for seed in (1, 2, 3):
        other = plan_routine(["lower_back"], 30, catalog=SYNTHETIC, seed=seed)
        assert {i.exercise_id for i in other.items} != {i.exercise_id for i in best.items}
        ids.add(tuple(i.exercise_id for i in other.items))
    assert len(ids) >= 3


def test_five_to_nine_minutes_gives_a_short_routine_without_structure_rules():
    routine = plan_routine(["hips"], 6, catalog=SYNTHETIC)
    assert 0 < routine.total_seconds <= 360
    assert routine.items


def test_structured_routine_has_warmup_main_and_cooldown():
    routine = plan_routine(["lower_back", "glutes"], 30, catalog=SYNTHETIC)
    assert routine.total_seconds >= 0.9 * 1800
    assert all(routine.phase_items(p) for p in ("warmup", "main", "cooldown"))
    assert routine.notes == ()


def test_severe_pain_gives_a_gentle_short_routine_with_breathing():
    routine = plan_routine(["lower_back"], 40, pain=8, catalog=SYNTHETIC)
    assert routine.total_seconds <= SEVERE_PAIN_MAX_MINUTES * 60
    assert any(i.exercise.category == "relaxation" for i in routine.items)
    assert any("8/10" in note for note in routine.notes)


def test_moderate_pain_leaves_out_high_impact_work():
    routine = plan_routine(["hips"], 20, pain=5, catalog=SYNTHETIC)
    assert all("high_impact" not in i.exercise.cautions for i in routine.items)
    assert any("suited to that pain" in note for note in routine.notes)


def test_why_names_the_requested_area():
    routine = plan_routine(["lower_back"], 20, catalog=SYNTHETIC)
    main = routine.phase_items("main")
    assert any("lower back" in item.why for item in main)
    assert all(
        item.why.split()[0] in {"warms", "mobilises", "stretches", "strengthens", "calms", "works"}
        for item in main
    )


def test_nothing_eligible_is_a_request_error_not_a_crash():
    catalog = backlib.Catalog((make_exercise("banded", equipment=("resistance_band",)),))
    with pytest.raises(RequestError) as caught:
        plan_routine(["lower_back"], 10, catalog=catalog)
    assert "equipment" in str(caught.value)


def test_planner_handles_a_large_random_catalog():
    catalog = random_catalog(300, seed=5)
    routine = plan_routine(["hips", "neck"], 45, level="advanced", catalog=catalog)
    assert 0.9 * 2700 <= routine.total_seconds <= 2700


def test_the_planner_docstring_does_not_restate_the_objective_numbers():
    from backlib.plan import planner

    assert "√" not in planner.__doc__ and "100·P" not in planner.__doc__


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_only_the_requests_kept_exercises_are_called_part_of_the_programme(seed):
    # Another routine (a seed) re-plans around the items it holds: they are no programme.
    routine = plan_routine(areas=["lower_back"], minutes=20, pain=3, seed=seed, keep=["cat-cow"])
    for item in routine.items:
        from_programme = item.reason.startswith("Part of your programme")
        assert from_programme == (item.exercise_id == "cat-cow"), (item.exercise_id, item.reason)


@pytest.mark.parametrize(
    "request_",
    [
        {"areas": ["lower_back"], "minutes": 30, "pain": 2, "level": "intermediate"},
        {"areas": ["neck", "shoulders"], "minutes": 10, "pain": 3},  # arm circles warm up
    ],
)
def test_every_reason_reads_as_a_sentence_about_the_kind_of_work(request_):
    routine = plan_routine(**request_)
    assert any(item.phase == "warmup" for item in routine.items)
    for item in routine.items:
        assert "its gets" not in item.reason and item.reason.endswith(".")
        assert "warm-up work for the warm-up" not in item.reason
