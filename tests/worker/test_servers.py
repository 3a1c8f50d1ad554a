"""Several workers sharing a PostgreSQL database and a Redis queue (PRODUCT §10), against
the loopback Steam: parallel adds are each fetched exactly once, and a worker killed in the
middle of a fetch loses nothing: another takes the game once its lease has run out."""

import re
import signal
import socket
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.backends import (
    QUEUE_SECRET,
    database_server,
    postgresql_schema,
    push_forged_task,
    queue_server,
    redis_queue,
)
from tests.e2e.terminal import run_on_terminal
from tests.worker.conftest import Cli, FakeSteam, Fault, fetch_lines, starts

pytestmark = pytest.mark.slow

WORKERS, ADDS = 3, 8
# A fetch holds its game for a minute past its last renewal (FetchPolicy.lease), and workers
# sharing a queue sweep every minute: a killed worker's game is fetched within about two.
AFTER_THE_LEASE = 200.0


@pytest.fixture
def servers(make_cli: Callable[[Path], Cli], home: Path) -> Iterator[Cli]:
    """A `Cli` whose database is a schema of its own on PostgreSQL and whose queue is a
    name of its own on Redis (the test skips when either does not answer)."""
    database, queue = database_server(), queue_server()
    with postgresql_schema(database) as database_url, redis_queue(queue) as queue_url:
        cli: Cli = make_cli(home)
        cli.env.update(
            {
                "QUESTRYA_DATABASE_URL": database_url,
                "QUESTRYA_QUEUE_URL": queue_url,
                "QUESTRYA_QUEUE_SECRET": QUEUE_SECRET,
            }
        )
        yield cli
        cli.close()


def add_at_once(cli: Cli, titles: list[str]) -> None:
    """`games add` for each title, each its own process, all at once."""
    failures: list[str] = []

    def add(title: str) -> None:
        try:
            cli.add(title)
        except AssertionError as error:
            failures.append(str(error))

    threads = [threading.Thread(target=add, args=(title,)) for title in titles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert failures == []


def wait_until_fetched(cli: Cli, count: int, timeout: float) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while True:
        games = cli.games()
        if sum(game["metadata_status"] == "fetched" for game in games) == count:
            return games
        if time.monotonic() > deadline:
            pytest.fail(f"not every game was fetched after {timeout}s: {games}")
        time.sleep(0.5)


def test_three_workers_fetch_eight_parallel_adds_each_exactly_once(
    servers: Cli, steam: FakeSteam
) -> None:
    titles = [f"Shared Game {n}" for n in range(ADDS)]
    for number, title in enumerate(titles):
        steam.list_game(title, str(910000 + number))
    workers = [servers.start_worker() for _ in range(WORKERS)]
    for worker in workers:
        worker.wait_for_log(r"worker started", timeout=30)

    add_at_once(servers, titles)
    games = wait_until_fetched(servers, ADDS, timeout=60)

    assert sorted(str(game["title"]) for game in games) == sorted(titles)  # each once
    assert {title: steam.hits("search", title) for title in titles} == dict.fromkeys(titles, 1)
    logs = [worker.log() for worker in workers]
    ended = Counter(line.game for log in logs for line in fetch_lines(log))
    assert sorted(ended.values()) == [1] * ADDS  # fetched exactly once, by one worker
    assert not any(re.search(r"ERROR|Traceback", log) for log in logs), logs
    assert sum(1 for log in logs if fetch_lines(log)) >= 2  # the workers shared the work


def test_queue_shows_each_worker_on_the_shared_queue_until_it_stops(servers: Cli) -> None:
    workers = [servers.start_worker("--no-periodic") for _ in range(WORKERS)]
    for worker in workers:
        worker.wait_for_log(r"worker started", timeout=30)
    pids = sorted(worker.process.pid for worker in workers)

    shown = servers.queue()["workers"]
    assert sorted(one["pid"] for one in shown) == pids
    assert {one["host"] for one in shown} == {socket.gethostname()}
    lines = servers.ok("queue").splitlines()
    assert lines[0] == f"workers: {WORKERS} running"
    assert sorted(int(line.split()[1]) for line in lines[1 : 1 + WORKERS]) == pids
    assert all(f" on {socket.gethostname()}, since " in line for line in lines[1 : 1 + WORKERS])

    workers[0].send(signal.SIGTERM)
    assert workers[0].wait(20) == 0
    still = sorted(worker.process.pid for worker in workers[1:])
    assert sorted(one["pid"] for one in servers.queue()["workers"]) == still


def test_games_add_says_when_no_worker_runs_on_the_shared_queue(servers: Cli) -> None:
    code, shown = run_on_terminal(
        ["games", "add", "Hades", "-p", "pc"], servers.home, **servers.env
    )
    assert code == 0, shown
    assert "No worker is running" in shown

    (servers.home / "worker-notice").unlink()  # told today: forget it, to ask again
    worker = servers.start_worker("--no-periodic")
    worker.wait_for_log(r"worker started", timeout=30)
    code, shown = run_on_terminal(
        ["games", "add", "Tunic", "-p", "pc"], servers.home, **servers.env
    )
    assert code == 0, shown
    assert "No worker is running" not in shown
    assert not (servers.home / "worker-notice").exists()


def test_a_worker_killed_mid_fetch_loses_nothing_another_fetches_after_the_lease(
    servers: Cli, steam: FakeSteam
) -> None:
    steam.list_game("Slow Game", "920001")
    steam.fail("details", Fault("slow", times=1, seconds=600), key="920001")
    workers = [servers.start_worker() for _ in range(WORKERS)]
    for worker in workers:
        worker.wait_for_log(r"worker started", timeout=30)

    game = servers.add("Slow Game")
    steam.wait_for("details", "920001", timeout=30)
    [holder] = [w for w in workers if (game["id"], "steam") in starts(w.log())]
    holder.send(signal.SIGKILL)
    holder.wait(10)

    [fetched] = wait_until_fetched(servers, 1, timeout=AFTER_THE_LEASE)

    assert fetched["id"] == game["id"]
    # The killed worker's record expired before its lease did; the others' stay renewed.
    alive = sorted(worker.process.pid for worker in workers if worker is not holder)
    assert sorted(one["pid"] for one in servers.queue()["workers"]) == alive
    others = [worker.log() for worker in workers if worker is not holder]
    done = [line for log in others for line in fetch_lines(log) if line.game == game["id"]]
    # A task that came while the killed worker's lease still held the game skipped it.
    assert [line.outcome for line in done if line.outcome != "skipped"] == ["fetched"]
    assert steam.hits("search", "Slow Game") == 2  # the killed fetch, then the one after it
    assert not any(re.search(r"ERROR|Traceback", log) for log in others), others


def test_a_worker_drops_and_logs_a_task_queued_without_the_secret(
    servers: Cli, tmp_path: Path
) -> None:
    forged = tmp_path / "forged"
    push_forged_task(servers.env["QUESTRYA_QUEUE_URL"], forged)

    run = servers.burst()

    assert run.returncode == 0, run.log
    assert not forged.exists()
    assert "does not carry this queue_secret's signature" in run.log
    assert servers.queue()["waiting"] == 0  # dropped, not left to be tried again
