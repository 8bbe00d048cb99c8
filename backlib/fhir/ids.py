"""Resource ids: the same store record gets the same ``urn:uuid:`` in every export.

Each id is a name-based uuid (uuid5) of the record's kind and its store uid (or the patient's
id), so a re-export, or an export of the same records after a CSV move to another store, names
every resource as before and a record system can recognise what it already holds.
"""

from __future__ import annotations

import uuid

# backlib's namespace for FHIR resource ids (a fixed random uuid; never change it, or every
# earlier export's ids stop matching).
NAMESPACE = uuid.UUID("3c5b7a52-5f0e-4d4e-9a8b-2f6d1c0e9b71")
URN_PREFIX = "urn:uuid:"


def resource_id(kind: str, *parts: object) -> str:
    """The uuid of one resource, from its kind (``patient``, ``session``...) and store keys."""
    return str(uuid.uuid5(NAMESPACE, "|".join([kind, *(str(part) for part in parts)])))


def full_url(resource: dict) -> str:
    """The bundle entry's fullUrl of a resource (``urn:uuid:`` and its id)."""
    return f"{URN_PREFIX}{resource['id']}"


def reference(resource: dict) -> dict[str, str]:
    """A Reference to a resource of the same bundle, by its fullUrl."""
    return {"reference": full_url(resource), "type": resource["resourceType"]}
