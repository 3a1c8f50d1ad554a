"""`stats`, `next` and `pick` read on a small library whose dates are known, on every
connection the read side runs on, with the clock fixed: each number is written by hand."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from questrya.common.exceptions import InvalidInputError, NotFoundError
from questrya.common.rows import ReadConnection
from questrya.common.value_objects import GameMetadata, ScoreSnapshot
from questrya.games.service import GameService
from questrya.insight.domain import TERMS, NextWeights
from questrya.insight.views import InsightViews
from questrya.metadata.domain import Candidate, FetchPolicy
from questrya.metadata.repository import SqlMetadataUnitOfWork
from questrya.metadata.service import MetadataService
from questrya.users.repository import SqlUsersUnitOfWork
from questrya.users.service import UserService
from tests.integration.support import FixedClock, RecordingQueue, games_of
from tests.unit.metadata_fakes import RecordingFetchQueue, ScriptedProvider

TODAY = date(2026, 6, 15)
DEFAULT_WEIGHTS = {
    "rating": 1.0,
    "user_score": 0.5,
    "critic_score": 0.3,
    "backlog_age": 0.5,
    "on_hold": 2.0,
    "release_age": -0.1,
    "length": -0.02,
    "tags": 2.0,
}


def noon(day: date) -> datetime:
    """Midday UTC: the same local date in every time zone a test machine has."""
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@dataclass
class Library:
    games: GameService
    clock: FixedClock
    rows: ReadConnection
    owner: int
    ids: dict[str, int]

    def views(self, **weights: Any) -> InsightViews:
        boost, sink = weights.pop("boost", ()), weights.pop("sink", ())
        chosen = NextWeights({**DEFAULT_WEIGHTS, **weights}, boost=boost, sink=sink)
        return InsightViews(self.rows, self.owner, self.clock, chosen)


@pytest.fixture
def library(database: tuple[Engine, Any]) -> Iterator[Library]:
    """Eight games of one profile, each added at noon on a known day (a removed game and
    another profile's completion beside them); three with a typical length, one with scores."""
    engine, connect = database
    clock = FixedClock(noon(TODAY), TODAY)
    users = UserService(SqlUsersUnitOfWork(engine), clock, login="player")
    player = users.current()
    assert player.id is not None
    games = games_of(engine, player, clock, RecordingQueue())
    ids: dict[str, int] = {}

    def add(name: str, on: date, platform: str = "pc", **options: Any) -> GameService:
        clock.current = noon(on)
        game = games.add(name, platform, **options)
        assert game.id is not None
        ids[name] = game.id
        clock.current = noon(TODAY)
        return games

    add("Celeste", date(2025, 9, 10), "switch")
    games.start("Celeste", on=date(2025, 9, 20))
    games.complete("Celeste", on=date(2025, 10, 5), rating=8)
    add("Hades", date(2025, 11, 1))
    games.start("Hades", on=date(2025, 11, 3))
    games.complete("Hades", on=date(2026, 2, 14), rating=9)
    add("Inside", date(2024, 3, 1), started=date(2024, 1, 5), completed=date(2024, 2, 1))
    add("Tunic", date(2026, 1, 20), tags=["coop"])
    add("Outer Wilds", date(2025, 5, 5))
    games.start("Outer Wilds", on=date(2025, 6, 1))
    games.hold("Outer Wilds")
    add("Elden Ring", date(2026, 3, 3), "ps5")
    games.start("Elden Ring", on=date(2026, 3, 10))
    add("Anthem", date(2026, 4, 4), rating=3)
    games.abandon("Anthem")
    add("Gris", date(2026, 6, 1), "switch")
    add("Gone Home", date(2026, 5, 5))
    games.remove("Gone Home")
    other = games_of(engine, users.add("other"), clock)
    other.add("Hades", "pc", completed=date(2026, 5, 1))
    _fetch(engine, clock, player.id, ids)
    rows: ReadConnection = connect()
    yield Library(games, clock, rows, player.id, ids)
    rows.close()


def _fetch(engine: Engine, clock: FixedClock, owner: int, ids: dict[str, int]) -> None:
    """Metadata for Tunic, Gris and Hades, with their typical lengths, fetched ten days ago;
    Tunic's user score, 90% then, 96% today."""
    provider = ScriptedProvider()
    known = {
        "Tunic": ("553420", date(2022, 3, 16), 12),
        "Gris": ("683320", date(2018, 12, 13), 5),
        "Hades": ("1145360", date(2020, 9, 17), 30),
    }
    for title, (provider_id, released, hours) in known.items():
        provider.results[title] = [Candidate("steam", provider_id, title)]
        provider.games[provider_id] = GameMetadata(
            "steam", provider_id, title, released, typical_hours=hours
        )
    clock.current = noon(TODAY - timedelta(days=10))
    provider.score_answers["553420"] = ScoreSnapshot(clock.now(), 90.0, 5000, 80, "Very Positive")
    metadata = MetadataService(
        SqlMetadataUnitOfWork(engine),
        provider,
        clock,
        RecordingFetchQueue(),
        FetchPolicy(),
        owner_id=owner,
    )
    for title in known:
        assert metadata.fetch(ids[title]).outcome == "fetched"
    clock.current = noon(TODAY)
    provider.score_answers["553420"] = ScoreSnapshot(clock.now(), 96.0, 5100, 80, "Very Positive")
    assert metadata.refresh_scores([ids["Tunic"]]) == 1


# --- stats -----------------------------------------------------------------------------------


def test_every_number_of_stats_is_exactly_right(library: Library) -> None:
    stats = library.views().stats()

    assert stats == {
        "games": 8,
        "by_status": {
            "not_started": 2,
            "playing": 1,
            "on_hold": 1,
            "completed": 3,
            "abandoned": 1,
        },
        "by_platform": {"PC": 5, "Switch": 2, "PS5": 1},
        "completion_rate": 0.375,
        "ratings": {
            **dict.fromkeys(map(str, range(1, 11)), 0),
            "3": 1,
            "8": 1,
            "9": 1,
            "unrated": 5,
        },
        # added → started: Celeste 10, Hades 2, Outer Wilds 27, Elden Ring 7 (Inside was
        # started before it was added); started → completed: 15, 103 and 27 days
        "median_days_to_start": 8.5,
        "median_days_to_complete": 27.0,
        "months": [
            {"month": "2025-07", "added": 0, "completed": 0},
            {"month": "2025-08", "added": 0, "completed": 0},
            {"month": "2025-09", "added": 1, "completed": 0},
            {"month": "2025-10", "added": 0, "completed": 1},
            {"month": "2025-11", "added": 1, "completed": 0},
            {"month": "2025-12", "added": 0, "completed": 0},
            {"month": "2026-01", "added": 1, "completed": 0},
            {"month": "2026-02", "added": 0, "completed": 1},
            {"month": "2026-03", "added": 1, "completed": 0},
            {"month": "2026-04", "added": 1, "completed": 0},
            {"month": "2026-05", "added": 0, "completed": 0},
            {"month": "2026-06", "added": 1, "completed": 0},
        ],
        "years": [
            {"year": 2024, "completed": 1},
            {"year": 2025, "completed": 1},
            {"year": 2026, "completed": 1},
        ],
        "added_last_12_months": 6,
        "backlog_growth": 4,
        "forecast": {
            "not_started": 2,
            "completed_last_12_months": 2,
            "games_per_month": 0.1667,
            "months_left": 12,
            "length": {
                "games": 2,  # Tunic 12 hours, Gris 5
                "hours": 17,
                "completed_hours": 30,  # Hades, completed in February
                "hours_per_month": 2.5,
                "months_left": 7,
            },
        },
    }


def test_the_forecast_in_words(library: Library) -> None:
    views = library.views()
    assert views.forecast(views.stats()) == [
        "At 0.2 games a month, 2 games take 1 year.",
        "At 2.5 hours a month, they need 17 hours: 7 months.",
    ]


def test_a_query_narrows_what_stats_counts(library: Library) -> None:
    stats = library.views().stats(["platform:switch"])
    assert (stats["games"], stats["by_platform"], stats["completion_rate"]) == (
        2,
        {"Switch": 2},
        0.5,
    )
    assert stats["forecast"]["not_started"] == 1
    assert stats["median_days_to_complete"] == 15.0


def test_stats_of_an_empty_selection_say_nothing_was_completed(library: Library) -> None:
    views = library.views()
    stats = views.stats(["tag:none-such"])
    assert (stats["games"], stats["completion_rate"], stats["median_days_to_start"]) == (
        0,
        None,
        None,
    )
    assert stats["years"] == [{"year": 2026, "completed": 0}]
    assert views.forecast(stats) == ["Nothing is waiting to be started."]
    waiting = views.stats(["status:not_started"])
    assert views.forecast(waiting) == [
        "Nothing completed in the last 12 months: no pace to forecast how long 2 games take."
    ]


def test_a_bad_query_is_bad_input(library: Library) -> None:
    with pytest.raises(InvalidInputError):
        library.views().stats(["rating:11"])


# --- next ------------------------------------------------------------------------------------


def test_next_ranks_the_not_started_and_on_hold_games_by_their_terms(library: Library) -> None:
    ranked = library.views().ranked(limit=10)

    assert [(game.title, game.score) for game in ranked] == [
        ("Tunic", 6.73),
        ("Outer Wilds", 2.56),
        ("Gris", -0.83),
    ]
    tunic = {term.name: term.points for term in ranked[0].terms}
    # 96% and 80 from the critics; 146 days in the backlog; released 1552 days ago; 12 hours
    assert tunic == {
        "rating": 0.0,
        "user_score": 4.8,
        "critic_score": 2.4,
        "backlog_age": 0.2,
        "on_hold": 0.0,
        "release_age": -0.43,
        "length": -0.24,
        "tags": 0.0,
    }
    assert [term.name for term in ranked[0].terms] == list(TERMS)
    for game in ranked:
        assert game.score == round(sum(term.points for term in game.terms), 2)


def test_weights_and_tags_change_the_ranking(library: Library) -> None:
    views = library.views(on_hold=10.0, sink=("coop",))
    ranked = views.ranked(limit=2)
    assert [(game.title, game.score) for game in ranked] == [
        ("Outer Wilds", 10.56),
        ("Tunic", 4.73),
    ]
    tags = next(term for term in ranked[1].terms if term.name == "tags")
    assert (tags.value, tags.weight, tags.points) == (-1.0, 2.0, -2.0)


def test_ties_go_to_the_lowest_id(library: Library) -> None:
    flat = library.views(**dict.fromkeys(TERMS, 0.0)).ranked(limit=3)
    assert [game.game_id for game in flat] == sorted(
        library.ids[title] for title in ("Tunic", "Outer Wilds", "Gris")
    )


def test_next_never_proposes_a_completed_abandoned_or_playing_game(library: Library) -> None:
    views = library.views(rating=100.0)  # the rated games would lead, were they candidates
    for words in ([], ["status:completed"], ["status:playing,abandoned"], ["anthem"]):
        titles = {game.title for game in views.ranked(words, limit=50)}
        assert titles <= {"Tunic", "Outer Wilds", "Gris"}, words
    assert [game.title for game in views.ranked(["platform:switch"])] == ["Gris"]


# --- pick ------------------------------------------------------------------------------------


def test_pick_chooses_within_the_query_and_a_seed_chooses_again(library: Library) -> None:
    views = library.views()
    waiting = {library.ids[title] for title in ("Tunic", "Outer Wilds", "Gris")}
    chosen = {views.pick(seed=seed) for seed in range(40)}
    assert chosen == waiting
    for seed in range(10):
        assert views.pick(seed=seed) == views.pick(seed=seed)
    not_started = {library.ids["Tunic"], library.ids["Gris"]}
    assert {views.pick(["status:not_started"], seed) for seed in range(40)} == not_started
    assert views.pick(["status:completed", "platform:switch"]) == library.ids["Celeste"]
    # without a status, the query chooses among the games still to play
    assert {views.pick(["platform:switch"], seed) for seed in range(20)} == {library.ids["Gris"]}
    with pytest.raises(NotFoundError):
        views.pick(["status:completed", "gone home"])


# --- the weekly digest -----------------------------------------------------------------------


def test_the_digest_holds_the_days_asked_for(library: Library) -> None:
    library.games.start("Gris", on=date(2026, 6, 10))
    library.clock.current = noon(date(2026, 6, 14))
    library.games.add("Celeste Farewell", "pc", completed=date(2026, 6, 14))

    digest = library.views().digest("player", date(2026, 6, 8), TODAY)

    assert digest.week == "2026-W24"
    assert [game.title for game in digest.completed] == ["Celeste Farewell"]
    assert [game.title for game in digest.started] == ["Gris"]  # a completion alone has no start
    assert [game.title for game in digest.added] == ["Celeste Farewell"]
    assert [game.title for game in digest.next_up] == ["Tunic", "Outer Wilds"]
    assert [(m.title, m.before, m.now) for m in digest.moves] == [("Tunic", 90.0, 96.0)]
