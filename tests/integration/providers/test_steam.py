"""The Steam adapter against the recorded store answers, served unchanged from 127.0.0.1."""

import json
from datetime import date

import pytest
from pytest_httpserver import HTTPServer

from questrya.metadata.domain import Candidate, CandidateKind
from questrya.metadata.providers.steam import SteamProvider, parse_release_date, review_band
from tests.integration.providers.conftest import (
    FAST,
    NOW,
    TIMEOUT,
    FixedClock,
    Fixtures,
    requests_to,
    serve,
    serve_json,
)

CRISIS_CORE = "CRISIS CORE \u2013FINAL FANTASY VII\u2013 REUNION"  # en dashes
REVIEWS = {"json": "1", "language": "all", "purchase_type": "all", "num_per_page": "0"}


@pytest.fixture
def steam(base_url: str) -> SteamProvider:
    return SteamProvider(
        store_url=base_url,
        api_url=f"{base_url}/webapi",
        timeout=TIMEOUT,
        rate_limit=FAST,
        clock=FixedClock(),
    )


def serve_app(server: HTTPServer, fixtures: Fixtures, appid: str, fixture: str) -> None:
    query = {"appids": appid, "l": "english"}
    serve(server, "/api/appdetails", fixtures.bytes(fixture), query=query)


def serve_reviews(server: HTTPServer, appid: str, body: bytes) -> None:
    serve(server, f"/appreviews/{appid}", body, query=REVIEWS)


def test_search_reads_the_store_search_items(
    server: HTTPServer, fixtures: Fixtures, steam: SteamProvider
) -> None:
    # No recorded search for Dota 2: the item shape of the recorded CS:GO search, Dota's values.
    item = fixtures.json("steam_storesearch_csgo_cc_cn.json")["items"][0] | {
        "name": "Dota 2",
        "id": 570,
        "tiny_image": "https://shared.akamai.steamstatic.com/store_item_assets/steam/apps/570/capsule_231x87.jpg?t=1662588548",
        "metascore": "90",
        "platforms": {"windows": True, "mac": True, "linux": True},
    }
    query = {"term": "Dota 2", "l": "english", "cc": "US"}
    serve_json(server, "/api/storesearch/", {"total": 1, "items": [item]}, query=query)

    assert steam.search("Dota 2") == [Candidate("steam", "570", "Dota 2")]


def test_search_keeps_every_item_of_a_recorded_answer(
    server: HTTPServer, fixtures: Fixtures, steam: SteamProvider
) -> None:
    serve(server, "/api/storesearch/", fixtures.bytes("steam_storesearch_csgo_cc_cn.json"))

    assert [(c.provider_id, c.title) for c in steam.search("csgo")] == [
        ("730", "Counter-Strike 2"),
        ("413850", "CS:GO Player Profiles"),
    ]


def test_an_empty_search_is_no_candidate(
    server: HTTPServer, fixtures: Fixtures, steam: SteamProvider
) -> None:
    serve(server, "/api/storesearch/", fixtures.bytes("steam_storesearch_empty.json"))

    assert steam.search("zzzz") == []


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("SOULCALIBUR VI - DLC5: Character Creation Set B", CandidateKind.DLC),
        ("Hades Original Soundtrack", CandidateKind.SOUNDTRACK),
        ("Celeste Demo", CandidateKind.DEMO),
        ("Demon's Souls", CandidateKind.GAME),
        ("Counter-Strike 2 Dedicated Server", CandidateKind.SOFTWARE),
    ],
)
def test_search_tells_games_from_what_the_name_says_is_not_one(
    server: HTTPServer, steam: SteamProvider, name: str, kind: CandidateKind
) -> None:
    item = {"type": "app", "name": name, "id": 874343, "metascore": "", "streamingvideo": False}
    serve_json(server, "/api/storesearch/", {"total": 1, "items": [item]})

    assert [candidate.kind for candidate in steam.search(name)] == [kind]


