"""Rules of backlib.progress.minutes: the routine's own seconds first, else the dose's estimate."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from progress_frames import entries_frame, exercise_spec, sessions_frame, write_catalog

from backlib.progress.minutes import entry_seconds

DAY0 = pd.Timestamp("2027-03-01 08:00")


@pytest.fixture
def catalog(tmp_path):
    return write_catalog(tmp_path, exercise_spec("bridge"))  # 2 × 10 × 3 s hold, 10 s rest


def test_entry_seconds_takes_the_routines_own_figure_for_each_occurrence(catalog):
    routine = json.dumps(
        {
            "items": [
                {"exercise_id": "bridge", "seconds": 90},
                {"exercise_id": "bridge", "seconds": 45},  # the same exercise again, later
            ]
        }
    )
    sessions = sessions_frame([{"started_at": DAY0, "routine": routine}])
    entries = entries_frame(
        [
            {"session_id": 1, "exercise_id": "bridge", "sets": 2, "reps": 10, "hold_s": 3},
            {"session_id": 1, "exercise_id": "bridge", "sets": 1, "reps": 5, "hold_s": 3},
        ],
        sessions,
    )
    assert list(entry_seconds(sessions, entries, catalog)) == [90.0, 45.0]


def test_entry_seconds_estimates_from_the_dose_when_no_routine_was_stored(catalog):
    sessions = sessions_frame([{"started_at": DAY0, "routine": "not json"}])
    entries = entries_frame(
        [
            {"session_id": 1, "exercise_id": "bridge", "sets": 2, "reps": 10, "hold_s": 3},
            {"session_id": 1, "exercise_id": "mystery", "sets": 1, "duration_s": 50},
        ],
        sessions,
    )
    seconds = entry_seconds(sessions, entries, catalog)
    # bridge: 2 sets × 10 reps × 3 s + 1 rest of 10 s + 10 s transition; unknown: 50 s + 10 s
    assert list(seconds) == [pytest.approx(80.0), pytest.approx(60.0)]
