"""Reading the import's files: every file problem becomes a Problem naming the file and line (and
for text that is not UTF-8, the byte), never a traceback."""

from __future__ import annotations

import pytest
from store_support import PATIENT_ROW, SESSION_ROW, refused, write_import

from backlib.store.csv_format import FILES, CsvImportError
from backlib.store.csv_read import FIELD_LIMIT, read_csv_folder


def _header(name: str) -> str:
    return ",".join(FILES[name])


def test_a_latin_1_file_is_refused_naming_the_file_line_and_byte(store, tmp_path):
    folder = write_import(tmp_path / "in")
    rows = ["cara,Cara,2025-01-02T09:00:00,,3", "jose,José,2025-01-02T09:00:00,,3"]
    text = "\n".join([_header("patients.csv"), *rows]) + "\n"
    (folder / "patients.csv").write_bytes(text.encode("latin-1"))
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == ("patients.csv", 3)
    offset = text.encode("latin-1").index(b"\xe9") + 1
    assert f"byte {offset} of the file (0xe9" in problem.reason and "UTF-8" in problem.reason
    assert caught.value.file == str(folder / "patients.csv")
    assert store.patients().empty


def test_a_binary_file_is_refused_with_its_name(store, tmp_path):
    folder = write_import(tmp_path / "in")
    (folder / "sessions.csv").write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert {p.file for p in caught.value.problems} == {"sessions.csv"}


def test_a_utf_8_file_with_a_byte_order_mark_reads_as_written_by_a_spreadsheet(store, tmp_path):
    folder = write_import(tmp_path / "in", patients=[PATIENT_ROW])
    data = (folder / "patients.csv").read_bytes()
    (folder / "patients.csv").write_bytes(b"\xef\xbb\xbf" + data)
    assert store.import_csv(folder)["patients.csv"] == 1


def test_a_quote_that_is_never_closed_names_the_row_where_it_starts(store, tmp_path):
    folder = write_import(tmp_path / "in", patients=[PATIENT_ROW])
    with (folder / "patients.csv").open("a", encoding="utf-8") as handle:
        handle.write('dan,"Dan,2025-01-02T09:00:00,,3\nerin,Erin,2025-01-02T09:00:00,,3\n')
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert ("patients.csv", 3, "-") in refused(caught)
    assert store.patients().empty


def test_a_field_larger_than_pythons_csv_limit_reaches_its_own_length_check(store, tmp_path):
    note = "x" * 200_000  # over the csv module's default limit of 131,072
    folder = write_import(
        tmp_path / "in",
        patients=[PATIENT_ROW],
        sessions=[{**SESSION_ROW, "notes": note}],
    )
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert refused(caught) == {("sessions.csv", 2, "notes")}
    assert "200,000 characters long; at most 10,000" in str(caught.value)
    assert FIELD_LIMIT > 131_072


def test_a_missing_folder_is_one_problem_naming_it(tmp_path):
    files = read_csv_folder(tmp_path / "nowhere")
    assert len(files.problems) == 1 and "does not exist" in files.problems[0].reason


def test_an_unreadable_file_is_a_problem_not_a_traceback(store, tmp_path):
    folder = write_import(tmp_path / "in")
    (folder / "outcomes.csv").unlink()
    (folder / "outcomes.csv").mkdir()  # a folder where the file should be
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    assert [p.file for p in caught.value.problems] == ["outcomes.csv"]
    assert "cannot read" in caught.value.problems[0].reason
