"""The read side's SQL on every connection it runs on: the standard library's sqlite3 (SQLite),
SQLAlchemy's connection through ``text()`` (any other database; here on SQLite), and
PostgreSQL when one answers on 127.0.0.1:5432. Each game must read as the write side shows
its entity, and each listing must hold the games the repository finds, in the same order."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from questrya.common.exceptions import AmbiguousReferenceError, NotFoundError
from questrya.common.rows import ReadConnection
from questrya.common.value_objects import GameMetadata, ScoreSnapshot
from questrya.games.domain import Game
from questrya.games.service import GameService
from questrya.games.views import GameViews
from questrya.metadata.domain import Candidate, FetchPolicy, TemporaryProviderError
from questrya.metadata.repository import SqlMetadataUnitOfWork
from questrya.metadata.service import MetadataService
from questrya.users.repository import SqlUsersUnitOfWork
from questrya.users.service import UserService
from tests.integration.support import (
    NOW,
    TODAY,
    FixedClock,
    RecordingQueue,
    games_of,
)
from tests.unit.metadata_fakes import RecordingFetchQueue, ScriptedProvider


@dataclass
class Backlog:
    games: GameService
    views: GameViews
    ids: dict[str, int]


@pytest.fixture
def backlog(database: tuple[Engine, Any]) -> Iterator[Backlog]:
    """Games in every state a listing shows: fetched with a score trend, a release date kept
    from the player's dates or not, ambiguous, waiting for a retry, skipped, tagged, rated,
    wishlisted, removed; and another profile's game of the same title."""
    engine, connect = database
    clock = FixedClock(NOW - timedelta(days=30), TODAY)
    users = UserService(SqlUsersUnitOfWork(engine), clock, login="player")
    player = users.current()
    users.add("other")
    games = games_of(engine, player, clock, RecordingQueue())
    provider = _provider()
    metadata = MetadataService(
        SqlMetadataUnitOfWork(engine),
        provider,
        clock,
        RecordingFetchQueue(),
        FetchPolicy(max_attempts=3, retry_delay=timedelta(minutes=5)),
        owner_id=player.id,
    )
    ids = {
        "celeste": _id(games.add("Celeste", "pc", completed=date(2025, 2, 1), rating=8)),
        "dota": _id(games.add("Dota 2", "windows", started=date(2024, 5, 1), tags=["moba"])),
        "early": _id(games.add("Early Bird", "pc", completed=date(2020, 1, 5), rating=6)),
        "hades": _id(
            games.add("Hades", "ps5", tags=["roguelike", "coop"], wishlist=True, notes="night runs")
        ),
        "soul": _id(games.add("Soulcalibur VI", "pc", tags=["coop"])),
        "unlucky": _id(games.add("Unlucky", "switch", rating=3)),
        "juice": _id(games.add("100%_Orange Juice", "pc", fetch_metadata=False)),
        "gone": _id(games.add("Gone Home", "pc", tags=["coop"])),
    }
    for name in ("celeste", "dota", "early", "soul", "unlucky"):
        metadata.fetch(ids[name])
    clock.advance(timedelta(days=1))
    metadata.refresh_scores([ids["celeste"]])
    games.abandon("100%_Orange Juice")
    games.log("dota 2", 95)
    games.remove("gone home")
    games_of(engine, users.add("someone"), clock).add("Celeste", "pc")
    rows: ReadConnection = connect()
    yield Backlog(games, GameViews(rows, _id(player)), ids)
    rows.close()


def _provider() -> ScriptedProvider:
    provider = ScriptedProvider()
    for title, provider_id, released in [
        ("Celeste", "504230", date(2018, 1, 25)),
        ("Dota 2", "570", date(2013, 7, 9)),
        ("Early Bird", "9001", date(2021, 6, 1)),  # after the player finished it: not shown
    ]:
        provider.results[title] = [Candidate("steam", provider_id, title)]
        provider.games[provider_id] = GameMetadata(
            "steam", provider_id, title, released, ("Action", "Indie"), ("Studio",)
        )
    provider.score_answers["504230"] = ScoreSnapshot(NOW, 95.5, 1200, 88, "Very Positive")
    provider.results["Soulcalibur VI"] = [
        Candidate("steam", "544750", "SoulCalibur VI Deluxe"),
        Candidate("steam", "544751", "Soul Calibur 6 Season Pass"),
    ]
    provider.results["Unlucky"] = TemporaryProviderError("HTTP 503 from store")
    return provider


def _id(game: Any) -> int:
    assert game.id is not None
    return int(game.id)


