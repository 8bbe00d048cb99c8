"""The programme: made from a routine, repeated as today's session, edited only within the rules."""

from __future__ import annotations

import contextlib
from dataclasses import replace

import pytest

from backlib import plan_routine
from backlib.catalog import load_catalog
from backlib.errors import RequestError
from backlib.plan.alternatives import alternatives
from backlib.plan.eligibility import exclusion_reason
from backlib.plan.steps import default_dose
from backlib.programme import Programme, ProgrammeItem

CATALOG = load_catalog()


@pytest.fixture(scope="module")
def programme() -> Programme:
    routine = plan_routine(["lower_back", "glutes"], 20, pain=2)
    return Programme.from_routine(routine, patient_id="ann", weekdays=["Mon", "wed", "FRI"])


def test_a_programme_holds_the_routine_it_was_planned_from(programme):
    routine = plan_routine(["lower_back", "glutes"], 20, pain=2)
    assert programme.exercise_ids == tuple(i.exercise_id for i in routine.items)
    assert programme.doses() == {i.exercise_id: i.dose() for i in routine.items}
    assert programme.weekdays == ("mon", "wed", "fri") and programme.days_per_week == 3
    assert programme.total_seconds == routine.total_seconds


def test_todays_session_repeats_the_programme_at_its_doses(programme):
    today = programme.routine(pain=2)
    assert tuple(i.exercise_id for i in today.items) == programme.exercise_ids
    assert [i.dose() for i in today.items] == [i.dose() for i in programme.items]


def test_a_severe_pain_day_eases_todays_doses_without_changing_the_programme(programme):
    today = programme.routine(pain=8)
    for item in today.items:
        default = default_dose(item.exercise)
        assert item.sets <= default["sets"]
        assert item.exercise.pain_max >= 8
    assert today.total_seconds <= programme.total_seconds
    assert "Your programme stays as it is" in today.notes[0]
    assert "worse than when you started" in today.notes[0], "a bad day's stop rule (NHS inform)"
    assert "no better within two weeks" in today.notes[0], "and when to call"
    before = programme.doses()
    programme.routine(pain=9)
    assert programme.doses() == before, "the programme itself is unchanged"


def test_editing_returns_a_new_programme_and_keeps_the_old_one(programme):
    first = next(i for i in programme.items if i.phase == "main").exercise_id
    edited = programme.remove(first)
    assert first not in edited.exercise_ids and first in programme.exercise_ids
    assert edited.reason == "edited"
    assert edited.note == f"removed {CATALOG[first].name}", "the change in words, by name"


def test_a_swap_takes_an_allowed_alternative_at_its_start_dose(programme):
    item = next(i for i in programme.items if i.phase == "main")
    choices = alternatives(
        item.exercise_id,
        areas=programme.areas,
        level=programme.level,
        pain=2,
        phase=item.phase,
        exclude=programme.exercise_ids,
    )
    assert choices, "the catalog offers alternatives"
    swapped = programme.swap(item.exercise_id, choices[0].id)
    new = next(i for i in swapped.items if i.exercise_id == choices[0].id)
    assert new.dose() == default_dose(choices[0]), "a beginner's new exercise starts at its default"


def test_a_strength_exercise_is_offered_strength_alternatives_for_its_main_part():
    # The squat is also a warm-up move; without a phase its alternatives are for the main part.
    for pain in (2, 6):
        offered = alternatives("squat", areas=["lower_back", "glutes"], pain=pain)
        assert offered and offered[0].category == "strength", [e.id for e in offered]
        assert all("main" in e.phases for e in offered)


def test_alternatives_are_allowed_at_this_pain_and_not_variants_of_the_routine(programme):
    request_pain = 8
    choices = alternatives(
        "glute-bridge",
        areas=["lower_back", "glutes"],
        pain=request_pain,
        conditions=["osteoporosis"],
    )
    families = {CATALOG["glute-bridge"].family}
    for exercise in choices:
        assert exercise.pain_max >= request_pain
        assert exercise.family not in families
        assert "end_range_flexion" not in exercise.cautions


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda p: p.remove("no-such-exercise"), "exercise_id"),
        (lambda p: p.add("no-such-exercise"), "exercise_id"),
        (lambda p: p.add("superman", pain=8), "exercise_id"),
        (lambda p: p.add(p.items[0].exercise_id), "exercise_id"),
        (lambda p: p.with_dose(p.items[0].exercise_id, sets=99), "doses"),
        (lambda p: p.with_schedule(9), "days_per_week"),
        (lambda p: p.with_schedule(2, ["mon", "someday"]), "weekdays"),
        (lambda p: p.with_schedule(2, ["mon"]), "weekdays"),
    ],
)
def test_an_edit_the_rules_refuse_names_the_field(programme, edit, field):
    with pytest.raises(RequestError) as caught:
        edit(programme)
    assert caught.value.field == field


