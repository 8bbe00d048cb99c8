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
from backlib.display import date_words, pain_text, rounded_text, score_text
from backlib.labels import DECISION_WORDS, DISCLAIMER, PROGRAMME_REASON_LABELS
from backlib.plan.routine import Routine
from backlib.programme import Programme
from backlib.progress.assessment import and_list
from backlib.report.inlined import inline_page
from backlib.report.offline import POLICY_TAGS, external_references
from backlib.report.records import (
    PLOTLYJS_ENV,
    PLOTLYJS_MARKER,
    PRINT_DATA_CLASS,
    Headline,
    IndexEntry,
    OutcomeChange,
)

if TYPE_CHECKING:
    import plotly.graph_objects as go


_CSS = re.compile(r"""(?:@import\s+|url\()\s*(?:url\()?\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)

_CSS = """<style>
.bl-report { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; color: #1f2933; }
.bl-report h2 { margin: 0.2em 0; }
.bl-muted { color: #52606d; }
.bl-cards { display: flex; flex-wrap: wrap; gap: 0.6rem; margin: 0.5rem 0; }
.bl-card { border: 1px solid #cbd2d9; border-radius: 6px; padding: 0.5rem 0.8rem;
  min-width: 9rem; break-inside: avoid; }
/* Outcome cards carry a sentence each: two to a row, so the group stays short. */
.bl-outcomes .bl-card { flex: 1 1 16rem; max-width: calc(50% - 0.3rem); box-sizing: border-box; }
.bl-card .bl-label { font-size: 0.8rem; color: #52606d; }
.bl-card .bl-value { font-size: 1.4rem; font-weight: 600; }
.bl-card .bl-detail { font-size: 0.8rem; }
.bl-good { color: #1d7a46; } .bl-warn { color: #a35a00; } .bl-bad { color: #b42318; }
.bl-table { border-collapse: collapse; margin: 0.4rem 0; }
table.bl-table { table-layout: auto; }
.bl-report.bl-table th, .bl-report.bl-table td, .bl-table th, .bl-table td {
  border-bottom: 1px solid #e4e7eb; padding: 0.25rem 0.6rem;
  text-align: left !important; vertical-align: top; }
.bl-flags li { margin: 0.2rem 0; }
.bl-note { white-space: pre-wrap; }
p.bl-note { border-left: 3px solid #cbd2d9; padding-left: 0.6rem; }
.bl-from { font-size: 1.05rem; margin: 0 0 0.3rem 0; }
</style>"""


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
    text = rounded_text(value, digits, signed=signed)
    return text.rstrip("0").rstrip(".") if "." in text else text


def period_text(start: dt.date | None, end: dt.date | None) -> str:
    """The period in words: 'from 5 Jan 2026 to 29 Mar 2026', 'all sessions', ..."""
    if start is None and end is None:
        return "all sessions"
    if start is None:
        return f"up to {date_words(end)}"
    if end is None:
        return f"from {date_words(start)}"
    return f"from {date_words(start)} to {date_words(end)}"


def report_header(
    headline: Headline,
    generated: dt.date | None = None,
    *,
    clinic: str = "",
    clinician: str = "",
) -> str:
    """The cover block: clinic and clinician when given, patient, period (its first and last
    day), the date the report was made; and the same facts for the printed pages' running
    header and footer (see :func:`print_header_data`)."""
    made = generated or dt.date.today()
    first = headline.first_day or headline.start
    last = headline.last_day or headline.end
    period = period_text(first, last) if first or last else "no sessions yet"
    clinic, clinician = clinic.strip(), clinician.strip()
    from_whom = [
        f'<span data-key="{key}">{label}<b>{escape(value)}</b></span>'
        for key, label, value in (("clinic", "", clinic), ("clinician", "Clinician: ", clinician))
        if value
    ]
    cover = f'<p class="bl-from">{" · ".join(from_whom)}</p>' if from_whom else ""
    return (
        f'{_CSS}<div class="bl-report bl-cover">{cover}'
        f"<h2>Progress report: {escape(headline.name)}</h2>"
        f'<p class="bl-muted">Patient id <b>{escape(headline.patient_id)}</b> · '
        f'period: <span data-key="period">{escape(period)}</span> · '
        f"report made {escape(date_words(made))}</p>"
        f'<p class="bl-muted"><i>{escape(DISCLAIMER)}</i></p></div>'
        + print_header_data(headline.name, headline.patient_id, period, date_words(made))
    )


def print_header_data(name: str, patient_id: str, period: str, made: str) -> str:
    """A hidden element carrying what every printed page repeats (patient, period, date made),
    as escaped attributes: the PDF step takes them from the report itself, so header and
    report cannot disagree."""
    return (
        f'<div class="{PRINT_DATA_CLASS}" hidden data-name="{escape(name)}" '
        f'data-patient-id="{escape(patient_id)}" data-period="{escape(period)}" '
        f'data-made="{escape(made)}"></div>'
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
    pain = "0–10, mean before exercise"
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
            pain_text(headline.pain_baseline),
            f"{pain}, first 2 weeks",
        ),
        _card(
            "pain_current",
            "Pain now",
            pain_text(headline.pain_current),
            f"{pain}, last 2 weeks",
        ),
        _card(
            "pain_change",
            "Change in pain",
            pain_text(headline.pain_change, signed=True),
            change_detail,
            tone,
        ),
    ]
    # Two groups, each kept whole on a printed page: the session log's, and the questionnaires'.
    outcome_cards = []
    for outcome in headline.outcome_changes:
        outcome_cards.append(
            _card(
                f"outcome_{escape(outcome.measure)}",
                outcome.label,
                f"{score_text(outcome.first, outcome.measure)} → "
                f"{score_text(outcome.last, outcome.measure)}",
                escape(outcome.note)
                or ("meaningful change" if outcome.meaningful else "not yet a meaningful change"),
                "good" if outcome.meaningful else "",
            )
        )
    groups = f'<div class="bl-report bl-cards">{"".join(cards)}</div>'
    if outcome_cards:
        groups += f'<div class="bl-report bl-cards bl-outcomes">{"".join(outcome_cards)}</div>'
    return f"{_CSS}{groups}{verdict_html(headline)}"


def _short(outcome: OutcomeChange) -> str:
    return outcome.measure.upper()


def verdict_html(headline: Headline) -> str:
    """The summary in words: each conclusion with the measure it rests on, and one verdict that
    says how pain before exercise and the questionnaires agree or differ."""
    items = []
    if headline.pain_change is not None and headline.improved is not None:
        verdict, tone = change_verdict(headline)
        items.append(
            f'<li data-key="verdict_pain">Pain before exercise (the 0–10 rating logged before '
            f"each session; mean of the first 2 weeks against the last 2): "
            f"{pain_text(headline.pain_baseline)} → {pain_text(headline.pain_current)} "
            f"({pain_text(headline.pain_change, signed=True)} points): "
            f'<span class="bl-{tone}">{escape(verdict)}</span> '
            f"(2 points or 30 %, Ostelo 2008).</li>"
        )
    elif headline.message:
        items.append(f'<li data-key="verdict_pain">{escape(headline.message)}</li>')
    outcomes = headline.outcome_changes
    if outcomes:
        scores = ", ".join(
            f"{escape(_short(o))} {score_text(o.first, o.measure)} → "
            f"{score_text(o.last, o.measure)}"
            for o in outcomes
        )
        better = [_short(o) for o in outcomes if o.meaningful]
        rest = [_short(o) for o in outcomes if not o.meaningful]
        said = []
        if better:
            said.append(f"{and_list(better)} improved meaningfully")
        if rest:
            said.append(f"{and_list(rest)} not (yet) by a meaningful amount")
        items.append(
            f'<li data-key="verdict_questionnaires">Questionnaire scores (first and last in '
            f"the period): {scores}: {escape('; '.join(said))}.</li>"
        )
    one = _one_verdict(headline)
    if one:
        items.append(f'<li data-key="verdict"><b>{escape(one)}</b></li>')
    if not items:
        return ""
    return (
        f'<div class="bl-report"><h4>What the summary rests on</h4><ul>{"".join(items)}</ul></div>'
    )


def _one_verdict(headline: Headline) -> str:
    """One sentence joining pain before exercise and the questionnaires."""
    if headline.pain_change is None or headline.improved is None:
        return ""
    better = and_list([_short(o) for o in headline.outcome_changes if o.meaningful])
    if headline.improved:
        tail = f", and {better} improved meaningfully" if better else ""
        return f"In short: pain before exercise has fallen by a meaningful amount{tail}."
    if better:
        return (
            "In short: pain before exercise has not fallen by 2 points or 30 %, although "
            f"{better} improved meaningfully."
        )
    return "In short: neither pain before exercise nor the questionnaires improved meaningfully."


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


def decisions_html(
    decisions: pd.DataFrame | Iterable[Mapping[str, Any]],
    empty: str = "No exercises logged yet, so no dose decisions.",
) -> str:
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
        empty,
        escaped=True,
    )


def next_steps_html(
    decisions: pd.DataFrame,
    decided_on: dt.date | None,
    *,
    programme: Programme | None = None,
    moved: Programme | None = None,
    empty: str = "",
) -> str:
    """The next doses as of the period's end: the programme's items moved on by the pain log
    when there is a programme, else every exercise logged; ``empty`` says why there are none."""
    if decided_on is None or decisions.empty:
        shown = empty or "No exercises logged yet, so no dose decisions."
        return f'{_CSS}<p class="bl-report bl-muted" data-key="next_steps">{escape(shown)}</p>'
    when = escape(date_words(decided_on))
    if programme is not None and moved is not None:
        intro = (
            f"As of {when}, from the sessions up to that day: the "
            f"programme (version {programme.version}) moved on by the pain log, "
            f"{escape(moved.note)}. Not saved yet: the clinician saves it as the next version."
        )
    else:
        intro = f"As of {when}, from the sessions up to that day."
    return f'{_CSS}<p class="bl-report" data-key="next_steps">{intro}</p>' + decisions_html(
        decisions
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
            f'<li><span class="bl-muted">{escape(date_words(when))}</span> '
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


def questionnaires_html(scores: pd.DataFrame, *, entered_totals: int = 0) -> str:
    """The questionnaires answered in the period: date, questionnaire, score, band or risk.

    Rows are ``data.questionnaire_scores`` rows; each score is rounded by its measure's rule
    (ODI % and the PSFS mean to one decimal, RMDQ and STarT Back whole). ``entered_totals``
    is how many outcome measures the summary shows from scores entered as totals: without
    answered questionnaires the section says where those scores are, rather than seeming to
    contradict the summary.
    """
    rows = [
        {
            "day": date_words(row["answered_on"]),
            "name": row["name"],
            "score": score_text(row["total"], str(row["instrument"]))
            + (" %" if row["instrument"] == "odi" and pd.notna(row["total"]) else ""),
            "band": row["band"] or "—",
        }
        for row in scores.to_dict("records")
    ]
    return table_html(
        rows,
        {"day": "Answered", "name": "Questionnaire", "score": "Score", "band": "Band or risk"},
        "No questionnaire was answered item by item in this period"
        + (
            "; the outcome scores in the summary above were entered as totals."
            if entered_totals
            else "."
        ),
    )


def _inlined(page: str, title: str, css_class: str) -> str:
    """A whole page set into the report's flow (see :mod:`backlib.report.inlined`), so it breaks
    across printed pages between its items rather than being cut as one framed box."""
    remote = external_references(page)
    if remote:
        raise ValueError(f"the {title.lower()} would load {remote[0]!r} from the network")
    return inline_page(page, css_class)


def programme_sheet_part(
    programme: Programme | None,
    patient_name: str,
    note: str = "",
    *,
    clinic: str = "",
    clinician: str = "",
) -> str:
    """The programme sheet for home (``Programme.to_html``) as the report's last part, its
    styles scoped to it so they and the report's leave each other alone."""
    intro = f'<p class="bl-report">{escape(note)}</p>' if note else ""
    if programme is None:
        return _CSS + intro
    page = programme.to_html(patient_name=patient_name, clinic=clinic, clinician=clinician)
    return _CSS + intro + _inlined(page, "Programme sheet", "bl-sheet")


def handout_html(routine: Routine | None, note: str = "") -> str:
    """The next routine's printable handout (``Routine.to_html()``) inside the report.

    The handout is a whole page with its own styles: set into the report's flow with those
    styles scoped to it, they cannot restyle the report, and the report's cannot restyle it.
    """
    intro = f'<p class="bl-report">{escape(note)}</p>' if note else ""
    if routine is None:
        return _CSS + intro
    return _CSS + intro + _inlined(routine.to_html(), "Next routine handout", "bl-handout")


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
            (f"{pain_text(head.pain_baseline)} → {pain_text(head.pain_current)}" if head else "—"),
            (
                f'<span class="bl-{tone}">{pain_text(head.pain_change, signed=True)} '
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
        f'<p class="bl-muted">Made {date_words(generated.date())}, {generated:%H:%M} · '
        f"{summary}</p>"
        + (f'<p class="bl-bad bl-interrupted"><b>{escape(note)}</b></p>' if note else "")
        + '<table class="bl-table"><thead><tr><th>Report</th><th>Name</th><th>Sessions</th>'
        "<th>Adherence</th><th>Pain start → now</th><th>Change</th><th>Flags</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        f'<p class="bl-muted"><i>{escape(DISCLAIMER)}</i></p></body></html>'
    )


def take_home_html(
    programme: Programme | None,
    patient_name: str,
    routine: Routine | None = None,
    routine_note: str = "",
    *,
    clinic: str = "",
    clinician: str = "",
) -> str:
    """The report's last part: the programme sheet when there is a programme (with the clinic
    and clinician when given), else the next routine's one-session handout.

    Wrapped in ``bl-take-home``: the print style starts it on a fresh page, so the pages to
    give the patient come apart from the clinician's."""
    if programme is None:
        part = handout_html(routine, routine_note)
    else:
        note = (
            f"The programme sheet of version {programme.version}, as the patient follows it at "
            "the end of the period."
        )
        part = programme_sheet_part(
            programme, patient_name, note, clinic=clinic, clinician=clinician
        )
    return f'<div class="bl-take-home">{part}</div>'
