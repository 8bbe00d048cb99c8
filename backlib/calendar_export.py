"""A programme's schedule as an iCalendar file: a weekly session on its days, with a reminder.

The event repeats weekly on the programme's weekdays (or on evenly spread default days) for a
number of weeks; its length is one session's planned time, its description the exercises and
doses, and a reminder fires beforehand. Times are local wall-clock times in the given zone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Alarm, Calendar, Event

from backlib.catalog import Catalog, describe_dose, duration_words
from backlib.constants import WEEKDAYS
from backlib.errors import RequestError
from backlib.plan.request import resolve_catalog

if TYPE_CHECKING:
    from backlib.programme import Programme

# Evenly spread days for a frequency when the programme names none (non-consecutive days for
# strength work where the week allows: ACSM, Garber 2011, >= 48 h between sessions).
DEFAULT_DAYS: dict[int, tuple[str, ...]] = {
    1: ("wed",),
    2: ("tue", "fri"),
    3: ("mon", "wed", "fri"),
    4: ("mon", "tue", "thu", "fri"),
    5: ("mon", "tue", "wed", "thu", "fri"),
    6: ("mon", "tue", "wed", "thu", "fri", "sat"),
    7: WEEKDAYS,
}
REMINDER_MINUTES = 15
_ICAL_DAYS = {
    "mon": "MO",
    "tue": "TU",
    "wed": "WE",
    "thu": "TH",
    "fri": "FR",
    "sat": "SA",
    "sun": "SU",
}


def schedule_days(programme: Programme) -> tuple[str, ...]:
    """The weekdays the programme is done on: its own, else evenly spread for its frequency."""
    return programme.weekdays or DEFAULT_DAYS[programme.days_per_week]


def frequency_words(
    programme: Programme, *, catalog: Catalog | None = None, short: bool = False
) -> str:
    """How often, as the handout and the report say it ("3 times a week, e.g. Mon, Wed, Fri;
    stretches may be done daily"); `short` leaves out the note on stretches."""
    days = ", ".join(day.capitalize() for day in schedule_days(programme))
    times = (
        "once a week" if programme.days_per_week == 1 else f"{programme.days_per_week} times a week"
    )
    said = f"{times}, e.g. {days}" if not programme.weekdays else f"{times} ({days})"
    cat = resolve_catalog(catalog)
    stretches = any(
        item.exercise_id in cat and cat[item.exercise_id].category == "stretch"
        for item in programme.items
    )
    if short or not stretches or programme.days_per_week == 7:
        return f"{said}."
    # Strength work 2-3 days a week with a day between; flexibility work may be daily (ACSM,
    # Garber 2011).
    return f"{said}; stretches may be done daily."


def programme_ics(
    programme: Programme,
    start: dt.date,
    *,
    weeks: int = 6,
    time: str = "18:00",
    tz: str | None = None,
    today: dt.date | None = None,
    catalog: Catalog | None = None,
) -> bytes:
    """The programme's sessions as an iCalendar file (bytes, UTF-8).

    Parameters
    ----------
    start
        The first day of the schedule (not in the past); the first session is the first
        scheduled weekday on or after it.
    weeks
        How many weeks the recurrence runs (1-52).
    time
        The sessions' local start time, "HH:MM".
    tz
        An IANA time zone ("Europe/London"); None writes a floating local time, which a
        calendar shows at that clock time wherever the person is (the patient's phone, not the
        clinic's server, decides the zone).

    Raises
    ------
    RequestError
        For a start in the past, a bad number of weeks, a time that is not HH:MM or an unknown
        time zone, naming the field.
    """
    if not isinstance(start, dt.date) or isinstance(start, dt.datetime):
        raise RequestError(f"start: {start!r} is not a date", field="start")
    if start < (today or dt.date.today()):
        raise RequestError(f"start: {start.isoformat()} is in the past", field="start")
    if isinstance(weeks, bool) or not isinstance(weeks, int) or not 1 <= weeks <= 52:
        raise RequestError(f"weeks: {weeks!r} is not a whole number 1-52", field="weeks")
    try:
        clock = dt.time.fromisoformat(time)
    except (TypeError, ValueError):
        raise RequestError(f"time: {time!r} is not a time HH:MM", field="time") from None
    zone = _zone(tz) if tz is not None else None
    cat = resolve_catalog(catalog)
    days = schedule_days(programme)
    first = next(
        start + dt.timedelta(days=k)
        for k in range(7)
        if WEEKDAYS[(start + dt.timedelta(days=k)).weekday()] in days
    )
    begins = dt.datetime.combine(first, clock, tzinfo=zone)
    length = dt.timedelta(seconds=max(programme.seconds(cat), 60))
    calendar = Calendar()
    calendar.add("prodid", "-//backlib//exercise programme//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"{uuid.uuid4()}@backlib")
    event.add("dtstamp", dt.datetime.now(dt.UTC))
    event.add("summary", "Back exercises")
    event.add("dtstart", begins)
    event.add("dtend", begins + length)
    event.add(
        "rrule",
        {"freq": "weekly", "byday": [_ICAL_DAYS[d] for d in days], "count": weeks * len(days)},
    )
    event.add("description", _description(programme, cat))
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", "Time for your back exercises")
    alarm.add("trigger", dt.timedelta(minutes=-REMINDER_MINUTES))
    event.add_component(alarm)
    calendar.add_component(event)
    if zone is not None:  # a TZID needs its VTIMEZONE in the same file (RFC 5545 3.6.5)
        calendar.add_missing_timezones(first, first + dt.timedelta(weeks=weeks + 1))
    return calendar.to_ical()


def _description(programme: Programme, catalog: Catalog) -> str:
    made = f"{programme.created:%-d %b %Y}"
    lines = [
        f"About {duration_words(programme.seconds(catalog))}: "
        f"{frequency_words(programme, catalog=catalog)}",
        f"Doses of programme version {programme.version} ({made}); after a review, use the "
        "new programme sheet.",
    ]
    for item in programme.items:
        exercise = catalog[item.exercise_id]
        dose = describe_dose(
            item.sets, item.reps, item.hold_s, item.duration_s, exercise.dose.per_side
        )
        lines.append(f"- {exercise.name}: {dose}")
    # Pain up to 5/10 during exercise is acceptable if settled by the next morning
    # (Silbernagel 2007); a bad day takes the gentle version (flare-up plan).
    lines.append("Pain up to 5/10 during the exercises is fine if it settles by the next morning.")
    lines.append(
        "On a bad day do the gentle version on your programme sheet. Stop any exercise that "
        "causes sharp or spreading pain."
    )
    return "\n".join(lines)


def _zone(tz: str) -> dt.tzinfo:
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        raise RequestError(f"tz: {tz!r} is not a known time zone", field="tz") from None
