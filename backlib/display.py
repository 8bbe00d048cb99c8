"""Tables for people: a raw frame with worded headings, rounded numbers, dates and "–" for gaps.

The notebooks call ``to_display`` on the frames a person reads; the raw frames stay as they are
for analysis. Headings come from ``backlib.labels.COLUMN_LABELS``; how each column's values are
written is declared once here, in ``COLUMN_FORMATS``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

import pandas as pd

from backlib.constants import OUTCOME_MEASURES
from backlib.errors import RequestError
from backlib.labels import (
    AREA_LABELS,
    COLUMN_LABELS,
    DECISION_WORDS,
    DOSE_LABELS,
    PHASE_TITLES,
    POSITION_LABELS,
    PROGRAMME_REASON_LABELS,
)

if TYPE_CHECKING:
    from backlib.catalog import Catalog

# The kinds of table the notebooks show, each named by the frame it is made from.
DISPLAY_KINDS: tuple[str, ...] = (
    "catalog",  # Catalog.to_frame
    "routine",  # Routine.to_frame, Programme's routine().to_frame
    "patients",  # Store.patients
    "sessions",  # Store.sessions
    "entries",  # Store.entries
    "weekly",  # progress.weekly_summary
    "summary",  # Assessment.summary
    "decisions",  # progression.next_doses / next_programme decisions
    "history",  # progress.programme_history
    "sessions_by_version",  # progress.sessions_by_version
    "outcomes",  # Store.outcomes
    "items",  # questionnaires.items_frame
    "outcome_measures",  # progress.outcome_measures_frame
)
MISSING = "–"
# Thresholds (MCID, MDC) are shown as published, to at most this many decimals.
THRESHOLD_DECIMALS = 2
# A score of an instrument with no fixed step (ODI %, PSFS mean) is shown to one decimal.
FREE_SCORE_DECIMALS = 1
# Questionnaires scored in whole points that are not outcome measures: the STarT Back total
# counts agreed items (0-9, Hill 2008).
WHOLE_SCORES: frozenset[str] = frozenset({"start_back"})


def _rounded(value: object, decimals: int) -> str:
    """Half up, as a person rounds (2.25 -> 2.3), never banker's rounding."""
    exponent = Decimal(1).scaleb(-decimals)
    return str(Decimal(str(float(value))).quantize(exponent, rounding=ROUND_HALF_UP))


def rounded_text(value: float, decimals: int, *, signed: bool = False) -> str:
    """A number rounded half up to `decimals` places, the one rounding of everything a person
    reads ("5.25" shows as 5.3 on a card, a chart and a table alike); no "-0", "+" when asked."""
    text = _rounded(value, decimals)
    if float(text) == 0:
        return text.lstrip("-")
    return f"+{text}" if signed and float(text) > 0 else text


def _whole(value: object) -> str:
    return _rounded(value, 0)


def _one_decimal(value: object) -> str:
    return _rounded(value, 1)


def _threshold(value: object) -> str:
    text = _rounded(value, THRESHOLD_DECIMALS)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _percent(value: object) -> str:
    return f"{_whole(float(value) * 100)} %"


def _date(value: object) -> str:
    return date_words(pd.Timestamp(value).date())


def date_words(day: dt.date) -> str:
    """A date as a person writes it on paper: '7 Dec 2026'."""
    return f"{day.day} {day:%b %Y}"


def week_words(iso_year: int, iso_week: int) -> str:
    """An ISO week as a person says it, by its Monday: 'week of 14 Sep 2026'."""
    return f"week of {date_words(dt.date.fromisocalendar(int(iso_year), int(iso_week), 1))}"


def pain_text(value: float | None, *, signed: bool = False) -> str:
    """A mean of 0-10 pain ratings for reading: always one decimal, half up ('2.0', '+1.5')."""
    return score_text(value, "pain_mean", signed=signed)


def score_text(value: float | None, measure: str, *, signed: bool = False) -> str:
    """A score (or change) of one measure, by the one rounding rule of that measure.

    Outcome measures use their instrument's step (``score_decimals``); ``"pain_mean"`` (a mean
    of 0-10 ratings) and any other measure use one decimal. Half up; a dash when missing.
    """
    if value is None or pd.isna(value):
        return MISSING
    decimals = FREE_SCORE_DECIMALS if measure == "pain_mean" else score_decimals(measure)
    return rounded_text(value, decimals, signed=signed)


def _datetime(value: object) -> str:
    when = pd.Timestamp(value)
    return f"{when:%a} {when.day} {when:%b %Y}, {when:%H:%M}"


def _clock(value: object) -> str:
    minutes, seconds = divmod(int(_whole(value)), 60)
    return f"{minutes}:{seconds:02d}"


def _yes_no(value: object) -> str:
    return "yes" if bool(value) else "no"


def _code(value: object) -> str:
    return str(value).replace("_", " ")


def _listed(words: dict[str, str]) -> Callable[[object], str]:
    """Each code of a comma-separated list in words (an unknown code as itself, spaced)."""

    def words_for(value: object) -> str:
        codes = [code.strip() for code in str(value).split(",") if code.strip()]
        return ", ".join(words.get(code, _code(code)) for code in codes) or MISSING

    return words_for


def _higher_lower(value: object) -> str:
    return "higher" if bool(value) else "lower"


def _measure(value: object) -> str:
    spec = OUTCOME_MEASURES.get(str(value))
    return spec["label"] if spec else _code(value)


def score_decimals(measure: str) -> int:
    """Decimals a score of this measure is shown to: its instrument's step, else one."""
    if measure in WHOLE_SCORES:
        return 0
    step = OUTCOME_MEASURES.get(measure, {}).get("step")
    if step is None:
        return FREE_SCORE_DECIMALS
    return max(0, -Decimal(str(step)).normalize().as_tuple().exponent)


