"""The workbook app: Build, Log, Progress and Questionnaires tabs over one store, wired together."""

from __future__ import annotations

import ipywidgets as widgets

from backlib.catalog import Catalog
from backlib.store import Store
from backlib.widgets.builder import RoutineBuilder, patient_choices
from backlib.widgets.common import stylesheet
from backlib.widgets.dashboard import ProgressDashboard
from backlib.widgets.logger import SessionLogger
from backlib.widgets.questionnaires import QuestionnairePanel
from backlib.workbook import open_workbook_store

TAB_TITLES = ("Build a routine", "Log a session", "Progress", "Questionnaires")


class WorkbookApp(widgets.VBox):
    """The four front-ends in tabs, sharing one store.

    A routine generated in Build (and what guided mode recorded) is ready to tick in Log, with
    Build's patient chosen; a saved session refreshes Progress and the Build patient's doses.
    Questionnaires opens on Build's patient (else the logger's); a saved one refreshes Progress.
    """

    def __init__(self, store: Store, *, catalog: Catalog | None = None) -> None:
        self.store = store
        self._pending: tuple | None = None
        self.builder = RoutineBuilder(store, catalog=catalog)
        self.logger = SessionLogger(store)
        self.dashboard = ProgressDashboard(store, lazy=True)
        self.questionnaires = QuestionnairePanel(store)
        self.tabs = widgets.Tab(
            children=[self.builder, self.logger, self.dashboard, self.questionnaires],
            titles=TAB_TITLES,
        )
        self.tabs.add_class("backlib-tabs")
        self.tabs.observe(self._tab_changed, names="selected_index")
        self.builder.observe(self._routine_changed, names="routine")
        self.builder.guided.observe(self._guided_changed, names="children")
        self.logger.saved_session = None
        self.logger.observe(self._session_saved, names="saved_session")
        self.questionnaires.observe(self._questionnaire_saved, names="saved_questionnaire")
        self.logger.add_patient_button.on_click(lambda _b: self._patients_changed())
        super().__init__([stylesheet(), self.tabs])
        self.add_class("backlib-app")

    def _tab_changed(self, change: dict) -> None:
        if change["new"] == TAB_TITLES.index("Log a session"):
            self._hand_over()
        if change["new"] == TAB_TITLES.index("Progress"):
            self.dashboard.show_now()
        if change["new"] == TAB_TITLES.index("Questionnaires"):
            self.questionnaires.refresh_patients(
                self.builder.patient_id() or self.logger.patient.value
            )

    def _hand_over(self) -> None:
        """Give the logger Build's routine, patient and guided record, if they changed.

        Done when the Log tab opens, not on every Generate: the logger's rows are dozens of
        controls, and building them while the person waits for a routine would slow it down.
        """
        if self._pending is None:
            return
        routine, done, patient_id = self._pending
        self._pending = None
        if patient_id:
            self.logger.refresh_patients(patient_id)
        self.logger.set_routine(routine, done)

    def _routine_changed(self, change: dict) -> None:
        self._pending = (change["new"], None, self.builder.patient_id())
        if self.tabs.selected_index == TAB_TITLES.index("Log a session"):
            self._hand_over()

    def _guided_changed(self, change: dict) -> None:
        for session in change["new"]:
            session.observe(self._guided_progress, names="done")

    def _guided_progress(self, change: dict) -> None:
        self._pending = (self.builder.routine, change["new"], self.builder.patient_id())

    def _session_saved(self, change: dict) -> None:
        if change["new"] is None:
            return
        self.dashboard.refresh_patients(self.logger.patient.value)

    def _questionnaire_saved(self, change: dict) -> None:
        if change["new"] is not None:
            self.dashboard.refresh_patients(self.questionnaires.patient.value)

    def _patients_changed(self) -> None:
        current = self.builder.patient.value
        self.builder.patient.options = patient_choices(self.store)
        self.builder.patient.value = current
        self.dashboard.refresh_patients(self.logger.patient.value)
        self.questionnaires.refresh_patients()


def build_app(store_url: str | None = None) -> WorkbookApp:
    """The app over the store at store_url, else $BACKLIB_STORE, else the demo store.

    The demo store is created on first use, so the app always opens on something to show.
    """
    return WorkbookApp(open_workbook_store(store_url))
