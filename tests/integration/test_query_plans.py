"""Every query a command runs on a game table finds its rows through an index: SQLite's own
query plans, read with EXPLAIN QUERY PLAN, for the statements the real services send."""

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from questrya.common.rows import Row
from questrya.games.service import GameChanges, GameService
from questrya.games.views import GameViews
from questrya.orm.sqlite import SqliteRows, open_reader
from questrya.users.domain import User
from tests.integration.support import query

pytestmark = pytest.mark.embedded  # SQLite's query plans

GAME_TABLES = ("games", "game_tags", "game_metadata", "game_scores", "game_events", "changes")
# A plan line that reads a whole table ("SCAN games"); "SCAN games USING INDEX …" walks an index.
FULL_SCAN = re.compile(rf"^SCAN ({'|'.join(GAME_TABLES)})\b(?!.*USING (COVERING )?INDEX)")


@pytest.fixture
def backlog(engine: Engine, games: GameService) -> GameService:
    for title, tags in [("Celeste", ["platformer"]), ("Hades", ["roguelike"]), ("Tunic", [])]:
        games.add(title, "pc", tags=tags)
    games.start("Celeste")
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO game_metadata VALUES (1, 'steam', '504230', 'Celeste', '2018-01-25',"
            " '[]', '[]', '[]', '', NULL, NULL, '2025-01-01 00:00:00', NULL)"
        )
        connection.exec_driver_sql(
            "INSERT INTO game_scores (game_id, fetched_at, user_score) VALUES"
            " (1, '2025-01-01 00:00:00', 96), (1, '2025-01-02 00:00:00', 97)"
        )
    return games