def _edits(programme, pain):
    """Every single edit of a programme the editing methods accept at this pain."""
    made = []
    for exercise in CATALOG:
        for phase in exercise.phases:
            with contextlib.suppress(RequestError):
                made.append(programme.add(exercise.id, phase=phase, pain=pain))
        for item in programme.items:
            with contextlib.suppress(RequestError):
                made.append(programme.swap(item.exercise_id, exercise.id, pain=pain))
    for item in programme.items:
        with contextlib.suppress(RequestError):
            made.append(programme.remove(item.exercise_id))
        dose = CATALOG[item.exercise_id].dose
        for variable in ("sets", "reps", "hold_s", "duration_s"):
            dose_range = getattr(dose, variable)
            if dose_range is not None:
                made.append(programme.with_dose(item.exercise_id, **{variable: dose_range.max}))
    return made


@pytest.mark.parametrize("pain", [0, 3, 6, 8])
def test_editing_never_produces_what_the_planner_would_refuse(programme, pain):
    planned = Programme.from_routine(plan_routine(["lower_back", "glutes"], 20, pain=min(pain, 5)))
    edits = _edits(planned, pain)
    assert len(edits) > 50, "the edits are really tried"
    for edited in edits:
        edited.check(CATALOG)  # what the store checks before it saves
        families = [CATALOG[i].family for i in edited.exercise_ids]
        assert len(families) == len(set(families)), "one version of a movement"
        request = edited.request(pain)
        for item in edited.items:
            if item.exercise_id not in planned.exercise_ids:  # what the edit brought in
                assert exclusion_reason(CATALOG[item.exercise_id], request) is None


def test_a_swap_refuses_a_second_version_of_a_movement():
    planned = Programme.from_routine(plan_routine(["lower_back", "hips"], 30, pain=2))
    request = planned.request(2)
    tried = 0
    for item in planned.items:
        for other in planned.items:
            family = CATALOG[other.exercise_id].family
            variants = [
                e
                for e in CATALOG
                if e.family == family
                and e.id != other.exercise_id
                and item.phase in e.phases
                and exclusion_reason(e, request) is None
            ]
            if other is item or not variants:
                continue
            with pytest.raises(RequestError, match="variant") as caught:
                planned.swap(item.exercise_id, variants[0].id)
            assert caught.value.field == "new_id"
            tried += 1
    assert tried, "no programme item has an allowed variant to try"


def _at_default(exercise) -> ProgrammeItem:
    """An item of an exercise at its catalog default dose, in its first phase."""
    dose = exercise.dose
    return ProgrammeItem(
        exercise.id,
        exercise.phases[0],
        dose.sets.default,
        *(
            None if getattr(dose, v) is None else getattr(dose, v).default
            for v in ("reps", "hold_s", "duration_s")
        ),
    )


@pytest.fixture(scope="module")
def glutes() -> Programme:
    return Programme.from_routine(plan_routine(["glutes"], 20, pain=2))


def test_the_check_refuses_two_versions_of_a_movement(glutes):
    families_in = {CATALOG[i].family for i in glutes.exercise_ids}
    allowed = [
        e
        for e in CATALOG
        if e.family not in families_in and exclusion_reason(e, glutes.request(2)) is None
    ]
    twins = next([a, b] for a in allowed for b in allowed if a.id < b.id and a.family == b.family)
    doubled = replace(glutes, items=(*glutes.items, *map(_at_default, twins)))
    with pytest.raises(RequestError, match="one version of a movement") as caught:
        doubled.check(CATALOG)
    assert caught.value.field == "exercise_id"
    assert replace(glutes, items=(*glutes.items, _at_default(twins[0]))).check(CATALOG)


def test_the_check_wants_every_variable_an_exercise_is_dosed_by(glutes):
    dosed_by_reps = next(i for i in glutes.items if CATALOG[i.exercise_id].dose.reps)
    no_reps = replace(
        glutes,
        items=tuple(replace(i, reps=None) if i is dosed_by_reps else i for i in glutes.items),
    )
    with pytest.raises(RequestError, match="reps missing") as caught:
        no_reps.check(CATALOG)
    assert caught.value.field == "doses"


