"""The session logger: what was done, pain scores and next-morning pain, errors by their field."""

from __future__ import annotations

import datetime as dt

import pytest


def test_logger_saves_what_was_done_and_the_pain_scores(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    first, second = logger.rows[0], logger.rows[1]
    second.completed.value = False
    first.sets.value = "1"
    logger.pain_before.value = 4
    logger.pain_during.value = 3
    logger.pain_after.value = 2
    logger.difficulty.value = 4
    logger.notes.value = "felt <stiff> in the morning"
    logger.save_button.click()
    assert logger.saved_session is not None
    sessions = store.sessions("ben")
    assert len(sessions) == 1
    row = sessions.iloc[0]
    assert (row.pain_before, row.pain_during, row.pain_after, row.difficulty) == (4, 3, 2, 4)
    assert row.notes == "felt <stiff> in the morning"
    entries = store.entries(session_id=int(row.session_id)).set_index("exercise_id")
    assert entries.loc[first.item.exercise_id, "done_sets"] == 1
    assert not entries.loc[second.item.exercise_id, "completed"]
    assert any("backlib-alert-success" in m._dom_classes for m in logger.messages.children)


def test_logger_without_a_routine_saves_pain_scores_alone(store):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, patient_id="ana")
    assert logger.rows == []
    logger.pain_before.value = 5
    logger.save()
    assert len(store.sessions("ana")) == 1
    assert store.sessions("ana")["pain_before"].tolist() == [5]


def test_logger_refuses_a_future_date_next_to_the_date_and_saves_nothing(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned)
    logger.date.value = dt.date.today() + dt.timedelta(days=2)
    assert logger.save() is None
    assert "future" in logger.errors["when"].value
    assert "backlib-alert" in logger.errors["when"].value
    assert len(store.sessions()) == 0


def test_logger_shows_a_store_error_next_to_its_field_and_adds_nothing(store):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store)
    logger.new_patient.value = "Not A Slug!"
    assert logger.add_patient() is None
    shown = [name for name, box in logger.errors.items() if box.value]
    assert shown == ["patient"], shown
    assert "patient_id=" not in logger.errors["patient"].value, "a sentence, not a code name"
    assert "The patient" in logger.errors["patient"].value
    assert set(store.patients()["patient_id"]) == {"ana", "ben"}


def test_logger_records_next_morning_pain_of_the_previous_session(store, planned):
    from backlib.widgets import SessionLogger

    yesterday = dt.datetime.combine(dt.date.today() - dt.timedelta(days=1), dt.time(18))
    previous = store.log_session("ana", planned, when=yesterday, pain_before=4, pain_after=3)
    logger = SessionLogger(store, routine=planned, patient_id="ana")
    assert logger.previous_box.children, "yesterday's session should be offered"
    logger.next_morning.value = 2
    logger.save()
    sessions = store.sessions("ana").set_index("session_id")
    assert sessions.loc[previous, "pain_next_morning"] == 2
    assert len(sessions) == 2


def test_logger_adds_a_patient_and_selects_them(store):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store)
    logger.new_patient.value = "cara"
    logger.add_patient_button.click()
    assert "cara" in set(store.patients()["patient_id"])
    assert logger.patient.value == "cara"


# --- honest logging -----------------------------------------------------------------------


