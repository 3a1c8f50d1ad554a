"""The read side's port: plain SQL with named parameters on a connection handed in, and the
values of its rows as Python's own types, whichever driver read them.

SQLite's driver gives dates, times and JSON back as the text they are stored as, and
booleans as 0 or 1; PostgreSQL's gives dates, naive UTC times, parsed JSON and booleans.
The functions below take either.
"""

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any, Protocol

Row = Sequence[Any]


class ReadConnection(Protocol):
    # The database's SQL dialect ("sqlite", "postgresql"): for the few expressions that no
    # text shares, such as the days between two dates.
    dialect: str

    def rows(self, sql: str, parameters: Mapping[str, object]) -> Iterator[Row]:
        """The rows of one SELECT, read from the cursor as they are iterated. ``parameters``
        are plain values (int, str, bool, date, naive UTC datetime) named ``:name`` in
        ``sql``. A database failure is a ``StorageError``."""

    def close(self) -> None: ...


def day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def iso_day(value: object) -> str | None:
    """A stored date as JSON writes it ("2025-03-14"): SQLite's text is that already."""
    if value is None or isinstance(value, str):
        return value
    return value.isoformat() if isinstance(value, date) else str(value)


def iso_moment(value: object) -> str:
    """A stored time (naive, UTC) as JSON writes it: "2025-03-14T08:26:53.589793Z", without
    the fraction when it is zero, as ``datetime.isoformat`` leaves it out. SQLite's text
    ("2025-03-14 08:26:53.589793") needs no parsing, which a listing of thousands saves."""
    text = value.isoformat() if isinstance(value, datetime) else str(value).replace(" ", "T", 1)
    return text.removesuffix(".000000") + "Z"


def optional_iso_moment(value: object) -> str | None:
    return None if value is None else iso_moment(value)


def moment(value: object) -> datetime:
    """A stored time (naive, UTC) as an aware datetime."""
    stored = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return stored.replace(tzinfo=UTC)


def optional_moment(value: object) -> datetime | None:
    return None if value is None else moment(value)


def loaded(value: object) -> Any:
    """A JSON column's value: parsed, if the driver gave its text."""
    return json.loads(value) if isinstance(value, str | bytes) else value


def names(value: object) -> list[str]:
    """A JSON list of names (genres, developers): the same lists recur across a backlog, so
    each text is parsed once."""
    parsed: Sequence[str] = _names(value) if isinstance(value, str) else loaded(value)
    return list(parsed)


@lru_cache(maxsize=4096)
def _names(text: str) -> tuple[str, ...]:
    return tuple(json.loads(text))
