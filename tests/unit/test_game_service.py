"""The games use cases (PRODUCT §3-4) on in-memory fakes: what each command stores and records."""

from datetime import date, timedelta

import pytest

from questrya.common.events import GameEvent
from questrya.common.exceptions import (
    AmbiguousReferenceError,
    InvalidInputError,
    NotFoundError,
    RuleViolationError,
    StorageError,
)
from questrya.common.value_objects import MetadataStatus
from questrya.games.domain import Game, GameStatus
from questrya.games.service import GameChanges, GameService
from tests.unit.fakes import (
    TODAY,
    FakeGamesUnitOfWork,
    FixedClock,
    RecordingMetadataQueue,
)

OWNER = 1
OTHER_OWNER = 2


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def uow() -> FakeGamesUnitOfWork:
    return FakeGamesUnitOfWork()


@pytest.fixture
def queue(uow: FakeGamesUnitOfWork) -> RecordingMetadataQueue:
    return RecordingMetadataQueue(is_committed=lambda game_id: game_id in uow.stored)


@pytest.fixture
def games(
    uow: FakeGamesUnitOfWork, clock: FixedClock, queue: RecordingMetadataQueue
) -> GameService:
    return GameService(uow, OWNER, clock, queue)


def stored(uow: FakeGamesUnitOfWork, game: Game) -> Game:
    """The game as committed: what the next command would see."""
    assert game.id is not None
    return uow.stored[game.id]


def events_since(uow: FakeGamesUnitOfWork, mark: int) -> list[GameEvent]:
    return uow.history[mark:]


# --- add ----------------------------------------------------------------------------------


def test_add_stores_the_game_and_records_one_add_event(
    games: GameService, uow: FakeGamesUnitOfWork, clock: FixedClock
) -> None:
    game = games.add("  Hollow Knight ", "windows", tags=["Metroidvania"], rating=9)

    saved = stored(uow, game)
    assert (saved.title, saved.platform.name, saved.status) == (
        "Hollow Knight",
        "PC",
        GameStatus.NOT_STARTED,
    )
    [event] = uow.history
    assert (event.kind, event.game_id, event.owner_id, event.at) == (
        "add",
        game.id,
        OWNER,
        clock.now(),
    )
    assert event.before is None
    assert event.after == saved.snapshot()


def test_add_enqueues_the_metadata_fetch_after_the_commit(
    games: GameService, queue: RecordingMetadataQueue
) -> None:
    game = games.add("Celeste", "switch")

    assert game.metadata_status is MetadataStatus.PENDING
    assert queue.enqueued == [game.id]
    assert queue.committed_when_enqueued == [True]


def test_add_without_fetch_is_skipped_and_enqueues_nothing(
    uow: FakeGamesUnitOfWork, clock: FixedClock, queue: RecordingMetadataQueue
) -> None:
    by_option = GameService(uow, OWNER, clock, queue).add("Celeste", "pc", fetch_metadata=False)
    by_setting = GameService(uow, OWNER, clock, queue, auto_fetch=False).add("Hades", "pc")

    assert stored(uow, by_option).metadata_status is MetadataStatus.SKIPPED
    assert stored(uow, by_setting).metadata_status is MetadataStatus.SKIPPED
    assert queue.enqueued == []


def test_add_whose_commit_fails_stores_and_enqueues_nothing(
    games: GameService, uow: FakeGamesUnitOfWork, queue: RecordingMetadataQueue
) -> None:
    uow.fail_on_commit = True

    with pytest.raises(StorageError):
        games.add("Celeste", "pc")

    assert (uow.stored, uow.history, queue.enqueued) == ({}, [], [])


