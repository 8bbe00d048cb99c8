"""Progress reports: notebooks/report.ipynb run per patient, exported to offline HTML and PDF.

:mod:`~backlib.report.batch` runs one patient or a whole store in worker processes and writes
the index; :mod:`~backlib.report.data` gathers what a report shows;
:mod:`~backlib.report.html_parts` writes its escaped HTML pieces; :mod:`~backlib.report.offline`
holds the pages' Content-Security-Policy and load check; :mod:`~backlib.report.pipeline` is
papermill → nbconvert → Chromium.
"""

from __future__ import annotations

import importlib
from typing import Any

# Each public name and the module that holds it. Imported on first use (import time): the
# report's kernel imports backlib.report.data and html_parts, and must not pay for nbconvert and
# papermill, which only the batch uses.
_HOMES = {
    "INDEX_NAME": "batch",
    "REPORT_NOTEBOOK": "batch",
    "BatchResult": "batch",
    "check_patient_id": "batch",
    "output_path": "batch",
    "render": "batch",
    "render_all": "batch",
    "ReportData": "data",
    "load_headline": "data",
    "load_report": "data",
    "parse_period": "data",
    "store_url_for_kernel": "data",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'backlib.report' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"backlib.report.{home}"), name)
    globals()[name] = value
    return value
