"""The game's rules (PRODUCT §3): lifecycle, dates, title, tags and its history snapshot."""

import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest

from questrya.common.exceptions import InvalidInputError, RuleViolationError
from questrya.common.value_objects import GameMetadata, GameRating, Platform
from questrya.games.domain import CompletionLevel, Game, GameStatus, new_game
from tests.unit.fakes import NOW, TODAY

S = GameStatus
YESTERDAY = TODAY - timedelta(days=1)
LAST_YEAR = date(2023, 6, 1)


def make_game(
    status: GameStatus = S.NOT_STARTED,
    *,
    title: str = "Hollow Knight",
    release_date: date | None = None,
    started_date: date | None = None,
    completion_date: date | None = None,
) -> Game:
    return Game(
        owner_id=1,
        title=title,
        platform=Platform("PC"),
        added_at=NOW,
        updated_at=NOW,
        status=status,
        release_date=release_date,
        started_date=started_date,
        completion_date=completion_date,
        id=1,
    )


def transition(game: Game, name: str) -> None:
    """Run one of the `games start/hold/complete/abandon` transitions today."""
    if name == "start":
        game.start(TODAY)
    elif name == "hold":
        game.hold()
    elif name == "complete":
        game.complete(TODAY)
    else:
        game.abandon()


# What PRODUCT §3 allows: transition -> (the statuses it starts from, where it leads).
ALLOWED = {
    "start": ({S.NOT_STARTED, S.ON_HOLD, S.ABANDONED, S.COMPLETED}, S.PLAYING),
    "hold": ({S.PLAYING}, S.ON_HOLD),
    "complete": ({S.NOT_STARTED, S.PLAYING, S.ON_HOLD}, S.COMPLETED),
    "abandon": ({S.NOT_STARTED, S.PLAYING, S.ON_HOLD}, S.ABANDONED),
}
ALLOWED_MOVES = [
    (name, origin, target) for name, (origins, target) in ALLOWED.items() for origin in origins
]
REFUSED_MOVES = [
    (name, origin)
    for name, (origins, _) in ALLOWED.items()
    for origin in GameStatus
    if origin not in origins
]


# --- lifecycle ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "origin", "target"), ALLOWED_MOVES)
def test_allowed_transition_moves_the_game(
    name: str, origin: GameStatus, target: GameStatus
) -> None:
    game = make_game(origin, started_date=LAST_YEAR if origin is not S.NOT_STARTED else None)

    transition(game, name)

    assert game.status is target


@pytest.mark.parametrize(("name", "origin"), REFUSED_MOVES)
def test_refused_transition_names_the_current_status_and_changes_nothing(
    name: str, origin: GameStatus
) -> None:
    game = make_game(origin)
    before = game.snapshot()

    with pytest.raises(RuleViolationError, match=rf"cannot {name} .*it is {origin.value}"):
        transition(game, name)

    assert game.snapshot() == before


def test_an_abandoned_game_cannot_be_completed_until_started_again() -> None:
    game = make_game(S.ABANDONED, started_date=LAST_YEAR)

    with pytest.raises(RuleViolationError, match=r"it is abandoned.*start it again"):
        game.complete(TODAY)

    game.start(TODAY)
    game.complete(TODAY)
    assert (game.status, game.completion_date) == (S.COMPLETED, TODAY)


@pytest.mark.parametrize("origin", [S.NOT_STARTED, S.ON_HOLD])
def test_start_sets_the_started_date_to_today_when_there_is_none(origin: GameStatus) -> None:
    game = make_game(origin, started_date=None)

    game.start(TODAY)

    assert game.started_date == TODAY


@pytest.mark.parametrize("origin", [S.ON_HOLD, S.ABANDONED])
def test_resuming_keeps_the_original_started_date(origin: GameStatus) -> None:
    game = make_game(origin, started_date=LAST_YEAR)

    game.start(TODAY)

    assert (game.status, game.started_date) == (S.PLAYING, LAST_YEAR)


def test_a_replay_is_a_new_playthrough_started_today_with_no_completion() -> None:
    game = make_game(S.COMPLETED, started_date=LAST_YEAR, completion_date=LAST_YEAR)
    game.completion_level = CompletionLevel.FULL
    game.rate(GameRating(9))

    game.start(TODAY)

    assert (game.status, game.started_date, game.completion_date) == (S.PLAYING, TODAY, None)
    assert (game.completion_level, game.rating) == (None, GameRating(9))


