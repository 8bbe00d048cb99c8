"""The time-zone rule: an IANA name or the machine's zone, daylight saving per date, days kept."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from backlib.errors import RequestError
from backlib.fhir import times


def test_an_iana_name_gives_each_date_its_own_offset():
    zone = times.resolve_zone("Europe/London")
    assert times.date_time(dt.datetime(2025, 1, 10, 9, 0), zone) == "2025-01-10T09:00:00+00:00"
    assert times.date_time(pd.Timestamp("2025-07-10 09:00"), zone) == "2025-07-10T09:00:00+01:00"


def test_no_zone_means_the_machines_zone_with_its_offset_on_that_date():
    moment = dt.datetime(2025, 7, 10, 9, 0, 30, 999)
    assert times.date_time(moment, None) == moment.replace(microsecond=0).astimezone().isoformat()


@pytest.mark.parametrize("name", ["Mars/Olympus", "", "   ", "../etc/passwd", 5])
def test_a_bad_zone_is_refused_naming_tz(name):
    with pytest.raises(RequestError) as caught:
        times.resolve_zone(name)
    assert caught.value.field == "tz"


def test_a_tzinfo_passes_through():
    assert times.resolve_zone(dt.UTC) is dt.UTC


def test_a_day_is_written_without_a_time():
    assert times.day(pd.Timestamp("2025-03-04")) == "2025-03-04"
    assert times.day(dt.date(2025, 3, 4)) == "2025-03-04"


def test_the_bundles_timestamp_is_an_instant_with_a_zone():
    stamp = dt.datetime.fromisoformat(times.now(times.resolve_zone("Asia/Tokyo")))
    assert stamp.utcoffset() == dt.timedelta(hours=9)
