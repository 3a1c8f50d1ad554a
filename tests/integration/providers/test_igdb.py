"""The IGDB adapter and its Twitch token against recorded answers, served from 127.0.0.1."""

import json
import logging
from datetime import date
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from questrya.metadata.domain import (
    CandidateKind,
    PermanentProviderError,
    TemporaryProviderError,
)
from questrya.metadata.providers.igdb import IgdbProvider
from tests.integration.providers.conftest import (
    FAST,
    TIMEOUT,
    FixedClock,
    Fixtures,
    everything_logged,
    requests_to,
    serve,
)

CLIENT_ID = "the-client-id"
SECRET = "the-client-secret"
TOKEN = "prau3ol6mg5glgek8m89ec2s9q5i3i"  # the recorded token answer's
CREDENTIALS = {"client_id": CLIENT_ID, "client_secret": SECRET, "grant_type": "client_credentials"}
TOKEN_ANSWER = "twitch_oauth2_token_client_credentials_DOC_EXAMPLE.json"
WITCHER = "igdb_games_search_witcher2_live.json"


@pytest.fixture
def igdb(base_url: str) -> IgdbProvider:
    return IgdbProvider(
        CLIENT_ID,
        SECRET,
        base_url=f"{base_url}/v4",
        token_url=f"{base_url}/oauth2/token",
        timeout=TIMEOUT,
        rate_limit=FAST,
        clock=FixedClock(),
    )


@pytest.fixture
def token(server: HTTPServer, fixtures: Fixtures) -> None:
    serve(server, "/oauth2/token", fixtures.bytes(TOKEN_ANSWER), method="POST")


def serve_games(server: HTTPServer, body: bytes, **options: Any) -> None:
    headers = {"Client-ID": CLIENT_ID, "Authorization": f"Bearer {TOKEN}"}
    server.expect_request("/v4/games", method="POST", headers=headers).respond_with_data(
        body, content_type="application/json; charset=utf-8", **options
    )


@pytest.mark.usefixtures("token")
def test_search_reads_the_games(server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider) -> None:
    serve_games(server, fixtures.bytes(WITCHER))

    candidates = igdb.search('The Witcher 2 "AoK"')

    assert [(c.provider, c.provider_id, c.kind) for c in candidates] == [
        ("igdb", "478", CandidateKind.GAME),
        ("igdb", "22319", CandidateKind.GAME),
    ]
    assert candidates[0].title == "The Witcher 2: Assassins of Kings"
    assert candidates[0].release_date == date(2011, 5, 17)  # 1305590400, in UTC
    body = server.log[-1][0].get_data(as_text=True)
    assert body.startswith('search "The Witcher 2 \\"AoK\\""; fields name,first_release_date,')
    assert body.endswith("limit 10;")


@pytest.mark.usefixtures("token")
def test_the_token_is_fetched_once_and_reused(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider
) -> None:
    serve_games(server, fixtures.bytes("igdb_games_search_empty.json"))

    assert igdb.search("Hades") == []
    assert igdb.search("Celeste") == []

    assert requests_to(server, "/oauth2/token") == 1
    assert requests_to(server, "/v4/games") == 2


@pytest.mark.usefixtures("token")
def test_details_of_the_witcher_2(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider
) -> None:
    serve_games(server, json.dumps(fixtures.json(WITCHER)[:1]).encode())

    game = igdb.details("478")

    assert game is not None
    assert (game.provider, game.provider_id) == ("igdb", "478")
    assert game.release_date == date(2011, 5, 17)
    assert game.developers == ("CD Projekt RED",)
    assert game.publishers[:2] == ("CD Projekt RED", "cdp.pl")
    assert len(game.publishers) == 6
    assert game.genres == ("Role-playing (RPG)", "Adventure")
    assert game.cover_url == "https://images.igdb.com/igdb/image/upload/t_cover_big/co1wy4.jpg"
    assert game.url == "https://www.igdb.com/games/the-witcher-2-assassins-of-kings"
    assert game.description.startswith("This third-person dark fantasy Western RPG")
    assert "where id = 478;" in server.log[-1][0].get_data(as_text=True)


@pytest.mark.usefixtures("token")
def test_scores_of_the_witcher_2(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider
) -> None:
    serve_games(server, json.dumps(fixtures.json(WITCHER)[:1]).encode())

    scores = igdb.scores("478")

    assert scores is not None
    assert scores.critic_score == 86  # 85.71, rounded
    assert scores.user_score == pytest.approx(84.57)
    assert scores.user_votes is None  # rating_count was not in the recorded answer


@pytest.mark.usefixtures("token")
def test_an_unknown_game_is_none(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider
) -> None:
    serve_games(server, fixtures.bytes("igdb_games_search_empty.json"))

    assert igdb.details("999999999") is None
    assert igdb.details("478; fields *") is None  # never sent: no id
    assert requests_to(server, "/v4/games") == 1


