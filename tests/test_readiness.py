"""Readiness for exercise: a yes never blocks, it makes the routine gentle and advises a doctor."""

from __future__ import annotations

import pytest

import backlib
from backlib.errors import RequestError
from backlib.readiness import READINESS_SUMMARIES, READINESS_TOPICS, Readiness, readiness


def test_the_topics_are_the_par_q_plus_page_one_and_the_acsm_symptoms():
    assert list(READINESS_TOPICS) == [
        "heart_or_blood_pressure",
        "chest_pain",
        "dizziness_or_fainting",
        "other_chronic_condition",
        "chronic_condition_medicine",
        "bone_or_joint_problem",
        "supervised_only",
        "warning_symptoms",
    ]
    assert set(READINESS_SUMMARIES) == set(READINESS_TOPICS)
    assert backlib.READINESS_TOPICS is READINESS_TOPICS
    for question in READINESS_TOPICS.values():
        assert question.count("?") == 1  # one yes/no question (a note may follow it)


def test_all_no_changes_nothing():
    for answers in ((), None, dict.fromkeys(READINESS_TOPICS, False)):
        assert readiness(answers) == Readiness(gentle=False, topics=(), message="")


@pytest.mark.parametrize("topic", sorted(READINESS_TOPICS))
def test_any_yes_makes_the_routine_gentle_and_advises_a_doctor_first(topic):
    result = readiness([topic])
    assert result.gentle and result.topics == (topic,)
    assert "check with your doctor" in result.message
    assert "before you start" in result.message
    assert READINESS_SUMMARIES[topic] in result.message
    assert "not a diagnosis" in result.message


def test_topics_come_back_in_topic_order_once_each():
    result = readiness({"warning_symptoms": True, "chest_pain": True, "supervised_only": False})
    assert result.topics == ("chest_pain", "warning_symptoms")


def test_the_note_says_what_to_stop_for_during_exercise():
    message = readiness("heart_or_blood_pressure").message
    assert "chest pain" in message and "faint" in message and "short of breath" in message


def test_an_unknown_topic_is_a_request_error_naming_the_field_and_the_topics():
    with pytest.raises(RequestError) as caught:
        readiness(["smoker"])
    assert caught.value.field == "readiness"
    for topic in READINESS_TOPICS:
        assert topic in str(caught.value)
