"""Red-flag screen: any red flag stops the plan with advice on where to seek care."""

from __future__ import annotations

import pytest
from catalog_factory import realistic_catalog

import backlib
from backlib.errors import BacklibError, RedFlagError, RequestError
from backlib.screening import (
    EMERGENCY_FLAGS,
    RED_FLAG_SUMMARIES,
    RED_FLAGS,
    URGENT_FLAGS,
    normalize_red_flags,
    screen,
)


def test_red_flags_cover_every_category_of_the_reference_list():
    text = " ".join(RED_FLAGS.values()).lower()
    for sign in (
        "bladder",
        "saddle",
        "both legs",
        "weakness",
        "fever",
        "osteoporosis",
        "steroid",
        "cancer",
        "weight",
        "night",
        "stiff",
    ):
        assert sign in text, sign


def test_each_red_flag_is_a_yes_no_question():
    for question in RED_FLAGS.values():
        assert question.endswith("?")
    assert backlib.RED_FLAGS is RED_FLAGS


@pytest.mark.parametrize("flag", sorted(RED_FLAGS))
def test_any_red_flag_stops_the_plan_and_names_the_flag(flag):
    with pytest.raises(RedFlagError) as caught:
        backlib.plan_routine(["lower_back"], 20, red_flags=[flag], catalog=realistic_catalog())
    assert caught.value.flags == (flag,)
    assert RED_FLAG_SUMMARIES[flag] in str(caught.value)
    assert isinstance(caught.value, BacklibError)
    assert "not a diagnosis" in str(caught.value)


@pytest.mark.parametrize("flag", sorted(EMERGENCY_FLAGS))
def test_cauda_equina_signs_get_same_day_emergency_wording(flag):
    with pytest.raises(RedFlagError) as caught:
        screen([flag])
    message = str(caught.value).lower()
    assert caught.value.emergency is True
    assert "same day" in message and "emergency" in message


@pytest.mark.parametrize("flag", sorted(set(RED_FLAGS) - EMERGENCY_FLAGS))
def test_other_red_flags_ask_for_a_doctor_without_emergency_flag(flag):
    with pytest.raises(RedFlagError) as caught:
        screen([flag])
    assert caught.value.emergency is False
    assert "doctor" in str(caught.value).lower()


@pytest.mark.parametrize("flag", sorted(URGENT_FLAGS))
def test_progressive_neurology_infection_and_fracture_ask_for_review_today_or_tomorrow(flag):
    with pytest.raises(RedFlagError) as caught:
        screen([flag])
    assert "today or tomorrow" in str(caught.value)


def test_possible_malignancy_asks_for_review_within_days():
    with pytest.raises(RedFlagError) as caught:
        screen(["cancer_signs"])
    assert "within the next few days" in str(caught.value)


def test_inflammatory_signs_alone_ask_for_an_appointment():
    with pytest.raises(RedFlagError) as caught:
        screen(["inflammatory_signs"])
    assert "book an appointment" in str(caught.value)


def test_the_most_urgent_advice_wins_among_non_emergency_flags():
    with pytest.raises(RedFlagError) as caught:
        screen(["inflammatory_signs", "fracture_risk"])
    assert "today or tomorrow" in str(caught.value)


def test_message_names_the_answers_in_plain_words_not_ids():
    with pytest.raises(RedFlagError) as caught:
        screen(["fracture_risk"])
    assert "fracture_risk" not in str(caught.value)
    assert "an injury, osteoporosis or long-term steroids" in str(caught.value)


def test_emergency_wording_wins_when_flags_are_mixed():
    with pytest.raises(RedFlagError) as caught:
        screen(["cancer_signs", "saddle_numbness"])
    assert caught.value.emergency is True
    assert set(caught.value.flags) == {"cancer_signs", "saddle_numbness"}


def test_unknown_red_flag_is_a_request_error_listing_the_valid_ids():
    with pytest.raises(RequestError) as caught:
        screen(["sore_toe"])
    for flag in RED_FLAGS:
        assert flag in str(caught.value)


def test_screening_comes_before_other_request_checks():
    with pytest.raises(RedFlagError):
        backlib.plan_routine([], 2, red_flags=["fracture_risk"], catalog=realistic_catalog())


def test_checkbox_mapping_counts_only_the_yes_answers():
    assert normalize_red_flags({"fracture_risk": True, "cancer_signs": False}) == ("fracture_risk",)
    screen({"fracture_risk": False})  # all "no": nothing raised


def test_no_red_flags_lets_the_plan_through():
    screen(())
    screen(None)
