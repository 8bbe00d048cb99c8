"""Outcome measures (NPRS, ODI, RMDQ, PSFS): each change against what matters and what shows.

A change runs from a measure's first score to its last and is meaningful only when it reaches
the minimal important change (MCID) and the minimal detectable change (MDC), the smallest change
the instrument can tell from measurement error; re-exported by backlib.progress.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from backlib.constants import MCID_RELATIVE, OUTCOME_MEASURES
from backlib.display import rounded_text
from backlib.errors import RequestError
from backlib.labels import OUTCOME_VERDICT_WORDS
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
    "mdc",
    "improved",
    "worsened",
    "verdict",
    "note",
)


# Each outcome measure's thresholds, one row per measure in OUTCOME_MEASURES order.
OUTCOME_MEASURE_COLUMNS = ("measure", "mcid", "mdc", "higher_is_better")


def outcome_measures_frame() -> pd.DataFrame:
    """The outcome measures' MCID and MDC (points) and which direction is better, as a frame."""
    return pd.DataFrame(
        [
            (measure, spec["mcid"], spec["mdc"], spec["higher_is_better"])
            for measure, spec in OUTCOME_MEASURES.items()
        ],
        columns=list(OUTCOME_MEASURE_COLUMNS),
    )


def empty_outcome_changes() -> pd.DataFrame:
    return pd.DataFrame({column: pd.Series(dtype=object) for column in OUTCOME_CHANGE_COLUMNS})


def outcome_changes(outcomes: pd.DataFrame, *, end: dt.date | None = None) -> pd.DataFrame:
    """Each outcome measure's change from its first score to its last, and its verdict.

    The verdict follows :func:`outcome_verdict`: ``improved`` when the change reaches the
    minimal important change and the minimal detectable change, ``worsened`` when it goes the
    other way by at least as much, else ``no_reliable_change`` (``one_score`` with one score).

    Returns
    -------
    pandas.DataFrame
        One row per measure present: ``measure``, ``label``, ``first_on``, ``first``,
        ``last_on``, ``last``, ``scores`` (how many), ``change`` (last − first),
        ``improvement`` (positive = better, whatever the measure's direction), ``threshold``
        (the MCID in points), ``mdc``, ``improved``, ``worsened``, ``verdict`` and a ``note``.

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
            f"outcomes: measure {unknown[0]!r} is not known; allowed: "
            f"{', '.join(OUTCOME_MEASURES)}",
            field="measure",
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
        if len(scores) < 2:
            verdict = "one_score"
            note = f"{OUTCOME_VERDICT_WORDS[verdict]}: measure again to see a change"
        else:
            verdict, note = outcome_verdict(measure, float(first["score"]), float(last["score"]))
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
                "threshold": float(spec["mcid"]),
                "mdc": float(spec["mdc"]),
                "improved": verdict == "improved",
                "worsened": verdict == "worsened",
                "verdict": verdict,
                "note": note,
            }
        )
    return (
        pd.DataFrame(rows, columns=list(OUTCOME_CHANGE_COLUMNS))
        if rows
        else empty_outcome_changes()
    )


def outcome_verdict(measure: str, first: float, last: float) -> tuple[str, str]:
    """The verdict on a change from ``first`` to ``last`` on one measure, and a note saying why.

    ``improved`` when the improvement reaches the minimal important change (the measure's MCID
    in points, or for NPRS, ODI and RMDQ a 30 % fall from the first score; Ostelo 2008; PSFS
    Stratford 1995) and the minimal detectable change (``OUTCOME_MEASURES[m]["mdc"]``; a
    change as large as the MDC is beyond measurement error at 90 % confidence). ``worsened``
    when it is worse by at least the MCID in points and the MDC. Otherwise
    ``no_reliable_change``; the note says so when the first score leaves less room than the
    MDC to show an improvement (an RMDQ under 4, Stratford 1996) or a worsening.

    Parameters
    ----------
    measure
        A key of ``OUTCOME_MEASURES``.
    first, last
        The first and the last score.

    Returns
    -------
    tuple[str, str]
        The verdict (a key of ``labels.OUTCOME_VERDICT_WORDS``) and the note.

    Raises
    ------
    RequestError
        For an unknown measure.
    """
    if measure not in OUTCOME_MEASURES:
        raise RequestError(
            f"measure {measure!r} is not known; allowed: {', '.join(OUTCOME_MEASURES)}",
            field="measure",
        )
    spec = OUTCOME_MEASURES[measure]
    mcid, mdc = float(spec["mcid"]), float(spec["mdc"])
    better = spec["higher_is_better"]
    improvement = (last - first) if better else (first - last)
    relative = not better and first > 0
    # The MCID in points (Ostelo 2008; PSFS Stratford 1995), or a 30 % fall (Ostelo 2008).
    important = improvement >= mcid - EPS or (
        relative and improvement >= MCID_RELATIVE * first - EPS
    )
    detectable = abs(improvement) >= mdc - EPS  # beyond measurement error (MDC90)
    rule = f"{mcid:g} points" + (" or 30 %" if relative else "")
    if improvement > 0 and important and detectable:
        verdict = "improved"
        why = (
            f"better by {_num(improvement)}, reaching the minimal important change ({rule}) and "
            f"the {mdc:g} points the measure can detect"
        )
    elif -improvement >= mcid - EPS and detectable:
        verdict = "worsened"
        why = (
            f"worse by {_num(-improvement)}, at least the minimal important change "
            f"({mcid:g} points) and the {mdc:g} points the measure can detect"
        )
    else:
        verdict = "no_reliable_change"
        direction = "better" if improvement > 0 else "worse" if improvement < 0 else "unchanged"
        size = f" by {_num(abs(improvement))}" if improvement else ""
        why = (
            f"{direction}{size}; a change must reach the minimal important change ({rule}) and "
            f"the {mdc:g} points the measure can detect"
        )
        room_better = (spec["max"] - first) if better else (first - spec["min"])
        room_worse = (first - spec["min"]) if better else (spec["max"] - first)
        if room_better < mdc - EPS:
            why += (
                f"; a first score of {_num(first)} leaves less room than that, so this measure "
                "cannot show an improvement"
            )
        elif room_worse < mdc - EPS:
            why += (
                f"; a first score of {_num(first)} leaves less room than that, so this measure "
                "cannot show a worsening"
            )
    return verdict, f"{OUTCOME_VERDICT_WORDS[verdict]}: {why}"


def _num(value: float) -> str:
    """A score or change for reading: one decimal at most, trailing zeros dropped."""
    text = rounded_text(value, 1)
    return text[:-2] if text.endswith(".0") else text