def test_a_planned_version_holds_nothing_its_pain_rules_out(glutes):
    families_in = {CATALOG[i].family for i in glutes.exercise_ids}
    sore = next(
        e
        for e in CATALOG
        if e.family not in families_in
        and exclusion_reason(e, glutes.request(2)) is None
        and exclusion_reason(e, glutes.request(8)) is not None
    )
    at_eight = replace(glutes, pain=8, items=(*glutes.items, _at_default(sore)))
    with pytest.raises(RequestError, match="not advised at pain 8"):
        at_eight.check(CATALOG)
    reviewed = replace(at_eight, reason="progressed")  # a review keeps what a bad day leaves out
    assert reviewed.check(CATALOG) is reviewed


@pytest.mark.parametrize("bad", ["Monkey", "thursdayX", "mo", "weds", "", ["mon", "Monday"]])
def test_weekdays_are_whole_names_or_their_three_letters(programme, bad):
    with pytest.raises(RequestError) as caught:
        programme.with_schedule(len(bad) if isinstance(bad, list) else 1, bad or [bad])
    assert caught.value.field == "weekdays"


def test_weekdays_read_full_names_and_one_comma_separated_text(programme):
    assert programme.with_schedule(3, "Monday, wed,FRIDAY").weekdays == ("mon", "wed", "fri")
    with pytest.raises(RequestError, match="3 day"):
        programme.with_schedule(2, "mon,wed,fri")


def test_a_new_frequency_is_an_edit_that_says_what_changed(programme):
    scheduled = programme.with_schedule(2, ["tue", "fri"])
    assert scheduled.reason == "edited"
    assert scheduled.note == "now 2 times a week (Tue, Fri)"
    assert scheduled.items == programme.items


def test_a_severe_day_keeps_to_the_planners_time_and_ends_with_relaxation():
    from backlib.plan.request import PlanRequest

    long = Programme.from_routine(plan_routine(["lower_back"], 60, pain=3))
    today = long.routine(pain=8)
    budget = PlanRequest(["lower_back"], 60, "beginner", 8, (), None).budget_s
    assert budget == 15 * 60, "the planner's severe-pain cap (15 min)"
    assert today.total_seconds <= budget < long.total_seconds
    assert any(i.exercise.category == "relaxation" for i in today.items)
    assert any("to keep the session to 15 min" in note for note in today.notes)
    planned = plan_routine(["lower_back"], 60, pain=8)
    assert today.total_seconds <= max(planned.total_seconds, budget)
    short = Programme.from_routine(plan_routine(["lower_back"], 10, pain=2))
    without = [i for i in short.items if CATALOG[i.exercise_id].category == "relaxation"]
    assert not without, "this programme has no relaxation item of its own"
    added = [i for i in short.routine(pain=7).items if i.exercise.category == "relaxation"]
    assert len(added) == 1 and added[0].phase == "cooldown"
    assert "not part of your programme" in added[0].reason


def test_the_calendar_repeats_on_the_programme_days_and_parses_with_another_reader(programme):
    import datetime as dt

    import icalendar
    import recurring_ical_events

    start = dt.date.today() + dt.timedelta(days=1)
    data = programme.to_ics(start, weeks=4, time="07:30", tz="Europe/London")
    calendar = icalendar.Calendar.from_ical(data)
    end = start + dt.timedelta(weeks=6)
    sessions = recurring_ical_events.of(calendar).between(start, end)
    assert len(sessions) == 4 * 3
    assert {s["DTSTART"].dt.strftime("%a").lower() for s in sessions} == {"mon", "wed", "fri"}
    assert all(s["DTSTART"].dt.strftime("%H:%M") == "07:30" for s in sessions)
    event = next(iter(calendar.walk("VEVENT")))
    assert "Glute" in str(event["DESCRIPTION"]) or str(event["DESCRIPTION"]).count("- ") == len(
        programme.items
    )
    assert calendar.walk("VALARM"), "a reminder"


def test_a_calendar_in_a_zone_carries_that_zone_and_one_without_floats(programme):
    import datetime as dt

    import icalendar

    start = dt.date.today() + dt.timedelta(days=1)
    zoned = icalendar.Calendar.from_ical(programme.to_ics(start, tz="Europe/London"))
    assert [str(z["TZID"]) for z in zoned.walk("VTIMEZONE")] == ["Europe/London"]
    floating = icalendar.Calendar.from_ical(programme.to_ics(start))
    assert not floating.walk("VTIMEZONE")
    assert next(iter(floating.walk("VEVENT")))["DTSTART"].dt.tzinfo is None


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"start": "past"}, "start"),
        ({"weeks": 0}, "weeks"),
        ({"time": "25:99"}, "time"),
        ({"tz": "Mars/Olympus"}, "tz"),
    ],
)
def test_a_bad_calendar_request_names_the_field(programme, kwargs, field):
    import datetime as dt

    start = dt.date.today() - dt.timedelta(days=3) if kwargs.pop("start", None) else dt.date.today()
    with pytest.raises(RequestError) as caught:
        programme.to_ics(start, **kwargs)
    assert caught.value.field == field


