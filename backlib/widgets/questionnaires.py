"""The questionnaire panel: enter ODI, RMDQ, PSFS or STarT Back answers and see the score live."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping

import ipywidgets as widgets
import traitlets

from backlib.errors import BacklibError
from backlib.labels import ODI_BAND_LABELS
from backlib.questionnaires import (
    INSTRUMENTS,
    PSFS_MAX_ACTIVITIES,
    PSFS_MIN_ACTIVITIES,
    PSFS_RATING_MAX,
    START_BACK_SUBSCALE_ITEMS,
    WORDED_INSTRUMENTS,
    Score,
    item_text,
    score,
    start_back_care,
)
from backlib.store import Store
from backlib.widgets.common import (
    alert,
    alert_html,
    disclaimer,
    heading,
    hint,
    labelled,
    patient_options,
    select_exactly,
    stylesheet,
)
from backlib.widgets.dashboard import card_html

_NOT_ANSWERED = -1  # a dropdown's "not answered" option (None would mean "nothing selected")
# Where an error without an item goes, by the error's ``field`` (the store's names included).
_FIELDS = {"patient_id": "patient", "patient": "patient", "when": "when", "instrument": "answers"}


def _error_box(name: str) -> widgets.HTML:
    box = widgets.HTML("")
    box.add_class("backlib-field-error")
    box.add_class(f"backlib-error-{name}")
    return box


def _choice(options: tuple[tuple[int, str], ...], blank: str, css: str) -> widgets.Dropdown:
    control = widgets.Dropdown(
        options=[(blank, _NOT_ANSWERED)] + [(label, value) for value, label in options],
        value=_NOT_ANSWERED,
        layout=widgets.Layout(width="180px"),
    )
    control.add_class(css)
    return control


class QuestionnairePanel(widgets.VBox):
    """Answer one questionnaire for a patient; the score shows as each answer changes.

    Scoring is `backlib.questionnaires.score`; this widget only builds one control per item from
    the instrument's items, shows the score or the error next to its item (the error's ``row``),
    and saves through ``store.log_questionnaire``. `saved_questionnaire` holds the id of the last
    questionnaire saved (observe it to refresh a dashboard).
    """

    saved_questionnaire = traitlets.Int(None, allow_none=True)

    def __init__(
        self,
        store: Store,
        *,
        patient_id: str | None = None,
        wording: Mapping[str, Mapping[int, str]] | None = None,
    ) -> None:
        self.store = store
        self.wording = wording
        self.score: Score | None = None
        self.controls: dict[int, widgets.Widget] = {}
        self.activities: list[tuple[widgets.Text, widgets.Dropdown]] = []
        self.item_errors: dict[int, widgets.HTML] = {}
        self._activity_rows: list[widgets.VBox] = []
        self._psfs_hint = hint(
            f"Name {PSFS_MIN_ACTIVITIES}-{PSFS_MAX_ACTIVITIES} activities the person finds hard "
            f"because of the back, each rated 0 (cannot do it) to {PSFS_RATING_MAX} (as before); "
            "an empty row is left out."
        )
        self.errors = {name: _error_box(name) for name in ("patient", "when", "answers", "save")}
        self.patient = widgets.Dropdown(options=[])
        self.patient.add_class("backlib-q-patient")
        self.patient_row = labelled("Patient", self.patient)
        self.date = widgets.DatePicker(value=dt.date.today())
        self.date.add_class("backlib-q-date")
        self.instrument = widgets.Dropdown(
            options=[(spec.name, spec.id) for spec in INSTRUMENTS.values()], value="odi"
        )
        self.instrument.add_class("backlib-q-instrument")
        self.about = hint("")
        self.items_box = widgets.VBox()
        self.items_box.add_class("backlib-q-items")
        self.add_button = widgets.Button(description="Add an activity", icon="plus")
        self.add_button.add_class("backlib-q-add-activity")
        self.result = widgets.HTML("")
        self.result.add_class("backlib-q-result")
        self.save_button = widgets.Button(description="Save questionnaire", button_style="primary")
        self.save_button.add_class("backlib-q-save")
        self.messages = widgets.VBox()
        self.messages.add_class("backlib-messages")

        self.instrument.observe(lambda _c: self._build_items(), names="value")
        self.add_button.on_click(lambda _b: self.add_activity())
        self.save_button.on_click(self.save)
        super().__init__(
            [
                stylesheet(),
                disclaimer(),
                heading("Who and when"),
                self.patient_row,
                self.errors["patient"],
                labelled("Date", self.date),
                self.errors["when"],
                heading("Questionnaire"),
                labelled("Instrument", self.instrument),
                self.about,
                self.items_box,
                self.errors["answers"],
                heading("Score"),
                self.result,
                self.save_button,
                self.errors["save"],
                self.messages,
            ]
        )
        self.add_class("backlib-questionnaires")
        self.refresh_patients(patient_id)
        self._build_items()

    # -- content --------------------------------------------------------------------------------
    def refresh_patients(self, select: str | None = None) -> None:
        """Reload the patient list from the store, keeping (or choosing) a selection."""
        options = patient_options(self.store)
        current = select or self.patient.value
        ids = [value for _label, value in options]
        self.patient.options = options
        if current in ids:
            self.patient.value = current
        elif ids:
            self.patient.value = ids[0]

    def choose_patient(self, patient_id: str | None) -> None:
        """Follow the app's current patient exactly (none: nothing can be saved)."""
        select_exactly(self.patient, self.store, patient_id)

    def _build_items(self) -> None:
        """One control per item of the chosen instrument, each with its error line."""
        spec = INSTRUMENTS[self.instrument.value]
        self.controls, self.activities, self.item_errors = {}, [], {}
        self._activity_rows = []
        self.messages.children = ()
        about = f"{spec.name} ({spec.source}): {spec.allowed}; "
        about += "higher is better." if spec.higher_is_better else "higher means more disability."
        if spec.id in WORDED_INSTRUMENTS and not (self.wording or {}).get(spec.id):
            about += (
                " Items are shown by topic; a clinic with a licence can load its own wording "
                "(questionnaires.load_wording)."
            )
        self.about.value = html.escape(about)
        if spec.id == "psfs":
            for _ in range(PSFS_MIN_ACTIVITIES):
                self.add_activity()
            self._update()
            return
        rows = []
        for item in spec.items:
            label = f"{spec.item_word.capitalize()} {item.number}: "
            label += item_text(spec.id, item.number, self.wording)
            if spec.id == "rmdq":
                control: widgets.Widget = widgets.Checkbox(
                    value=False, indent=False, layout=widgets.Layout(width="30px")
                )
                control.add_class("backlib-q-tick")
                row = widgets.HBox(
                    [control, widgets.HTML(html.escape(label))],
                    layout=widgets.Layout(align_items="center"),
                )
            else:
                control = _choice(item.choices, "not answered", "backlib-q-choice")
                row = labelled(label, control, "420px")
            control.observe(lambda _c: self._update(), names="value")
            self.controls[item.number] = control
            self.item_errors[item.number] = _error_box(f"item-{item.number}")
            rows.append(widgets.VBox([row, self.item_errors[item.number]]))
        self.items_box.children = tuple(rows)
        self._update()

    def add_activity(self) -> None:
        """A PSFS activity row (a name and a 0-10 rating), up to five."""
        if self.instrument.value != "psfs" or len(self.activities) >= PSFS_MAX_ACTIVITIES:
            return
        number = len(self.activities) + 1
        item = INSTRUMENTS["psfs"].item(number)
        name = widgets.Text(
            placeholder="e.g. climbing stairs", layout=widgets.Layout(width="260px")
        )
        name.add_class("backlib-q-activity")
        rating = _choice(item.choices, "not rated", "backlib-q-rating")
        for control in (name, rating):
            control.observe(lambda _c: self._update(), names="value")
        self.activities.append((name, rating))
        self.item_errors[number] = _error_box(f"item-{number}")
        label = widgets.HTML(f"Activity {number}", layout=widgets.Layout(width="90px"))
        row = widgets.HBox([label, name, rating], layout=widgets.Layout(align_items="center"))
        self._activity_rows.append(widgets.VBox([row, self.item_errors[number]]))
        self.items_box.children = (self._psfs_hint, *self._activity_rows, self.add_button)
        self.add_button.disabled = len(self.activities) >= PSFS_MAX_ACTIVITIES
        self._update()

    # -- answers and score ----------------------------------------------------------------------
    def answers(self) -> dict[int, int] | list[tuple[str, int | None]]:
        """The answers as `score` and `Store.log_questionnaire` take them.

        Fixed items: item number -> value, unanswered items left out. PSFS: (name, rating)
        pairs in row order, rows with neither a name nor a rating left out.
        """
        if self.instrument.value == "psfs":
            return [
                (name.value, None if rating.value == _NOT_ANSWERED else rating.value)
                for name, rating in self._filled_activities()
            ]
        values = {number: int(control.value) for number, control in self.controls.items()}
        return {number: value for number, value in values.items() if value != _NOT_ANSWERED}

    def _filled_activities(self) -> list[tuple[widgets.Text, widgets.Dropdown]]:
        return [
            (name, rating)
            for name, rating in self.activities
            if name.value.strip() or rating.value != _NOT_ANSWERED
        ]

    def _item_row(self, row: int | None) -> int | None:
        """The item number shown on screen for an error's ``row`` (PSFS skips empty rows)."""
        if row is None:
            return None
        if self.instrument.value == "psfs":
            filled = self._filled_activities()
            if not 1 <= row <= len(filled):
                return None
            return self.activities.index(filled[row - 1]) + 1
        return row if row in self.item_errors else None

    def _clear_errors(self) -> None:
        for box in (*self.errors.values(), *self.item_errors.values()):
            box.value = ""

    def _show_error(self, err: BacklibError, default: str = "answers") -> None:
        """The error next to its item (the error's ``row``) or field, never read from the text."""
        text = alert_html(str(err), "error")
        number = self._item_row(err.row)
        if number is not None:
            self.item_errors[number].value = text
        else:
            self.errors[_FIELDS.get(err.field or "", default)].value = text

    def _update(self) -> None:
        """Score the answers as they stand and show the result, or the error in place."""
        self._clear_errors()
        self.messages.children = ()
        try:
            self.score = score(self.instrument.value, self.answers())
        except BacklibError as err:
            self.score = None
            self.result.value = ""
            if self.answers():
                self._show_error(err)
            else:  # nothing entered yet: say what is needed, not in red
                self.result.value = alert_html(str(err), "info")
        else:
            self.result.value = score_html(self.score)
        self.save_button.disabled = self.score is None or self.score.value is None

    # -- actions --------------------------------------------------------------------------------
    def save(self, _button: widgets.Button | None = None) -> int | None:
        """Save the answers through the store when they give a score, or show why not."""
        self._update()
        if self.score is None or self.score.value is None:
            why = "correct the answer marked in red" if self.score is None else self.score.message
            self.messages.children = (alert(f"Not saved: {why}", "error"),)
            return None
        if not self.patient.value:
            self.errors["patient"].value = alert_html("Choose a patient first.")
            return None
        if self.date.value is None or self.date.value > dt.date.today():
            self.errors["when"].value = alert_html("Choose a date that is not in the future.")
            return None
        now = dt.datetime.now().time().replace(microsecond=0)
        when = dt.datetime.combine(self.date.value, now)
        try:
            saved = self.store.log_questionnaire(
                self.patient.value, self.instrument.value, self.answers(), when=when
            )
        except BacklibError as err:
            self._show_error(err, "save")
            self.messages.children = (alert("Not saved: see the message in red.", "error"),)
            return None
        name = INSTRUMENTS[self.instrument.value].name
        self.messages.children = (
            alert(f"{name} saved for {self.patient.value} on {when:%d %b %Y}.", "success"),
        )
        self.saved_questionnaire = saved
        return saved


