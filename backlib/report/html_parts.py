"""The HTML pieces of a progress report and of a clinic's index page: pure functions of plain data.

Every piece escapes the text it is given (patient names, notes, clinician notes, reasons), so a
report can be opened safely whatever was typed into the store. Pieces carry their own small CSS
so they look the same in JupyterLab, in the exported HTML and in the printed PDF.
"""

from __future__ import annotations

import datetime as dt
import html
import math
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from backlib.calendar_export import frequency_words
from backlib.charts.style import FigureSpec
from backlib.constants import (
    MCID_RELATIVE,
    NPRS_MCID_POINTS,
    PAIN_DURING_ACCEPTABLE_MAX,
    PAIN_DURING_SAFE_MAX,
)
from backlib.labels import DECISION_WORDS, DISCLAIMER, PROGRAMME_REASON_LABELS
from backlib.plan.routine import Routine
from backlib.programme import Programme
from backlib.programme_sheet import date_words
from backlib.report.offline import POLICY_TAGS, external_references

if TYPE_CHECKING:
    import plotly.graph_objects as go

# Set by the report pipeline in the kernel's environment: charts then leave plotly.js out and mark
# where it goes, and the export puts one copy there, so ~4.8 MB never travels through the kernel,
# papermill and nbconvert (report_export.notebook_to_html).
PLOTLYJS_ENV = "BACKLIB_INJECT_PLOTLYJS"
PLOTLYJS_MARKER = "<!-- backlib: plotly.js goes here -->"


