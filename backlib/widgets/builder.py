"""The routine builder: body map, time, level, pain, equipment and safety questions -> a routine."""

from __future__ import annotations

import base64
import html
from collections.abc import Iterable

import ipywidgets as widgets
import traitlets

from backlib.catalog import Catalog
from backlib.constants import (
    AGE_MAX,
    AGE_MIN,
    CONDITIONS,
    LEVELS,
    PAIN_MAX,
    PAIN_MIN,
    PLAN_MINUTES_MAX,
    PLAN_MINUTES_MIN,
    SEVERE_PAIN,
    WEIGHT_KG_MAX,
    WEIGHT_KG_MIN,
)
from backlib.errors import BacklibError, RedFlagError, RequestError
from backlib.labels import CONDITION_LABELS, DECISION_DONE_WORDS, URGENCY_LABELS
from backlib.plan.planner import plan_routine
from backlib.plan.request import resolve_catalog
from backlib.plan.routine import Routine
from backlib.progression import next_doses
from backlib.readiness import READINESS_TOPICS
from backlib.screening import RED_FLAGS, questions_for, screen
from backlib.store import Store
from backlib.widgets.accessibility import SliderNames
from backlib.widgets.body_map import BodyMap
from backlib.widgets.cards import routine_cards_html
from backlib.widgets.common import (
    alert,
    disclaimer,
    heading,
    hint,
    labelled,
    patient_options,
    question_box,
    stylesheet,
    total_text,
)
from backlib.widgets.guided import GuidedSession
from backlib.widgets.programme_panel import ProgrammePanel
from backlib.widgets.reveal import Reveal

_NO_PATIENT = "__none__"


def handout_link_html(routine: Routine) -> str:
    """A download link carrying the printable handout inline (a data: URL, nothing fetched)."""
    payload = base64.b64encode(routine.to_html().encode("utf-8")).decode("ascii")
    filename = f"backlib-routine-{routine.created.isoformat()}.html"
    return (
        f'<a download="{filename}" href="data:text/html;charset=utf-8;base64,{payload}">'
        "⬇ Download the printable handout</a>"
    )


def patient_choices(store: Store | None) -> list[tuple[str, str]]:
    options = [("No patient (just me)", _NO_PATIENT)]
    return options + patient_options(store) if store is not None else options


