"""The session logger: what was done, pain before / during / after, difficulty and notes;
the last sessions open to correct or delete."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ipywidgets as widgets
import pandas as pd
import traitlets

from backlib.constants import DIFFICULTY_MAX, DIFFICULTY_MIN, DONE_FAR_ABOVE
from backlib.errors import BacklibError
from backlib.plan.routine import Routine, RoutineItem
from backlib.store import Store
from backlib.widgets.common import (
    alert,
    disclaimer,
    heading,
    hint,
    patient_name,
    patient_options,
    select_exactly,
    stylesheet,
)
from backlib.widgets.fields import (
    NOT_RECORDED,
    FieldError,
    WholeNumberField,
    chosen,
    error_html,
    pain_choice,
    plain_words,
)
from backlib.widgets.log_rows import ItemRow
from backlib.widgets.recent_sessions import RecentSessions, session_label

DIFFICULTY_WORDS = {1: "very easy", 2: "easy", 3: "about right", 4: "hard", 5: "very hard"}
MINUTES_MAX = 600

# The fields whose errors are shown next to their control (named as the store names them).
FIELDS = (
    "patient",
    "when",
    "actual_minutes",
    "pain_before",
    "pain_during",
    "pain_after",
    "difficulty",
    "notes",
    "done",
    "pain_next_morning",
)
# The store's field names (BacklibError.field) as the logger's fields; the rest are the same.
_STORE_FIELDS = {"patient_id": "patient", "started_at": "when", "exercise_id": "done"}


def logger_field(field: str | None) -> str:
    """The logger field an error belongs next to, from the error's ``field`` attribute."""
    name = _STORE_FIELDS.get(field or "", field or "")
    return name if name in FIELDS else "general"