def shown(game: Game) -> dict[str, object]:
    """A game as the read side must show it, from the write side's entity."""
    meta, score = game.metadata, game.score
    return {
        "id": game.id,
        "title": game.title,
        "platform": game.platform.name,
        "status": game.status.value,
        "release_date": _day(game.released),
        "started_date": _day(game.started_date),
        "completion_date": _day(game.completion_date),
        "completion_level": game.completion_level.value if game.completion_level else None,
        "rating": game.rating.score if game.rating else None,
        "recommended": game.recommended,
        "wishlist": game.wishlist,
        "tags": list(game.tags),
        "notes": game.notes,
        "playtime": game.playtime,
        "last_played": _day(game.last_played),
        "metadata_status": game.metadata_status.value,
        "metadata": None
        if meta is None
        else {
            "provider": meta.provider,
            "provider_id": meta.provider_id,
            "title": meta.title,
            "release_date": _day(meta.release_date),
            "genres": list(meta.genres),
            "developers": list(meta.developers),
            "publishers": list(meta.publishers),
            "description": meta.description,
            "cover_url": meta.cover_url,
            "url": meta.url,
            "typical_hours": meta.typical_hours,
        },
        "score": None if score is None else _score(score),
        "metadata_error": game.metadata_error,
        "added_at": _stamp(game.added_at),
        "updated_at": _stamp(game.updated_at),
        "metadata_attempts": game.metadata_attempts,
        "metadata_retry_at": _stamp(game.metadata_retry_at),
        "metadata_candidates": game.metadata_candidates,
    }


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _stamp(value: datetime | None) -> str | None:
    """A time as JSON writes it: ISO 8601 in UTC with a "Z"."""
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _score(score: ScoreSnapshot) -> dict[str, object]:
    return {
        "user_score": score.user_score,
        "user_votes": score.user_votes,
        "critic_score": score.critic_score,
        "label": score.label,
        "fetched_at": _stamp(score.fetched_at),
    }


def test_every_game_reads_as_the_write_side_shows_it(backlog: Backlog) -> None:
    listed = [list(game.items()) for game in backlog.views.games(backlog.views.listing())]

    assert listed == [list(shown(game).items()) for game in backlog.games.find()]
    assert len(listed) == 7  # the removed game and the other profiles' are not there


def test_the_states_the_listing_must_show_are_there(backlog: Backlog) -> None:
    """The backlog holds what the comparison above is about."""
    games = {game["title"]: game for game in backlog.views.games(backlog.views.listing())}

    assert games["Celeste"]["release_date"] == "2018-01-25"
    assert games["Early Bird"]["release_date"] is None
    assert games["Early Bird"]["metadata"] is not None
    celeste_score = games["Celeste"]["score"]
    assert celeste_score is not None and celeste_score["user_score"] == 95.5
    assert len(backlog.views.scores(backlog.ids["celeste"])) == 2
    assert games["Soulcalibur VI"]["metadata_status"] == "ambiguous"
    assert games["Soulcalibur VI"]["metadata_candidates"] > 0
    assert games["Unlucky"]["metadata_retry_at"] is not None
    assert games["Unlucky"]["metadata_error"] == "HTTP 503 from store"
    assert games["Hades"]["tags"] == ["coop", "roguelike"]
    assert games["Hades"]["wishlist"] is True


@pytest.mark.parametrize("ref", ["celeste", "CELESTE", "soulcal", "6", "100%_", "unl"])
def test_a_game_by_its_ref_reads_as_the_write_side_shows_it(backlog: Backlog, ref: str) -> None:
    if ref == "6":
        ref = str(backlog.ids["unlucky"])
    assert list(backlog.views.game(ref).items()) == list(shown(backlog.games.show(ref)).items())


def test_a_ref_matching_several_games_names_them_as_the_write_side_does(
    backlog: Backlog,
) -> None:
    with pytest.raises(AmbiguousReferenceError) as read:
        backlog.views.game("e")
    with pytest.raises(AmbiguousReferenceError) as written:
        backlog.games.show("e")

    assert (str(read.value), read.value.candidates) == (
        str(written.value),
        written.value.candidates,
    )


@pytest.mark.parametrize("ref", ["gone home", "Unknown", "9999", "d_ta", "cel%te"])
def test_a_game_out_of_the_backlog_is_not_found(backlog: Backlog, ref: str) -> None:
    with pytest.raises(NotFoundError):
        backlog.views.game(ref)


