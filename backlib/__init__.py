"""backlib: exercise routines for back pain — plan, log, follow progress, report.

Decision support for exercise, not a diagnosis.
"""

from __future__ import annotations

from backlib import startup  # noqa: F401  (first: skips a slow optional import)
from backlib.catalog import Catalog, Exercise, load_catalog
from backlib.constants import PAIN_AREAS
from backlib.errors import (
    BacklibError,
    CatalogError,
    RedFlagError,
    ReportError,
    RequestError,
    StoreError,
)
from backlib.planner import plan_routine
from backlib.routine import Routine, RoutineItem
from backlib.screening import RED_FLAGS
from backlib.store import Store, open_store

__all__ = [
    "PAIN_AREAS",
    "RED_FLAGS",
    "BacklibError",
    "Catalog",
    "CatalogError",
    "Exercise",
    "RedFlagError",
    "ReportError",
    "RequestError",
    "Routine",
    "RoutineItem",
    "Store",
    "StoreError",
    "load_catalog",
    "open_store",
    "plan_routine",
]
