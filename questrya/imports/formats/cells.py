"""What the trackers' formats share: the rows of a CSV file with the line each starts on, and
the values of their cells (minutes, dates, star and percentage ratings, tag words).

A cell that cannot be read raises `InvalidInputError` with a reason that names it; the format
turns that into a `SkippedRow` for its line.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from questrya.common.dates import parse_iso_date
from questrya.common.exceptions import InvalidInputError
from questrya.imports.formats.tables import LONGEST_CELL

# Some exporters write a byte order mark, which a reader decoding plain UTF-8 keeps.
BOM = "\ufeff"
EMPTY = frozenset({"", "none", "null"})  # how exporters write "no value"
_DAY_FIRST = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:$|[T ])")
_US_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:$| )")  # .NET's en-US "3/14/2021 6:23 PM"
_NOT_TAG = re.compile(r"[^\w.+-]+")
_TAG_LENGTH = 32


class Table:
    """A CSV file read row by row: ``header`` holds its column names, and each row comes
    with the line it starts on, as a mapping of column name to cell (missing cells empty)."""

    def __init__(self, lines: Iterable[str], *, delimiter: str = ",", what: str) -> None:
        self._what = what
        # Notes may be long: the csv module refuses a cell over 128 KiB unless told otherwise.
        csv.field_size_limit(max(csv.field_size_limit(), LONGEST_CELL))
        self._reader = csv.reader(lines, delimiter=delimiter)
        first = self._next()
        if not first or not any(cell.strip() for cell in first):
            raise InvalidInputError(f"{what}: the file has no header row")
        self.header = [cell.removeprefix(BOM).strip() for cell in first]

    def require(self, *columns: str) -> None:
        """Bad input naming the first of ``columns`` the header lacks."""
        for column in columns:
            if column not in self.header:
                raise InvalidInputError(f"{self._what}: no {column!r} column in the header")

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        padding = [""] * len(self.header)
        while True:
            start = self._reader.line_num + 1  # the reader yields blank lines as empty rows
            cells = self._next()
            if cells is None:
                return
            if any(cell.strip() for cell in cells):
                yield start, dict(zip(self.header, [*cells, *padding], strict=False))

    def _next(self) -> list[str] | None:
        try:
            return next(self._reader, None)
        except csv.Error as error:  # a cell over csv's size limit
            line = self._reader.line_num
            raise InvalidInputError(f"{self._what}: line {line} is not CSV ({error})") from None


# --- cells ----------------------------------------------------------------------------------


def is_empty(cell: str | None) -> bool:
    return cell is None or cell.strip().casefold() in EMPTY


def whole_number(cell: str, what: str) -> int:
    """A count written as a whole number ("605", "605.0"); empty is 0."""
    if is_empty(cell):
        return 0
    number = _decimal(cell, what)
    if number < 0 or number != number.to_integral_value():
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
    return parse_iso_date(found[1], what)


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
    try:
        number = Decimal(cell.strip())
    except InvalidOperation:
        raise InvalidInputError(f"{what} must be a number, got {cell!r}") from None
    if not number.is_finite():
        raise InvalidInputError(f"{what} must be a number, got {cell!r}")
    return number
