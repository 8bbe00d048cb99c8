"""The patient's programme in the Build tab: its version, today's session, edits and saving.

A patient with a programme sees it here ("Programme v3, moved on by the pain log on 2 Dec: ..."),
with today's session shown as the routine; each exercise has a Change button that opens Swap
(a short list of alternatives), Remove and Dose controls. Edits, a move on by the pain log, or a
newly generated routine make an unsaved draft, and *Save as programme* keeps it as the next
version. The work is done by ``Programme``, ``backlib.plan.alternatives``,
``backlib.progression.next_programme`` and the store; this widget only lays them out.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Callable
from dataclasses import replace

import ipywidgets as widgets
import traitlets

from backlib.calendar_export import frequency_words
from backlib.catalog import Catalog, describe_dose
from backlib.constants import DEFAULT_TARGET_PER_WEEK, DOSE_VARIABLES, SEVERE_PAIN
from backlib.errors import BacklibError
from backlib.labels import DOSE_LABELS, PHASE_TITLES, PROGRAMME_REASON_LABELS
from backlib.plan.alternatives import alternatives
from backlib.plan.request import resolve_catalog
from backlib.plan.routine import Routine
from backlib.programme import Programme
from backlib.progression import latest_pain, next_programme
from backlib.store import Store
from backlib.widgets.common import alert, alert_html, heading, hint, labelled, registered_name

CALENDAR_WEEKS = 6


def calendar_link_html(programme: Programme, start: dt.date) -> str:
    """A download link carrying the programme's .ics inline (a data: URL, nothing fetched)."""
    payload = base64.b64encode(programme.to_ics(start, weeks=CALENDAR_WEEKS)).decode("ascii")
    name = f"backlib-programme-v{programme.version}.ics"
    return (
        f'<a download="{name}" href="data:text/calendar;charset=utf-8;base64,{payload}">'
        f"⬇ Add the next {CALENDAR_WEEKS} weeks to a calendar (.ics)</a>"
    )


def sheet_link_html(programme: Programme, patient_name: str | None, catalog: Catalog) -> str:
    """A download link carrying the printable programme sheet inline (nothing fetched)."""
    page = programme.to_html(patient_name=patient_name, catalog=catalog)
    payload = base64.b64encode(page.encode("utf-8")).decode("ascii")
    name = f"backlib-programme-v{programme.version}.html"
    return (
        f'<a download="{name}" href="data:text/html;charset=utf-8;base64,{payload}">'
        "⬇ Download the programme sheet to print</a>"
    )


def summary_text(programme: Programme) -> str:
    """'Programme v3, moved on by the pain log on 2 Dec 2026 by JK: 2 stepped up, 1 kept.'"""
    why = PROGRAMME_REASON_LABELS.get(programme.reason, programme.reason)
    by = f" by {programme.by}" if programme.by else ""
    note = f": {programme.note}" if programme.note else ""
    return (
        f"Programme v{programme.version}, {why} on {programme.created:%-d %b %Y}{by}{note}. "
        f"{len(programme.items)} exercises, {frequency_words(programme)}"
    )


