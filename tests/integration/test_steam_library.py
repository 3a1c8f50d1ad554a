"""The online Steam import against a real loopback server speaking the Web API's
`IPlayerService/GetOwnedGames`: the games, retries, refusals, and a key never shown."""

import json
import logging
import time
import traceback

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from questrya.cli import EXIT_CODES
from questrya.common.exceptions import QuestryaError
from questrya.common.secrets import MASK, Secret
from questrya.imports.formats.rows import ImportRow, SkippedRow
from questrya.imports.steam_library import ENDPOINT, owned_games
from tests.integration.providers.conftest import (
    JSON_TYPE,
    Fixtures,
    _running_server,
    base_url,
    closed_port,
    everything_logged,
    fixtures,
    requests_to,
    serve,
    server,
)

__all__ = ["_running_server", "base_url", "closed_port", "fixtures", "server"]

KEY = "0123456789ABCDEF0123456789ABCDEF"
STEAM_ID = "76561197960287930"
QUERY = {
    "key": KEY,
    "steamid": STEAM_ID,
    "include_appinfo": "1",
    "include_played_free_games": "1",
    "format": "json",
}
SAMPLE = "steam_getownedgames_5_games.json"
TIMEOUT = 2.0
HADES = {"appid": 1145360, "name": "Hades", "playtime_forever": 1260, "rtime_last_played": 0}


def games(url: str, *, key: str | None = KEY, steam_id: str = STEAM_ID, timeout: float = TIMEOUT):
    secret = None if key is None else Secret(key)
    return list(owned_games(url, secret, steam_id, timeout=timeout))


def exit_code(error: QuestryaError) -> int:
    return next(code for family, code in EXIT_CODES if isinstance(error, family))


def titles(rows: list[ImportRow | SkippedRow]) -> list[str]:
    return [row.title for row in rows if isinstance(row, ImportRow)]


def refused(url: str, **options) -> QuestryaError:
    with pytest.raises(QuestryaError) as raised:
        games(url, **options)
    return raised.value


def test_the_accounts_games_are_on_pc_with_their_appids_and_playtimes(
    server: HTTPServer, fixtures: Fixtures, base_url: str
) -> None:
    serve(server, ENDPOINT, fixtures.bytes(SAMPLE), query=QUERY)

    rows = games(base_url)

    assert [(r.title, r.platform, r.provider_ids, r.playtime) for r in rows] == [
        ("Terraria", "PC", {"steam": "105600"}, 213),
        ("Cities: Skylines", "PC", {"steam": "255710"}, 62),
        ("Don't Starve Together", "PC", {"steam": "322330"}, 113),
        ("Stardew Valley", "PC", {"steam": "413150"}, 198),
        ("Wallpaper Engine", "PC", {"steam": "431960"}, 100),
    ]


def test_a_game_bought_since_the_last_import_comes_in_the_next(
    server: HTTPServer, fixtures: Fixtures, base_url: str
) -> None:
    answer = fixtures.json(SAMPLE)
    library: list[dict[str, object]] = answer["response"]["games"]

    def owned(request: Request) -> Response:
        body = {"response": {"game_count": len(library), "games": library}}
        return Response(json.dumps(body), content_type=JSON_TYPE)

    server.expect_request(ENDPOINT, query_string=QUERY).respond_with_handler(owned)

    before = games(base_url)
    library.append(HADES)
    after = games(base_url)

    assert len(before) == 5
    assert titles(after) == [*titles(before), "Hades"]
    assert after[5] == ImportRow(
        line=1, title="Hades", platform="PC", playtime=1260, provider_ids={"steam": "1145360"}
    )


def test_server_errors_then_an_answer_are_the_games(
    server: HTTPServer, fixtures: Fixtures, base_url: str
) -> None:
    server.expect_oneshot_request(ENDPOINT).respond_with_data(b"", status=503)
    server.expect_oneshot_request(ENDPOINT).respond_with_data(
        b"{}", status=429, headers={"Retry-After": "1"}
    )
    serve(server, ENDPOINT, fixtures.bytes(SAMPLE))

    assert len(games(base_url)) == 5
    assert requests_to(server, ENDPOINT) == 3


def test_a_steam_that_keeps_failing_is_tried_three_times_then_exit_1(
    server: HTTPServer, base_url: str
) -> None:
    serve(server, ENDPOINT, b"<html>Bad gateway</html>", status=502, content_type="text/html")

    error = refused(base_url)

    assert exit_code(error) == 1
    assert str(error) == (
        f"Steam did not answer: HTTP 502 ({base_url}{ENDPOINT}?key={MASK}&steamid={STEAM_ID}"
        "&include_appinfo=1&include_played_free_games=1&format=json)"
    )
    assert requests_to(server, ENDPOINT) == 3


