"""Demo data: three reproducible synthetic stories from plan_routine, never in the future, rich
enough for every later stage, and a demo store made only where the demo store belongs."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from backlib import charts
from backlib.demo import ensure_demo_store, make_demo
from backlib.errors import StoreError
from backlib.plan.routine import Routine
from backlib.progress import assess, flare_up_exercises, weekly_summary
from backlib.progression import next_doses
from backlib.store import open_store

TODAY = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The default demo (3 patients, 12 weeks), written once for the module's checks."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    store = open_store(f"sqlite:///{path}")
    ids = make_demo(store, today=TODAY)
    yield store, ids
    store.close()


def _weekly_pain(store, patient_id: str) -> pd.Series:
    sessions = store.sessions(patient_id)
    start = pd.Timestamp(TODAY - dt.timedelta(weeks=12))
    week = (sessions["started_at"] - start).dt.days // 7
    return sessions.groupby(week)["pain_before"].mean()


def test_demo_has_three_patients_with_the_ids_the_report_expects(demo):
    store, ids = demo
    assert ids == ["demo-1", "demo-2", "demo-3"]
    assert list(store.patients()["patient_id"]) == ids


def test_demo_sessions_are_routines_from_the_catalog_and_stay_in_the_past(demo):
    store, _ = demo
    sessions = store.sessions()
    assert sessions["started_at"].max() < pd.Timestamp(TODAY)
    assert sessions["started_at"].min() >= pd.Timestamp(TODAY - dt.timedelta(weeks=12))
    for text in sessions["routine"].unique():
        routine = Routine.from_dict(json.loads(text), store.catalog)
        assert routine.items
    entries = store.entries()
    assert set(entries["exercise_id"]) <= set(store.catalog.ids)
    assert not entries["completed"].all()  # now and then an exercise is skipped
    assert sessions["pain_next_morning"].notna().all()


def test_demo_stories_improve_plateau_and_flare_with_missed_weeks(demo):
    store, _ = demo
    improving, plateau, flare = (_weekly_pain(store, f"demo-{n}") for n in (1, 2, 3))
    assert improving.iloc[:2].mean() - improving.iloc[-3:].mean() >= 2.5
    assert abs(plateau.iloc[2:4].mean() - plateau.iloc[-3:].mean()) < 1.5
    assert plateau.iloc[-3:].mean() >= 3.5
    assert flare.max() >= 7  # the flare-up
    peak = flare.idxmax()
    missing = sorted(set(range(12)) - set(flare.index))
    assert missing == [6, 7] and peak < 6  # two weeks without a session after the flare-up
    assert flare.iloc[-2:].mean() <= flare.max() - 3  # then recovering
    adherence = store.sessions().groupby("patient_id").size()
    assert adherence["demo-1"] > adherence["demo-2"]


def test_demo_outcomes_are_scored_at_baseline_half_way_and_end(demo):
    store, _ = demo
    outcomes = store.outcomes("demo-1")
    assert sorted(outcomes["measure"].unique()) == ["nprs", "odi", "psfs", "rmdq"]
    dates = sorted(outcomes["measured_on"].unique())
    assert len(dates) == 3
    assert dates[-1] == pd.Timestamp(TODAY - dt.timedelta(days=1))
    odi = outcomes[outcomes["measure"] == "odi"]["score"].tolist()
    assert odi[0] - odi[-1] >= 10  # the improving patient passes the ODI MCID (Ostelo 2008)


def test_same_seed_gives_the_same_data_and_another_seed_differs(tmp_path):
    frames = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        with open_store(f"sqlite:///{tmp_path / name}.db") as store:
            make_demo(store, patients=1, weeks=3, seed=seed, today=TODAY)
            frames.append((store.sessions(), store.entries(), store.outcomes()))
    for left, right in zip(frames[0], frames[1], strict=True):
        pd.testing.assert_frame_equal(left, right)
    assert not frames[0][0]["started_at"].equals(frames[2][0]["started_at"])


def test_make_demo_refuses_to_overwrite_demo_patients_unless_asked(tmp_path, monkeypatch):
    import backlib.demo

    calls = []

    def fake_plan(*args, **kwargs):  # the planner's own tests cover planning
        calls.append(kwargs["pain"])
        return real_plan(*args, **kwargs)

    real_plan = backlib.demo.plan_routine
    monkeypatch.setattr(backlib.demo, "plan_routine", fake_plan)
    with open_store(f"sqlite:///{tmp_path / 'd.db'}") as store:
        store.add_patient("demo-1", name="a real person filed under a demo id")
        with pytest.raises(StoreError, match="already in"):
            make_demo(store, patients=1, weeks=2, today=TODAY)
        assert store.sessions().empty and not calls
        make_demo(store, patients=1, weeks=2, today=TODAY, replace=True)
        assert store.patients().loc[0, "name"] != "a real person filed under a demo id"


@pytest.mark.parametrize(("patients", "weeks"), [(0, 12), (3, 1), ("3", 12)])
def test_make_demo_refuses_bad_counts(tmp_path, patients, weeks):
    with open_store(f"sqlite:///{tmp_path / 'd.db'}") as store, pytest.raises(StoreError):
        make_demo(store, patients=patients, weeks=weeks)


# --- the demo through every later stage ---------------------------------------------------


def test_demo_patients_from_a_real_store_give_assessments_doses_tables_and_charts(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'demo.db'}")
    ids = make_demo(store, patients=3, weeks=12, today=dt.date(2026, 11, 1))
    verdicts = []
    for patient_id in ids:
        sessions, entries = store.sessions(patient_id), store.entries(patient_id)
        outcomes_ = store.outcomes(patient_id)
        weekly = weekly_summary(sessions)
        assert weekly["sessions"].sum() == len(sessions)
        result = assess(sessions, outcomes_)
        verdicts.append(result.improved)
        assert result.baseline is not None and result.current is not None
        doses, decisions = next_doses(store, patient_id)
        assert set(decisions["decision"]) <= {"progress", "hold", "regress"}
        assert set(doses) <= set(entries["exercise_id"])
        flare = flare_up_exercises(sessions, entries)
        assert set(flare["exercise_id"]) == set(entries["exercise_id"])
        figures = [
            charts.pain_trend_figure(sessions, result),
            charts.pain_before_after_figure(sessions),
            charts.adherence_calendar_figure(sessions),
            charts.minutes_by_category_figure(sessions, entries, store.catalog),
            charts.outcomes_figure(outcomes_),
            charts.dose_figure(entries, decisions["exercise_id"].iloc[0], decisions, store.catalog),
        ]
        for figure in figures:
            assert not any("not enough data" in (a.text or "") for a in figure.layout.annotations)
    assert verdicts[0] is True  # the "improving" story improves meaningfully
    store.close()


# --- the demo store -----------------------------------------------------------------------


def test_only_the_demo_store_is_created_with_demo_patients(monkeypatch, tmp_path):
    demo = tmp_path / "demo" / "demo.db"
    other = tmp_path / "other.db"
    assert ensure_demo_store(f"sqlite:///{other}", demo_path=demo) is False
    assert not other.exists()
    demo.parent.mkdir()
    assert ensure_demo_store(f"sqlite:///{demo}", demo_path=demo) is True
    assert ensure_demo_store(f"sqlite:///{demo}", demo_path=demo) is False  # only on first run
    from backlib import open_store

    with open_store(f"sqlite:///{demo}") as store:
        assert len(store.patients()) > 0
        assert len(store.sessions()) > 0


@pytest.mark.parametrize("url", ["postgresql://u:p@127.0.0.1/db", "sqlite:///:memory:"])
def test_a_non_file_store_is_never_given_demo_data(url):
    assert ensure_demo_store(url) is False


def test_a_missing_demo_store_is_made_with_the_demo_patients(tmp_path):
    from backlib.demo import ensure_demo_store
    from backlib.store import open_store

    path = tmp_path / "demo" / "demo.db"
    url = f"sqlite:///{path}"
    assert ensure_demo_store(url, demo_path=path) is True
    with open_store(url) as store:
        assert sorted(store.patients()["patient_id"]) == ["demo-1", "demo-2", "demo-3"]
    assert ensure_demo_store(url, demo_path=path) is False  # made once, then reused
    assert [p.name for p in path.parent.iterdir()] == ["demo.db"]


# --- programmes ---------------------------------------------------------------------------


def test_each_demo_patient_lives_by_a_programme_that_moves_on_at_reviews(demo):
    store, ids = demo
    for patient_id in ids:
        history = store.programmes(patient_id)
        versions = history.drop_duplicates("version")
        assert len(versions) >= 2, f"{patient_id}: the programme changed at some review"
        assert versions["reason"].iloc[0] == "planned"
        assert set(versions["reason"].iloc[1:]) <= {"progressed", "replanned"}
        assert versions["created"].is_monotonic_increasing
        sessions = store.sessions(patient_id)
        assert sessions["programme_version"].notna().all(), "every session is a programme's"
        made = dict(zip(versions["version"], versions["created"], strict=True))
        for row in sessions.itertuples():
            later = [v for v, when in made.items() if when <= row.started_at]
            assert row.programme_version == max(later), "the version current on that day"


def test_a_progressed_demo_version_keeps_the_exercises_of_the_one_before(demo):
    store, ids = demo
    for patient_id in ids:
        history = store.programmes(patient_id)
        by_version = history.groupby("version")["exercise_id"].apply(tuple)
        reasons = history.drop_duplicates("version").set_index("version")["reason"]
        for version in by_version.index[1:]:
            if reasons[version] == "progressed":
                assert by_version[version] == by_version[version - 1], (patient_id, version)


def test_a_demo_store_made_before_programmes_is_made_again(tmp_path):
    demo = tmp_path / "demo.db"
    with open_store(f"sqlite:///{demo}") as store:
        make_demo(store, patients=1, weeks=2)
        store.delete_patient("demo-1")
        store.add_patient("demo-1", name="an old demo patient")  # no programme
    assert ensure_demo_store(f"sqlite:///{demo}", demo_path=demo) is True
    with open_store(f"sqlite:///{demo}") as store:
        assert not store.programmes("demo-1").empty
        assert len(store.patients()) == 3


def test_a_demo_store_holding_someone_else_is_never_made_again(tmp_path):
    demo = tmp_path / "demo.db"
    with open_store(f"sqlite:///{demo}") as store:
        store.add_patient("demo-1")
        store.add_patient("me", name="My own records")
    assert ensure_demo_store(f"sqlite:///{demo}", demo_path=demo) is False
    with open_store(f"sqlite:///{demo}") as store:
        assert list(store.patients()["patient_id"]) == ["demo-1", "me"]
