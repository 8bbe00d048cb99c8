"""The workbook app: its tabs hand the routine to the logger and a save to the dashboard."""

from __future__ import annotations

import backlib
from backlib.constants import PAIN_AREAS


def test_widgets_package_exports_the_front_ends():
    import backlib.widgets as w

    for name in (
        "BodyMap",
        "RoutineBuilder",
        "SessionLogger",
        "ProgressDashboard",
        "QuestionnairePanel",
        "build_app",
    ):
        assert hasattr(w, name)
    assert backlib.PAIN_AREAS == PAIN_AREAS


def test_app_hands_the_routine_to_the_logger_and_a_save_to_the_dashboard(store):
    from backlib.widgets import WorkbookApp

    app = WorkbookApp(store)
    assert [app.tabs.get_title(i) for i in range(4)] == [
        "Build a routine",
        "Log a session",
        "Progress",
        "Questionnaires",
    ]
    app.patient_bar.choice.value = "ben"
    app.builder.generate_button.click()
    assert app.logger.rows == [], "the logger is filled when its tab opens"
    app.tabs.selected_index = 1
    assert app.logger.routine is app.builder.routine
    assert app.logger.patient.value == "ben"
    assert len(app.logger.rows) == len(app.builder.routine.items)
    app.builder.guided_button.click()
    app.builder.guided.children[0].skip_button.click()
    app.tabs.selected_index = 0
    app.tabs.selected_index = 1
    first = app.builder.routine.items[0].exercise_id
    assert app.logger.rows[0].item.exercise_id == first
    assert app.logger.rows[0].completed.value is False
    app.logger.save_button.click()
    assert app.dashboard.count.value == "", "Progress is drawn only when its tab is opened"
    app.tabs.selected_index = 2
    assert app.dashboard.patient.value == "ben"
    assert app.dashboard.count.value == "1 session logged"


def test_build_app_opens_the_configured_store_and_lists_its_patients(store, monkeypatch):
    from backlib.widgets import build_app

    monkeypatch.setenv("BACKLIB_STORE", store.url)
    app = build_app()
    assert app.store.url == store.url
    ids = [value for _label, value in app.builder.patient.options]
    assert {"ana", "ben"} <= set(ids)
    assert [value for _label, value in app.logger.patient.options] == ["ana", "ben"]


def test_the_questionnaires_tab_follows_the_current_patient(store):
    from backlib.widgets import QuestionnairePanel, WorkbookApp

    app = WorkbookApp(store)
    assert isinstance(app.tabs.children[3], QuestionnairePanel)
    assert app.questionnaires.store is store
    app.patient_bar.choice.value = "ben"
    app.tabs.selected_index = 3
    assert app.questionnaires.patient.value == "ben"
    assert [value for _label, value in app.questionnaires.patient.options] == ["ana", "ben"]


# --- one current patient ------------------------------------------------------------------


def test_one_patient_chosen_in_the_bar_is_every_tabs_patient(store):
    from backlib.widgets import WorkbookApp

    app = WorkbookApp(store)
    assert app.patient_id is None, "no patient until one is chosen"
    assert "Nothing is saved" in app.patient_bar.current.value
    assert {app.logger.patient.value, app.questionnaires.patient.value} == {None}
    app.patient_bar.choice.value = "ben"
    assert app.builder.patient_id() == "ben"
    assert (app.logger.patient.value, app.dashboard.patient.value) == ("ben", "ben")
    assert app.questionnaires.patient.value == "ben"
    assert app.patient_bar.choice.label == "Ben", "shown by name"
    app.patient_bar.choice.value = ""
    assert app.builder.patient_id() is None and app.logger.patient.value is None


def test_without_a_patient_the_log_saves_nothing(store):
    from backlib.widgets import WorkbookApp

    app = WorkbookApp(store)
    app.builder.generate_button.click()
    app.tabs.selected_index = 1
    assert app.logger.save() is None
    assert "Choose a patient" in app.logger.errors["patient"].value
    assert store.sessions().empty