@pytest.mark.parametrize("origin", [S.NOT_STARTED, S.ON_HOLD, S.ABANDONED, S.COMPLETED])
def test_start_on_a_given_day_sets_the_start_date(origin: GameStatus) -> None:
    game = make_game(origin, started_date=None if origin is S.NOT_STARTED else LAST_YEAR)

    game.start(TODAY, on=YESTERDAY)

    assert (game.status, game.started_date) == (S.PLAYING, YESTERDAY)


# --- completion dates ---------------------------------------------------------------------


def test_complete_records_date_level_and_rating() -> None:
    game = make_game(S.PLAYING, started_date=LAST_YEAR)

    game.complete(TODAY, on=YESTERDAY, level=CompletionLevel.EXTRAS, rating=GameRating(9))

    assert game.snapshot() == {
        **make_game(S.PLAYING, started_date=LAST_YEAR).snapshot(),
        "status": "completed",
        "completion_date": YESTERDAY.isoformat(),
        "completion_level": "extras",
        "rating": 9,
    }
    assert game.recommended


def test_complete_without_a_date_is_today_and_keeps_the_rating() -> None:
    game = make_game(S.PLAYING)
    game.rate(GameRating(6))

    game.complete(TODAY)

    assert (game.completion_date, game.rating) == (TODAY, GameRating(6))
    assert not game.recommended


def test_completion_date_in_the_future_is_refused() -> None:
    game = make_game(S.PLAYING)

    with pytest.raises(InvalidInputError, match="in the future"):
        game.complete(TODAY, on=TODAY + timedelta(days=1))

    assert (game.status, game.completion_date) == (S.PLAYING, None)


def test_completion_before_release_is_refused_but_on_release_day_is_allowed() -> None:
    game = make_game(S.PLAYING, release_date=YESTERDAY)

    with pytest.raises(InvalidInputError, match="before the release date"):
        game.complete(TODAY, on=YESTERDAY - timedelta(days=1))
    assert game.status is S.PLAYING

    game.complete(TODAY, on=YESTERDAY)
    assert game.completion_date == YESTERDAY


def test_release_date_after_the_completion_date_is_refused_but_unfinished_games_may_wait() -> None:
    unreleased = make_game()
    unreleased.redate(TODAY, release=TODAY + timedelta(days=365))
    assert unreleased.release_date == TODAY + timedelta(days=365)

    game = make_game(S.COMPLETED, completion_date=YESTERDAY)
    with pytest.raises(InvalidInputError, match="before the release date"):
        game.redate(TODAY, release=TODAY)
    assert game.release_date is None

    game.redate(TODAY, release=YESTERDAY)
    assert game.release_date == YESTERDAY


# --- the order of the dates: release ≤ started ≤ completed ≤ today ------------------------

JAN_1, JAN_2, JAN_3 = date(2024, 1, 1), date(2024, 1, 2), date(2024, 1, 3)


def playing_since_jan_2() -> Game:
    return make_game(S.PLAYING, started_date=JAN_2)


def completed_on_jan_2() -> Game:
    return make_game(S.COMPLETED, started_date=JAN_2, completion_date=JAN_2)


@pytest.mark.parametrize(
    ("game", "change", "message"),
    [
        (
            playing_since_jan_2,
            lambda game: game.complete(TODAY, on=JAN_1),
            "completion date 2024-01-01 is before the start date 2024-01-02",
        ),
        (
            completed_on_jan_2,
            lambda game: game.redate(TODAY, started=JAN_3),
            "completion date 2024-01-02 is before the start date 2024-01-03",
        ),
        (
            playing_since_jan_2,
            lambda game: game.redate(TODAY, release=JAN_3),
            "start date 2024-01-02 is before the release date 2024-01-03",
        ),
        (
            completed_on_jan_2,
            lambda game: game.redate(TODAY, completed=TODAY + timedelta(days=1)),
            f"completion date {TODAY + timedelta(days=1)} is in the future (today is {TODAY})",
        ),
        (
            playing_since_jan_2,
            lambda game: game.hold() or game.start(TODAY, on=TODAY + timedelta(days=1)),
            f"start date {TODAY + timedelta(days=1)} is in the future (today is {TODAY})",
        ),
    ],
)
def test_a_change_that_breaks_the_order_of_the_dates_names_both_and_changes_nothing(
    game: Callable[[], Game], change: Callable[[Game], None], message: str
) -> None:
    subject = game()
    before = subject.dates

    with pytest.raises(InvalidInputError) as refused:
        change(subject)

    assert str(refused.value) == message
    assert subject.dates == before


