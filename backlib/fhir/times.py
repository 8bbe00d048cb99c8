"""The time-zone rule: the store keeps naive local times, a FHIR dateTime with a time needs a zone.

A moment is read in the zone given (an IANA name such as ``Europe/London``), or else in the
machine's own zone with its daylight-saving rules, moment by moment (a fixed offset taken today
would put every winter session an hour out in summer). A day kept without a time (an outcome's or
a questionnaire's date, the next morning after a session) is written as a date, FHIR's day
precision, which needs no zone: no clock time is invented for it.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from backlib.errors import RequestError


def resolve_zone(tz: str | dt.tzinfo | None) -> dt.tzinfo | None:
    """The zone to read store times in: a tzinfo, one named by IANA, or None for the machine's.

    Raises
    ------
    RequestError
        For a name that is not an IANA time zone (``field="tz"``).
    """
    if tz is None or isinstance(tz, dt.tzinfo):
        return tz
    if not isinstance(tz, str) or not tz.strip():
        raise RequestError(f"tz={tz!r} is not a time zone name such as Europe/London", field="tz")
    try:
        return ZoneInfo(tz.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise RequestError(
            f"tz={tz!r} is not a known IANA time zone (e.g. Europe/London, America/New_York)",
            field="tz",
        ) from None


def zoned(moment: dt.datetime | pd.Timestamp, zone: dt.tzinfo | None) -> dt.datetime:
    """A naive local store time with its zone attached (the machine's when zone is None)."""
    if isinstance(moment, pd.Timestamp):
        moment = moment.to_pydatetime()
    moment = moment.replace(microsecond=0)
    if zone is None:
        return moment.astimezone()  # the machine's zone, with its offset on that date
    return moment.replace(tzinfo=zone)


def date_time(moment: dt.datetime | pd.Timestamp, zone: dt.tzinfo | None) -> str:
    """A FHIR dateTime with seconds and a zone offset, e.g. ``2025-03-04T18:00:00+00:00``."""
    return zoned(moment, zone).isoformat(timespec="seconds")


def day(value: dt.date | pd.Timestamp) -> str:
    """A FHIR date-precision dateTime, e.g. ``2025-03-04``."""
    if isinstance(value, pd.Timestamp | dt.datetime):
        value = value.date()
    return value.isoformat()


def now(zone: dt.tzinfo | None) -> str:
    """This moment as a FHIR instant in the zone (the bundle's timestamp)."""
    current = dt.datetime.now(dt.UTC).replace(microsecond=0)
    return (current.astimezone(zone) if zone else current.astimezone()).isoformat()
