"""Dates as the player types them, and times as the player reads them."""

import re
from datetime import MAXYEAR, MINYEAR, date, datetime

from questrya.common.exceptions import InvalidInputError

_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
# English, whatever the locale: every message is in English.
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def parse_iso_date(text: str, what: str = "date") -> date:
    """Parse ``YYYY-MM-DD`` or raise a one-line input error naming ``what``: the expected form
    for text that has another, why not for a day that does not exist ("2023-02-30")."""
    written = text.strip()
    parts = _DAY.match(written)
    if parts is None:
        raise InvalidInputError(f"{what} must be a date like 2024-05-17 (YYYY-MM-DD), got {text!r}")
    try:
        return real_date(int(parts[1]), int(parts[2]), int(parts[3]))
    except InvalidInputError as error:
        raise InvalidInputError(f"{what} {written}: {error}") from None


def real_date(year: int, month: int, day: int) -> date:
    """The date, or an input error that says why there is none: "there is no 30 February
    2023", "there is no month 13"."""
    if not MINYEAR <= year <= MAXYEAR:
        raise InvalidInputError(f"there is no year {year}")
    if not 1 <= month <= 12:
        raise InvalidInputError(f"there is no month {month}")
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInputError(f"there is no {day} {_MONTHS[month - 1]} {year}") from None


def local_time(moment: datetime | str) -> str:
    """A moment (or its ISO text, as the read side gives it) as the player reads it: local
    time to the minute, with its offset from UTC ("2026-11-30 11:03 +0100"), the same in
    every command."""
    return _aware(moment).astimezone().strftime("%Y-%m-%d %H:%M %z")


def local_day(moment: datetime | str) -> str:
    """The player's local date of a moment."""
    return _aware(moment).astimezone().date().isoformat()


def _aware(moment: datetime | str) -> datetime:
    return datetime.fromisoformat(moment) if isinstance(moment, str) else moment