class ProgrammePanel(widgets.VBox):
    """One patient's programme: show it, start today's session, edit it, save versions.

    ``session`` is the routine to show and log (today's session of the programme, or its gentle
    version); ``saved`` the last version this panel saved.
    """

    session = traitlets.Any(None, allow_none=True)
    saved = traitlets.Any(None, allow_none=True)

    def __init__(
        self,
        store: Store | None,
        *,
        catalog: Catalog | None = None,
        pain: Callable[[], int | None] = lambda: None,
    ) -> None:
        self.store = store
        self.catalog = resolve_catalog(catalog if catalog is not None else _store_catalog(store))
        self._pain = pain
        self.patient_id: str | None = None
        self.current: Programme | None = None
        self.draft: Programme | None = None
        self._editing: str | None = None
        # While a safety answer stops the plan: why (shown instead of the programme).
        self.paused: str | None = None

        self.summary = widgets.HTML("")
        self.summary.add_class("backlib-programme-summary")
        self.today_button = widgets.Button(description="Today's session", button_style="info")
        self.today_button.add_class("backlib-programme-today")
        self.gentle_button = widgets.Button(
            description="Bad-day session",
            tooltip="The programme's gentle version, for a flare-up day",
            layout=widgets.Layout(width="auto"),
        )
        self.gentle_button.add_class("backlib-programme-gentle")
        self.progress_button = widgets.Button(
            description="Move on by the pain log", layout=widgets.Layout(width="auto")
        )
        self.progress_button.add_class("backlib-programme-progress")
        self.items_box = widgets.VBox()
        self.items_box.add_class("backlib-programme-items")
        self.decisions = widgets.HTML("")
        self.decisions.add_class("backlib-programme-decisions")
        self.days = widgets.Dropdown(
            options=[(f"{n} a week", n) for n in range(1, 8)],
            value=DEFAULT_TARGET_PER_WEEK,
            # Its label ("How often", 80 px) sits inside this width: 110 px are left for "7 a week".
            layout=widgets.Layout(width="190px"),
        )
        self.days.add_class("backlib-programme-days")
        self.days.observe(self._days_changed, names="value")
        self.by = widgets.Text(placeholder="initials (optional)")
        self.by.add_class("backlib-programme-by")
        self.note = widgets.Text(placeholder="why (optional)")
        self.note.add_class("backlib-programme-note")
        self.save_button = widgets.Button(
            description="Save as programme",
            button_style="success",
            disabled=True,
            layout=widgets.Layout(width="auto"),
        )
        self.save_button.add_class("backlib-programme-save")
        self.discard_button = widgets.Button(
            description="Discard changes", disabled=True, layout=widgets.Layout(width="auto")
        )
        self.discard_button.add_class("backlib-programme-discard")
        self.calendar = widgets.HTML("")
        self.calendar.add_class("backlib-programme-calendar")
        self.messages = widgets.VBox()
        self.messages.add_class("backlib-programme-messages")
        self.pause_note = widgets.HTML("")
        self.pause_note.add_class("backlib-programme-paused")

        self.today_button.on_click(lambda _b: self.start_today())
        self.gentle_button.on_click(lambda _b: self.start_today(gentle=True))
        self.progress_button.on_click(lambda _b: self.move_on())
        self.save_button.on_click(lambda _b: self.save())
        self.discard_button.on_click(lambda _b: self.discard())
        self.actions = widgets.HBox(
            [self.today_button, self.gentle_button, self.progress_button],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        self.save_row = widgets.VBox(
            [
                widgets.HBox(
                    [
                        labelled("How often", self.days, "80px"),
                        labelled("By", self.by, "30px"),
                        labelled("Why", self.note, "40px"),
                    ],
                    layout=widgets.Layout(flex_flow="row wrap"),
                ),
                widgets.HBox([self.save_button, self.discard_button]),
            ]
        )
        super().__init__(
            [
                heading("Programme"),
                self.pause_note,
                self.summary,
                self.actions,
                self.calendar,
                self.decisions,
                self.items_box,
                self.save_row,
                self.messages,
            ]
        )
        self.add_class("backlib-programme")
        self.show_patient(None)

    # --- showing --------------------------------------------------------------------------
    def show_patient(self, patient_id: str | None) -> None:
        """Load the patient's current programme (or none) and show today's session of it."""
        self.patient_id = patient_id
        self.current = None
        if self.store is not None and patient_id is not None:
            self.current = self.store.programme(patient_id)
        self.draft = None
        self._editing = None
        self.decisions.value = ""
        self.messages.children = ()
        # The sheet and the calendar change only with the saved version: built here, once,
        # not at every edit (each is a whole page or file, base64 in the link).
        self.calendar.value = (
            sheet_link_html(self.current, self._patient_name(), self.catalog)
            + " · "
            + calendar_link_html(self.current, dt.date.today())
            if self.current is not None
            else ""
        )
        if self.current is not None:
            self.days.value = self.current.days_per_week
            self.start_today()
        self._render()

    def offer_routine(self, routine: Routine | None) -> None:
        """A newly generated routine can become the patient's programme (or re-plan it)."""
        if routine is None or self.patient_id is None or routine.programme_version is not None:
            return
        reason = "planned" if self.current is None else "replanned"
        self.draft = Programme.from_routine(
            routine, patient_id=self.patient_id, days_per_week=self.days.value, reason=reason
        )
        self._editing = None
        self.decisions.value = ""
        self._render()

    def pause(self, reason: str | None) -> None:
        """Pause the programme while a safety answer stops the plan (``reason`` says so):
        its exercises, today's session and saving are hidden and refused; None resumes it."""
        if reason == self.paused:  # every change of a safety answer lands here
            return
        self.paused = reason
        self._render()

    def _shown(self) -> Programme | None:
        return self.draft or self.current

    def _render(self) -> None:
        shown = self._shown()
        has_patient = self.patient_id is not None
        has_programme = self.current is not None
        if not has_patient:
            self.summary.value = html.escape(
                "Choose a patient to keep a routine as their programme: the same exercises "
                "each session, moved on by their pain log."
            )
        elif not has_programme and self.draft is None:
            self.summary.value = html.escape(
                "No programme yet: generate a routine, then save it as this patient's programme."
            )
        elif self.current is not None:
            self.summary.value = html.escape(summary_text(self.current))
        else:
            self.summary.value = ""
        for button in (self.today_button, self.gentle_button, self.progress_button):
            button.disabled = not has_programme
        self.actions.layout.display = None if has_programme else "none"
        unsaved = self.draft is not None
        self.save_row.layout.display = (
            None if has_patient and (unsaved or has_programme) else "none"
        )
        self.save_button.disabled = not unsaved
        self.discard_button.disabled = not unsaved or self.draft.reason in ("planned", "replanned")
        if unsaved:
            version = (self.current.version if self.current else 0) + 1
            label = "Save as programme" if self.draft.reason != "replanned" else "Save the re-plan"
            self.save_button.description = f"{label} (v{version})"
        else:
            self.save_button.description = "Save as programme"
        self.items_box.children = self._rows(shown) if shown is not None else ()
        paused = self.paused is not None
        self.pause_note.value = alert_html(self.paused, "warning") if paused else ""
        if paused:
            for button in (
                self.today_button,
                self.gentle_button,
                self.progress_button,
                self.save_button,
                self.discard_button,
            ):
                button.disabled = True
            for part in (self.actions, self.save_row, self.items_box, self.decisions):
                part.layout.display = "none"
        else:
            self.items_box.layout.display = self.decisions.layout.display = None

    def _edit_pain(self) -> int | None:
        """The pain edits are checked at: before the patient's latest session, else the pain
        the programme was made at (never the Build slider's untouched default)."""
        if self.store is not None and self.patient_id is not None:
            logged = latest_pain(self.store.sessions(self.patient_id))
            if logged is not None:
                return logged
        shown = self._shown()
        return shown.pain if shown is not None else None

    def _patient_name(self) -> str | None:
        if self.store is None or self.patient_id is None:
            return None
        return registered_name(self.store, self.patient_id)

    def _rows(self, programme: Programme) -> tuple[widgets.Widget, ...]:
        rows: list[widgets.Widget] = []
        if self.draft is not None:
            rows.append(hint(f"Unsaved changes: {self.draft.note or 'a new programme'}."))
        phase = None
        for item in programme.items:
            if item.phase != phase:
                phase = item.phase
                title = widgets.HTML(html.escape(PHASE_TITLES[phase]))
                title.add_class("backlib-phase-title")
                rows.append(title)
            exercise = self.catalog[item.exercise_id]
            dose = describe_dose(
                item.sets, item.reps, item.hold_s, item.duration_s, exercise.dose.per_side
            )
            label = widgets.HTML(
                f"<b>{html.escape(exercise.name)}</b> · {html.escape(dose)}",
                layout=widgets.Layout(flex="1 1 260px"),
            )
            change = widgets.Button(
                description="Close" if self._editing == item.exercise_id else "Change",
                tooltip=f"Swap, remove or re-dose {exercise.name}",
                layout=widgets.Layout(width="80px"),
            )
            change.add_class("backlib-programme-change")
            change.on_click(lambda _b, key=item.exercise_id: self._toggle(key))
            row = widgets.HBox([label, change], layout=widgets.Layout(align_items="center"))
            row.add_class("backlib-programme-item")
            rows.append(row)
            if self._editing == item.exercise_id:
                rows.append(self._editor(programme, item.exercise_id))
        return tuple(rows)

    def _toggle(self, exercise_id: str) -> None:
        self._editing = None if self._editing == exercise_id else exercise_id
        self._render()

    def _editor(self, programme: Programme, exercise_id: str) -> widgets.Widget:
        """Swap, Remove and Dose controls for one exercise."""
        item = next(i for i in programme.items if i.exercise_id == exercise_id)
        exercise = self.catalog[exercise_id]
        try:
            options = alternatives(
                exercise_id,
                areas=programme.areas,
                level=programme.level,
                pain=self._edit_pain(),
                equipment=programme.equipment,
                conditions=programme.conditions,
                phase=item.phase,
                exclude=programme.exercise_ids,
                catalog=self.catalog,
            )
        except BacklibError:
            options = []
        swap_to = widgets.Dropdown(
            options=[(o.name, o.id) for o in options] or [("no alternative fits", "")],
            layout=widgets.Layout(width="260px"),
        )
        swap_to.add_class("backlib-programme-swap-choice")
        swap = widgets.Button(description="Swap", disabled=not options)
        swap.add_class("backlib-programme-swap")
        remove = widgets.Button(description="Remove", button_style="warning")
        remove.add_class("backlib-programme-remove")
        fields: dict[str, widgets.Text] = {}
        for variable in DOSE_VARIABLES:
            span = getattr(exercise.dose, variable)
            if span is None:
                continue
            value = getattr(item, variable)
            box = widgets.Text(
                value="" if value is None else str(value),
                placeholder=f"{span.min}-{span.max}",
                layout=widgets.Layout(width="70px"),
            )
            box.add_class(f"backlib-programme-dose-{variable}")
            fields[variable] = box
        set_dose = widgets.Button(description="Set dose")
        set_dose.add_class("backlib-programme-set-dose")
        swap.on_click(
            lambda _b: self._edit(
                lambda p: p.swap(
                    exercise_id, swap_to.value, pain=self._edit_pain(), catalog=self.catalog
                )
            )
        )
        remove.on_click(
            lambda _b: self._edit(lambda p: p.remove(exercise_id, catalog=self.catalog))
        )
        set_dose.on_click(lambda _b: self._set_dose(exercise_id, fields))
        dose_row = widgets.HBox(
            [
                *(labelled(DOSE_LABELS.get(v, v), box, "70px") for v, box in fields.items()),
                set_dose,
            ],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        editor = widgets.VBox(
            [
                widgets.HBox([swap_to, swap, remove], layout=widgets.Layout(flex_flow="row wrap")),
                hint(
                    "Allowed range: "
                    + ", ".join(
                        f"{DOSE_LABELS.get(v, v)} {getattr(exercise.dose, v).min}-"
                        f"{getattr(exercise.dose, v).max}"
                        for v in fields
                    )
                ),
                dose_row,
            ]
        )
        editor.add_class("backlib-programme-editor")
        return editor

    # --- actions --------------------------------------------------------------------------
    def _edit(self, change: Callable[[Programme], Programme]) -> None:
        shown = self._shown()
        if shown is None:
            return
        self.messages.children = ()
        try:
            edited = change(shown)
        except BacklibError as err:
            self.messages.children = (alert(str(err), "error"),)
            return
        if self.draft is not None and self.draft.reason in ("planned", "replanned"):
            edited = replace(edited, reason=self.draft.reason)  # still a new plan, not an edit
        self.draft = edited
        self._editing = None
        self._render()

    def _days_changed(self, change: dict) -> None:
        """A new frequency for a saved programme is an edit to save like any other."""
        shown = self._shown()
        if shown is None or change["new"] == shown.days_per_week:
            return
        if self.draft is not None:
            self.draft = replace(self.draft, days_per_week=change["new"], weekdays=())
        else:
            self.draft = shown.with_schedule(change["new"])
            self.draft = replace(self.draft, note=f"{change['new']} sessions a week")
        self._render()

    def _set_dose(self, exercise_id: str, fields: dict[str, widgets.Text]) -> None:
        values: dict[str, int | None] = {}
        for variable, box in fields.items():
            text = box.value.strip()
            label = DOSE_LABELS.get(variable, variable)
            if not text.isdigit():
                self.messages.children = (
                    alert(f"{label}: write a whole number (got {box.value!r}).", "error"),
                )
                return
            values[variable] = int(text)
        self._edit(lambda p: p.with_dose(exercise_id, catalog=self.catalog, **values))

    def start_today(self, *, gentle: bool = False) -> Routine | None:
        """Show today's session of the saved programme (its gentle version on a bad day);
        none while the programme is paused by a safety answer."""
        if self.current is None or self.paused is not None:
            return None
        pain = self._pain()
        if gentle:
            pain = max(pain or 0, SEVERE_PAIN)  # the severe-pain rules give the gentle version
        try:
            session = self.current.routine(pain=pain, catalog=self.catalog)
        except BacklibError as err:
            self.messages.children = (alert(str(err), "error"),)
            return None
        # Asked again, the same session is shown again: an equal routine would not notify.
        self.session = None
        self.session = session
        return self.session

    def move_on(self) -> Programme | None:
        """A draft of the next version by the pain-monitoring model, with its reasons."""
        if self.store is None or self.patient_id is None or self.current is None:
            return None
        if self.paused is not None:
            return None
        programme, decisions = next_programme(self.store, self.patient_id)
        reasons = (
            [f"{row['name']}: {row['reason']}" for row in decisions.to_dict("records")]
            if len(decisions)
            else []
        )
        listing = "".join(f"<li>{html.escape(reason)}</li>" for reason in reasons)
        self.decisions.value = (
            f"<div><b>{html.escape(programme.note.capitalize())}.</b><ul>{listing}</ul></div>"
        )
        self.draft = programme if programme.items != self.current.items else None
        if self.draft is None:
            self.messages.children = (
                alert("Nothing changes this time: keep doing the same doses.", "info"),
            )
        self._render()
        return self.draft

    def save(self) -> Programme | None:
        """Keep the draft as the patient's next version, then show today's session of it."""
        if self.store is None or self.patient_id is None or self.draft is None:
            return None
        if self.paused is not None:
            return None
        try:
            saved = self.store.save_programme(
                self.patient_id,
                self.draft,
                days_per_week=self.days.value,
                by=self.by.value,
                note=self.note.value,
            )
        except BacklibError as err:
            self.messages.children = (alert(str(err), "error"),)
            return None
        self.note.value = ""
        self.show_patient(self.patient_id)
        self.messages.children = (alert(f"Saved as programme v{saved.version}.", "success"),)
        self.saved = saved
        return saved

    def discard(self) -> None:
        """Forget unsaved changes and show the saved programme again."""
        self.draft = None
        self._editing = None
        self.decisions.value = ""
        self._render()


def _store_catalog(store: Store | None) -> Catalog | None:
    return store.catalog if store is not None else None