@pytest.mark.parametrize(
    ("extra", "kind"),
    [
        ({"category": 1}, CandidateKind.DLC),
        ({"category": 3}, CandidateKind.OTHER),
        ({"category": 8}, CandidateKind.GAME),
        ({"game_type": {"id": 2, "type": "Expansion"}}, CandidateKind.DLC),
        ({"game_type": {"id": 14, "type": "Pack / Addon"}}, CandidateKind.DLC),
        ({"game_type": {"id": 5, "type": "Standalone Expansion"}}, CandidateKind.GAME),
        ({"version_parent": 478}, CandidateKind.OTHER),
    ],
)
@pytest.mark.usefixtures("token")
def test_what_is_not_a_game_is_marked(
    server: HTTPServer,
    fixtures: Fixtures,
    igdb: IgdbProvider,
    extra: dict[str, Any],
    kind: CandidateKind,
) -> None:
    serve_games(server, json.dumps([fixtures.json(WITCHER)[1] | extra]).encode())

    assert [candidate.kind for candidate in igdb.search("The Witcher 2")] == [kind]


def test_a_refused_token_is_renewed_once(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider
) -> None:
    serve(server, "/oauth2/token", fixtures.bytes(TOKEN_ANSWER), method="POST")
    refused = fixtures.bytes("igdb_error_401_auth.json")
    server.expect_oneshot_request("/v4/games").respond_with_data(refused, status=401)
    serve_games(server, fixtures.bytes("igdb_games_search_empty.json"))

    assert igdb.search("Hades") == []
    assert requests_to(server, "/oauth2/token") == 2


def test_a_token_refused_twice_fails_for_good(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider
) -> None:
    serve(server, "/oauth2/token", fixtures.bytes(TOKEN_ANSWER), method="POST")
    serve(
        server, "/v4/games", fixtures.bytes("igdb_error_401_auth.json"), status=401, method="POST"
    )

    with pytest.raises(PermanentProviderError) as raised:
        igdb.search("Hades")

    assert raised.value.reason == "HTTP 401 from 127.0.0.1"
    assert (requests_to(server, "/oauth2/token"), requests_to(server, "/v4/games")) == (2, 2)
    assert SECRET not in repr(raised.value)


@pytest.mark.usefixtures("token")
def test_a_forbidden_endpoint_fails_for_good(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider
) -> None:
    serve(
        server, "/v4/games", fixtures.bytes("igdb_error_403_tier.json"), status=403, method="POST"
    )

    with pytest.raises(PermanentProviderError):
        igdb.search("Hades")


@pytest.mark.usefixtures("token")
def test_too_many_requests_is_temporary(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider
) -> None:
    serve(
        server,
        "/v4/games",
        fixtures.bytes("igdb_error_429_rate_limit.json"),
        status=429,
        method="POST",
    )

    with pytest.raises(TemporaryProviderError) as raised:
        igdb.search("Hades")

    assert (raised.value.reason, raised.value.retry_after) == ("HTTP 429 from 127.0.0.1", None)
    assert requests_to(server, "/v4/games") == 3


@pytest.mark.usefixtures("token")
def test_the_client_secret_travels_in_a_form_body_never_in_the_url(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider
) -> None:
    serve_games(server, fixtures.bytes("igdb_games_search_empty.json"))

    igdb.search("Hades")

    [asked] = [request for request, _ in server.log if request.path == "/oauth2/token"]
    assert asked.query_string == b""  # access logs keep the query string
    assert asked.mimetype == "application/x-www-form-urlencoded"
    assert asked.form.to_dict() == CREDENTIALS


def test_the_secret_and_the_token_are_in_no_reason_and_no_log_record(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="stamina")  # a worker run in this process quiets it
    serve(server, "/oauth2/token", "", status=503, method="POST", content_type="text/plain")

    with pytest.raises(TemporaryProviderError) as raised:
        igdb.search("Hades")
    server.clear()
    serve(server, "/oauth2/token", fixtures.bytes(TOKEN_ANSWER), method="POST")
    serve(server, "/v4/games", "", status=500, method="POST", content_type="text/plain")
    with pytest.raises(TemporaryProviderError):
        igdb.search("Hades")

    assert raised.value.reason == "HTTP 503 from 127.0.0.1"
    logged = everything_logged(caplog)
    assert "retry" in logged
    assert SECRET not in logged
    assert TOKEN not in logged


@pytest.mark.usefixtures("token")
def test_the_scores_right_after_the_details_reuse_their_answer(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider
) -> None:
    serve_games(server, json.dumps(fixtures.json(WITCHER)[:1]).encode())

    assert igdb.details("478") is not None
    assert igdb.scores("478") is not None

    assert requests_to(server, "/v4/games") == 1


@pytest.mark.usefixtures("token")
def test_the_details_of_what_is_no_game_say_what_it_is(
    server: HTTPServer, fixtures: Fixtures, igdb: IgdbProvider
) -> None:
    dlc = fixtures.json(WITCHER)[0] | {"category": 1}
    serve_games(server, json.dumps([dlc]).encode())

    assert igdb.details("478") is CandidateKind.DLC