@pytest.mark.parametrize(
    ("title", "platform"),
    [("Hollow Knight", "PC"), ("hollow  knight", "windows"), ("HOLLÓW KNIGHT", "pc")],
)
def test_the_same_game_twice_is_refused_naming_the_existing_id(
    games: GameService, uow: FakeGamesUnitOfWork, title: str, platform: str
) -> None:
    first = games.add("Hollow Knight", "PC")

    with pytest.raises(RuleViolationError, match=rf"already in the backlog as game {first.id}\b"):
        games.add(title, platform)

    assert list(uow.stored) == [first.id]
    assert len(uow.history) == 1


def test_the_same_title_on_another_platform_or_profile_is_allowed(
    games: GameService, uow: FakeGamesUnitOfWork, clock: FixedClock, queue: RecordingMetadataQueue
) -> None:
    on_pc = games.add("Hades", "PC")
    on_switch = games.add("Hades", "Switch")
    elsewhere = GameService(uow, OTHER_OWNER, clock, queue).add("Hades", "PC")

    assert len({on_pc.id, on_switch.id, elsewhere.id}) == 3
    assert len(uow.stored) == 3


@pytest.mark.parametrize(
    ("status", "started", "completed"),
    [("playing", TODAY, None), ("On_Hold", TODAY, None), ("completed", None, TODAY)],
)
def test_add_with_a_status_sets_the_dates_it_implies(
    games: GameService,
    uow: FakeGamesUnitOfWork,
    status: str,
    started: date | None,
    completed: date | None,
) -> None:
    game = games.add("Celeste", "pc", status=status)

    saved = stored(uow, game)
    assert saved.status == status.lower()
    assert (saved.started_date, saved.completion_date) == (started, completed)


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"status": "finished"}, "status must be one of"),
        ({"rating": 11}, "between 1 and 10"),
        ({"tags": ["open world"]}, "one short word"),
        ({"status": "completed", "release_date": TODAY + timedelta(days=1)}, "release date"),
    ],
)
def test_add_with_bad_input_stores_nothing(
    games: GameService,
    uow: FakeGamesUnitOfWork,
    queue: RecordingMetadataQueue,
    options: dict[str, object],
    error: str,
) -> None:
    with pytest.raises(InvalidInputError, match=error):
        games.add("Celeste", "pc", **options)  # type: ignore[arg-type]

    assert (uow.stored, uow.history, queue.enqueued) == ({}, [], [])


# --- references ---------------------------------------------------------------------------


def test_an_exact_title_wins_over_titles_that_contain_it(games: GameService) -> None:
    portal = games.add("Portal", "PC")
    portal_2 = games.add("Portal 2", "PC")

    assert games.show("portal").id == portal.id
    assert games.show("PORTAL 2").id == portal_2.id


def test_a_reference_ignores_case_and_accents(games: GameService) -> None:
    arceus = games.add("Pokémon Legends: Arceus", "Switch")
    games.add("Pokémon Scarlet", "Switch")

    assert games.show("pokemon legends: arceus").id == arceus.id
    assert games.show("LEGENDS").id == arceus.id


def test_a_reference_contained_in_several_titles_is_ambiguous_with_candidates(
    games: GameService,
) -> None:
    scarlet = games.add("Pokémon Scarlet", "Switch")
    violet = games.add("Pokémon Violet", "Switch")

    with pytest.raises(AmbiguousReferenceError, match="matches 2 games") as caught:
        games.show("pokemon")

    assert caught.value.candidates == (
        f"{scarlet.id}\tPokémon Scarlet\tSwitch",
        f"{violet.id}\tPokémon Violet\tSwitch",
    )


def test_the_same_exact_title_on_two_platforms_is_ambiguous(games: GameService) -> None:
    games.add("Hades", "PC")
    games.add("Hades", "Switch")

    with pytest.raises(AmbiguousReferenceError) as caught:
        games.show("hades")

    assert {candidate.split("\t")[2] for candidate in caught.value.candidates} == {"PC", "Switch"}