def statements(engine: Engine, command: Callable[[], object]) -> list[tuple[str, Any]]:
    """The statements ``command`` sent to the database, with their parameters."""
    sent: list[tuple[str, Any]] = []

    def keep(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().startswith(("SELECT", "UPDATE", "DELETE")):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    try:
        command()
    finally:
        event.remove(engine, "before_cursor_execute", keep)
    return sent


def full_scans(engine: Engine, command: Callable[[], object]) -> list[str]:
    sent = statements(engine, command)
    assert sent, "the command sent no query"
    scans = []
    with engine.connect() as connection:
        for statement, parameters in sent:
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            scans += [f"{row[3]}  ← {statement}" for row in plan if FULL_SCAN.match(row[3])]
    return scans


COMMANDS: dict[str, Callable[[GameService], object]] = {
    "listing": lambda games: games.find(),
    "sorted by release date": lambda games: games.find(sort="release_date"),
    "released range": lambda games: games.find(["released:2015..2020"]),
    "REF by id": lambda games: games.show("2"),
    "REF by exact title": lambda games: games.show("hades"),
    "REF by part of a title": lambda games: games.show("eles"),
    "tag filter": lambda games: games.find(["tag:roguelike"]),
    "score trend": lambda games: games.scores("celeste"),
    "history": lambda games: games.history("celeste"),
    "an edit": lambda games: games.edit("tunic", GameChanges(add_tags=["souls"])),
    "undo": lambda games: games.undo(),
    "remove": lambda games: games.remove("tunic"),
}


@pytest.mark.parametrize("name", COMMANDS)
def test_every_query_of_a_command_uses_an_index(
    engine: Engine, backlog: GameService, name: str
) -> None:
    assert full_scans(engine, lambda: COMMANDS[name](backlog)) == []


def test_the_indexes_no_query_uses_are_gone(engine: Engine) -> None:
    indexes = {row[0] for row in query(engine, "SELECT name FROM sqlite_master WHERE type='index'")}

    assert not indexes & {"ix_games_title_key", "ix_game_tags_tag", "ix_game_events_user_at"}
    assert "ix_game_events_change_id" in indexes
    # the unique constraint on (user_id, title_key, platform) was SQLite's first autoindex
    assert "sqlite_autoindex_games_1" not in indexes


# --- the read side ---------------------------------------------------------------------------


class Recording:
    """The read side's connection, keeping every statement it runs with its parameters."""

    dialect = "sqlite"

    def __init__(self, rows: SqliteRows) -> None:
        self.rows_of = rows
        self.sent: list[tuple[str, Mapping[str, object]]] = []

    def rows(self, sql: str, parameters: Mapping[str, object]) -> Iterator[Row]:
        self.sent.append((sql, parameters))
        return self.rows_of.rows(sql, parameters)

    def close(self) -> None:
        self.rows_of.close()


@pytest.fixture
def reads(engine: Engine, backlog: GameService, profile: User) -> Iterator[Recording]:
    assert engine.url.database is not None and profile.id is not None
    reader = open_reader(Path(engine.url.database))
    assert reader is not None
    recording = Recording(reader)
    yield recording
    recording.close()


def plans(reads: Recording, owner_id: int, read: Callable[[GameViews], object]) -> list[str]:
    """The query plan of every statement ``read`` runs on the read side, line by line."""
    reads.sent.clear()
    result = read(GameViews(reads, owner_id))
    if isinstance(result, Iterator):
        list(result)
    assert reads.sent, "the read sent no query"
    return [
        row[3]
        for sql, parameters in list(reads.sent)
        for row in reads.rows_of.rows(f"EXPLAIN QUERY PLAN {sql}", parameters)
    ]


READS: dict[str, Callable[[GameViews], object]] = {
    "listing": lambda views: views.games(views.listing()),
    "listing with a limit": lambda views: views.games(views.listing(limit=50)),
    "table": lambda views: views.lines(views.listing()),
    "ids by status": lambda views: views.ids(views.listing(["status:playing"])),
    "status filter with a limit": lambda views: views.games(
        views.listing(["status:playing,on_hold"], limit=50)
    ),
    "platform filter with a limit": lambda views: views.ids(views.listing(platform="pc", limit=5)),
    "tag filter with a limit": lambda views: views.games(views.listing(["tag:roguelike"], limit=5)),
    "sorted by release date": lambda views: views.games(views.listing(sort="release_date-")),
    "released range": lambda views: views.ids(views.listing(["released:2015..2020"])),
    "REF by id": lambda views: views.game("2"),
    "REF by exact title": lambda views: views.game("hades"),
    "REF by part of a title": lambda views: views.game("eles"),
    "score trend": lambda views: views.scores(1),
    "history": lambda views: views.history("celeste"),
    "REFs a title being typed may name": lambda views: views.starting("ha", 50),
    "REFs a number being typed may name": lambda views: views.starting("1", 50),
}


@pytest.mark.parametrize("name", READS)
def test_every_query_of_a_read_uses_an_index(reads: Recording, profile: User, name: str) -> None:
    assert profile.id is not None
    assert [line for line in plans(reads, profile.id, READS[name]) if FULL_SCAN.match(line)] == []


def test_the_default_order_is_the_listing_index_s_own(reads: Recording, profile: User) -> None:
    assert profile.id is not None
    listed = plans(reads, profile.id, lambda views: views.ids(views.listing(limit=50)))

    assert listed == ["SEARCH g USING INDEX ix_games_listing (user_id=?)"]  # no sorting


@pytest.mark.parametrize(
    ("read", "search"),
    [
        (
            lambda views: views.ids(views.listing(["status:playing"], limit=50)),
            "SEARCH g USING INDEX ix_games_listing (user_id=? AND <expr>=?)",
        ),
        (
            lambda views: views.ids(views.listing(["tag:roguelike"], limit=50)),
            "SEARCH t USING COVERING INDEX ix_game_tags_tag_game (tag=?)",
        ),
        (  # the titles starting with a word: a range of the profile's titles, in order
            lambda views: views.starting("ha", 50),
            "SEARCH g USING INDEX uq_games_user_title_platform_key"
            " (user_id=? AND title_key>? AND title_key<?)",
        ),
        (  # the ids starting with a number: ranges of the table's key
            lambda views: views.starting("1", 50),
            "SEARCH g USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)",
        ),
    ],
    ids=["status", "tag", "REF by title", "REF by id"],
)
def test_a_filter_with_a_limit_searches_its_own_index(
    reads: Recording, profile: User, read: Callable[[GameViews], object], search: str
) -> None:
    assert profile.id is not None
    assert search in plans(reads, profile.id, read)
