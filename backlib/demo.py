"""Reproducible synthetic demo patients: one improving, one on a plateau, one with a flare-up.

The data are invented. Each patient gets a programme on the first day; every session is that
programme's session for the day (eased on a severe-pain day); every two weeks a review moves the
programme on by the pain-monitoring model and saves the new version (the improving patient is
re-planned at the next level half way). Pain follows a plausible course for each story, and
outcome scores are taken at baseline, half way and at the end. Same seed and same ``today``,
same data; the last day is yesterday, so nothing is in the future.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from backlib.constants import PAIN_MAX, PAIN_MIN
from backlib.errors import StoreError
from backlib.paths import DEMO_STORE_PATH, sqlite_file
from backlib.plan.planner import plan_routine
from backlib.plan.routine import Routine
from backlib.progression import next_programme
from backlib.store import Store, open_store

DEMO_PREFIX = "demo-"
# The demo physiotherapist reviews each programme every two weeks (a design choice for the demo).
REVIEW_WEEKS = 2


@dataclass(frozen=True)
class _Story:
    """How a demo patient's weeks go: pain by week fraction, sessions per week, outcome course."""

    kind: str
    name: str
    areas: tuple[str, ...]
    weight_kg: float
    target_per_week: int
    minutes: int  # the time budget the patient plans with
    pain: Callable[[float], float]  # mean pain before a session at a fraction of the period
    attendance: float  # chance each planned session happens
    missed_weeks: tuple[float, ...] = ()  # fractions of the period with no sessions at all
    # Outcome scores at baseline, half way, end: ODI %, RMDQ, PSFS (NPRS comes from the pain).
    odi: tuple[float, float, float] = (0, 0, 0)
    rmdq: tuple[float, float, float] = (0, 0, 0)
    psfs: tuple[float, float, float] = (0, 0, 0)


def _improving(t: float) -> float:
    return 6.5 - 4.5 * (1 - math.exp(-3 * t))  # about 6-7 down to about 2


def _plateau(t: float) -> float:
    return 5.5 - 1.0 * min(t / 0.25, 1.0)  # a small early gain, then flat around 4-5


def _flare(t: float) -> float:
    if 0.38 <= t < 0.65:  # the flare-up, pain rising sharply
        return 7.5
    if t >= 0.65:  # recovering after the missed weeks
        return 6.5 - 3.5 * (t - 0.65) / 0.35
    return 6.0 - 2.0 * t / 0.38


STORIES: tuple[_Story, ...] = (
    _Story(
        kind="improving",
        name="Alex (demo: improving)",
        areas=("lower_back", "glutes"),
        weight_kg=78.0,
        target_per_week=3,
        minutes=30,
        pain=_improving,
        attendance=0.92,
        odi=(38, 26, 16),
        rmdq=(12, 8, 4),
        psfs=(3.7, 5.7, 7.3),
    ),
    _Story(
        kind="plateau",
        name="Sam (demo: plateau)",
        areas=("lower_back", "hamstrings", "hips"),
        weight_kg=64.0,
        target_per_week=3,
        minutes=15,
        pain=_plateau,
        attendance=0.75,
        odi=(32, 29, 28),
        rmdq=(10, 9, 9),
        psfs=(4.3, 4.7, 5.0),
    ),
    _Story(
        kind="flare-up",
        name="Robin (demo: flare-up)",
        areas=("lower_back", "mid_back"),
        weight_kg=91.0,
        target_per_week=4,
        minutes=30,
        pain=_flare,
        attendance=0.85,
        missed_weeks=(0.5, 0.59),
        odi=(42, 46, 30),
        rmdq=(14, 15, 9),
        psfs=(3.0, 2.7, 5.3),
    ),
)


def demo_ids(patients: int) -> list[str]:
    """The ids make_demo uses: demo-1, demo-2, ..."""
    return [f"{DEMO_PREFIX}{number}" for number in range(1, patients + 1)]


