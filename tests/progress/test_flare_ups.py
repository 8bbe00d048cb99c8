"""Rules of backlib.progress.flare_up_exercises: next-morning change on days done versus not."""

from __future__ import annotations

import pandas as pd
import pytest
from progress_frames import entries_frame, on, sessions_frame

from backlib.progress import flare_up_exercises


def test_flare_up_table_ranks_by_mean_next_morning_change_done_versus_not():
    sessions = sessions_frame(
        [
            on(0, pain_before=3, pain_next_morning=5),  # +2
            on(1, pain_before=3, pain_next_morning=3),  # 0
            on(2, pain_before=3, pain_next_morning=4),  # +1
            on(3, pain_before=3, pain_next_morning=2),  # -1
            on(4, pain_before=3),  # no next morning: left out
        ]
    )
    entries = entries_frame(
        [
            {"session_id": 1, "exercise_id": "a"},
            {"session_id": 1, "exercise_id": "b"},
            {"session_id": 2, "exercise_id": "b"},
            {"session_id": 2, "exercise_id": "a", "completed": False},  # not done
            {"session_id": 3, "exercise_id": "a"},
            {"session_id": 4, "exercise_id": "b"},
            {"session_id": 5, "exercise_id": "a"},
        ],
        sessions,
    )
    table = flare_up_exercises(sessions, entries)
    assert table["exercise_id"].tolist() == ["a", "b"]
    a, b = table.iloc[0], table.iloc[1]
    assert (a["sessions_done"], a["sessions_not_done"]) == (2, 2)
    assert a["mean_change_done"] == 1.5 and a["mean_change_not_done"] == -0.5
    assert a["difference"] == 2.0 and a["flare_ups_done"] == 1
    assert (b["sessions_done"], b["sessions_not_done"]) == (3, 1)
    assert b["mean_change_done"] == pytest.approx(1 / 3)
    assert b["difference"] == pytest.approx(1 / 3 - 1)
    assert table["small_sample"].all()


def test_flare_up_table_without_entries_is_empty():
    sessions = sessions_frame([on(0, pain_before=3, pain_next_morning=5)])
    empty = entries_frame([], sessions)
    empty = pd.DataFrame(columns=["session_id", "exercise_id", "completed"])
    assert flare_up_exercises(sessions, empty).empty
