"""The session logger: what was done, pain before / during / after, difficulty and notes."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from backlib.constants import DIFFICULTY_MAX, DIFFICULTY_MIN, PAIN_MAX, PAIN_MIN
from backlib.errors import BacklibError
from backlib.plan.routine import Routine, RoutineItem
from backlib.store import Store
from backlib.widgets.common import (
    alert,
    disclaimer,
    heading,
    hint,
    labelled,
    patient_options,
    stylesheet,
)

DIFFICULTY_WORDS = {1: "very easy", 2: "easy", 3: "about right", 4: "hard", 5: "very hard"}
_NOT_RECORDED = -1

# The fields whose errors are shown next to their control (named as the store names them).
FIELDS = (
    "patient",
    "when",
    "pain_before",
    "pain_during",
    "pain_after",
    "difficulty",
    "notes",
    "done",
    "pain_next_morning",
)


def _pain_options(blank: str) -> list[tuple[str, int]]:
    return [(blank, _NOT_RECORDED)] + [(str(v), v) for v in range(PAIN_MIN, PAIN_MAX + 1)]


# The store's field names (BacklibError.field) as the logger's fields; the rest are the same.
_STORE_FIELDS = {"patient_id": "patient", "started_at": "when", "exercise_id": "done"}


def logger_field(field: str | None) -> str:
    """The logger field an error belongs next to, from the error's ``field`` attribute."""
    name = _STORE_FIELDS.get(field or "", field or "")
    return name if name in FIELDS else "general"


class ItemRow(widgets.HBox):
    """One routine item to tick, with the sets and reps (or seconds) actually done."""

    def __init__(self, item: RoutineItem, done: dict | None = None) -> None:
        self.item = item
        done = done or {}
        self.completed = widgets.Checkbox(
            value=bool(done.get("completed", True)),
            description=item.name,
            indent=False,
            layout=widgets.Layout(width="260px"),
        )
        self.completed.add_class("backlib-log-item")
        small = widgets.Layout(width="120px")
        self.sets = widgets.BoundedIntText(
            value=done.get("sets") or item.sets, min=0, max=20, description="sets", layout=small
        )
        self.sets.style.description_width = "36px"
        self.amount: widgets.BoundedIntText
        if item.duration_s:
            value = done.get("duration_s") or item.duration_s
            self.amount = widgets.BoundedIntText(value=value, min=0, max=7200, description="s")
            self.amount_key = "duration_s"
        else:
            value = done.get("reps") or item.reps or 0
            self.amount = widgets.BoundedIntText(value=value, min=0, max=200, description="reps")
            self.amount_key = "reps"
        self.amount.layout = widgets.Layout(width="130px")
        self.amount.style.description_width = "36px"
        self.pain_during = widgets.Dropdown(
            options=_pain_options("pain —"),
            value=done.get("pain_during") if done.get("pain_during") is not None else -1,
            layout=widgets.Layout(width="90px"),
            tooltip="Pain during this exercise (optional)",
        )
        prescribed = widgets.HTML(
            f'<span class="backlib-hint">prescribed {html.escape(item.dose_text)}</span>',
            layout=widgets.Layout(width="250px"),
        )
        super().__init__([self.completed, prescribed, self.sets, self.amount, self.pain_during])

    def done(self) -> dict[str, Any]:
        """What was done, in the shape Store.log_session(done=...) takes."""
        entry: dict[str, Any] = {
            "sets": self.sets.value,
            "reps": self.item.reps,
            "hold_s": self.item.hold_s,
            "duration_s": self.item.duration_s,
            "completed": self.completed.value,
            "pain_during": (
                None if self.pain_during.value == _NOT_RECORDED else self.pain_during.value
            ),
        }
        entry[self.amount_key] = self.amount.value
        return entry