class SessionLogger(widgets.VBox):
    """Log a session into the store: every value read strictly, errors in sentences by their
    field, nothing saved without a patient, and the last sessions open to correct or delete.

    Pain scores start as "not recorded" and store nothing until chosen. An exercise logged at
    more than DONE_FAR_ABOVE times its prescription asks before it is saved. After a save the
    Save button rests until something changes; *Log another* starts a fresh form.
    `saved_session` holds the id of the last session saved or corrected (observe it to refresh
    a dashboard).
    """

    saved_session = traitlets.Int(None, allow_none=True)

    def __init__(
        self, store: Store, *, routine: Routine | None = None, patient_id: str | None = None
    ) -> None:
        self.store = store
        self.routine: Routine | None = None
        self.rows: list[ItemRow] = []
        self.editing: int | None = None  # the session opened for correction
        # When the session opened for correction was started: a correction keeps its time of day.
        self._editing_started: dt.datetime | None = None
        self._confirmed = False
        self._previous_session: int | None = None
        self.errors = {name: widgets.HTML("") for name in (*FIELDS, "general")}
        for name, box in self.errors.items():
            box.add_class("backlib-field-error")
            box.add_class(f"backlib-error-{name}")

        self.patient = widgets.Dropdown(options=[], description="Patient")
        self.patient.style.description_width = "initial"
        self.patient.add_class("backlib-log-patient")
        self.new_patient = widgets.Text(
            placeholder="new patient id, e.g. ana-p", description="New patient id"
        )
        self.new_patient.style.description_width = "initial"
        self.new_patient.add_class("backlib-log-new-patient")
        self.add_patient_button = widgets.Button(description="Add patient")
        self.add_patient_button.add_class("backlib-log-add-patient")
        self.new_patient_row = widgets.HBox(
            [self.new_patient, self.add_patient_button],
            layout=widgets.Layout(flex_flow="row wrap"),
        )
        self.date = widgets.DatePicker(value=dt.date.today(), description="Date")
        self.date.add_class("backlib-log-date")
        self.items_box = widgets.VBox()
        self.items_box.add_class("backlib-log-items")
        self.minutes = WholeNumberField(
            "Minutes exercised",
            0,
            MINUTES_MAX,
            optional=True,
            unit="min",
            css="backlib-log-minutes",
        )
        self.pain_before = pain_choice("Before the session", css="backlib-log-pain-before")
        self.pain_during = pain_choice("During the session (worst)", css="backlib-log-pain-during")
        self.pain_after = pain_choice("Right after", css="backlib-log-pain-after")
        self.difficulty = widgets.Dropdown(
            options=[("not rated", NOT_RECORDED)]
            + [
                (f"{v} – {DIFFICULTY_WORDS[v]}", v)
                for v in range(DIFFICULTY_MIN, DIFFICULTY_MAX + 1)
            ],
            value=NOT_RECORDED,
            description="How hard was it?",
            style={"description_width": "initial"},
        )
        self.difficulty.add_class("backlib-log-difficulty")
        self.notes = widgets.Textarea(
            placeholder="Anything worth remembering",
            description="Notes",
            layout=widgets.Layout(width="100%", max_width="520px"),
        )
        self.notes.add_class("backlib-log-notes")
        self.next_morning = pain_choice("Pain the morning after", css="backlib-log-next-morning")
        self.previous_box = widgets.VBox()
        self.save_button = widgets.Button(description="Save session", button_style="primary")
        self.save_button.add_class("backlib-log-save")
        self.another_button = widgets.Button(description="Log another session")
        self.another_button.add_class("backlib-log-another")
        self.another_button.layout.display = "none"
        self.confirm_box = widgets.VBox()
        self.confirm_box.add_class("backlib-log-confirm")
        self.messages = widgets.VBox()
        self.messages.add_class("backlib-messages")
        self.recent = RecentSessions(store)
        self.recent.observe(lambda c: self.open_session(c["new"]), names="opened")
        self.recent.observe(self._session_deleted, names="deleted")

        self.add_patient_button.on_click(self.add_patient)
        self.save_button.on_click(self.save)
        self.another_button.on_click(lambda _b: self.fresh_form())
        self.patient.observe(self._patient_changed, names="value")
        for control in self._form_controls():
            control.observe(self._changed, names="value")

        super().__init__(
            [
                stylesheet(),
                disclaimer(),
                heading("Who and when"),
                self.patient,
                self.errors["patient"],
                self.new_patient_row,
                self.date,
                self.errors["when"],
                self.previous_box,
                heading("What was done"),
                self.items_box,
                self.errors["done"],
                self.minutes,
                heading("Pain (0 = none, 10 = worst imaginable)"),
                hint("Leave a score as “not recorded” if you did not note it."),
                self.pain_before,
                self.errors["pain_before"],
                self.pain_during,
                self.errors["pain_during"],
                self.pain_after,
                self.errors["pain_after"],
                self.difficulty,
                self.errors["difficulty"],
                self.notes,
                self.errors["notes"],
                self.confirm_box,
                widgets.HBox([self.save_button, self.another_button]),
                self.errors["general"],
                self.messages,
                heading("Last sessions"),
                hint("Open one to correct what was saved, or delete one logged by mistake."),
                self.recent,
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
        with self.hold_trait_notifications():
            self.patient.options = options
            ids = [value for _label, value in options]
            if current in ids:
                self.patient.value = current
            elif ids:
                self.patient.value = ids[0]
        self._patient_changed()

    def choose_patient(self, patient_id: str | None) -> None:
        """Follow the app's current patient exactly (none: nothing can be saved)."""
        select_exactly(self.patient, self.store, patient_id)
        self._patient_changed()

    def set_routine(
        self, routine: Routine | None, done: dict | None = None, minutes: float | None = None
    ) -> None:
        """Show a routine's items to tick, pre-filled with what guided mode recorded (and the
        minutes it measured)."""
        self.editing = None
        self.routine = routine
        self._show_rows(routine.items if routine is not None else (), done or {})
        if minutes is not None:
            self.minutes.value = round(minutes)
        self._unsaved()

    def _show_rows(self, items: tuple[RoutineItem, ...], done: dict) -> None:
        self.rows = [ItemRow(item, done.get(item.exercise_id)) for item in items]
        for row in self.rows:
            for control in row.controls():
                control.observe(self._changed, names="value")
        if not self.rows:
            self.items_box.children = (
                hint("No routine yet: generate one first, or save pain scores on their own."),
            )
            return
        routine = self.routine
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

    def _form_controls(self) -> tuple[widgets.Widget, ...]:
        return (
            self.date,
            self.minutes.text,
            self.pain_before,
            self.pain_during,
            self.pain_after,
            self.difficulty,
            self.notes,
            self.next_morning,
        )

    def _patient_changed(self, _change: dict | None = None) -> None:
        self.editing = None
        self._load_previous()
        self.recent.show_patient(self.patient.value or None)

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
        self.next_morning.value = NOT_RECORDED
        when = pd.Timestamp(last["started_at"]).strftime("%a %-d %b")
        self.next_morning.description = f"Pain the morning after the session of {when}"
        self.previous_box.children = (self.next_morning, self.errors["pain_next_morning"])

    # -- saved / unsaved ------------------------------------------------------------------------
    def _changed(self, _change: dict | None = None) -> None:
        """Anything changed after a save makes the form savable again."""
        if self.save_button.disabled:
            self._unsaved()

    def _unsaved(self) -> None:
        self._confirmed = False
        self.confirm_box.children = ()
        self.save_button.disabled = False
        self.save_button.description = (
            "Save the correction" if self.editing is not None else "Save session"
        )

    def _saved(self) -> None:
        self.save_button.disabled = True
        self.save_button.description = "Saved"
        self.another_button.layout.display = None

    def fresh_form(self) -> None:
        """A new, empty form for the same routine: nothing recorded yet."""
        self.editing = None
        with self.hold_trait_notifications():
            for box in (self.pain_before, self.pain_during, self.pain_after, self.difficulty):
                box.value = NOT_RECORDED
            self.notes.value = ""
            self.minutes.value = ""
            self.date.value = dt.date.today()
        self._clear_errors()
        self._show_rows(self.routine.items if self.routine is not None else (), {})
        self.another_button.layout.display = "none"
        self._load_previous()
        self._unsaved()

    # -- correcting ------------------------------------------------------------------------
    def open_session(self, session_id: int | None) -> None:
        """Load a saved session into the form; Save then corrects it in the store."""
        if session_id is None:
            return
        sessions = self.store.sessions(self.patient.value)
        found = sessions[sessions["session_id"] == session_id]
        if not len(found):
            return
        row = found.iloc[0]
        entries = self.store.entries(session_id=session_id)
        items, done = [], {}
        for entry in entries.to_dict("records"):
            if entry["exercise_id"] not in self.store.catalog:
                continue  # a retired exercise: its entry stays as it was
            exercise = self.store.catalog[entry["exercise_id"]]
            item = RoutineItem(
                exercise=exercise,
                phase=entry["phase"],
                sets=_int(entry["prescribed_sets"]) or _int(entry["done_sets"]) or 1,
                reps=_int(entry["prescribed_reps"]),
                hold_s=_int(entry["prescribed_hold_s"]),
                duration_s=_int(entry["prescribed_duration_s"]),
                per_side=exercise.dose.per_side,
                seconds=0,
                why="",
            )
            items.append(item)
            done[exercise.id] = {
                "sets": _int(entry["done_sets"]),
                "reps": _int(entry["done_reps"]),
                "duration_s": _int(entry["done_duration_s"]),
                "completed": bool(entry["completed"]),
                "pain_during": _int(entry["pain_during"]),
            }
        self.routine = None
        with self.hold_trait_notifications():
            for box, column in (
                (self.pain_before, "pain_before"),
                (self.pain_during, "pain_during"),
                (self.pain_after, "pain_after"),
                (self.difficulty, "difficulty"),
            ):
                box.value = NOT_RECORDED if pd.isna(row[column]) else int(row[column])
            self.notes.value = row["notes"]
            minutes = row["actual_minutes"]
            self.minutes.value = "" if pd.isna(minutes) else round(float(minutes))
            started = pd.Timestamp(row["started_at"]).to_pydatetime()
            self.date.value = started.date()
        self._show_rows(tuple(items), done)
        self.editing = int(session_id)
        self._editing_started = started
        self._clear_errors()
        self.messages.children = (
            alert(f"Correcting the session of {session_label(row)}.", "info"),
        )
        self._unsaved()

    def _session_deleted(self, change: dict) -> None:
        if change["new"] is None:
            return
        if self.editing == change["new"]:
            self.fresh_form()
        self._load_previous()
        self.saved_session = None
        self.saved_session = change["new"]

    # -- actions --------------------------------------------------------------------------------
    def _clear_errors(self) -> None:
        """No error left on screen: the form's own, each number field's and the messages."""
        for box in self.errors.values():
            box.value = ""
        for field in (self.minutes, *(f for row in self.rows for f in (row.sets, row.amount))):
            field.error.value = ""
        self.messages.children = ()

    def _show_error(self, message: str, field: str | None) -> None:
        """The error next to its field (the error's ``field``), and a note by the Save button."""
        field = logger_field(field)
        self.errors[field].value = error_html(plain_words(message))
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

    def _read_form(self) -> dict[str, Any] | None:
        """Every value, read strictly; None (with the errors shown) when any is refused.

        Every field is read on every attempt, so each error shown is about what the form holds
        now: an error corrected since the last attempt disappears, and a prompt about values
        that have since changed goes with it.
        """
        self._clear_errors()
        self.confirm_box.children = ()
        refused = False
        if not self.patient.value:
            self._show_error("Choose a patient, or add one first.", "patient")
            refused = True
        if self.date.value is None:
            self._show_error("Choose the date of the session.", "when")
            refused = True
        elif self.date.value > dt.date.today():
            self._show_error("The session date cannot be in the future.", "when")
            refused = True
        done = {}
        for row in self.rows:
            try:
                done[row.item.exercise_id] = row.done()
            except FieldError:
                refused = True  # the row shows its own error under the field
        try:
            minutes = self.minutes.read()
        except FieldError:
            refused = True
        if refused:
            self.messages.children = (
                alert("Not saved: please correct the fields marked in red.", "error"),
            )
            return None
        return {
            "when": self._started_at(self.date.value),
            "pain_before": chosen(self.pain_before),
            "pain_during": chosen(self.pain_during),
            "pain_after": chosen(self.pain_after),
            "difficulty": chosen(self.difficulty),
            "notes": self.notes.value,
            "actual_minutes": minutes,
            "done": done,
        }

    def _started_at(self, day: dt.date) -> dt.datetime:
        """When the session started: a correction keeps the stored time of day (a changed date
        moves the session to that day at the same time); a new session is logged at the
        present time of day."""
        if self.editing is not None and self._editing_started is not None:
            return dt.datetime.combine(day, self._editing_started.time())
        return dt.datetime.combine(day, dt.datetime.now().time().replace(microsecond=0))

    def _ask_first(self, done: dict[str, dict]) -> bool:
        """Ask before saving exercises logged far above their prescription; True if asked."""
        high = [row.item.name for row in self.rows if row.far_above(done[row.item.exercise_id])]
        if not high or self._confirmed:
            return False
        yes = widgets.Button(description="Yes, save it", button_style="warning")
        yes.add_class("backlib-log-confirm-yes")
        no = widgets.Button(description="Let me correct it")
        no.add_class("backlib-log-confirm-no")
        yes.on_click(lambda _b: self._confirm_and_save())
        no.on_click(lambda _b: setattr(self.confirm_box, "children", ()))
        self.confirm_box.children = (
            alert(
                f"{', '.join(high)}: logged at more than {DONE_FAR_ABOVE} times the prescribed "
                "amount. Is that what was done?",
                "warning",
            ),
            widgets.HBox([yes, no]),
        )
        return True

    def _confirm_and_save(self) -> None:
        self._confirmed = True
        self.save()

    def save(self, _button: widgets.Button | None = None) -> int | None:
        """Write the session (or the correction, and yesterday's next-morning pain) to the
        store, or show why not.

        A form already saved stores nothing again until something in it changes, and a click
        that arrives while a save is being written is ignored: a double click on Save stores
        one session, not two.
        """
        if self.save_button.disabled:  # set while a save is written (see _save)
            return None
        return self._save()

    def _save(self) -> int | None:
        confirmed = self._confirmed
        values = self._read_form()
        if values is None:
            return None
        self._confirmed = confirmed
        if self._ask_first(values["done"]):
            return None
        # Disabled before writing: the page shows it at once, so a second click lands on a
        # button that no longer acts.
        self.save_button.disabled = True
        self.save_button.description = "Saving…"
        try:
            if self.editing is not None:
                session_id = self.editing
                self.store.correct_session(session_id, **values)
            else:
                session_id = self.store.log_session(
                    self.patient.value,
                    self.routine,
                    **{**values, "done": values["done"] or None},
                )
            if self._previous_session is not None and chosen(self.next_morning) is not None:
                self.store.set_next_morning_pain(self._previous_session, self.next_morning.value)
        except BacklibError as err:
            self._unsaved()
            self._show_error(str(err), err.field)
            return None
        what = "Correction saved" if self.editing is not None else "Session saved"
        name = patient_name(self.store, self.patient.value)
        self.messages.children = (
            alert(f"{what} for {name} on {values['when']:%-d %b %Y}.", "success"),
        )
        self._load_previous()
        self.recent.show_patient(self.patient.value)
        self._saved()
        self.saved_session = None
        self.saved_session = session_id
        return session_id


def _int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
