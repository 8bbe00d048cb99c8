"""Words a person reads in several places are written once, in backlib.labels, and used there."""

from __future__ import annotations

from html import escape
from pathlib import Path

import backlib
from backlib import labels
from backlib.plan.planner import plan_routine
from backlib.report import html_parts
from backlib.widgets.cards import routine_cards_html
from backlib.widgets.common import disclaimer

PACKAGE = Path(backlib.__file__).parent


def test_no_module_but_labels_spells_out_a_shared_label():
    shared = [
        *labels.PHASE_TITLES.values(),
        *labels.DECISION_WORDS.values(),
        *labels.DECISION_DONE_WORDS.values(),
        labels.DISCLAIMER[:40],
        '"hold (s)"',
    ]
    found = [
        f"{path.relative_to(PACKAGE)}: {word}"
        for path in PACKAGE.rglob("*.py")
        if path.name != "labels.py"
        for word in shared
        if (f'"{word}"' if not word.startswith('"') else word) in path.read_text(encoding="utf-8")
    ]
    assert found == []


def test_the_app_the_handout_and_the_report_carry_the_same_disclaimer():
    routine = plan_routine(["lower_back"], 15)
    assert escape(labels.DISCLAIMER) in routine.to_html()
    assert escape(labels.DISCLAIMER) in disclaimer().value
    assert escape(labels.DISCLAIMER) in html_parts.footer_html()


def test_the_cards_and_the_handout_title_the_phases_alike():
    routine = plan_routine(["lower_back"], 20)
    page, cards = routine.to_html(), routine_cards_html(routine)
    for phase in {item.phase for item in routine.items}:
        assert labels.PHASE_TITLES[phase] in page and labels.PHASE_TITLES[phase] in cards
