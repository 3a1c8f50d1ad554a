"""A Questrya data folder holding a generated backlog of N games, built in seconds.

The program itself creates and migrates the database (`questrya games list` on an empty
folder, which also makes the default profile); the games, their tags, metadata, scores,
changes and events are then inserted with the standard library's sqlite3 in one transaction,
and the result is checked: `PRAGMA integrity_check`, `PRAGMA foreign_key_check` and
`questrya games list --limit 5`.
"""

import json
import shutil
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import timing
from stories import Backlog, Event, Story

from questrya.metadata.repository import _offer_json  # the shape the repository stores

GAME_COLUMNS = (
    "id", "user_id", "title", "title_key", "platform", "platform_key", "status",
    "release_date", "started_date", "completion_date", "completion_level", "rating",
    "wishlist", "notes", "metadata_status", "added_at", "updated_at", "removed_at",
    "fetch_attempts", "fetch_due_at", "fetch_lease_until", "fetch_error", "fetch_candidates",
    "fetch_pick",
)  # fmt: skip
METADATA_COLUMNS = (
    "game_id", "provider", "provider_id", "title", "release_date", "genres", "developers",
    "publishers", "description", "cover_url", "url", "fetched_at",
)  # fmt: skip
SCORE_COLUMNS = ("game_id", "fetched_at", "user_score", "user_votes", "critic_score", "label")
CHANGE_COLUMNS = ("id", "user_id", "at")
EVENT_COLUMNS = ("id", "user_id", "game_id", "kind", "at", "before", "after", "change_id")
TAG_COLUMNS = ("game_id", "tag")


@dataclass(frozen=True)
class Library:
    """A built data folder and the games the measured commands name."""

    size: int
    home: Path
    sample_id: int  # completed, fetched, several scores and events: `show` and `history`
    rate_id: int  # another completed game, rated again on each run
    playing_ids: tuple[int, ...]  # games `complete` can finish, a new one each run

    @property
    def env(self) -> dict[str, str]:
        return timing.environment(QUESTRYA_HOME=str(self.home))


class Rows:
    """The rows of every table, gathered from the stories of the games."""

    def __init__(self, owner_id: int) -> None:
        self.owner_id = owner_id
        self.tables: dict[str, tuple[Sequence[str], list[tuple[Any, ...]]]] = {
            "games": (GAME_COLUMNS, []),
            "game_tags": (TAG_COLUMNS, []),
            "game_metadata": (METADATA_COLUMNS, []),
            "game_scores": (SCORE_COLUMNS, []),
            "changes": (CHANGE_COLUMNS, []),
            "game_events": (EVENT_COLUMNS, []),
        }
        self._events: list[Event] = []

    def add(self, story: Story) -> None:
        game, fetch = story.game, story.fetch
        self._rows("games").append(
            (
                game.id, self.owner_id, game.title, game.title_key, game.platform.name,
                game.platform.key, game.status.value, _day(game.release_date),
                _day(game.started_date), _day(game.completion_date),
                game.completion_level.value if game.completion_level else None,
                game.rating.score if game.rating else None, game.wishlist, game.notes,
                fetch.status.value, _stamp(game.added_at), _stamp(game.updated_at),
                _stamp(game.removed_at), fetch.attempts, _stamp(fetch.due_at),
                _stamp(fetch.lease_until), fetch.error,
                _json([_offer_json(o) for o in fetch.offers]) if fetch.offers else None, None,
            )
        )  # fmt: skip
        self._rows("game_tags").extend((game.id, tag) for tag in game.tags)
        self._add_metadata(story)
        self._events.extend(story.events)

    def _add_metadata(self, story: Story) -> None:
        game_id, metadata = story.fetch.game_id, story.fetch.metadata
        if metadata is None or story.fetched_at is None:
            return
        self._rows("game_metadata").append(
            (
                game_id, metadata.provider, metadata.provider_id, metadata.title,
                _day(metadata.release_date), json.dumps(list(metadata.genres)),
                json.dumps(list(metadata.developers)), json.dumps(list(metadata.publishers)),
                metadata.description, metadata.cover_url, metadata.url,
                _stamp(story.fetched_at),
            )
        )  # fmt: skip
        self._rows("game_scores").extend(
            (
                game_id, _stamp(score.fetched_at), score.user_score, score.user_votes,
                score.critic_score, score.label,
            )
            for score in story.scores
        )  # fmt: skip

    def number_events(self) -> None:
        """One change per command, numbered in the order they happened, as `undo` expects."""
        self._events.sort(key=lambda event: (event.at, event.game_id))
        for number, event in enumerate(self._events, start=1):
            at = _stamp(event.at)
            self._rows("changes").append((number, self.owner_id, at))
            self._rows("game_events").append(
                (
                    number, self.owner_id, event.game_id, event.kind.value, at,
                    _json(event.before), _json(event.after), number,
                )
            )  # fmt: skip

    def _rows(self, table: str) -> list[tuple[Any, ...]]:
        return self.tables[table][1]


