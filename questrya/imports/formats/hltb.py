"""HowLongToBeat's CSV export of a profile's games (PRODUCT §8).

A row is a game on one platform; its lists are columns marked with any text ("X"):

| HowLongToBeat | Questrya |
|---|---|
| Playing, Replay | playing |
| Completed (and Completion Date) | completed, on that date |
| Retired (and Retired Notes) | abandoned, the notes kept |
| Backlog, or no list | not_started |
| Custom-1, Custom-2… (a list of the player's own, by its name) | a tag of the list's name |
| Start Date | started |
| Review 0-100 | rating: review ÷ 10 rounded, at least 1; empty or 0, none |
| Progress, Main Story, Main + Extras, Completionist… (HH:MM:SS; -- none) | playtime: the longest |
| a completed game's Main Story, Main + Extras, Completionist time | level main, extras, full |
| General Notes, Review Notes | notes |

A game on several lists takes the first of playing, completed, abandoned.
"""

import re
from collections.abc import Iterator
from typing import TextIO

from questrya.common.exceptions import InvalidInputError
from questrya.imports.formats.cells import day, rating_of_percent, tag_words
from questrya.imports.formats.rows import ImportRow, SkippedRow, read_each
from questrya.imports.formats.tables import Record, Table, header

NAME = "hltb"
# The lists a game may be on, by the status each gives, the first that holds one winning.
_STATUSES = (("Playing", "playing"), ("Replay", "playing"), ("Completed", "completed"),
             ("Retired", "abandoned"), ("Backlog", "not_started"))  # fmt: skip
REQUIRED = ("Title", "Platform", "Playing", "Backlog", "Completed", "Retired")
# The times HowLongToBeat keeps of a playthrough, each HH:MM:SS; a completed game's level is
# that of the longest of the three it was finished to.
_TIMES = ("Progress", "Main Story", "Main + Extras", "Completionist", "Speed Any%",
          "Speed 100%", "Co-Op", "Multi-Player")  # fmt: skip
_LEVELS = (("Completionist", "full"), ("Main + Extras", "extras"), ("Main Story", "main"))
_NOTES = ("General Notes", "Retired Notes", "Review Notes")
# Every column HowLongToBeat itself names; any other is a custom list of the player's.
_KNOWN = frozenset(
    {*REQUIRED, "Replay", "Retired Notes", "Start Date", "Completion Date", "Playthrough",
     *_TIMES, *(f"{name} Notes" for name in _TIMES), "General Notes", "Storefront", "Review",
     "Review Notes", "Added", "Updated"}
)  # fmt: skip
_TIME = re.compile(r"^(\d+):([0-5]?\d):([0-5]?\d)$")
_NONE = ("", "--")


def recognises(head: str) -> bool:
    return {*REQUIRED, "Replay"} <= set(header(head))


def read(text: TextIO) -> Iterator[ImportRow | SkippedRow]:
    table = Table(text, what="HowLongToBeat")
    table.require(*REQUIRED)
    lists = [name for name in table.header if name not in _KNOWN]  # the player's own lists
    yield from read_each(table, lambda line, record: _row(line, record, lists))


def _row(line: int, record: Record, lists: list[str]) -> ImportRow:
    status = next((status for list_, status in _STATUSES if _on(record, list_)), "not_started")
    times = {name: _minutes(record.get(name, ""), name) for name in _TIMES}
    completed = status == "completed"
    return ImportRow(
        line=line,
        title=record["Title"],
        platform=record["Platform"].strip() or None,
        status=status,
        rating=rating_of_percent(record.get("Review", ""), "Review"),
        started=day(record.get("Start Date", ""), "Start Date"),
        completed=day(record.get("Completion Date", ""), "Completion Date") if completed else None,
        completion_level=_level(times) if completed else None,
        tags=tag_words(name for name in lists if record[name].strip()),
        notes="\n\n".join(record[name].strip() for name in _NOTES if record.get(name, "").strip()),
        playtime=max((minutes for minutes in times.values() if minutes), default=0),
    )


def _level(times: dict[str, int | None]) -> str | None:
    """How far a completed game was played: the longest of its times that it has."""
    return next((level for name, level in _LEVELS if times[name]), None)


def _on(record: Record, list_: str) -> bool:
    return bool(record.get(list_, "").strip())


def _minutes(text: str, what: str) -> int | None:
    """HH:MM:SS as whole minutes (30 seconds and more round up); None for none."""
    if text in _NONE:  # most cells: no time kept
        return None
    written = text.strip()
    if written in _NONE:
        return None
    found = _TIME.match(written)
    if found is None:
        raise InvalidInputError(f"{what} must be a time like 12:34:56, not {written!r}")
    hours, minutes, seconds = (int(part) for part in found.groups())
    return hours * 60 + minutes + (seconds >= 30)
