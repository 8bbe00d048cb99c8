"""Frame checks and number coercion shared by progress, charts and progression.

The columns a frame needs, one patient per frame, pain and minutes as floats with NaN for
missing values.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from backlib.errors import RequestError

# Float noise must not turn an exact 30 % or 2-point drop into "not quite".
EPS = 1e-9

PAIN_COLUMNS = ("pain_before", "pain_during", "pain_after", "pain_next_morning")
SESSION_COLUMNS = ("started_at", *PAIN_COLUMNS)
ENTRY_COLUMNS = ("session_id", "exercise_id", "completed")
OUTCOME_COLUMNS = ("measured_on", "measure", "score")


def require_columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise RequestError(f"{name}: expected a pandas DataFrame, got {type(frame).__name__}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise RequestError(
            f"{name}: missing column(s) {', '.join(missing)}; "
            f"needed: {', '.join(columns)} (the store's {name} frame has them)"
        )


def require_one_patient(frame: pd.DataFrame, name: str) -> None:
    if "patient_id" in frame.columns:
        patients = frame["patient_id"].dropna().unique()
        if len(patients) > 1:
            shown = ", ".join(map(str, sorted(patients)[:5]))
            raise RequestError(
                f"{name}: holds {len(patients)} patients ({shown}); "
                "pass one patient's rows, e.g. store.sessions(patient_id)"
            )


def pain_column(frame: pd.DataFrame, column: str) -> pd.Series:
    """A pain column as floats with NaN for missing (Int64 NA does not mix with arithmetic)."""
    return as_floats(frame[column])


def as_floats(series: pd.Series) -> pd.Series:
    """Numbers as float64 with NaN for missing; the fast path for the store's Int64/float."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype="float64", na_value=np.nan)
        return pd.Series(values, index=series.index, name=series.name)
    return pd.to_numeric(series, errors="coerce").astype(float)


def float_or_none(value: Any) -> float | None:
    """One number as a float, None when missing (None, NA or NaN)."""
    if value is None or value is pd.NA:
        return None
    number = float(value)
    return None if math.isnan(number) else number
