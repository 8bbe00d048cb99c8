"""Red-flag screen: each flag's urgency and message, the areas and age it depends on, clearing."""

from __future__ import annotations

import pytest
from catalog_factory import realistic_catalog

import backlib
from backlib.constants import (
    NEW_ONSET_AGE_OVER,
    NEW_ONSET_AGE_UNDER,
    RED_FLAG_URGENCIES,
)
from backlib.errors import BacklibError, RedFlagError, RequestError
from backlib.labels import SCREEN_DISCLAIMER
from backlib.screening import (
    AGE_FLAG,
    EMERGENCY_FLAGS,
    FLAGS,
    RED_FLAGS,
    Screen,
    normalize_red_flags,
    questions_for,
    screen,
)

EMERGENCY_CALL = "call your local emergency number (999 in the UK, 112 in the EU, 911 in the US)"

# Every flag and its urgency, as the rules state it (NICE CKS, IFOMPT 2020 and 2023).
EXPECTED_URGENCY = {
    # cauda equina syndrome: emergency, same day
    "bladder_change": "emergency",
    "bowel_change": "emergency",
    "saddle_numbness": "emergency",
    "both_legs_sciatica": "emergency",
    "both_legs_weak": "emergency",
    "unsteady_walking": "emergency",
    # cervical arterial signs: emergency
    "sudden_dizziness": "emergency",
    "double_vision": "emergency",
    "slurred_speech": "emergency",
    "trouble_swallowing": "emergency",
    "drop_attacks": "emergency",
    "sudden_severe_headache": "emergency",
    # fracture, infection, progressive neurology, myelopathy: urgent, the same day
    "major_trauma": "same_day",
    "minor_trauma_fragile_bones": "same_day",
    "fever_or_unwell": "same_day",
    "progressive_weakness": "same_day",
    "clumsy_hands": "same_day",
    "numb_both_hands": "same_day",
    "electric_shocks": "same_day",
    "sexual_change": "same_day",
    # malignancy and constant pain: within days
    "cancer_history": "within_days",
    "weight_loss": "within_days",
    "constant_pain": "within_days",
    "thoracic_pain": "within_days",
    "new_onset_age": "within_days",
    # inflammatory pattern: a routine appointment
    "inflammatory_pattern": "routine",
}
NECK_FLAGS = {
    "sudden_dizziness",
    "double_vision",
    "slurred_speech",
    "trouble_swallowing",
    "drop_attacks",
    "sudden_severe_headache",
    "clumsy_hands",
    "numb_both_hands",
    "electric_shocks",
    "sexual_change",
}
# What each urgency's message asks for, in words a person acts on.
ACTION_WORDS = {
    "emergency": EMERGENCY_CALL,
    "same_day": "today",
    "within_days": "within the next few days",
    "routine": "routine appointment",
}


# ----------------------------------------------------------------- the questions


def test_every_flag_has_the_urgency_the_rules_give_it():
    assert {flag_id: flag.urgency for flag_id, flag in FLAGS.items()} == EXPECTED_URGENCY


@pytest.mark.parametrize("flag_id", sorted(EXPECTED_URGENCY))
def test_each_flag_message_says_what_to_do_at_its_urgency(flag_id):
    flag = FLAGS[flag_id]
    assert ACTION_WORDS[flag.urgency] in flag.message
    if flag.urgency != "emergency":
        assert "emergency number" not in flag.message


@pytest.mark.parametrize("flag_id", sorted(EMERGENCY_FLAGS))
def test_emergency_flags_say_to_call_the_local_emergency_number_now(flag_id):
    result = screen([flag_id], areas=["neck"])
    assert result.stop and result.urgency == "emergency" and result.emergency
    assert EMERGENCY_CALL in result.messages[0]
    assert "now" in result.messages[0]


def test_each_red_flag_is_one_yes_no_question_and_the_package_re_exports_them():
    assert backlib.RED_FLAGS is RED_FLAGS
    assert set(RED_FLAGS) == set(FLAGS) - {AGE_FLAG}
    for question in RED_FLAGS.values():
        assert question.endswith("?")
        assert question.count("?") == 1


def test_the_questions_are_ordered_most_urgent_first():
    order = [RED_FLAG_URGENCIES.index(FLAGS[flag].urgency) for flag in RED_FLAGS]
    assert order == sorted(order)
    assert FLAGS[next(iter(RED_FLAGS))].urgency == "emergency"


def test_the_questions_cover_every_topic_of_the_reference_list():
    text = " ".join(RED_FLAGS.values()).lower()
    for sign in (
        "accident",  # major trauma
        "osteoporosis",  # minor trauma with thin bones
        "steroid",
        "cancer",
        "weight",
        "day and night",  # constant pain not eased by rest
        "lie down",
        "fever",
        "unwell",
        "bladder",  # cauda equina, each on its own
        "bowels",
        "saddle",
        "both legs",
        "walking",
        "getting worse",  # progressive weakness
        "between the shoulder blades",  # thoracic pain
        "stiff",  # inflammatory pattern
        "second half of the night",
        "hands",  # myelopathy
        "electric shock",
        "dizziness",  # cervical arterial signs
        "seen double",
        "slurred",
        "swallowing",
        "dropped to the ground",
        "headache",
    ):
        assert sign in text, sign


