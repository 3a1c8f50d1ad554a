"""The read side's values are written as JSON writes Python's own dates and times, whichever
driver read them: SQLite's stored text or PostgreSQL's objects."""

import json
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from questrya.common.rows import iso_day, iso_moment
from questrya.console import _json_value

stamps = st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2100, 1, 1))


@given(stamps)
def test_a_time_reads_as_json_writes_it_from_either_driver(stamp: datetime) -> None:
    written = json.loads(json.dumps(stamp.replace(tzinfo=UTC), default=_json_value))
    sqlite_text = stamp.isoformat(" ", "microseconds")  # how SQLite keeps it

    assert iso_moment(sqlite_text) == written
    assert iso_moment(stamp) == written


def test_a_whole_second_has_no_fraction() -> None:
    assert iso_moment("2025-03-14 08:26:53.000000") == "2025-03-14T08:26:53Z"
    assert iso_moment(datetime(2025, 3, 14, 8, 26, 53)) == "2025-03-14T08:26:53Z"
    assert iso_moment("2025-03-14 08:26:53.000120") == "2025-03-14T08:26:53.000120Z"


@given(st.dates())
def test_a_date_reads_as_json_writes_it(day: date) -> None:
    assert iso_day(day.isoformat()) == iso_day(day) == day.isoformat()
    assert iso_day(None) is None
