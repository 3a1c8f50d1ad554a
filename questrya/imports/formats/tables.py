"""CSV and TSV exports read a row at a time, each cell by its column's name, with the line
the row starts on; what the formats share in reading cells."""

import csv
import io
from collections.abc import Collection, Iterator
from datetime import date
from typing import TextIO

from questrya.common.dates import parse_iso_date
from questrya.common.exceptions import InvalidInputError

Record = dict[str, str]
LONGEST_CELL = 16 * 1024 * 1024  # characters


def header(head: str, delimiter: str = ",") -> list[str]:
    """The column names on the first line of ``head``; none when it is not a table."""
    try:
        return next(csv.reader(io.StringIO(head), delimiter=delimiter), [])
    except csv.Error:
        return []


def records(
    text: TextIO, required: Collection[str], *, what: str, delimiter: str = ","
) -> Iterator[tuple[int, Record]]:
    """Each row with text in it, as {column: cell} (a cell missing is ""), with its first
    line. A header that lacks a ``required`` column is bad input naming it: not a ``what``
    file, or a broken one."""
    # Notes may be long: the csv module refuses a cell over 128 KiB unless told otherwise.
    csv.field_size_limit(max(csv.field_size_limit(), LONGEST_CELL))
    reader = csv.reader(text, delimiter=delimiter)
    columns = [name.strip() for name in next(reader, [])]
    missing = [name for name in required if name not in columns]
    if missing:
        named = ", ".join(repr(name) for name in missing)
        raise InvalidInputError(f"not a {what} file: it has no {named} column")
    width = len(columns)
    start = reader.line_num + 1
    for cells in reader:
        if "".join(cells).strip():  # a row of empty cells is no row
            padded = cells if len(cells) >= width else [*cells, *[""] * (width - len(cells))]
            yield start, dict(zip(columns, padded, strict=False))
        start = reader.line_num + 1


def day(text: str, what: str) -> date | None:
    """A date written ``YYYY-MM-DD`` (a time after it is dropped), or None for an empty cell."""
    written = text.strip()
    if not written:
        return None
    day = written.replace("T", " ").split()[0]
    try:
        plain = len(day) == 10 and day[4] == day[7] == "-"  # YYYY-MM-DD, read at C speed
        return date.fromisoformat(day) if plain else parse_iso_date(day, what)
    except ValueError:  # said in the program's words, with what was wrong
        return parse_iso_date(day, what)


def whole_number(text: str, what: str) -> int | None:
    written = text.strip()
    if not written:
        return None
    try:
        return int(written)
    except ValueError:
        raise InvalidInputError(f"{what} must be a whole number, not {written!r}") from None