def test_a_reference_that_matches_nothing_is_not_found(games: GameService) -> None:
    games.add("Celeste", "PC")

    with pytest.raises(NotFoundError, match="no game matches 'Hades'"):
        games.show("Hades")
    with pytest.raises(NotFoundError):
        games.show("999")
    with pytest.raises(InvalidInputError, match="must not be empty"):
        games.show("   ")


def test_a_number_is_an_id_first_and_otherwise_a_title(games: GameService) -> None:
    celeste = games.add("Celeste", "PC")
    game_1942 = games.add("1942", "NES")

    assert games.show(f" {celeste.id} ").title == "Celeste"
    assert games.show(str(game_1942.id)).title == "1942"
    assert games.show("1942").id == game_1942.id
    with pytest.raises(NotFoundError):
        games.show("94")  # part of a title is no match for a number


def test_another_profiles_games_are_invisible(
    games: GameService, uow: FakeGamesUnitOfWork, clock: FixedClock, queue: RecordingMetadataQueue
) -> None:
    theirs = GameService(uow, OTHER_OWNER, clock, queue).add("Celeste", "PC")

    with pytest.raises(NotFoundError):
        games.show(str(theirs.id))
    with pytest.raises(NotFoundError):
        games.start("Celeste")
    assert stored(uow, theirs).status is GameStatus.NOT_STARTED


# --- changes and their events -------------------------------------------------------------


def test_each_transition_records_one_event_with_only_the_changed_fields(
    games: GameService, uow: FakeGamesUnitOfWork, clock: FixedClock
) -> None:
    game = games.add("Celeste", "PC")
    mark = len(uow.history)
    clock.advance(timedelta(hours=1))

    games.start("Celeste")
    games.hold("Celeste")
    games.abandon("Celeste")

    assert [(e.kind, e.before, e.after) for e in events_since(uow, mark)] == [
        (
            "start",
            {"status": "not_started", "started_date": None},
            {"status": "playing", "started_date": TODAY.isoformat()},
        ),
        ("hold", {"status": "playing"}, {"status": "on_hold"}),
        ("abandon", {"status": "on_hold"}, {"status": "abandoned"}),
    ]
    assert stored(uow, game).updated_at == clock.now()
    assert all(event.at == clock.now() for event in events_since(uow, mark))


def test_complete_with_a_rating_is_one_change(games: GameService, uow: FakeGamesUnitOfWork) -> None:
    games.add("Celeste", "PC", started=date(2024, 5, 20))
    mark = len(uow.history)

    [game] = games.complete("celeste", on=date(2024, 6, 1), level="Full", rating=8)

    [event] = events_since(uow, mark)
    assert event.kind == "complete"
    assert event.after == {
        "status": "completed",
        "completion_date": "2024-06-01",
        "completion_level": "full",
        "rating": 8,
    }
    assert event.before == {
        "status": "playing",
        "completion_date": None,
        "completion_level": None,
        "rating": None,
    }
    assert stored(uow, game).recommended


