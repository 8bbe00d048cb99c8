"""Routine cards: escaped text, dose, steps, why and stop rule, in phase order."""

from __future__ import annotations

import dataclasses
import html
import re

from backlib.widgets.cards import (
    CARD_FIGURE_SIZE,
    GUIDED_FIGURE_SIZE,
    item_card_html,
    routine_cards_html,
)


def test_routine_cards_have_item_and_phase_classes_in_phase_order(small_routine):
    text = routine_cards_html(small_routine)
    phases = re.findall(r'class="backlib-item backlib-phase-(\w+)"', text)
    assert phases == ["warmup", "main", "main", "cooldown"]
    assert text.index("Warm-up") < text.index("Main exercises") < text.index("Cool-down")


def test_item_card_escapes_text_and_shows_dose_steps_why_and_stop(small_routine):
    item = small_routine.items[1]
    card = item_card_html(item)
    assert "<phase>" not in card and "&lt;main&gt; &amp; more" in card
    assert item.dose_text in card
    assert card.count("<li>") == len(item.exercise.steps)
    assert "<details>" in card and "<details open>" in item_card_html(item, steps_open=True)
    assert html.escape(item.stop_if) in card and "Stop if: Stop" not in card


def test_a_card_shows_its_exercise_moving_beside_the_dose():
    from backlib import plan_routine

    item = plan_routine(["lower_back"], 20).items[0]
    card = item_card_html(item)
    figure = card[card.index('<div class="backlib-item-figure">') :]
    assert card.index(item.dose_text) < card.index("<svg")
    assert "<animate " in figure and f'width="{CARD_FIGURE_SIZE}"' in figure
    assert f'width="{GUIDED_FIGURE_SIZE}"' in item_card_html(item, figure_size=GUIDED_FIGURE_SIZE)


def test_a_card_for_an_exercise_without_poses_still_reads(small_routine):
    item = small_routine.items[1]
    unposed = dataclasses.replace(item, exercise=dataclasses.replace(item.exercise, id="new-move"))
    card = item_card_html(unposed)
    assert "<svg" not in card and item.dose_text in card