def test_details_of_dota_2(server: HTTPServer, fixtures: Fixtures, steam: SteamProvider) -> None:
    serve_app(server, fixtures, "570", "steam_appdetails_570_dota2_free_metacritic.json")

    dota = steam.details("570")

    assert dota is not None
    assert (dota.provider, dota.provider_id, dota.title) == ("steam", "570", "Dota 2")
    assert dota.developers == ("Valve",)
    assert dota.publishers == ("Valve",)
    assert dota.genres == ("Action", "Free to Play", "Strategy")
    assert dota.release_date == date(2013, 7, 9)
    assert (
        dota.cover_url
        == "https://cdn.akamai.steamstatic.com/steam/apps/570/header.jpg?t=1662588548"
    )
    assert dota.url == "https://store.steampowered.com/app/570"
    assert dota.description.startswith("The most-played game on Steam.\nEvery day, millions")
    assert "<" not in dota.description


def test_a_coming_soon_game_with_a_non_ascii_title(
    server: HTTPServer, fixtures: Fixtures, steam: SteamProvider
) -> None:
    serve_app(server, fixtures, "1608070", "steam_appdetails_1608070_coming_soon_nonascii.json")

    crisis = steam.details("1608070")

    assert crisis is not None
    assert crisis.title == CRISIS_CORE
    assert crisis.release_date == date(2022, 12, 13)  # announced to the day
    assert crisis.developers == ("TOSE CO., LTD.", "Square Enix")
    assert crisis.description.startswith(f"{CRISIS_CORE} is the HD remaster")
    assert "\n\nIn addition to all graphics" in crisis.description
    assert "New Features\n\n- All graphics fully remastered in HD" in crisis.description


def test_a_dlc_is_no_game_and_says_so(
    server: HTTPServer, fixtures: Fixtures, steam: SteamProvider
) -> None:
    serve_app(server, fixtures, "874343", "steam_appdetails_874343_dlc.json")

    assert steam.details("874343") is CandidateKind.DLC


@pytest.mark.parametrize(
    ("steam_type", "kind"),
    [
        ("music", CandidateKind.SOUNDTRACK),
        ("demo", CandidateKind.DEMO),
        ("video", CandidateKind.OTHER),
        ("advertising", CandidateKind.OTHER),
    ],
)
def test_the_details_type_tells_what_an_app_is(
    server: HTTPServer, steam: SteamProvider, steam_type: str, kind: CandidateKind
) -> None:
    app = {"type": steam_type, "name": "Hollow Knight", "steam_appid": 42}
    serve_json(server, "/api/appdetails", {"42": {"success": True, "data": app}})

    assert steam.details("42") is kind


def test_an_unknown_app_is_none(
    server: HTTPServer, fixtures: Fixtures, steam: SteamProvider
) -> None:
    serve_app(server, fixtures, "999999999", "steam_appdetails_not_found.json")

    assert steam.details("999999999") is None


def test_an_id_that_is_no_appid_is_none_without_a_request(steam: SteamProvider) -> None:
    assert steam.details("../570") is None
    assert steam.scores("570?x=1") is None


def test_scores_of_an_overwhelmingly_positive_game_without_metacritic(
    server: HTTPServer, fixtures: Fixtures, steam: SteamProvider
) -> None:
    serve_reviews(
        server, "620", fixtures.bytes("steam_appreviews_620_overwhelmingly_positive.json")
    )
    serve_json(server, "/api/appdetails", {"620": {"success": False}})

    portal = steam.scores("620")

    assert portal is not None
    assert portal.user_score == pytest.approx(98.83, abs=0.01)
    assert portal.user_votes == 210944
    assert portal.label == "Overwhelmingly Positive"
    assert portal.critic_score is None
    assert portal.fetched_at == NOW


def test_scores_take_the_critics_score_from_the_app_details(
    server: HTTPServer, fixtures: Fixtures, steam: SteamProvider
) -> None:
    serve_reviews(server, "570", fixtures.bytes("steam_appreviews_mixed.json"))
    serve_app(server, fixtures, "570", "steam_appdetails_570_dota2_free_metacritic.json")

    scores = steam.scores("570")

    assert scores is not None
    assert (scores.critic_score, scores.label, scores.user_votes) == (90, "Mixed", 199)
    assert scores.user_score == pytest.approx(62.81, abs=0.01)


