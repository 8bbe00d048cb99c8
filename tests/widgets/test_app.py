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
    app.builder.patient.value = "ben"
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


def test_the_questionnaires_tab_opens_on_the_build_patient(store):
    from backlib.widgets import QuestionnairePanel, WorkbookApp

    app = WorkbookApp(store)
    assert isinstance(app.tabs.children[3], QuestionnairePanel)
    assert app.questionnaires.store is store
    app.builder.patient.value = "ben"
    app.tabs.selected_index = 3
    assert app.questionnaires.patient.value == "ben"
    assert [value for _label, value in app.questionnaires.patient.options] == ["ana", "ben"]
