"""Which exercises went with worse next-morning pain: the flare-up table for a clinician.

Re-exported by backlib.progress. An association, not a cause.
"""

from __future__ import annotations

import pandas as pd

from backlib.constants import FLARE_UP_MIN_SESSIONS, NEXT_MORNING_RISE_REGRESS
from backlib.progress.frames import (
    ENTRY_COLUMNS,
    SESSION_COLUMNS,
    pain_column,
    require_columns,
    require_one_patient,
)

FLARE_UP_COLUMNS = (
    "exercise_id",
    "sessions_done",
    "mean_change_done",
    "sessions_not_done",
    "mean_change_not_done",
    "difference",
    "flare_ups_done",
    "small_sample",
)


def flare_up_exercises(sessions: pd.DataFrame, entries: pd.DataFrame) -> pd.DataFrame:
    """Exercises ranked by how next-morning pain changed when they were done versus not.

    For each session with both scores, the next-morning change is pain next morning minus pain
    before. For each exercise: the mean change over sessions where it was completed, the mean
    over the other sessions, and their difference (positive = mornings were worse after it).
    ``flare_ups_done`` counts its sessions with a next-morning rise of 2 or more (the
    regress threshold, a design choice). The counts are shown so that small samples look small;
    ``small_sample`` marks fewer than 5 sessions on either side. An association, not a cause:
    a clinician reads it as a hint to ask about, not as proof.

    Returns
    -------
    pandas.DataFrame
        Columns ``exercise_id``, ``sessions_done``, ``mean_change_done``,
        ``sessions_not_done``, ``mean_change_not_done``, ``difference``, ``flare_ups_done``,
        ``small_sample``; sorted by ``difference``, largest first (unknown last).
    """
    require_columns(sessions, ("session_id", *SESSION_COLUMNS), "sessions")
    require_columns(entries, ENTRY_COLUMNS, "entries")
    require_one_patient(sessions, "sessions")
    delta = (
        pain_column(sessions, "pain_next_morning") - pain_column(sessions, "pain_before")
    ).rename("delta")
    per_session = pd.DataFrame({"session_id": sessions["session_id"], "delta": delta}).dropna()
    done = entries.loc[
        entries["completed"].fillna(False).astype(bool), ["session_id", "exercise_id"]
    ]
    done = done.drop_duplicates()
    exercises = pd.Index(entries["exercise_id"].dropna().unique(), name="exercise_id")
    if exercises.empty:
        return pd.DataFrame(columns=list(FLARE_UP_COLUMNS))
    joined = done.merge(per_session, on="session_id", how="inner")
    flare = joined["delta"] >= NEXT_MORNING_RISE_REGRESS  # +2 next morning = RED (a design choice)
    grouped = joined.assign(flare=flare).groupby("exercise_id")
    n_done = grouped.size().reindex(exercises, fill_value=0)
    sum_done = grouped["delta"].sum().reindex(exercises, fill_value=0.0)
    flares = grouped["flare"].sum().reindex(exercises, fill_value=0)
    n_all, sum_all = len(per_session), float(per_session["delta"].sum())
    n_not = n_all - n_done
    mean_done = (sum_done / n_done).where(n_done > 0)
    mean_not = ((sum_all - sum_done) / n_not).where(n_not > 0)
    table = pd.DataFrame(
        {
            "sessions_done": n_done.astype(int),
            "mean_change_done": mean_done.astype(float),
            "sessions_not_done": n_not.astype(int),
            "mean_change_not_done": mean_not.astype(float),
            "difference": (mean_done - mean_not).astype(float),
            "flare_ups_done": flares.astype(int),
            "small_sample": (n_done < FLARE_UP_MIN_SESSIONS) | (n_not < FLARE_UP_MIN_SESSIONS),
        },
        index=exercises,
    ).reset_index()
    table = table.sort_values(
        ["difference", "sessions_done", "exercise_id"],
        ascending=[False, False, True],
        na_position="last",
        kind="stable",
    )
    return table.reset_index(drop=True)[list(FLARE_UP_COLUMNS)]
