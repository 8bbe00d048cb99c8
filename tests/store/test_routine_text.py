"""The routine column: empty, or a routine that Routine.from_dict reads back against the catalog
and whose request the planner accepts (else a report re-planning it would fail)."""

from __future__ import annotations

import json

import pytest
from store_support import sample_routine

from backlib.constants import ROUTINE_TEXT_MAX
from backlib.errors import StoreError
from backlib.store.routine_text import check_routine_text


def _routine_data(catalog) -> dict:
    return sample_routine(catalog).to_dict()


def test_an_empty_routine_and_a_logged_routine_are_accepted(store_catalog):
    assert check_routine_text("", store_catalog) == ""
    text = json.dumps(_routine_data(store_catalog))
    assert check_routine_text(text, store_catalog) == text


def test_a_version_1_routine_of_exercise_ids_and_phases_stays_readable(store_catalog):
    text = json.dumps({"items": [{"exercise_id": "glute-bridge", "phase": "main"}]})
    assert check_routine_text(text, store_catalog) == text


def _changed(catalog, path: tuple, value) -> str:
    data = _routine_data(catalog)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return json.dumps(data)


@pytest.mark.parametrize(
    ("path", "value", "says"),
    [
        (("areas",), ["elbow"], "elbow"),
        (("areas",), "lower_back", "list"),
        (("minutes",), 500, "minutes"),
        (("minutes",), "20", "minutes"),
        (("level",), "expert", "level"),
        (("pain",), 11, "pain"),
        (("equipment",), ["rowing machine"], "equipment"),
        (("seed",), -1, "seed"),
        (("created",), "yesterday", "created"),
        (("notes",), "one note", "notes"),
        (("items",), {}, "items"),
        (("items", 0, "exercise_id"), "no-such-exercise", "no-such-exercise"),
        (("items", 0, "phase"), "middle", "phase"),
        (("items", 1, "sets"), 2.5, "sets"),
        (("items", 1, "reps"), "10", "reps"),
        (("items", 1, "per_side"), "no", "per_side"),
        (("items", 1, "seconds"), -5, "seconds"),
        (("items", 1, "why"), KeyError, "why"),
        (("items", 2), "child-pose", "item 3"),
        (("minutes",), KeyError, "minutes"),
    ],
)
def test_a_routine_the_planner_or_from_dict_cannot_read_is_refused(
    store_catalog, path, value, says
):
    with pytest.raises(StoreError, match="routine is not a routine") as caught:
        check_routine_text(_changed(store_catalog, path, value), store_catalog)
    assert caught.value.field == "routine"
    assert says in str(caught.value)


@pytest.mark.parametrize("text", ["not json", "{", "[]", "3", '"routine"', "null", '{"items": 3}'])
def test_text_that_is_not_a_routine_object_is_refused(store_catalog, text):
    with pytest.raises(StoreError) as caught:
        check_routine_text(text, store_catalog)
    assert caught.value.field == "routine"


def test_a_routine_longer_than_the_maximum_is_refused(store_catalog):
    data = _routine_data(store_catalog)
    data["notes"] = ["x" * ROUTINE_TEXT_MAX]
    with pytest.raises(StoreError, match="at most 100,000"):
        check_routine_text(json.dumps(data), store_catalog)
