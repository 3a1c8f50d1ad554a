"""The life of `questrya worker` (PRODUCT §6): it picks up new games while it runs, is the only
worker on its queue, and Ctrl-C or SIGTERM let the task in hand finish before it exits 0."""

import re
import signal
import time

import pytest

from tests.worker.conftest import (
    DOTA_APPID,
    Cli,
    FakeSteam,
    Fault,
    assert_nothing_lost,
    fetch_lines,
)

pytestmark = pytest.mark.slow

PICKUP_WITHIN = 3.0  # seconds from `games add` returning to the game being fetched


@pytest.mark.embedded  # one worker on a SQLite queue
def test_a_running_worker_fetches_new_games_alone_and_stops_on_sigterm(cli: Cli) -> None:
    worker = cli.start_worker()
    worker.wait_for_log(r"worker started", timeout=20)

    second = cli.start_worker()  # while the first runs, on the same data folder
    game = cli.add("Dota 2", "--tag", "moba")  # from another process
    added = time.monotonic()
    fetched = re.escape(f"fetch game={game['id']} provider=steam outcome=fetched")
    worker.wait_for_log(fetched, timeout=PICKUP_WITHIN)
    pickup = time.monotonic() - added
    assert pickup < PICKUP_WITHIN

    assert second.wait(20) == 1
    refusal = second.log().strip().splitlines()
    assert len(refusal) == 1, refusal
    assert refusal[0].startswith("Error:")
    assert "already running" in refusal[0]

    asked = time.monotonic()
    worker.send(signal.SIGTERM)
    assert worker.wait(10) == 0
    assert time.monotonic() - asked < 5
    assert worker.log().rstrip().endswith("worker stopped")
    assert_nothing_lost(cli, "fetched")


@pytest.mark.parametrize(
    ("mode", "signum"),
    [((), signal.SIGINT), ((), signal.SIGTERM), (("--burst",), signal.SIGINT)],
    ids=["worker-sigint", "worker-sigterm", "burst-sigint"],
)
def test_a_signal_lets_the_task_in_hand_finish_and_exits_0(
    cli: Cli,
    steam: FakeSteam,
    mode: tuple[str, ...],
    signum: signal.Signals,
) -> None:
    slow = 1.5
    steam.fail("details", Fault("slow", times=1, seconds=slow), key=DOTA_APPID)
    game = cli.arrange_game("Dota 2", "--notes", "weekend")
    worker = cli.start_worker(*mode)
    steam.wait_for("details", DOTA_APPID, timeout=20)  # the fetch is waiting on Steam

    asked = time.monotonic()
    worker.send(signum)
    assert worker.wait(20) == 0, worker.log()
    assert time.monotonic() - asked < slow + 5
    assert (game["id"], "fetched") in [(e.game, e.outcome) for e in fetch_lines(worker.log())]
    assert_nothing_lost(cli, "fetched")  # finished, not left for the next start


def test_worker_threads_fetch_side_by_side(cli: Cli, steam: FakeSteam) -> None:
    steam.list_game("Alpha Quest", "910001")
    steam.list_game("Bravo Quest", "910002")
    games = [cli.arrange_game(title) for title in ("Dota 2", "Alpha Quest", "Bravo Quest")]
    worker = cli.start_worker("--workers", str(len(games)), "--no-periodic")
    wanted, deadline = {g["id"] for g in games}, time.monotonic() + 20
    while time.monotonic() < deadline:
        assert "Traceback" not in worker.log(), worker.log()
        if {e.game for e in fetch_lines(worker.log()) if e.outcome == "fetched"} >= wanted:
            break
        time.sleep(0.1)
    worker.send(signal.SIGTERM)
    assert worker.wait(15) == 0
    assert_nothing_lost(cli, "fetched")