def test_a_new_patient_is_added_by_name_and_becomes_the_current_one(store):
    from backlib.widgets import WorkbookApp

    app = WorkbookApp(store)
    bar = app.patient_bar
    bar.new_button.click()
    bar.name.value = "Zoë Åberg"
    bar.weight.value = "61,5"
    assert bar.add() is None and "with a dot" in bar.errors.value, "nothing changed silently"
    bar.weight.value = "61.5"
    assert bar.add() == "zoe-aberg"
    assert app.patient_id == "zoe-aberg" and app.logger.patient.value == "zoe-aberg"
    row = store.patients().set_index("patient_id").loc["zoe-aberg"]
    assert (row["name"], row["weight_kg"]) == ("Zoë Åberg", 61.5)
    bar.new_button.click()
    bar.name.value = "Zoe Aberg"
    assert bar.add() == "zoe-aberg-2", "a second person of that name gets an id of their own"


def test_just_me_is_a_profile_in_ones_own_store_and_never_in_the_demo_store(store, monkeypatch):
    from backlib.widgets import WorkbookApp
    from backlib.widgets.patient_bar import JUST_ME_ID, PatientBar

    app = WorkbookApp(store)
    bar = app.patient_bar
    assert bar.me_button.layout.display is None, "offered in one's own store"
    bar.me_button.click()
    assert bar.add() == JUST_ME_ID
    assert bar.choice.options[1] == ("Me (just me)", JUST_ME_ID), "listed first"
    assert bar.me_button.layout.display == "none", "set up once"
    monkeypatch.setattr("backlib.widgets.patient_bar.is_demo_store", lambda url: True)
    demo_bar = PatientBar(store)
    assert demo_bar.me_button not in demo_bar.children[0].children
    assert "Demo store" in demo_bar.children[1].value


def test_the_log_gets_the_whole_minutes_the_guided_clock_measured(store):
    from backlib.widgets import WorkbookApp

    app = WorkbookApp(store)
    app.patient_bar.choice.value = "ana"
    app.builder.generate_button.click()
    session = app.builder.start_guided()
    assert app.builder.result.layout.display == "none", "the routine's cards give way"
    clock = 0.0
    for _ in app.builder.routine.items:
        clock += 70.0  # the clock ran on every exercise, Done pressed on each
        session.countdown.elapsed_s = clock
        session.done_button.click()
    session.log_button.click()
    assert app.logger.minutes.value == str(round(clock / 60))
    assert all(row.completed.value for row in app.logger.rows)


def test_closing_the_guided_session_shows_the_routine_again(store):
    from backlib.widgets import WorkbookApp

    app = WorkbookApp(store)
    app.builder.generate_button.click()
    session = app.builder.start_guided()
    session.close_button.click()
    assert app.builder.guided.children == ()
    assert app.builder.result.layout.display is None
    assert "backlib-item" in app.builder.routine_view.value


def test_the_demo_store_refuses_a_new_patient_and_says_how_to_open_ones_own(tmp_path, monkeypatch):
    from backlib import demo
    from backlib.widgets import patient_bar

    demo_path = tmp_path / "demo.db"
    store = backlib.open_store(f"sqlite:///{demo_path}")
    demo.make_demo(store)
    before = set(store.patients()["patient_id"])
    # This file stands for data/demo/demo.db.
    real_check = demo.is_demo_store
    monkeypatch.setattr(
        patient_bar, "is_demo_store", lambda url: real_check(url, demo_path=demo_path)
    )
    bar = patient_bar.PatientBar(store)
    monkeypatch.undo()
    assert bar.demo
    bar.new_button.click()
    assert bar.form.layout.display == "none", "no form to fill in"
    said = bar.messages.children[0].value
    assert "synthetic patients only" in said and "backlib app --own" in said
    bar.name.value = "Real Person"
    assert bar.add() is None
    assert set(store.patients()["patient_id"]) == before
