"""The games feature on a real SQLite file: SqlGamesUnitOfWork under the real GameService."""

import time
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from questrya.common.exceptions import NotFoundError, RuleViolationError
from questrya.common.value_objects import GameRating, MetadataStatus, Platform
from questrya.games.domain import (
    CompletionLevel,
    Game,
    GameStatus,
    new_game,
)
from questrya.games.repository import SqlGamesUnitOfWork
from questrya.games.service import GameChanges, GameService
from questrya.orm.models import GameEventRow
from questrya.users.domain import User
from questrya.users.service import UserService
from tests.integration.support import (
    NOW,
    TODAY,
    FixedClock,
    games_of,
    query,
    reopen,
    scalar,
)


def titles(found: list[Game]) -> list[str]:
    return [game.title for game in found]


def owner_id(user: User) -> int:
    assert user.id is not None
    return user.id


# --- round trip ------------------------------------------------------------------------------


@pytest.mark.embedded  # the text SQLite stores
def test_every_field_comes_back_as_it_was_stored(
    engine: Engine, games: GameService, profile: User, clock: FixedClock
) -> None:
    added = games.add(
        "Hollow Knight",
        "windows",
        release_date=date(2017, 2, 24),
        status="playing",
        rating=7,
        tags=["Metroidvania", "hard"],
        wishlist=True,
        notes="Bring a map\n\tand patience",
        fetch_metadata=False,
    )
    clock.advance(timedelta(days=1, hours=3))
    clock.day = TODAY + timedelta(days=1)
    games.complete(str(added.id), level="extras", rating=9)

    other_engine = reopen(engine)  # a later command, with nothing cached
    try:
        loaded = games_of(other_engine, profile, clock).show("hollow knight")
    finally:
        other_engine.dispose()

    assert {
        "id": loaded.id,
        "owner_id": loaded.owner_id,
        "title": loaded.title,
        "platform": loaded.platform,
        "status": loaded.status,
        "release_date": loaded.release_date,
        "started_date": loaded.started_date,
        "completion_date": loaded.completion_date,
        "completion_level": loaded.completion_level,
        "rating": loaded.rating,
        "wishlist": loaded.wishlist,
        "tags": loaded.tags,
        "notes": loaded.notes,
        "metadata_status": loaded.metadata_status,
        "added_at": loaded.added_at,
        "updated_at": loaded.updated_at,
    } == {
        "id": added.id,
        "owner_id": profile.id,
        "title": "Hollow Knight",
        "platform": Platform("PC"),
        "status": GameStatus.COMPLETED,
        "release_date": date(2017, 2, 24),
        "started_date": TODAY,
        "completion_date": TODAY + timedelta(days=1),
        "completion_level": CompletionLevel.EXTRAS,
        "rating": GameRating(9),
        "wishlist": True,
        "tags": ("hard", "metroidvania"),
        "notes": "Bring a map\n\tand patience",
        "metadata_status": MetadataStatus.SKIPPED,
        "added_at": NOW,
        "updated_at": NOW + timedelta(days=1, hours=3),
    }
    # NOW is 09:26 at UTC+1: the file holds 08:26, which reads back as 08:26 UTC, aware
    assert loaded.added_at.utcoffset() == timedelta(0)
    assert loaded.added_at == datetime(2025, 3, 14, 8, 26, 53, 589793, tzinfo=UTC)
    assert scalar(engine, "SELECT added_at FROM games") == "2025-03-14 08:26:53.589793"


def test_tags_are_stored_one_row_each_and_follow_edits(engine: Engine, games: GameService) -> None:
    game = games.add("Dead Cells", "switch", tags=["Roguelike", "pixel-art", "roguelike"])
    games.edit("Dead Cells", GameChanges(add_tags=["Coop"], remove_tags=["pixel-art"]))

    assert games.show("Dead Cells").tags == ("coop", "roguelike")
    stored = query(engine, "SELECT tag FROM game_tags WHERE game_id = :id ORDER BY tag", id=game.id)
    assert stored == [("coop",), ("roguelike",)]

    games.edit("Dead Cells", GameChanges(remove_tags=["coop", "roguelike"]))
    assert games.show("Dead Cells").tags == ()
    assert scalar(engine, "SELECT count(*) FROM game_tags") == 0


