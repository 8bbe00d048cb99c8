"""Guided mode: timed holds and rests, both sides, and what was done or skipped."""

from __future__ import annotations

from widget_support import _item

from backlib.plan.doses import dose_seconds
from backlib.widgets.guided import GuidedSession, guided_steps


def test_guided_steps_time_every_hold_with_rests_between_sets(catalog):
    item = _item(catalog, "knees-to-chest", "main", sets=2, reps=3, hold_s=5)
    steps = guided_steps(item)
    holds = [s for s in steps if "hold" in s["label"]]
    assert len(holds) == 2 * 3 and all(s["seconds"] == 5 for s in holds)
    rests = [s for s in steps if s["label"] == "Rest"]
    rest_s = item.exercise.dose.rest_s
    assert [s["seconds"] for s in rests] == ([rest_s] if rest_s else [])


def test_the_countdown_takes_exactly_the_seconds_the_plan_gives_the_item(catalog):
    item = _item(catalog, "glute-bridge", "main", sets=2, reps=8, hold_s=3)
    planned = dose_seconds(item.exercise, item.sets, item.reps, item.hold_s, item.duration_s)
    assert sum(s["seconds"] for s in guided_steps(item)) == planned
    resets = [s for s in guided_steps(item) if s["label"].startswith("Release")]
    assert len(resets) == 2 * 8, "getting in and out of every held rep is counted"


def test_guided_steps_repeat_each_set_on_both_sides(catalog):
    item = _item(catalog, "hip-flexor-stretch", "main", sets=2, reps=1, hold_s=20)
    labels = [s["label"] for s in guided_steps(item) if "hold" in s["label"]]
    assert sum("left side" in label for label in labels) == 2
    assert sum("right side" in label for label in labels) == 2


def test_guided_session_records_done_and_skipped_and_finishes(small_routine):
    session = GuidedSession(small_routine)
    assert session.countdown.steps == guided_steps(small_routine.items[0])
    session.done_button.click()
    session.skip_button.click()
    session.back_button.click()
    session.done_button.click()
    session.done_button.click()
    assert not session.finished
    session.done_button.click()
    assert session.finished
    ids = [item.exercise_id for item in small_routine.items]
    assert list(session.done) == ids
    assert [entry["completed"] for entry in session.done.values()] == [True, True, True, True]
    assert session.done[ids[1]]["sets"] == small_routine.items[1].sets
    assert "4 of 4 exercises done" in session.progress.value


def test_guided_session_marks_a_skipped_exercise_not_completed(small_routine):
    session = GuidedSession(small_routine)
    session.skip_button.click()
    assert session.done[small_routine.items[0].exercise_id]["completed"] is False
