"""The player acts while a fetch waits on a slow Steam (PRODUCT §6): a pick is applied when
that fetch ends, a refresh starts no second fetch beside it, under two worker threads."""

import signal
import time

import pytest

from tests.worker.conftest import (
    DLC_NAME,
    DOTA_APPID,
    Cli,
    FakeSteam,
    Fault,
    assert_nothing_lost,
    fetch_lines,
    fetch_spans,
    overlapping,
)

pytestmark = pytest.mark.slow

SLOW = 2.0  # seconds Steam takes to answer the fetch in flight


def settled(cli: Cli, game_id: int, status: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while {g["id"]: g for g in cli.games()}[game_id]["metadata_status"] != status:
        assert time.monotonic() < deadline, f"game {game_id} never became {status}"
        time.sleep(0.1)


def test_a_pick_made_while_the_game_is_fetched_is_applied_when_that_fetch_ends(
    cli: Cli, steam: FakeSteam
) -> None:
    title = DLC_NAME.title()  # only a DLC answers: this fetch ends ambiguous
    steam.fail("search", Fault("slow", times=1, seconds=SLOW), key=title)
    game = cli.arrange_game(title, "--rating", "7")
    worker = cli.start_worker("--workers", "2", "--no-periodic")
    steam.wait_for("search", title, timeout=20)

    picked = cli.run("games", "match", str(game["id"]), "--id", f"steam:{DOTA_APPID}")
    assert picked.returncode == 0, picked.stderr

    settled(cli, game["id"], "fetched")
    assert "once the fetch in progress ends" in picked.stdout
    worker.send(signal.SIGTERM)
    assert worker.wait(15) == 0
    shown = assert_nothing_lost(cli, "fetched")[game["id"]]
    assert shown["metadata"]["provider_id"] == DOTA_APPID
    outcomes = [e.outcome for e in fetch_lines(worker.log()) if e.game == game["id"]]
    assert outcomes == ["restarted", "fetched"]


def test_a_refresh_while_the_game_is_fetched_starts_no_second_fetch(
    cli: Cli, steam: FakeSteam
) -> None:
    steam.fail("details", Fault("slow", times=1, seconds=SLOW), key=DOTA_APPID)
    game = cli.arrange_game("Dota 2")
    worker = cli.start_worker("--workers", "2", "--no-periodic")
    steam.wait_for("details", DOTA_APPID, timeout=20)

    assert cli.run("games", "refresh", str(game["id"])).returncode == 0

    settled(cli, game["id"], "fetched")
    worker.send(signal.SIGTERM)
    assert worker.wait(15) == 0
    first, second = steam.requests("details", DOTA_APPID)[:2]
    assert second.at - first.at >= SLOW - 0.1  # the second fetch came after the first ended
    assert overlapping(fetch_spans(worker.log())) == []
    assert_nothing_lost(cli, "fetched")
    [(snapshots,)] = cli.stored("SELECT count(*) FROM game_scores")
    assert snapshots == 1  # the first fetch's outcome gave way to the refresh
