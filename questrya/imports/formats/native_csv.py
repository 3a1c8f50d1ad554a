"""Questrya's own CSV export (`games export --format csv`), read back without loss.

A column each of ``common.native_format.FIELDS``, in any order and only ``title`` required:
lists joined with ';', booleans true or false, ``provider_ids`` a JSON object, an empty cell
the field's default.
"""

import json
from collections.abc import Callable, Iterator
from typing import TextIO

from questrya.common.exceptions import InvalidInputError
from questrya.common.native_format import FIELDS, LIST_SEPARATOR
from questrya.imports.formats.cells import whole_number
from questrya.imports.formats.native_json import row_of
from questrya.imports.formats.rows import ImportRow, SkippedRow, read_each
from questrya.imports.formats.tables import Record, Table, header

NAME = "csv"
_TRUE, _FALSE = ("true", "yes", "1"), ("false", "no", "0", "")


def recognises(head: str) -> bool:
    columns = header(head)
    return "title" in columns and set(columns) <= set(FIELDS)


def read(text: TextIO) -> Iterator[ImportRow | SkippedRow]:
    table = Table(text, what="Questrya CSV")
    table.require("title")
    yield from read_each(table, lambda line, record: row_of(line, _values(record)))


def _values(record: Record) -> dict[str, object]:
    """The cells as the JSON export has the values: only the known columns, empty ones left
    to their defaults."""
    values: dict[str, object] = {}
    for name, cell in record.items():
        if name in FIELDS and (cell or name == "title"):
            values[name] = _READ.get(name, _text)(cell, name)
    return values


def _text(cell: str, name: str) -> str:
    return cell


def _flag(cell: str, name: str) -> bool:
    if cell.lower() in _TRUE:
        return True
    if cell.lower() in _FALSE:
        return False
    raise InvalidInputError(f"{name} must be true or false, not {cell!r}")


def _words(cell: str, name: str) -> list[str]:
    return [word.strip() for word in cell.split(LIST_SEPARATOR) if word.strip()]


def _ids(cell: str, name: str) -> object:
    try:
        return json.loads(cell)
    except json.JSONDecodeError:
        raise InvalidInputError(f'{name} must be a JSON object like {{"steam": "570"}}') from None


_READ: dict[str, Callable[[str, str], object]] = {
    "rating": whole_number,
    "playtime": whole_number,
    "wishlist": _flag,
    "tags": _words,
    "provider_ids": _ids,
}
