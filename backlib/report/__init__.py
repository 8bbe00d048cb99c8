"""Progress reports: notebooks/report.ipynb run per patient, exported to offline HTML and PDF.

:mod:`~backlib.report.batch` runs one patient or a whole store in worker processes and writes
the index; :mod:`~backlib.report.data` gathers what a report shows;
:mod:`~backlib.report.html_parts` writes its escaped HTML pieces; :mod:`~backlib.report.offline`
holds the pages' Content-Security-Policy and load check; :mod:`~backlib.report.pipeline` is
papermill → nbconvert → Chromium.
"""

from __future__ import annotations

from backlib.report.batch import (
    INDEX_NAME,
    REPORT_NOTEBOOK,
    BatchResult,
    check_patient_id,
    output_path,
    render,
    render_all,
)
from backlib.report.data import (
    ReportData,
    load_headline,
    load_report,
    parse_period,
    store_url_for_kernel,
)

__all__ = [
    "INDEX_NAME",
    "REPORT_NOTEBOOK",
    "BatchResult",
    "ReportData",
    "check_patient_id",
    "load_headline",
    "load_report",
    "output_path",
    "parse_period",
    "render",
    "render_all",
    "store_url_for_kernel",
]