# --- the unit of work ------------------------------------------------------------------------


def test_changes_reach_the_database_only_on_commit(
    engine: Engine, games: GameService, profile: User
) -> None:
    game = games.add("Celeste", "pc", rating=6)
    assert game.id is not None
    uow = SqlGamesUnitOfWork(engine)

    with uow:
        [loaded] = uow.games.with_ids(owner_id(profile), [game.id])
        loaded.rate(GameRating(10))
        loaded.tag(["speedrun"])
    unchanged = games.show("Celeste")
    assert (unchanged.rating, unchanged.tags) == (GameRating(6), ())

    with uow:
        [loaded] = uow.games.with_ids(owner_id(profile), [game.id])
        loaded.rate(GameRating(10))
        loaded.tag(["speedrun"])
        uow.commit()
    changed = games.show("Celeste")
    assert (changed.rating, changed.tags) == (GameRating(10), ("speedrun",))


def test_an_error_inside_a_unit_of_work_leaves_no_trace(
    engine: Engine, games: GameService, profile: User
) -> None:
    games.add("Celeste", "pc")
    uow = SqlGamesUnitOfWork(engine)

    with pytest.raises(RuntimeError, match="interrupted"), uow:
        game = new_game(owner_id(profile), "Hades", Platform("pc"), NOW, TODAY, tags=["coop"])
        uow.games.add(game)  # the INSERTs are sent to SQLite here...
        assert game.id is not None
        raise RuntimeError("interrupted")  # ...and must not survive this

    assert titles(games.find()) == ["Celeste"]
    assert scalar(engine, "SELECT count(*) FROM game_tags") == 0


def test_a_refused_edit_changes_nothing(engine: Engine, games: GameService) -> None:
    first = games.add("Celeste", "pc")
    games.add("Hades", "PC", notes="roguelike")

    with pytest.raises(RuleViolationError, match=f"already in the backlog as game {first.id}"):
        games.edit("Hades", GameChanges(title="CELESTE", notes="renamed"))

    assert titles(games.find()) == ["Celeste", "Hades"]
    assert games.show("Hades").notes == "roguelike"
    assert query(engine, "SELECT kind FROM game_events ORDER BY id") == [("add",), ("add",)]


# --- listing ---------------------------------------------------------------------------------


@pytest.fixture
def backlog(games: GameService) -> GameService:
    """Six games across statuses, platforms, tags, ratings and release dates."""
    games.add("Tunic", "PC", status="not_started", rating=7, tags=["exploration"])
    games.add(
        "Celeste",
        "windows",
        status="completed",
        rating=9,
        tags=["platformer"],
        release_date=date(2018, 1, 25),
    )
    games.add(
        "Hades",
        "Switch",
        status="playing",
        rating=10,
        tags=["roguelike"],
        release_date=date(2020, 9, 17),
    )
    games.add("Outer Wilds", "PS5", tags=["exploration"], release_date=date(2019, 5, 28))
    games.add(
        "Dead Cells",
        "nintendo switch",
        status="abandoned",
        rating=6,
        tags=["roguelike", "platformer"],
        release_date=date(2018, 8, 7),
    )
    games.add("Spelunky", "Amiga", status="on_hold", tags=["roguelike", "platformer"])
    return games


def test_listing_orders_by_lifecycle_then_title(backlog: GameService) -> None:
    assert titles(backlog.find()) == [
        "Outer Wilds",  # not_started
        "Tunic",  # not_started
        "Hades",  # playing
        "Spelunky",  # on_hold
        "Celeste",  # completed
        "Dead Cells",  # abandoned
    ]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"statuses": ["not_started", "PLAYING"]}, ["Outer Wilds", "Tunic", "Hades"]),
        ({"platform": "SWITCH"}, ["Hades", "Dead Cells"]),
        ({"platform": "pc"}, ["Tunic", "Celeste"]),
        ({"platform": "aMIGA"}, ["Spelunky"]),  # an unknown platform, kept as typed
        ({"tag": "Roguelike"}, ["Hades", "Spelunky", "Dead Cells"]),
        ({"tag": "platformer", "platform": "switch"}, ["Dead Cells"]),
        ({"tag": "no-such-tag"}, []),
    ],
)
def test_listing_filters(
    backlog: GameService, filters: dict[str, Any], expected: list[str]
) -> None:
    assert titles(backlog.find(**filters)) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("rating-", ["Hades", "Celeste", "Tunic", "Dead Cells", "Outer Wilds", "Spelunky"]),
        ("rating", ["Dead Cells", "Tunic", "Celeste", "Hades", "Outer Wilds", "Spelunky"]),
        (
            "release_date-",
            ["Hades", "Outer Wilds", "Dead Cells", "Celeste", "Spelunky", "Tunic"],
        ),
        ("status-", ["Dead Cells", "Celeste", "Spelunky", "Hades", "Outer Wilds", "Tunic"]),
    ],
)
def test_sorting_puts_games_without_a_value_last_either_way(
    backlog: GameService, sort: str, expected: list[str]
) -> None:
    assert titles(backlog.find(sort=sort)) == expected


