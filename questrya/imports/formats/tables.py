"""CSV and TSV exports, read a row at a time: each row as its cells by column name, with the
line it starts on. Every tracker's table format reads its file through ``Table``.

A file that is no table of its format (no header, a column it needs missing, a cell csv
cannot read) raises `InvalidInputError` naming what it lacks.
"""

import csv
import io
from collections.abc import Iterable, Iterator

from questrya.common.exceptions import InvalidInputError

# Some exporters write a byte order mark, which a reader decoding plain UTF-8 keeps.
BOM = "\ufeff"
LONGEST_CELL = 16 * 1024 * 1024  # characters
Record = dict[str, str]  # a row: column name → cell, a cell missing ""

# Notes may be long: the csv module refuses a cell over 128 KiB unless told otherwise. Its
# limit is the process's, so it is raised here, once, as the tables are first read.
csv.field_size_limit(max(csv.field_size_limit(), LONGEST_CELL))


def header(head: str, delimiter: str = ",") -> list[str]:
    """The column names on the first line of ``head``; none when it is not a table."""
    try:
        first = next(csv.reader(io.StringIO(head.removeprefix(BOM)), delimiter=delimiter), [])
    except csv.Error:
        return []
    return [name.strip() for name in first]


class Table:
    """A CSV file read row by row: ``header`` holds its column names (``what``, the tracker
    whose file it is, names it in errors), and each row with text in it comes with the line
    it starts on."""

    def __init__(self, lines: Iterable[str], *, delimiter: str = ",", what: str) -> None:
        self._what = what
        self._reader = csv.reader(lines, delimiter=delimiter)
        first = self._next()
        if not first or not "".join(first).strip():
            raise InvalidInputError(f"not a {what} file: it has no header row")
        self.header = [cell.removeprefix(BOM).strip() for cell in first]

    def require(self, *columns: str) -> None:
        """Bad input naming the ``columns`` the header lacks."""
        missing = [column for column in columns if column not in self.header]
        if missing:
            named = ", ".join(repr(column) for column in missing)
            plural = "s" if len(missing) > 1 else ""
            raise InvalidInputError(f"not a {self._what} file: it has no {named} column{plural}")

    def __iter__(self) -> Iterator[tuple[int, Record]]:
        columns, width = self.header, len(self.header)
        start = self._reader.line_num + 1  # the reader yields a blank line as an empty row
        while (cells := self._next()) is not None:
            if "".join(cells).strip():  # a row of empty cells is no row
                padded = cells if len(cells) >= width else [*cells, *[""] * (width - len(cells))]
                yield start, dict(zip(columns, padded, strict=False))
            start = self._reader.line_num + 1

    def _next(self) -> list[str] | None:
        try:
            return next(self._reader, None)
        except csv.Error as error:  # a cell over csv's size limit
            line = self._reader.line_num
            raise InvalidInputError(
                f"the {self._what} file's line {line} is not CSV ({error})"
            ) from None
