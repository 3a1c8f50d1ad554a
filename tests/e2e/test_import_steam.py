"""`games import --format steam --steam-id ID` end to end (PRODUCT §8): a Steam account's games
asked for online from a loopback server speaking the Web API's `GetOwnedGames`, imported
again once the account bought a game, and the key never shown."""

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from questrya.common.secrets import MASK
from questrya.imports.steam_library import ENDPOINT
from tests.conftest import Questrya, error_line, run_installed
from tests.integration.providers.conftest import (
    JSON_TYPE,
    Fixtures,
    _running_server,
    base_url,
    everything_logged,
    fixtures,
    requests_to,
    serve,
    server,
)
from tests.integration.test_steam_library import HADES, KEY, QUERY, SAMPLE, STEAM_ID

__all__ = ["_running_server", "base_url", "fixtures", "server"]

JUNE_15_NOON_UTC = 1781524800  # the same day in every zone from UTC-11 to UTC+11


@pytest.fixture
def steam(monkeypatch: pytest.MonkeyPatch, home: Path, base_url: str) -> str:
    """The settings pointing at the loopback Steam, with a key; the server's URL."""
    monkeypatch.setenv("QUESTRYA_STEAM_API_URL", base_url)
    monkeypatch.setenv("QUESTRYA_STEAM_API_KEY", KEY)
    monkeypatch.setenv("QUESTRYA_HTTP_TIMEOUT", "2")
    return base_url


def steam_import(questrya: Questrya, *options: str) -> dict[str, Any]:
    outcome = questrya(
        "games", "import", "--format", "steam", "--steam-id", STEAM_ID, "--no-fetch", *options
    )
    assert (outcome.exit_code, outcome.stderr) == (0, ""), outcome.stderr
    assert KEY not in outcome.stdout
    summary: dict[str, Any] = json.loads(outcome.stdout) if "--json" in options else {}
    return summary or {"line": outcome.stdout}


def exported(questrya: Questrya) -> list[dict[str, Any]]:
    outcome = questrya("games", "export")
    assert outcome.exit_code == 0, outcome.stderr
    games: list[dict[str, Any]] = json.loads(outcome.stdout)["games"]
    return games


@pytest.mark.usefixtures("steam")
def test_a_second_import_adds_the_game_bought_since_and_brings_playtime_up_to_date(
    questrya: Questrya, server: HTTPServer, fixtures: Fixtures, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    library: list[dict[str, Any]] = fixtures.json(SAMPLE)["response"]["games"]

    def owned(request: Request) -> Response:
        body = {"response": {"game_count": len(library), "games": library}}
        return Response(json.dumps(body), content_type=JSON_TYPE)

    server.expect_request(ENDPOINT, query_string=QUERY).respond_with_handler(owned)

    first = steam_import(questrya)
    assert first["line"] == "steam: 5 added, 0 updated, 0 unchanged, 0 skipped, 0 unclear\n"
    games = exported(questrya)
    assert [(g["title"], g["platform"], g["provider_ids"], g["playtime"]) for g in games] == [
        ("Cities: Skylines", "PC", {"steam": "255710"}, 62),
        ("Don't Starve Together", "PC", {"steam": "322330"}, 113),
        ("Stardew Valley", "PC", {"steam": "413150"}, 198),
        ("Terraria", "PC", {"steam": "105600"}, 213),
        ("Wallpaper Engine", "PC", {"steam": "431960"}, 100),
    ]

    # A month on: Hades bought, two more hours of Terraria, the rest untouched.
    library.append(HADES)
    library[0] = {**library[0], "playtime_forever": 333, "rtime_last_played": JUNE_15_NOON_UTC}
    second = steam_import(questrya, "--json")

    assert {name: second[name] for name in ("added", "updated", "unchanged", "skipped")} == {
        "added": 1,
        "updated": 1,
        "unchanged": 4,
        "skipped": 0,
    }
    after = {game["title"]: game for game in exported(questrya)}
    assert len(after) == len(exported(questrya)) == 6  # none twice
    assert (after["Hades"]["playtime"], after["Hades"]["provider_ids"]) == (
        1260,
        {"steam": "1145360"},
    )
    assert (after["Terraria"]["playtime"], after["Terraria"]["last_played"]) == (
        333,
        "2026-06-15",
    )
    assert after["Stardew Valley"]["playtime"] == 198
    assert requests_to(server, ENDPOINT) == 2
    assert KEY not in everything_logged(caplog)


@pytest.mark.usefixtures("steam")
def test_undo_takes_back_a_steam_import_whole(
    questrya: Questrya, server: HTTPServer, fixtures: Fixtures
) -> None:
    serve(server, ENDPOINT, fixtures.bytes(SAMPLE), query=QUERY)
    steam_import(questrya)

    assert questrya("undo").exit_code == 0
    assert exported(questrya) == []


def test_a_key_steam_refuses_is_one_line_with_the_key_masked_and_nothing_written(
    home: Path, server: HTTPServer, base_url: str
) -> None:
    serve(server, ENDPOINT, b"<html>Forbidden</html>", status=403, content_type="text/html")
    env = {"QUESTRYA_STEAM_API_URL": base_url, "QUESTRYA_STEAM_API_KEY": KEY}

    refused = run_installed(["games", "import", "--steam-id", STEAM_ID], home, env=env)
    listed = run_installed(["games", "list", "--json"], home, env=env)

    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr.startswith("Error: Steam refused steam_api_key (HTTP 403; ")
    assert f"key={MASK}&steamid={STEAM_ID}" in refused.stderr
    assert len(refused.stderr.splitlines()) == 1
    assert KEY not in refused.stderr
    assert json.loads(listed.stdout) == []


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["hltb.csv", "--steam-id", STEAM_ID],
            "Error: give FILE (hltb.csv) or --steam-id, not both",
        ),
        (
            ["--format", "hltb", "--steam-id", STEAM_ID],
            "Error: --steam-id imports the steam format, not --format hltb",
        ),
        ([], "Error: give FILE to import (- for standard input), or --steam-id ID"),
    ],
)
def test_steam_id_is_a_source_of_its_own_in_the_steam_format_else_exit_2(
    questrya: Questrya, server: HTTPServer, args: list[str], says: str
) -> None:
    outcome = questrya("games", "import", *args)

    assert outcome.exit_code == 2
    assert error_line(outcome) == says
    assert requests_to(server, ENDPOINT) == 0


def test_without_a_key_the_import_names_the_setting_and_asks_nothing(
    questrya: Questrya, server: HTTPServer, monkeypatch: pytest.MonkeyPatch, base_url: str
) -> None:
    monkeypatch.setenv("QUESTRYA_STEAM_API_URL", base_url)

    outcome = questrya("games", "import", "--steam-id", STEAM_ID)

    assert outcome.exit_code == 2
    assert error_line(outcome).startswith("Error: the Steam import needs steam_api_key")
    assert requests_to(server, ENDPOINT) == 0