class SessionLogger(widgets.VBox):
    """Log a session into the store: Save validates through the store and shows errors in place.

    `saved_session` holds the id of the last session saved (observe it to refresh a dashboard).
    """

    saved_session = traitlets.Int(None, allow_none=True)

    def __init__(
        self, store: Store, *, routine: Routine | None = None, patient_id: str | None = None
    ) -> None:
        self.store = store
        self.routine: Routine | None = None
        self.rows: list[ItemRow] = []
        self.errors = {name: widgets.HTML("") for name in (*FIELDS, "general")}
        for name, box in self.errors.items():
            box.add_class("backlib-field-error")
            box.add_class(f"backlib-error-{name}")

        self.patient = widgets.Dropdown(options=[])
        self.patient.add_class("backlib-log-patient")
        self.new_patient = widgets.Text(placeholder="new patient id, e.g. ana-p")
        self.new_patient.add_class("backlib-log-new-patient")
        self.add_patient_button = widgets.Button(description="Add patient")
        self.add_patient_button.add_class("backlib-log-add-patient")
        self.date = widgets.DatePicker(value=dt.date.today())
        self.date.add_class("backlib-log-date")
        self.items_box = widgets.VBox()
        self.items_box.add_class("backlib-log-items")
        slider = {"min": PAIN_MIN, "max": PAIN_MAX, "continuous_update": False}
        self.pain_before = widgets.IntSlider(value=3, **slider)
        self.pain_before.add_class("backlib-log-pain-before")
        self.pain_during = widgets.IntSlider(value=3, **slider)
        self.pain_during.add_class("backlib-log-pain-during")
        self.pain_after = widgets.IntSlider(value=3, **slider)
        self.pain_after.add_class("backlib-log-pain-after")
        self.difficulty = widgets.Dropdown(
            options=[("not rated", _NOT_RECORDED)]
            + [
                (f"{v} – {DIFFICULTY_WORDS[v]}", v)
                for v in range(DIFFICULTY_MIN, DIFFICULTY_MAX + 1)
            ],
            value=_NOT_RECORDED,
        )
        self.difficulty.add_class("backlib-log-difficulty")
        self.notes = widgets.Textarea(
            placeholder="Anything worth remembering", layout=widgets.Layout(width="420px")
        )
        self.notes.add_class("backlib-log-notes")
        self.previous_label = widgets.HTML("")
        self.next_morning = widgets.Dropdown(options=_pain_options("not recorded"))
        self.next_morning.add_class("backlib-log-next-morning")
        self.previous_box = widgets.VBox()
        self.save_button = widgets.Button(description="Save session", button_style="primary")
        self.save_button.add_class("backlib-log-save")
        self.messages = widgets.VBox()
        self.messages.add_class("backlib-messages")
        self._previous_session: int | None = None

        self.add_patient_button.on_click(self.add_patient)
        self.save_button.on_click(self.save)
        self.patient.observe(lambda _c: self._load_previous(), names="value")

        super().__init__(
            [
                stylesheet(),
                disclaimer(),
                heading("Who and when"),
                labelled("Patient", self.patient),
                self.errors["patient"],
                widgets.HBox([self.new_patient, self.add_patient_button]),
                labelled("Date", self.date),
                self.errors["when"],
                self.previous_box,
                heading("What was done"),
                self.items_box,
                self.errors["done"],
                heading("Pain (0 = none, 10 = worst imaginable)"),
                labelled("Before the session", self.pain_before),
                self.errors["pain_before"],
                labelled("During the session", self.pain_during),
                self.errors["pain_during"],
                labelled("Right after", self.pain_after),
                self.errors["pain_after"],
                labelled("How hard was it?", self.difficulty),
                self.errors["difficulty"],
                labelled("Notes", self.notes),
                self.errors["notes"],
                self.save_button,
                self.errors["general"],
                self.messages,
            ]
        )
        self.add_class("backlib-logger")
        self.refresh_patients(patient_id)
        self.set_routine(routine)

    # -- content --------------------------------------------------------------------------------
    def refresh_patients(self, select: str | None = None) -> None:
        """Reload the patient list from the store, keeping (or choosing) a selection."""
        options = patient_options(self.store)
        current = select or self.patient.value
        self.patient.options = options
        ids = [value for _label, value in options]
        if current in ids:
            self.patient.value = current
        elif ids:
            self.patient.value = ids[0]
        self._load_previous()

    def set_routine(self, routine: Routine | None, done: dict | None = None) -> None:
        """Show a routine's items to tick, pre-filled with what guided mode recorded."""
        self.routine = routine
        done = done or {}
        items = routine.items if routine is not None else ()
        self.rows = [ItemRow(item, done.get(item.exercise_id)) for item in items]
        if not self.rows:
            self.items_box.children = (
                hint("No routine yet: generate one first, or save pain scores on their own."),
            )
            return
        source = (
            f"Today's session of programme v{routine.programme_version}; it is logged against "
            "that version. "
            if routine is not None and routine.programme_version is not None
            else ""
        )
        self.items_box.children = (
            hint(
                f"{source}Untick what you skipped; change sets, reps or seconds to what you did; "
                "pain during an exercise is optional."
            ),
            *self.rows,
        )
        if routine is not None and routine.pain is not None:
            self.pain_before.value = routine.pain

    def _load_previous(self) -> None:
        """Offer yesterday's (the latest earlier) session for its next-morning pain."""
        self._previous_session = None
        self.previous_box.children = ()
        patient_id = self.patient.value
        if not patient_id:
            return
        sessions = self.store.sessions(patient_id)
        if not len(sessions):
            return
        today = pd.Timestamp(dt.date.today())
        earlier = sessions[sessions["started_at"] < today]
        earlier = earlier[earlier["pain_next_morning"].isna()]
        if not len(earlier):
            return
        last = earlier.iloc[-1]
        self._previous_session = int(last["session_id"])
        self.next_morning.value = _NOT_RECORDED
        when = pd.Timestamp(last["started_at"]).strftime("%a %d %b")
        self.previous_label.value = html.escape(f"Pain the morning after the session of {when}")
        self.previous_box.children = (
            widgets.HBox([self.previous_label, self.next_morning]),
            self.errors["pain_next_morning"],
        )

    # -- actions --------------------------------------------------------------------------------
    def _clear_errors(self) -> None:
        for box in self.errors.values():
            box.value = ""
        self.messages.children = ()

    def _show_error(self, message: str, field: str | None) -> None:
        """The error next to its field (the error's ``field``), and a note by the Save button."""
        field = logger_field(field)
        self.errors[
            field
        ].value = f'<div class="backlib-alert backlib-alert-error">{html.escape(message)}</div>'
        if field != "general":
            self.messages.children = (
                alert("Not saved: please correct the field marked in red.", "error"),
            )

    def add_patient(self, _button: widgets.Button | None = None) -> str | None:
        """Add a patient by id (the store checks the id) and select them."""
        self._clear_errors()
        patient_id = self.new_patient.value.strip()
        try:
            self.store.add_patient(patient_id)
        except BacklibError as err:
            self._show_error(str(err), err.field or "patient")
            return None
        self.new_patient.value = ""
        self.refresh_patients(patient_id)
        self.messages.children = (alert(f"Patient {patient_id} added.", "success"),)
        return patient_id

    def save(self, _button: widgets.Button | None = None) -> int | None:
        """Write the session (and yesterday's next-morning pain) to the store, or show why not."""
        self._clear_errors()
        if not self.patient.value:
            self._show_error("Choose a patient, or add one first.", "patient")
            return None
        if self.date.value is None:
            self._show_error("Choose the date of the session.", "when")
            return None
        if self.date.value > dt.date.today():
            self._show_error("The session date cannot be in the future.", "when")
            return None
        now = dt.datetime.now()
        when = dt.datetime.combine(self.date.value, now.time().replace(microsecond=0))
        difficulty = None if self.difficulty.value == _NOT_RECORDED else self.difficulty.value
        done = {row.item.exercise_id: row.done() for row in self.rows} or None
        try:
            session_id = self.store.log_session(
                self.patient.value,
                self.routine,
                when=when,
                pain_before=self.pain_before.value,
                pain_during=self.pain_during.value,
                pain_after=self.pain_after.value,
                difficulty=difficulty,
                notes=self.notes.value,
                done=done,
            )
            if self._previous_session is not None and self.next_morning.value != _NOT_RECORDED:
                self.store.set_next_morning_pain(self._previous_session, self.next_morning.value)
        except BacklibError as err:
            self._show_error(str(err), err.field)
            return None
        self.messages.children = (
            alert(f"Session saved for {self.patient.value} on {when:%d %b %Y}.", "success"),
        )
        self.notes.value = ""
        self._load_previous()
        self.saved_session = session_id
        return session_id