def make_demo(
    store: Store,
    patients: int = 3,
    weeks: int = 12,
    seed: int = 0,
    *,
    replace: bool = False,
    today: dt.date | None = None,
) -> list[str]:
    """Write synthetic demo patients into a store; returns their ids (demo-1, demo-2, ...).

    Parameters
    ----------
    store
        An open store whose catalog the planner uses.
    patients
        How many patients; the stories cycle: improving, plateau, flare-up with missed weeks.
    weeks
        Length of the period; outcomes are scored at baseline, half way and at the end.
    seed
        Same seed (and same ``today``), same patients, sessions and scores.
    replace
        Remove demo patients with the same ids first; without it, existing ids are refused.
    today
        The day after the last session (default: today), so no record lies in the future.

    Raises
    ------
    StoreError
        For a bad count, or demo ids already in the store without ``replace``.
    """
    if not (isinstance(patients, int) and 1 <= patients <= 1000):
        raise StoreError(
            f"patients={patients!r} is not allowed (a whole number 1-1000)", field="patients"
        )
    if not (isinstance(weeks, int) and 2 <= weeks <= 520):
        raise StoreError(f"weeks={weeks!r} is not allowed (a whole number 2-520)", field="weeks")
    ids = demo_ids(patients)
    existing = set(store.patients()["patient_id"]) & set(ids)
    if existing and not replace:
        raise StoreError(
            f"demo patients {sorted(existing)} are already in {store.url}; "
            "pass replace=True (backlib demo --replace) to write them again",
            field="patients",
        )
    for patient_id in sorted(existing):
        store.delete_patient(patient_id)
    end = today or dt.date.today()
    first_day = end - dt.timedelta(days=7 * weeks)
    for number, patient_id in enumerate(ids):
        story = STORIES[number % len(STORIES)]
        rng = random.Random(f"{seed}:{patient_id}")
        _write_patient(store, patient_id, story, rng, first_day, weeks)
    return ids


def write_demo_store(path: Path) -> bool:
    """Create the demo store at ``path`` (make_demo's defaults) unless the file already exists.

    Built in a temporary file beside it and renamed into place, so a reader (a report kernel,
    the app) never sees half a demo. Returns True when this call created it.
    """
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open_store(f"sqlite:///{temporary}") as store:
        make_demo(store)
    for suffix in ("-wal", "-shm"):
        Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    if path.exists():  # another process made it meanwhile
        temporary.unlink(missing_ok=True)
        return False
    os.replace(temporary, path)
    return True


def is_demo_store(url: str, *, demo_path: Path = DEMO_STORE_PATH) -> bool:
    """True when ``url`` is the workbook's demo store (synthetic patients only)."""
    file = sqlite_file(url)
    return file is not None and file.resolve() == demo_path.resolve()


def ensure_demo_store(url: str, *, demo_path: Path = DEMO_STORE_PATH) -> bool:
    """Create the demo store when ``url`` is the demo store's file and that file is missing,
    or made again when an older backlib made it without programmes (and it holds nothing but
    demo patients).

    Returns True when this call created it. Any other store is left as it is: a user's own
    store is never filled with demo patients.
    """
    if not is_demo_store(url, demo_path=demo_path):
        return False
    file = sqlite_file(url)
    assert file is not None
    if file.exists() and _made_before_programmes(file):
        return _rebuild_demo_store(file)
    return write_demo_store(file)


def _made_before_programmes(path: Path) -> bool:
    """True for a demo store an older backlib made: demo patients only, none with a programme.

    Such a store cannot show a programme's life; a store holding anyone else's records is
    never touched.
    """
    with open_store(f"sqlite:///{path}") as store:
        ids = list(store.patients()["patient_id"])
        if not ids or not all(pid.startswith(DEMO_PREFIX) for pid in ids):
            return False
        return store.programmes().empty