def test_limit_cuts_the_sorted_listing(backlog: GameService) -> None:
    assert titles(backlog.find(sort="rating-", limit=2)) == ["Hades", "Celeste"]
    assert titles(backlog.find(tag="roguelike", limit=1)) == ["Hades"]
    assert backlog.find(limit=0) == []


def test_title_sort_ignores_case_and_accents(games: GameService) -> None:
    for title in ["zork", "Ōkami", "ABZÛ", "celeste"]:
        games.add(title, "pc")

    assert titles(games.find(sort="title")) == ["ABZÛ", "celeste", "Ōkami", "zork"]
    assert titles(games.find(sort="title-")) == ["zork", "Ōkami", "celeste", "ABZÛ"]


def test_platform_filter_finds_platforms_with_non_ascii_capitals(games: GameService) -> None:
    games.add("Mr. Do!", "Ōric Atmos")

    assert titles(games.find(platform="Ōric Atmos")) == ["Mr. Do!"]
    assert titles(games.find(platform="ōric atmos")) == ["Mr. Do!"]


# --- references ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "decoy", "ref"),
    [
        ("100% Orange Juice", "1000 Orange Juice", "100%"),
        ("Root_Beer Tapper", "Root Beer Tapper", "t_b"),
        ("Fahrenheit/Indigo Prophecy", "Fahrenheit Indigo Prophecy", "t/i"),
    ],
)
def test_title_lookup_takes_like_wildcards_literally(
    games: GameService, wanted: str, decoy: str, ref: str
) -> None:
    games.add(wanted, "pc")
    games.add(decoy, "pc")

    assert games.show(ref).title == wanted
    assert titles(games.find([ref])) == [wanted]  # the same as a query word


@pytest.mark.parametrize("ref", ["%", "_", "%%", "_%_"])
def test_a_wildcard_alone_matches_no_title(games: GameService, ref: str) -> None:
    games.add("Celeste", "pc")

    with pytest.raises(NotFoundError):
        games.show(ref)
    assert games.find([ref]) == []


def test_a_removed_game_id_is_never_given_again(engine: Engine, games: GameService) -> None:
    ids = [games.add(title, "pc").id for title in ["Celeste", "Hades", "Tunic"]]
    assert ids == [1, 2, 3]
    games.remove("Tunic")  # the highest id: without AUTOINCREMENT SQLite would reuse it
    games.remove("Hades")

    assert games.add("Outer Wilds", "pc").id == 4
    with pytest.raises(NotFoundError):
        games.show("3")


# --- history ---------------------------------------------------------------------------------


def events(engine: Engine) -> list[GameEventRow]:
    with Session(engine) as session:
        return list(session.scalars(select(GameEventRow).order_by(GameEventRow.id)))