def test_the_lower_back_gets_the_general_questions_only():
    asked = set(questions_for(["lower_back"]))
    assert not asked & NECK_FLAGS
    assert "thoracic_pain" not in asked
    assert {"bladder_change", "major_trauma", "inflammatory_pattern"} <= asked


@pytest.mark.parametrize("area", ["neck", "shoulders", "upper_back"])
def test_neck_flags_are_asked_whenever_the_neck_shoulders_or_upper_back_hurt(area):
    assert set(questions_for([area, "lower_back"])) >= NECK_FLAGS


@pytest.mark.parametrize(
    ("area", "asked"), [("mid_back", True), ("upper_back", True), ("neck", False)]
)
def test_thoracic_pain_is_asked_only_for_the_upper_or_mid_back(area, asked):
    assert ("thoracic_pain" in questions_for(area)) is asked


def test_mid_back_alone_asks_no_neck_flags():
    assert not set(questions_for(["mid_back"])) & NECK_FLAGS


def test_questions_keep_the_order_of_red_flags():
    asked = list(questions_for(["neck", "mid_back"]))
    assert asked == [flag for flag in RED_FLAGS if flag in asked]
    assert set(asked) == set(RED_FLAGS)  # neck + mid back asks everything


def test_questions_for_refuses_an_unknown_area_or_age():
    with pytest.raises(RequestError) as caught:
        questions_for(["knee"])
    assert caught.value.field == "areas" and "lower_back" in str(caught.value)
    with pytest.raises(RequestError) as caught:
        questions_for(["neck"], age=0)
    assert caught.value.field == "age"


# ----------------------------------------------------------------- age


@pytest.mark.parametrize(
    ("age", "flagged"),
    [(None, False), (16, True), (19, True), (20, False), (35, False), (50, False), (51, True)],
)
def test_new_pain_before_20_or_after_50_is_flagged_from_the_age(age, flagged):
    result = screen((), age=age)
    assert (AGE_FLAG in result.flags) is flagged
    assert result.stop is flagged
    if flagged:
        assert result.urgency == "within_days"
        assert "within the next few days" in result.messages[0]


def test_the_age_bounds_of_the_docstrings_are_the_constants():
    assert (NEW_ONSET_AGE_UNDER, NEW_ONSET_AGE_OVER) == (20, 50)
    assert "under 20 or over 50" in FLAGS[AGE_FLAG].summary


@pytest.mark.parametrize("age", [0, 121, 30.5, True, "40", -3])
def test_a_bad_age_is_a_request_error_naming_the_age(age):
    with pytest.raises(RequestError) as caught:
        screen((), age=age)
    assert caught.value.field == "age"


def test_the_age_flag_cannot_be_answered_only_implied():
    with pytest.raises(RequestError, match="age="):
        screen([AGE_FLAG])


# ----------------------------------------------------------------- the screen


def test_no_flags_lets_the_plan_through_with_nothing_to_say():
    for answers in ((), None, {"major_trauma": False}):
        result = screen(answers)
        assert result == Screen(stop=False, urgency=None, flags=(), cleared=(), messages=())
        result.raise_for_stop()  # nothing raised


def test_messages_run_most_urgent_first_and_end_with_the_disclaimer():
    result = screen(["inflammatory_pattern", "weight_loss", "fever_or_unwell", "saddle_numbness"])
    assert result.urgency == "emergency"
    assert result.flags == (
        "saddle_numbness",
        "fever_or_unwell",
        "weight_loss",
        "inflammatory_pattern",
    )
    assert EMERGENCY_CALL in result.messages[0]
    assert "today" in result.messages[1]
    assert "within the next few days" in result.messages[2]
    assert "routine appointment" in result.messages[3]
    assert result.messages[-1] == SCREEN_DISCLAIMER
    assert "not a diagnosis" in result.messages[-1]


def test_flags_that_share_advice_are_named_together_in_one_message():
    result = screen(["bladder_change", "saddle_numbness"])
    assert len(result.messages) == 2  # the cauda equina message, then the disclaimer
    assert FLAGS["bladder_change"].summary in result.messages[0]
    assert FLAGS["saddle_numbness"].summary in result.messages[0]


def test_messages_name_the_signs_in_plain_words_not_ids():
    result = screen(["minor_trauma_fragile_bones"])
    text = " ".join(result.messages)
    assert "minor_trauma_fragile_bones" not in text
    assert "thin bones or long-term steroids" in text


def test_a_yes_counts_even_when_its_question_was_not_asked_for_those_areas():
    result = screen(["double_vision"], areas=["lower_back"])
    assert result.stop and result.urgency == "emergency"


def test_the_most_urgent_flag_sets_the_urgency():
    assert screen(["inflammatory_pattern", "cancer_history"]).urgency == "within_days"
    assert screen(["inflammatory_pattern", "major_trauma"]).urgency == "same_day"
    assert screen(["inflammatory_pattern"]).urgency == "routine"


