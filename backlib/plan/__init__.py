"""Planning a session: request → eligible exercises → dose ladders → the model's best choice.

``plan_routine`` validates the request (:mod:`~backlib.plan.request`), screens red flags, keeps
the exercises that suit the person (:mod:`~backlib.plan.eligibility`), gives each a ladder of
doses inside its reviewed range (:mod:`~backlib.plan.doses`), and lets the solver
(:mod:`~backlib.plan.engine`) pick exercises, phases and doses that maximise the objective of
:mod:`~backlib.plan.model`. The result is a :class:`~backlib.plan.routine.Routine`, which prints
as a handout (:mod:`~backlib.plan.handout`).
"""

from __future__ import annotations

from backlib.plan.alternatives import alternatives
from backlib.plan.doses import TIME_UNIT_S, TRANSITION_S, DoseOption, dose_options, dose_seconds
from backlib.plan.handout import routine_html
from backlib.plan.planner import plan_routine
from backlib.plan.purpose import describe_purpose
from backlib.plan.request import PlanRequest, validate_request
from backlib.plan.routine import Routine, RoutineItem

__all__ = [
    "TIME_UNIT_S",
    "TRANSITION_S",
    "DoseOption",
    "PlanRequest",
    "Routine",
    "RoutineItem",
    "alternatives",
    "describe_purpose",
    "dose_options",
    "dose_seconds",
    "plan_routine",
    "routine_html",
    "validate_request",
]