class RoutineBuilder(widgets.VBox):
    """Pick areas, time, level, pain and equipment, answer the safety questions, get a routine.

    The planning is `backlib.plan_routine`; this widget only gathers its arguments and shows the
    result (cards, total time and energy, a handout link, a guided mode). `routine` holds the last
    routine generated, or None after a red flag or an error.
    """

    routine = traitlets.Any(None, allow_none=True)

    def __init__(
        self,
        store: Store | None = None,
        *,
        catalog: Catalog | None = None,
        areas: Iterable[str] = ("lower_back",),
        minutes: int = 20,
        level: str = "beginner",
        pain: int = 3,
    ) -> None:
        self.store = store
        self.catalog = catalog
        self.seed = 0
        # The answers a new patient starts from (choose_patient returns to them).
        self._defaults = {"areas": list(areas), "minutes": minutes, "level": level, "pain": pain}
        # A finished guided session offers "Log this session" where a log can take it (the app).
        self.offer_log = False

        self.body_map = BodyMap(list(areas))
        self.minutes = widgets.IntSlider(
            value=minutes,
            min=PLAN_MINUTES_MIN,
            max=PLAN_MINUTES_MAX,
            step=1,
            continuous_update=False,
        )
        self.minutes.add_class("backlib-minutes")
        self.level = widgets.ToggleButtons(
            options=[(name.capitalize(), name) for name in LEVELS], value=level
        )
        self.level.style.button_width = "110px"
        self.level.add_class("backlib-level")
        self.pain = widgets.IntSlider(
            value=pain, min=PAIN_MIN, max=PAIN_MAX, step=1, continuous_update=False
        )
        self.pain.add_class("backlib-pain")
        self.equipment = {
            name: widgets.Checkbox(
                value=False,
                description=name.replace("_", " "),
                indent=False,
                layout=widgets.Layout(width="150px"),
            )
            for name in resolve_catalog(catalog).offered_equipment()
        }
        for name, box in self.equipment.items():
            box.add_class(f"backlib-equipment-{name}")
        self.conditions = {
            name: widgets.Checkbox(
                value=False,
                description=CONDITION_LABELS[name],
                indent=False,
                layout=widgets.Layout(width="300px"),
            )
            for name in CONDITIONS
        }
        for name, box in self.conditions.items():
            box.add_class(f"backlib-condition-{name}")
        self.patient = widgets.Dropdown(options=patient_choices(store), value=_NO_PATIENT)
        self.patient.add_class("backlib-patient")
        self.patient_row = labelled("Patient", self.patient)
        self.weight = widgets.Text(placeholder="e.g. 70 (optional)")
        self.weight.add_class("backlib-weight")
        self.age = widgets.Text(placeholder="years (optional)")
        self.age.add_class("backlib-age")
        self.red_flags = {}
        self._flag_rows = {}
        for flag_id, question in RED_FLAGS.items():
            # The question is the checkbox's own label: a screen reader names the box by it, and
            # a click on the words ticks it.
            box = question_box(question)
            box.add_class(f"backlib-redflag-{flag_id}")
            box.observe(self._flags_changed, names="value")
            self.red_flags[flag_id] = box
            self._flag_rows[flag_id] = box
        self.flag_box = widgets.VBox()
        self.readiness = {}
        readiness_rows = []
        for topic, question in READINESS_TOPICS.items():
            box = question_box(question)
            box.add_class(f"backlib-readiness-{topic}")
            self.readiness[topic] = box
            readiness_rows.append(box)
        # A ticked red flag shows here, at the top of the tab, at once (emergency first).
        self.alert_box = widgets.VBox()
        self.alert_box.add_class("backlib-screen-alert")

        self.generate_button = widgets.Button(
            description="Generate routine", button_style="primary"
        )
        self.generate_button.add_class("backlib-generate")
        self.shuffle_button = widgets.Button(
            description="Shuffle", tooltip="Same request, other exercises"
        )
        self.shuffle_button.add_class("backlib-shuffle")
        self.guided_button = widgets.Button(
            description="Start guided session", disabled=True, layout=widgets.Layout(width="auto")
        )
        self.guided_button.add_class("backlib-guided-start")

        self.messages = widgets.VBox()
        self.messages.add_class("backlib-messages")
        # An error whose field has a control of its own is shown under that control.
        self.field_errors = {name: widgets.HTML("") for name in ("areas", "weight_kg", "age")}
        for name, box in self.field_errors.items():
            box.add_class("backlib-field-error")
            box.add_class(f"backlib-error-{name}")
        self.total = widgets.HTML("")
        self.total.add_class("backlib-total")
        self.handout = widgets.HTML("")
        self.handout.add_class("backlib-handout")
        self.routine_view = widgets.HTML("")
        self.routine_view.add_class("backlib-routine")
        self.guided = widgets.VBox()
        self.guided.add_class("backlib-guided-panel")
        # What Generate (or today's session) gives, right under the buttons that asked for it.
        self.result = widgets.VBox([self.messages, self.total, self.handout, self.routine_view])
        self.result.add_class("backlib-result")
        # Scrolls the page to what changed: the red-flag alert, a new routine.
        self.reveal = Reveal(scope=".backlib-builder")
        # The patient's programme: today's session of it, edits, versions (Programme).
        self.programme_panel = ProgrammePanel(store, catalog=catalog, pain=lambda: self.pain.value)
        self.programme_panel.observe(self._programme_session, names="session")

        self.generate_button.on_click(self.generate)
        self.shuffle_button.on_click(self.shuffle)
        self.guided_button.on_click(self.start_guided)
        self.patient.observe(self._patient_changed, names="value")

        equipment_grid = widgets.GridBox(
            list(self.equipment.values()),
            layout=widgets.Layout(grid_template_columns="repeat(3, 150px)"),
        )
        controls = widgets.VBox(
            [
                heading("Your session"),
                labelled("Minutes available", self.minutes),
                labelled("Level", self.level),
                labelled("Pain right now (0–10)", self.pain),
                self.patient_row,
                labelled("Body weight in kg", self.weight),
                self.field_errors["weight_kg"],
                labelled("Age", self.age),
                self.field_errors["age"],
                heading("Equipment at hand"),
                hint("A mat and no equipment are always assumed."),
                equipment_grid,
                heading("Anything the plan should allow for?"),
                hint("Each one leaves out the movements it should avoid; the notes say which."),
                widgets.GridBox(
                    list(self.conditions.values()),
                    layout=widgets.Layout(grid_template_columns="repeat(auto-fill, 300px)"),
                ),
            ],
            layout=widgets.Layout(flex="1 1 380px"),
        )
        map_column = widgets.VBox(
            [heading("Where does it hurt?"), self.body_map, self.field_errors["areas"]],
            layout=widgets.Layout(flex="0 1 400px"),
        )
        safety = widgets.VBox(
            [
                heading("Safety questions: tick any that apply today"),
                hint("Any ticked answer stops the plan and says where to get help."),
                self.flag_box,
                heading("Before you exercise: tick any that apply"),
                hint("A yes keeps the routine gentle and suggests checking with your doctor."),
                *readiness_rows,
            ]
        )
        self.body_map.observe(self._areas_changed, names="value")
        self._show_questions()
        super().__init__(
            [
                stylesheet(),
                SliderNames(),
                self.reveal,
                disclaimer(),
                self.alert_box,
                widgets.HBox([map_column, controls], layout=widgets.Layout(flex_flow="row wrap")),
                safety,
                widgets.HBox([self.generate_button, self.shuffle_button, self.guided_button]),
                self.result,
                self.guided,
                self.programme_panel,
            ]
        )
        self.add_class("backlib-builder")

    # -- reading the controls -------------------------------------------------------------------
    def selected_red_flags(self) -> list[str]:
        return [flag_id for flag_id, box in self.red_flags.items() if box.value]

    def selected_readiness(self) -> list[str]:
        return [topic for topic, box in self.readiness.items() if box.value]

    def _age(self) -> int | None:
        text = self.age.value.strip()
        if not text:
            return None
        if not text.isdigit() or not AGE_MIN <= int(text) <= AGE_MAX:
            raise RequestError(
                f"Age: {self.age.value!r} is not an age in whole years ({AGE_MIN}-{AGE_MAX}); "
                "leave it empty if you prefer.",
                field="age",
            )
        return int(text)

    # -- safety questions ------------------------------------------------------------------
    def _areas_changed(self, _change: dict | None = None) -> None:
        self._show_questions()

    def _show_questions(self) -> None:
        """Only the questions that apply to the chosen areas (neck flags for neck, shoulders
        or upper back; thoracic pain for upper or mid back); hidden ones are unticked."""
        shown = questions_for(self.body_map.value)
        for flag_id, box in self.red_flags.items():
            if flag_id not in shown and box.value:
                box.value = False
        self.flag_box.children = tuple(self._flag_rows[flag_id] for flag_id in shown)

    def _flags_changed(self, _change: dict | None = None) -> None:
        """A ticked red flag hides any routine and pauses the programme at once, shows the
        advice at the top of the tab and brings it into view with the focus on it (the box
        just ticked sits far below it). Unticked, the programme is usable again."""
        selected = self.selected_red_flags()
        message = None
        if selected:
            try:
                result = screen(selected, areas=self.body_map.value)
            except BacklibError as err:
                message = str(err)
            else:
                if result.stop:
                    title = URGENCY_LABELS.get(result.urgency or "", "Please get advice first")
                    message = f"{title}. No routine: " + " ".join(result.messages)
        if message is None:
            self.alert_box.children = ()
            self.programme_panel.pause(None)
            return
        self._clear()
        self.routine = None
        self.guided_button.disabled = True
        self.programme_panel.pause(
            "Paused by the safety answers above: no session and no change to the programme "
            "until they are cleared."
        )
        self.alert_box.children = (alert(message, "error"),)
        self.reveal.show(".backlib-screen-alert .backlib-alert", focus=True, block="center")

    def stopped(self) -> bool:
        """True while a safety answer stops the plan (its alert is shown)."""
        return bool(self.alert_box.children)

    def selected_equipment(self) -> list[str]:
        return [name for name, box in self.equipment.items() if box.value]

    def selected_conditions(self) -> list[str]:
        return [name for name, box in self.conditions.items() if box.value]

    def choose_patient(self, patient_id: str | None) -> None:
        """Follow the app's current patient (none: plan without one; nothing is saved).

        Another patient starts from a fresh form: nothing of the previous one (age, weight,
        pain, areas, conditions such as pregnancy, safety and readiness answers, routine) is
        carried over to them; their stored profile (weight) fills in what it holds.
        """
        options = patient_choices(self.store)
        ids = {value for _label, value in options}
        if tuple(self.patient.options) != tuple(options):
            self.patient.options = options
        wanted = patient_id if patient_id in ids else _NO_PATIENT
        if wanted != self.patient.value:
            self.reset_answers()
        self.patient.value = wanted

    def reset_answers(self) -> None:
        """Every answer back to where a new patient starts, and no routine shown."""
        for box in (*self.red_flags.values(), *self.readiness.values()):
            box.value = False
        for box in (*self.conditions.values(), *self.equipment.values()):
            box.value = False
        self.age.value = self.weight.value = ""
        self.body_map.value = list(self._defaults["areas"])
        self.minutes.value = self._defaults["minutes"]
        self.level.value = self._defaults["level"]
        self.pain.value = self._defaults["pain"]
        self.seed = 0
        self._clear()
        self.routine = None

    def patient_id(self) -> str | None:
        return None if self.patient.value == _NO_PATIENT else self.patient.value

    def _weight_kg(self) -> float | None:
        text = self.weight.value.strip().replace(",", ".")
        if not text:
            return None
        try:
            weight = float(text)
        except ValueError:
            raise RequestError(
                f"Body weight: {self.weight.value!r} is not a number; write kilograms, e.g. 70, "
                "or leave it empty.",
                field="weight_kg",
            ) from None
        if not WEIGHT_KG_MIN <= weight <= WEIGHT_KG_MAX:
            raise RequestError(
                f"Body weight: give kilograms between {WEIGHT_KG_MIN:g} and {WEIGHT_KG_MAX:g}, "
                "or leave it empty.",
                field="weight_kg",
            )
        return weight

    def _patient_changed(self, change: dict) -> None:
        """A chosen patient's stored weight fills the weight field; their programme (if any)
        shows with today's session."""
        patient_id = change["new"]
        if self.store is not None and patient_id != _NO_PATIENT:
            frame = self.store.patients()
            rows = frame[frame["patient_id"] == patient_id]
            if len(rows) and rows["weight_kg"].notna().iloc[0]:
                self.weight.value = f"{float(rows['weight_kg'].iloc[0]):g}"
        self.programme_panel.show_patient(None if patient_id == _NO_PATIENT else patient_id)

    def _doses(self) -> tuple[dict | None, list[str]]:
        """Doses adapted to the patient's logged sessions (pain-monitoring model), if any."""
        patient_id = self.patient_id()
        if self.store is None or patient_id is None:
            return None, []
        doses, decisions = next_doses(self.store, patient_id)
        notes = []
        if decisions is not None and len(decisions):
            counts = decisions["decision"].value_counts()
            parts = [
                f"{counts[d]} {DECISION_DONE_WORDS[d]}" for d in DECISION_DONE_WORDS if d in counts
            ]
            notes.append(
                "Doses follow this patient's logged pain (pain-monitoring model): "
                + ", ".join(parts)
                + "."
            )
        return (doses or None), notes

    # -- actions -----------------------------------------------------------------------------
    def _clear(self) -> None:
        self.messages.children = ()
        for box in self.field_errors.values():
            box.value = ""
        self.total.value = ""
        self.handout.value = ""
        self.routine_view.value = ""
        self.close_guided()
        self.guided_button.disabled = True

    def _say(self, message: str, kind: str = "error") -> None:
        self.messages.children = (*self.messages.children, alert(message, kind))

    def _show_error(self, err: BacklibError) -> None:
        """The error under the control its ``field`` names, else with the other messages."""
        box = self.field_errors.get(err.field or "")
        if box is None:
            self._say(str(err), "error")
            return
        box.value = f'<div class="backlib-alert backlib-alert-error">{html.escape(str(err))}</div>'
        self._say("No routine yet: please correct the field marked in red.", "error")

    def generate(self, _button: widgets.Button | None = None) -> Routine | None:
        """Plan a routine from the controls and show it; a red flag or bad input shows a message."""
        self._clear()
        self.routine = None
        if not self.body_map.value:
            self._show_error(
                RequestError("Choose at least one painful area on the body map.", field="areas")
            )
            return None
        # Immediate feedback: the planner's search can take a moment on a busy laptop.
        self.generate_button.disabled = self.shuffle_button.disabled = True
        self.generate_button.description = "Planning…"
        try:
            return self._plan()
        finally:
            self.generate_button.description = "Generate routine"
            self.generate_button.disabled = self.shuffle_button.disabled = False

    def _plan(self) -> Routine | None:
        try:
            weight = self._weight_kg()
            age = self._age()
            doses, notes = self._doses()
            routine = plan_routine(
                self.body_map.value,
                self.minutes.value,
                level=self.level.value,
                pain=self.pain.value,
                equipment=self.selected_equipment(),
                conditions=self.selected_conditions(),
                weight_kg=weight,
                red_flags=self.selected_red_flags(),
                age=age,
                readiness=self.selected_readiness(),
                doses=doses,
                seed=self.seed,
                catalog=self.catalog,
            )
        except RedFlagError as err:
            message = str(err)
            if "no routine" not in message.lower():
                message += " No routine was planned."
            if err.emergency and not message.lower().startswith("urgent"):
                message = f"Urgent: {message}"
            self._say(message, "error")
            return None
        except BacklibError as err:
            self._show_error(err)
            return None
        self.show_routine(routine, notes)
        self.programme_panel.offer_routine(routine)
        # The routine comes into view (on a phone it starts a screen or more below the button).
        self.reveal.show(".backlib-result", block="nearest")
        return routine

    def show_routine(self, routine: Routine, notes: Iterable[str] = ()) -> None:
        """Show a routine (planned, or today's session of a programme) ready to do and log."""
        # What the person waits for goes to the page first; observers of `routine` run last.
        self.routine_view.value = routine_cards_html(routine)
        self.total.value = html.escape(total_text(routine.total_seconds, routine.kcal))
        for note in (*notes, *routine.notes):
            self._say(note, "info")
        self.handout.value = handout_link_html(routine)
        self.guided_button.disabled = False
        self.routine = routine

    def _programme_session(self, change: dict) -> None:
        """Today's session of the patient's programme replaces whatever routine was shown."""
        routine = change["new"]
        if routine is None or self.stopped():
            return
        self._clear()
        version = f"programme v{routine.programme_version}"
        # A severe-pain day's session is the programme's gentle version; its own note says how.
        lead = (
            f"Today's session of {version}, in its gentle version."
            if routine.pain is not None and routine.pain >= SEVERE_PAIN
            else f"Today's session of {version}: the same exercises at the programme's doses."
        )
        self.show_routine(routine, [lead])

    def shuffle(self, _button: widgets.Button | None = None) -> Routine | None:
        """The same request with the next seed: other exercises of the same kind."""
        self.seed += 1
        return self.generate()

    def start_guided(self, _button: widgets.Button | None = None) -> GuidedSession | None:
        """Step through the routine with a countdown for every hold and rest."""
        if self.routine is None:
            return None
        session = GuidedSession(self.routine, offer_log=self.offer_log)
        session.observe(lambda _c: self.close_guided(), names="close_requested")
        # A focused panel: the routine's cards and the programme give way while guiding, so the
        # panel sits right under the buttons and nothing else competes with its controls.
        self.result.layout.display = self.programme_panel.layout.display = "none"
        self.guided.children = (session,)
        return session

    def close_guided(self) -> None:
        """Leave the guided session: the routine and the programme show again."""
        self.guided.children = ()
        self.result.layout.display = self.programme_panel.layout.display = None
