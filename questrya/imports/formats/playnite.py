"""Playnite's library as a CSV export: the Library Exporter extension (`playniteId`, `name`,
`sourceName`, `steamAppId`, `tags`…) and exports named after Playnite's own fields (`Name`,
`Platforms`, `Completion Status`, `Time Played`, `Last Activity`, `User Score`, `Tags`,
`Categories`…).

Column names are compared without case, spaces or punctuation, so "Completion Status" and
`completionStatus` are one column. Only the name is required; the other columns are read
where the export has them. Playnite counts playtime in seconds and scores out of 100.
"""

import re
from collections.abc import Iterator
from typing import TextIO

from questrya.common.exceptions import InvalidInputError
from questrya.imports.formats.cells import (
    local_day,
    minutes_of_seconds,
    rating_of_percent,
    split_list,
    tag_words,
    whole_number,
)
from questrya.imports.formats.rows import ImportRow, SkippedRow, read_each
from questrya.imports.formats.tables import Record, Table, header

NAME = "playnite"
LIST_SEPARATORS = ";,"  # the first one a cell holds
# Each field and the columns (their keys, see `_key`) that hold it, the first present wins.
TITLE = ("name",)
PLATFORMS = ("platforms", "platform")
SOURCES = ("sourcename", "sources", "source", "library")
STATUS = ("completionstatus",)
PLAYTIME = ("timeplayed", "playtime", "playtimeseconds")  # seconds
LAST_ACTIVITY = ("lastactivity", "lastplayed")
USER_SCORE = ("userscore",)
TAGS = ("tags", "categories")  # both kept
NOTES = ("notes",)
STEAM_APP_ID = ("steamappid",)
GAME_ID = ("providergameid", "gameid")  # the store's id: Steam's appid for a Steam game
# Playnite's completion statuses (its defaults); another is the player's own and becomes a tag.
STATUSES = {
    "not played": ("not_started", None),
    "plan to play": ("not_started", None),
    "playing": ("playing", None),
    "played": ("on_hold", None),  # started, neither finished nor dropped
    "on hold": ("on_hold", None),
    "abandoned": ("abandoned", None),
    "beaten": ("completed", "main"),
    "completed": ("completed", "full"),
}
# Playnite's platform names that the platform aliases do not know.
_PLATFORMS = {"pc (windows)": "PC", "pc (dos)": "PC", "pc (linux)": "Linux", "macintosh": "Mac"}
_VENDOR = re.compile(r"^(?:Sony|Microsoft)\s+")  # "Sony PlayStation 4" is PlayStation 4
# Library sources that are PC stores, for an export with no platform column.
_PC_SOURCES = frozenset(
    {
        "steam", "gog", "epic", "epic games", "ea app", "origin", "ubisoft connect", "uplay",
        "battle.net", "amazon", "amazon games", "itch.io", "humble", "rockstar games",
        "bethesda", "legacy games", "indiegala",
    }
)  # fmt: skip
_OWN_COLUMNS = frozenset({"playniteid", "pluginid", "completionstatus", "timeplayed"})


def recognises(head: str) -> bool:
    keys = [_key(column) for column in header(head)]
    return TITLE[0] in keys and not _OWN_COLUMNS.isdisjoint(keys)


def read(text: TextIO) -> Iterator[ImportRow | SkippedRow]:
    table = Table(text, what="Playnite")
    columns = {_key(column): column for column in reversed(table.header)}
    if TITLE[0] not in columns:
        raise InvalidInputError("not a Playnite file: it has no 'name' column")
    yield from read_each(table, lambda line, cells: _row(line, _Cells(cells, columns)))


def _key(column: str) -> str:
    return re.sub(r"[\W_]+", "", column.casefold())


class _Cells:
    """A row's cells by column key."""

    def __init__(self, cells: Record, columns: dict[str, str]) -> None:
        self._cells, self._columns = cells, columns

    def first(self, keys: tuple[str, ...]) -> str:
        """The cell of the first of ``keys`` the export has; empty when it has none."""
        column = next((self._columns[key] for key in keys if key in self._columns), None)
        return "" if column is None else self._cells[column].strip()

    def lists(self, keys: tuple[str, ...]) -> list[str]:
        """The lists in the cells of every one of ``keys`` the export has, one after another."""
        cells = (self._cells[self._columns[key]] for key in keys if key in self._columns)
        return [item for cell in cells for item in split_list(cell, LIST_SEPARATORS)]


def _row(line: int, cells: _Cells) -> ImportRow:
    title = cells.first(TITLE)
    if not title:
        raise InvalidInputError("no name")
    status_name = cells.first(STATUS)
    status, level = STATUSES.get(status_name.casefold(), ("not_started", None))
    own_status = [] if status_name.casefold() in STATUSES else [status_name]
    return ImportRow(
        line=line,
        title=title,
        platform=_platform(cells),
        status=status,
        completion_level=level,
        rating=rating_of_percent(cells.first(USER_SCORE), "user score"),
        tags=tag_words([*cells.lists(TAGS), *own_status]),
        notes=cells.first(NOTES),
        playtime=minutes_of_seconds(whole_number(cells.first(PLAYTIME), "playtime")),
        last_played=local_day(cells.first(LAST_ACTIVITY), "last activity"),
        provider_ids=_steam(cells),
    )


def _platform(cells: _Cells) -> str | None:
    """The first platform (its aliases apply later); without one, PC for a PC store."""
    platforms = cells.lists(PLATFORMS[:1]) or cells.lists(PLATFORMS[1:])
    if platforms:
        name = platforms[0]
        return _PLATFORMS.get(name.casefold(), _VENDOR.sub("", name))
    sources = cells.lists(SOURCES)
    return "PC" if any(source.casefold() in _PC_SOURCES for source in sources) else None


def _steam(cells: _Cells) -> dict[str, str]:
    appid = cells.first(STEAM_APP_ID)
    if not appid and "steam" in cells.first(SOURCES).casefold():
        appid = cells.first(GAME_ID)
    return {"steam": appid} if appid.isascii() and appid.isdigit() and int(appid) > 0 else {}
