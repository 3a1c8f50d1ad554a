"""Score refreshes in small batches, read by id in SQL (PRODUCT §6): a refresh task reads its
games in one query, asks the provider with no transaction open and writes once, or not at
all; `games refresh --scores` queues only the games that have metadata."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, event

from questrya.games.service import GameService
from questrya.metadata.domain import Candidate, FetchPolicy
from questrya.metadata.repository import SqlMetadataUnitOfWork
from questrya.metadata.service import SCORE_BATCH, MetadataService
from questrya.users.domain import User
from tests.integration.support import FixedClock
from tests.unit.metadata_fakes import RecordingFetchQueue, ScriptedProvider, dota, positive

GAMES = 45


@pytest.fixture
def metadata(
    engine: Engine,
    provider: ScriptedProvider,
    clock: FixedClock,
    fetch_queue: RecordingFetchQueue,
    profile: User,
) -> MetadataService:
    return MetadataService(
        SqlMetadataUnitOfWork(engine), provider, clock, fetch_queue, FetchPolicy(), profile.id
    )


@pytest.fixture
def fetched(
    games: GameService, metadata: MetadataService, provider: ScriptedProvider, clock: FixedClock
) -> list[int]:
    """GAMES fetched games, and two that are not: one waiting, one not found."""
    ids = []
    for number in range(GAMES):
        title, appid = f"Game {number}", str(1000 + number)
        provider.results[title] = [Candidate("steam", appid, title)]
        provider.games[appid] = dota(appid)
        game_id = games.add(title, "pc").id or 0
        assert metadata.fetch(game_id).outcome.value == "fetched"
        ids.append(game_id)
    games.add("Waiting", "pc")
    metadata.fetch(games.add("Nowhere", "pc").id or 0)
    provider.calls.clear()
    clock.advance(timedelta(days=1))
    return ids


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """The SQL statements sent while the block runs."""
    sent: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        sent.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def game_reads(sent: list[str]) -> list[str]:
    return [s for s in sent if s.startswith("SELECT") and "FROM games" in s]


def writes(sent: list[str]) -> list[str]:
    """The writing transactions: SQLite's begin with BEGIN IMMEDIATE, PostgreSQL's lock the
    games they write first (`orm/locks.py`)."""
    return [s for s in sent if s.startswith("BEGIN IMMEDIATE") or s.endswith("FOR NO KEY UPDATE")]


def test_a_batch_is_read_in_one_query_and_written_in_one_transaction(
    engine: Engine, metadata: MetadataService, provider: ScriptedProvider, fetched: list[int]
) -> None:
    batch = fetched[:SCORE_BATCH]
    for number, _ in enumerate(batch):
        provider.score_answers[str(1000 + number)] = positive()

    with statements(engine) as sent:
        assert metadata.refresh_scores(batch) == SCORE_BATCH

    assert len(game_reads(sent)) == 2  # the batch, then the same games for the write
    assert len(writes(sent)) == 1
    assert sorted(call.split()[1] for call in provider.calls) == sorted(
        str(1000 + number) for number in range(SCORE_BATCH)
    )


def test_a_batch_with_no_score_opens_no_write(
    engine: Engine, metadata: MetadataService, fetched: list[int]
) -> None:
    with statements(engine) as sent:
        assert metadata.refresh_scores(fetched[:SCORE_BATCH]) == 0
    assert writes(sent) == []


def test_the_scheduled_refresh_queues_small_batches_of_fetched_games_by_id(
    engine: Engine,
    metadata: MetadataService,
    fetch_queue: RecordingFetchQueue,
    fetched: list[int],
) -> None:
    with statements(engine) as sent:
        assert metadata.queue_score_refresh() == GAMES

    assert fetch_queue.score_refreshes == [
        fetched[start : start + SCORE_BATCH] for start in range(0, GAMES, SCORE_BATCH)
    ]
    [read] = game_reads(sent)
    assert read.startswith("SELECT games.id FROM games")


def test_refresh_scores_queues_only_the_games_with_metadata(
    engine: Engine,
    games: GameService,
    metadata: MetadataService,
    fetch_queue: RecordingFetchQueue,
    fetched: list[int],
) -> None:
    with statements(engine) as sent:
        assert metadata.refresh([], every=True, scores=True) == fetched
    assert len(game_reads(sent)) == 1

    assert metadata.refresh(["waiting", "nowhere", "game 7"], scores=True) == [fetched[7]]
    assert fetch_queue.score_refreshes[-1] == [fetched[7]]


def test_refresh_all_scores_with_no_metadata_queues_none(
    games: GameService, metadata: MetadataService, fetch_queue: RecordingFetchQueue
) -> None:
    for title in ("Alpha", "Bravo", "Charlie", "Delta"):
        games.add(title, "pc")

    assert metadata.refresh([], every=True, scores=True) == []
    assert fetch_queue.score_refreshes == []
