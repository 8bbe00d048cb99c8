"""The headline, handed from the executed report notebook to the clinic's index.

The report notebook already computes the headline figures; it publishes them as one output of
its own type (in a cell left out of the HTML), and the batch reads them from the executed
notebook instead of opening the store a second time for the index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from backlib.errors import ReportError
from backlib.report.records import Headline, OutcomeChange

if TYPE_CHECKING:  # the report's kernel publishes without nbformat (and jsonschema): 0.15 s
    import nbformat

# The output's MIME type: JSON (so nbformat keeps it as data), and ours.
HEADLINE_MIME = "application/vnd.backlib.headline+json"
_DAY_FIELDS = ("start", "end", "first_day", "last_day")


def to_record(headline: Headline) -> dict[str, Any]:
    """The headline as plain JSON data: dates as ISO days, a missing number as null."""
    record = dataclasses.asdict(headline)
    for name in _DAY_FIELDS:
        if record[name] is not None:
            record[name] = record[name].isoformat()
    return {name: _plain(value) for name, value in record.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def from_record(record: dict[str, Any]) -> Headline:
    """A headline back from :func:`to_record`'s data; a malformed one is a ReportError."""
    try:
        values = dict(record)
        for name in _DAY_FIELDS:
            if values.get(name) is not None:
                values[name] = dt.date.fromisoformat(values[name])
        values["outcome_changes"] = tuple(
            OutcomeChange(**change) for change in values.get("outcome_changes", ())
        )
        values["flags"] = tuple(values.get("flags", ()))
        return Headline(**values)
    except (TypeError, ValueError, AttributeError) as err:
        raise ReportError(f"the report's headline output is not readable: {err}") from None


def publish(headline: Headline) -> None:
    """Display the headline as the notebook's headline output (a text line in JupyterLab)."""
    # IPython here, not at the top (import time): only a kernel running the report publishes.
    from IPython.display import display

    text = f"Headline for the clinic's index: {headline.patient_id}, {headline.sessions} sessions"
    display({HEADLINE_MIME: to_record(headline), "text/plain": text}, raw=True)


def find(notebook: nbformat.NotebookNode) -> Headline | None:
    """The headline an executed notebook published, or None (a template that publishes none)."""
    for cell in notebook.cells:
        for output in cell.get("outputs", ()):
            data = output.get("data", {})
            if HEADLINE_MIME in data:
                return from_record(data[HEADLINE_MIME])
    return None
