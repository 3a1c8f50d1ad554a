"""The import on real databases, SQLite and PostgreSQL when one answers: rows written many a
statement read back through the games feature exactly as games it added itself, updates and
their undo, and rows matched by the provider id a fetch stored."""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from questrya.common.value_objects import GameMetadata
from questrya.factory import GameRulesForImports, SteamLibraryOnline
from questrya.games.service import GameService
from questrya.imports.repository import SqlImportUnitOfWork
from questrya.imports.service import ImportOptions, ImportService
from questrya.metadata.domain import Candidate, FetchPolicy
from questrya.metadata.repository import SqlMetadataUnitOfWork
from questrya.metadata.service import MetadataService
from questrya.orm.database import open_engine
from questrya.orm.migrate import migrate
from questrya.users.domain import User
from questrya.users.repository import SqlUsersUnitOfWork
from questrya.users.service import UserService
from tests.integration.support import (
    NOW,
    TODAY,
    FixedClock,
    games_of,
    postgresql_database,
    query,
)
from tests.unit.metadata_fakes import RecordingFetchQueue, ScriptedProvider


class RecordingImportQueue:
    def __init__(self) -> None:
        self.batches: list[list[int]] = []

    def enqueue_fetches(self, game_ids: Any) -> None:
        self.batches.append(list(game_ids))


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "postgresql":
        yield from postgresql_database("imports")
        return
    engine = open_engine(f"sqlite:///{tmp_path / 'imports.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW, TODAY)


@pytest.fixture
def player(database: Engine, clock: FixedClock) -> User:
    return UserService(SqlUsersUnitOfWork(database), clock, login="player").current()


@pytest.fixture
def games(database: Engine, player: User, clock: FixedClock) -> GameService:
    return games_of(database, player, clock)


@pytest.fixture
def queue() -> RecordingImportQueue:
    return RecordingImportQueue()


@pytest.fixture
def imports(
    database: Engine, player: User, clock: FixedClock, queue: RecordingImportQueue
) -> ImportService:
    assert player.id is not None
    return ImportService(
        SqlImportUnitOfWork(database),
        player.id,
        clock,
        GameRulesForImports(),
        queue,
        SteamLibraryOnline("https://api.steampowered.com", None, timeout=1.0),
    )


def document(*games: dict[str, Any]) -> bytes:
    return json.dumps({"format": "questrya", "version": 1, "games": list(games)}).encode()


HOLLOW = {
    "title": "Hollow Knight",
    "platform": "Switch",
    "status": "completed",
    "release_date": "2017-02-24",
    "started_date": "2024-01-05",
    "completion_date": "2024-02-10",
    "completion_level": "full",
    "rating": 9,
    "wishlist": False,
    "tags": ["metroidvania", "hard"],
    "notes": "Pantheon 5\nnext",
    "playtime": 2462,
    "last_played": "2024-02-10",
}


def test_an_imported_game_reads_back_as_one_the_games_feature_added(
    imports: ImportService, games: GameService, database: Engine, queue: RecordingImportQueue
) -> None:
    typed = games.add(
        "Typed Knight",
        "switch",
        release_date=date(2017, 2, 24),
        started=date(2024, 1, 5),
        completed=date(2024, 2, 10),
        rating=9,
        tags=["metroidvania", "hard"],
        notes="Pantheon 5\nnext",
    )

    summary = imports.run(document(HOLLOW), "backlog.json", ImportOptions())

    assert summary.counts()["added"] == 1
    [imported] = games.find(["hollow"])
    assert {**imported.snapshot(), "title": "Typed Knight", "completion_level": None} == {
        **typed.snapshot(),
        "playtime": 2462,
        "last_played": "2024-02-10",
    }
    assert (imported.added_at, imported.updated_at) == (NOW, NOW)
    assert imported.metadata_status.value == "pending"
    assert queue.batches == [[imported.id]]
    # Stored as SQLAlchemy stores them: the same types and text on every database.
    columns = "added_at, updated_at, started_date, wishlist, title_key, platform_key"
    stored = query(database, f"SELECT {columns} FROM games ORDER BY id")
    assert [type(value) for value in stored[0]] == [type(value) for value in stored[1]]
    assert stored[1][:4] == stored[0][:4]
    assert stored[1][4:] == ("hollow knight", "switch")


def test_an_update_and_its_undo_on_the_columns_tags_and_events(
    imports: ImportService, games: GameService, clock: FixedClock
) -> None:
    games.add("Hollow Knight", "switch", tags=["mine"], rating=7)

    summary = imports.run(document(HOLLOW), "backlog.json", ImportOptions(overwrite=True))

    assert summary.counts()["updated"] == 1
    [updated] = games.find(["hollow"])
    assert (updated.status.value, updated.rating, updated.tags, updated.playtime) == (
        "completed",
        updated.rating,
        ("hard", "metroidvania"),
        2462,
    )
    assert updated.rating is not None and updated.rating.score == 9
    [event] = games.history("hollow")[-1:]
    assert event.kind == "import"
    assert event.before is not None and event.before["tags"] == ["mine"]

    [(undone, restored)] = games.undo()

    assert undone.kind == "import"
    assert (restored.status.value, restored.tags) == ("not_started", ("mine",))
    assert restored.playtime == 0
    assert restored.rating is not None and restored.rating.score == 7


def test_a_row_matches_the_game_whose_metadata_has_its_id(
    imports: ImportService, games: GameService, database: Engine, player: User, clock: FixedClock
) -> None:
    dota = games.add("Dota 2", "pc")
    provider = ScriptedProvider()
    provider.results["Dota 2"] = [Candidate("steam", "570", "Dota 2")]
    provider.games["570"] = GameMetadata("steam", "570", "Dota 2", date(2013, 7, 9))
    metadata = MetadataService(
        SqlMetadataUnitOfWork(database),
        provider,
        clock,
        RecordingFetchQueue(),
        FetchPolicy(),
        owner_id=player.id,
    )
    assert metadata.fetch(dota.id or 0).outcome == "fetched"

    row = {"title": "DOTA II", "platform": "PC", "playtime": 95, "provider_ids": {"steam": 570}}
    summary = imports.run(document(row), "steam.json", ImportOptions())

    assert (summary.counts()["added"], summary.counts()["updated"]) == (0, 1)
    [found] = games.find(["dota"])
    assert (found.id, found.title, found.playtime) == (dota.id, "Dota 2", 95)
