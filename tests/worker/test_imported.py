"""Games an import adds are fetched by the worker (PRODUCT §6, §8): queued in one task a batch,
and a game that came with its Steam id fetched by that id, with no search by its title."""

import json
from pathlib import Path

import pytest

from tests.worker.conftest import DOTA_APPID, Cli, FakeSteam, fetch_lines

pytestmark = pytest.mark.slow


def test_imported_games_are_queued_once_and_a_steam_id_is_fetched_by_that_id(
    cli: Cli, steam: FakeSteam, tmp_path: Path
) -> None:
    games = [
        {"title": "My Favourite MOBA", "platform": "PC", "provider_ids": {"steam": DOTA_APPID}},
        {"title": "Dota 2", "platform": "Linux"},
    ]
    path = tmp_path / "backlog.json"
    path.write_text(
        json.dumps({"format": "questrya", "version": 1, "games": games}), encoding="utf-8"
    )

    imported = cli.run("games", "import", str(path))

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("json: 2 added")
    status = cli.queue()
    assert status["waiting"] == 1  # one task queues the batch's fetches
    assert status["games"]["pending"] == 2

    run = cli.burst()

    assert run.returncode == 0, run.log
    fetched = {game["title"]: game for game in cli.games()}
    assert {title: game["metadata_status"] for title, game in fetched.items()} == {
        "My Favourite MOBA": "fetched",
        "Dota 2": "fetched",
    }
    assert fetched["My Favourite MOBA"]["metadata"]["provider_id"] == DOTA_APPID
    assert steam.hits("search", "My Favourite MOBA") == 0
    assert steam.hits("search", "Dota 2") == 1
    assert sorted(line.outcome for line in fetch_lines(run.log) if line.outcome != "skipped") == [
        "fetched",
        "fetched",
    ]
