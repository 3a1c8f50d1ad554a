"""History, undo and bulk edit (PRODUCT §3-4) on the in-memory fakes."""

import pytest

from questrya.common.exceptions import InvalidInputError, NotFoundError, RuleViolationError
from questrya.games.domain import GameStatus
from questrya.games.service import GameChanges, GameService
from tests.unit.fakes import FakeGamesUnitOfWork, FixedClock, RecordingMetadataQueue

OWNER = 1


@pytest.fixture
def uow() -> FakeGamesUnitOfWork:
    return FakeGamesUnitOfWork()


@pytest.fixture
def games(uow: FakeGamesUnitOfWork) -> GameService:
    return GameService(uow, OWNER, FixedClock(), RecordingMetadataQueue())


def test_undo_takes_back_a_completion_with_its_rating_in_one_step(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    game = games.add("Hollow Knight", "PC")
    games.start("hollow")
    games.complete("hollow", rating=8)

    [(event, restored)] = games.undo()

    assert event.kind == "complete"
    assert (restored.status, restored.rating, restored.completion_date) == (
        GameStatus.PLAYING,
        None,
        None,
    )
    assert uow.stored[game.id or 0].status is GameStatus.PLAYING


def test_undo_n_goes_back_n_changes_newest_first(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    games.add("Celeste", "PC")
    games.start("celeste")
    games.rate("celeste", rating=9)

    undone = games.undo(2)

    assert [event.kind for event, _ in undone] == ["rate", "start"]
    [game] = uow.stored.values()
    assert (game.status, game.rating) == (GameStatus.NOT_STARTED, None)
    # each undone change comes with the game as that step left it, not as it ends up
    assert [(step.status, step.rating) for _, step in undone] == [
        (GameStatus.PLAYING, None),
        (GameStatus.NOT_STARTED, None),
    ]


def test_a_bulk_edit_of_the_games_shown_leaves_the_rest_alone(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    portal, portal_2 = games.add("Portal", "PC"), games.add("Portal 2", "PC")
    shown = games.edit_preview(["platform:pc"], GameChanges(add_tags=["valve"]))
    games.add("Half-Life", "PC")
    games.remove("Portal 2")

    edited = games.edit_games([game.id or 0 for game in shown], GameChanges(add_tags=["valve"]))

    assert [game.id for game in edited] == [portal.id]
    assert {game.title: game.tags for game in uow.stored.values()} == {
        "Portal": ("valve",),
        "Half-Life": (),
    }
    assert portal_2.id not in uow.stored


def test_undo_of_an_add_removes_the_game_and_undo_of_a_remove_restores_it(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    game = games.add("Hades", "PC", tags=["roguelike"], rating=9)
    games.remove("hades")
    assert uow.stored == {}

    [(event, restored)] = games.undo()

    assert event.kind == "remove"
    assert restored.id == game.id
    assert (restored.title, restored.tags, restored.rating) == (
        game.title,
        ("roguelike",),
        game.rating,
    )
    assert restored.added_at == game.added_at

    [(event, _)] = games.undo()
    assert event.kind == "add"
    assert uow.stored == {}


def test_an_undone_change_is_not_undone_twice_and_nothing_left_is_a_rule_violation(
    games: GameService,
) -> None:
    games.add("Inside", "PC")
    games.undo()
    with pytest.raises(RuleViolationError, match="nothing to undo"):
        games.undo()


def test_undo_needs_a_positive_count(games: GameService) -> None:
    with pytest.raises(InvalidInputError):
        games.undo(0)


def test_history_lists_a_games_changes_in_order_even_after_it_is_removed(
    games: GameService,
) -> None:
    game = games.add("Limbo", "PC")
    games.start("limbo")
    games.remove("limbo")

    events = games.history(str(game.id))

    assert [event.kind for event in events] == ["add", "start", "remove"]
    assert events[1].before == {"status": "not_started", "started_date": None}


def test_history_of_nothing_is_not_found(games: GameService) -> None:
    with pytest.raises(NotFoundError):
        games.history("42")


def test_bulk_edit_changes_every_match_as_one_undoable_change(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    games.add("Portal", "PC")
    games.add("Portal 2", "PC")
    games.add("Halo", "Xbox")

    edited = games.edit_all(["platform:pc"], GameChanges(add_tags=["valve"]))

    assert sorted(game.title for game in edited) == ["Portal", "Portal 2"]
    assert {game.title: game.tags for game in uow.stored.values()} == {
        "Portal": ("valve",),
        "Portal 2": ("valve",),
        "Halo": (),
    }
    assert len({event.change_id for event in uow.history[-2:]}) == 1

    undone = games.undo()

    assert len(undone) == 2
    assert all(game.tags == () for game in uow.stored.values())


@pytest.mark.parametrize(
    ("query", "changes", "error"),
    [
        ([], GameChanges(add_tags=["x"]), InvalidInputError),
        (["platform:pc"], GameChanges(title="Same For All"), InvalidInputError),
        (["platform:pc"], GameChanges(), InvalidInputError),
        (["status:abandoned"], GameChanges(add_tags=["x"]), NotFoundError),
    ],
)
def test_a_bulk_edit_that_cannot_apply_changes_nothing(
    games: GameService,
    uow: FakeGamesUnitOfWork,
    query: list[str],
    changes: GameChanges,
    error: type[Exception],
) -> None:
    games.add("Portal", "PC")
    mark = len(uow.history)
    with pytest.raises(error):
        games.edit_all(query, changes)
    assert len(uow.history) == mark


@pytest.mark.parametrize(
    ("words", "one_game"),
    [
        (["12"], True),
        (["dark souls"], True),
        (["Halo: Reach"], True),
        (["dark", "souls"], False),
        (["tag:coop"], False),
        (["title:final"], False),
        (["-hades"], False),
    ],
)
def test_edit_tells_a_reference_from_a_query(words: list[str], one_game: bool) -> None:
    assert GameService.is_reference(words) is one_game