def test_pain_scores_nobody_gave_are_stored_as_not_recorded(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    assert {logger.pain_before.value, logger.pain_during.value, logger.pain_after.value} == {-1}
    logger.save_button.click()
    row = store.sessions("ben").iloc[0]
    assert row[["pain_before", "pain_after", "difficulty"]].isna().all()
    assert store.entries("ben")["pain_during"].isna().all()


@pytest.mark.parametrize("typed", ["2.5", "-2", "two", "", "25"])
def test_a_number_that_is_not_what_the_field_means_is_refused_next_to_it(store, planned, typed):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    row = logger.rows[0]
    row.sets.value = typed
    assert logger.save() is None
    assert row.sets.error.value and "Sets" in row.sets.error.value
    assert typed.strip() == "" or typed in row.sets.error.value or "outside" in row.sets.error.value
    assert row.sets.value == typed, "what was typed stays as typed"
    assert store.sessions("ben").empty


def test_far_more_than_prescribed_asks_before_saving(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    row = next(r for r in logger.rows if r.amount_key == "reps")
    row.sets.value, row.amount.value = "8", "25"
    assert logger.save() is None
    assert "more than 2 times" in logger.confirm_box.children[0].value
    assert store.sessions("ben").empty, "nothing saved before the answer"
    logger.confirm_box.children[1].children[0].click()  # "Yes, save it"
    entries = store.entries("ben").set_index("exercise_id")
    assert (
        entries.loc[row.item.exercise_id, "done_sets"],
        entries.loc[row.item.exercise_id, "done_reps"],
    ) == (8, 25)


def test_save_rests_after_a_save_until_something_changes(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    logger.save_button.click()
    assert logger.save_button.disabled, "a second click cannot store it twice"
    logger.notes.value = "one more thing"
    assert not logger.save_button.disabled
    logger.another_button.click()
    assert logger.notes.value == "" and logger.pain_before.value == -1
    assert logger.editing is None and not logger.save_button.disabled
    logger.save_button.click()
    assert len(store.sessions("ben")) == 2


def test_a_saved_session_can_be_opened_corrected_and_deleted(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    logger.pain_after.value = 3
    session_id = logger.save()
    assert logger.recent.choice.value == session_id
    logger.recent.open_button.click()
    assert logger.editing == session_id and logger.pain_after.value == 3
    logger.pain_after.value = 2
    logger.rows[0].completed.value = False
    assert logger.save_button.description == "Save the correction"
    logger.save_button.click()
    sessions = store.sessions("ben")
    assert len(sessions) == 1 and sessions["pain_after"].tolist() == [2]
    first = logger.rows[0].item.exercise_id
    assert not store.entries("ben").set_index("exercise_id").loc[first, "completed"]
    logger.recent.delete_button.click()
    assert store.sessions("ben").shape[0] == 1, "asked first"
    logger.recent.confirm.children[1].children[0].click()  # "Delete the session"
    assert store.sessions("ben").empty


def test_a_bad_correction_is_refused_and_the_stored_session_stays(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    logger.pain_before.value = 4
    session_id = logger.save()
    logger.recent.open_button.click()
    logger.rows[0].sets.value = "1.5"
    assert logger.save() is None
    assert logger.rows[0].sets.error.value
    assert store.sessions("ben")["pain_before"].tolist() == [4]
    assert logger.editing == session_id


def test_two_saves_in_a_row_store_one_session(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    first = logger.save()
    assert first is not None
    assert logger.save() is None, "the second click of a double click stores nothing"
    logger.save_button.click()
    assert len(store.sessions("ben")) == 1


def test_a_click_arriving_while_a_save_is_written_stores_nothing(store, planned, monkeypatch):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    log_session = store.log_session
    during: list[object] = []

    def slow_log(*args, **kwargs):
        # The second click of a double click, handled while the first is being written.
        during.append((logger.save_button.disabled, logger.save()))
        return log_session(*args, **kwargs)

    monkeypatch.setattr(store, "log_session", slow_log)
    assert logger.save() is not None
    assert during == [(True, None)], "Save is disabled before writing and refuses re-entry"
    assert len(store.sessions("ben")) == 1


def test_a_correction_keeps_the_time_of_day_the_session_was_logged_at(store, planned):
    from backlib.widgets import SessionLogger

    when = dt.datetime.combine(dt.date.today() - dt.timedelta(days=3), dt.time(7, 15))
    session_id = store.log_session("ben", planned, when=when, pain_before=4)
    logger = SessionLogger(store, routine=planned, patient_id="ben")
    logger.open_session(session_id)
    logger.pain_before.value = 3
    assert logger.save() == session_id
    row = store.sessions("ben").iloc[0]
    assert row["started_at"] == when and row["pain_before"] == 3
    logger.recent.open_button.click()
    logger.date.value = when.date() - dt.timedelta(days=1)
    logger.save()
    moved = store.sessions("ben").iloc[0]["started_at"]
    assert moved == when - dt.timedelta(days=1), "a new date keeps the time of day"


def test_every_attempt_shows_only_the_errors_the_form_holds_now(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    row = next(r for r in logger.rows if r.amount_key == "reps")
    row.sets.value, row.amount.value = "8", "25"
    logger.save()
    assert logger.confirm_box.children, "asked about the far-above amounts"
    logger.minutes.value = "3.5"
    logger.date.value = dt.date.today() + dt.timedelta(days=1)
    assert logger.save() is None
    assert "future" in logger.errors["when"].value
    assert "3.5" in logger.minutes.error.value, "every field is read, not only the first"
    assert logger.confirm_box.children == (), "the prompt about older values has gone"
    logger.minutes.value = "12"
    assert logger.save() is None  # the date is still in the future
    assert logger.minutes.error.value == "", "the corrected minutes lose their error"
    assert "future" in logger.errors["when"].value


@pytest.mark.parametrize(
    ("typed", "said"),
    [("-2", "-2 min is too low; it must be 0 or more"), ("601", "too high; it must be from 0")],
)
def test_a_whole_number_out_of_range_is_told_its_range(store, typed, said):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, patient_id="ben")
    logger.minutes.value = typed
    assert logger.save() is None
    assert said in logger.minutes.error.value
    assert "not a whole number" not in logger.minutes.error.value


def test_the_saved_message_names_the_patient_by_name(store):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, patient_id="ana")
    logger.pain_before.value = 2
    logger.save()
    text = logger.messages.children[0].value
    assert "Session saved for Ana on" in text and "for ana " not in text
