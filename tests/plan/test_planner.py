"""Rules of plan_routine: request checks, time, structure, coverage, safety, optimality."""

from __future__ import annotations

import functools
import itertools
import math
import random
import re

import pytest
from catalog_factory import make_exercise, random_catalog, realistic_catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import backlib
from backlib.catalog import default_catalog_path, load_catalog
from backlib.constants import (
    ALWAYS_AVAILABLE,
    EQUIPMENT,
    LEVEL_ALLOWS,
    PAIN_AREAS,
    SEVERE_PAIN_MAX_MINUTES,
)
from backlib.errors import RequestError
from backlib.plan.doses import TRANSITION_S, dose_options, dose_seconds
from backlib.plan.engine import solve
from backlib.plan.model import STAGES, Problem, feasible, score
from backlib.plan.planner import plan_routine
from backlib.plan.routine import Routine

SYNTHETIC = realistic_catalog()
CATALOGS = {"synthetic": SYNTHETIC}
if default_catalog_path().is_file():
    CATALOGS["shipped"] = load_catalog()

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


# --- properties over random valid requests -------------------------------------------------


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
        assert any("90 %" in note for note in routine.notes)


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


def test_doses_rise_before_marginal_exercises_are_added():
    if "shipped" not in CATALOGS:
        pytest.skip("the shipped catalog has not landed in this checkout yet")
    routine = plan_routine(["lower_back", "hips"], 20, pain=3)
    above_default = [
        i
        for i in routine.items
        if i.sets > i.exercise.dose.sets.default
        or (i.reps or 0) > (i.exercise.dose.reps.default if i.exercise.dose.reps else 0)
        or (i.duration_s or 0)
        > (i.exercise.dose.duration_s.default if i.exercise.dose.duration_s else 0)
    ]
    assert above_default
    assert len(routine.phase_items("main")) <= 7
    assert all(
        set(routine.areas) & set(i.exercise.primary_areas) for i in routine.phase_items("main")
    )


def test_item_seconds_are_whole_multiples_of_five_rounded_up():
    odd = make_exercise("odd", reps=(7, 5, 9), seconds_per_rep=3, rest_s=0, sets=(1, 1, 1))
    assert dose_seconds(odd, 1, reps=7) == 35  # 7 × 3 + 10 = 31 s, rounded up to 35
    assert dose_seconds(odd, 1, reps=5) == 25  # 15 + 10 = 25 s exactly


# --- exactness: the planner's score equals a brute-force search's ---------------------------


def brute_force_best(problem: Problem) -> float | None:
    """Try every way to choose at most one dose option per exercise."""
    choices = [[None, *problem.candidates(i)] for i in range(len(problem.exercises))]
    for stage in STAGES:
        best = None
        for combo in itertools.product(*choices):
            selection = [c for c in combo if c is not None]
            if feasible(problem, selection, stage):
                value = score(problem, selection)
                best = value if best is None else max(best, value)
        if best is not None:
            return best
    return None


def tiny_problem(seed: int, size: int, minutes: float, severe: bool) -> Problem:
    rand = random.Random(seed)
    catalog = random_catalog(size, seed, tiny=True)
    exercises = tuple(catalog)
    areas = tuple(rand.sample(PAIN_AREAS, rand.randint(1, 2)))
    return Problem(
        exercises=exercises,
        options=tuple(dose_options(ex, severe)[:3] for ex in exercises),
        areas=areas,
        budget_s=int(minutes * 60),
        structured=minutes >= 10,
        need_relaxation=severe,
    )


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    seed=st.integers(0, 10_000),
    size=st.integers(2, 6),
    minutes=st.sampled_from((2, 4, 6, 10, 12)),
    severe=st.booleans(),
)
def test_planner_score_equals_brute_force_on_small_catalogs(seed, size, minutes, severe):
    problem = tiny_problem(seed, size, minutes, severe)
    expected = brute_force_best(problem)
    solution = solve(problem)
    if expected is None:
        assert solution is None
        return
    assert solution is not None
    assert feasible(problem, solution.selection, solution.stage)
    assert solution.score == pytest.approx(expected, abs=1e-6)


@settings(max_examples=15, deadline=None, derandomize=True)
@given(seed=st.integers(0, 10_000), size=st.integers(3, 6), shuffle=st.integers(1, 50))
def test_other_seeds_stay_near_best(seed, size, shuffle):
    problem = tiny_problem(seed, size, 12, False)
    best = solve(problem)
    other = solve(problem, seed=shuffle)
    if best is None:
        assert other is None
        return
    assert other.score >= best.score - 0.05 * abs(best.score) - 1e-6
    assert feasible(problem, other.selection, best.stage)


