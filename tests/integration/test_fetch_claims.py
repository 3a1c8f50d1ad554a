"""Claims and attempts on a real SQLite file: a fetch keeps its lease however long the
provider takes, a second worker never fetches the same game meanwhile, and a database that
refuses an outcome costs an attempt, not a game stuck `pending`."""

import threading
import time
from datetime import timedelta

from sqlalchemy import Engine, text

from questrya.common.clock import Clock, SystemClock
from questrya.games.service import GameService
from questrya.metadata.domain import FetchPolicy
from questrya.metadata.repository import SqlMetadataUnitOfWork
from questrya.metadata.service import MetadataService
from tests.integration.support import FixedClock, scalar
from tests.unit.metadata_fakes import RecordingFetchQueue, ScriptedProvider

SHORT = FetchPolicy(
    max_attempts=2,
    retry_delay=timedelta(seconds=30),
    lease=timedelta(seconds=0.3),
    renew_every=timedelta(seconds=0.1),
)


def worker_service(
    engine: Engine, provider: ScriptedProvider, clock: Clock, policy: FetchPolicy
) -> MetadataService:
    """A worker thread's service: its own unit of work on the same database."""
    return MetadataService(
        SqlMetadataUnitOfWork(engine), provider, clock, RecordingFetchQueue(), policy
    )


def test_a_fetch_slower_than_its_lease_keeps_the_game_from_a_second_worker(
    engine: Engine, games: GameService, provider: ScriptedProvider
) -> None:
    game_id = games.add("Dota 2", "pc").id or 0
    slow = 4 * SHORT.lease.total_seconds()
    provider.meanwhile = lambda call: time.sleep(slow) if call.startswith("search") else None
    first = worker_service(engine, provider, SystemClock(), SHORT)
    second = worker_service(engine, provider, SystemClock(), SHORT)
    ended: list[str] = []

    other = threading.Thread(target=lambda: ended.append(first.fetch(game_id).outcome.value))
    other.start()
    time.sleep(slow / 2)  # two leases on: a lease nobody renewed would have run out
    assert second.fetch(game_id).outcome.value == "skipped"
    other.join()

    assert ended == ["fetched"]
    assert provider.calls.count("search Dota 2") == 1
    assert scalar(engine, "SELECT count(*) FROM game_scores") == 1
    assert scalar(engine, "SELECT fetch_lease_until FROM games") is None


# The database refuses any metadata, as it would a value over a column's length on PostgreSQL.
REFUSE_METADATA = {
    "sqlite": "CREATE TRIGGER refuse BEFORE INSERT ON game_metadata"
    " BEGIN SELECT RAISE(ABORT, 'value too long for type character varying'); END",
    "postgresql": "ALTER TABLE game_metadata ADD CONSTRAINT refuse CHECK (false) NOT VALID",
}


def test_a_settle_the_database_refuses_is_an_attempt_then_the_game_fails(
    engine: Engine, games: GameService, provider: ScriptedProvider, clock: FixedClock
) -> None:
    with engine.begin() as connection:
        connection.execute(text(REFUSE_METADATA[engine.dialect.name]))
    game_id = games.add("Dota 2", "pc").id or 0
    service = worker_service(engine, provider, clock, SHORT)

    first = service.fetch(game_id)
    clock.advance(timedelta(minutes=1))
    last = service.fetch(game_id)

    assert (first.outcome.value, last.outcome.value) == ("retry", "failed")
    shown = games.show("dota")
    assert shown.metadata_status.value == "failed"
    assert shown.metadata is None
    error = shown.metadata_error or ""
    assert error.startswith("internal error (StorageError")
    assert error.endswith("(gave up after 2 attempts)")
    assert "Traceback" not in error and "\n" not in error
    assert scalar(engine, "SELECT fetch_lease_until FROM games") is None
