"""Errors carry what they name (field, row, file) as data, not only in their message."""

from __future__ import annotations

import pytest

from backlib import open_store, plan_routine
from backlib.catalog import load_catalog
from backlib.errors import BacklibError, CatalogError, RedFlagError, RequestError, StoreError
from backlib.screening import RED_FLAGS


@pytest.mark.parametrize(
    ("request_args", "field"),
    [
        ({"areas": ["elbow"], "minutes": 20}, "areas"),
        ({"areas": ["neck"], "minutes": 200}, "minutes"),
        ({"areas": ["neck"], "minutes": 20, "level": "expert"}, "level"),
        ({"areas": ["neck"], "minutes": 20, "pain": 11}, "pain"),
        ({"areas": ["neck"], "minutes": 20, "equipment": ["rowing machine"]}, "equipment"),
        ({"areas": ["neck"], "minutes": 20, "weight_kg": 5}, "weight_kg"),
        ({"areas": ["neck"], "minutes": 20, "doses": {"no-such-exercise": {}}}, "doses"),
    ],
)
def test_a_bad_request_field_is_named_by_the_error(request_args, field):
    args = dict(request_args)
    with pytest.raises(RequestError) as caught:
        plan_routine(args.pop("areas"), args.pop("minutes"), **args)
    assert caught.value.field == field
    assert isinstance(caught.value, BacklibError)


def test_a_red_flag_error_names_the_red_flags_field():
    with pytest.raises(RedFlagError) as caught:
        plan_routine(["lower_back"], 20, red_flags=[next(iter(RED_FLAGS))])
    assert caught.value.field == "red_flags"


def test_a_store_refusal_names_its_field(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 's.db'}") as store:
        with pytest.raises(StoreError) as caught:
            store.add_patient("Not A Slug!")
        assert caught.value.field == "patient_id"
        store.add_patient("ana")
        with pytest.raises(StoreError) as caught:
            store.log_session("ana", None, pain_before=12)
        assert caught.value.field == "pain_before"


def test_a_catalog_error_names_the_exercise_the_field_and_the_file(tmp_path):
    broken = tmp_path / "exercises.toml"
    broken.write_text('[[exercise]]\nid = "bad-one"\nname = "Bad"\n', encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(broken)
    assert (caught.value.exercise_id, caught.value.field) == ("bad-one", "category")
    with pytest.raises(CatalogError) as caught:
        load_catalog(tmp_path / "missing.toml")
    assert caught.value.file == str(tmp_path / "missing.toml")


def test_a_refused_csv_import_names_the_file_row_and_column(tmp_path):
    with open_store(f"sqlite:///{tmp_path / 'a.db'}") as store:
        store.add_patient("ana")
        folder = tmp_path / "export"
        store.export_csv(folder)
    rows = (folder / "patients.csv").read_text(encoding="utf-8").splitlines()
    rows.append("Bad Id!,Bad,2026-01-01T00:00:00,,3")
    (folder / "patients.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    with open_store(f"sqlite:///{tmp_path / 'b.db'}") as store, pytest.raises(StoreError) as caught:
        store.import_csv(folder)
    assert caught.value.file == str(folder / "patients.csv")
    assert (caught.value.row, caught.value.field) == (3, "patient_id")