# --- specific rules --------------------------------------------------------------------------


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


def test_severe_pain_shortens_holds_by_a_fifth():
    catalog = backlib.Catalog(
        (make_exercise("hold-it", category="stretch", reps=(3, 2, 4), hold_s=(20, 10, 30)),)
    )
    holds = {o.hold_s for o in dose_options(catalog["hold-it"], severe=True)}
    assert holds == {16}  # 20 s cut by 20 % (pacing)


def test_moderate_pain_leaves_out_high_impact_work():
    routine = plan_routine(["hips"], 20, pain=5, catalog=SYNTHETIC)
    assert all("high_impact" not in i.exercise.cautions for i in routine.items)
    assert any("high-impact" in note for note in routine.notes)


def test_why_names_the_requested_area():
    routine = plan_routine(["lower_back"], 20, catalog=SYNTHETIC)
    main = routine.phase_items("main")
    assert any("lower back" in item.why for item in main)
    assert all(
        item.why.split()[0] in {"warms", "mobilises", "stretches", "strengthens", "calms", "works"}
        for item in main
    )


def test_kcal_is_met_times_weight_times_hours_and_none_without_weight():
    routine = plan_routine(["neck"], 15, weight_kg=70, catalog=SYNTHETIC)
    expected = sum(i.exercise.met * 70 * i.seconds / 3600 for i in routine.items)
    assert routine.kcal == pytest.approx(expected)
    assert plan_routine(["neck"], 15, catalog=SYNTHETIC).kcal is None


def test_item_seconds_formula_with_reps_hold_duration_and_sides():
    reps = make_exercise("r", reps=(10, 5, 15), seconds_per_rep=3, rest_s=20)
    held = make_exercise("h", reps=(10, 5, 15), hold_s=(5, 2, 8), per_side=True, rest_s=30)
    timed = make_exercise("d", duration_s=(60, 30, 120), rest_s=15)
    assert dose_seconds(reps, 2, reps=10) == 2 * 10 * 3 + 20 + TRANSITION_S
    assert dose_seconds(held, 2, reps=10, hold_s=5) == 2 * 10 * 5 * 2 + 30 + TRANSITION_S
    assert dose_seconds(timed, 3, duration_s=60) == 3 * 60 + 2 * 15 + TRANSITION_S


def test_routine_round_trips_through_to_dict():
    routine = plan_routine(["upper_back"], 25, weight_kg=60, catalog=SYNTHETIC)
    again = Routine.from_dict(routine.to_dict(), SYNTHETIC)
    assert again == routine
    frame = routine.to_frame()
    assert list(frame["exercise_id"]) == [i.exercise_id for i in routine.items]


def test_default_catalog_is_loaded_once():
    if "shipped" not in CATALOGS:
        pytest.skip("the shipped catalog has not landed in this checkout yet")
    from backlib.plan import request

    request._packaged_catalog.cache_clear()
    plan_routine(["neck"], 10)
    plan_routine(["neck"], 12)
    assert request._packaged_catalog.cache_info().misses == 1


# --- doses overrides -------------------------------------------------------------------------


