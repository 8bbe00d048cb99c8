"""One exercise of a session to log: done or not, what was actually done, and its pain."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as widgets

from backlib.constants import DONE_FAR_ABOVE
from backlib.plan.routine import RoutineItem
from backlib.widgets.fields import FieldError, WholeNumberField, chosen, pain_choice

SETS_MAX = 20
REPS_MAX = 200
SECONDS_MAX = 7200


class ItemRow(widgets.VBox):
    """An item to tick, with the sets and reps (or seconds) done and the pain during it.

    The fields start at the prescription (or what guided mode recorded); ``done()`` reads them
    strictly and raises FieldError for anything that is not a whole number in range.
    """

    def __init__(self, item: RoutineItem, done: dict | None = None) -> None:
        self.item = item
        done = done or {}
        self.completed = widgets.Checkbox(
            value=bool(done.get("completed", True)),
            description=item.name,
            indent=False,
            layout=widgets.Layout(width="auto"),
        )
        self.completed.add_class("backlib-log-item")
        self.sets = WholeNumberField(
            "Sets", 0, SETS_MAX, done.get("sets") or item.sets, css="backlib-log-sets"
        )
        if item.duration_s:
            self.amount_key = "duration_s"
            self.amount = WholeNumberField(
                "Seconds",
                0,
                SECONDS_MAX,
                done.get("duration_s") or item.duration_s,
                unit="s",
                css="backlib-log-amount",
            )
        else:
            self.amount_key = "reps"
            self.amount = WholeNumberField(
                "Reps", 0, REPS_MAX, done.get("reps") or item.reps or 0, css="backlib-log-amount"
            )
        self.pain_during = pain_choice("Pain during it", css="backlib-log-item-pain")
        if done.get("pain_during") is not None:
            self.pain_during.value = done["pain_during"]
        prescribed = widgets.HTML(
            f'<span class="backlib-hint">prescribed {html.escape(item.dose_text)}</span>'
        )
        controls = widgets.HBox(
            [self.sets, self.amount, self.pain_during],
            layout=widgets.Layout(flex_flow="row wrap", align_items="flex-start"),
        )
        super().__init__([widgets.HBox([self.completed, prescribed]), controls])
        self.add_class("backlib-log-row")

    def controls(self) -> tuple[widgets.Widget, ...]:
        """The controls whose change makes a saved form unsaved again."""
        return (self.completed, self.sets.text, self.amount.text, self.pain_during)

    def done(self) -> dict[str, Any]:
        """What was done, in the shape Store.log_session(done=...) takes (FieldError if not)."""
        errors = []
        values: dict[str, int | None] = {}
        for key, field in (("sets", self.sets), (self.amount_key, self.amount)):
            try:
                values[key] = field.read()
            except FieldError as err:
                errors.append(err.message)
        if errors:
            raise FieldError(f"{self.item.name}: " + " ".join(errors))
        entry: dict[str, Any] = {
            "sets": values["sets"],
            "reps": self.item.reps,
            "hold_s": self.item.hold_s,
            "duration_s": self.item.duration_s,
            "completed": self.completed.value,
            "pain_during": chosen(self.pain_during),
        }
        entry[self.amount_key] = values[self.amount_key]
        return entry

    def far_above(self, entry: dict[str, Any]) -> bool:
        """True when a completed exercise's volume is more than DONE_FAR_ABOVE times the
        prescription: likely a typing slip, so the logger asks before saving it."""
        if not entry["completed"]:
            return False
        prescribed = self.item.sets * (getattr(self.item, self.amount_key) or 1)
        done = (entry["sets"] or 0) * (entry[self.amount_key] or 0)
        return prescribed > 0 and done > DONE_FAR_ABOVE * prescribed
