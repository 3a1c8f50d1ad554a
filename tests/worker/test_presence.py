"""`questrya queue` tells whether a worker runs (its pid, since when, its last task) by the
worker's lock: right while it runs, after SIGTERM and after `kill -9`; and `games add` on a
terminal says nothing of a missing worker while one runs."""

import re
import signal
import socket
from datetime import UTC, datetime

import pytest

from tests.e2e.terminal import run_on_terminal
from tests.worker.conftest import Cli

pytestmark = [pytest.mark.slow, pytest.mark.embedded]  # the SQLite queue's worker lock

UTC_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def test_queue_reports_the_running_worker_then_none_after_sigterm_and_kill_9(cli: Cli) -> None:
    assert cli.queue()["worker"] is None  # no worker ever ran here

    before = datetime.now(UTC)
    worker = cli.start_worker("--no-periodic")
    worker.wait_for_log(r"worker started", timeout=20)
    running = cli.queue()["worker"]
    assert running["pid"] == worker.process.pid
    assert running["host"] == socket.gethostname()
    assert cli.queue()["workers"] == [cli.queue()["worker"]]
    assert UTC_TIME.match(running["since"]), running
    assert datetime.fromisoformat(running["since"]) >= before.replace(microsecond=0)
    assert running["last_task"] is None

    game = cli.add("Dota 2")
    worker.wait_for_log(rf"fetch game={game['id']} provider=steam outcome=fetched", timeout=20)
    last = cli.queue()["worker"]["last_task"]
    assert (last["name"], last["game"], last["ok"]) == (
        "questrya.fetch_game_metadata",
        game["id"],
        True,
    )
    assert UTC_TIME.match(last["at"]), last
    table = cli.ok("queue").splitlines()[0]
    assert table.startswith(f"worker: running, pid {worker.process.pid}, since ")
    assert f"last task questrya.fetch_game_metadata of game {game['id']} at " in table

    worker.send(signal.SIGTERM)
    assert worker.wait(20) == 0
    assert cli.queue()["worker"] is None
    assert cli.ok("queue").splitlines()[0] == (
        "worker: none running (start one with `questrya worker`)"
    )

    killed = cli.start_worker("--no-periodic")
    killed.wait_for_log(r"worker started", timeout=20)
    assert cli.queue()["worker"]["pid"] == killed.process.pid
    killed.send(signal.SIGKILL)
    assert killed.wait(20) == -signal.SIGKILL
    assert cli.queue()["worker"] is None  # its pid and record are still on disk


def test_games_add_on_a_terminal_says_nothing_while_a_worker_runs(cli: Cli) -> None:
    worker = cli.start_worker("--no-periodic")
    worker.wait_for_log(r"worker started", timeout=20)

    code, shown = run_on_terminal(["games", "add", "Dota 2", "-p", "pc"], cli.home, **cli.env)
    assert code == 0, shown
    assert "Dota 2" in shown
    assert "No worker is running" not in shown
    assert not (cli.home / "worker-notice").exists()
