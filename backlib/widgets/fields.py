"""Input fields that record only what a person gave: whole numbers read strictly, pain scores
that start as "not recorded", and the sentences shown when a value is refused.

ipywidgets' number boxes change what was typed without a word (a BoundedIntText turns "2.5"
into 2 and "-2" into its minimum), and a slider always holds a value, so a pain nobody gave
would be stored. These fields keep the text as typed and refuse what it cannot mean.
"""

from __future__ import annotations

import html
import re

import ipywidgets as widgets

from backlib.constants import PAIN_MAX, PAIN_MIN

NOT_RECORDED = -1
# A whole number as typed: digits with an optional sign (the range is checked after).
_INTEGER = re.compile(r"[+-]?[0-9]+")


class FieldError(ValueError):
    """A value a person typed that the field refuses; ``message`` is a sentence for them."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class WholeNumberField(widgets.VBox):
    """A text box for a whole number from ``low`` to ``high``, with its error line under it.

    ``read()`` returns the number (None when empty and optional) or raises FieldError with a
    sentence that names the field, what was typed and what is allowed; nothing is rounded or
    clamped.
    """

    def __init__(
        self,
        label: str,
        low: int,
        high: int,
        value: int | None = None,
        *,
        optional: bool = False,
        unit: str = "",
        css: str = "",
    ) -> None:
        self.label = label
        self.low, self.high, self.optional, self.unit = low, high, optional, unit
        self.text = widgets.Text(
            value="" if value is None else str(value),
            placeholder=f"{low}-{high}",
            description=label,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto"),
        )
        self.text.layout.max_width = "100%"
        self.text.add_class("backlib-number")
        if css:
            self.text.add_class(css)
        self.error = widgets.HTML("")
        self.error.add_class("backlib-field-error")
        super().__init__([self.text, self.error], layout=widgets.Layout(width="auto"))

    @property
    def value(self) -> str:
        return self.text.value

    @value.setter
    def value(self, text: object) -> None:
        self.text.value = "" if text is None else str(text)

    def read(self) -> int | None:
        """The number typed, checked; the error line says why when it is refused."""
        self.error.value = ""
        typed = self.text.value.strip()
        unit = f" {self.unit}" if self.unit else ""
        if typed == "":
            if self.optional:
                return None
            return self._refuse(
                f"{self.label}: write a whole number from {self.low} to {self.high}{unit}."
            )
        if not _INTEGER.fullmatch(typed):
            return self._refuse(
                f"{self.label}: “{typed}” is not a whole number; write one from {self.low} to "
                f"{self.high}{unit}."
            )
        # A whole number out of range (a minus sign included) is told its range, not that it
        # is not a whole number.
        number = int(typed)
        if number < self.low:
            least = (
                f"it must be {self.low} or more"
                if self.low <= 0
                else f"it must be from {self.low} to {self.high}{unit}"
            )
            return self._refuse(f"{self.label}: {number}{unit} is too low; {least}.")
        if number > self.high:
            return self._refuse(
                f"{self.label}: {number}{unit} is too high; it must be from {self.low} to "
                f"{self.high}{unit}."
            )
        return number

    def _refuse(self, message: str) -> int:
        self.error.value = error_html(message)
        raise FieldError(message)


def pain_choice(label: str, *, css: str = "") -> widgets.Dropdown:
    """A 0-10 pain score that starts as "not recorded" (NOT_RECORDED) and stores nothing until
    a number is chosen; the label is its accessible name."""
    box = widgets.Dropdown(
        options=[("not recorded", NOT_RECORDED)]
        + [(str(v), v) for v in range(PAIN_MIN, PAIN_MAX + 1)],
        value=NOT_RECORDED,
        description=label,
        style={"description_width": "initial"},
        layout=widgets.Layout(width="auto"),
    )
    if css:
        box.add_class(css)
    return box


def chosen(box: widgets.Dropdown) -> int | None:
    """A dropdown's value, None for "not recorded" / "not rated"."""
    return None if box.value == NOT_RECORDED else box.value


def error_html(message: str) -> str:
    """An error sentence as the markup shown under a field; text escaped."""
    return f'<div class="backlib-alert backlib-alert-error">{html.escape(message)}</div>'


# The store's field names as a person reads them, for the rare store refusal the logger's own
# checks did not catch first (errors read as sentences, never with a code name).
FIELD_WORDS = {
    "patient_id": "The patient",
    "started_at": "The date",
    "when": "The date",
    "actual_minutes": "Minutes exercised",
    "pain_before": "Pain before",
    "pain_during": "Pain during",
    "pain_after": "Pain right after",
    "pain_next_morning": "Pain the next morning",
    "difficulty": "How hard it was",
    "notes": "The notes",
    "done": "What was done",
    "programme_version": "The programme version",
    "name": "The name",
    "weight_kg": "The weight",
    "target_per_week": "Sessions a week",
}


def plain_words(message: str) -> str:
    """A store message with its code names (``pain_after=11``) in words ("Pain right after 11")."""

    def named(found: re.Match) -> str:
        return FIELD_WORDS.get(found.group(1), found.group(1).replace("_", " ")) + " "

    return re.sub(r"\b([a-z]+(?:_[a-z]+)*)=", named, message)