LISTINGS: list[tuple[list[str], dict[str, Any]]] = [
    ([], {}),
    ([], {"limit": 2}),
    ([], {"limit": 0}),
    ([], {"sort": "rating-"}),
    ([], {"sort": "release_date", "limit": 3}),
    ([], {"sort": "added_at-"}),
    (["tag:coop"], {}),
    (["-tag:coop"], {"limit": 3}),
    ([], {"statuses": ["completed", "playing"], "sort": "title-"}),
    ([], {"platform": "windows"}),
    (["released:2013..2019"], {}),
    (["100%"], {}),
    (["_"], {}),
    (["wishlist:yes"], {}),
    (["metadata:ambiguous,pending"], {}),
    (["added:2025-02-12"], {}),
    (["-rating:7.."], {"sort": "rating"}),
    (["o", "-status:abandoned"], {"tag": "coop", "limit": 1}),
]


@pytest.mark.parametrize(("words", "options"), LISTINGS)
def test_a_listing_holds_the_games_the_repository_finds_in_its_order(
    backlog: Backlog, words: list[str], options: dict[str, Any]
) -> None:
    expected = backlog.games.find(words, **options)
    listing = backlog.views.listing(words, **options)

    assert [game["id"] for game in backlog.views.games(listing)] == [g.id for g in expected]
    assert list(backlog.views.ids(listing)) == [game.id for game in expected]
    assert [tuple(line) for line in backlog.views.lines(listing)] == [
        (g.id, g.title, g.platform.name, g.status.value, _rating(g), g.wishlist, list(g.tags))
        for g in expected
    ]


def _rating(game: Game) -> int | None:
    return game.rating.score if game.rating else None


def test_the_history_reads_as_the_write_side_records_it(backlog: Backlog) -> None:
    for ref in ("celeste", "100%", str(backlog.ids["gone"])):
        events = backlog.views.history(ref)
        recorded = backlog.games.history(ref)
        assert [
            (e["id"], e["change_id"], e["game_id"], e["kind"], e["at"], e["before"], e["after"])
            for e in events
        ] == [
            (e.id, e.change_id, e.game_id, e.kind.value, e.at, e.before, e.after) for e in recorded
        ]
    assert [e["kind"] for e in backlog.views.history(str(backlog.ids["gone"]))] == [
        "add",
        "remove",
    ]
    with pytest.raises(NotFoundError):
        backlog.views.history("9999")


def test_the_score_trend_reads_every_snapshot_oldest_first(backlog: Backlog) -> None:
    trend = backlog.views.scores(backlog.ids["celeste"])

    assert trend == [_score(snapshot) for snapshot in backlog.games.scores("celeste")]
    assert backlog.views.scores(backlog.ids["gone"]) == []


# --- the REFs a word being typed may go on to name (shell completion) -------------------------


def _named(backlog: Backlog, typed: str, limit: int = 50) -> list[tuple[int, str, str]]:
    return [tuple(game) for game in backlog.views.starting(typed, limit)]


def test_the_titles_starting_with_a_word_come_by_title_from_the_profile_s_backlog(
    backlog: Backlog,
) -> None:
    ids = backlog.ids
    every = [
        (ids["juice"], "100%_Orange Juice", "PC"),
        (ids["celeste"], "Celeste", "PC"),  # the other profile's Celeste is not there
        (ids["dota"], "Dota 2", "PC"),
        (ids["early"], "Early Bird", "PC"),
        (ids["hades"], "Hades", "PS5"),
        (ids["soul"], "Soulcalibur VI", "PC"),
        (ids["unlucky"], "Unlucky", "Switch"),
    ]  # and not Gone Home, which was removed

    assert _named(backlog, "") == every
    assert _named(backlog, "", limit=2) == every[:2]
    assert _named(backlog, "SOULC") == [(ids["soul"], "Soulcalibur VI", "PC")]
    assert _named(backlog, "dota ") == [(ids["dota"], "Dota 2", "PC")]
    assert _named(backlog, "dota  2") == [(ids["dota"], "Dota 2", "PC")]
    assert _named(backlog, "go") == []


@pytest.mark.parametrize("typed", ["%", "_", "1_", "c%", "/"])
def test_a_wildcard_typed_is_a_character_like_any_other(backlog: Backlog, typed: str) -> None:
    assert _named(backlog, typed) == []


def test_a_number_names_the_ids_starting_with_it_then_the_titles(backlog: Backlog) -> None:
    ids = backlog.ids
    assert ids["celeste"] == 1  # the first game added
    assert _named(backlog, "1") == [
        (ids["celeste"], "Celeste", "PC"),
        (ids["juice"], "100%_Orange Juice", "PC"),
    ]
    assert _named(backlog, "100") == [(ids["juice"], "100%_Orange Juice", "PC")]
    assert _named(backlog, str(ids["gone"])) == []
    assert _named(backlog, "9" * 25) == []  # longer than any id: no id, and no title
