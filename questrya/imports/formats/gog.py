"""GOG Galaxy 2's library, as `galaxy_library_export.py` (GOG-Galaxy-Export-Script) writes it:
tab-separated by default (`-d` chooses another separator), one game a row, a list in one cell
joined with the same separator (or written as a Python list with `--py-lists`).

`title` is required; `platformList`, `myRating` (1-5 stars), `gameMins`, `lastPlayed` and
`tags` are read where the export has them. Galaxy keeps no status: each game comes in not
started.
"""

import ast
from collections.abc import Iterator
from typing import TextIO

from questrya.common.exceptions import InvalidInputError
from questrya.imports.formats.cells import (
    day,
    rating_of_stars,
    split_list,
    tag_words,
    whole_number,
)
from questrya.imports.formats.rows import ImportRow, SkippedRow, read_each
from questrya.imports.formats.tables import BOM, Record, Table

NAME = "gog"
TITLE = "title"
# Columns only this exporter writes; the header starts with `title` and has one of them.
_OWN_COLUMNS = frozenset(
    {
        "originalTitle", "sortingTitle", "platformList", "myRating", "criticsScore",
        "originalReleaseDate", "gameMins", "lastPlayed", "dlcs", "isHidden", "osCompatibility",
        "backgroundImage", "squareIcon", "verticalCover",
    }
)  # fmt: skip
PC = "PC"
# The exporter's names of Galaxy's platforms that are not PC stores or launchers, kept as
# written (the platform aliases make "PlayStation 2" PS2); any other name is a PC store.
_NOT_PC = frozenset(
    {
        "3DO Interactive Multiplayer", "Nintendo 3DS", "Amiga", "Atari 2600", "Commodore 64",
        "Dreamcast", "Atari Jaguar", "Nintendo 64", "Nintendo GameCube", "Nintendo DS", "NeoGeo",
        "Nintendo Entertainment System", "Game Boy", "Nintendo Switch", "Wii", "Wii U",
        "PC Engine", "PlayStation 2", "PlayStation Network", "PlayStation Portable",
        "PlayStation Vita", "PlayStation", "Sega Saturn", "32X", "Sega CD", "Sega Genesis",
        "Sega Master System", "Super Nintendo Entertainment System", "Google Stadia",
        "ColecoVision", "Xbox", "Xbox Live", "ZX Spectrum PC",
    }
)  # fmt: skip
_NO_PLATFORM = frozenset({"Unknown", "Other", "Test"})


def recognises(head: str) -> bool:
    first = head.removeprefix(BOM).partition("\n")[0].rstrip("\r")
    separator = _separator(first)
    return separator is not None and not _OWN_COLUMNS.isdisjoint(first.split(separator))


def read(text: TextIO) -> Iterator[ImportRow | SkippedRow]:
    first = text.readline()
    separator = _separator(first.removeprefix(BOM).rstrip("\r\n")) or "\t"
    table = Table(_again(first, text), delimiter=separator, what="GOG Galaxy")
    table.require(TITLE)
    yield from read_each(table, lambda line, cells: _row(line, cells, separator))


def _separator(header: str) -> str | None:
    """The character after the first column, `title`."""
    if not header.startswith(TITLE) or len(header) <= len(TITLE):
        return None
    separator = header[len(TITLE)]
    return None if separator.isalnum() or separator in "_ \"'" else separator


def _again(first: str, rest: TextIO) -> Iterator[str]:
    yield first
    yield from rest


def _row(line: int, cells: Record, separator: str) -> ImportRow:
    title = cells[TITLE].strip() or cells.get("originalTitle", "").strip()
    if not title:
        raise InvalidInputError("no title")
    return ImportRow(
        line=line,
        title=title,
        platform=_platform(_list(cells.get("platformList", ""), separator)),
        rating=rating_of_stars(cells.get("myRating", ""), "myRating"),
        tags=tag_words(_list(cells.get("tags", ""), separator)),
        playtime=whole_number(cells.get("gameMins", ""), "gameMins"),
        last_played=day(cells.get("lastPlayed", ""), "lastPlayed"),
    )


def _list(cell: str, separator: str) -> list[str]:
    """A list cell: joined with the separator, or a Python list (`--py-lists`)."""
    text = cell.strip()
    if text.startswith("[") and text.endswith("]"):
        try:
            values = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            values = None
        if isinstance(values, list):
            return [str(value).strip() for value in values if str(value).strip()]
    return split_list(text, separator)


def _platform(names: list[str]) -> str | None:
    """PC when the game is in any PC store; else the first other platform, as written."""
    known = [name for name in names if name not in _NO_PLATFORM]
    if any(name not in _NOT_PC for name in known):
        return PC
    return known[0] if known else None
