"""A healthy Steam: what `games add` + `questrya worker --burst` put on a game (PRODUCT §6-7)."""

import json

import pytest

from tests.worker.conftest import (
    DLC_APPID,
    DLC_NAME,
    DOTA_APPID,
    Cli,
    FakeSteam,
    Fault,
    assert_nothing_lost,
    fetch_lines,
    starts,
)

pytestmark = pytest.mark.slow


def test_a_game_added_is_fetched_by_a_burst(cli: Cli, steam: FakeSteam) -> None:
    game = cli.add("Dota 2")

    status = cli.queue()
    assert status["waiting"] >= 1
    assert status["games"]["pending"] == 1

    run = cli.burst()
    assert run.returncode == 0, run.log

    shown = cli.show("Dota 2")
    assert shown["id"] == game["id"]
    assert shown["metadata_status"] == "fetched"
    metadata = shown["metadata"]
    assert metadata["provider"] == "steam"
    assert metadata["provider_id"] == "570"
    assert metadata["developers"] == ["Valve"]
    assert "Strategy" in metadata["genres"]
    assert metadata["release_date"] == "2013-07-09"
    assert shown["release_date"] == "2013-07-09"  # empty before: filled from the metadata
    summary = json.loads(steam.reviews)["query_summary"]
    score = shown["score"]
    assert score["critic_score"] == 90
    assert score["user_score"] == pytest.approx(
        summary["total_positive"] / summary["total_reviews"] * 100, abs=0.01
    )
    assert score["user_votes"] == summary["total_reviews"]
    assert score["label"] == "Overwhelmingly Positive"

    # One start and one end line per task, the end naming game, provider, outcome, duration.
    ends = fetch_lines(run.log)
    assert sorted(starts(run.log)) == sorted((line.game, line.provider) for line in ends)
    assert [(e.game, e.provider, e.outcome) for e in ends if e.outcome != "skipped"] == [
        (game["id"], "steam", "fetched")
    ]
    assert all(e.seconds >= 0 for e in ends)
    assert "burst finished: 1 fetched, 0 not_found, 0 ambiguous, 0 failed; no game is waiting" in (
        run.log
    )
    assert_nothing_lost(cli, "fetched")


def test_a_dlc_is_never_applied_and_a_pick_by_id_is(cli: Cli, steam: FakeSteam) -> None:
    dlc_title = DLC_NAME.title()  # the DLC's own name: as similar as a title can be
    dlc = cli.arrange_game(dlc_title, "--rating", "7")
    missing = cli.arrange_game("Nothing Like It Exists")

    assert cli.burst().returncode == 0
    games = {g["id"]: g for g in cli.games()}
    assert games[dlc["id"]]["metadata_status"] == "ambiguous"
    assert games[dlc["id"]]["metadata"] is None
    assert games[missing["id"]]["metadata_status"] == "not_found"
    assert steam.hits("details", DLC_APPID) == 0  # never even looked at as a game

    candidates = cli.json("games", "match", str(dlc["id"]))
    assert [(c["number"], c["provider_id"], c["kind"]) for c in candidates] == [
        (1, DLC_APPID, "dlc")
    ]
    assert candidates[0]["similarity"] == pytest.approx(100, abs=0.5)

    refused = cli.run("games", "match", str(dlc["id"]), "--pick", "1")
    assert refused.returncode == 1
    assert refused.stderr.startswith("Error:")
    assert "dlc" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1

    cli.arrange("games", "match", str(dlc["id"]), "--id", "steam:570")
    assert cli.burst().returncode == 0
    settled = assert_nothing_lost(cli, {dlc["id"]: "fetched", missing["id"]: "not_found"})
    assert settled[dlc["id"]]["metadata"]["provider_id"] == DOTA_APPID
    assert settled[dlc["id"]]["title"] == dlc_title  # what the user typed stays


def test_reviews_come_from_the_web_api_when_the_store_answers_html(
    cli: Cli, steam: FakeSteam
) -> None:
    steam.fail("reviews", Fault("html"))
    game = cli.arrange_game("Dota 2", "--release-date", "2014-01-01", "--notes", "mine")

    assert cli.burst().returncode == 0

    # Nothing lost, and the user's 2014-01-01 kept over Steam's 2013-07-09.
    shown = assert_nothing_lost(cli, "fetched")[game["id"]]
    assert shown["release_date"] == "2014-01-01"
    summary = json.loads(steam.legacy_reviews)["response"]["query_summary"]
    assert shown["score"]["user_score"] == pytest.approx(
        summary["total_positive"] / summary["total_reviews"] * 100, abs=0.01
    )
    assert shown["score"]["label"] == "Mixed"
    assert shown["score"]["critic_score"] == 90
    assert steam.hits("reviews", DOTA_APPID) == 1  # an HTML page: no point asking again
    assert steam.hits("legacy_reviews", DOTA_APPID) == 1


def test_control_characters_from_steam_never_reach_the_database_or_the_terminal(
    cli: Cli, steam: FakeSteam
) -> None:
    hostile = "Valve\x1b]0;pwned\x07\x1b[2J"  # retitles the terminal, then clears the screen
    details = {"developers": [hostile], "about_the_game": "<p>Fight\x1b[2J</p><p>Win</p>"}
    steam.list_game("Hostile Dota", "4242", details=details)
    game = cli.arrange_game("Hostile Dota")

    assert cli.burst().returncode == 0

    shown = cli.show(game["id"])
    assert shown["metadata"]["developers"] == ["Valve"]
    assert shown["metadata"]["description"] == "Fight\n\nWin"
    printed = cli.ok("games", "show", str(game["id"]))
    stored = "\n".join(
        str(value)
        for table in ("games", "game_metadata", "game_scores")
        for row in cli.stored(f"SELECT * FROM {table}")
        for value in row
    )
    assert "Fight" in stored
    for text in (json.dumps(shown, ensure_ascii=False), printed, stored):
        assert "\x1b" not in text
        assert "\x07" not in text


def test_one_fetch_asks_steam_for_each_answer_once(cli: Cli, steam: FakeSteam) -> None:
    cli.arrange_game("Dota 2")

    assert cli.burst().returncode == 0

    assert assert_nothing_lost(cli, "fetched")
    asked = {route: steam.hits(route) for route in ("search", "details", "reviews", "other")}
    assert asked == {"search": 1, "details": 1, "reviews": 1, "other": 0}
