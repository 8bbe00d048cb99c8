"""The progress dashboard: a patient's assessment cards, clinician flags and charts."""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as widgets
import pandas as pd

from backlib import charts, progress
from backlib.display import date_words, pain_text, rounded_text
from backlib.progress import Assessment
from backlib.store import Store
from backlib.widgets.common import (
    alert,
    disclaimer,
    heading,
    hint,
    labelled,
    patient_options,
    select_exactly,
    show,
    show_figures,
    stylesheet,
)


def card_html(label: str, value: str, note: str = "", css: str = "") -> str:
    """One figure on a card: a small label, a large value and an optional note; text escaped."""
    extra = f" {css}" if css else ""
    return (
        f'<div class="backlib-card{extra}"><div class="backlib-card-label">{html.escape(label)}'
        f'</div><div class="backlib-card-value">{html.escape(value)}</div>'
        f'<div class="backlib-card-note">{html.escape(note)}</div></div>'
    )


def _points(value: float | None) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{value:.1f}"


def assessment_cards_html(session_count: int, assessment: Assessment | None) -> str:
    """Sessions, baseline, now, change and whether the change is meaningful, as cards."""
    cards = [card_html("Sessions", str(session_count), "in the chosen dates", "backlib-sessions")]
    if assessment is None:
        return "".join(cards)
    change, pct = assessment.change, assessment.change_pct
    change_text = "—" if change is None else pain_text(change, signed=True)
    pct_note = (
        "points, 0–10" if pct is None else f"{rounded_text(pct, 0, signed=True)} % from baseline"
    )
    if assessment.baseline is None or assessment.current is None:
        verdict, note = "Too early", "needs more weeks of sessions"
    elif assessment.improved:
        verdict, note = "Yes", "pain fell by 2 points or 30 % or more"
    else:
        verdict, note = "Not yet", "below the minimal important change"
    adherence = assessment.adherence_last_4_weeks
    cards += [
        card_html("Baseline pain", _points(assessment.baseline), "first two weeks, 0–10"),
        card_html("Pain now", _points(assessment.current), "last two weeks, 0–10"),
        card_html("Change", change_text, pct_note),
        card_html("Meaningful?", verdict, note, "backlib-meaningful"),
        card_html(
            "Adherence",
            "—" if adherence is None else f"{adherence:.0%}",
            "of planned sessions, last 4 weeks",
        ),
    ]
    return '<div class="backlib-card-row">' + "".join(cards) + "</div>"


