"""One fetch task a game in the queue, whatever asks for it (PRODUCT §6): the real Huey queue
file and the real services on a temp database; tasks run in this process as a worker runs
them."""

from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from questrya.games.service import GameService
from questrya.metadata.domain import Candidate, FetchPolicy, TemporaryProviderError
from questrya.metadata.repository import SqlMetadataUnitOfWork
from questrya.metadata.service import MetadataService
from questrya.users.domain import User
from questrya.workers.enqueue import HueyFetchQueue
from questrya.workers.location import queue_location
from questrya.workers.queue import QueueTasks, open_queue
from tests.integration.support import FixedClock, games_of
from tests.unit.metadata_fakes import ScriptedProvider, dota, positive

RETRY_DELAY = timedelta(seconds=30)


@pytest.fixture
def provider() -> ScriptedProvider:
    scripted = ScriptedProvider()
    for title in ("Dota 2", "Alpha", "Bravo", "Charlie"):
        scripted.results[title] = [Candidate("steam", "570", "Dota 2")]
    scripted.games["570"] = dota()
    scripted.score_answers["570"] = positive()
    return scripted


@pytest.fixture
def pause() -> list[Callable[[], object]]:
    """What happens while a sweep waits to look again (nothing, unless a test says)."""
    return []


def queue_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'queue.db'}"


@pytest.fixture
def tasks(
    tmp_path: Path,
    engine: Engine,
    provider: ScriptedProvider,
    clock: FixedClock,
    pause: list[Callable[[], object]],
) -> QueueTasks:
    def service() -> MetadataService:
        policy = FetchPolicy(max_attempts=3, retry_delay=RETRY_DELAY)
        return MetadataService(SqlMetadataUnitOfWork(engine), provider, clock, queue, policy)

    url = queue_url(tmp_path)
    queue = HueyFetchQueue(queue_location(url), lambda: made)
    made = QueueTasks(
        open_queue(url),
        service,
        "0 4 * * *",
        clock=lambda: clock.now().timestamp(),
        sleep=lambda seconds: [meanwhile() for meanwhile in pause],
    )
    return made


@pytest.fixture
def backlog(
    tmp_path: Path, engine: Engine, profile: User, clock: FixedClock, tasks: QueueTasks
) -> GameService:
    """The games feature, queueing its fetches on the real queue."""
    queue = HueyFetchQueue(queue_location(queue_url(tmp_path)), lambda: tasks)
    return games_of(engine, profile, clock, queue)


@pytest.fixture
def player(
    tmp_path: Path,
    engine: Engine,
    profile: User,
    provider: ScriptedProvider,
    clock: FixedClock,
    tasks: QueueTasks,
) -> MetadataService:
    """`games match` and `games refresh`, as the player's commands build them."""
    return MetadataService(
        SqlMetadataUnitOfWork(engine),
        provider,
        clock,
        HueyFetchQueue(queue_location(queue_url(tmp_path)), lambda: tasks),
        FetchPolicy(),
        owner_id=profile.id,
    )


def held(tasks: QueueTasks) -> Counter[int]:
    """Fetch tasks per game, waiting or scheduled; a revoked one is discarded unrun."""
    huey = tasks.huey
    return Counter(
        task.args[0]
        for task in [*huey.pending(), *huey.scheduled()]
        if task.name == tasks.fetch.name and not huey.is_revoked(task)
    )


def run_waiting(tasks: QueueTasks) -> list[str]:
    """Run the tasks waiting now, as a worker thread would (one due later goes to the
    schedule); the outcomes of the fetches."""
    outcomes = []
    while (task := tasks.huey.dequeue()) is not None:
        report = tasks.huey.execute(task)
        if report is not None:
            outcomes.append(report.outcome.value)
    return outcomes


def test_sweeps_never_queue_a_waiting_game_twice(backlog: GameService, tasks: QueueTasks) -> None:
    ids = [backlog.add(title, "pc").id for title in ("Alpha", "Bravo", "Charlie")]

    for _ in range(3):
        tasks.sweep.call_local()  # the sweep every five minutes
    tasks.sweep_queue(at_start=True)  # and at a worker's start

    assert held(tasks) == Counter(ids)


def test_add_refresh_and_match_queue_one_task_a_game(
    backlog: GameService, player: MetadataService, tasks: QueueTasks
) -> None:
    game = backlog.add("Dota 2", "pc")

    player.refresh(["dota"])
    player.pick("dota", provider_id="steam:570")
    player.refresh([], every=True)

    assert held(tasks) == Counter([game.id])
    assert run_waiting(tasks) == ["fetched"]
    assert held(tasks) == Counter()


def test_a_restart_replaces_a_retry_scheduled_later(
    backlog: GameService, player: MetadataService, provider: ScriptedProvider, tasks: QueueTasks
) -> None:
    provider.results["Dota 2"] = TemporaryProviderError("HTTP 503 from store")
    game = backlog.add("Dota 2", "pc")
    assert run_waiting(tasks) == ["retry"]
    assert held(tasks) == Counter([game.id])  # the retry, scheduled 30 s on

    provider.results["Dota 2"] = [Candidate("steam", "570", "Dota 2")]
    player.refresh(["dota"])  # the player does not want to wait

    assert held(tasks) == Counter([game.id])  # the sooner task took the retry's place
    assert run_waiting(tasks) == ["fetched"]
    assert held(tasks) == Counter()


def test_a_task_that_comes_before_its_game_is_due_puts_itself_back_for_then(
    backlog: GameService, provider: ScriptedProvider, tasks: QueueTasks
) -> None:
    provider.results["Dota 2"] = TemporaryProviderError("HTTP 503 from store")
    asked: list[int] = []

    def another_fetch_is_queued(call: str) -> None:
        if not asked:  # while the first one runs, once it has taken its mark away
            asked.append(game_id)
            tasks.enqueue_fetch(game_id)

    game_id = backlog.add("Dota 2", "pc").id or 0
    provider.meanwhile = another_fetch_is_queued

    # The first ends in a retry due in 30 s: the task queued meanwhile is sooner and stays;
    # when it runs, the game is not due yet, and it goes back for then.
    assert run_waiting(tasks) == ["retry", "skipped"]
    assert held(tasks) == Counter([game_id])
    [back] = tasks.huey.scheduled()
    assert back.eta is not None


def test_a_task_lost_between_the_queue_and_its_start_is_restored_by_the_next_sweep(
    backlog: GameService, tasks: QueueTasks
) -> None:
    game = backlog.add("Dota 2", "pc")
    assert tasks.huey.dequeue() is not None  # taken, then the worker is killed

    assert tasks.sweep_queue(at_start=True) == [game.id]

    assert held(tasks) == Counter([game.id])
    assert run_waiting(tasks) == ["fetched"]


def test_a_task_that_starts_while_the_sweep_looks_is_not_doubled(
    backlog: GameService, tasks: QueueTasks, pause: list[Callable[[], object]]
) -> None:
    game = backlog.add("Dota 2", "pc")
    task = tasks.huey.dequeue()  # out of the queue, its mark still there ...
    pause.append(lambda: tasks.huey.execute(task))  # ... it starts while the sweep waits

    assert tasks.sweep_queue() == []

    assert held(tasks) == Counter()
    assert {g.id: g.metadata_status.value for g in backlog.find()} == {game.id: "fetched"}