def build(home: Path, size: int) -> Library:
    """A new data folder at ``home`` with ``size`` games in its default profile."""
    home.mkdir(parents=True)
    env = timing.environment(QUESTRYA_HOME=str(home))
    timing.output_of([timing.QUESTRYA, "games", "list"], env)  # creates and migrates
    with closing(sqlite3.connect(home / "questrya.db")) as connection:
        owner_id = connection.execute("SELECT id FROM users WHERE is_default").fetchone()[0]
        rows = Rows(owner_id)
        for story in Backlog(owner_id, datetime.now(UTC)).stories(size):
            rows.add(story)
        rows.number_events()
        _insert(connection, rows)
        _check(connection)
        library = _library(connection, size, home)
    shown = timing.output_of([timing.QUESTRYA, "games", "list", "--limit", "5"], env)
    if len(shown.splitlines()) != 6:  # the header and five games
        raise RuntimeError(f"`games list --limit 5` on the built library showed:\n{shown}")
    return library


def empty(home: Path) -> None:
    """A new data folder at ``home`` (whatever was there goes), its database migrated and its
    profile made, with no game: what an import starts from."""
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    env = timing.environment(QUESTRYA_HOME=str(home))
    timing.output_of([timing.QUESTRYA, "games", "list"], env)


def counts(home: Path) -> dict[str, int]:
    """How many rows each table of a built library holds beside its games."""
    with closing(sqlite3.connect(home / "questrya.db")) as connection:
        return {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("game_tags", "game_metadata", "game_scores", "changes", "game_events")
        }


def _insert(connection: sqlite3.Connection, rows: Rows) -> None:
    with connection:  # one transaction
        for table, (columns, values) in rows.tables.items():
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            connection.executemany(sql, values)
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # no measured run pays for it


def _check(connection: sqlite3.Connection) -> None:
    integrity = connection.execute("PRAGMA integrity_check").fetchall()
    dangling = connection.execute("PRAGMA foreign_key_check").fetchall()
    if integrity != [("ok",)] or dangling:
        raise RuntimeError(f"the built database is broken: {integrity[:3]} {dangling[:3]}")


def _library(connection: sqlite3.Connection, size: int, home: Path) -> Library:
    in_backlog = "removed_at IS NULL"
    completed = _ids(
        connection,
        f"SELECT id FROM games WHERE status = 'completed' AND {in_backlog}"
        " AND id IN (SELECT game_id FROM game_scores GROUP BY game_id HAVING count(*) > 1)"
        " ORDER BY abs(id - ?) LIMIT 2",
        size // 2,
    )
    playing = _ids(
        connection, f"SELECT id FROM games WHERE status = 'playing' AND {in_backlog} ORDER BY id"
    )
    return Library(size, home, completed[0], completed[1], tuple(playing))


def _ids(connection: sqlite3.Connection, sql: str, *parameters: object) -> list[int]:
    return [row[0] for row in connection.execute(sql, parameters)]


def _stamp(moment: datetime | None) -> str | None:
    """A time as SQLAlchemy stores it on SQLite: naive UTC, with microseconds."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _day(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _json(value: object) -> str:
    """A JSON column's text as SQLAlchemy writes it (None is JSON's null)."""
    return json.dumps(value)
