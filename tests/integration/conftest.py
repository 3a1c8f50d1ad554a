"""Fixtures of the integration layer: the real services on the migrated temp database of
tests/conftest.py's `engine` fixture."""

import pytest
from sqlalchemy import Engine

from questrya.games.service import GameService
from questrya.metadata.domain import Candidate
from questrya.users.domain import User
from questrya.users.repository import SqlUsersUnitOfWork
from questrya.users.service import UserService
from tests.integration.support import NOW, TODAY, FixedClock, RecordingQueue, games_of
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