def score_html(result: Score) -> str:
    """The score as cards (value, band or risk) and its message; STarT Back with its care."""
    spec = INSTRUMENTS[result.instrument]
    if result.value is None:
        return alert_html(result.message, "info")
    value = {
        "odi": f"{result.value:.1f} %",
        "rmdq": f"{result.value:.0f}/{len(spec.items)}",
        "psfs": f"{result.value:.1f}/{PSFS_RATING_MAX}",
        "start_back": f"{result.value:.0f}/{len(spec.items)}",
    }[result.instrument]
    cards = [card_html("Score", value, f"{result.answered} answered", "backlib-q-value")]
    if result.band is not None:
        cards.append(card_html("Band", ODI_BAND_LABELS[result.band], "", "backlib-q-band"))
    if result.risk is not None:
        cards.append(card_html("Risk", result.risk, "STarT Back group", "backlib-q-risk"))
        subscale = f"{result.subscale}/{len(START_BACK_SUBSCALE_ITEMS)}"
        cards.append(card_html("Psychosocial", subscale, "subscale, items 5-9"))
    parts = ['<div class="backlib-card-row">' + "".join(cards) + "</div>"]
    # The STarT Back message ends with the care text; show the care on its own instead.
    if result.risk is not None:
        parts.append(alert_html(start_back_care(result.risk), "info"))
    else:
        parts.append(alert_html(result.message, "info"))
    return "".join(parts)
