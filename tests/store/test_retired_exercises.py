"""Retired exercise ids: the catalog lists what replaced them, stored sessions that name them keep
exporting and importing, and new sessions are pointed to the replacement."""

from __future__ import annotations

import pytest
from store_support import CATALOG_TOML, ENTRY_ROW, PATIENT_ROW, SESSION_ROW, YESTERDAY, write_import

from backlib.catalog import RetiredExercise, load_catalog
from backlib.errors import CatalogError, StoreError
from backlib.store import open_store

_RETIRED = """
[[retired]]
id = "knee-rocks"
replaced_by = "cat-cow"
reason = "Merged into cat-cow."
"""


@pytest.fixture
def retiring_catalog(tmp_path):
    path = tmp_path / "retiring.toml"
    path.write_text(CATALOG_TOML + _RETIRED, encoding="utf-8")
    return load_catalog(path)


def test_the_packaged_catalog_keeps_march_in_place_readable_as_walking():
    catalog = load_catalog()
    assert catalog.retired["march-in-place"].replaced_by == "walking"
    assert "march-in-place" not in catalog.ids and catalog.is_readable("march-in-place")


def test_a_retired_id_is_readable_but_not_an_exercise_of_the_catalog(retiring_catalog):
    assert retiring_catalog.retired == {
        "knee-rocks": RetiredExercise("knee-rocks", "cat-cow", "Merged into cat-cow.")
    }
    assert retiring_catalog.is_readable("knee-rocks")
    assert "knee-rocks" not in retiring_catalog and "knee-rocks" not in retiring_catalog.ids
    assert not retiring_catalog.is_readable("Knee-Rocks") and not retiring_catalog.is_readable(1)


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ('id = "cat-cow"\nreplaced_by = "glute-bridge"\nreason = "x"', "retired.id"),
        ('id = "old-one"\nreplaced_by = "no-such"\nreason = "x"', "retired.replaced_by"),
        ('id = "old-one"\nreplaced_by = "cat-cow"\nreason = ""', "retired.reason"),
        ('id = "old-one"\nreplaced_by = "cat-cow"\nreason = "x"\nwhen = 2020', "retired.when"),
    ],
)
def test_a_bad_retired_entry_names_the_id_and_the_field(tmp_path, table, field):
    path = tmp_path / "bad.toml"
    path.write_text(CATALOG_TOML + "\n[[retired]]\n" + table + "\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert caught.value.field == field


def test_entries_with_a_retired_id_import_and_export_again(store_url, retiring_catalog, tmp_path):
    folder = write_import(
        tmp_path / "in",
        patients=[PATIENT_ROW],
        sessions=[SESSION_ROW],
        entries=[{**ENTRY_ROW, "exercise_id": "knee-rocks"}],
    )
    with open_store(store_url, catalog=retiring_catalog) as store:
        assert store.import_csv(folder)["entries.csv"] == 1
        assert list(store.entries()["exercise_id"]) == ["knee-rocks"]
        store.export_csv(tmp_path / "out")
        assert set(store.import_csv(tmp_path / "out").values()) == {0}
    assert "knee-rocks" in (tmp_path / "out" / "entries.csv").read_text()


def test_a_new_session_with_a_retired_id_is_refused_naming_the_replacement(
    store_url, retiring_catalog
):
    with open_store(store_url, catalog=retiring_catalog) as store:
        store.add_patient("anna")
        with pytest.raises(StoreError, match="log 'cat-cow' instead") as caught:
            store.log_session("anna", when=YESTERDAY, done={"knee-rocks": {"completed": True}})
        assert caught.value.field == "exercise_id"
        assert store.sessions().empty
