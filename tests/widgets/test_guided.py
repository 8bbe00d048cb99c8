"""Guided mode: timed holds and rests, both sides, and what was done or skipped."""

from __future__ import annotations

from widget_support import _item

from backlib.plan.doses import dose_seconds
from backlib.widgets.common import STYLESHEET
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


def test_the_finished_session_leaves_no_timer_and_offers_to_log_it(small_routine):
    session = GuidedSession(small_routine, offer_log=True)
    session.countdown.elapsed_s = 31 * 60  # the page reports the time it ran, pauses left out
    for _ in small_routine.items:
        session.done_button.click()
    assert session.finished
    assert session.countdown.layout.display == "none", "no dead timer at the end"
    assert session.log_button.layout.display is None
    assert "in 31 min" in session.progress.value
    assert session.minutes == 31


def test_without_a_log_to_take_it_no_log_button_is_offered(small_routine):
    session = GuidedSession(small_routine)
    for _ in small_routine.items:
        session.skip_button.click()
    assert session.log_button.layout.display == "none"
    assert session.minutes is None, "never started: no minutes are claimed"


def test_the_countdown_scrolls_into_view_shows_mm_ss_and_reports_its_time():
    from backlib.widgets.guided import Countdown

    code = Countdown._esm
    assert "scrollIntoView" in code and "focus(" in code
    assert 'padStart(2, "0")' in code, "a mm:ss clock"
    assert "elapsed_s" in code


def test_log_this_session_hands_what_was_done_and_the_minutes_to_the_log_tab(store):
    from backlib.widgets import WorkbookApp

    app = WorkbookApp(store)
    app.patient_bar.choice.value = "ana"
    app.builder.generate_button.click()
    app.builder.guided_button.click()
    session = app.builder.guided.children[0]
    session.countdown.elapsed_s = 12.4 * 60
    session.skip_button.click()
    for _ in app.builder.routine.items[1:]:
        session.done_button.click()
    session.log_button.click()
    assert app.tabs.selected_index == 1
    assert app.logger.minutes.value == "12"
    assert app.logger.rows[0].completed.value is False
    app.logger.save_button.click()
    row = store.sessions("ana").iloc[0]
    assert row["actual_minutes"] == 12


def test_the_guided_session_keeps_its_clock_and_controls_in_a_bar_above_the_exercise():
    from backlib import plan_routine
    from backlib.widgets.cards import GUIDED_FIGURE_SIZE

    session = GuidedSession(plan_routine(["lower_back"], 20))
    assert f'width="{GUIDED_FIGURE_SIZE}"' in session.card.value
    assert "<animate " in session.card.value
    assert session.children.index(session.controls) < session.children.index(session.card)
    bar = session.controls.children
    assert session.countdown in bar
    buttons = next(c for c in bar if "backlib-guided-buttons" in c._dom_classes).children
    assert {session.back_button, session.skip_button, session.done_button} <= set(buttons)
    assert "position: sticky" in STYLESHEET.split(".backlib-guided-controls", 1)[1][:80]


def test_the_session_clock_runs_across_exercises_and_only_pause_stops_it():
    from backlib.widgets.guided import Countdown

    code = Countdown._esm
    reset = code.split("function reset()", 1)[1].split("function draw()", 1)[0]
    assert "stop()" not in reset.replace("if (!steps().length) { stop(); }", ""), (
        "a new exercise keeps the clock running"
    )
    stop = code.split("function stop()", 1)[1].split("button.addEventListener", 1)[0]
    assert "save_changes" in stop, "every stop reports the time to the kernel"


def test_each_exercise_keeps_the_seconds_the_clock_ran_on_it(small_routine):
    session = GuidedSession(small_routine, offer_log=True)
    ids = [item.exercise_id for item in small_routine.items]
    session.countdown.elapsed_s = 95.0  # the page's report while the first one ran
    session.done_button.click()
    session.countdown.elapsed_s = 95.0 + 130.0
    session.done_button.click()
    session.done_button.click()  # Done with the clock standing still
    session.skip_button.click()
    assert session.timed_s == {ids[0]: 95.0, ids[1]: 130.0, ids[2]: 0.0, ids[3]: 0.0}
    assert "3 of 4 exercises done in 4 min on the clock" in session.progress.value
    assert "1 of them marked done with the clock paused" in session.progress.value
    assert session.log_minutes() == 4


def test_done_without_the_clock_claims_no_minutes(small_routine):
    session = GuidedSession(small_routine, offer_log=True)
    for _ in small_routine.items:
        session.done_button.click()
    assert "in 0 min" not in session.progress.value
    assert "no minutes were measured" in session.progress.value
    assert session.minutes is None and session.log_minutes() is None


def test_a_short_session_logs_one_minute_not_zero_and_the_summary_follows_the_clock(
    small_routine,
):
    session = GuidedSession(small_routine, offer_log=True)
    session.countdown.elapsed_s = 20.0
    for _ in small_routine.items:
        session.done_button.click()
    assert "in 20 s on the clock" in session.progress.value
    assert session.log_minutes() == 1
    session.countdown.elapsed_s = 62.0  # the page's last report arrives after the last Done
    assert "in 1 min on the clock" in session.progress.value
