"""The session store: patients, sessions, per-exercise entries and outcome scores.

``open_store(url)`` gives a :class:`Store` on SQLite (one person, a demo) or PostgreSQL (a
clinic). The schema and its migrations, value checks, frames, connections and the CSV format
each have their own module here.
"""

from __future__ import annotations

from backlib.store.csv_format import FILES, CsvExportError, CsvImportError
from backlib.store.csv_import import ImportProgress
from backlib.store.engine import StoreBusyError, mask_password
from backlib.store.preflight import check_store
from backlib.store.store import Store, open_store

__all__ = [
    "FILES",
    "CsvExportError",
    "CsvImportError",
    "ImportProgress",
    "Store",
    "StoreBusyError",
    "check_store",
    "mask_password",
    "open_store",
]
