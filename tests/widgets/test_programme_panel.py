"""The programme in Build: today's session of it, edits by hand, moving on by the pain log,
explicit versions, the sheet and the calendar; the Log tab logs against the version."""

from __future__ import annotations

import base64
import datetime as dt
import re

import icalendar
import pytest

import backlib
from backlib.widgets import RoutineBuilder, WorkbookApp


@pytest.fixture
def with_programme(store, planned):
    store.save_programme("ana", planned, by="JK", note="first visit")
    return store


def _builder(store, patient_id="ana"):
    builder = RoutineBuilder(store)
    builder.patient.value = patient_id
    return builder, builder.programme_panel


def _open_editor(panel, index=0):
    exercise_id = panel._shown().items[index].exercise_id
    panel._toggle(exercise_id)
    editors = [c for c in panel.items_box.children if "backlib-programme-editor" in c._dom_classes]
    assert len(editors) == 1, "one editor open at a time"
    return exercise_id, editors[0]


def _editor_parts(editor):
    swap_row, _hint, dose_row = editor.children
    swap_choice, swap, remove = swap_row.children
    fields = {
        box.children[-1]._dom_classes[0].rsplit("-", 1)[-1]: box.children[-1]
        for box in dose_row.children[:-1]
    }
    return swap_choice, swap, remove, fields, dose_row.children[-1]


def test_a_patient_with_a_programme_opens_on_todays_session_of_it(with_programme, planned):
    builder, panel = _builder(with_programme)
    assert panel.summary.value.startswith("Programme v1, first planned on ")
    assert "by JK: first visit" in panel.summary.value
    assert builder.routine is not None and builder.routine.programme_version == 1
    assert [i.exercise_id for i in builder.routine.items] == [i.exercise_id for i in planned.items]
    assert "Today&#x27;s session of programme v1" in builder.messages.children[0].value
    assert panel.save_button.disabled, "nothing to save until something changes"


def test_a_patient_without_a_programme_can_save_a_generated_routine_as_version_1(store):
    builder, panel = _builder(store, "ben")
    assert "No programme yet" in panel.summary.value
    builder.generate()
    assert not panel.save_button.disabled and panel.save_button.description.endswith("(v1)")
    panel.by.value = "JK"
    panel.save_button.click()
    saved = store.programme("ben")
    assert (saved.version, saved.reason, saved.by) == (1, "planned", "JK")
    assert saved.exercise_ids == tuple(i.exercise_id for i in builder.routine.items)
    assert builder.routine.programme_version == 1, "today's session of the saved programme"


def test_generating_for_a_patient_with_a_programme_is_an_explicit_replan(with_programme):
    builder, panel = _builder(with_programme)
    builder.minutes.value = 10
    builder.generate()
    assert builder.routine.programme_version is None, "a new plan, not yet the programme"
    assert panel.save_button.description == "Save the re-plan (v2)"
    panel.save_button.click()
    assert with_programme.programme("ana").reason == "replanned"
    assert with_programme.programme("ana", 1).reason == "planned", "the old version is kept"


def test_swap_offers_allowed_alternatives_and_saves_a_new_version(with_programme):
    builder, panel = _builder(with_programme)
    old_id, editor = _open_editor(panel, 1)
    choice, swap, _remove, _fields, _set = _editor_parts(editor)
    assert choice.options and all(
        value not in panel.current.exercise_ids for _label, value in choice.options
    )
    new_id = choice.options[0][1]
    swap.click()
    assert panel.draft.reason == "edited" and new_id in panel.draft.exercise_ids
    assert "swapped" in panel.draft.note and old_id not in panel.draft.exercise_ids
    panel.save_button.click()
    assert with_programme.programme("ana").version == 2
    assert new_id in [item.exercise_id for item in builder.routine.items], "today's session"


def test_remove_and_discard_leave_the_saved_programme_as_it_was(with_programme):
    _b, panel = _builder(with_programme)
    before = panel.current
    removed, editor = _open_editor(panel, 0)
    _editor_parts(editor)[2].click()
    assert removed not in panel.draft.exercise_ids
    panel.discard_button.click()
    assert panel.draft is None and panel._shown() == before
    assert with_programme.programme("ana").version == 1


@pytest.mark.parametrize("typed", ["2.5", "-2", "ten", ""])
def test_a_dose_that_is_not_a_whole_number_is_refused_with_a_message(with_programme, typed):
    _b, panel = _builder(with_programme)
    _id, editor = _open_editor(panel, 1)
    _c, _s, _r, fields, set_dose = _editor_parts(editor)
    next(iter(fields.values())).value = typed
    set_dose.click()
    assert panel.draft is None, "nothing changed"
    assert "write a whole number" in panel.messages.children[0].value


def test_a_dose_outside_the_catalog_range_is_refused_naming_the_exercise(with_programme):
    _b, panel = _builder(with_programme)
    exercise_id, editor = _open_editor(panel, 1)
    _c, _s, _r, fields, set_dose = _editor_parts(editor)
    next(iter(fields.values())).value = "99"
    set_dose.click()
    assert panel.draft is None
    assert exercise_id in panel.messages.children[0].value


def test_a_dose_inside_the_range_is_a_new_version_with_its_change_in_words(with_programme):
    _b, panel = _builder(with_programme)
    exercise_id, editor = _open_editor(panel, 1)
    _c, _s, _r, fields, set_dose = _editor_parts(editor)
    span = getattr(backlib.load_catalog()[exercise_id].dose, next(iter(fields)))
    next(iter(fields.values())).value = str(span.min)
    set_dose.click()
    assert "→" in panel.draft.note
    panel.save_button.click()
    saved = with_programme.programme("ana")
    assert getattr(saved.items[1], next(iter(fields))) == span.min


