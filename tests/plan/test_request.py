"""Request checks of plan_routine: a bad field or dose override is a RequestError naming it."""

from __future__ import annotations

import pytest
from plan_support import CATALOGS, SYNTHETIC

from backlib.errors import RequestError
from backlib.plan.planner import plan_routine

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


# --- doses overrides -------------------------------------------------------------------------


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


# --- the packaged catalog --------------------------------------------------------------------


def test_default_catalog_is_loaded_once():
    if "shipped" not in CATALOGS:
        pytest.skip("the shipped catalog has not landed in this checkout yet")
    from backlib.plan import request

    request._packaged_catalog.cache_clear()
    plan_routine(["neck"], 10)
    plan_routine(["neck"], 12)
    assert request._packaged_catalog.cache_info().misses == 1
