"""The session logger: what was done, pain scores and next-morning pain, errors by their field."""

from __future__ import annotations

import datetime as dt


def test_logger_saves_what_was_done_and_the_pain_scores(store, planned):
    from backlib.widgets import SessionLogger

    logger = SessionLogger(store, routine=planned, patient_id="ben")
    assert logger.pain_before.value == 4  # today's pain from the routine request
    first, second = logger.rows[0], logger.rows[1]
    second.completed.value = False
    first.sets.value = 1
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
    logger.save()
    assert len(store.sessions("ana")) == 1


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
    assert "patient_id" in logger.errors["patient"].value
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