def test_moving_on_after_a_painful_session_lowers_the_load_and_adds_nothing(with_programme):
    builder, panel = _builder(with_programme)
    today = builder.routine
    for days_ago, during in ((3, 2), (1, 7)):
        with_programme.log_session(
            "ana",
            today,
            when=dt.datetime.now() - dt.timedelta(days=days_ago),
            pain_before=2,
            pain_during=during,
            pain_after=2,
        )
    draft = panel.move_on()
    assert draft is not None and draft.exercise_ids == panel.current.exercise_ids
    assert draft.total_seconds < panel.current.total_seconds
    assert "eased back" in panel.decisions.value
    assert "GREEN" not in panel.decisions.value and "RED" not in panel.decisions.value
    panel.save_button.click()
    assert with_programme.programme("ana").reason == "progressed"


def test_the_bad_day_session_is_the_gentle_version_and_leaves_the_programme(with_programme):
    builder, panel = _builder(with_programme)
    panel.gentle_button.click()
    assert builder.routine.pain >= 7 and builder.routine.programme_version == 1
    assert any("gentle version" in note for note in builder.routine.notes)
    assert with_programme.programme("ana").version == 1
    shown = " ".join(message.value for message in builder.messages.children)
    assert "in its gentle version" in shown, "introduced as what it is"
    assert "the same exercises at the programme's doses" not in shown


def test_a_new_frequency_is_saved_as_a_version(with_programme):
    _b, panel = _builder(with_programme)
    panel.days.value = 2
    assert panel.draft is not None and panel.draft.days_per_week == 2
    panel.save_button.click()
    assert with_programme.programme("ana").days_per_week == 2


def test_the_calendar_and_the_sheet_download_inline_with_nothing_fetched(with_programme):
    _b, panel = _builder(with_programme)
    links = dict(
        re.findall(r'href="data:([a-z/]+);charset=utf-8;base64,([^"]+)"', panel.calendar.value)
    )
    calendar = icalendar.Calendar.from_ical(base64.b64decode(links["text/calendar"]))
    assert calendar.walk("VEVENT")
    sheet = base64.b64decode(links["text/html"]).decode("utf-8")
    assert "Ana" in sheet and "Stop if" in sheet and "http" not in sheet


def test_without_a_patient_nothing_can_be_saved(store):
    builder, panel = _builder(store, "__none__")
    builder.generate()
    assert "Choose a patient" in panel.summary.value
    assert panel.save_row.layout.display == "none" and panel.draft is None


def test_the_log_tab_logs_against_the_programme_version(with_programme):
    app = WorkbookApp(with_programme)
    app.patient_bar.choice.value = "ana"
    app.tabs.selected_index = 1
    assert "programme v1" in app.logger.items_box.children[0].value
    app.logger.save_button.click()
    assert list(with_programme.sessions("ana")["programme_version"]) == [1]


def test_the_progress_tab_shows_the_programme_history(with_programme):
    from backlib.widgets.dashboard import ProgressDashboard

    first = with_programme.programme("ana")
    with_programme.save_programme("ana", first.remove(first.exercise_ids[0]), by="JK")
    board = ProgressDashboard(with_programme, patient_id="ana")
    table = board.programme.value
    assert table.index(">v2</td>") < table.index(">v1</td>"), "newest first"
    assert "changed by hand (by JK)" in table and "removed " in table


def test_a_ticked_stop_flag_pauses_the_programme_until_it_is_unticked(with_programme):
    builder, panel = _builder(with_programme)
    assert builder.routine is not None and not panel.today_button.disabled
    builder.generate()  # a re-plan on offer: "Save the re-plan" is enabled
    assert not panel.save_button.disabled
    flag = next(iter(builder.red_flags.values()))
    flag.value = True  # no Generate pressed
    assert builder.routine is None and builder.routine_view.value == ""
    controls = (panel.today_button, panel.gentle_button, panel.progress_button, panel.save_button)
    assert all(button.disabled for button in controls)
    assert "none" == panel.items_box.layout.display == panel.actions.layout.display
    assert panel.save_row.layout.display == "none"
    assert "Paused by the safety answers" in panel.pause_note.value
    assert panel.start_today() is None and panel.save() is None, "refused, not only hidden"
    assert builder.reveal.selector == ".backlib-screen-alert .backlib-alert"
    assert builder.reveal.focus and builder.reveal.count >= 1, "the alert is brought into view"
    flag.value = False
    assert not panel.today_button.disabled and panel.items_box.layout.display is None
    assert panel.pause_note.value == ""
    panel.today_button.click()
    assert builder.routine is not None and builder.routine.programme_version == 1


def test_another_patient_starts_from_a_fresh_form_with_their_stored_weight(with_programme):
    from backlib.widgets import WorkbookApp

    app = WorkbookApp(with_programme)
    builder = app.builder
    app.patient_bar.choice.value = "ana"
    builder.age.value, builder.weight.value = "34", "58"
    builder.pain.value = 7
    builder.body_map.value = ["neck"]
    builder.conditions["pregnancy"].value = True
    next(iter(builder.readiness.values())).value = True
    next(iter(builder.red_flags.values())).value = True
    app.patient_bar.choice.value = "ben"
    assert builder.patient_id() == "ben"
    assert (builder.age.value, builder.weight.value, builder.pain.value) == ("", "", 3)
    assert builder.body_map.value == ["lower_back"]
    assert not any(box.value for box in builder.conditions.values())
    assert not builder.selected_readiness() and not builder.selected_red_flags()
    assert builder.alert_box.children == () and builder.routine is None
    app.patient_bar.choice.value = "ana"
    assert builder.weight.value == "64", "the stored profile fills in the weight"
    assert builder.routine is not None, "ana's programme opens on today's session"