_CSS = re.compile(r"""(?:@import\s+|url\()\s*(?:url\()?\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)

_CSS = """<style>
.bl-report { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2933; }
.bl-report h2 { margin: 0.2em 0; }
.bl-muted { color: #52606d; }
.bl-cards { display: flex; flex-wrap: wrap; gap: 0.6rem; margin: 0.5rem 0; }
.bl-card { border: 1px solid #cbd2d9; border-radius: 6px; padding: 0.5rem 0.8rem;
  min-width: 9rem; break-inside: avoid; }
.bl-card .bl-label { font-size: 0.8rem; color: #52606d; }
.bl-card .bl-value { font-size: 1.4rem; font-weight: 600; }
.bl-card .bl-detail { font-size: 0.8rem; }
.bl-good { color: #1d7a46; } .bl-warn { color: #a35a00; } .bl-bad { color: #b42318; }
.bl-table { border-collapse: collapse; margin: 0.4rem 0; }
.bl-report.bl-table th, .bl-report.bl-table td, .bl-table th, .bl-table td {
  border-bottom: 1px solid #e4e7eb; padding: 0.25rem 0.6rem;
  text-align: left !important; vertical-align: top; }
.bl-flags li { margin: 0.2rem 0; }
.bl-note { white-space: pre-wrap; }
p.bl-note { border-left: 3px solid #cbd2d9; padding-left: 0.6rem; }
</style>"""


@dataclass(frozen=True)
class OutcomeChange:
    """First and last score of one outcome measure in the period, and whether it mattered."""

    measure: str
    label: str
    first: float
    last: float
    change: float
    meaningful: bool
    note: str = ""


@dataclass(frozen=True)
class Headline:
    """The figures a report leads with, and that the clinic's index lists for each patient."""

    patient_id: str
    name: str
    start: dt.date | None
    end: dt.date | None
    sessions: int
    target_per_week: int
    adherence_pct: float | None
    minutes: float
    pain_baseline: float | None
    pain_current: float | None
    pain_change: float | None
    pain_change_pct: float | None
    improved: bool | None
    outcome_changes: tuple[OutcomeChange, ...] = ()
    flags: tuple[str, ...] = field(default=())
    message: str = ""


def escape(value: Any) -> str:
    """Any value as escaped HTML text; missing values (None, NaN, NA) as a dash."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if value is pd.NA or value is pd.NaT:
        return "—"
    return html.escape(str(value), quote=True)


def number(value: float | None, digits: int = 1, *, signed: bool = False) -> str:
    """A number rounded for reading (trailing zeros dropped), or a dash when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    text = f"{value:+.{digits}f}" if signed else f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("+0", "-0") else text


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    """The period in words: 'from 2026-01-05 to 2026-03-29', 'all sessions', ..."""
    if start is None and end is None:
        return "all sessions"
    if start is None:
        return f"up to {end:%Y-%m-%d}"
    if end is None:
        return f"from {start:%Y-%m-%d}"
    return f"from {start:%Y-%m-%d} to {end:%Y-%m-%d}"


def report_header(headline: Headline, generated: dt.date | None = None) -> str:
    """Patient, period and date the report was made."""
    made = generated or dt.date.today()
    return (
        f'{_CSS}<div class="bl-report"><h2>Progress report: {escape(headline.name)}</h2>'
        f'<p class="bl-muted">Patient id <b>{escape(headline.patient_id)}</b> · '
        f"period: {escape(period_text(headline.start, headline.end))} · "
        f"report made {made:%Y-%m-%d}</p>"
        f'<p class="bl-muted"><i>{escape(DISCLAIMER)}</i></p></div>'
    )


def _card(key: str, label: str, value: str, detail: str = "", tone: str = "") -> str:
    tone_class = f" bl-{tone}" if tone else ""
    return (
        f'<div class="bl-card" data-key="{key}"><div class="bl-label">{escape(label)}</div>'
        f'<div class="bl-value{tone_class}">{value}</div>'
        f'<div class="bl-detail bl-muted">{detail}</div></div>'
    )


def change_verdict(headline: Headline) -> tuple[str, str]:
    """Words and tone for the pain change: meaningful improvement, no clear change, worse."""
    if headline.pain_change is None or headline.improved is None:
        return "not enough pain scores yet", ""
    if headline.improved:
        return "clinically meaningful improvement", "good"
    if headline.pain_change > 0:
        return "pain is higher than at the start", "bad"
    return "not yet a clinically meaningful change", "warn"


def summary_cards(headline: Headline) -> str:
    """Cards: sessions, adherence, minutes, pain at baseline and now, the change, outcomes."""
    adherence = headline.adherence_pct
    adherence_tone = "" if adherence is None else ("good" if adherence >= 80 else "warn")
    verdict, tone = change_verdict(headline)
    pct = headline.pain_change_pct
    change_detail = escape(verdict)
    if pct is not None and not (isinstance(pct, float) and math.isnan(pct)):
        change_detail = f"{number(pct, 0, signed=True)} % · {change_detail}"
    cards = [
        _card("sessions", "Sessions logged", number(headline.sessions, 0)),
        _card(
            "adherence",
            "Adherence",
            "—" if adherence is None else f"{number(adherence, 0)} %",
            f"last 4 weeks, of {headline.target_per_week} sessions a week planned",
            adherence_tone,
        ),
        _card("minutes", "Minutes exercised", number(headline.minutes, 0)),
        _card(
            "pain_baseline",
            "Pain at the start",
            number(headline.pain_baseline),
            "0–10, mean before exercise, first 2 weeks",
        ),
        _card(
            "pain_current",
            "Pain now",
            number(headline.pain_current),
            "0–10, mean before exercise, last 2 weeks",
        ),
        _card(
            "pain_change",
            "Change in pain",
            number(headline.pain_change, signed=True),
            change_detail,
            tone,
        ),
    ]
    for outcome in headline.outcome_changes:
        cards.append(
            _card(
                f"outcome_{escape(outcome.measure)}",
                outcome.label,
                f"{number(outcome.first)} → {number(outcome.last)}",
                escape(outcome.note)
                or ("meaningful change" if outcome.meaningful else "not yet a meaningful change"),
                "good" if outcome.meaningful else "",
            )
        )
    message = f'<p class="bl-report">{escape(headline.message)}</p>' if headline.message else ""
    return f'{_CSS}<div class="bl-report bl-cards">{"".join(cards)}</div>{message}'


def flags_html(messages: Iterable[str]) -> str:
    """The clinician flags as a list in plain words, or a line saying there are none."""
    items = [f"<li>{escape(message)}</li>" for message in messages]
    if not items:
        return (
            f'{_CSS}<p class="bl-report bl-good">No flags: nothing in this period needs review.</p>'
        )
    return f'{_CSS}<ul class="bl-report bl-flags bl-warn">{"".join(items)}</ul>'


def table_html(
    rows: Sequence[dict[str, Any]], columns: dict[str, str], empty: str, *, escaped: bool = False
) -> str:
    """A small table: `columns` maps each row key to its heading.

    Cell values are escaped here unless the caller says it built them from escaped parts.
    """
    if not rows:
        return f'<p class="bl-report bl-muted">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(title)}</th>" for title in columns.values())
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{row.get(key) if escaped else escape(row.get(key))}</td>" for key in columns
        )
        + "</tr>"
        for row in rows
    )
    return (
        f'{_CSS}<table class="bl-report bl-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )


def decisions_html(decisions: pd.DataFrame | Iterable[Mapping[str, Any]]) -> str:
    """The next dose of each exercise: step up, keep or step down, and why (escaped).

    Rows are the progression's decisions: ``name``, ``decision``, ``previous`` and ``next``
    (doses in words), ``variant`` (an easier or harder exercise to try) and ``reason``.
    """
    rows = decisions.to_dict("records") if isinstance(decisions, pd.DataFrame) else list(decisions)
    shown = []
    for row in rows:
        decision = str(row.get("decision", ""))
        before, after = row.get("previous"), row.get("next")
        dose = escape(after)
        if _present(before) and _present(after) and str(before) != str(after):
            dose = f"{escape(before)} → {escape(after)}"
        reason = escape(row.get("reason"))
        if _present(row.get("variant")):
            reason += f" Variant to try: {escape(row['variant'])}."
        shown.append(
            {
                "exercise": escape(row.get("name") or row.get("exercise_id")),
                "decision": escape(DECISION_WORDS.get(decision, decision)),
                "dose": dose,
                "reason": reason,
            }
        )
    return table_html(
        shown,
        {"exercise": "Exercise", "decision": "Next time", "dose": "Dose", "reason": "Why"},
        "No exercises logged yet, so no dose decisions.",
        escaped=True,
    )


def programme_html(programme: Programme | None, history: pd.DataFrame) -> str:
    """The patient's programme: its current version and how often, then each version up to the
    report's end (``progress.programme_history`` rows): when, why, by whom, what changed."""
    if programme is None:
        return (
            f'{_CSS}<p class="bl-report bl-muted">No programme saved yet: each session was '
            "planned on its own.</p>"
        )
    why = PROGRAMME_REASON_LABELS.get(programme.reason, programme.reason)
    intro = (
        f'<p class="bl-report">Programme version {programme.version} '
        f"({escape(why)}, {escape(date_words(programme.created.date()))}): "
        f"{len(programme.items)} exercises, {escape(frequency_words(programme))}</p>"
    )
    rows = [
        {
            "version": f"v{int(row['version'])}",
            "made": date_words(pd.Timestamp(row["created"]).date()),
            "why": row["why"] + (f" (by {row['by']})" if row["by"] else ""),
            "changes": row["changes"],
            "note": row["note"],
        }
        for row in history.iloc[::-1].to_dict("records")
    ]
    table = table_html(
        rows,
        {
            "version": "Version",
            "made": "Made",
            "why": "Why",
            "changes": "What changed",
            "note": "Note",
        },
        "No versions yet.",
    )
    return intro + table


def _present(value: Any) -> bool:
    return escape(value) not in ("—", "")


def notes_html(notes: Sequence[tuple[dt.datetime | dt.date, str]], clinician_note: str = "") -> str:
    """The clinician's note for this report, then the patient's session notes, all escaped."""
    parts = [_CSS, '<div class="bl-report">']
    if clinician_note.strip():
        parts.append(
            f'<h4>Clinician\'s note</h4><p class="bl-note" data-key="clinician_note">'
            f"{escape(clinician_note.strip())}</p>"
        )
    written = [(when, text.strip()) for when, text in notes if text and text.strip()]
    if written:
        parts.append("<h4>Notes from the sessions</h4><ul>")
        parts.extend(
            f'<li><span class="bl-muted">{when:%Y-%m-%d}</span> '
            f'<span class="bl-note">{escape(text)}</span></li>'
            for when, text in written
        )
        parts.append("</ul>")
    else:
        parts.append('<p class="bl-muted">No session notes in this period.</p>')
    parts.append("</div>")
    return "".join(parts)


def charts_html(figures: Sequence[FigureSpec | go.Figure]) -> str:
    """Plotly figures (or plain figure specs) as one HTML block with plotly.js embedded once, so
    they draw offline.

    Rendering figures here, rather than through plotly's notebook renderer, keeps the report's
    kernel from importing nbformat and jsonschema (over a second on a small machine) and adds
    no MathJax from a CDN.
    """
    # plotly here, not at the top: the batch process that writes the index never draws a chart
    # (import time).
    from plotly.io import to_html

    injected_later = os.environ.get(PLOTLYJS_ENV) == "1"
    blocks = [
        to_html(
            figure,
            include_plotlyjs=index == 0 and not injected_later,
            include_mathjax=False,
            full_html=False,
            default_width="100%",
            default_height=420,
            config={"displaylogo": False, "responsive": True},
            validate=False,  # specs from backlib.charts; their Figure twins are validated in tests
        )
        for index, figure in enumerate(figures)
    ]
    if not blocks:
        return '<p class="bl-report bl-muted">No sessions in this period, so no charts.</p>'
    marker = PLOTLYJS_MARKER if injected_later else ""
    return '<div class="bl-report bl-charts">' + marker + "".join(blocks) + "</div>"


def handout_html(routine: Routine | None, note: str = "") -> str:
    """The next routine's printable handout (``Routine.to_html()``) inside the report.

    The handout is a whole page with its own styles, so it sits in an ``iframe`` whose
    ``srcdoc`` holds it, escaped: its styles cannot restyle the report and the report's cannot
    restyle it. The frame grows to the handout's height once loaded (for reading and printing).
    """
    intro = f'<p class="bl-report">{escape(note)}</p>' if note else ""
    if routine is None:
        return _CSS + intro
    page = routine.to_html()
    remote = external_references(page)
    if remote:
        raise ValueError(f"the handout would load {remote[0]!r} from the network")
    rows = max(len(getattr(routine, "items", ())), 1)
    return (
        f'{_CSS}{intro}<iframe class="bl-handout" title="Next routine handout" '
        f'style="width:100%; height:{260 + 150 * rows}px; border:1px solid #cbd2d9; '
        'border-radius:6px;" '
        "onload=\"this.style.height=(this.contentDocument.documentElement.scrollHeight+24)+'px'\" "
        f'srcdoc="{html.escape(page, quote=True)}"></iframe>'
    )


def footer_html() -> str:
    """What the numbers mean and where the thresholds come from."""
    return (
        f'{_CSS}<div class="bl-report bl-muted"><h4>How to read this report</h4><ul>'
        "<li>Pain is the 0–10 numeric rating scale (0 = no pain, 10 = worst imaginable). "
        "Pain at the start and now are the mean pain before exercise over the first two weeks "
        "and over the last two weeks of the period.</li>"
        f"<li>A change in pain counts as clinically meaningful when it falls by at least "
        f"{number(NPRS_MCID_POINTS)} points or {number(MCID_RELATIVE * 100, 0)} % "
        "(Ostelo et al. 2008). Outcome questionnaires use their own minimal important "
        "change (Oswestry 10 points, Roland-Morris 5, PSFS 2), and a change counts only when "
        "it is also as large as the smallest change the questionnaire can tell from "
        "measurement error (its minimal detectable change); a worsening by as much is "
        "flagged.</li>"
        f"<li>During exercise, pain up to {PAIN_DURING_SAFE_MAX}/10 is safe and up to "
        f"{PAIN_DURING_ACCEPTABLE_MAX}/10 acceptable, if it settles by the next morning and "
        "does not rise from week to week (the pain-monitoring model, Silbernagel et al. "
        "2007). Doses are progressed, held or reduced by these rules.</li>"
        "<li>Adherence compares the sessions logged with the sessions a week planned "
        "(2–3 a week per ACSM guidance, Garber et al. 2011).</li>"
        f"<li>{escape(DISCLAIMER)}</li></ul></div>"
    )


@dataclass(frozen=True)
class IndexEntry:
    """One patient's line on the clinic index: a report and its headline, or a failure."""

    patient_id: str
    html_name: str | None = None
    pdf_name: str | None = None
    headline: Headline | None = None
    error: str | None = None


def index_html(
    entries: Sequence[IndexEntry], title: str, generated: dt.datetime, *, note: str = ""
) -> str:
    """A self-contained page linking every report with its headline figures and any failures;
    ``note`` (e.g. that the run was interrupted) stands out above the table."""
    rows = []
    for entry in entries:
        head = entry.headline
        if entry.error is not None:
            rows.append(
                f'<tr class="bl-failed" data-patient="{escape(entry.patient_id)}">'
                f"<td>{escape(entry.patient_id)}</td>"
                f'<td colspan="7" class="bl-bad">report failed: {escape(entry.error)}</td></tr>'
            )
            continue
        link = f'<a href="{escape(entry.html_name)}">{escape(entry.patient_id)}</a>'
        if entry.pdf_name:
            link += f' (<a href="{escape(entry.pdf_name)}">PDF</a>)'
        verdict, tone = change_verdict(head) if head else ("", "")
        cells = [
            link,
            escape(head.name) if head else "—",
            number(head.sessions, 0) if head else "—",
            (
                f"{number(head.adherence_pct, 0)} %"
                if head and head.adherence_pct is not None
                else "—"
            ),
            (f"{number(head.pain_baseline)} → {number(head.pain_current)}" if head else "—"),
            (
                f'<span class="bl-{tone}">{number(head.pain_change, signed=True)} '
                f"({escape(verdict)})</span>"
                if head
                else "—"
            ),
            number(len(head.flags), 0) if head else "—",
        ]
        rows.append(
            f'<tr data-patient="{escape(entry.patient_id)}">'
            + "".join(f"<td>{cell}</td>" for cell in cells)
            + "</tr>"
        )
    failed = sum(entry.error is not None for entry in entries)
    summary = f"{len(entries) - failed} report(s) written"
    if failed:
        summary += f', <span class="bl-bad">{failed} failed</span>'
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"{POLICY_TAGS}<title>{escape(title)}</title>{_CSS}</head>"
        '<body class="bl-report" style="max-width: 70rem; margin: 1rem auto; padding: 0 1rem;">'
        f"<h1>{escape(title)}</h1>"
        f'<p class="bl-muted">Made {generated:%Y-%m-%d %H:%M} · {summary}</p>'
        + (f'<p class="bl-bad bl-interrupted"><b>{escape(note)}</b></p>' if note else "")
        + '<table class="bl-table"><thead><tr><th>Report</th><th>Name</th><th>Sessions</th>'
        "<th>Adherence</th><th>Pain start → now</th><th>Change</th><th>Flags</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f'<p class="bl-muted"><i>{escape(DISCLAIMER)}</i></p></body></html>'
    )
