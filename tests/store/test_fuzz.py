"""Fuzz (hypothesis): random CSV rows, random file bytes and random API calls. Each either ends in
a clear BacklibError with nothing written, or stores values that read back equal."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from store_support import YESTERDAY, export_bytes, sample_routine, write_import

from backlib.constants import PHASES
from backlib.errors import BacklibError
from backlib.store.csv_format import FILES
from backlib.store.csv_rows import derived_uid
from backlib.store.formula_guard import unguard_cell

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- cells: values the store accepts, and the look-alikes it must refuse ---------------------
_JUNK = st.sampled_from(["", " ", "nan", "NaN", "inf", "-inf", "1e999", "x", "\x00", "٣", "²",
                         "1_0", "=1+1", "'", '"', "\r", "\n", "true", "None"])  # fmt: skip
# Text a CSV file can hold (any character but a lone surrogate, which UTF-8 cannot encode).
_FILE_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
# Text the store keeps (no control characters but tab and line breaks), and one-line text.
_NOTE = st.text(st.characters(exclude_categories=("Cs", "Cc"), include_characters="\t\n\r"),
                max_size=12)  # fmt: skip
_NAME = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)
_NOW = dt.datetime.now()


def _either(clean: st.SearchStrategy[str], odd: st.SearchStrategy[str]):
    """(clean, mixed, odd): the clean cells alone, clean cells with odd ones among them, and the
    odd ones alone (look-alikes and junk)."""
    return clean, st.one_of(clean, odd, _JUNK), st.one_of(odd, _JUNK)


def _whole(low: int, high: int, optional: bool = True):
    clean = st.integers(low, high).map(str)
    if optional:
        clean = clean | st.just("")
    odd = st.integers(low - 3, high + 3).map(str) | st.sampled_from(
        [f"+{low}", f"0{low}", f"{low}.0", f" {low}", f"{high}\n"]
    )
    return _either(clean, odd)


def _decimal(low: float, high: float):
    clean = st.floats(low, high).map(repr) | st.just("")
    odd = st.floats(low - 10, high + 10).map(repr) | st.sampled_from(
        [f"{low:g}", f"+{high:g}", ".5", "5.", "1e1", f" {low:g}"]
    )
    return _either(clean, odd)


def _moment_cells():
    clean = st.datetimes(dt.datetime(1900, 1, 1), _NOW - dt.timedelta(days=1)).map(
        lambda moment: moment.replace(microsecond=0).isoformat()
    )
    odd = st.datetimes(dt.datetime(1890, 1, 1), dt.datetime(2030, 1, 1)).map(
        dt.datetime.isoformat
    ) | st.sampled_from(["2025-01-03 18:00", "", "yesterday", "2025-13-01"])
    return _either(clean, odd)


def _day_cells():
    clean = st.dates(dt.date(1900, 1, 1), _NOW.date() - dt.timedelta(days=1)).map(dt.date.isoformat)
    odd = st.dates(dt.date(1890, 1, 1), dt.date(2030, 1, 1)).map(dt.date.isoformat)
    return _either(clean, odd | st.sampled_from(["", "03/01/2025"]))


def _choice(clean: list[str], odd: list[str]):
    return _either(st.sampled_from(clean), st.sampled_from(odd))


_PAIN = _whole(0, 10)
_PATIENT_ID = _choice(["dan", "eve"], ["cara\n", " dan", "Cara", "c" * 65, ""])
_SESSION_UID = _choice(["s-1", "s-2", "s-3", ""], ["s-1 ", "\ts-2", "s" * 37, "s_4.x"])


@st.composite
def _files(draw, catalog) -> dict[str, list[dict]]:
    """The rows of the five files. "clean": every cell clean and every row refers to rows that
    exist (most such imports pass); "one odd": the same with one cell drawn from its odd values
    (the sharpest test of what is accepted); "mixed": odd cells anywhere."""
    mode = draw(st.sampled_from(["clean", "one odd", "mixed"]))
    clean = mode != "mixed"
    pick = 0 if clean else 1
    schemas: dict[str, dict[str, tuple]] = {}

    def row(columns: dict[str, tuple]) -> st.SearchStrategy[dict[str, str]]:
        return st.fixed_dictionaries({name: pair[pick] for name, pair in columns.items()})

    def rows(columns: dict[str, tuple], key, max_size: int, name: str) -> list[dict[str, str]]:
        schemas[name] = columns
        return draw(st.lists(row(columns), max_size=max_size, unique_by=key if clean else None))

    dose = _whole(0, 10_000)
    patients = rows(
        {
            "patient_id": _PATIENT_ID, "name": _either(_NAME, _FILE_TEXT),
            "created": _moment_cells(), "weight_kg": _decimal(20, 400),
            "target_per_week": _whole(1, 14, optional=False),
        },
        lambda r: r["patient_id"],
        2,
        "patients",
    )  # fmt: skip
    known = ["cara", *(r["patient_id"] for r in patients)]
    to_patient = (st.sampled_from(known), *_PATIENT_ID[1:])
    routine = json.dumps(sample_routine(catalog).to_dict())
    version_1 = json.dumps({"items": [{"exercise_id": "glute-bridge", "phase": "main"}]})
    sessions = rows(
        {
            "session_uid": _SESSION_UID, "patient_id": to_patient, "started_at": _moment_cells(),
            "planned_minutes": _decimal(0, 1440), "actual_minutes": _decimal(0, 1440),
            "pain_before": _PAIN, "pain_during": _PAIN, "pain_after": _PAIN,
            "pain_next_morning": _PAIN, "difficulty": _whole(1, 5),
            "notes": _either(_NOTE, _FILE_TEXT),
            "routine": _either(st.sampled_from(["", routine, version_1]),
                               st.sampled_from(["[]", "{}", "not json"]) | _FILE_TEXT),
        },
        lambda r: r["session_uid"] or r["started_at"],
        3,
        "sessions",
    )  # fmt: skip
    uids = [r["session_uid"] for r in sessions if r["session_uid"]]
    entries = []
    if uids or not clean:
        to_session = _either(st.sampled_from(uids or ["s-1"]), st.sampled_from(["s-9", "s-1\n"]))
        entries = rows(
            {
                "session_uid": to_session, "position": _whole(0, 3, optional=False),
                "exercise_id": _choice(list(catalog.ids), ["no-such", "Cat-Cow", "cat-cow\n"]),
                "phase": _choice(list(PHASES), ["middle", ""]),
                "prescribed_sets": dose, "prescribed_reps": dose, "prescribed_hold_s": dose,
                "prescribed_duration_s": dose, "done_sets": dose, "done_reps": dose,
                "done_hold_s": dose, "done_duration_s": dose,
                "completed": _choice(["true", "false"], ["TRUE", " false", "yes", ""]),
                "pain_during": _PAIN,
            },
            lambda r: (r["session_uid"], r["position"]),
            4,
            "entries",
        )  # fmt: skip
    outcomes = rows(
        {
            "outcome_uid": _choice(["o-1", "o-2", ""], ["o-1\n", "o" * 37]),
            "patient_id": to_patient, "measured_on": _day_cells(),
            "measure": _choice(["odi", "psfs"], ["rmdq", "nprs", "vas"]),
            "score": _either(st.integers(0, 10).map(str), _decimal(0, 100)[1]),
        },
        lambda r: r["outcome_uid"] or (r["patient_id"], r["measured_on"], r["measure"], r["score"]),
        2,
        "outcomes",
    )  # fmt: skip
    files = {"patients": patients, "sessions": sessions, "entries": entries, "outcomes": outcomes}
    filled = [name for name, found in files.items() if found]
    if mode == "one odd" and filled:
        name = draw(st.sampled_from(filled))
        target = draw(st.sampled_from(files[name]))
        column = draw(st.sampled_from(sorted(schemas[name])))
        target[column] = draw(schemas[name][column][2])
    return files


# --- the oracle: what an accepted cell must read back as ------------------------------------
_INTEGERS = {"target_per_week", "position", "difficulty", "pain_before", "pain_during",
             "pain_after", "pain_next_morning", "prescribed_sets", "prescribed_reps",
             "prescribed_hold_s", "prescribed_duration_s", "done_sets", "done_reps",
             "done_hold_s", "done_duration_s"}  # fmt: skip
_DECIMALS = {"weight_kg", "planned_minutes", "actual_minutes", "score"}


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.strip()).replace(microsecond=0)


def _expected(column: str, text: str, row: dict[str, str]) -> str:
    """The cell an export writes for a value the import accepted from ``text``."""
    if text == "" and column in _INTEGERS | _DECIMALS:
        return ""
    if column in _INTEGERS:
        return str(int(text))
    if column in _DECIMALS:
        return repr(float(text))
    if column == "completed":
        return text.strip().lower()
    if column in ("created", "started_at"):
        return _moment(text).isoformat(timespec="seconds")
    if column == "measured_on":
        return _moment(text).date().isoformat()
    if column == "name":
        return text.strip() or row["patient_id"]
    return text


def _key(name: str, row: dict[str, str]) -> str:
    if name == "patients.csv":
        return row["patient_id"]
    if name == "sessions.csv":
        given_uid = row["session_uid"]
        return given_uid or derived_uid("session", row["patient_id"], _moment(row["started_at"]))
    if name == "entries.csv":
        return f"{row['session_uid']}#{int(row['position'])}"
    given_uid = row["outcome_uid"]
    if given_uid:
        return given_uid
    day = _moment(row["measured_on"]).date()
    return derived_uid("outcome", row["patient_id"], day, row["measure"], float(row["score"]))


def _exported(folder) -> dict[str, dict[str, dict[str, str]]]:
    tables = {}
    for name in FILES:
        with (folder / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        rows = [{column: unguard_cell(cell) for column, cell in row.items()} for row in rows]
        tables[name] = {_key(name, row): row for row in rows}
    return tables


def _seed(store, catalog) -> None:
    """A known store state to import into: a patient and one session with entries."""
    for patient_id in store.patients()["patient_id"]:
        store.delete_patient(patient_id)
    store.add_patient("cara", name="Cara")
    store.log_session("cara", sample_routine(catalog), when=YESTERDAY, pain_before=3)


def _snapshot(store, folder) -> dict[str, bytes]:
    store.export_csv(folder)
    return export_bytes(folder)


@pytest.fixture
def fuzz_folders(tmp_path_factory):
    counter = iter(range(10**9))
    return lambda: tmp_path_factory.mktemp(f"fuzz-{next(counter)}")


# --- CSV rows -------------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_random_csv_rows_are_refused_whole_or_stored_as_they_read(
    store, store_catalog, fuzz_folders, data
):
    files = data.draw(_files(store_catalog))
    _seed(store, store_catalog)
    folder = fuzz_folders()
    before = _snapshot(store, folder / "before")
    write_import(folder / "in", **files)
    try:
        counts = store.import_csv(folder / "in")
    except BacklibError as err:
        event("import refused")
        assert getattr(err, "problems", None), err  # every problem is listed
        assert _snapshot(store, folder / "after") == before  # nothing was written
        return
    event(f"import accepted, {sum(counts.values())} rows added")
    store.export_csv(folder / "after")
    stored = _exported(folder / "after")
    for stem, rows in files.items():
        name = f"{stem}.csv"
        for row in rows:
            exported = stored[name][_key(name, row)]
            for column, text in row.items():
                if column == "session_uid" and name == "sessions.csv" and text == "":
                    continue  # derived: it is the key looked up above
                if column == "outcome_uid" and text == "":
                    continue
                assert exported[column] == _expected(column, text, row), (name, column)
    assert set(store.import_csv(folder / "in").values()) == {0}  # a second import adds nothing


@FUZZ
@given(content=st.binary(max_size=300), which=st.sampled_from(sorted(FILES)))
def test_random_file_bytes_are_refused_with_the_file_named_or_read(
    store, store_catalog, fuzz_folders, content, which
):
    _seed(store, store_catalog)
    folder = fuzz_folders()
    before = _snapshot(store, folder / "before")
    write_import(folder / "in")
    header = ",".join(FILES[which]).encode()
    (folder / "in" / which).write_bytes(header + b"\n" + content)
    try:
        store.import_csv(folder / "in")
    except BacklibError as err:
        assert {p.file for p in err.problems} <= {which}
        assert _snapshot(store, folder / "after") == before
        return
    assert set(store.import_csv(folder / "in").values()) == {0}


# --- API calls ------------------------------------------------------------------------------
_ODD_NUMBER = st.one_of(
    st.sampled_from([math.nan, math.inf, -math.inf, True, False, "5", "", "nan", -1, 10**6]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-5, 500),
)


def _number(clean: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly a value in range (or None), sometimes anything a caller might pass instead."""
    return st.integers(0, 6).flatmap(lambda n: clean if n else _ODD_NUMBER)