_FORMATTERS: dict[str, Callable[[object], str]] = {
    "text": str,
    "code": _code,
    "whole": _whole,
    "one_decimal": _one_decimal,
    "threshold": _threshold,
    "percent": _percent,
    "date": _date,
    "datetime": _datetime,
    "clock": _clock,
    "yes_no": _yes_no,
    "areas": _listed(AREA_LABELS),
    "phase": _listed(PHASE_TITLES),
    "decision": _listed(DECISION_WORDS),
    "variable": _listed(DOSE_LABELS),
    "programme_reason": _listed(PROGRAMME_REASON_LABELS),
    "position": _listed(POSITION_LABELS),
    "measure": _measure,
    "higher_lower": _higher_lower,
}

# How each column's values are written (a "kind.column" key overrides the column's own);
# a column not named here is text. Pain ratings are whole numbers; means of them one decimal.
_WHOLE = [
    "sets",
    "reps",
    "hold_s",
    "duration_s",
    "pain_before",
    "pain_during",
    "pain_after",
    "pain_next_morning",
    "difficulty",
    "pain_during_max",
    "sessions",
    "target_per_week",
    "iso_year",
    "iso_week",
    "version",
    "programme_version",
    "session_id",
    "entry_id",
    "prescribed_sets",
    "prescribed_reps",
    "prescribed_hold_s",
    "prescribed_duration_s",
    "done_sets",
    "done_reps",
    "done_hold_s",
    "done_duration_s",
    "sources",
    "pain_max",
    "days_per_week",
    "exercises",
    "sessions_considered",
    "item",
    "planned_minutes",
    "actual_minutes",
    "minutes",
    "outcome_id",
]
COLUMN_FORMATS: dict[str, str] = {
    **dict.fromkeys(_WHOLE, "whole"),
    **dict.fromkeys(
        ["met", "weight_kg", "pain_before_mean", "pain_after_mean", "pain_next_morning_mean"],
        "one_decimal",
    ),
    **dict.fromkeys(["started_at", "last_done", "first_session"], "datetime"),
    **dict.fromkeys(["created", "week_start", "measured_on"], "date"),
    **dict.fromkeys(["per_side", "completed"], "yes_no"),
    **dict.fromkeys(["primary_areas", "secondary_areas"], "areas"),
    **dict.fromkeys(["phase", "phases"], "phase"),
    **dict.fromkeys(["category", "level", "equipment", "cautions"], "code"),
    **dict.fromkeys(["mcid", "mdc"], "threshold"),
    "adherence": "percent",
    "seconds": "clock",
    "position": "position",
    "decision": "decision",
    "variable": "variable",
    "history.reason": "programme_reason",
    "measure": "measure",
    "score": "score",  # by the row's measure: see score_decimals
    "higher_is_better": "higher_lower",
}


def column_label(column: str, kind: str) -> str:
    """The heading of a raw column in a table of this kind (raises for a column not worded)."""
    label = COLUMN_LABELS.get(f"{kind}.{column}", COLUMN_LABELS.get(column))
    if label is None:
        raise RequestError(
            f"No heading for column {column!r} in a table of kind {kind!r}: add it to "
            "backlib.labels.COLUMN_LABELS.",
            field=column,
        )
    return label


def _is_missing(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or value is pd.NaT or bool(pd.isna(value))


def _column_values(
    frame: pd.DataFrame, column: str, kind: str, catalog: Catalog | None
) -> list[str]:
    name = COLUMN_FORMATS.get(f"{kind}.{column}", COLUMN_FORMATS.get(column, "text"))
    values = frame[column].tolist()
    if column == "exercise_id" and catalog is not None:
        return [
            MISSING if _is_missing(v) else catalog[v].name if v in catalog else str(v)
            for v in values
        ]
    if name == "score":
        measures = frame["measure"].tolist() if "measure" in frame else [None] * len(values)
        return [
            MISSING if _is_missing(v) else _rounded(v, score_decimals(str(m)))
            for v, m in zip(values, measures, strict=True)
        ]
    write = _FORMATTERS[name]
    return [MISSING if _is_missing(v) else write(v) for v in values]


def to_display(frame: pd.DataFrame, *, kind: str, catalog: Catalog | None = None) -> pd.DataFrame:
    """A table for a person: headings in words with units, values rounded and worded.

    Parameters
    ----------
    frame
        A raw frame of one of ``DISPLAY_KINDS`` (any subset of its columns, any rows). A named
        index (a ``groupby`` result) is shown as a column.
    kind
        Which frame it is, one of ``DISPLAY_KINDS``; it picks the words of the columns whose
        meaning differs between tables (``name`` is a patient in ``patients``).
    catalog
        When given, ``exercise_id`` is shown as the exercise's name.

    Returns
    -------
    pandas.DataFrame
        A new frame of strings with the same rows and an empty index: missing values are "–",
        booleans "yes"/"no", datetimes "Tue 1 Dec 2026, 18:05", dates "1 Dec 2026", numbers
        rounded half up by one rule per measure (``COLUMN_FORMATS``).

    Raises
    ------
    RequestError
        For an unknown kind (``field="kind"``) or a column with no heading (``field`` names it).
    """
    if kind not in DISPLAY_KINDS:
        raise RequestError(
            f"Unknown table kind {kind!r}: choose one of {', '.join(DISPLAY_KINDS)}.",
            field="kind",
        )
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    shown: dict[str, list[str]] = {}
    for column in frame.columns:
        label = column_label(str(column), kind)
        if column == "exercise_id" and catalog is not None:
            label = column_label("name", kind)
        shown[label] = _column_values(frame, str(column), kind, catalog)
    return pd.DataFrame(shown, index=[""] * len(frame), dtype=object)
