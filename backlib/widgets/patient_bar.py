"""The app's one current patient: chosen once in a bar every tab shares, shown by name.

A clinic adds a patient by name (the id is made from it, so nobody invents a slug); a person
tracking their own back sets up "Just me" once, a profile of its own in their own store. The
demo store holds synthetic patients only, so there "Just me" is not offered: the bar says how
to open one's own store instead, and nothing of a real person lands beside the demo patients.
"""

from __future__ import annotations

import re
import unicodedata

import ipywidgets as widgets
import traitlets

from backlib.constants import (
    DEFAULT_TARGET_PER_WEEK,
    PATIENT_ID_MAX,
    TARGET_PER_WEEK_MAX,
    TARGET_PER_WEEK_MIN,
    WEIGHT_KG_MAX,
    WEIGHT_KG_MIN,
)
from backlib.demo import DEMO_PREFIX, is_demo_store
from backlib.errors import BacklibError
from backlib.store import Store
from backlib.widgets.common import alert, hint
from backlib.widgets.fields import FieldError, WholeNumberField, error_html, plain_words

JUST_ME_ID = "me"
# Said when someone tries to add a patient to the demo store.
DEMO_REFUSAL = (
    "The demo store holds synthetic patients only, so no real patient is added to it. To keep "
    "your own patients or track yourself, open your own store: backlib app --own (or make "
    "app-own), or give a clinic's store with --store or $BACKLIB_STORE."
)
_NONE = ""
_WEIGHT = re.compile(r"[0-9]+(\.[0-9]+)?")


