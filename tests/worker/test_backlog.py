"""Work waits on the game rows, not in the queue (PRODUCT §6, RELIABILITY "Making a lossy queue
safe"): games added with no worker running, or into a queue file that is gone or garbled, are
all fetched by the next `questrya worker --burst`."""

import pytest

from tests.worker.conftest import (
    CRISIS_CORE_TITLE,
    Cli,
    FakeSteam,
    assert_nothing_lost,
    fetch_lines,
)

pytestmark = pytest.mark.slow

TITLES = [
    "Amber Lantern",
    "Brass Orchard",
    "Cinder Vale",
    "Dusk Harbor",
    "Ember Reach",
    "Frost Meridian",
    "Gilded Hollow",
    "Hollow Tide",
    "Ivory Spire",
    "Jade Causeway",
]


def test_games_added_with_no_worker_are_all_fetched_by_one_burst(
    cli: Cli, steam: FakeSteam
) -> None:
    added = []
    for number, title in enumerate(TITLES):
        steam.list_game(title, str(920001 + number))
        options = ["--release-date", f"20{10 + number}-01-01"] if number % 2 else []
        added.append(cli.arrange_game(title, *options, "--rating", str(number + 1)))

    status = cli.queue()
    assert status["waiting"] == len(TITLES)
    assert status["games"]["pending"] == len(TITLES)

    run = cli.burst()
    assert run.returncode == 0, run.log
    fetched = [e.game for e in fetch_lines(run.log) if e.outcome == "fetched"]
    assert sorted(fetched) == sorted(game["id"] for game in added)  # each fetched once
    assert_nothing_lost(cli, "fetched")


@pytest.mark.embedded  # the SQLite queue's file
def test_a_deleted_or_garbled_queue_loses_no_fetch(cli: Cli, steam: FakeSteam) -> None:
    steam.list_game("Alpha Quest", "910001")
    queue = cli.home / "queue.db"
    cli.add("Dota 2")  # its fetch waits in queue.db ...
    queue.unlink()  # ... which is deleted
    cli.add(CRISIS_CORE_TITLE, "--rating", "6")  # still works
    queue.write_bytes(b"this is no SQLite database\n" * 200)  # and now garbled
    cli.add("Alpha Quest")  # still works (exit 0) ...
    assert "Error:" not in cli.stderr_seen[-1]  # ... and is no error

    run = cli.burst()
    assert run.returncode == 0, run.log
    assert "3 game(s) queued by the start-up sweep" in run.log
    assert list(cli.home.glob("queue.db.corrupt-*")), "the garbled file was not kept aside"
    assert_nothing_lost(cli, "fetched")
