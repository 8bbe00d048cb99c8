"""Writing bundles: owner-only files whole, every patient into a folder, nothing written for an
invalid bundle; and the `backlib export --fhir` command with its exit codes."""

from __future__ import annotations

import json
import stat

import pytest
from fhir_support import ZONE

import backlib.fhir.export as fhir_export
from backlib.cli import main
from backlib.errors import ExportError, RequestError
from backlib.fhir import write_all, write_bundle


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_bundle_file_is_json_readable_by_its_owner_only(clinic, tmp_path):
    path = write_bundle(clinic, "anna", tmp_path / "anna.json", tz=ZONE)
    assert _mode(path) == 0o600
    assert json.loads(path.read_text(encoding="utf-8"))["resourceType"] == "Bundle"


def test_all_writes_one_bundle_per_patient_into_an_owner_only_folder(clinic, tmp_path):
    paths = write_all(clinic, tmp_path / "bundles", tz=ZONE)
    assert [p.name for p in paths] == ["anna.fhir.json", "ben.fhir.json"]
    assert _mode(tmp_path / "bundles") == 0o700
    assert all(_mode(p) == 0o600 for p in paths)


def test_an_invalid_bundle_is_not_written(clinic, tmp_path, monkeypatch):
    def broken(*args, **kwargs):
        raise ExportError("the FHIR bundle is not valid, so it was not written", field="x")

    monkeypatch.setattr(fhir_export, "patient_bundle", broken)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ExportError):
        write_bundle(clinic, "anna", out / "anna.json")
    with pytest.raises(ExportError):
        write_all(clinic, out / "bundles")
    assert list(out.iterdir()) == [], "no file, no folder, no temporary file"


def test_a_file_in_a_missing_folder_or_a_folder_for_a_file_is_refused(clinic, tmp_path):
    with pytest.raises(RequestError) as caught:
        write_bundle(clinic, "anna", tmp_path / "nowhere" / "anna.json")
    assert caught.value.field == "fhir"
    with pytest.raises(RequestError):
        write_bundle(clinic, "anna", tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(RequestError):
        write_all(clinic, tmp_path / "file")


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_the_command_writes_one_patients_bundle_for_a_period(clinic, store_url, tmp_path, capsys):
    out = tmp_path / "anna.json"
    args = ["export", "--fhir", str(out), "--patient", "anna", "--store", store_url]
    assert main([*args, "--start", "2025-07-01", "--end", "2025-07-31", "--tz", ZONE]) == 0
    assert "FHIR R4 bundle of anna" in capsys.readouterr().out
    bundle = json.loads(out.read_text(encoding="utf-8"))
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("QuestionnaireResponse") == 1 and _mode(out) == 0o600


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_the_command_with_all_writes_every_patient(clinic, store_url, tmp_path, capsys):
    folder = tmp_path / "out"
    assert main(["export", "--fhir", str(folder), "--all", "--store", store_url]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["anna.fhir.json", "ben.fhir.json"]
    assert "2 FHIR bundle(s)" in capsys.readouterr().out


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--fhir", "{tmp}/x.json"], "--patient ID or --all"),
        (["--fhir", "{tmp}/x.json", "--patient", "anna", "--all"], "--patient ID or --all"),
        (["--fhir", "{tmp}/x.json", "--patient", "nobody"], "is not in the store"),
        (["--fhir", "{tmp}/x.json", "--patient", "anna", "--tz", "Nowhere/Land"], "time zone"),
        (["--fhir", "{tmp}/x.json", "--patient", "anna", "--start", "soon"], "start="),
        (["{tmp}/csv", "--fhir", "{tmp}/x.json", "--patient", "anna"], "two outputs"),
        (["{tmp}/csv", "--patient", "anna"], "--patient belongs to a FHIR export"),
        ([], "name a folder"),
    ],
)
def test_the_command_refuses_bad_options_with_exit_code_2(
    clinic, store_url, tmp_path, capsys, extra, said
):
    args = [part.format(tmp=tmp_path) for part in extra]
    assert main(["export", *args, "--store", store_url]) == 2
    assert said in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "csv").exists()