def _rebuild_demo_store(path: Path) -> bool:
    """A new demo store renamed over the old one (readers see the old or the new, whole)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.old")
    os.replace(path, temporary)
    try:
        made = write_demo_store(path)
    except BaseException:
        if not path.exists():
            os.replace(temporary, path)
        raise
    for suffix in ("", "-wal", "-shm"):
        Path(f"{temporary}{suffix}").unlink(missing_ok=True)
    return made


def _write_patient(
    store: Store,
    patient_id: str,
    story: _Story,
    rng: random.Random,
    first_day: dt.date,
    weeks: int,
) -> None:
    store.add_patient(
        patient_id,
        name=story.name,
        weight_kg=story.weight_kg,
        target_per_week=story.target_per_week,
    )
    days = 7 * weeks
    weekly_pain: dict[int, list[int]] = {}
    plan_seed = rng.randrange(1_000_000)
    start_pain = _clip(round(story.pain(0)))
    first = plan_routine(
        story.areas,
        story.minutes,
        pain=start_pain,
        weight_kg=story.weight_kg,
        seed=plan_seed,
        catalog=store.catalog,
    )
    clinician = "demo physio"
    store.save_programme(
        patient_id,
        first,
        days_per_week=story.target_per_week,
        by=clinician,
        note=f"first visit, pain {start_pain}/10",
        when=_at(first_day, 0, 9),
    )
    for week in range(weeks):
        fraction = week / weeks
        if week and week % REVIEW_WEEKS == 0:  # a review: the programme moves on by the model
            review = first_day + dt.timedelta(days=7 * week)
            if story.kind == "improving" and week == weeks // 2:
                _replan(store, patient_id, story, plan_seed, review, clinician)
            else:
                moved, _ = next_programme(store, patient_id, today=review)
                # A review that changes nothing saves nothing.
                if moved.items != store.programme(patient_id).items:
                    store.save_programme(patient_id, moved, by=clinician, when=_at(review, 0, 8))
        if any(abs(fraction - missed) < 0.5 / weeks for missed in story.missed_weeks):
            continue
        offsets = sorted(rng.sample(range(7), story.target_per_week))
        programme = store.programme(patient_id)
        assert programme is not None
        for offset in offsets:
            if rng.random() > story.attendance:
                continue
            day = week * 7 + offset
            pain = _clip(round(story.pain(day / days) + rng.gauss(0, 0.7)))
            weekly_pain.setdefault(week, []).append(pain)
            # Today's session of the programme; a severe-pain day eases it for that day only.
            routine = programme.routine(pain=pain, catalog=store.catalog)
            _log_one(store, routine, patient_id, rng, first_day, day, pain)
    checkpoints = (0, weeks // 2, weeks)
    for index, week in enumerate(checkpoints):
        when = first_day + dt.timedelta(days=min(7 * week, days - 1))
        nearby = weekly_pain.get(min(week, weeks - 1)) or [round(story.pain(week / weeks))]
        store.log_outcome(patient_id, "nprs", float(round(sum(nearby) / len(nearby))), when=when)
        store.log_outcome(patient_id, "odi", story.odi[index], when=when)
        store.log_outcome(patient_id, "rmdq", story.rmdq[index], when=when)
        store.log_outcome(patient_id, "psfs", story.psfs[index], when=when)


def _replan(
    store: Store,
    patient_id: str,
    story: _Story,
    plan_seed: int,
    review: dt.date,
    clinician: str,
) -> None:
    """Half way, the improving patient moves up a level: a new plan at that level, with the
    current doses for the exercises it keeps."""
    current = store.programme(patient_id)
    assert current is not None
    routine = plan_routine(
        story.areas,
        story.minutes,
        level="intermediate",
        pain=_clip(round(story.pain(0.5))),
        weight_kg=story.weight_kg,
        seed=plan_seed,
        doses=current.doses(),
        catalog=store.catalog,
    )
    store.save_programme(
        patient_id,
        routine,
        days_per_week=current.days_per_week,
        reason="replanned",
        by=clinician,
        note="moved up to intermediate; pain has settled",
        when=_at(review, 0, 8),
    )


def _at(day: dt.date, offset: int, hour: int) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=offset), dt.time(hour))


def _log_one(
    store: Store,
    routine: Routine,
    patient_id: str,
    rng: random.Random,
    first_day: dt.date,
    day: int,
    pain: int,
) -> None:
    when = dt.datetime.combine(first_day + dt.timedelta(days=day), dt.time(7)) + dt.timedelta(
        minutes=rng.randrange(0, 12 * 60, 5)
    )
    done = None
    during = _clip(pain + rng.choice((-1, 0, 0, 1, 1)))
    if rng.random() < 0.25 and len(routine.items) > 2:  # now and then one exercise is skipped
        skipped = rng.choice(routine.items[1:-1]).exercise_id
        done = {item.exercise_id: {} for item in routine.items if item.exercise_id != skipped}
    planned = routine.total_seconds / 60
    session_id = store.log_session(
        patient_id,
        routine,
        when=when,
        pain_before=pain,
        pain_during=during,
        pain_after=_clip(pain + rng.choice((-1, -1, 0, 0, 1))),
        difficulty=rng.choice((2, 3, 3, 4)),
        notes=rng.choice(("", "", "", "felt stiff at the start", "busy day, kept it short")),
        done=done,
        actual_minutes=round(planned * rng.uniform(0.8, 1.1), 1),
    )
    store.set_next_morning_pain(session_id, _clip(pain + rng.choice((-1, 0, 0, 1))))


def _clip(value: float) -> int:
    return int(max(PAIN_MIN, min(PAIN_MAX, value)))
