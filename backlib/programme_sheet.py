"""A programme as a sheet a patient follows at home: exercises, tick table, education, flare-ups.

One self-contained HTML page (inline styles, no scripts, nothing fetched) that prints well:
items, boxes and the tick table never split across pages, and a heading always keeps company
with what follows it. Every piece of text, the names given and the catalog's included, is
escaped.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import TYPE_CHECKING

from backlib.calendar_export import frequency_words, schedule_days
from backlib.catalog import Catalog, duration_words
from backlib.constants import SHEET_WEEKS_MAX, SHEET_WEEKS_MIN, WEEKDAYS
from backlib.display import date_words
from backlib.education import (
    ABOUT_YOUR_BACK,
    FLARE_UP_ADVICE,
    FLARE_UP_BAD_DAY,
    FLARE_UP_HELP,
    FLARE_UP_LEFT_OUT,
    FLARE_UP_WHAT,
)
from backlib.errors import RequestError
from backlib.labels import AREA_LABELS, DISCLAIMER, PHASE_TITLES
from backlib.labels import WEEKDAYS as WEEKDAY_LABELS
from backlib.plan.handout import FIGURE_STYLE, item_html
from backlib.plan.request import resolve_catalog

if TYPE_CHECKING:
    from backlib.plan.routine import Routine
    from backlib.programme import Programme

# Inline styles only: the sheet must open and print offline. Print rules: no item, box or table
# is split across pages, and a heading is never left alone at the foot of one (each phase
# heading shares an unbreakable block with its first item; box headings live inside their box).
_STYLE = (
    FIGURE_STYLE
    + """
