"""A programme's history in words: what each version changed, when, why and by whom.

Takes the frame ``Store.programmes`` returns (one row per version and item) and compares each
version with the one before it, so the Progress tab and the report can say "added Squat; Plank
held longer (20 s to 25 s)" instead of listing every version in full.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from backlib.catalog import Catalog, describe_dose
from backlib.constants import DOSE_VARIABLES
from backlib.labels import PROGRAMME_REASON_LABELS
from backlib.progress.frames import require_columns

# One row per version, oldest first.
PROGRAMME_HISTORY_COLUMNS = (
    "version",
    "created",
    "reason",
    "why",
    "by",
    "note",
    "days_per_week",
    "exercises",
    "changes",
)
_NEEDED = ("version", "created", "reason", "by", "note", "days_per_week", "exercise_id")
# One row per programme version the sessions were done from, oldest first.
SESSIONS_BY_VERSION_COLUMNS = ("programme_version", "sessions", "first_session", "pain_before_mean")
# More dose changes than this in one version are counted instead of listed one by one.
LISTED_DOSE_CHANGES = 4


def programme_history(history: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """One row per programme version: when, why (in words), by whom, and what changed.

    Parameters
    ----------
    history
        One patient's ``Store.programmes(patient_id)`` frame.
    catalog
        Names the exercises and words their doses.

    Returns
    -------
    DataFrame
        PROGRAMME_HISTORY_COLUMNS; ``changes`` compares the version with the one before
        ("first version: 9 exercises" for the first).
    """
    require_columns(history, _NEEDED, "programmes")
    rows = []
    previous: dict[str, dict] | None = None
    for version, items in history.groupby("version", sort=True):
        head = items.iloc[0]
        current = {row["exercise_id"]: row for row in items.to_dict("records")}
        rows.append(
            {
                "version": int(version),
                "created": head["created"],
                "reason": head["reason"],
                "why": PROGRAMME_REASON_LABELS.get(head["reason"], head["reason"]),
                "by": head["by"],
                "note": head["note"],
                "days_per_week": int(head["days_per_week"]),
                "exercises": len(current),
                "changes": _changes(previous, current, catalog),
            }
        )
        previous = current
    return pd.DataFrame(rows, columns=list(PROGRAMME_HISTORY_COLUMNS))


def sessions_by_version(sessions: pd.DataFrame) -> pd.DataFrame:
    """How many sessions were done from each programme version, from when, and the pain before.

    Parameters
    ----------
    sessions
        ``Store.sessions`` for one patient; sessions logged without a programme are left out.

    Returns
    -------
    DataFrame
        SESSIONS_BY_VERSION_COLUMNS: the version, its session count, the first session's start
        and the mean pain before exercise (0-10; missing when no session rated it).
    """
    require_columns(
        sessions, ("session_id", "started_at", "pain_before", "programme_version"), "sessions"
    )
    done = sessions.dropna(subset=["programme_version"])
    done = done.assign(pain_before=pd.to_numeric(done["pain_before"]).astype(float))
    grouped = done.groupby("programme_version", sort=True)
    frame = pd.DataFrame(
        {
            "sessions": grouped["session_id"].count(),
            "first_session": grouped["started_at"].min(),
            "pain_before_mean": grouped["pain_before"].mean(),
        }
    ).reset_index()
    frame["programme_version"] = frame["programme_version"].astype(int)
    return frame[list(SESSIONS_BY_VERSION_COLUMNS)]


def _changes(
    before: Mapping[str, Mapping] | None, after: Mapping[str, Mapping], catalog: Catalog
) -> str:
    if before is None:
        return f"first version: {len(after)} exercise{'s' if len(after) != 1 else ''}"
    parts = []
    added = [_name(key, catalog) for key in after if key not in before]
    removed = [_name(key, catalog) for key in before if key not in after]
    if added:
        parts.append("added " + ", ".join(added))
    if removed:
        parts.append("removed " + ", ".join(removed))
    moved = [
        (key, _dose(before[key]), _dose(after[key]))
        for key in after
        if key in before and _dose(before[key]) != _dose(after[key])
    ]
    if len(moved) > LISTED_DOSE_CHANGES:
        up = sum(_load(new) > _load(old) for _, old, new in moved)
        down = sum(_load(new) < _load(old) for _, old, new in moved)
        counted = [f"{up} up" if up else "", f"{down} down" if down else ""]
        parts.append(f"{len(moved)} doses changed ({', '.join(c for c in counted if c)})")
    else:
        for key, old, new in moved:
            parts.append(
                f"{_name(key, catalog)} {_words(key, old, catalog)} → {_words(key, new, catalog)}"
            )
    return "; ".join(parts) or "no change to the exercises or doses"


def _dose(row: Mapping) -> tuple[int | None, ...]:
    return tuple(None if pd.isna(row[v]) else int(row[v]) for v in DOSE_VARIABLES)


def _load(dose: tuple[int | None, ...]) -> int:
    """A rough size of a dose for up/down: sets x (reps or 1) x (hold or duration or 1)."""
    sets, reps, hold, duration = (value or 0 for value in dose)
    return max(sets, 1) * max(reps, 1) * max(hold, duration, 1)


def _name(exercise_id: str, catalog: Catalog) -> str:
    return catalog[exercise_id].name if exercise_id in catalog else exercise_id


def _words(exercise_id: str, dose: tuple[int | None, ...], catalog: Catalog) -> str:
    per_side = catalog[exercise_id].dose.per_side if exercise_id in catalog else False
    return describe_dose(*dose, per_side)
