"""One row of a file being imported, as a format reads it: nothing checked yet."""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from questrya.common.exceptions import InvalidInputError


@dataclass(frozen=True, slots=True)
class ImportRow:
    """A game as a tracker's export describes it, in Questrya's words."""

    line: int  # where the row starts in the file (1-based), for the summary
    title: str
    platform: str | None = None  # as written; None takes --platform, else "Unknown"
    status: str = "not_started"  # a Questrya status name
    wishlist: bool = False
    rating: int | None = None  # 1-10
    started: date | None = None
    completed: date | None = None
    completion_level: str | None = None  # main, extras, full
    release_date: date | None = None
    tags: tuple[str, ...] = ()
    notes: str = ""
    playtime: int = 0  # minutes
    last_played: date | None = None
    provider_ids: Mapping[str, str] = field(default_factory=dict)  # {"steam": "570"}


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A row the format could not read: the summary names its line and why."""

    line: int
    reason: str


Record = TypeVar("Record")


def read_each(
    records: Iterable[tuple[int, Record]], row: Callable[[int, Record], ImportRow]
) -> Iterator[ImportRow | SkippedRow]:
    """The row ``row`` reads of each record, with its line; a record it cannot read is
    skipped, with why."""
    for line, record in records:
        try:
            yield row(line, record)
        except InvalidInputError as error:
            yield SkippedRow(line, str(error))
