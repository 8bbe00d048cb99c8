"""Writing bundles: one patient's to a file, or every patient's into a folder, owner-only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from backlib.errors import RequestError
from backlib.fhir.bundle import patient_bundle, patient_ids
from backlib.private_files import private_folder, write_private_text
from backlib.store import Store

# The file name of a patient's bundle in an --all folder (patient ids are slugs, safe as names).
BUNDLE_SUFFIX = ".fhir.json"


def bundle_text(bundle: dict[str, Any]) -> str:
    """The bundle as the JSON a record system reads (UTF-8, indented for a person too)."""
    return json.dumps(bundle, indent=2, ensure_ascii=False) + "\n"


def write_bundle(
    store: Store,
    patient_id: str,
    path: str | Path,
    *,
    start: Any = None,
    end: Any = None,
    tz: str | dt.tzinfo | None = None,
) -> Path:
    """Write one patient's bundle to a file (owner-only, whole or not at all); returns it.

    Raises
    ------
    RequestError
        For a file whose folder does not exist (``field="fhir"``); and whatever
        ``patient_bundle`` raises, before anything is written.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise RequestError(f"--fhir: the folder {path.parent} does not exist", field="fhir")
    if path.is_dir():
        raise RequestError(f"--fhir: {path} is a folder; name a file, or use --all", field="fhir")
    bundle = patient_bundle(store, patient_id, start=start, end=end, tz=tz)
    write_private_text(path, bundle_text(bundle))
    return path


def write_all(
    store: Store,
    folder: str | Path,
    *,
    start: Any = None,
    end: Any = None,
    tz: str | dt.tzinfo | None = None,
) -> list[Path]:
    """Write every patient's bundle into a folder (made owner-only), ``<id>.fhir.json`` each.

    Every bundle is built and checked before the first is written, so a store with one bad
    record writes none.

    Raises
    ------
    RequestError
        For a folder that is a file (``field="fhir"``); and whatever ``patient_bundle`` raises.
    """
    target = Path(folder)
    if target.exists() and not target.is_dir():
        raise RequestError(f"--fhir: {target} is a file; --all needs a folder", field="fhir")
    texts = {
        patient_id: bundle_text(patient_bundle(store, patient_id, start=start, end=end, tz=tz))
        for patient_id in patient_ids(store)
    }
    target = private_folder(target)
    written = []
    for patient_id, text in texts.items():
        path = target / f"{patient_id}{BUNDLE_SUFFIX}"
        write_private_text(path, text)
        written.append(path)
    return written