body { font-family: Georgia, 'Times New Roman', serif; max-width: 48em; margin: 1.5em auto;
       padding: 0 1em; color: #111; line-height: 1.4; }
h1 { font-size: 1.5em; margin: 0 0 0.2em 0; }
h2 { font-size: 1.15em; border-bottom: 1px solid #999; margin: 1.2em 0 0.4em 0; }
h3 { font-size: 1em; margin: 0; }
h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
.meta { color: #222; margin: 0 0 1em 0; }
.item, .card, .box, .keep, table.ticks { break-inside: avoid; page-break-inside: avoid; }
.item { margin: 0.7em 0; }
.dose { font-weight: bold; }
.why { font-style: italic; color: #333; margin: 0.2em 0; }
.stop { color: #7a0000; margin: 0.2em 0; }
.care { color: #5a3b00; margin: 0.2em 0; }
ol, ul { margin: 0.3em 0 0.3em 1.2em; padding: 0; }
.box { border: 2px solid #555; border-radius: 4px; padding: 0.4em 1em 0.6em 1em;
       margin: 1.2em 0; }
.box h2 { border-bottom: none; margin-top: 0.3em; }
.flare { border-color: #7a0000; }
.card { margin: 0.4em 0; }
.card h3 { display: inline; }
.card p { display: inline; margin: 0; }
table.ticks { border-collapse: collapse; margin: 0.4em 0 0.8em 0; }
table.ticks th, table.ticks td { border: 1px solid #555; padding: 0.25em 0.6em; }
table.ticks thead { display: table-header-group; }
table.ticks th[scope=row] { text-align: left; font-weight: normal; white-space: nowrap; }
td.tick { width: 2.4em; height: 1.6em; }
.notes { border-left: 4px solid #999; padding-left: 0.8em; }
.disclaimer { font-size: 0.9em; color: #333; margin-top: 1.5em; }
@page { margin: 15mm; }
@media print { body { margin: 0; max-width: none; font-size: 10.5pt; line-height: 1.3; }
               .item { margin: 0.5em 0; } h2 { margin-top: 0.9em; } }
"""
)


def programme_sheet_html(
    programme: Programme,
    *,
    patient_name: str | None = None,
    clinician: str | None = None,
    clinic: str | None = None,
    weeks: int = 6,
    start: dt.date | None = None,
    catalog: Catalog | None = None,
) -> str:
    """The programme as one printable page a patient can follow at home without the app.

    A handout covers one session; a programme is repeated for weeks, so the sheet adds what a
    person needs between visits: how often, a table to tick each session off, the key messages
    about back pain, and a plan for a bad day (the programme's gentle version, the doses
    ``Programme.gentle_routine`` eases, and when to get help).

    Parameters
    ----------
    programme
        The programme to print.
    patient_name, clinician, clinic
        Shown at the top when given (blank text counts as not given).
    weeks
        How many weeks the tick table covers (1-52).
    start
        A day in the tick table's first week; its rows start on that week's Monday. None
        means this week.
    catalog
        The catalog the programme's exercises come from; None means the packaged one.

    Returns
    -------
    str
        A complete HTML document.

    Raises
    ------
    RequestError
        For weeks outside 1-52 or a start that is not a date, naming the field.
    """
    if isinstance(weeks, bool) or not isinstance(weeks, int):
        raise RequestError(f"weeks: {weeks!r} is not a whole number", field="weeks")
    if not SHEET_WEEKS_MIN <= weeks <= SHEET_WEEKS_MAX:
        raise RequestError(
            f"weeks: {weeks} is outside {SHEET_WEEKS_MIN}-{SHEET_WEEKS_MAX}", field="weeks"
        )
    if start is not None and (not isinstance(start, dt.date) or isinstance(start, dt.datetime)):
        raise RequestError(f"start: {start!r} is not a date", field="start")
    first = start or dt.date.today()
    monday = first - dt.timedelta(days=first.weekday())
    cat = resolve_catalog(catalog)
    usual = programme.routine(catalog=cat)
    gentle = programme.gentle_routine(catalog=cat)
    areas = ", ".join(AREA_LABELS.get(a, a) for a in programme.areas)
    title = "Your home exercise programme"
    body = (
        f"<h1>{escape(title)}</h1>"
        + _meta_html(programme, usual, patient_name, clinician, clinic, areas)
        + _exercises_html(usual)
        + _ticks_html(programme, monday, weeks)
        + _about_html()
        + _flare_up_html(programme, gentle, cat)
    )
    name = _given(patient_name)
    page_title = f"{title} — {name}" if name else f"{title} — {areas}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(page_title)}</title>"
        f"<style>{_STYLE}</style></head><body>{body}</body></html>\n"
    )


def _given(text: str | None) -> str:
    return "" if text is None else str(text).strip()


def _meta_html(
    programme: Programme,
    usual: Routine,
    patient_name: str | None,
    clinician: str | None,
    clinic: str | None,
    areas: str,
) -> str:
    lines = []
    for label, value in (("For", patient_name), ("Clinician", clinician), ("Clinic", clinic)):
        if _given(value):
            lines.append(f"<strong>{label}:</strong> {escape(_given(value))}")
    version = f"version {programme.version}" if programme.version else "draft (not yet saved)"
    lines += [
        f"<strong>Programme:</strong> {escape(version)}, made "
        f"{escape(date_words(programme.created.date()))}",
        f"<strong>How often:</strong> {escape(frequency_words(programme))}",
        f"<strong>Each session:</strong> about {escape(duration_words(usual.total_seconds))}"
        f" for the {escape(areas)}",
    ]
    return f'<p class="meta">{"<br>".join(lines)}</p>'


def _exercises_html(routine: Routine) -> str:
    """Each phase under its heading; the heading and its first item form one unbreakable block."""
    sections = []
    for phase, title in PHASE_TITLES.items():
        items = routine.phase_items(phase)
        if not items:
            continue
        first, *rest = (item_html(item) for item in items)
        sections.append(
            f'<section class="phase"><div class="keep"><h2>{escape(title)}</h2>{first}</div>'
            f"{''.join(rest)}</section>"
        )
    if routine.notes:
        sections.append(
            '<div class="notes"><ul>'
            + "".join(f"<li>{escape(note)}</li>" for note in routine.notes)
            + "</ul></div>"
        )
    return "".join(sections)


def _ticks_html(programme: Programme, monday: dt.date, weeks: int) -> str:
    """Rows are weeks from ``monday``, columns the programme's days, each cell a box to tick."""
    days = schedule_days(programme)
    head = "".join(
        f'<th scope="col">{escape(WEEKDAY_LABELS[WEEKDAYS.index(day)])}</th>' for day in days
    )
    rows = "".join(
        f'<tr><th scope="row">week of '
        f"{escape(date_words(monday + dt.timedelta(weeks=week)))}</th>"
        + '<td class="tick"></td>' * len(days)
        + "</tr>"
        for week in range(weeks)
    )
    return (
        '<section class="keep sessions"><h2>Tick off each session</h2>'
        "<p>Put a tick in the box each time you do your exercises.</p>"
        f'<table class="ticks"><thead><tr><th scope="col">Week</th>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _about_html() -> str:
    cards = "".join(
        f'<div class="card"><h3>{escape(message.heading)}.</h3> <p>{escape(message.text)}</p></div>'
        for message in ABOUT_YOUR_BACK
    )
    return f'<section class="box about"><h2>About your back</h2>{cards}</section>'


def _flare_up_html(programme: Programme, gentle: Routine, catalog: Catalog) -> str:
    """What a flare-up is, the gentle version at its eased doses, and when to get help.

    Two boxes, so that even a long programme's gentle version fits a page; the second, short
    one keeps the closing disclaimer with it, so that line never prints alone on a last page.
    """
    exercises = "".join(
        f"<li>{escape(item.name)}: <strong>{escape(item.dose_text)}</strong></li>"
        for item in gentle.items
    )
    kept = {item.exercise_id for item in gentle.items}
    left_out = [catalog[i].name for i in programme.exercise_ids if i not in kept]
    left = f"<p>{escape(FLARE_UP_LEFT_OUT)}: {escape(', '.join(left_out))}.</p>" if left_out else ""
    advice = "".join(f"<li>{escape(line)}</li>" for line in FLARE_UP_ADVICE)
    return (
        '<section class="box flare"><h2>If you have a flare-up</h2>'
        f"<p>{escape(FLARE_UP_WHAT)}</p>"
        f"<p><strong>{escape(FLARE_UP_BAD_DAY)}</strong></p>"
        f"<ul>{exercises}</ul>{left}</section>"
        '<div class="keep"><section class="box flare help"><h2>Getting through a flare-up</h2>'
        f"<ul>{advice}</ul>"
        f"<p><strong>{escape(FLARE_UP_HELP)}</strong></p></section>"
        f'<p class="disclaimer">{escape(DISCLAIMER)}</p></div>'
    )
