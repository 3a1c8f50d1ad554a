"""The RAWG adapter against recorded RAWG answers, served unchanged from 127.0.0.1."""

import json
import logging
import traceback
from datetime import date

import pytest
from pytest_httpserver import HTTPServer

from questrya.metadata.domain import Candidate, PermanentProviderError, TemporaryProviderError
from questrya.metadata.providers.rawg import RawgProvider
from tests.integration.providers.conftest import (
    FAST,
    NOW,
    TIMEOUT,
    FixedClock,
    Fixtures,
    everything_logged,
    requests_to,
    serve,
)

KEY = "s3cr3t-rawg-key"
WITH_KEY = {"key": KEY}


@pytest.fixture
def rawg(base_url: str) -> RawgProvider:
    return RawgProvider(
        KEY, base_url=f"{base_url}/api", timeout=TIMEOUT, rate_limit=FAST, clock=FixedClock()
    )


def serve_game(server: HTTPServer, fixtures: Fixtures, id_or_slug: str, fixture: str) -> None:
    serve(server, f"/api/games/{id_or_slug}", fixtures.bytes(fixture), query=WITH_KEY)


def test_search_reads_the_results(
    server: HTTPServer, fixtures: Fixtures, rawg: RawgProvider
) -> None:
    query = {"search": "The Witcher 2", "page_size": "10", "key": KEY}
    body = fixtures.bytes("rawg_games_search_witcher2_TRIMMED_first_result.json")
    serve(server, "/api/games", body, query=query)

    assert rawg.search("The Witcher 2") == [
        Candidate(
            "rawg", "28454", "The Witcher 2: Assassins of Kings", release_date=date(2011, 5, 17)
        )
    ]


def test_an_empty_search_is_no_candidate(
    server: HTTPServer, fixtures: Fixtures, rawg: RawgProvider
) -> None:
    serve(server, "/api/games", fixtures.bytes("rawg_games_search_empty.json"))

    assert rawg.search("zzzz") == []


def test_details_of_silent_hill_2(
    server: HTTPServer, fixtures: Fixtures, rawg: RawgProvider
) -> None:
    serve_game(server, fixtures, "29642", "rawg_game_detail_29642_silent_hill_2.json")

    game = rawg.details("29642")

    assert game is not None
    assert (game.provider, game.provider_id, game.title) == ("rawg", "29642", "Silent Hill 2")
    assert game.release_date == date(2001, 9, 24)
    assert game.developers == ("Team Silent", "Creature Labs")
    assert game.publishers == ("Konami",)
    assert game.genres == ("Action", "Adventure")
    assert game.cover_url == (
        "https://media.rawg.io/media/games/003/0033ae7d21418ff5a7807ab2c7d90247.jpg"
    )
    assert game.url == "https://rawg.io/games/silent-hill-2"  # no website of its own
    # description_raw is empty here: the HTML description, as text
    assert game.description.startswith("Silent Hill 2 is an action-adventure game developed")
    assert '"Exceptional" on RAWG.\nYou can play' in game.description
    assert "<" not in game.description


def test_scores_of_silent_hill_2(
    server: HTTPServer, fixtures: Fixtures, rawg: RawgProvider
) -> None:
    serve_game(server, fixtures, "29642", "rawg_game_detail_29642_silent_hill_2.json")

    scores = rawg.scores("29642")

    assert scores is not None
    assert (scores.critic_score, scores.user_votes, scores.label) == (89, 704, None)
    assert scores.user_score == pytest.approx(88.4)
    assert scores.fetched_at == NOW


def test_a_game_without_metacritic_genres_or_ratings(
    server: HTTPServer, fixtures: Fixtures, rawg: RawgProvider
) -> None:
    serve_game(server, fixtures, "145267", "rawg_game_detail_145267_no_metacritic_no_genres.json")

    game = rawg.details("145267")

    assert game is not None
    assert (game.genres, game.publishers, game.developers) == ((), (), ("trashmap",))
    assert game.description == "the only one"
    assert rawg.scores("145267") is None  # rating 0.0 from no votes is no score


