"""A routine as readable HTML cards: name, dose, why, cautions, steps and when to stop."""

from __future__ import annotations

import html

from backlib.constants import PHASES
from backlib.figures.svg import exercise_figure
from backlib.labels import PHASE_TITLES
from backlib.plan.routine import Routine, RoutineItem

# The figure's width on a routine card, and in guided mode where it is the thing to follow.
CARD_FIGURE_SIZE = 110
GUIDED_FIGURE_SIZE = 280


def item_card_html(
    item: RoutineItem, *, steps_open: bool = False, figure_size: int = CARD_FIGURE_SIZE
) -> str:
    """One exercise as a card with classes `backlib-item` and `backlib-phase-<phase>`.

    The steps fold away under "How to do it" so a routine reads at a glance; guided mode shows
    them open. The exercise's figure moves beside the dose at the exercise's own pace, so a
    person sees what "bird dog" is before reading the steps.
    """
    figure = exercise_figure(item.exercise, animate=True, size=figure_size)
    steps = "".join(f"<li>{html.escape(step)}</li>" for step in item.exercise.steps)
    return (
        f'<div class="backlib-item backlib-phase-{item.phase}" '
        f'data-exercise="{html.escape(item.exercise_id)}">'
        f'<div class="backlib-item-head"><span class="backlib-item-name">'
        f"{html.escape(item.name)}</span>"
        f'<span class="backlib-item-dose">{html.escape(item.dose_text)}</span></div>'
        + (f'<div class="backlib-item-figure">{figure}</div>' if figure else "")
        + f'<div class="backlib-item-why">Why: {html.escape(item.why)}</div>'
        + "".join(
            f'<div class="backlib-item-caution">Take care: {html.escape(note)}</div>'
            for note in item.caution_notes
        )
        + (
            f'<div class="backlib-item-reason">{html.escape(item.reason)}</div>'
            if item.reason
            else ""
        )
        + f"<details{' open' if steps_open else ''}><summary>How to do it</summary>"
        f"<ol>{steps}</ol></details>"
        f'<div class="backlib-item-stop">{html.escape(item.stop_line)}</div>'
        "</div>"
    )


def routine_cards_html(routine: Routine) -> str:
    """The routine's cards grouped under a title per phase, in phase order; text escaped."""
    parts = []
    for phase in PHASES:
        items = routine.phase_items(phase)
        if not items:
            continue
        parts.append(f'<div class="backlib-phase-title">{PHASE_TITLES[phase]}</div>')
        parts.extend(item_card_html(item) for item in items)
    return "".join(parts)
