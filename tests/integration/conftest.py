"""Fixtures of the integration layer: the real services on the migrated temp database of
tests/conftest.py's `engine` fixture."""

from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from questrya.games.service import GameService
from questrya.metadata.domain import Candidate
from questrya.orm.database import TextRows, open_engine
from questrya.orm.migrate import migrate
from questrya.orm.sqlite import open_reader
from questrya.users.domain import User
from questrya.users.repository import SqlUsersUnitOfWork
from questrya.users.service import UserService
from tests.integration.support import (
    NOW,
    TODAY,
    FixedClock,
    RecordingQueue,
    games_of,
    postgresql_database,
)
from tests.unit.metadata_fakes import RecordingFetchQueue, ScriptedProvider, dota, positive


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW, TODAY)


@pytest.fixture
def queue() -> RecordingQueue:
    return RecordingQueue()


@pytest.fixture
def users(engine: Engine, clock: FixedClock) -> UserService:
    return UserService(SqlUsersUnitOfWork(engine), clock, login="player")


@pytest.fixture
def profile(users: UserService) -> User:
    return users.current()


@pytest.fixture
def games(engine: Engine, profile: User, clock: FixedClock, queue: RecordingQueue) -> GameService:
    return games_of(engine, profile, clock, queue)


@pytest.fixture
def provider() -> ScriptedProvider:
    """A provider that knows Dota 2: its search result, details and scores."""
    scripted = ScriptedProvider()
    scripted.results["Dota 2"] = [Candidate("steam", "570", "Dota 2")]
    scripted.games["570"] = dota()
    scripted.score_answers["570"] = positive()
    return scripted


@pytest.fixture
def fetch_queue() -> RecordingFetchQueue:
    return RecordingFetchQueue()


@pytest.fixture(params=["sqlite3", "sqlalchemy", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Engine, Any]]:
    """A migrated database, and how the read side connects to it."""
    if request.param == "postgresql":
        for server in postgresql_database("views"):
            yield server, partial(TextRows, server)
        return
    path = tmp_path / "views.db"
    engine = open_engine(f"sqlite:///{path}")
    migrate(engine)
    if request.param == "sqlite3":
        yield engine, lambda: open_reader(path)
    else:
        yield engine, lambda: TextRows(engine)
    engine.dispose()