def test_the_typical_length_is_rawgs_average_playtime_and_none_when_zero(
    server: HTTPServer, fixtures: Fixtures, rawg: RawgProvider
) -> None:
    serve_game(server, fixtures, "29642", "rawg_game_detail_29642_silent_hill_2.json")
    played = fixtures.json("rawg_game_detail_145267_no_metacritic_no_genres.json")
    played["playtime"] = 12  # the recorded answer, as a game its players timed answers
    serve(server, "/api/games/145267", json.dumps(played).encode(), query=WITH_KEY)

    silent_hill, timed = rawg.details("29642"), rawg.details("145267")

    assert silent_hill is not None
    assert silent_hill.typical_hours is None  # "playtime": 0, nobody said
    assert timed is not None
    assert timed.typical_hours == 12


def test_an_unknown_game_is_none(
    server: HTTPServer, fixtures: Fixtures, rawg: RawgProvider
) -> None:
    body = fixtures.bytes("rawg_game_detail_404_not_found.json")
    serve(server, "/api/games/999999999", body, status=404)

    assert rawg.details("999999999") is None
    assert rawg.scores("999999999") is None


def test_an_old_slug_is_followed_once_to_the_new_one(
    server: HTTPServer, fixtures: Fixtures, rawg: RawgProvider
) -> None:
    serve_game(server, fixtures, "gta", "rawg_game_detail_slug_redirect.json")
    # any recorded game will do as the redirect's target
    serve_game(
        server, fixtures, "grand-theft-auto-1998", "rawg_game_detail_29642_silent_hill_2.json"
    )

    game = rawg.details("gta")

    assert game is not None
    assert game.provider_id == "29642"
    assert requests_to(server, "/api/games/grand-theft-auto-1998") == 1


def test_a_refused_key_fails_for_good_and_is_never_shown(
    server: HTTPServer, fixtures: Fixtures, rawg: RawgProvider, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    body = fixtures.bytes("rawg_error_401_missing_key.json")
    serve(server, "/api/games", body, status=401)

    with pytest.raises(PermanentProviderError) as raised:
        rawg.search("Hades")

    assert raised.value.reason == "HTTP 401 from 127.0.0.1"
    assert requests_to(server, "/api/games") == 1
    shown = "".join(traceback.format_exception(raised.value)) + repr(raised.value)
    assert KEY not in shown
    client_logs = [record.getMessage() for record in caplog.records if record.name != "werkzeug"]
    assert client_logs  # httpcore logs at debug level: the test would see a leak
    assert not [message for message in client_logs if KEY in message]


def test_the_key_is_in_no_reason_and_no_log_record_when_requests_fail(
    server: HTTPServer, rawg: RawgProvider, closed_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="stamina")  # a worker run in this process quiets it
    serve(server, "/api/games", "Bad gateway", status=502, content_type="text/plain")
    unreachable = RawgProvider(
        KEY, base_url=f"http://127.0.0.1:{closed_port}/api", timeout=TIMEOUT, rate_limit=FAST
    )

    reasons = []
    for provider in (rawg, unreachable):
        with pytest.raises(TemporaryProviderError) as raised:
            provider.search("Hades")
        reasons.append(raised.value.reason)

    assert reasons == ["HTTP 502 from 127.0.0.1", "connection refused by 127.0.0.1"]
    assert requests_to(server, "/api/games") == 3  # retried inline: each retry is logged
    logged = everything_logged(caplog)
    assert "retry" in logged
    assert KEY not in logged


def test_the_scores_right_after_the_details_reuse_their_answer(
    server: HTTPServer, fixtures: Fixtures, rawg: RawgProvider
) -> None:
    serve_game(server, fixtures, "29642", "rawg_game_detail_29642_silent_hill_2.json")

    assert rawg.details("29642") is not None
    assert rawg.scores("29642") is not None

    assert requests_to(server, "/api/games/29642") == 1