def test_an_answer_that_is_not_json_is_retried(server: HTTPServer, base_url: str) -> None:
    serve(server, ENDPOINT, b"<html>Error</html>", content_type="text/html")

    error = refused(base_url)

    assert "an answer that is not JSON" in str(error)
    assert requests_to(server, ENDPOINT) == 3


def test_a_long_retry_after_stops_at_once_saying_so(server: HTTPServer, base_url: str) -> None:
    serve(server, ENDPOINT, b"{}", status=429, headers={"Retry-After": "120"})

    error = refused(base_url)

    assert exit_code(error) == 1
    assert str(error).startswith("Steam did not answer: HTTP 429, asked to wait 120 s (")
    assert requests_to(server, ENDPOINT) == 1


@pytest.mark.parametrize("status", [401, 403])
def test_a_key_steam_refuses_is_exit_1_naming_the_setting_never_the_key(
    server: HTTPServer, base_url: str, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="stamina")
    body = b"<html><head><title>Forbidden</title></head></html>"
    serve(server, ENDPOINT, body, status=status, content_type="text/html")

    error = refused(base_url)

    assert exit_code(error) == 1
    assert str(error).startswith(f"Steam refused steam_api_key (HTTP {status}; {base_url}")
    assert f"key={MASK}&" in str(error)
    assert requests_to(server, ENDPOINT) == 1
    shown = "".join(traceback.format_exception(error)) + repr(error)
    assert KEY not in shown
    assert KEY not in everything_logged(caplog)


def test_the_key_is_in_no_log_record_of_retried_requests(
    server: HTTPServer, fixtures: Fixtures, base_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="stamina")
    server.expect_oneshot_request(ENDPOINT).respond_with_data(b"", status=500)
    serve(server, ENDPOINT, fixtures.bytes(SAMPLE))

    games(base_url)

    logged = everything_logged(caplog)
    assert "retry" in logged  # the retry was logged: a leak would be seen
    assert KEY not in logged


def test_a_private_profile_shows_no_games_and_is_exit_3(server: HTTPServer, base_url: str) -> None:
    serve(server, ENDPOINT, b'{"response":{}}', query=QUERY)

    error = refused(base_url)

    assert exit_code(error) == 3
    assert str(error).startswith(
        f"Steam shows no games for {STEAM_ID}: is the profile's game list public?"
    )


@pytest.mark.parametrize("body", [b"[]", b'{"games": []}', b'{"response": {"games": {}}}'])
def test_an_answer_of_another_shape_is_steams_failure_exit_1(
    server: HTTPServer, base_url: str, body: bytes
) -> None:
    serve(server, ENDPOINT, body)

    error = refused(base_url)

    assert exit_code(error) == 1
    assert str(error).startswith("unexpected answer from Steam, no list of games (")


def test_an_account_with_no_game_has_none(server: HTTPServer, base_url: str) -> None:
    serve(server, ENDPOINT, b'{"response":{"game_count":0}}')

    assert games(base_url) == []


def test_a_request_steam_calls_bad_is_exit_2(server: HTTPServer, base_url: str) -> None:
    serve(server, ENDPOINT, b"<html>Bad Request</html>", status=400, content_type="text/html")

    error = refused(base_url)

    assert exit_code(error) == 2
    assert f"is {STEAM_ID} an account's SteamID64?" in str(error)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"key": None}, "the Steam import needs steam_api_key"),
        ({"key": "  "}, "the Steam import needs steam_api_key"),
        (
            {"steam_id": "gabelogannewell"},
            "17 digits like 76561197960287930, got 'gabelogannewell'",
        ),
        ({"steam_id": "123"}, "got '123'"),
    ],
)
def test_no_key_or_an_id_that_is_no_steamid64_is_exit_2_before_any_request(
    server: HTTPServer, base_url: str, options: dict[str, str | None], message: str
) -> None:
    error = refused(base_url, **options)

    assert exit_code(error) == 2
    assert message in str(error)
    assert requests_to(server, ENDPOINT) == 0


def test_a_steam_that_cannot_be_reached_is_exit_1(closed_port: int) -> None:
    error = refused(f"http://127.0.0.1:{closed_port}")

    assert exit_code(error) == 1
    assert str(error).startswith(
        f"Steam did not answer: cannot connect (http://127.0.0.1:{closed_port}{ENDPOINT}?key={MASK}"
    )


def test_a_steam_too_slow_to_answer_is_tried_three_times_then_exit_1(
    server: HTTPServer, base_url: str
) -> None:
    asked = []

    def late(request: Request) -> Response:
        asked.append(request.path)
        time.sleep(1.0)
        return Response(b'{"response": {}}', content_type=JSON_TYPE)

    server.expect_request(ENDPOINT).respond_with_handler(late)

    error = refused(base_url, timeout=0.2)

    assert exit_code(error) == 1
    assert str(error).startswith("Steam did not answer: timed out (")
    assert len(asked) == 3
