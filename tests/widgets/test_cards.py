"""Routine cards: escaped text, dose, steps, why and stop rule, in phase order."""

from __future__ import annotations

import html
import re

from backlib.widgets.cards import item_card_html, routine_cards_html


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
