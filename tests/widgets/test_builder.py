"""The routine builder without a browser: set .value, .click(), check what is shown and planned."""

from __future__ import annotations

import base64
import re

import pytest

import backlib
from backlib.widgets.guided import GuidedSession


def _total_seconds(text: str) -> int:
    match = re.match(r"Total (?:(\d+) min)?\s*(?:(\d+) s)?", text)
    assert match, text
    return int(match.group(1) or 0) * 60 + int(match.group(2) or 0)


def _messages(builder) -> list[str]:
    return [box.value for box in builder.messages.children]


def test_builder_starts_with_sensible_defaults_and_stable_classes():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    assert builder.body_map.value == ["lower_back"]
    assert (builder.minutes.value, builder.minutes.min, builder.minutes.max) == (20, 5, 90)
    assert builder.level.value == "beginner"
    assert "backlib-minutes" in builder.minutes._dom_classes
    assert "backlib-pain" in builder.pain._dom_classes
    assert "backlib-level" in builder.level._dom_classes
    assert "backlib-generate" in builder.generate_button._dom_classes
    assert "backlib-shuffle" in builder.shuffle_button._dom_classes
    assert "backlib-routine" in builder.routine_view._dom_classes
    assert "backlib-total" in builder.total._dom_classes
    assert set(builder.red_flags) == set(backlib.RED_FLAGS)
    for flag_id, box in builder.red_flags.items():
        assert f"backlib-redflag-{flag_id}" in box._dom_classes


def test_generate_shows_three_phases_within_the_budget_as_the_planner_plans_it():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.body_map.value = ["lower_back", "hips"]
    builder.minutes.value = 20
    builder.generate_button.click()
    routine = builder.routine
    assert routine is not None
    expected = backlib.plan_routine(["lower_back", "hips"], 20, level="beginner", pain=3)
    assert routine.to_dict()["items"] == expected.to_dict()["items"]
    shown = builder.routine_view.value
    for phase in ("warmup", "main", "cooldown"):
        assert f"backlib-item backlib-phase-{phase}" in shown
    assert shown.count('class="backlib-item ') == len(routine.items)
    assert _total_seconds(builder.total.value) == routine.total_seconds <= 20 * 60
    assert not builder.guided_button.disabled


def test_handout_link_carries_the_printable_page_inline():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.generate()
    match = re.search(r'href="data:text/html;charset=utf-8;base64,([^"]+)"', builder.handout.value)
    assert match and "download=" in builder.handout.value
    assert base64.b64decode(match.group(1)).decode("utf-8") == builder.routine.to_html()


def test_a_red_flag_answer_shows_an_alert_and_no_routine():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.generate()
    assert builder.routine is not None
    flag = next(iter(backlib.RED_FLAGS))
    builder.red_flags[flag].value = True
    builder.generate_button.click()
    assert builder.routine is None
    assert builder.routine_view.value == "" and builder.total.value == ""
    assert builder.guided_button.disabled
    (message,) = builder.messages.children
    assert "backlib-alert" in message._dom_classes
    assert "no routine" in message.value.lower()
    assert message.value.lower().count("no routine was planned") == 1


def test_no_area_selected_asks_for_one_under_the_body_map():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.body_map.value = []
    builder.generate()
    assert builder.routine is None
    assert "at least one painful area" in builder.field_errors["areas"].value
    assert not builder.field_errors["weight_kg"].value


def test_a_weight_that_is_not_a_number_is_refused_and_a_weight_gives_energy():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.weight.value = "seventy"
    builder.generate()
    assert builder.routine is None
    assert "Body weight" in builder.field_errors["weight_kg"].value, "shown under its field"
    assert any("marked in red" in text for text in _messages(builder))
    builder.weight.value = "70"
    routine = builder.generate()
    assert not builder.field_errors["weight_kg"].value, "a corrected field is cleared"
    assert routine.weight_kg == 70.0
    assert f"about {round(routine.kcal)} kcal" in builder.total.value


def test_shuffle_asks_the_planner_for_the_next_seed():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    first = builder.generate()
    builder.shuffle_button.click()
    assert builder.routine.seed == first.seed + 1
    expected = backlib.plan_routine(["lower_back"], 20, pain=3, seed=first.seed + 1)
    assert builder.routine.to_dict()["items"] == expected.to_dict()["items"]


def test_equipment_level_and_pain_reach_the_planner():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.equipment["chair"].value = True
    builder.level.value = "intermediate"
    builder.pain.value = 6
    routine = builder.generate()
    assert "chair" in routine.equipment
    assert (routine.level, routine.pain) == ("intermediate", 6)


def test_guided_button_steps_through_the_generated_routine():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder()
    builder.generate()
    builder.guided_button.click()
    (session,) = builder.guided.children
    assert isinstance(session, GuidedSession)
    assert session.routine is builder.routine


def test_choosing_a_patient_plans_with_their_adapted_doses_and_weight(tmp_path):
    from backlib.demo import make_demo
    from backlib.progression import next_doses
    from backlib.widgets import RoutineBuilder

    store = backlib.open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    (patient, *_others) = make_demo(store)
    builder = RoutineBuilder(store)
    builder.patient.value = patient
    weight = store.patients().set_index("patient_id").loc[patient, "weight_kg"]
    assert float(builder.weight.value) == pytest.approx(weight)
    routine = builder.generate()
    doses, _decisions = next_doses(store, patient)
    expected = backlib.plan_routine(
        ["lower_back"], 20, pain=3, weight_kg=float(builder.weight.value), doses=doses
    )
    assert routine.to_dict()["items"] == expected.to_dict()["items"]
    assert any("pain-monitoring model" in text for text in _messages(builder))


def test_neck_questions_appear_only_when_the_neck_or_shoulders_are_chosen():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder(areas=["lower_back"])
    shown = set(builder.flag_box.children)
    assert builder.red_flags["double_vision"] not in shown
    builder.body_map.value = ["neck"]
    shown = set(builder.flag_box.children)
    assert builder.red_flags["double_vision"] in shown


def test_a_ticked_red_flag_hides_the_routine_at_once_and_alerts_at_the_top():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder(areas=["lower_back"])
    assert builder.generate() is not None and builder.routine_view.value
    builder.red_flags["bladder_change"].value = True
    assert builder.routine is None and builder.routine_view.value == ""
    assert "Emergency" in builder.alert_box.children[0].value
    builder.red_flags["bladder_change"].value = False
    assert builder.alert_box.children == ()


def test_age_and_readiness_reach_the_planner():
    from backlib.widgets import RoutineBuilder

    builder = RoutineBuilder(areas=["lower_back"], minutes=30)
    builder.age.value = "abc"
    assert builder.generate() is None and "Age" in builder.field_errors["age"].value
    builder.age.value = "40"
    builder.readiness[next(iter(builder.readiness))].value = True
    routine = builder.generate()
    assert routine.total_seconds <= 15 * 60 and any("doctor" in n for n in routine.notes)
