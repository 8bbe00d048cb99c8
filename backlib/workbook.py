"""What the notebooks and the app call to open the workbook's store and pick a patient.

The workbook's store is, in order: the URL given, ``$BACKLIB_STORE`` (``make lab STORE=...``
sets it), else the demo store, which is created from its fixed seed on first use.
"""

from __future__ import annotations

from backlib.demo import ensure_demo_store
from backlib.paths import resolve_store_url
from backlib.store import Store, open_store


def workbook_store_url(store_url: str | None = None) -> str:
    """The workbook's store URL: store_url, else $BACKLIB_STORE, else the demo store."""
    return resolve_store_url(store_url, fallback="demo")


def open_workbook_store(store_url: str | None = None) -> Store:
    """Open the workbook's store (the demo store is made on first use; no other is filled)."""
    url = workbook_store_url(store_url)
    ensure_demo_store(url)
    return open_store(url)


def first_patient(store: Store) -> str | None:
    """The first patient of the store, or None in a new store (add one in the logger)."""
    ids = store.patients()["patient_id"]
    return str(ids.iloc[0]) if len(ids) else None


def patient_with_programme(store: Store) -> str | None:
    """The first patient who has a programme (the demo's all do), else the first patient."""
    history = store.programmes()
    if len(history):
        return str(history["patient_id"].iloc[0])
    return first_patient(store)
