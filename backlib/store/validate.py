"""Checks every value before the store writes it; each refusal names the field and the value.

These functions are shared by the Store methods and the CSV import, so a value refused by one
is refused by the other with the same words.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from typing import Any

import pandas as pd

from backlib.constants import (
    DIFFICULTY_MAX,
    DIFFICULTY_MIN,
    DOSE_VALUE_MAX,
    EARLIEST_YEAR,
    NOTES_MAX,
    OUTCOME_MEASURES,
    PAIN_MAX,
    PAIN_MIN,
    PATIENT_ID_MAX,
    PATIENT_ID_PATTERN,
    PATIENT_NAME_MAX,
    PHASES,
    SESSION_MINUTES_MAX,
    TARGET_PER_WEEK_MAX,
    TARGET_PER_WEEK_MIN,
    UID_MAX,
    UID_PATTERN,
    WEIGHT_KG_MAX,
    WEIGHT_KG_MIN,
)
from backlib.errors import StoreError
from backlib.store.text_rules import check_text

PATIENT_ID_RULE = re.compile(PATIENT_ID_PATTERN)
UID_RULE = re.compile(UID_PATTERN)
# The store's INTEGER key columns (PostgreSQL int4): a larger id cannot name a record.
KEY_MAX = 2**31 - 1


def is_missing(value: Any) -> bool:
    """None and pandas NA/NaT mean 'not given'. NaN does not: it is refused as not a number."""
    return value is None or value is pd.NA or value is pd.NaT


def shown(value: Any) -> Any:
    """A value as a message shows it: a long text cut to its first 80 characters."""
    if isinstance(value, str) and len(value) > 80:
        return value[:80] + "..."
    return value


def _is_nan(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isnan(value)


def integer(field: str, value: Any, low: int, high: int, *, optional: bool = True) -> int | None:
    """A whole number within [low, high]; floats with a fraction and booleans are refused."""
    if type(value) is int and low <= value <= high:  # the common case, checked cheaply
        return value
    if is_missing(value):
        if optional:
            return None
        raise StoreError(f"{field} is required (a whole number {low}-{high})", field=field)
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or _is_nan(value):
        raise StoreError(
            f"{field}={value!r} is not a whole number (allowed: {low}-{high})", field=field
        )
    if isinstance(value, numbers.Integral) or float(value).is_integer():
        number = int(value)
    else:
        raise StoreError(
            f"{field}={value!r} is not a whole number (allowed: {low}-{high})", field=field
        )
    if not low <= number <= high:
        raise StoreError(f"{field}={value!r} is out of range (allowed: {low}-{high})", field=field)
    return number


def pain(field: str, value: Any) -> int | None:
    """A pain score on the 0-10 NRS (LOINC 72514-3), or None when not recorded."""
    return integer(field, value, PAIN_MIN, PAIN_MAX)


def difficulty(value: Any) -> int | None:
    return integer("difficulty", value, DIFFICULTY_MIN, DIFFICULTY_MAX)


def dose(field: str, value: Any) -> int | None:
    return integer(field, value, 0, DOSE_VALUE_MAX)


def minutes(field: str, value: Any) -> float | None:
    """A duration in minutes: a finite number from 0 to SESSION_MINUTES_MAX, or None."""
    allowed = f"0-{SESSION_MINUTES_MAX}"
    if is_missing(value):
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise StoreError(
            f"{field}={value!r} is not a number of minutes (allowed: {allowed})", field=field
        )
    number = float(value)
    if not math.isfinite(number) or not 0 <= number <= SESSION_MINUTES_MAX:
        raise StoreError(
            f"{field}={value!r} is not allowed (minutes must be a number {allowed})", field=field
        )
    return number


def patient_id(value: Any) -> str:
    """A patient id: the whole text is a slug (no surrounding space or line break)."""
    if not isinstance(value, str) or not PATIENT_ID_RULE.fullmatch(value):
        raise StoreError(
            f"patient_id={shown(value)!r} is not a slug (allowed: lower-case letters and digits "
            "joined by '-' or '_', e.g. 'anna-k' or 'p_0042')",
            field="patient_id",
        )
    if len(value) > PATIENT_ID_MAX:
        raise StoreError(
            f"patient_id={shown(value)!r} is longer than {PATIENT_ID_MAX} characters",
            field="patient_id",
        )
    return value


def uid(field: str, value: Any) -> str:
    """A session or outcome uid: the whole text matches UID_PATTERN, at most UID_MAX long."""
    if not isinstance(value, str) or len(value) > UID_MAX or not UID_RULE.fullmatch(value):
        raise StoreError(
            f"{field}={shown(value)!r} is not a uid (allowed: a UUID, or up to {UID_MAX} "
            "letters and digits joined by single '-', '_' or '.')",
            field=field,
        )
    return value


def name(value: Any, default: str) -> str:
    """A display name: one line of 1-PATIENT_NAME_MAX characters, trimmed; empty means default."""
    if is_missing(value) or value == "":
        return default
    if not isinstance(value, str):
        raise StoreError(f"name={value!r} is not text", field="name")
    text = value.strip()
    if not text:
        raise StoreError(f"name={value!r} must be 1-{PATIENT_NAME_MAX} characters", field="name")
    return check_text("name", text, PATIENT_NAME_MAX, one_line=True)


def weight_kg(value: Any) -> float | None:
    if is_missing(value):
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or _is_nan(value):
        raise StoreError(f"weight_kg={value!r} is not a number", field="weight_kg")
    number = float(value)
    if not (math.isfinite(number) and WEIGHT_KG_MIN <= number <= WEIGHT_KG_MAX):
        raise StoreError(
            f"weight_kg={value!r} is out of range (allowed: {WEIGHT_KG_MIN:g}-{WEIGHT_KG_MAX:g})",
            field="weight_kg",
        )
    return number


def target_per_week(value: Any) -> int:
    return integer(
        "target_per_week", value, TARGET_PER_WEEK_MIN, TARGET_PER_WEEK_MAX, optional=False
    )


def text(field: str, value: Any, max_chars: int = NOTES_MAX) -> str:
    """Free text (notes): at most max_chars, tabs and line breaks allowed; None means empty."""
    if is_missing(value):
        return ""
    if not isinstance(value, str):
        raise StoreError(f"{field}={value!r} is not text", field=field)
    return check_text(field, value, max_chars)


def phase(value: Any) -> str:
    if value not in PHASES:
        raise StoreError(
            f"phase={value!r} is not allowed (allowed: {', '.join(PHASES)})", field="phase"
        )
    return value


def measure(value: Any) -> str:
    if value not in OUTCOME_MEASURES:
        raise StoreError(
            f"measure={value!r} is not known (allowed: {', '.join(OUTCOME_MEASURES)})",
            field="measure",
        )
    return value


def score(measure_id: str, value: Any) -> float:
    """An outcome score within its measure's range and on its step (each instrument's scoring)."""
    spec = OUTCOME_MEASURES[measure_id]
    low, high, step = spec["min"], spec["max"], spec["step"]
    allowed = f"{low}-{high}" + (" in whole points" if step == 1 else "")
    if is_missing(value) or isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise StoreError(
            f"score={value!r} for {measure_id} is not a number ({allowed})", field="score"
        )
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise StoreError(
            f"score={value!r} is out of range for {measure_id} ({allowed})", field="score"
        )
    if step is not None and not ((number - low) / step).is_integer():
        raise StoreError(
            f"score={value!r} is not a score {measure_id} can have ({allowed})", field="score"
        )
    return number


def timestamp(
    field: str, value: Any, *, now: dt.datetime | None = None, none_means_now: bool = True
) -> dt.datetime:
    """A naive local datetime, whole seconds, not in the future; None means now (or, with
    ``none_means_now=False``, is refused: a correction must name the time)."""
    current = (now or dt.datetime.now()).replace(microsecond=0)
    if is_missing(value):
        if not none_means_now:
            raise StoreError(f"{field} is required (a date and time)", field=field)
        return current
    moment = _to_datetime(field, value)
    if moment.tzinfo is not None:
        moment = moment.astimezone().replace(tzinfo=None)
    moment = moment.replace(microsecond=0)
    _not_too_early(field, value, moment.year)
    if moment > current:
        raise StoreError(
            f"{field}={value!s} is in the future (now is {current:%Y-%m-%d %H:%M})", field=field
        )
    return moment


def day(field: str, value: Any, *, today: dt.date | None = None) -> dt.date:
    """A calendar date, not in the future; None means today."""
    current = today or dt.date.today()
    if is_missing(value):
        return current
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        result = value
    else:
        result = _to_datetime(field, value).date()
    _not_too_early(field, value, result.year)
    if result > current:
        raise StoreError(
            f"{field}={value!s} is in the future (today is {current.isoformat()})", field=field
        )
    return result


def _not_too_early(field: str, value: Any, year: int) -> None:
    if year < EARLIEST_YEAR:
        raise StoreError(
            f"{field}={value!s} is before {EARLIEST_YEAR} (a typing error?)", field=field
        )


def _to_datetime(field: str, value: Any) -> dt.datetime:
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value.strip())
        except ValueError:
            pass
    raise StoreError(
        f"{field}={value!r} is not a date or time (use ISO 8601, e.g. 2025-03-01T18:30)",
        field=field,
    )
