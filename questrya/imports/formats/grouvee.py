"""Grouvee's "Export your collection" CSV (20 columns; shelves, platforms and plays are JSON).

The shelves a game is on give its status: Playing → playing, Played → completed, Backlog →
not_started, Wish List → wishlist (any status); other shelves, the player's own, become tags.
The plays (the `dates` column) give the dates and the completion level of a completed game,
from its latest play, and the playtime, all plays together.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, TextIO

from questrya.common.exceptions import InvalidInputError
from questrya.imports.formats.cells import (
    day,
    minutes_of_seconds,
    rating_of_stars,
    tag_words,
    whole_number,
)
from questrya.imports.formats.rows import ImportRow, SkippedRow, read_each
from questrya.imports.formats.tables import Record, Table, header

NAME = "grouvee"
COLUMNS = ("name", "shelves", "platforms", "rating", "dates")
# Shelf → status; the first shelf of this order that a game is on wins.
_STATUSES = {"Playing": "playing", "Played": "completed", "Backlog": "not_started"}
WISH_LIST = "Wish List"
LEVELS = {"Main Story": "main", "Main Story + Extras": "extras", "100% Completion": "full"}


def recognises(head: str) -> bool:
    columns = header(head)
    return columns[:2] == ["id", "name"] and set(columns) >= set(COLUMNS)


def read(text: TextIO) -> Iterator[ImportRow | SkippedRow]:
    table = Table(text, what="Grouvee")
    table.require(*COLUMNS)
    yield from read_each(table, _row)


def _row(line: int, cells: Record) -> ImportRow:
    title = cells["name"].strip()
    if not title:
        raise InvalidInputError("no name")
    shelves = list(_json(cells["shelves"], dict, "shelves"))
    status = next((_STATUSES[s] for s in _STATUSES if s in shelves), "not_started")
    plays = [_play(play) for play in _json(cells["dates"], list, "dates")]
    latest = _latest(plays) if status != "not_started" else _NO_PLAY
    finished = latest if status == "completed" else _NO_PLAY
    platforms = list(_json(cells["platforms"], dict, "platforms"))
    igdb = cells.get("igdb_id", "").strip()
    return ImportRow(
        line=line,
        title=title,
        platform=platforms[0] if platforms else None,
        status=status,
        wishlist=WISH_LIST in shelves,
        rating=rating_of_stars(cells["rating"], "rating"),
        started=latest.started,
        completed=finished.finished,
        completion_level=finished.level,
        tags=tag_words(s for s in shelves if s not in _STATUSES and s != WISH_LIST),
        notes=_notes(cells.get("review_title", ""), cells.get("review", "")),
        playtime=minutes_of_seconds(sum(play.seconds for play in plays)),
        provider_ids={"igdb": igdb} if igdb.isdigit() else {},
    )


@dataclass(frozen=True, slots=True)
class _Play:
    """One play of the `dates` column."""

    started: date | None = None
    finished: date | None = None
    seconds: int = 0
    level: str | None = None


_NO_PLAY = _Play()


def _latest(plays: list[_Play]) -> _Play:
    """The play finished last, else started last, else listed last."""
    return max(
        reversed(plays),
        key=lambda play: (play.finished or date.min, play.started or date.min),
        default=_NO_PLAY,
    )


def _play(play: Any) -> _Play:
    if not isinstance(play, dict):
        raise InvalidInputError("a play in dates is not a JSON object")
    return _Play(
        started=day(str(play.get("date_started") or ""), "date_started"),
        finished=day(str(play.get("date_finished") or ""), "date_finished"),
        seconds=whole_number(str(play.get("seconds_played") or 0), "seconds_played"),
        level=LEVELS.get(str(play.get("level_of_completion"))),  # another level: none
    )


def _json(cell: str, kind: type[dict[str, Any]] | type[list[Any]], column: str) -> Any:
    """A JSON cell; empty is an empty ``kind``."""
    if not cell.strip():
        return kind()
    try:
        value = json.loads(cell)
    except ValueError:
        raise InvalidInputError(f"{column} is not JSON: {cell[:40]!r}") from None
    if not isinstance(value, kind):
        raise InvalidInputError(f"{column} is not a JSON {'object' if kind is dict else 'list'}")
    return value


def _notes(title: str, review: str) -> str:
    return "\n\n".join(part.strip() for part in (title, review) if part.strip())
