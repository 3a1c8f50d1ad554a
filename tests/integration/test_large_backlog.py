"""A backlog larger than the number of values one SQL statement may bind: SQLite's default
limit is 32,766 (PostgreSQL's 65,535), and every listing must still work."""

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from questrya.orm.database import open_engine
from questrya.orm.migrate import migrate
from questrya.users.repository import SqlUsersUnitOfWork
from questrya.users.service import UserService
from tests.integration.support import FixedClock, games_of

SQLITE_DEFAULT_MAX_VARIABLES = 32_766
GAMES = 33_000
ADDED = "2025-01-02 03:04:05.000000"


@pytest.fixture
def stock_sqlite(tmp_path: Path) -> Iterator[Engine]:
    """A database whose connections bind at most SQLite's default number of values (this
    machine's SQLite may have been built with a higher limit)."""
    engine = open_engine(f"sqlite:///{tmp_path / 'large.db'}")

    @event.listens_for(engine, "connect")
    def _stock_limit(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.setlimit(
            sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, SQLITE_DEFAULT_MAX_VARIABLES
        )

    migrate(engine)
    yield engine
    engine.dispose()


def test_a_backlog_past_the_bind_limit_lists_with_the_latest_scores(
    stock_sqlite: Engine, clock: FixedClock
) -> None:
    player = UserService(SqlUsersUnitOfWork(stock_sqlite), clock, login="player").current()
    with stock_sqlite.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO games (user_id, title, title_key, platform, platform_key, status,"
            " wishlist, notes, metadata_status, added_at, updated_at, fetch_attempts)"
            " VALUES (?, ?, ?, 'PC', 'pc', 'not_started', 0, '', 'fetched', ?, ?, 0)",
            [(player.id, f"Game {n:05}", f"game {n:05}", ADDED, ADDED) for n in range(GAMES)],
        )
        # every thousandth game has two snapshots: the listing shows the later one
        connection.exec_driver_sql(
            "INSERT INTO game_scores (game_id, fetched_at, user_score)"
            " SELECT id, ?, 50 FROM games WHERE id % 1000 = 0 UNION ALL"
            " SELECT id, ?, 75 FROM games WHERE id % 1000 = 0",
            (ADDED, ADDED),
        )

    listed = games_of(stock_sqlite, player, clock).find()

    assert len(listed) == GAMES
    scored = {game.id: game.score.user_score for game in listed if game.score is not None}
    assert scored == dict.fromkeys(range(1000, GAMES + 1, 1000), 75)
