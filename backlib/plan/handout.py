"""A routine as a printable, self-contained HTML handout (no external resources, text escaped)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from backlib.catalog import duration_words
from backlib.figures.svg import exercise_figure
from backlib.labels import AREA_LABELS, DISCLAIMER, PHASE_TITLES

if TYPE_CHECKING:
    from backlib.plan.routine import Routine, RoutineItem

HANDOUT_FIGURE_SIZE = 120
# Figure styles shared with the programme sheet, which prints items the same way.
FIGURE_STYLE = """
.figures { float: right; display: flex; gap: 6px; margin: 0 0 0.4em 0.8em; }
.figures figure { margin: 0; text-align: center; }
.figures svg { display: block; }
.figures figcaption { font-size: 0.8em; color: #222; }
.item::after { content: ""; display: block; clear: both; }
"""
# Inline styles only: the page must print and open offline with nothing fetched.
_STYLE = (
    FIGURE_STYLE
    + """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 48em; margin: 1.5em auto;
       padding: 0 1em; color: #111; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
h2 { font-size: 1.15em; border-bottom: 1px solid #999; margin-top: 1.4em; }
.meta { color: #333; margin: 0 0 1em 0; }
.item { page-break-inside: avoid; break-inside: avoid; margin: 0.8em 0; }
.item h3 { font-size: 1em; margin: 0; }
.dose { font-weight: bold; }
.why { font-style: italic; color: #333; }
.stop { color: #7a0000; }
.care { color: #5a3b00; }
ol { margin: 0.3em 0 0.3em 1.2em; padding: 0; }
.safety { border: 2px solid #7a0000; padding: 0.6em 1em; margin: 1em 0; }
.notes { border-left: 4px solid #999; padding-left: 0.8em; }
.disclaimer { font-size: 0.9em; color: #333; margin-top: 2em; }
@media print { body { margin: 0; } a { color: inherit; text-decoration: none; } }
"""
)


def item_html(item: RoutineItem) -> str:
    """One item as a block: name, dose, purpose, cautions, steps and its stop rule, said once.

    The handout and the programme sheet both print items this way, so a patient reads an
    exercise alike on either page. Beside the steps stand the figure's start and end positions,
    drawn to print in black and white (the worked part is dashed, not only red).
    """
    steps = "".join(f"<li>{escape(step)}</li>" for step in item.exercise.steps)
    figures = figures_html(item)
    return (
        '<div class="item">'
        f'<h3>{escape(item.name)} — <span class="dose">{escape(item.dose_text)}</span>'
        f" <small>(about {escape(duration_words(item.seconds))})</small></h3>"
        f'<p class="why">Why: {escape(item.why)}</p>'
        + "".join(f'<p class="care">Take care: {escape(note)}</p>' for note in item.caution_notes)
        + f"{figures}<ol>{steps}</ol>"
        f'<p class="stop">{escape(item.stop_line)}</p>'
        "</div>"
    )


def figures_html(item: RoutineItem) -> str:
    """The start and end positions of an item's exercise, captioned; "" when it has none."""
    start = exercise_figure(item.exercise, frame=0, size=HANDOUT_FIGURE_SIZE)
    if not start:
        return ""
    end = exercise_figure(item.exercise, frame=-1, size=HANDOUT_FIGURE_SIZE)
    return (
        '<aside class="figures">'
        f"<figure>{start}<figcaption>Start</figcaption></figure>"
        f"<figure>{end}<figcaption>End</figcaption></figure></aside>"
    )


def routine_html(routine: Routine) -> str:
    """The routine as one HTML page: date, areas, time, each item with dose, steps, stop rule.

    Everything a patient needs is inline (styles included, no scripts, fonts or images from
    elsewhere), so the page prints and opens offline. All text, including the catalog's, is
    escaped. A safety box and the "decision support, not a diagnosis" line close the page.
    """
    areas = ", ".join(AREA_LABELS.get(a, a) for a in routine.areas)
    meta = [
        f"Date: {routine.created.isoformat()}",
        f"Areas: {areas}",
        f"Total time: about {duration_words(routine.total_seconds)} (of {routine.minutes} min)",
        f"Level: {routine.level}",
    ]
    if routine.pain is not None:
        meta.append(f"Pain today: {routine.pain}/10")
    if routine.kcal is not None:
        meta.append(f"Energy: about {routine.kcal:.0f} kcal (a rough estimate)")
    sections = []
    for phase, title in PHASE_TITLES.items():
        items = routine.phase_items(phase)
        if items:
            body = "".join(item_html(item) for item in items)
            sections.append(f"<h2>{escape(title)}</h2>{body}")
    notes = ""
    if routine.notes:
        notes = (
            '<div class="notes"><h2>Notes</h2><ul>'
            + "".join(f"<li>{escape(note)}</li>" for note in routine.notes)
            + "</ul></div>"
        )
    # Safety advice: stop on sharp pain or pain spreading down a leg (McKenzie guidance);
    # see a clinician when not improving within a few weeks (NHS lower-back exercise page).
    safety = (
        '<div class="safety"><strong>Safety</strong><ul>'
        "<li>Stop the exercise at once if you feel sharp or sudden pain, or pain, numbness or "
        "pins and needles spreading down a leg.</li>"
        "<li>Some discomfort is normal; pain during exercise should stay at 5/10 or below and "
        "settle by the next morning.</li>"
        "<li>See a physiotherapist or doctor if your pain does not improve within a few weeks, "
        "or if it gets worse.</li>"
        "<li>Get urgent medical help for new numbness around the bottom or genitals, or new "
        "bladder or bowel problems.</li>"
        "</ul></div>"
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape('Exercise routine — ' + areas)}</title>"
        f"<style>{_STYLE}</style></head><body>"
        f"<h1>Your exercise routine</h1>"
        f'<p class="meta">{"<br>".join(escape(line) for line in meta)}</p>'
        f"{safety}{''.join(sections)}{notes}"
        f'<p class="disclaimer">{escape(DISCLAIMER)}</p>'
        "</body></html>\n"
    )
