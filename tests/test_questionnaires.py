"""Questionnaire scoring, each rule with a hand-computed case; structure without wording."""

from __future__ import annotations

import json

import pytest

from backlib.errors import RequestError
from backlib.labels import START_BACK_CARE
from backlib.questionnaires import (
    INSTRUMENTS,
    ODI_MIN_SECTIONS,
    PSFS_MAX_ACTIVITIES,
    PSFS_MIN_ACTIVITIES,
    START_BACK_HIGH_SUBSCALE_MIN,
    START_BACK_LOW_MAX,
    ItemAnswer,
    item_text,
    load_wording,
    odi_band,
    score,
    start_back_care,
    start_back_risk,
)


def start_back(agree: set[int], item9: int = 0) -> dict[int, int]:
    """STarT Back answers: the items 1-8 agreed with, and item 9's option (0-4)."""
    return {**{n: int(n in agree) for n in range(1, 9)}, 9: item9}


def test_the_rule_numbers_in_the_docstrings_are_the_constants():
    assert ODI_MIN_SECTIONS == 8
    assert (PSFS_MIN_ACTIVITIES, PSFS_MAX_ACTIVITIES) == (3, 5)
    assert (START_BACK_LOW_MAX, START_BACK_HIGH_SUBSCALE_MIN) == (3, 4)


# ----------------------------------------------------------------- structure, no wording


def test_each_instrument_has_its_items_and_allowed_answers():
    assert [len(INSTRUMENTS[i].items) for i in ("odi", "rmdq", "psfs", "start_back")] == [
        10,
        24,
        5,
        9,
    ]
    assert all(item.values == (0, 1, 2, 3, 4, 5) for item in INSTRUMENTS["odi"].items)
    assert all(item.values == (0, 1) for item in INSTRUMENTS["rmdq"].items)
    assert INSTRUMENTS["start_back"].item(9).values == (0, 1, 2, 3, 4)
    assert INSTRUMENTS["psfs"].item(1).values == tuple(range(11))
    assert INSTRUMENTS["odi"].item(1).topic == "pain intensity"
    for spec in INSTRUMENTS.values():
        assert [item.number for item in spec.items] == list(range(1, len(spec.items) + 1))


def test_topic_labels_are_short_labels_not_questionnaire_wording():
    for spec in INSTRUMENTS.values():
        topics = [item.topic for item in spec.items]
        assert len(set(topics)) == len(topics)
        for topic in topics:
            assert len(topic) <= 60
            assert not topic.endswith(("?", "."))
            assert "my back" not in topic.lower() and not topic.startswith("I ")


# ----------------------------------------------------------------- ODI


def test_odi_with_every_section_is_the_sum_over_50():
    result = score("odi", [3, 1, 2, 1, 2, 1, 2, 1, 2, 1])  # sum 16
    assert result.value == 32.0  # 16 / 50 x 100 (Fairbank 2000)
    assert (result.answered, result.missing, result.band, result.risk) == (10, (), "moderate", None)
    assert "32.0 %" in result.message


def test_odi_with_one_section_missing_divides_by_45():
    result = score("odi", {1: 3, 2: 1, 3: 2, 4: 1, 5: 2, 6: 1, 7: 2, 8: 1, 9: 3})  # sum 16
    assert result.value == pytest.approx(16 / 45 * 100)  # 35.6 %
    assert result.answered == 9 and result.missing == (10,)
    assert "35.6 %" in result.message and "divided by 45" in result.message


def test_odi_with_two_sections_missing_still_scores():
    result = score("odi", [5, 5, 5, 5, 0, 0, None, 0, 0, None])  # 20 / 40
    assert result.value == 50.0 and result.band == "severe" and result.answered == 8