def test_dose_override_inside_the_range_is_used():
    routine = plan_routine(
        ["lower_back"], 20, catalog=SYNTHETIC, doses={"glute-bridge": {"sets": 3, "reps": 12}}
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


@pytest.mark.parametrize(
    ("doses", "words"),
    [
        ({"glute-bridge": {"reps": 40}}, ["glute-bridge", "reps", "5..15"]),
        ({"glute-bridge": {"sets": 0}}, ["glute-bridge", "sets", "1..3"]),
        ({"glute-bridge": {"duration_s": 30}}, ["glute-bridge", "duration_s"]),
        ({"glute-bridge": {"tempo": 3}}, ["glute-bridge", "tempo", "sets"]),
        ({"glute-bridge": {"reps": 10.5}}, ["glute-bridge", "reps", "whole number"]),
        ({"no-such-exercise": {"reps": 10}}, ["no-such-exercise"]),
        ({"glute-bridge": 10}, ["glute-bridge"]),
        ([("glute-bridge", {})], ["doses"]),
    ],
)
def test_bad_dose_override_is_a_request_error_naming_exercise_field_and_range(doses, words):
    with pytest.raises(RequestError) as caught:
        plan_routine(["lower_back"], 20, catalog=SYNTHETIC, doses=doses)
    for word in words:
        assert word in str(caught.value)


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"areas": ["knee"]}, ["areas", "knee", "lower_back", "hamstrings"]),
        ({"areas": []}, ["areas", "at least one"]),
        ({"areas": None}, ["areas"]),
        ({"areas": [3]}, ["areas"]),
        ({"minutes": 4}, ["minutes", "5", "90"]),
        ({"minutes": 91}, ["minutes", "5", "90"]),
        ({"minutes": 12.5}, ["minutes", "whole"]),
        ({"minutes": "20"}, ["minutes"]),
        ({"minutes": True}, ["minutes"]),
        ({"minutes": float("nan")}, ["minutes"]),
        ({"pain": 11}, ["pain", "0", "10"]),
        ({"pain": -1}, ["pain", "0", "10"]),
        ({"pain": 5.5}, ["pain", "integer"]),
        ({"pain": "5"}, ["pain", "integer"]),
        ({"level": "expert"}, ["level", "beginner", "advanced"]),
        ({"level": None}, ["level"]),
        ({"equipment": ["barbell"]}, ["equipment", "barbell", "foam_roller"]),
        ({"equipment": 5}, ["equipment"]),
        ({"weight_kg": -3}, ["weight_kg"]),
        ({"weight_kg": "heavy"}, ["weight_kg"]),
        ({"seed": -1}, ["seed"]),
        ({"seed": 1.5}, ["seed"]),
        ({"red_flags": 5}, ["red_flags"]),
        ({"catalog": 42}, ["catalog"]),
    ],
)
def test_bad_input_is_a_request_error_naming_the_field(kwargs, words):
    request = {"areas": ["lower_back"], "minutes": 20, "catalog": SYNTHETIC, **kwargs}
    areas, minutes = request.pop("areas"), request.pop("minutes")
    with pytest.raises(RequestError) as caught:
        plan_routine(areas, minutes, **request)
    for word in words:
        assert word in str(caught.value)


def test_area_names_are_forgiving_about_case_spaces_and_single_strings():
    routine = plan_routine("Lower back", 10, catalog=SYNTHETIC)
    assert routine.areas == ("lower_back",)


def test_nothing_eligible_is_a_request_error_not_a_crash():
    catalog = backlib.Catalog((make_exercise("banded", equipment=("resistance_band",)),))
    with pytest.raises(RequestError) as caught:
        plan_routine(["lower_back"], 10, catalog=catalog)
    assert "equipment" in str(caught.value)


def test_planner_handles_a_large_random_catalog():
    catalog = random_catalog(300, seed=5)
    routine = plan_routine(["hips", "neck"], 45, level="advanced", catalog=catalog)
    assert 0.9 * 2700 <= routine.total_seconds <= 2700


@pytest.mark.parametrize("severe", [False, True])
def test_a_phase_table_resumed_without_an_exercise_equals_one_built_without_it(severe):
    from backlib.plan.engine import _PhaseTable, _TableSet

    exercises = tuple(SYNTHETIC)
    problem = Problem(
        exercises=exercises,
        options=tuple(dose_options(ex, severe) for ex in exercises),
        areas=("lower_back", "hips"),
        budget_s=(12 if severe else 40) * 60,
        structured=True,
        need_relaxation=severe,
        gentle=severe,
    )
    tables = _TableSet(problem).tables(narrow=True)
    checked = 0
    for phase in ("warmup", "main", "cooldown"):
        full = tables.phases[phase]
        for index in full.members:
            resumed = full.without(index)
            rest = [i for i in full.members if i != index]
            fresh = _PhaseTable(problem, rest, full.width, problem.need_relaxation)
            for relax in (False, True) if fresh.has_relaxation else (False,):
                assert resumed.row(relax) == pytest.approx(fresh.row(relax), abs=1e-9)
            checked += 1
    assert checked >= 10


def test_the_objective_in_the_model_docstring_uses_the_declared_weights():
    from backlib.plan import model

    doc = model.__doc__
    declared = dict(re.findall(r"^\s+([A-Z_]+) = ([0-9.]+)$", doc, flags=re.M))
    weights = {name for name in vars(model) if name.startswith(("W_", "RELEVANCE_"))}
    assert set(declared) == weights, "every weight is listed in the docstring, and only those"
    for name, value in declared.items():
        assert float(value) == getattr(model, name), name
    for name in weights:
        assert name in doc.split("The weights, as this module declares them")[0], name
    # The split threshold the docstring states follows from the weights.
    threshold = (model.W_ITEM / (model.W_TIME * (2 - math.sqrt(2)))) ** 2
    stated = float(re.search(r"about ([0-9.]+) minutes with these\s+weights", doc).group(1))
    assert abs(stated - threshold) < 0.05


def test_the_planner_docstring_does_not_restate_the_objective_numbers():
    from backlib.plan import planner

    assert "√" not in planner.__doc__ and "100·P" not in planner.__doc__
