"""The workbook app: Build, Log, Progress and Questionnaires tabs over one store, wired together."""

from __future__ import annotations

import ipywidgets as widgets

from backlib.catalog import Catalog
from backlib.store import Store
from backlib.widgets.builder import RoutineBuilder
from backlib.widgets.common import stylesheet
from backlib.widgets.dashboard import ProgressDashboard
from backlib.widgets.logger import SessionLogger
from backlib.widgets.patient_bar import PatientBar
from backlib.widgets.questionnaires import QuestionnairePanel
from backlib.workbook import open_workbook_store

TAB_TITLES = ("Build a routine", "Log a session", "Progress", "Questionnaires")


class WorkbookApp(widgets.VBox):
    """The four front-ends in tabs, sharing one store and one current patient.

    The patient is chosen once, in the bar above the tabs, and every tab follows it: Build
    plans and keeps the programme for that patient, Log saves for that patient only,
    Progress and Questionnaires show that patient. A routine generated in Build (and what
    guided mode recorded) is ready to tick in Log; a saved session refreshes Progress; a saved
    questionnaire refreshes Progress.
    """

    def __init__(self, store: Store, *, catalog: Catalog | None = None) -> None:
        self.store = store
        self._pending: tuple | None = None
        self.patient_bar = PatientBar(store)
        self.builder = RoutineBuilder(store, catalog=catalog)
        self.builder.offer_log = True
        self.logger = SessionLogger(store)
        self.dashboard = ProgressDashboard(store, lazy=True)
        self.questionnaires = QuestionnairePanel(store)
        # The tabs' own patient pickers give way to the bar: one current patient.
        for row in (
            self.builder.patient_row,
            self.logger.patient,
            self.logger.new_patient_row,
            self.dashboard.patient_row,
            self.questionnaires.patient_row,
        ):
            row.layout.display = "none"
        self.tabs = widgets.Tab(
            children=[self.builder, self.logger, self.dashboard, self.questionnaires],
            titles=TAB_TITLES,
        )
        self.tabs.add_class("backlib-tabs")
        self.tabs.observe(self._tab_changed, names="selected_index")
        self.patient_bar.observe(self._patient_chosen, names="patient_id")
        self.builder.observe(self._routine_changed, names="routine")
        self.builder.guided.observe(self._guided_changed, names="children")
        self.logger.saved_session = None
        self.logger.observe(self._session_saved, names="saved_session")
        self.questionnaires.observe(self._questionnaire_saved, names="saved_questionnaire")
        super().__init__([stylesheet(), self.patient_bar, self.tabs])
        self.add_class("backlib-app")
        self._patient_chosen({"new": self.patient_bar.patient_id})

    @property
    def patient_id(self) -> str | None:
        """The app's current patient (None before one is chosen)."""
        return self.patient_bar.patient_id

    def _patient_chosen(self, change: dict) -> None:
        patient_id = change["new"]
        self._pending = None
        self.builder.choose_patient(patient_id)
        self.logger.choose_patient(patient_id)
        self.logger.set_routine(self.builder.routine)
        self.dashboard.choose_patient(patient_id)
        self.questionnaires.choose_patient(patient_id)

    def _tab_changed(self, change: dict) -> None:
        if change["new"] == TAB_TITLES.index("Log a session"):
            self._hand_over()
        if change["new"] == TAB_TITLES.index("Progress"):
            self.dashboard.show_now()

    def _hand_over(self) -> None:
        """Give the logger Build's routine and guided record, if they changed.

        Done when the Log tab opens, not on every Generate: the logger's rows are dozens of
        controls, and building them while the person waits for a routine would slow it down.
        """
        if self._pending is None:
            return
        routine, done = self._pending
        self._pending = None
        self.logger.set_routine(routine, done)

    def _routine_changed(self, change: dict) -> None:
        self._pending = (change["new"], None)
        if self.tabs.selected_index == TAB_TITLES.index("Log a session"):
            self._hand_over()

    def _guided_changed(self, change: dict) -> None:
        for session in change["new"]:
            session.observe(self._guided_progress, names="done")
            session.observe(self._guided_log, names="log_requested")

    def _guided_log(self, change: dict) -> None:
        """*Log this session*: what was done and the minutes measured go to the Log tab."""
        session = change["owner"]
        self._pending = None
        self.logger.set_routine(session.routine, session.done, session.log_minutes())
        self.tabs.selected_index = TAB_TITLES.index("Log a session")

    def _guided_progress(self, change: dict) -> None:
        self._pending = (self.builder.routine, change["new"])

    def _session_saved(self, change: dict) -> None:
        if change["new"] is not None:
            self.dashboard.choose_patient(self.patient_id)

    def _questionnaire_saved(self, change: dict) -> None:
        if change["new"] is not None:
            self.dashboard.choose_patient(self.patient_id)


def build_app(store_url: str | None = None) -> WorkbookApp:
    """The app over the store at store_url, else $BACKLIB_STORE, else the demo store.

    The demo store is created on first use, so the app always opens on something to show.
    """
    return WorkbookApp(open_workbook_store(store_url))