def test_an_edit_gives_several_dates_at_once() -> None:
    game = make_game(S.COMPLETED, started_date=JAN_1, completion_date=JAN_1)

    game.redate(TODAY, release=JAN_2, started=JAN_2, completed=JAN_3)

    assert game.dates == (JAN_2, JAN_2, JAN_3)


@pytest.mark.parametrize(
    ("status", "dates", "says"),
    [
        (S.NOT_STARTED, {"started": JAN_1}, "not_started"),
        (S.PLAYING, {"completed": JAN_1}, "playing"),
        (S.ABANDONED, {"completed": JAN_1}, "abandoned"),
    ],
)
def test_an_edit_refuses_a_date_the_status_has_not(
    status: GameStatus, dates: dict[str, date], says: str
) -> None:
    game = make_game(status)

    with pytest.raises(InvalidInputError, match=says):
        game.redate(TODAY, **dates)

    assert game.dates == (None, None, None)


def test_dates_stored_before_the_rule_never_block_a_change_to_the_others() -> None:
    legacy = make_game(S.PLAYING, started_date=JAN_3, completion_date=JAN_1)  # an old replay

    legacy.redate(TODAY, release=JAN_1)
    legacy.hold()

    assert legacy.dates == (JAN_1, JAN_3, JAN_1)
    with pytest.raises(InvalidInputError, match="2024-01-01 is before the release date"):
        legacy.redate(TODAY, release=JAN_2)  # checked against the dates it changes


def test_undo_restores_dates_only_in_order() -> None:
    game = make_game(S.COMPLETED, started_date=JAN_2, completion_date=JAN_3)

    game.restore({"status": "playing", "completion_date": None}, TODAY)
    assert (game.status, game.dates) == (S.PLAYING, (None, JAN_2, None))

    with pytest.raises(InvalidInputError, match="before the start date"):
        game.restore({"status": "completed", "completion_date": JAN_1.isoformat()}, TODAY)
    assert (game.status, game.dates) == (S.PLAYING, (None, JAN_2, None))


# --- the release date the player sees -----------------------------------------------------

FETCHED = date(2020, 9, 17)  # an early-access release, say


def fetched(game: Game, release_date: date | None = FETCHED) -> Game:
    game.metadata = GameMetadata("steam", "1145360", game.title, release_date=release_date)
    return game


def test_the_players_own_release_date_wins_over_the_metadata() -> None:
    game = fetched(make_game(release_date=LAST_YEAR))
    assert game.released == LAST_YEAR


def test_the_metadatas_release_date_is_shown_when_the_player_gave_none() -> None:
    assert fetched(make_game()).released == FETCHED
    assert fetched(make_game(), release_date=None).released is None
    assert make_game().released is None


@pytest.mark.parametrize(
    ("started", "completed", "shown"),
    [
        (None, date(2019, 5, 1), None),  # finished before that release: not shown
        (date(2019, 4, 1), None, None),  # started before it
        (date(2019, 4, 1), date(2021, 1, 1), None),
        (FETCHED, FETCHED, FETCHED),  # on release day
        (date(2021, 1, 1), date(2021, 2, 1), FETCHED),
    ],
)
def test_the_metadatas_release_date_is_shown_only_when_it_keeps_the_date_rule(
    started: date | None, completed: date | None, shown: date | None
) -> None:
    game = fetched(make_game(S.COMPLETED, started_date=started, completion_date=completed))

    assert game.released == shown
    assert game.metadata is not None and game.metadata.release_date == FETCHED
    assert game.release_date is None  # the player's own stays theirs


# --- title, tags, notes -------------------------------------------------------------------


def test_title_is_trimmed_and_may_be_any_unicode_up_to_200_characters() -> None:
    game = make_game()

    game.rename("  ゼルダの伝説 ティアーズ オブ ザ キングダム 🗡  ")
    assert game.title == "ゼルダの伝説 ティアーズ オブ ザ キングダム 🗡"

    game.rename("x" * 200)
    assert len(game.title) == 200


@pytest.mark.parametrize(
    ("raw", "error"),
    [
        ("", "must not be empty"),
        ("   \n", "must not be empty"),
        ("x" * 201, "at most 200"),
        ("Half\tLife", "control characters"),
        ("Doom\x00", "control characters"),
        ("Line\nBreak", "control characters"),
    ],
)
def test_bad_title_is_refused_and_the_old_one_kept(raw: str, error: str) -> None:
    game = make_game(title="Celeste")

    with pytest.raises(InvalidInputError, match=error):
        game.rename(raw)

    assert game.title == "Celeste"