def test_odi_with_three_sections_missing_has_no_score_and_says_how_many():
    result = score("odi", {1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 2})
    assert result.value is None and result.band is None
    assert result.answered == 7 and result.missing == (8, 9, 10)
    assert "3 of the 10 sections are missing" in result.message
    assert "answer 1 more" in result.message


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "minimal"),
        (10, "minimal"),  # 20 %
        (11, "moderate"),  # 22 %
        (20, "moderate"),  # 40 %
        (21, "severe"),
        (30, "severe"),  # 60 %
        (31, "very_severe"),
        (40, "very_severe"),  # 80 %
        (41, "bed_bound"),
        (50, "bed_bound"),
    ],
)
def test_odi_bands_by_index(total, band):
    answers = [5] * (total // 5) + ([total % 5] if total % 5 else [])
    answers += [0] * (10 - len(answers))
    result = score("odi", answers)
    assert result.value == total * 2 and result.band == band


def test_odi_band_boundaries_between_whole_percentages_go_up():
    assert odi_band(20.0) == "minimal" and odi_band(20.5) == "moderate"


def test_odi_accepts_item_numbers_as_text_and_none_as_unanswered():
    result = score("odi", {"1": 1, "2": None, **{str(n): 1 for n in range(3, 11)}})
    assert result.value == pytest.approx(9 / 45 * 100) and result.missing == (2,)
    assert result.items[0] == ItemAnswer(1, 1)


@pytest.mark.parametrize(
    ("answers", "row", "words"),
    [
        ({1: 6}, 1, "0-5"),
        ({3: -1}, 3, "0-5"),
        ({2: 2.5}, 2, "0-5"),
        ({11: 1}, 11, "numbered 1-10"),
        ({0: 1}, 0, "numbered 1-10"),
        ([1] * 9, None, "all 10"),
    ],
)
def test_bad_odi_answers_name_the_section_and_what_is_allowed(answers, row, words):
    with pytest.raises(RequestError) as caught:
        score("odi", answers)
    assert caught.value.field == "answers" and caught.value.row == row
    assert words in str(caught.value)


# ----------------------------------------------------------------- RMDQ


def test_rmdq_counts_the_ticked_items():
    result = score("rmdq", {1: True, 5: 1, 13: True, 14: False})
    assert result.value == 3 and result.answered == 24
    assert result.band is None and result.risk is None
    assert [answer.item for answer in result.items] == [1, 5, 13, 14]


def test_rmdq_as_a_list_of_24_ticks():
    assert score("rmdq", [True] * 24).value == 24
    assert score("rmdq", [0] * 24).value == 0


@pytest.mark.parametrize(
    ("answers", "row", "words"),
    [
        ({25: 1}, 25, "numbered 1-24"),
        ({2: 0.5}, 2, "no part points"),
        ({4: 2}, 4, "ticked"),
        ({"x": 1}, None, "numbered 1-24"),
    ],
)
def test_bad_rmdq_answers_name_the_item_and_what_is_allowed(answers, row, words):
    with pytest.raises(RequestError) as caught:
        score("rmdq", answers)
    assert caught.value.field == "answers" and caught.value.row == row
    assert words in str(caught.value)


# ----------------------------------------------------------------- PSFS


def test_psfs_with_three_activities_is_their_mean():
    result = score("psfs", {"climbing stairs": 4, "gardening": 5, "lifting a child": 7})
    assert result.value == pytest.approx(16 / 3)  # 5.3, higher is better
    assert result.answered == 3
    assert result.items[2] == ItemAnswer(3, 7, "lifting a child")
    assert "5.3/10" in result.message and "higher is better" in result.message


def test_psfs_with_five_activities_is_their_mean():
    pairs = [("walking", 2), ("sitting", 4), ("driving", 5), ("cycling", 6), ("bending", 8)]
    result = score("psfs", pairs)
    assert result.value == 5.0 and result.answered == 5
    assert [answer.text for answer in result.items] == [name for name, _ in pairs]


@pytest.mark.parametrize(
    ("answers", "words"),
    [
        ({"a": 11, "b": 1, "c": 2}, "0-10"),
        ({"a": -1, "b": 1, "c": 2}, "0-10"),
        ({"a": 6.5, "b": 1, "c": 2}, "whole points"),
        ({"a": None, "b": 1, "c": 2}, "0-10"),
        ({"a": 1, "b": 2}, "2 activities"),
        ({f"activity {n}": 5 for n in "abcdef"}, "6 activities"),
        ({1: 5, 2: 5, 3: 5}, "not a name"),
        ([("stairs", 5), ("Stairs", 4), ("sitting", 3)], "named twice"),
        ("stairs", "mapping"),
    ],
)
def test_bad_psfs_answers_say_what_is_allowed(answers, words):
    with pytest.raises(RequestError) as caught:
        score("psfs", answers)
    assert caught.value.field == "answers"
    assert words in str(caught.value)


# ----------------------------------------------------------------- STarT Back


def test_start_back_total_3_is_low_risk():
    result = score("start_back", start_back({1, 2, 3}))
    assert (result.value, result.subscale, result.risk) == (3, 0, "low")
    assert START_BACK_CARE["low"] in result.message


def test_start_back_total_3_is_low_even_with_a_psychosocial_subscale_of_3():
    result = score("start_back", start_back({5, 6, 7}))
    assert (result.value, result.subscale, result.risk) == (3, 3, "low")


def test_start_back_total_4_with_subscale_3_is_medium_risk():
    result = score("start_back", start_back({1, 5, 6, 7}))
    assert (result.value, result.subscale, result.risk) == (4, 3, "medium")
    assert START_BACK_CARE["medium"] in result.message


def test_start_back_subscale_4_is_high_risk():
    result = score("start_back", start_back({5, 6, 7, 8}))
    assert (result.value, result.subscale, result.risk) == (4, 4, "high")
    assert START_BACK_CARE["high"] in result.message


def test_start_back_item_9_scores_only_for_its_two_top_options():
    assert score("start_back", start_back({5, 6, 7}, item9=2)).risk == "low"  # moderately: 0
    very_much = score("start_back", start_back({5, 6, 7}, item9=3))
    assert (very_much.value, very_much.subscale, very_much.risk) == (4, 4, "high")
    assert score("start_back", start_back({5, 6, 7}, item9=4)).subscale == 4


def test_start_back_every_item_positive_is_9_with_subscale_5():
    result = score("start_back", start_back(set(range(1, 9)), item9=4))
    assert (result.value, result.subscale, result.risk) == (9, 5, "high")


def test_start_back_needs_every_item():
    answers = start_back({1, 2})
    del answers[9]
    result = score("start_back", answers)
    assert result.value is None and result.risk is None and result.subscale is None
    assert result.missing == (9,) and "1 of the 9 items" in result.message


@pytest.mark.parametrize(
    ("total", "subscale", "risk"),
    [
        (0, 0, "low"),
        (3, 3, "low"),
        (4, 0, "medium"),
        (4, 3, "medium"),
        (4, 4, "high"),
        (9, 5, "high"),
    ],
)
def test_start_back_risk_rule(total, subscale, risk):
    assert start_back_risk(total, subscale) == risk


@pytest.mark.parametrize(("answers", "row"), [({**start_back(set()), 9: 5}, 9), ({1: 2}, 1)])
def test_bad_start_back_answers_name_the_item(answers, row):
    with pytest.raises(RequestError) as caught:
        score("start_back", answers)
    assert caught.value.row == row and f"item {row}" in str(caught.value)


def test_start_back_care_says_what_each_risk_means_for_care():
    assert "self-management" in start_back_care("low") and "exercise" in start_back_care("low")
    assert "physiotherapist-led exercise" in start_back_care("medium")
    assert "psychologically informed care" in start_back_care("high")
    with pytest.raises(RequestError):
        start_back_care("extreme")


# ----------------------------------------------------------------- common


def test_an_unknown_instrument_is_a_request_error_listing_the_instruments():
    with pytest.raises(RequestError) as caught:
        score("sf36", {})
    assert caught.value.field == "instrument"
    assert "odi, rmdq, psfs, start_back" in str(caught.value)


def test_scores_know_the_outcome_measure_they_are_stored_as():
    assert score("rmdq", {}).measure == "rmdq"
    assert score("start_back", start_back(set())).measure is None


# ----------------------------------------------------------------- a clinic's wording


def test_wording_loads_from_toml_and_replaces_the_topic_label(tmp_path):
    path = tmp_path / "wording.toml"
    path.write_text('[rmdq]\n1 = "Clinic text one"\n\n[odi]\n"10" = "Clinic text ten"\n')
    wording = load_wording(path)
    assert wording == {"rmdq": {1: "Clinic text one"}, "odi": {10: "Clinic text ten"}}
    assert item_text("rmdq", 1, wording) == "Clinic text one"
    assert item_text("rmdq", 2, wording) == INSTRUMENTS["rmdq"].item(2).topic
    assert item_text("odi", 1) == "pain intensity"


def test_wording_loads_from_json(tmp_path):
    path = tmp_path / "wording.json"
    path.write_text(json.dumps({"start_back": {"9": "Clinic text nine"}}))
    assert load_wording(path) == {"start_back": {9: "Clinic text nine"}}


@pytest.mark.parametrize(
    ("text", "field", "row", "words"),
    [
        ('[rmdq]\n25 = "x"\n', "rmdq", None, "'25' does not exist"),
        ('[odi]\n3 = "  "\n', "odi", 3, "section 3: the text is empty"),
        ('[psfs]\n1 = "x"\n', "psfs", None, "own activities"),
        ('[sf36]\n1 = "x"\n', "sf36", None, "not an instrument"),
        ("[odi]\n1 = \n", "wording", None, "not valid TOML"),
        ('odi = "x"\n', "odi", None, "table of item number"),
    ],
)
def test_a_bad_wording_file_names_the_file_and_the_item(tmp_path, text, field, row, words):
    path = tmp_path / "wording.toml"
    path.write_text(text)
    with pytest.raises(RequestError) as caught:
        load_wording(path)
    assert caught.value.file == str(path) and str(path) in str(caught.value)
    assert caught.value.field == field and caught.value.row == row
    assert words in str(caught.value)


def test_a_missing_or_unknown_kind_of_wording_file_is_a_request_error(tmp_path):
    with pytest.raises(RequestError, match="cannot read"):
        load_wording(tmp_path / "absent.toml")
    other = tmp_path / "wording.txt"
    other.write_text("x")
    with pytest.raises(RequestError, match=r"\.toml or \.json"):
        load_wording(other)
    broken = tmp_path / "wording.json"
    broken.write_text('{"odi": {"1": "x",}}')
    with pytest.raises(RequestError) as caught:
        load_wording(broken)
    assert caught.value.row == 1