def programme_history_html(history: pd.DataFrame) -> str:
    """The programme's versions as a table: when, why, by whom, what changed; text escaped.

    ``history`` is ``backlib.progress.programme_history``'s frame; newest version first.
    """
    if history.empty:
        return ""
    # Each cell carries its heading (data-label), so a phone can show the rows as cards.
    rows = "".join(
        "<tr>"
        f'<td data-label="Version">v{int(row["version"])}</td>'
        f'<td data-label="Made">{html.escape(date_words(pd.Timestamp(row["created"]).date()))}</td>'
        f'<td data-label="Why">{html.escape(str(row["why"]))}{_by(row["by"])}</td>'
        f'<td data-label="What changed">{html.escape(str(row["changes"]))}</td>'
        f'<td data-label="Note">{html.escape(str(row["note"]))}</td>'
        "</tr>"
        for row in history.iloc[::-1].to_dict("records")
    )
    return (
        '<table class="backlib-programme-history"><thead><tr><th>Version</th><th>Made</th>'
        "<th>Why</th><th>What changed</th><th>Note</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )


def _by(by: object) -> str:
    return f" (by {html.escape(str(by))})" if by else ""


class ProgressDashboard(widgets.VBox):
    """Pick a patient and dates; see the assessment, the clinician's flags and the charts.

    The numbers come from `backlib.progress`, the figures from `backlib.charts`; this widget only
    fetches the frames from the store and lays them out.
    """

    def __init__(
        self,
        store: Store,
        *,
        patient_id: str | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        lazy: bool = False,
    ) -> None:
        self.store = store
        # Lazy: draw only once shown (the app's Progress tab), so the app opens faster.
        self._waiting = lazy
        self._stale = True
        self.patient = widgets.Dropdown(options=[])
        self.patient.add_class("backlib-dashboard-patient")
        self.patient_row = labelled("Patient", self.patient, "70px")
        self.start = widgets.DatePicker(value=start)
        self.start.add_class("backlib-dashboard-start")
        self.end = widgets.DatePicker(value=end)
        self.end.add_class("backlib-dashboard-end")
        self.cards = widgets.HTML("")
        self.cards.add_class("backlib-cards")
        self.cards.layout = widgets.Layout(width="100%")
        self.count = widgets.HTML("")
        self.count.add_class("backlib-session-count")
        self.flags = widgets.VBox()
        self.flags.add_class("backlib-flags")
        self.charts = widgets.Output()
        self.charts.add_class("backlib-charts")
        self.programme = widgets.HTML("")
        self.programme.add_class("backlib-dashboard-programme")
        self.patient.observe(lambda _c: self.refresh(), names="value")
        self.start.observe(lambda _c: self.refresh(), names="value")
        self.end.observe(lambda _c: self.refresh(), names="value")
        super().__init__(
            [
                stylesheet(),
                disclaimer(),
                widgets.HBox(
                    [
                        self.patient_row,
                        labelled("From", self.start, "50px"),
                        labelled("To", self.end, "30px"),
                    ],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                hint("Leave the dates empty to see every session."),
                self.count,
                self.cards,
                heading("For the clinician"),
                self.flags,
                self.charts,
                heading("Programme history"),
                self.programme,
            ]
        )
        self.add_class("backlib-dashboard")
        self.refresh_patients(patient_id)

    def refresh_patients(self, select: str | None = None) -> None:
        """Reload the patient list from the store, keeping (or choosing) a selection."""
        options = patient_options(self.store)
        current = select or self.patient.value
        ids = [value for _label, value in options]
        with self.hold_trait_notifications():
            self.patient.options = options
            if current in ids:
                self.patient.value = current
            elif ids:
                self.patient.value = ids[0]
        self.refresh()

    def _draw_programme(self, patient_id: str | None) -> None:
        """Every version of the patient's programme (not limited to the dates: a version made
        before them still applies in them)."""
        if not patient_id:
            self.programme.value = ""
            return
        history = progress.programme_history(self.store.programmes(patient_id), self.store.catalog)
        self.programme.value = programme_history_html(history) or html.escape(
            "No programme yet: save a routine as this patient's programme in Build."
        )

    def choose_patient(self, patient_id: str | None) -> None:
        """Follow the app's current patient exactly (none: nothing to show)."""
        select_exactly(self.patient, self.store, patient_id)
        self.refresh()

    def _range(self) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        start = pd.Timestamp(self.start.value) if self.start.value else None
        # The end date is inclusive: everything before the next midnight.
        end = pd.Timestamp(self.end.value) + pd.Timedelta(days=1) if self.end.value else None
        return start, end

    def show_now(self) -> None:
        """Start drawing (a lazy dashboard waits for this); redraw if something changed."""
        self._waiting = False
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Recompute and redraw everything for the chosen patient and dates."""
        if self._waiting:
            self._stale = True
            return
        self._stale = False
        self._draw()

    def _draw(self) -> None:
        patient_id = self.patient.value
        self._draw_programme(patient_id)
        if not patient_id:
            self.count.value = ""
            self.cards.value = ""
            self.flags.children = (alert("No patients yet: add one in the session log.", "info"),)
            show(self.charts)
            return
        start, end = self._range()
        if start is not None and end is not None and start >= end:
            self.flags.children = (alert("The 'From' date must come before the 'To' date."),)
            return
        sessions = self.store.sessions(patient_id, start=start, end=end)
        outcomes = self.store.outcomes(patient_id, start=start, end=end)
        noun = "session" if len(sessions) == 1 else "sessions"
        self.count.value = html.escape(f"{len(sessions)} {noun} logged")
        if not len(sessions):
            self.cards.value = assessment_cards_html(0, None)
            self.flags.children = (alert("No sessions in these dates yet.", "info"),)
            show(self.charts)
            return
        assessment = progress.assess(sessions, outcomes)
        self.cards.value = assessment_cards_html(len(sessions), assessment)
        flags = tuple(alert(flag.message, "warning") for flag in assessment.flags)
        self.flags.children = (
            alert(assessment.message, "info"),
            *(flags or (alert("Nothing to flag.", "success"),)),
        )
        entries = self.store.entries(patient_id, start=start, end=end)
        figures = [
            charts.pain_trend_figure(sessions, assessment),
            charts.pain_before_after_figure(sessions),
            charts.adherence_calendar_figure(sessions),
            charts.minutes_by_category_figure(sessions, entries, self.store.catalog),
        ]
        if len(outcomes):
            figures.append(charts.outcomes_figure(outcomes))
        show_figures(self.charts, figures)
