"""Frames the chart tests share: sessions on days after DAY0, bridge entries, outcome scores."""

from __future__ import annotations

import pandas as pd
from progress_frames import DAY0, entries_frame, sessions_frame


def sessions_on(days, **pains):
    return sessions_frame(
        [
            {
                "started_at": DAY0 + pd.Timedelta(days=d),
                "pain_before": 5,
                "pain_during": 2,
                "pain_after": 3,
                "pain_next_morning": 4,
                **pains,
            }
            for d in days
        ]
    )


def outcomes_frame(rows):
    return pd.DataFrame(
        [{"measured_on": pd.Timestamp(d), "measure": m, "score": float(s)} for d, m, s in rows],
        columns=["measured_on", "measure", "score"],
    )


def bridge_entries(sessions, reps=(10,)):
    rows = []
    for i, sid in enumerate(sessions["session_id"]):
        rows.append(
            {
                "session_id": sid,
                "exercise_id": "bridge",
                "sets": 2,
                "reps": reps[min(i, len(reps) - 1)],
                "hold_s": 3,
            }
        )
    return entries_frame(rows, sessions)