def test_each_command_writes_one_event_with_what_it_changed(
    engine: Engine, games: GameService, profile: User, clock: FixedClock
) -> None:
    game = games.add("Celeste", "pc", rating=6, fetch_metadata=False)
    clock.advance(timedelta(hours=1))
    games.start("Celeste")
    clock.advance(timedelta(hours=1))
    games.rate("Celeste", rating=9)
    games.rate("Celeste", rating=9)  # changes nothing: no event
    games.edit("Celeste", GameChanges(add_tags=["platformer"]))
    clock.advance(timedelta(hours=1))
    games.remove("Celeste")

    rows = events(engine)
    assert [row.kind for row in rows] == ["add", "start", "rate", "edit", "remove"]
    assert {(row.user_id, row.game_id) for row in rows} == {(profile.id, game.id)}
    assert [row.at for row in rows] == [
        NOW,
        NOW + timedelta(hours=1),
        NOW + timedelta(hours=2),
        NOW + timedelta(hours=2),
        NOW + timedelta(hours=3),
    ]
    assert all(row.at.utcoffset() == timedelta(0) for row in rows)
    assert [row.change_id for row in rows] == [1, 2, 3, 4, 5]  # one command, one change
    assert query(engine, "SELECT id, user_id FROM changes ORDER BY id") == [
        (change, profile.id) for change in [1, 2, 3, 4, 5]
    ]
    assert [row.undone_at for row in rows] == [None] * 5
    add, start, rate, edit, remove = rows
    assert add.before is None
    assert add.after is not None
    assert add.after["title"] == "Celeste"
    assert add.after["rating"] == 6
    assert "metadata_status" not in add.after  # the metadata feature's, not the player's
    assert (start.before, start.after) == (
        {"status": "not_started", "started_date": None},
        {"status": "playing", "started_date": "2025-03-14"},
    )
    assert (rate.before, rate.after) == ({"rating": 6}, {"rating": 9})
    assert (edit.before, edit.after) == ({"tags": []}, {"tags": ["platformer"]})
    assert remove.after is None
    assert remove.before is not None
    assert remove.before["status"] == "playing"
    assert remove.before["tags"] == ["platformer"]


def test_a_change_id_is_never_given_again_even_after_its_profile_is_removed(
    engine: Engine, games: GameService, users: UserService, clock: FixedClock
) -> None:
    bob = games_of(engine, users.add("bob"), clock)
    games.add("Celeste", "pc")
    bob.add("Hades", "pc")
    bob.start("Hades")
    users.remove("bob", force=True)  # his games, changes and events go with him

    games.add("Tunic", "pc")

    assert [row.change_id for row in events(engine)] == [1, 4]
    assert query(engine, "SELECT id FROM changes") == [(1,), (4,)]


def test_a_bulk_edit_is_one_change_and_one_undo_takes_it_back(
    engine: Engine, backlog: GameService, clock: FixedClock
) -> None:
    backlog.edit_all(["tag:roguelike"], GameChanges(add_tags=["favourite"]))
    clock.advance(timedelta(minutes=5))

    backlog.undo()

    assert backlog.find(tag="favourite") == []
    edits = [row for row in events(engine) if row.kind == "edit"]
    undos = [row for row in events(engine) if row.kind == "undo edit"]
    assert len(edits) == len(undos) == 3
    assert len({row.change_id for row in edits}) == 1
    assert len({row.change_id for row in undos}) == 1
    assert {row.undone_at for row in edits} == {NOW + timedelta(minutes=5)}
    assert {row.undone_at for row in undos} == {None}
    assert [row.undone_at for row in events(engine) if row.kind == "add"] == [None] * 6


@pytest.mark.embedded  # rows written with sqlite3's placeholders
def test_a_bulk_edit_of_the_games_shown_takes_them_in_batches_and_skips_the_gone(
    engine: Engine, games: GameService, profile: User, users: UserService, clock: FixedClock
) -> None:
    added = "2025-01-02 03:04:05.000000"
    with engine.begin() as connection:  # more games than one statement binds ids for
        connection.exec_driver_sql(
            "INSERT INTO games (user_id, title, title_key, platform, platform_key, status,"
            " wishlist, notes, metadata_status, added_at, updated_at, fetch_attempts)"
            " VALUES (?, ?, ?, 'PC', 'pc', 'not_started', 0, '', 'skipped', ?, ?, 0)",
            [(profile.id, f"Game {n:04}", f"game {n:04}", added, added) for n in range(1200)],
        )
    shown = [game.id for game in games.edit_preview(["game"], GameChanges(add_tags=["x"]))]
    assert len(shown) == 1200
    gone = games.remove("Game 0007")[0].id
    theirs = games_of(engine, users.add("alice"), clock).add("Game 9999", "pc")
    assert theirs.id is not None

    edited = games.edit_games([*reversed(shown), theirs.id], GameChanges(add_tags=["x"]))

    assert [game.id for game in edited] == [n for n in reversed(shown) if n != gone]
    assert len(games.find(["tag:x"])) == 1199
    assert games.find(["tag:x", "game 9999"]) == []


