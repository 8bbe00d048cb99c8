"""Resource ids: name-based uuids of a record's kind and uid, the same on every export."""

from __future__ import annotations

import uuid

from backlib.fhir.ids import full_url, reference, resource_id


def test_the_same_record_always_gets_the_same_uuid():
    assert resource_id("session", "abc") == resource_id("session", "abc")
    assert uuid.UUID(resource_id("session", "abc")).version == 5


def test_different_kinds_or_records_get_different_uuids():
    ids = {
        resource_id("session", "abc"),
        resource_id("outcome", "abc"),
        resource_id("session", "abd"),
    }
    assert len(ids) == 3


def test_a_reference_names_the_full_url_and_the_type():
    resource = {"resourceType": "Patient", "id": resource_id("patient", "anna")}
    assert full_url(resource) == f"urn:uuid:{resource['id']}"
    assert reference(resource) == {"reference": full_url(resource), "type": "Patient"}