def test_the_bad_day_version_halves_the_sets_or_else_the_reps_or_duration(programme):
    usual = {item.exercise_id: item for item in programme.routine().items}
    for item in programme.routine(pain=7).items:
        if item.exercise_id not in usual:  # the day's added relaxation item
            continue
        before = usual[item.exercise_id]
        span = item.exercise.dose
        if before.sets > 1:
            assert item.sets <= max(span.sets.min, before.sets // 2), item.exercise_id
        elif before.reps is not None:
            assert item.reps <= max(span.reps.min, -(-before.reps // 2)), item.exercise_id
        elif before.duration_s is not None and span.duration_s is not None:
            assert item.duration_s <= max(span.duration_s.min, -(-before.duration_s // 2))


def test_edits_are_checked_at_the_pain_the_programme_was_made_at():
    routine = plan_routine(["lower_back"], 20, pain=6)
    programme = Programme.from_routine(routine)
    assert programme.pain == 6
    with pytest.raises(RequestError) as caught:
        programme.add("back-extension")  # not advised above 4/10
    assert "pain 6/10" in str(caught.value)
    assert (
        programme.add("pelvic-tilt", pain=2)
        if "pelvic-tilt" not in programme.exercise_ids
        else True
    )


def test_the_warm_up_and_cool_down_keep_their_last_exercise(programme):
    for phase in ("warmup", "cooldown"):
        items = [i for i in programme.items if i.phase == phase]
        edited = programme
        for item in items[:-1]:
            edited = edited.remove(item.exercise_id)
        with pytest.raises(RequestError) as caught:
            edited.remove(items[-1].exercise_id)
        assert "swap it instead" in str(caught.value)


def test_an_added_exercise_goes_beside_those_done_in_its_position(programme):
    from backlib.constants import POSITIONS

    main = [i for i in programme.items if i.phase == "main"]
    candidates = [
        e
        for e in CATALOG
        if "main" in e.phases
        and e.id not in programme.exercise_ids
        and e.level == "beginner"
        and e.pain_max >= 5
        and not set(e.equipment) - {"none", "mat"}
        and e.family not in {CATALOG[i.exercise_id].family for i in programme.items}
    ]
    for exercise in candidates[:8]:
        try:
            edited = programme.add(exercise.id, pain=2)
        except RequestError:
            continue
        ranks = [
            POSITIONS.index(CATALOG[i.exercise_id].position)
            for i in edited.items
            if i.phase == "main"
        ]
        assert ranks == sorted(ranks) or ranks == sorted(ranks, reverse=True), exercise.id
        assert len(ranks) == len(main) + 1


def test_a_calendar_without_a_zone_keeps_the_clock_time_wherever_the_patient_is(programme):
    import datetime as dt

    import icalendar

    data = programme.to_ics(dt.date.today() + dt.timedelta(days=1), time="18:00")
    event = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
    start = event["DTSTART"].dt
    assert start.tzinfo is None and start.strftime("%H:%M") == "18:00", "a floating time"
    assert b"DTSTART:" in data and b"T180000Z" not in data
    description = str(event["DESCRIPTION"])
    assert "5/10" in description and "gentle version" in description
    assert f"version {programme.version}" in description


@pytest.mark.parametrize("tz", [None, "Europe/London"])
def test_the_calendar_recurrence_expands_the_same_with_dateutil(programme, tz):
    """A reader that shares nothing with icalendar: the raw lines and dateutil's rrule."""
    import datetime as dt

    from dateutil.rrule import rrulestr

    weekly = programme.with_schedule(3, ["tue", "thu", "sat"])
    start = dt.date.today() + dt.timedelta(days=2)
    raw = weekly.to_ics(start, weeks=5, time="07:15", tz=tz).decode("utf-8")
    lines = raw.replace("\r\n ", "").splitlines()  # unfold (RFC 5545 3.1)
    event = lines[lines.index("BEGIN:VEVENT") : lines.index("END:VEVENT")]
    rule = "\n".join(line for line in event if line.startswith(("DTSTART", "RRULE")))
    sessions = list(rrulestr(rule))
    assert len(sessions) == 5 * 3
    assert {s.strftime("%a") for s in sessions} == {"Tue", "Thu", "Sat"}
    assert all(s.strftime("%H:%M") == "07:15" for s in sessions)
    assert sessions[0].date() >= start
    assert (sessions[0].tzinfo is None) == (tz is None), "floating without a zone"
