"""The workbook app: Build, Log and Progress tabs over one store, wired to each other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import ipywidgets as widgets

from backlib.paths import DEMO_STORE_PATH
from backlib.widgets.builder import RoutineBuilder
from backlib.widgets.common import stylesheet
from backlib.widgets.dashboard import ProgressDashboard
from backlib.widgets.logger import SessionLogger

TAB_TITLES = ("Build a routine", "Log a session", "Progress")


class WorkbookApp(widgets.VBox):
    """The three front-ends in tabs, sharing one store.

    A routine generated in Build (and what guided mode recorded) is ready to tick in Log, with
    Build's patient chosen; a saved session refreshes Progress and the Build patient's doses.
    """

    def __init__(self, store: Any, *, catalog: Any = None) -> None:
        self.store = store
        self._pending: tuple | None = None
        self.builder = RoutineBuilder(store, catalog=catalog)
        self.logger = SessionLogger(store)
        self.dashboard = ProgressDashboard(store, lazy=True)
        self.tabs = widgets.Tab(
            children=[self.builder, self.logger, self.dashboard], titles=TAB_TITLES
        )
        self.tabs.add_class("backlib-tabs")
        self.tabs.observe(self._tab_changed, names="selected_index")
        self.builder.observe(self._routine_changed, names="routine")
        self.builder.guided.observe(self._guided_changed, names="children")
        self.logger.saved_session = None
        self.logger.observe(self._session_saved, names="saved_session")
        self.logger.add_patient_button.on_click(lambda _b: self._patients_changed())
        super().__init__([stylesheet(), self.tabs])
        self.add_class("backlib-app")

    def _tab_changed(self, change: dict) -> None:
        if change["new"] == TAB_TITLES.index("Log a session"):
            self._hand_over()
        if change["new"] == TAB_TITLES.index("Progress"):
            self.dashboard.show_now()

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

    def _patients_changed(self) -> None:
        current = self.builder.patient.value
        from backlib.widgets.builder import _patient_options

        self.builder.patient.options = _patient_options(self.store)
        self.builder.patient.value = current
        self.dashboard.refresh_patients(self.logger.patient.value)


def ensure_demo_store(url: str) -> bool:
    """Create the demo store when url is the demo store's file and it does not exist yet.

    Returns True when it was created. Any other store is left as it is, never filled with demo
    patients.
    """
    if not url.startswith("sqlite:///"):
        return False
    path = Path(url.removeprefix("sqlite:///"))
    if path.resolve() != DEMO_STORE_PATH.resolve() or path.exists():
        return False
    from backlib.demo import write_demo_store

    return write_demo_store(path)


def open_workbook_store(store_url: str | None = None) -> Any:
    """The store the notebooks work on: store_url, else $BACKLIB_STORE, else the demo store.

    A self-tracker points $BACKLIB_STORE (or `make lab STORE=...`) at their own file; without
    it the notebooks open the demo store, created from its fixed seed on first use.
    """
    from backlib.cli import app_store_url
    from backlib.store import open_store

    url = app_store_url(store_url)
    ensure_demo_store(url)
    return open_store(url)


def first_patient(store: Any) -> str | None:
    """The first patient of the store, or None in a new store (add one in the logger)."""
    ids = store.patients()["patient_id"]
    return str(ids.iloc[0]) if len(ids) else None


def build_app(store_url: str | None = None) -> WorkbookApp:
    """The app over the store at store_url, else $BACKLIB_STORE, else the demo store.

    The demo store is created on first use, so the app always opens on something to show.
    """
    return WorkbookApp(open_workbook_store(store_url))