def test_the_band_is_computed_when_the_answer_has_none(
    server: HTTPServer, fixtures: Fixtures, steam: SteamProvider
) -> None:
    answer = fixtures.json("steam_appreviews_620_overwhelmingly_positive.json")
    del answer["query_summary"]["review_score"]
    answer["query_summary"]["review_score_desc"] = "Extrêmement positives"  # never shown
    serve_reviews(server, "620", json.dumps(answer).encode())
    serve_json(server, "/api/appdetails", {"620": {"success": False}})

    scores = steam.scores("620")

    assert scores is not None
    assert scores.label == "Overwhelmingly Positive"


def test_a_game_without_reviews_or_critics_has_no_scores(
    server: HTTPServer, steam: SteamProvider
) -> None:
    summary = {"num_reviews": 0, "review_score": 0, "review_score_desc": "No user reviews"}
    summary |= {"total_positive": 0, "total_negative": 0, "total_reviews": 0}
    serve_json(server, "/appreviews/42", {"success": 1, "query_summary": summary})
    serve_json(server, "/api/appdetails", {"42": {"success": False}})

    assert steam.scores("42") is None


@pytest.mark.parametrize("wrapped", [True, False], ids=["in-response", "top-level"])
def test_reviews_fall_back_to_the_web_api_when_the_store_answers_html(
    server: HTTPServer, fixtures: Fixtures, steam: SteamProvider, wrapped: bool
) -> None:
    serve_reviews(server, "620", b"<!DOCTYPE html><html><body>Sign in</body></html>")
    recorded = fixtures.json("steam_appreviews_620_overwhelmingly_positive.json")
    legacy = {"response": recorded} if wrapped else recorded
    path = "/webapi/IUserReviewsService/GetAppReviews/v1/"
    serve_json(server, path, legacy, query={"appid": "620"})
    serve_json(server, "/api/appdetails", {"620": {"success": False}})

    scores = steam.scores("620")

    assert scores is not None
    assert (scores.label, scores.user_votes) == ("Overwhelmingly Positive", 210944)
    assert requests_to(server, "/appreviews/620") == 1  # no inline retry before the fallback


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9 Jul, 2013", date(2013, 7, 9)),
        ("Jul 9, 2013", date(2013, 7, 9)),
        ("13 December, 2022", date(2022, 12, 13)),
        ("Q3 2024", None),
        ("Jul 2024", None),
        ("2024", None),
        ("Coming soon", None),
        ("To be announced", None),
        ("31 Feb, 2024", None),
        ("", None),
    ],
)
def test_release_dates_count_only_when_they_name_a_day(text: str, expected: date | None) -> None:
    assert parse_release_date(text) == expected


@pytest.mark.parametrize(
    ("positive", "total", "band"),
    [
        (208479, 210944, "Overwhelmingly Positive"),
        (190, 200, "Very Positive"),  # 95 %, but fewer than 500 reviews
        (45, 49, "Positive"),
        (75, 100, "Mostly Positive"),
        (125, 199, "Mixed"),
        (30, 100, "Mostly Negative"),
        (5, 40, "Negative"),
        (10, 100, "Very Negative"),
        (50, 1000, "Overwhelmingly Negative"),
        (9, 9, None),  # too few reviews for a band
    ],
)
def test_review_bands_as_the_store_computes_them(
    positive: int, total: int, band: str | None
) -> None:
    assert review_band(positive, total) == band


def test_the_answers_own_band_wins(fixtures: Fixtures) -> None:
    assert review_band(100, 100, review_score=5) == "Mixed"
    assert review_band(100, 100, review_score=0) is None  # Steam's "no band"


def test_the_scores_right_after_the_details_reuse_their_answer(
    server: HTTPServer, fixtures: Fixtures, steam: SteamProvider
) -> None:
    serve_app(server, fixtures, "570", "steam_appdetails_570_dota2_free_metacritic.json")
    serve_reviews(server, "570", fixtures.bytes("steam_appreviews_mixed.json"))

    assert steam.details("570") is not None
    scores = steam.scores("570")

    assert scores is not None and scores.critic_score == 90
    assert requests_to(server, "/api/appdetails") == 1
