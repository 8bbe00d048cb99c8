"""Outcome measures (NPRS, ODI, RMDQ, PSFS): each one's change against its minimal important change.

The change runs from each measure's first score to its last; re-exported by backlib.progress.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from backlib.constants import MCID_RELATIVE, OUTCOME_MEASURES
from backlib.errors import RequestError
from backlib.progress.frames import EPS, OUTCOME_COLUMNS, require_columns, require_one_patient

OUTCOME_CHANGE_COLUMNS = (
    "measure",
    "label",
    "first_on",
    "first",
    "last_on",
    "last",
    "scores",
    "change",
    "improvement",
    "threshold",
    "improved",
    "note",
)


def empty_outcome_changes() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in OUTCOME_CHANGE_COLUMNS})


def outcome_changes(outcomes: pd.DataFrame, *, end: dt.date | None = None) -> pd.DataFrame:
    """Each outcome measure's change from its first score to its last, against its threshold.

    Thresholds: NPRS 2 points, ODI 10, RMDQ 5 (Ostelo 2008), PSFS 2
    (Stratford 1995). For NPRS, ODI and RMDQ a 30 % fall from the first score also counts
    (Ostelo 2008's relative threshold); PSFS is better when higher, so its improvement is a
    rise.

    Returns
    -------
    pandas.DataFrame
        One row per measure present: ``measure``, ``label``, ``first_on``, ``first``,
        ``last_on``, ``last``, ``scores`` (how many), ``change`` (last − first),
        ``improvement`` (positive = better, whatever the measure's direction), ``threshold``,
        ``improved`` and a ``note``.

    Raises
    ------
    RequestError
        For a missing column or a measure that is not nprs, odi, rmdq or psfs.
    """
    require_columns(outcomes, OUTCOME_COLUMNS, "outcomes")
    require_one_patient(outcomes, "outcomes")
    frame = outcomes.loc[:, list(OUTCOME_COLUMNS)].copy()
    frame["measured_on"] = pd.to_datetime(frame["measured_on"])
    if end is not None:
        frame = frame[frame["measured_on"].dt.normalize() <= pd.Timestamp(end).normalize()]
    unknown = sorted(set(frame["measure"].dropna()) - set(OUTCOME_MEASURES))
    if unknown:
        raise RequestError(
            f"outcomes: measure {unknown[0]!r} is not known; allowed: {', '.join(OUTCOME_MEASURES)}"
        )
    rows = []
    frame = frame.dropna(subset=["score"]).sort_values("measured_on", kind="stable")
    for measure, spec in OUTCOME_MEASURES.items():
        scores = frame[frame["measure"] == measure]
        if scores.empty:
            continue
        first, last = scores.iloc[0], scores.iloc[-1]
        change = float(last["score"] - first["score"])
        improvement = change if spec["higher_is_better"] else -change
        threshold = float(spec["mcid"])
        if len(scores) < 2:
            improved, note = False, "one score so far: measure again to see a change"
        else:
            improved = improvement >= threshold - EPS  # per-measure MCID (Ostelo; Stratford)
            relative = not spec["higher_is_better"] and float(first["score"]) > 0
            if relative and improvement >= MCID_RELATIVE * float(first["score"]) - EPS:
                improved = True  # 30 % from baseline also counts (Ostelo 2008)
            note = _outcome_note(spec, improvement, threshold, improved, relative)
        rows.append(
            {
                "measure": measure,
                "label": spec["label"],
                "first_on": first["measured_on"],
                "first": float(first["score"]),
                "last_on": last["measured_on"],
                "last": float(last["score"]),
                "scores": len(scores),
                "change": change,
                "improvement": improvement,
                "threshold": threshold,
                "improved": improved,
                "note": note,
            }
        )
    return (
        pd.DataFrame(rows, columns=list(OUTCOME_CHANGE_COLUMNS))
        if rows
        else empty_outcome_changes()
    )


def _outcome_note(
    spec: dict, improvement: float, threshold: float, improved: bool, relative: bool
) -> str:
    rule = f"{threshold:g} points" + (" or 30 %" if relative else "")
    if improved:
        return f"meaningful improvement (≥ {rule})"
    if improvement <= -threshold + EPS:
        return f"worse by at least {threshold:g} points"
    return f"change smaller than the minimal important change ({rule})"
