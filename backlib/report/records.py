"""What a report hands on: its headline for the clinic's index, the index entry, and the marks
the kernel, the export and the printer agree on.

Plain data, without pandas or the store: a batch worker imports it with the report pipeline and
nothing heavier, so each worker starts faster (the figures are made in the kernel).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

# Set by the report pipeline in the kernel's environment: charts then leave plotly.js out and mark
# where it goes, and the export puts one copy there, so ~4.8 MB never travels through the kernel,
# papermill and nbconvert (report_export.notebook_to_html).
PLOTLYJS_ENV = "BACKLIB_INJECT_PLOTLYJS"
PLOTLYJS_MARKER = "<!-- backlib: plotly.js goes here -->"

# The element the PDF step reads the running header and footer from (pipeline.print_pdf).
PRINT_DATA_CLASS = "bl-print-data"


@dataclass(frozen=True)
class OutcomeChange:
    """First and last score of one outcome measure in the period, and whether it mattered."""

    measure: str
    label: str
    first: float
    last: float
    change: float
    meaningful: bool
    note: str = ""


@dataclass(frozen=True)
class Headline:
    """The figures a report leads with, and that the clinic's index lists for each patient."""

    patient_id: str
    name: str
    start: dt.date | None
    end: dt.date | None
    sessions: int
    target_per_week: int
    adherence_pct: float | None
    minutes: float
    pain_baseline: float | None
    pain_current: float | None
    pain_change: float | None
    pain_change_pct: float | None
    improved: bool | None
    outcome_changes: tuple[OutcomeChange, ...] = ()
    flags: tuple[str, ...] = field(default=())
    message: str = ""
    # The period as shown: the bounds given, else the first and last session's day.
    first_day: dt.date | None = None
    last_day: dt.date | None = None


@dataclass(frozen=True)
class IndexEntry:
    """One patient's line on the clinic index: a report and its headline, or a failure."""

    patient_id: str
    html_name: str | None = None
    pdf_name: str | None = None
    headline: Headline | None = None
    error: str | None = None
