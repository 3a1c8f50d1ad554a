"""The values of the trackers' cells, read the same way by every format: whole numbers,
minutes, dates, star and percentage ratings, tag words, lists in one cell.

A cell that cannot be read raises `InvalidInputError` with a reason that names it; the format
turns that into a `SkippedRow` for its line.
"""

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from questrya.common.dates import parse_iso_date
from questrya.common.exceptions import InvalidInputError

EMPTY = frozenset({"", "none", "null"})  # how exporters write "no value"
_DAY_FIRST = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:$|[T ])")
_US_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:$| )")  # .NET's en-US "3/14/2021 6:23 PM"
_NOT_TAG = re.compile(r"[^\w.+-]+")
_TAG_LENGTH = 32


def is_empty(cell: str | None) -> bool:
    return cell is None or cell.strip().casefold() in EMPTY


def whole_number(cell: str, what: str) -> int:
    """A count written as a whole number ("605", "605.0"); empty is 0."""
    if is_empty(cell):
        return 0
    number = _number(cell)
    if number is None or number < 0 or number != number.to_integral_value():
        raise InvalidInputError(f"{what} must be a whole number of at least 0, got {cell!r}")
    return int(number)


def minutes_of_seconds(seconds: int) -> int:
    """Seconds as whole minutes, half a minute and more rounded up."""
    return int((Decimal(seconds) / 60).quantize(Decimal(1), ROUND_HALF_UP))


def rating_of_stars(cell: str, what: str) -> int | None:
    """1-5 stars (halves allowed) as a 1-10 rating; empty or 0 is no rating."""
    if is_empty(cell):
        return None
    stars = _decimal(cell, what)
    if stars == 0:
        return None
    if not Decimal("0.5") <= stars <= 5:
        raise InvalidInputError(f"{what} must be 1-5 stars, got {cell!r}")
    return int((stars * 2).quantize(Decimal(1), ROUND_HALF_UP))


def rating_of_percent(cell: str, what: str) -> int | None:
    """A 0-100 score as a 1-10 rating: a tenth, rounded, at least 1; empty or 0 is none."""
    if is_empty(cell):
        return None
    score = _decimal(cell, what)
    if score == 0:
        return None
    if not 0 < score <= 100:
        raise InvalidInputError(f"{what} must be 0-100, got {cell!r}")
    return max(1, int((score / 10).quantize(Decimal(1), ROUND_HALF_UP)))


def day(cell: str, what: str) -> date | None:
    """The date a cell starts with ("2020-02-02", "2020-02-02 18:23:45"); empty is none."""
    if is_empty(cell):
        return None
    found = _DAY_FIRST.match(cell.strip())
    if found is None:
        raise InvalidInputError(f"{what} must be a date like 2024-05-17, got {cell!r}")
    written = found[1]
    if len(written) == 10:  # YYYY-MM-DD, read at C speed; parse_iso_date says what is wrong
        try:
            return date.fromisoformat(written)
        except ValueError:
            pass
    return parse_iso_date(written, what)


def local_day(cell: str, what: str) -> date | None:
    """The player's local date of a moment: an ISO time with its offset ("…T18:23:45Z") is
    moved to the local zone; a time without one ("2021-03-14 18:23", .NET's en-US
    "3/14/2021 6:23:45 PM") is already local, so its date is kept."""
    if is_empty(cell):
        return None
    text = cell.strip()
    us = _US_DAY.match(text)
    if us is not None:
        return parse_iso_date(f"{us[3]}-{us[1]}-{us[2]}", what)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return day(text, what)
    return moment.astimezone().date() if moment.tzinfo else moment.date()


def local_day_of_unix_time(seconds: int) -> date | None:
    """The local date of a Unix time; 0 is "never"."""
    if seconds <= 0:
        return None
    return datetime.fromtimestamp(seconds, UTC).astimezone().date()


def tag_words(names: Iterable[str]) -> tuple[str, ...]:
    """Tracker tags or shelves as Questrya tags, one short word each ("Visual Novel" →
    "visual-novel"), in their order, each once; names with no letter or digit are left out."""
    words: dict[str, None] = {}
    for name in names:
        word = _NOT_TAG.sub("-", name.strip().lower()).strip("-_.+")[:_TAG_LENGTH]
        if word:
            words[word] = None
    return tuple(words)


def split_list(cell: str, separators: str) -> list[str]:
    """A list written in one cell, split on the first of ``separators`` it holds."""
    separator = next((s for s in separators if s in cell), None)
    parts = cell.split(separator) if separator else [cell]
    return [part.strip() for part in parts if part.strip()]


def _decimal(cell: str, what: str) -> Decimal:
    number = _number(cell)
    if number is None:
        raise InvalidInputError(f"{what} must be a number, got {cell!r}")
    return number


def _number(cell: str) -> Decimal | None:
    """The finite number a cell holds; None when it holds none."""
    try:
        number = Decimal(cell.strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