_API_PATIENT_ID = st.integers(0, 3).flatmap(
    lambda n: st.sampled_from(["cara", "dan", "eve"] if n else ["cara\n", " dan", "Cara", ""])
)
_CALL = st.one_of(
    st.tuples(
        st.just("add_patient"),
        st.fixed_dictionaries({
            "patient_id": _API_PATIENT_ID,
            "name": st.integers(0, 3).flatmap(
                lambda n: st.none() | _NAME if n else st.text(max_size=12)
            ),
            "weight_kg": _number(st.none() | st.floats(20, 400)),
            "target_per_week": _number(st.integers(1, 14)),
        }),
    ),
    st.tuples(
        st.just("log_session"),
        st.fixed_dictionaries({
            "patient_id": _API_PATIENT_ID,
            "notes": st.integers(0, 3).flatmap(lambda n: _NOTE if n else st.text(max_size=12)),
            "pain_before": _number(st.none() | st.integers(0, 10)),
            "difficulty": _number(st.none() | st.integers(1, 5)),
            "actual_minutes": _number(st.none() | st.floats(0, 1440)),
            "when": st.integers(0, 3).flatmap(
                lambda n: st.sampled_from(
                    [None, YESTERDAY, "2025-01-03T18:00"] if n else ["1800-01-01", "soon"]
                )
            ),
        }),
    ),
    st.tuples(
        st.just("log_outcome"),
        st.fixed_dictionaries({
            "patient_id": _API_PATIENT_ID,
            "measure": st.sampled_from(["odi", "rmdq", "nprs", "psfs", "vas"]),
            "score": _number(st.integers(0, 10) | st.floats(0, 10)),
        }),
    ),
)  # fmt: skip


