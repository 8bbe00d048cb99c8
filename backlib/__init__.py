"""backlib: exercise routines for back pain — plan, log, follow progress, report.

Decision support for exercise, not a diagnosis.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from backlib.store import Store, open_store

# The store pulls in pandas and SQLAlchemy (most of a second): it is imported on first use,
# so `import backlib` and the `backlib` command start quickly (PEP 562 module __getattr__).
_LAZY = {"Store": "backlib.store", "open_store": "backlib.store"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'backlib' has no attribute {name!r}")


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
