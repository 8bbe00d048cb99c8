"""CSV import: idempotent, all or nothing, and every bad row reported with file, line and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from store_support import _count, _fill

from backlib.errors import StoreError
from backlib.store import open_store
from backlib.store.csv_format import FILES, CsvImportError


def test_reimporting_the_same_files_adds_nothing(store, store_catalog, tmp_path):
    _fill(store, store_catalog)
    store.export_csv(tmp_path / "out")
    before = [len(store.sessions()), len(store.entries()), len(store.outcomes())]
    assert set(store.import_csv(tmp_path / "out").values()) == {0}
    assert set(store.import_csv(tmp_path / "out").values()) == {0}
    assert [len(store.sessions()), len(store.entries()), len(store.outcomes())] == before


def test_hand_written_files_without_uids_import_once(store, tmp_path):
    folder = tmp_path / "hand"
    folder.mkdir()
    header = {name: ",".join(fields) for name, fields in FILES.items()}
    (folder / "patients.csv").write_text(
        header["patients.csv"] + "\ncara,Cara,2025-01-02T09:00:00,,3\n"
    )
    (folder / "sessions.csv").write_text(
        header["sessions.csv"] + "\n,cara,2025-01-03T18:00:00,,20,4,5,3,,,,\n"
    )
    (folder / "entries.csv").write_text(header["entries.csv"] + "\n")
    (folder / "outcomes.csv").write_text(header["outcomes.csv"] + "\n,cara,2025-01-03,odi,40\n")
    assert store.import_csv(folder)["sessions.csv"] == 1
    assert set(store.import_csv(folder).values()) == {0}
    assert len(store.sessions()) == 1 and len(store.outcomes()) == 1


def test_import_reports_every_bad_row_and_writes_nothing(store, store_catalog, tmp_path):
    source = tmp_path / "source"
    with open_store(f"sqlite:///{tmp_path / 'source.db'}", catalog=store_catalog) as other:
        _fill(other, store_catalog)
        other.export_csv(source)
    sessions = (source / "sessions.csv").read_text().splitlines()
    fields = sessions[2].split(",")
    fields[5] = "11"  # pain_before
    sessions[2] = ",".join(fields)
    (source / "sessions.csv").write_text("\n".join(sessions) + "\n")
    entries = (source / "entries.csv").read_text().splitlines()
    last = entries[-1].split(",")
    last[2] = "no-such-exercise"
    entries[-1] = ",".join(last)
    (source / "entries.csv").write_text("\n".join(entries) + "\n")
    with (source / "outcomes.csv").open("a") as handle:
        handle.write("x1,anna,2999-01-01,odi,20\n")
        handle.write("x2,zed,2025-01-01,rmdq,30\n")
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(source)
    found = {(p.file, p.column) for p in caught.value.problems}
    assert ("sessions.csv", "pain_before") in found
    assert ("entries.csv", "exercise_id") in found
    assert ("outcomes.csv", "measured_on") in found
    assert ("outcomes.csv", "patient_id") in found
    assert ("outcomes.csv", "score") in found
    lines = {(p.file, p.column): p.line for p in caught.value.problems}
    assert lines[("outcomes.csv", "measured_on")] == 4
    assert lines[("outcomes.csv", "patient_id")] == 5
    assert "pain_before=11" in str(caught.value)
    assert "sessions.csv line 3" in str(caught.value)
    for table in ("patients", "sessions", "entries", "outcomes"):
        assert _count(store, table) == 0, table


def test_import_refuses_a_row_that_contradicts_the_store(store, store_catalog, tmp_path):
    _fill(store, store_catalog)
    store.export_csv(tmp_path / "out")
    text = (tmp_path / "out" / "patients.csv").read_text().replace(",61.25,", ",90.0,")
    (tmp_path / "out" / "patients.csv").write_text(text)
    with pytest.raises(StoreError, match="weight_kg"):
        store.import_csv(tmp_path / "out")
    assert store.patients().loc[0, "weight_kg"] == 61.25


def test_import_reports_missing_files_and_wrong_headers(store, tmp_path):
    folder = tmp_path / "partial"
    folder.mkdir()
    (folder / "patients.csv").write_text("id,name\nanna,Anna\n")
    with pytest.raises(CsvImportError) as caught:
        store.import_csv(folder)
    problems = {(p.file, p.line) for p in caught.value.problems}
    assert ("patients.csv", 1) in problems
    assert ("sessions.csv", 0) in problems and ("outcomes.csv", 0) in problems


# --- nothing lost -------------------------------------------------------------------------


_IMPORTER = """
import sys, time
from pathlib import Path
import sqlalchemy as sa
from backlib.catalog import load_catalog
from backlib.store import open_store
url, catalog_path, folder, marker = sys.argv[1:]
store = open_store(url, catalog=load_catalog(catalog_path))
batches = 0

@sa.event.listens_for(store.engine, "after_cursor_execute")
def pause_half_way(conn, cursor, statement, parameters, context, executemany):
    global batches
    if statement.lstrip().upper().startswith("INSERT INTO SESSIONS"):
        batches += 1
        if batches == 5:  # half of the 10,000 sessions are written, none committed
            Path(marker).write_text("half way")
            time.sleep(120)

store.import_csv(folder)
"""


def _write_big_import(folder: Path, rows: int) -> None:
    folder.mkdir()
    header = {name: ",".join(fields) for name, fields in FILES.items()}
    (folder / "patients.csv").write_text(
        header["patients.csv"] + "\nbulk,Bulk,2020-01-01T08:00:00,70.0,3\n"
    )
    start = dt.datetime(2020, 1, 2, 18, 0)
    lines = [header["sessions.csv"]]
    for number in range(rows):
        when = (start + dt.timedelta(minutes=90 * number)).isoformat()
        lines.append(f"s-{number:05d},bulk,{when},20.0,19.5,{number % 11},4,3,,2,,")
    (folder / "sessions.csv").write_text("\n".join(lines) + "\n")
    (folder / "entries.csv").write_text(header["entries.csv"] + "\n")
    (folder / "outcomes.csv").write_text(header["outcomes.csv"] + "\n")


@pytest.mark.slow
def test_sigkill_during_a_10000_row_import_leaves_all_or_none(
    store, store_url, store_catalog_path, tmp_path
):
    import signal
    import subprocess
    import sys
    import time

    folder = tmp_path / "big"
    _write_big_import(folder, 10_000)
    marker = tmp_path / "marker"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _IMPORTER,
            store_url,
            str(store_catalog_path),
            str(folder),
            str(marker),
        ]
    )
    deadline = time.monotonic() + 120
    while not marker.exists() and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert marker.exists(), "the import never reached its half-way point"
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    with open_store(store_url, catalog=store.catalog) as reopened:
        assert len(reopened.sessions()) == 0
        assert reopened.patients().empty
        assert reopened.import_csv(folder)["sessions.csv"] == 10_000
        assert len(reopened.sessions("bulk")) == 10_000