def test_undoing_a_remove_brings_the_game_back_whole_under_its_id(
    games: GameService, clock: FixedClock
) -> None:
    celeste = games.add("Celeste", "pc", rating=8, tags=["platformer"], notes="B-sides")
    games.start("Celeste")
    games.add("Hades", "pc")
    clock.advance(timedelta(days=1))
    games.remove("Celeste")

    games.undo()

    back = games.show("Celeste")
    assert back.id == celeste.id
    assert (back.status, back.started_date, back.rating) == (
        GameStatus.PLAYING,
        TODAY,
        GameRating(8),
    )
    assert (back.tags, back.notes, back.added_at) == (("platformer",), "B-sides", NOW)
    assert [event.kind for event in games.history(str(celeste.id))] == [
        "add",
        "start",
        "remove",
        "undo remove",
    ]
    assert games.add("Tunic", "pc").id == 3  # ids keep counting up


def test_one_undo_may_free_a_title_and_bring_back_the_removed_game_that_had_it(
    games: GameService,
) -> None:
    celeste = games.add("Celeste", "pc")
    hades = games.add("Hades", "pc")
    games.remove("Celeste")
    games.edit("Hades", GameChanges(title="Celeste"))  # a removed game's title is free

    games.undo(2)  # the rename, then the removal, in one transaction

    assert [(game.id, game.title) for game in games.find(sort="id")] == [
        (celeste.id, "Celeste"),
        (hades.id, "Hades"),
    ]


# --- the query language in SQL ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["-rating:7.."], ["Outer Wilds", "Spelunky", "Dead Cells"]),
        (["-released:2019.."], ["Tunic", "Spelunky", "Celeste", "Dead Cells"]),
        (["-tag:roguelike"], ["Outer Wilds", "Tunic", "Celeste"]),
        (["rating:..7", "-status:abandoned"], ["Tunic"]),
        (["released:2018"], ["Celeste", "Dead Cells"]),
    ],
)
def test_query_terms_and_their_negations_split_the_backlog(
    backlog: GameService, words: list[str], expected: list[str]
) -> None:
    # a negated term keeps the games whose field is empty (SQL's NULL is neither in nor out)
    assert titles(backlog.find(words)) == expected


def test_added_matches_the_players_local_day(
    games: GameService, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    paris = timezone(timedelta(hours=1))
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        clock.current = datetime(2025, 3, 14, 0, 30, tzinfo=paris)  # 23:30 UTC the day before
        games.add("Just after midnight", "pc")
        clock.current = datetime(2025, 3, 14, 23, 30, tzinfo=paris)
        games.add("Just before midnight", "pc")
        clock.current = datetime(2025, 3, 15, 0, 30, tzinfo=paris)
        games.add("Next day", "pc")

        assert titles(games.find(["added:2025-03-14"])) == [
            "Just after midnight",
            "Just before midnight",
        ]
        assert games.find(["added:2025-03-13"]) == []
        assert titles(games.find(["-added:2025-03-14"])) == ["Next day"]
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


# --- profiles --------------------------------------------------------------------------------


def test_a_profile_never_sees_or_touches_another_profiles_games(
    engine: Engine, users: UserService, clock: FixedClock
) -> None:
    alice = games_of(engine, users.add("alice"), clock)
    bob = games_of(engine, users.add("bob"), clock)
    celeste = alice.add("Celeste", "pc", rating=8, tags=["platformer"])

    assert bob.find() == []
    assert bob.find(tag="platformer") == []
    for ref in [str(celeste.id), "Celeste", "cel"]:
        with pytest.raises(NotFoundError):
            bob.show(ref)
    with pytest.raises(NotFoundError):
        bob.rate(str(celeste.id), rating=1)
    with pytest.raises(NotFoundError):
        bob.remove(str(celeste.id))
    with pytest.raises(RuleViolationError, match="nothing to undo"):
        bob.undo()
    bobs = bob.add("Celeste", "pc")  # the same game in another backlog is no duplicate

    assert titles(bob.find()) == ["Celeste"]
    assert bobs.id != celeste.id
    mine = alice.show("Celeste")
    assert (mine.id, mine.rating) == (celeste.id, GameRating(8))
