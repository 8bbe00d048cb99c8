"""Progress over weeks: weekly figures, assessment with its flags, outcomes, flare-ups, minutes,
and the programme's history.

Every function takes the plain frames a store returns (``Store.sessions``, ``entries``,
``outcomes``), so the analytics run and test without a store.
"""

from __future__ import annotations

from backlib.progress.assessment import (
    FLAG_RULES,
    Assessment,
    Flag,
    assess,
    is_meaningful_drop,
    meaningful_drop_points,
)
from backlib.progress.flare_ups import FLARE_UP_COLUMNS, flare_up_exercises
from backlib.progress.minutes import entry_seconds, numeric_column
from backlib.progress.outcomes import (
    OUTCOME_CHANGE_COLUMNS,
    OUTCOME_MEASURE_COLUMNS,
    outcome_changes,
    outcome_measures_frame,
)
from backlib.progress.programme_history import (
    PROGRAMME_HISTORY_COLUMNS,
    SESSIONS_BY_VERSION_COLUMNS,
    programme_history,
    sessions_by_version,
)
from backlib.progress.weekly import WEEKLY_COLUMNS, next_morning_rising, weekly_summary

__all__ = [
    "FLAG_RULES",
    "FLARE_UP_COLUMNS",
    "OUTCOME_CHANGE_COLUMNS",
    "OUTCOME_MEASURE_COLUMNS",
    "PROGRAMME_HISTORY_COLUMNS",
    "SESSIONS_BY_VERSION_COLUMNS",
    "WEEKLY_COLUMNS",
    "Assessment",
    "Flag",
    "assess",
    "entry_seconds",
    "flare_up_exercises",
    "is_meaningful_drop",
    "meaningful_drop_points",
    "next_morning_rising",
    "numeric_column",
    "outcome_changes",
    "outcome_measures_frame",
    "programme_history",
    "sessions_by_version",
    "weekly_summary",
]
