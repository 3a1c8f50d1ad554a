"""Score refreshes as the player sees them (PRODUCT §6): in small batches that let a game
added meanwhile be fetched first, and only for games that have metadata."""

import re
import signal
import time

import pytest

from tests.worker.conftest import Cli, FakeSteam, Fault, assert_nothing_lost, fetch_lines

pytestmark = pytest.mark.slow

LIBRARY = 60  # fetched games whose scores are refreshed: three batches
BATCH_LINE = re.compile(r"scores games=(?P<games>\d+) updated=(?P<updated>\d+)", re.MULTILINE)


def test_a_game_added_during_a_long_score_refresh_is_fetched_before_it_ends(
    cli: Cli, steam: FakeSteam
) -> None:
    for number in range(LIBRARY):
        title = f"Score Quest {number}"
        steam.list_game(title, str(930_000 + number))
        cli.arrange_game(title)
    assert cli.burst(timeout=120).returncode == 0
    reviews_before = steam.hits("reviews")

    steam.fail("reviews", Fault("slow", seconds=0.1))  # a busy Steam: ~8 s for the library
    assert "for 60 game(s)" in cli.ok("games", "refresh", "--all", "--scores")
    worker = cli.start_worker("--no-periodic")  # one thread for fetches and refreshes
    steam.wait_for("reviews", count=reviews_before + 1, timeout=20)
    game = cli.add("Dota 2")  # while the first batch is under way

    deadline = time.monotonic() + 60
    while len(BATCH_LINE.findall(worker.log())) < 3:
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)
    worker.send(signal.SIGTERM)
    assert worker.wait(15) == 0

    log = worker.log()
    batches = [int(m["games"]) for m in BATCH_LINE.finditer(log)]
    assert batches == [20, 20, 20]
    [fetched] = [e for e in fetch_lines(log) if e.game == game["id"] and e.outcome != "skipped"]
    assert fetched.outcome == "fetched"
    fetched_at = log.index(f"fetch game={game['id']} provider=steam outcome=fetched")
    last_batch = list(BATCH_LINE.finditer(log))[-1].start()
    assert fetched_at < last_batch  # fetched between two batches, not after all of them
    assert steam.hits("reviews") == reviews_before + LIBRARY + 1
    assert_nothing_lost(cli, "fetched")


def test_refresh_scores_counts_only_the_games_with_metadata(cli: Cli) -> None:
    for title in ("Alpha Quest", "Bravo Quest", "Cinder Vale", "Dusk Harbor"):
        cli.arrange_game(title)  # waiting: no metadata yet

    shown = cli.ok("games", "refresh", "--all", "--scores")

    assert shown == "Queued a score refresh for 0 game(s).\n"
    assert cli.queue()["waiting"] == 4  # their four fetches, and no refresh