def test_non_emergency_stops_say_a_clinician_can_clear_them_emergencies_do_not():
    assert any("cleared" in line for line in screen(["weight_loss"]).messages)
    assert not any("cleared" in line for line in screen(["bowel_change"]).messages)


def test_answers_come_as_ids_one_id_or_a_checkbox_mapping():
    assert screen("weight_loss").flags == ("weight_loss",)
    assert screen(["weight_loss", "weight_loss"]).flags == ("weight_loss",)
    mapping = {"major_trauma": True, "cancer_history": False}
    assert screen(mapping).flags == ("major_trauma",)
    assert normalize_red_flags(mapping) == ("major_trauma",)


@pytest.mark.parametrize("answers", [["sore_toe"], {"sore_toe": False}, 5])
def test_unknown_answers_are_a_request_error_listing_the_valid_ids(answers):
    with pytest.raises(RequestError) as caught:
        screen(answers)
    assert caught.value.field == "red_flags"
    for flag in RED_FLAGS:
        assert flag in str(caught.value)


def test_an_unknown_area_is_a_request_error():
    with pytest.raises(RequestError) as caught:
        screen((), areas="elbow")
    assert caught.value.field == "areas"


# ----------------------------------------------------------------- clearing


@pytest.mark.parametrize("flag_id", sorted(set(FLAGS) - EMERGENCY_FLAGS - {AGE_FLAG}))
def test_a_flag_below_emergency_level_can_be_cleared_by_a_clinician(flag_id):
    result = screen([flag_id], cleared=[flag_id])
    assert not result.stop and result.urgency is None
    assert result.flags == (flag_id,) and result.cleared == (flag_id,)
    assert result.cleared_note is not None and FLAGS[flag_id].summary in result.cleared_note
    assert result.messages == (result.cleared_note, SCREEN_DISCLAIMER)
    result.raise_for_stop()  # nothing raised


def test_the_age_flag_can_be_cleared():
    result = screen((), age=64, cleared=[AGE_FLAG])
    assert not result.stop and result.cleared == (AGE_FLAG,)


@pytest.mark.parametrize("flag_id", sorted(EMERGENCY_FLAGS))
def test_no_emergency_flag_can_ever_be_cleared(flag_id):
    with pytest.raises(RequestError) as caught:
        screen([flag_id], cleared=[flag_id])
    assert caught.value.field == "cleared"
    assert flag_id in str(caught.value)
    assert "never be cleared" in str(caught.value)
    with pytest.raises(RequestError):
        screen((), cleared=[flag_id])  # not even in advance


def test_a_cleared_flag_does_not_hide_another_that_is_not():
    result = screen(["cancer_history", "fever_or_unwell"], cleared=["cancer_history"])
    assert result.stop and result.urgency == "same_day"
    assert result.active == ("fever_or_unwell",)
    assert result.cleared == ("cancer_history",)
    with pytest.raises(RedFlagError) as caught:
        result.raise_for_stop()
    assert caught.value.flags == ("fever_or_unwell",)


def test_clearing_a_flag_that_was_not_answered_is_not_reported():
    result = screen(["weight_loss"], cleared=["cancer_history"])
    assert result.stop and result.cleared == () and result.cleared_note is None


def test_clearing_an_unknown_flag_is_a_request_error():
    with pytest.raises(RequestError) as caught:
        screen((), cleared=["sore_toe"])
    assert caught.value.field == "cleared"


# ----------------------------------------------------------------- stopping the plan


def test_raise_for_stop_raises_a_red_flag_error_with_the_flags_and_the_messages():
    result = screen(["cancer_history", "saddle_numbness"])
    with pytest.raises(RedFlagError) as caught:
        result.raise_for_stop()
    error = caught.value
    assert error.flags == ("saddle_numbness", "cancer_history")
    assert error.emergency is True and error.field == "red_flags"
    assert str(error).startswith("No routine was planned.")
    for line in result.messages:
        assert line in str(error)


def test_a_non_emergency_stop_raises_without_the_emergency_mark():
    with pytest.raises(RedFlagError) as caught:
        screen(["major_trauma"]).raise_for_stop()
    assert caught.value.emergency is False


@pytest.mark.parametrize("flag_id", sorted(RED_FLAGS))
def test_any_red_flag_stops_the_plan_and_names_the_flag(flag_id):
    with pytest.raises(RedFlagError) as caught:
        backlib.plan_routine(["lower_back"], 20, red_flags=[flag_id], catalog=realistic_catalog())
    assert caught.value.flags == (flag_id,)
    assert FLAGS[flag_id].summary in str(caught.value)
    assert isinstance(caught.value, BacklibError)
    assert "not a diagnosis" in str(caught.value)
    assert caught.value.emergency is (FLAGS[flag_id].urgency == "emergency")


def test_screening_comes_before_other_request_checks():
    with pytest.raises(RedFlagError):
        backlib.plan_routine([], 2, red_flags=["major_trauma"], catalog=realistic_catalog())