def test_rating_a_game_again_with_the_same_score_records_nothing(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    games.add("Celeste", "PC")
    games.rate("Celeste", rating=8)
    mark = len(uow.history)

    games.rate("Celeste", rating=8)

    assert events_since(uow, mark) == []


def test_edit_changes_several_fields_as_one_event(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    game = games.add("Celest", "PC", tags=["platformer", "indie"])
    mark = len(uow.history)

    games.edit(
        str(game.id),
        GameChanges(
            title="Celeste",
            platform="switch",
            add_tags=["Hard"],
            remove_tags=["INDIE"],
            wishlist=True,
        ),
    )

    [event] = events_since(uow, mark)
    assert event.kind == "edit"
    assert event.before == {
        "title": "Celest",
        "platform": "PC",
        "tags": ["indie", "platformer"],
        "wishlist": False,
    }
    assert event.after == {
        "title": "Celeste",
        "platform": "Switch",
        "tags": ["hard", "platformer"],
        "wishlist": True,
    }


def test_edit_with_nothing_to_change_is_bad_input(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    games.add("Celeste", "PC")
    commits = uow.commits

    with pytest.raises(InvalidInputError, match="nothing to change"):
        games.edit("Celeste", GameChanges(add_tags=[], remove_tags=[]))

    assert uow.commits == commits


def test_remove_takes_the_game_out_of_the_backlog_and_records_what_it_was(
    games: GameService, uow: FakeGamesUnitOfWork, clock: FixedClock
) -> None:
    game = games.add("Celeste", "PC", rating=9)
    snapshot = stored(uow, game).snapshot()

    games.remove("Celeste")

    assert game.id not in uow.stored
    assert uow.kept[game.id or 0].removed_at == clock.now()  # kept, for undo
    event = uow.history[-1]
    assert (event.kind, event.game_id, event.after) == ("remove", game.id, None)
    assert event.before == snapshot
    with pytest.raises(NotFoundError):
        games.show("Celeste")


# --- failed commands leave nothing behind --------------------------------------------------


def test_completing_an_abandoned_game_fails_and_changes_nothing(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    game = games.add("Celeste", "PC", status="playing")
    games.abandon("Celeste")
    before, mark = stored(uow, game).snapshot(), len(uow.history)

    with pytest.raises(RuleViolationError, match="it is abandoned"):
        games.complete("Celeste", rating=8)

    assert stored(uow, game).snapshot() == before
    assert events_since(uow, mark) == []


def test_a_completion_date_in_the_future_fails_and_changes_nothing(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    game = games.add("Celeste", "PC", status="playing")
    before, mark = stored(uow, game).snapshot(), len(uow.history)

    with pytest.raises(InvalidInputError, match="in the future"):
        games.complete("Celeste", on=TODAY + timedelta(days=1), rating=8)

    assert stored(uow, game).snapshot() == before
    assert events_since(uow, mark) == []


def test_an_edit_refused_half_way_keeps_nothing_of_it(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    hades = games.add("Hades", "PC")
    celeste = games.add("Celeste", "PC", tags=["indie"])
    before, mark = stored(uow, celeste).snapshot(), len(uow.history)

    with pytest.raises(RuleViolationError, match=rf"as game {hades.id}\b"):
        games.edit("Celeste", GameChanges(title="HADES", add_tags=["roguelike"]))

    assert stored(uow, celeste).snapshot() == before
    assert events_since(uow, mark) == []


def test_an_edit_of_the_release_date_after_completion_is_refused(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    game = games.add("Celeste", "PC", status="completed")
    mark = len(uow.history)

    with pytest.raises(InvalidInputError, match="before the release date"):
        games.edit(
            "Celeste", GameChanges(release_date=TODAY + timedelta(days=1), notes="too early")
        )

    assert stored(uow, game).release_date is None
    assert stored(uow, game).notes == ""
    assert events_since(uow, mark) == []


# --- several games in one command ---------------------------------------------------------


def test_several_games_change_as_one_change_in_one_commit(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    celeste, hades = games.add("Celeste", "PC"), games.add("Hades", "PC")
    commits, mark = uow.commits, len(uow.history)

    changed = games.rate("celeste", str(hades.id), rating=9)

    assert [game.id for game in changed] == [celeste.id, hades.id]
    assert uow.commits == commits + 1
    recorded = events_since(uow, mark)
    assert [(event.kind, event.game_id) for event in recorded] == [
        ("rate", celeste.id),
        ("rate", hades.id),
    ]
    assert len({event.change_id for event in recorded}) == 1
    assert sorted(event.game_id or 0 for event, _ in games.undo()) == [celeste.id, hades.id]
    assert {stored(uow, game).rating for game in (celeste, hades)} == {None}


def test_a_game_named_twice_is_changed_once(games: GameService, uow: FakeGamesUnitOfWork) -> None:
    hades = games.add("Hades", "PC", status="playing")
    mark = len(uow.history)

    held = games.hold("hades", str(hades.id), " HADES ")

    assert [game.id for game in held] == [hades.id]
    assert [event.kind for event in events_since(uow, mark)] == ["hold"]


@pytest.mark.parametrize(
    ("bad", "error"),
    [("nowhere", NotFoundError), ("es", AmbiguousReferenceError), ("", InvalidInputError)],
)
def test_one_bad_reference_among_several_changes_nothing(
    games: GameService, uow: FakeGamesUnitOfWork, bad: str, error: type[Exception]
) -> None:
    celeste = games.add("Celeste", "PC", status="playing")
    hades = games.add("Hades", "PC", status="playing")
    commits, mark = uow.commits, len(uow.history)

    with pytest.raises(error):
        games.hold("celeste", bad, "hades")

    assert uow.commits == commits
    assert events_since(uow, mark) == []
    assert {stored(uow, game).status for game in (celeste, hades)} == {GameStatus.PLAYING}


def test_a_game_the_rules_refuse_among_several_is_named_and_nothing_changes(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    celeste = games.add("Celeste", "PC", status="playing")
    tunic = games.add("Tunic", "PC")
    commits = uow.commits

    with pytest.raises(RuleViolationError) as refused:
        games.hold("celeste", "tunic")

    assert str(refused.value) == f"game {tunic.id}: cannot hold 'Tunic': it is not_started"
    assert uow.commits == commits
    assert stored(uow, celeste).status is GameStatus.PLAYING


def test_one_reference_keeps_its_error_as_it_was(games: GameService) -> None:
    games.add("Tunic", "PC")

    with pytest.raises(RuleViolationError) as refused:
        games.hold("tunic")

    assert str(refused.value) == "cannot hold 'Tunic': it is not_started"


def test_no_reference_is_bad_input(games: GameService) -> None:
    with pytest.raises(InvalidInputError, match="at least one game"):
        games.abandon()


def test_several_removals_are_one_change_that_one_undo_takes_back(
    games: GameService, uow: FakeGamesUnitOfWork
) -> None:
    celeste, hades = games.add("Celeste", "PC"), games.add("Hades", "PC")
    games.add("Tunic", "PC")

    shown = games.named("hades", "celeste")
    removed = games.remove(*(str(game.id) for game in shown))

    assert [game.id for game in removed] == [hades.id, celeste.id]
    assert sorted(game.title for game in uow.stored.values()) == ["Tunic"]
    assert len(games.undo()) == 2
    assert sorted(game.title for game in uow.stored.values()) == ["Celeste", "Hades", "Tunic"]


# --- list ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "error"),
    [
        ({"sort": "fun"}, "cannot sort by 'fun'"),
        ({"sort": "-"}, "cannot sort by"),
        ({"limit": -1}, "limit must be 0 or more"),
        ({"statuses": ["playing", "done"]}, "status must be one of"),
        ({"platform": "  "}, "platform must not be empty"),
    ],
)
def test_list_with_bad_options_is_bad_input(
    games: GameService, options: dict[str, object], error: str
) -> None:
    with pytest.raises(InvalidInputError, match=error):
        games.find(**options)  # type: ignore[arg-type]


def test_list_filters_by_status_platform_alias_and_tag_as_typed_by_players(
    games: GameService,
) -> None:
    celeste = games.add("Celeste", "PC", status="playing", tags=["coop"], rating=7)
    hades = games.add("Hades", "windows", status="playing", tags=["coop"], rating=9)
    games.add("Halo", "Xbox", status="playing", tags=["coop"])
    games.add("Inside", "PC", tags=["coop"])
    games.add("Limbo", "PC", status="playing")

    found = games.find(statuses=["Playing"], platform="pc", tag=" CoOp ", sort="rating-")

    assert [game.id for game in found] == [hades.id, celeste.id]
    assert games.find(statuses=["PLAYING"], platform="Windows", tag="COOP", limit=0) == []