def test_tags_are_lowercased_trimmed_deduplicated_and_sorted() -> None:
    game = make_game()

    game.tag(["  Co-op ", "RPG", "rpg", "Metroidvania"])
    game.untag(["METROIDVANIA"])

    assert game.tags == ("co-op", "rpg")


@pytest.mark.parametrize("raw", ["open world", "", "#coop", "-coop", "x" * 33])
def test_a_tag_that_is_not_one_short_word_is_refused(raw: str) -> None:
    game = make_game()

    with pytest.raises(InvalidInputError, match="tag"):
        game.tag(["ok", raw])

    assert game.tags == ()


def test_notes_keep_line_breaks_but_refuse_other_control_characters() -> None:
    game = make_game()

    game.set_notes("  Boss at\n\tthe end  ")
    assert game.notes == "Boss at\n\tthe end"

    with pytest.raises(InvalidInputError, match="control characters"):
        game.set_notes("bell\x07")


# --- a new game ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "started", "completed", "kept"),
    [
        (None, JAN_1, None, (S.PLAYING, JAN_1, None)),
        (None, None, JAN_2, (S.COMPLETED, None, JAN_2)),
        (None, JAN_1, JAN_2, (S.COMPLETED, JAN_1, JAN_2)),
        (S.COMPLETED, JAN_1, None, (S.COMPLETED, JAN_1, TODAY)),
        (S.ON_HOLD, JAN_1, None, (S.ON_HOLD, JAN_1, None)),
        (S.ABANDONED, JAN_1, None, (S.ABANDONED, JAN_1, None)),
    ],
)
def test_a_new_game_takes_the_dates_it_was_played_on(
    status: GameStatus | None,
    started: date | None,
    completed: date | None,
    kept: tuple[GameStatus, date | None, date | None],
) -> None:
    game = new_game(
        1,
        "Celeste",
        Platform("pc"),
        NOW,
        TODAY,
        status=status,
        started=started,
        completed=completed,
    )

    assert (game.status, game.started_date, game.completion_date) == kept


@pytest.mark.parametrize(
    ("status", "started", "completed", "says"),
    [
        (S.NOT_STARTED, JAN_1, None, "not_started has no start date"),
        (S.PLAYING, None, JAN_1, "playing has no completion date"),
        (None, JAN_2, JAN_1, "completion date 2024-01-01 is before the start date 2024-01-02"),
    ],
)
def test_a_new_game_refuses_dates_its_status_or_each_other_rule_out(
    status: GameStatus | None, started: date | None, completed: date | None, says: str
) -> None:
    with pytest.raises(InvalidInputError, match=says):
        new_game(
            1,
            "Celeste",
            Platform("pc"),
            NOW,
            TODAY,
            status=status,
            started=started,
            completed=completed,
        )


@pytest.mark.parametrize(
    ("status", "started", "completed"),
    [
        (S.NOT_STARTED, None, None),
        (S.PLAYING, TODAY, None),
        (S.ON_HOLD, TODAY, None),
        (S.COMPLETED, None, TODAY),
        (S.ABANDONED, None, None),
    ],
)
def test_a_new_game_gets_the_dates_its_status_implies(
    status: GameStatus, started: date | None, completed: date | None
) -> None:
    game = new_game(1, "Celeste", Platform("switch"), NOW, TODAY, status=status)

    assert (game.status, game.started_date, game.completion_date) == (status, started, completed)
    assert (game.added_at, game.updated_at) == (NOW, NOW)


# --- snapshot -----------------------------------------------------------------------------


def test_snapshot_holds_every_user_visible_field_as_json_values() -> None:
    game = new_game(
        1,
        "  Outer Wilds ",
        Platform("windows"),
        NOW,
        TODAY,
        status=S.PLAYING,
        release_date=date(2019, 5, 28),
        rating=GameRating(10),
        tags=["Space", "mystery"],
        wishlist=True,
        notes="Bring marshmallows",
        fetch_metadata=False,
    )
    game.log_play(95, TODAY)
    game.hold()

    snapshot = game.snapshot()

    assert snapshot == {
        "title": "Outer Wilds",
        "platform": "PC",
        "status": "on_hold",
        "release_date": "2019-05-28",
        "started_date": TODAY.isoformat(),
        "completion_date": None,
        "completion_level": None,
        "rating": 10,
        "wishlist": True,
        "tags": ["mystery", "space"],
        "notes": "Bring marshmallows",
        "playtime": 95,
        "last_played": TODAY.isoformat(),
    }
    assert json.loads(json.dumps(snapshot)) == snapshot
