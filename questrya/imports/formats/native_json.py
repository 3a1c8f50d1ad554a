"""Questrya's own JSON export (`games export --format json`), read back without loss.

One document, ``{"format": "questrya", "version": 1, "games": [...]}``: a game an object
of ``common.native_format.FIELDS`` (title alone required). The whole file is parsed before
any row is given, so that a file that is no such document is refused with nothing written.
"""

import json
import re
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, TextIO

from questrya.common.dates import parse_iso_date
from questrya.common.exceptions import InvalidInputError
from questrya.common.native_format import FORMAT, VERSION
from questrya.imports.formats.rows import ImportRow, SkippedRow, read_each

NAME = "json"
_DOCUMENT = re.compile(r'^\s*\{\s*"format"\s*:\s*"questrya"')
_SPACE = re.compile(r"\s*")


def recognises(head: str) -> bool:
    return _DOCUMENT.match(head) is not None


def read(text: TextIO) -> Iterator[ImportRow | SkippedRow]:
    content = text.read()
    games = _games(content)
    yield from read_each(zip(_lines(content), games, strict=True), row_of)


def row_of(line: int, game: object) -> ImportRow:
    """A game of the native format, its values as JSON has them, as a row to import."""
    if not isinstance(game, dict):
        raise InvalidInputError("a game must be a JSON object")
    unknown = sorted(set(game) - _READERS.keys())
    if unknown:
        raise InvalidInputError(f"unknown field {unknown[0]!r}")
    values = {_READERS[name][0]: _READERS[name][1](value, name) for name, value in game.items()}
    if "title" not in values:
        raise InvalidInputError("a game needs a title")
    return ImportRow(line=line, **values)


def _games(content: str) -> list[object]:
    try:
        document = json.loads(content)
    except json.JSONDecodeError as error:
        raise InvalidInputError(
            f"not JSON: {error.msg} at line {error.lineno}, column {error.colno}"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InvalidInputError(f'not a Questrya export: no "format": "{FORMAT}"')
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise InvalidInputError(f"a Questrya export of no known version: {version!r}")
    if version > VERSION:
        raise InvalidInputError(
            f"a Questrya export of version {version}, newer than this Questrya reads "
            f"({VERSION}): upgrade Questrya"
        )
    games = document.get("games")
    if not isinstance(games, list):
        raise InvalidInputError('a Questrya export needs its "games" as a list')
    return games


def _lines(content: str) -> Iterator[int]:
    """The line each game of the (valid) document's "games" list starts on."""
    decoder = json.JSONDecoder()
    at, line, counted = _skip(content, 0) + 1, 1, 0  # inside the document's braces
    while True:
        key, at = decoder.raw_decode(content, _skip(content, at))
        at = _skip(content, _skip(content, at) + 1)  # past the colon
        if key != "games":
            at = _skip(content, decoder.raw_decode(content, at)[1]) + 1  # past the comma
            continue
        at = _skip(content, at + 1)  # into the list
        while content[at] != "]":
            line += content.count("\n", counted, at)
            counted = at
            yield line
            at = _skip(content, decoder.raw_decode(content, at)[1])
            at = _skip(content, at + 1) if content[at] == "," else at
        return


def _skip(content: str, at: int) -> int:
    found = _SPACE.match(content, at)
    return found.end() if found else at


def _text(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise InvalidInputError(f"{name} must be text, not {json.dumps(value)}")
    return value


def _optional_text(value: object, name: str) -> str | None:
    return None if value is None else _text(value, name)


def _day(value: object, name: str) -> date | None:
    return None if value is None else parse_iso_date(_text(value, name), name)


def _number(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(f"{name} must be a whole number, not {json.dumps(value)}")
    return value


def _optional_number(value: object, name: str) -> int | None:
    return None if value is None else _number(value, name)


def _flag(value: object, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInputError(f"{name} must be true or false, not {json.dumps(value)}")
    return value


def _words(value: object, name: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise InvalidInputError(f"{name} must be a list, not {json.dumps(value)}")
    return tuple(_text(item, name) for item in value)


def _ids(value: object, name: str) -> Mapping[str, str]:
    if not isinstance(value, dict):
        raise InvalidInputError(f'{name} must be an object like {{"steam": "570"}}')
    return {_text(key, name): str(_ident(ident, name)) for key, ident in value.items()}


def _ident(value: object, name: str) -> str | int:
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InvalidInputError(f"{name} holds {json.dumps(value)}, not an id")
    return value


# Each field of the format: the row's attribute it fills, and how its JSON value is read.
_READERS: dict[str, tuple[str, Any]] = {
    "title": ("title", _text),
    "platform": ("platform", _optional_text),
    "status": ("status", _text),
    "release_date": ("release_date", _day),
    "started_date": ("started", _day),
    "completion_date": ("completed", _day),
    "completion_level": ("completion_level", _optional_text),
    "rating": ("rating", _optional_number),
    "wishlist": ("wishlist", _flag),
    "tags": ("tags", _words),
    "notes": ("notes", _text),
    "playtime": ("playtime", _number),
    "last_played": ("last_played", _day),
    "provider_ids": ("provider_ids", _ids),
}
