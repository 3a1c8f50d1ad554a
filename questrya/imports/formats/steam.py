"""Steam's owned games: the answer of the Web API's `IPlayerService/GetOwnedGames`, saved to a
file or fetched online (`imports/steam_library.py`).

Every game is on PC, with its appid as the steam provider id, `playtime_forever` (minutes) as
its playtime and `rtime_last_played` (a Unix time, 0 for never) as the local date it was last
played. Steam keeps no status or rating: each game comes in not started.
"""

import json
import re
from collections.abc import Iterator
from typing import Any, TextIO, TypeGuard

from questrya.common.exceptions import InvalidInputError
from questrya.imports.formats.cells import local_day_of_unix_time
from questrya.imports.formats.rows import ImportRow, SkippedRow
from questrya.imports.formats.tables import BOM

NAME = "steam"
PLATFORM = "PC"
_WHAT = "a Steam GetOwnedGames answer"
# The answer's first key, then a sign of its games, within the head: `{"response": {"game_count"`.
_HEAD = re.compile(r'^\s*\{\s*"response"\s*:\s*\{\s*(?:\}|"(?:game_count|games)")')
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")


def recognises(head: str) -> bool:
    return _HEAD.match(head.removeprefix(BOM)) is not None


def read(text: TextIO) -> Iterator[ImportRow | SkippedRow]:
    """The games in the order of the answer; a game without an appid or a name is skipped
    (a name needs `include_appinfo=1`)."""
    document = text.read().removeprefix(BOM)
    for line, game in _games(document):
        yield _row(line, game)


def _games(document: str) -> Iterator[tuple[int, Any]]:
    """Each game of ``response.games`` with the line its object starts on."""
    try:
        answer = json.loads(document)
    except ValueError as error:
        raise InvalidInputError(f"not {_WHAT}: not JSON ({error})") from None
    response = answer.get("response") if isinstance(answer, dict) else None
    if not isinstance(response, dict):
        raise InvalidInputError(f'not {_WHAT}: no "response" object')
    if not isinstance(response.get("games", []), list):
        raise InvalidInputError(f'not {_WHAT}: "games" is not a list')
    line, counted = 1, 0
    for start, game in _elements(document, ("response", "games")):
        line += document.count("\n", counted, start)
        counted = start
        yield line, game


def _row(line: int, game: Any) -> ImportRow | SkippedRow:
    if not isinstance(game, dict):
        return SkippedRow(line, "a game that is not a JSON object")
    appid, name = game.get("appid"), game.get("name")
    if not _whole(appid) or appid <= 0:
        return SkippedRow(line, "no appid")
    if not isinstance(name, str) or not name.strip():
        return SkippedRow(line, f"appid {appid} has no name (asked without include_appinfo)")
    playtime, last_played = game.get("playtime_forever", 0), game.get("rtime_last_played", 0)
    if not _whole(playtime) or playtime < 0:
        return SkippedRow(line, f"playtime_forever of {name!r} is not a number of minutes")
    if not _whole(last_played):
        return SkippedRow(line, f"rtime_last_played of {name!r} is not a Unix time")
    return ImportRow(
        line=line,
        title=name,
        platform=PLATFORM,
        playtime=playtime,
        last_played=local_day_of_unix_time(last_played),
        provider_ids={"steam": str(appid)},
    )


def _whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


# --- where each game starts: json gives no positions, so walk the path with raw_decode ---------


def _elements(document: str, path: tuple[str, ...]) -> Iterator[tuple[int, Any]]:
    """The elements of the array at ``path`` with their offsets (the document is valid JSON;
    a key given twice counts once, the last time, as `json.loads` has it)."""
    at = _value_of(document, _skip(document, 0), path)
    if at is None or document[at] != "[":
        return
    at = _skip(document, at + 1)
    if document[at] == "]":
        return
    while True:
        element, end = _DECODER.raw_decode(document, at)
        yield at, element
        at = _skip(document, end)
        if document[at] == "]":
            return
        at = _skip(document, at + 1)  # past the comma


def _value_of(document: str, at: int, path: tuple[str, ...]) -> int | None:
    """Where the value at ``path`` starts inside the value starting at ``at``."""
    if not path:
        return at
    if document[at] != "{":
        return None
    found = None
    at = _skip(document, at + 1)
    while document[at] != "}":
        key, at = _DECODER.raw_decode(document, at)
        at = _skip(document, _skip(document, at) + 1)  # past the colon
        if key == path[0]:
            found = at
        _, at = _DECODER.raw_decode(document, at)
        at = _skip(document, at)
        if document[at] == ",":
            at = _skip(document, at + 1)
    return None if found is None else _value_of(document, found, path[1:])


def _skip(document: str, at: int) -> int:
    match = _SPACE.match(document, at)
    return at if match is None else match.end()