def id_from_name(name: str, taken: set[str]) -> str:
    """A patient id made from a name: 'Anna Kowalska' -> 'anna-kowalska' (then -2, -3 ...)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = "-".join(re.findall(r"[a-z0-9]+", plain.lower()))[: PATIENT_ID_MAX - 4] or "patient"
    found, number = slug, 1
    while found in taken:
        number += 1
        found = f"{slug}-{number}"
    return found


def patient_label(patient_id: str, name: str, demo: bool) -> str:
    """How a patient is listed: by name; a demo patient says so."""
    shown = name or patient_id
    if patient_id == JUST_ME_ID:
        return f"{shown} (just me)"
    if demo and patient_id.startswith(DEMO_PREFIX) and "demo" not in shown.lower():
        return f"{shown} (demo)"
    return shown


class PatientBar(widgets.VBox):
    """Choose the current patient once; ``patient_id`` is the choice (None before one)."""

    patient_id = traitlets.Unicode(None, allow_none=True)

    def __init__(self, store: Store, *, patient_id: str | None = None) -> None:
        self.store = store
        self.demo = is_demo_store(store.url)
        self.choice = widgets.Dropdown(
            options=[], description="Patient", style={"description_width": "initial"}
        )
        self.choice.add_class("backlib-bar-patient")
        self.current = widgets.HTML("")
        self.current.add_class("backlib-bar-current")
        self.new_button = widgets.Button(description="New patient…")
        self.new_button.add_class("backlib-bar-new")
        self.me_button = widgets.Button(description="Track myself…")
        self.me_button.add_class("backlib-bar-me")
        self.name = widgets.Text(description="Name", style={"description_width": "initial"})
        self.name.add_class("backlib-bar-name")
        self.weight = widgets.Text(
            description="Weight in kg (optional)", style={"description_width": "initial"}
        )
        self.weight.add_class("backlib-bar-weight")
        self.target = WholeNumberField(
            "Sessions a week",
            TARGET_PER_WEEK_MIN,
            TARGET_PER_WEEK_MAX,
            DEFAULT_TARGET_PER_WEEK,
            css="backlib-bar-target",
        )
        self.errors = widgets.HTML("")
        self.errors.add_class("backlib-field-error")
        self.add_button = widgets.Button(description="Add", button_style="primary")
        self.add_button.add_class("backlib-bar-add")
        self.cancel_button = widgets.Button(description="Cancel")
        self.form = widgets.VBox(
            [
                self.name,
                self.weight,
                self.target,
                self.errors,
                widgets.HBox([self.add_button, self.cancel_button]),
            ]
        )
        self.form.add_class("backlib-bar-form")
        self.form.layout.display = "none"
        self._adding_me = False
        self.messages = widgets.VBox()
        self.choice.observe(self._chosen, names="value")
        self.new_button.on_click(lambda _b: self._open_form(me=False))
        self.me_button.on_click(lambda _b: self._open_form(me=True))
        self.add_button.on_click(lambda _b: self.add())
        self.cancel_button.on_click(lambda _b: self._close_form())
        note = (
            hint(
                "Demo store: synthetic patients only. To track yourself, open your own store: "
                "backlib app --own (or make app-own)."
            )
            if self.demo
            else hint("")
        )
        buttons = [self.new_button] if self.demo else [self.new_button, self.me_button]
        super().__init__(
            [
                widgets.HBox(
                    [self.choice, self.current, *buttons],
                    layout=widgets.Layout(flex_flow="row wrap", align_items="center"),
                ),
                note,
                self.form,
                self.messages,
            ]
        )
        self.add_class("backlib-patient-bar")
        self.refresh(patient_id)

    def refresh(self, select: str | None = None) -> None:
        """Reload the list; keep (or choose) the selection; "Just me" first when it exists."""
        rows = self.store.patients()
        options = [("— choose a patient —", _NONE)]
        entries = sorted(
            ((str(r.patient_id), str(r.name)) for r in rows.itertuples(index=False)),
            key=lambda e: (e[0] != JUST_ME_ID, e[1].lower()),
        )
        options += [(patient_label(pid, name, self.demo), pid) for pid, name in entries]
        wanted = select if select is not None else (self.patient_id or _NONE)
        ids = [value for _label, value in options]
        self.choice.options = options
        self.choice.value = wanted if wanted in ids else _NONE
        has_me = JUST_ME_ID in ids
        self.me_button.layout.display = "none" if has_me or self.demo else None
        self._chosen()

    def _chosen(self, _change: dict | None = None) -> None:
        value = self.choice.value or None
        # The dropdown shows the chosen patient by name; the line beside it speaks up only
        # while nobody is chosen.
        self.current.value = (
            ""
            if value
            else '<span class="backlib-hint">Nothing is saved until a patient is chosen.</span>'
        )
        self.patient_id = value

    def _open_form(self, *, me: bool) -> None:
        if self.demo:
            self.form.layout.display = "none"
            self.messages.children = (alert(DEMO_REFUSAL, "warning"),)
            return
        self._adding_me = me
        self.errors.value = ""
        self.name.value = "Me" if me else ""
        self.add_button.description = "Set up my profile" if me else "Add patient"
        self.form.layout.display = None

    def _close_form(self) -> None:
        self.form.layout.display = "none"

    def _weight(self) -> float | None:
        text = self.weight.value.strip()
        if not text:
            return None
        if not _WEIGHT.fullmatch(text) or not WEIGHT_KG_MIN <= float(text) <= WEIGHT_KG_MAX:
            raise FieldError(
                f"Weight: “{text}” is not a weight in kilograms from {WEIGHT_KG_MIN:g} to "
                f"{WEIGHT_KG_MAX:g} (write it with a dot, e.g. 70.5), or leave it empty."
            )
        return float(text)

    def add(self) -> str | None:
        """Add the patient of the form (or "Just me") and make them the current patient; never
        in the demo store (its patients are synthetic: DEMO_REFUSAL says where to go)."""
        self.errors.value = ""
        if self.demo:
            self.messages.children = (alert(DEMO_REFUSAL, "warning"),)
            return None
        name = self.name.value.strip()
        if not name:
            self.errors.value = error_html("Write the patient's name.")
            return None
        try:
            weight, target = self._weight(), self.target.read()
        except FieldError as err:
            self.errors.value = error_html(err.message)
            return None
        taken = set(self.store.patients()["patient_id"])
        patient_id = JUST_ME_ID if self._adding_me else id_from_name(name, taken | {JUST_ME_ID})
        try:
            self.store.add_patient(
                patient_id,
                name=name,
                weight_kg=weight,
                target_per_week=target or DEFAULT_TARGET_PER_WEEK,
            )
        except BacklibError as err:
            self.errors.value = error_html(plain_words(str(err)))
            return None
        self._close_form()
        self.messages.children = (alert(f"{name} added.", "success"),)
        self.refresh(patient_id)
        return patient_id