def _same_value(stored, given_value) -> bool:
    if given_value is None:
        return pd.isna(stored)
    if isinstance(given_value, float) and not math.isfinite(given_value):
        return False  # never stored
    return float(stored) == float(given_value)


@FUZZ
@given(calls=st.lists(_CALL, min_size=1, max_size=6))
def test_random_api_calls_are_refused_whole_or_read_back_equal(
    store, store_catalog, fuzz_folders, calls
):
    _seed(store, store_catalog)
    for method, kwargs in calls:
        folder = fuzz_folders()
        before = _snapshot(store, folder / "before")
        arguments = dict(kwargs)
        patient_id = arguments.pop("patient_id")
        try:
            result = getattr(store, method)(patient_id, **arguments)
        except BacklibError as err:
            event(f"{method} refused: {err.field}")
            assert err.field, err  # the refusal names its field
            assert _snapshot(store, folder / "after") == before
            continue
        event(f"{method} stored")
        if method == "add_patient":
            row = store.patients().set_index("patient_id").loc[patient_id]
            name = kwargs["name"]
            assert row["name"] == (name.strip() if name and name.strip() else patient_id)
            assert _same_value(row["weight_kg"], kwargs["weight_kg"])
            assert row["target_per_week"] == kwargs["target_per_week"]
        elif method == "log_session":
            row = store.sessions().set_index("session_id").loc[result]
            assert row["notes"] == kwargs["notes"]
            for column in ("pain_before", "difficulty", "actual_minutes"):
                assert _same_value(row[column], kwargs[column]), column
        else:
            row = store.outcomes().set_index("outcome_id").loc[result]
            assert (row["measure"], float(row["score"])) == (kwargs["measure"], kwargs["score"])
