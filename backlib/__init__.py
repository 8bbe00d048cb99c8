"""backlib: exercise routines for back pain — plan, log, follow progress, report.

Decision support for exercise, not a diagnosis.

The stages are subpackages: :mod:`backlib.plan` (request → routine), :mod:`backlib.store`
(patients, sessions, entries, outcomes), :mod:`backlib.progress` (weeks, assessment, flags),
:mod:`backlib.charts` and :mod:`backlib.report`; the pain-monitoring model is
:mod:`backlib.progression` and the safety screen :mod:`backlib.screening`.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING, Any

# First, before anything pulls in the notebook stack: jsonschema (via nbformat, so papermill,
# nbconvert and the report pipeline) imports rfc3987_syntax when installed, only to check "iri"
# strings, and that import builds a parser in ~3 s. Nothing here validates iri formats, so the
# optional module is marked absent (unless already imported) and jsonschema skips that check.
sys.modules.setdefault("rfc3987_syntax", None)

from backlib.catalog import Catalog, Exercise, load_catalog  # noqa: E402
from backlib.constants import PAIN_AREAS  # noqa: E402
from backlib.errors import (  # noqa: E402
    BacklibError,
    CatalogError,
    RedFlagError,
    ReportError,
    RequestError,
    StoreError,
)
from backlib.plan.planner import plan_routine  # noqa: E402
from backlib.plan.routine import Routine, RoutineItem  # noqa: E402
from backlib.readiness import READINESS_TOPICS  # noqa: E402
from backlib.screening import RED_FLAGS  # noqa: E402

if TYPE_CHECKING:
    from backlib.programme import Programme
    from backlib.store import Store, open_store

# The store pulls in pandas and SQLAlchemy (most of a second): it is imported on first use, so
# `import backlib` and the `backlib` command start quickly (PEP 562 module __getattr__).
_LAZY = {
    "Store": "backlib.store",
    "open_store": "backlib.store",
    "Programme": "backlib.programme",  # its sheet and calendar pull in pandas and icalendar
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'backlib' has no attribute {name!r}")


__all__ = [
    "PAIN_AREAS",
    "READINESS_TOPICS",
    "RED_FLAGS",
    "BacklibError",
    "Catalog",
    "CatalogError",
    "Exercise",
    "Programme",
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
