"""Playtime (PRODUCT §3): durations as players type them, play sessions and their undo."""

from datetime import timedelta

import pytest

from questrya.common.durations import format_duration, parse_duration
from questrya.common.exceptions import InvalidInputError
from questrya.games.service import GameService
from tests.unit.fakes import TODAY, FakeGamesUnitOfWork, FixedClock, RecordingMetadataQueue

OWNER = 1


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("1h30m", 90), ("90m", 90), ("2h", 120), ("0h45m", 45), ("1H5M", 65), (" 3h ", 180)],
)
def test_a_duration_is_hours_and_minutes_as_players_type_them(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "h", "m", "90", "1.5h", "1h 30m", "30m1h", "-5m", "1d"])
def test_anything_else_is_bad_input_showing_the_form(text: str) -> None:
    with pytest.raises(InvalidInputError, match="like 1h30m, 90m or 2h"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "0m"), (45, "45m"), (60, "1h"), (90, "1h30m"), (6001, "100h1m")]
)
def test_minutes_read_as_they_are_typed(minutes: int, text: str) -> None:
    assert format_duration(minutes) == text
    assert parse_duration(text) == minutes


@pytest.fixture
def uow() -> FakeGamesUnitOfWork:
    return FakeGamesUnitOfWork()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def games(uow: FakeGamesUnitOfWork, clock: FixedClock) -> GameService:
    return GameService(uow, OWNER, clock, RecordingMetadataQueue())


def test_a_session_adds_to_the_playtime_and_was_played_today(
    games: GameService, uow: FakeGamesUnitOfWork, clock: FixedClock
) -> None:
    game = games.add("Hades", "pc")
    games.log("hades", 90)
    clock.advance(timedelta(days=2))
    games.log("hades", 45)

    stored = uow.stored[game.id or 0]
    assert (stored.playtime, stored.last_played) == (135, TODAY + timedelta(days=2))
    assert [(event.kind, event.before, event.after) for event in uow.history[1:]] == [
        (
            "log",
            {"playtime": 0, "last_played": None},
            {"playtime": 90, "last_played": "2024-06-15"},
        ),
        (
            "log",
            {"playtime": 90, "last_played": "2024-06-15"},
            {"playtime": 135, "last_played": "2024-06-17"},
        ),
    ]


def test_undo_takes_a_session_back(games: GameService, uow: FakeGamesUnitOfWork) -> None:
    game = games.add("Hades", "pc")
    games.log("hades", 30)
    games.log("hades", 60)

    [(event, restored)] = games.undo()

    assert event.kind == "log"
    assert (restored.playtime, restored.last_played) == (30, TODAY)
    assert uow.stored[game.id or 0].playtime == 30


def test_a_session_of_no_time_is_refused_and_changes_nothing(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    game = games.add("Hades", "pc")

    with pytest.raises(InvalidInputError, match="a minute or more"):
        games.log("hades", 0)

    assert uow.stored[game.id or 0].playtime == 0
    assert len(uow.history) == 1
