"""ipywidgets front-ends: they wire controls to backlib's functions and show the results."""

from __future__ import annotations

from backlib.widgets.app import WorkbookApp, build_app
from backlib.widgets.body_map import BodyMap
from backlib.widgets.builder import RoutineBuilder
from backlib.widgets.dashboard import ProgressDashboard
from backlib.widgets.guided import Countdown, GuidedSession
from backlib.widgets.logger import SessionLogger
from backlib.widgets.questionnaires import QuestionnairePanel

__all__ = [
    "BodyMap",
    "Countdown",
    "GuidedSession",
    "ProgressDashboard",
    "QuestionnairePanel",
    "RoutineBuilder",
    "SessionLogger",
    "WorkbookApp",
    "build_app",
]
