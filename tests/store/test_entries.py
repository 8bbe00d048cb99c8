"""Entries of a logged session: what was done against what was prescribed, from the catalog."""

from __future__ import annotations

import pandas as pd
import pytest
from store_support import YESTERDAY, sample_routine

from backlib.errors import StoreError
from backlib.plan.routine import Routine, RoutineItem


def test_log_session_done_map_records_what_was_done_and_what_was_skipped(store, store_catalog):
    store.add_patient("anna")
    done = {
        "glute-bridge": {"sets": 1, "reps": 8, "pain_during": 4},
        "march-in-place": {"duration_s": 90, "completed": False},
        "cat-cow": {"sets": 1, "reps": 6},  # not in the routine: done in addition
    }
    session_id = store.log_session(
        "anna", sample_routine(store_catalog), when=YESTERDAY, done=done, actual_minutes=9
    )
    entries = store.entries(session_id=session_id).set_index("exercise_id")
    assert entries.loc["glute-bridge", "done_sets"] == 1
    assert entries.loc["glute-bridge", "done_hold_s"] == 5  # left out: as prescribed
    assert not entries.loc["march-in-place", "completed"]
    assert entries.loc["march-in-place", "done_duration_s"] == 90
    assert not entries.loc["child-pose", "completed"]  # in the routine, missing from done
    assert pd.isna(entries.loc["child-pose", "done_duration_s"])
    assert pd.isna(entries.loc["cat-cow", "prescribed_sets"])
    assert entries.loc["cat-cow", "phase"] == "main"
    session = store.sessions().iloc[0]
    assert session["pain_during"] == 4  # the worst entry pain when not given
    assert session["actual_minutes"] == 9.0


def test_log_session_refuses_a_routine_with_exercises_outside_the_catalog(store, tmp_path):
    from store_support import CATALOG_TOML

    from backlib.catalog import load_catalog

    other = tmp_path / "other.toml"
    other.write_text(CATALOG_TOML.replace('"glute-bridge"', '"hip-thrust"'), encoding="utf-8")
    foreign = RoutineItem(
        load_catalog(other)["hip-thrust"], "main", 2, 10, 5, None, False, 150, "not ours"
    )
    routine = Routine(items=(foreign,), areas=("glutes",), minutes=3)
    store.add_patient("anna")
    with pytest.raises(StoreError, match="hip-thrust"):
        store.log_session("anna", routine)
