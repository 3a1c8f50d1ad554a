"""`questrya db copy` (PRODUCT §10): a whole backlog from SQLite to PostgreSQL and back, every
profile, game, tag, event, change, metadata row and score, with the same ids; the copy is
counted where it landed, and a database that is not empty is refused unless --force."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from questrya.common.value_objects import GameMetadata
from questrya.metadata.domain import Candidate, FetchPolicy
from questrya.metadata.repository import SqlMetadataUnitOfWork
from questrya.metadata.service import MetadataService
from questrya.orm.database import open_engine
from tests.backends import database_server, postgresql_schema
from tests.conftest import Questrya, error_line
from tests.unit.fakes import NOW, FixedClock
from tests.unit.metadata_fakes import RecordingFetchQueue, ScriptedProvider, positive

COUNTS = "profiles 2, games 5, tags 3, metadata 1, scores 1, changes 8, events 8"


@pytest.fixture
def server() -> Iterator[str]:
    with postgresql_schema(database_server()) as url:
        yield url


def on(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("QUESTRYA_DATABASE_URL", url)


def fetch(url: str, game_id: int) -> None:
    """The worker's fetch of Dota 2, from a scripted provider."""
    provider = ScriptedProvider()
    provider.results["Dota 2"] = [Candidate("steam", "570", "Dota 2")]
    provider.games["570"] = GameMetadata(
        "steam", "570", "Dota 2", release_date=date(2013, 7, 9), genres=("Action",)
    )
    provider.score_answers["570"] = positive()
    engine = open_engine(url)
    service = MetadataService(
        SqlMetadataUnitOfWork(engine),
        provider,
        FixedClock(NOW),
        RecordingFetchQueue(),
        FetchPolicy(),
    )
    assert service.fetch(game_id).outcome == "fetched"
    engine.dispose()


def library(questrya: Questrya, url: str) -> None:
    """A backlog with something in every table, a removed game and a removed profile."""
    dota = questrya("games", "add", "Dota 2", "-p", "pc", "--tag", "moba", "--json").json()
    questrya("games", "add", "Hades", "-p", "switch", "--tag", "rogue", "--tag", "coop")
    questrya("games", "complete", "hades", "--rating", "9")
    questrya("games", "add", "Pokémon Legends", "-p", "switch", "--wishlist", "--no-fetch")
    questrya("games", "add", "Gone Home", "-p", "pc", "--no-fetch")
    questrya("games", "remove", "gone home", "--yes")
    questrya("users", "add", "alice")
    questrya("--user", "alice", "games", "add", "Celeste", "-p", "pc", "--no-fetch")
    questrya("users", "add", "bob")
    questrya("--user", "bob", "games", "add", "Tunic", "-p", "pc", "--no-fetch")
    questrya("users", "remove", "bob", "--force", "--yes")
    fetch(url, dota["id"])


def everything(questrya: Questrya) -> list[object]:
    return [
        questrya("games", "list", "--json").json(),
        questrya("--user", "alice", "games", "list", "--json").json(),
        questrya("games", "history", "hades", "--json").json(),
        questrya("users", "list", "--json").json(),
    ]


def test_a_backlog_copied_to_postgresql_and_back_lists_the_same(
    questrya: Questrya, home: Path, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = f"sqlite:///{home / 'first.db'}"
    on(monkeypatch, first)
    library(questrya, first)
    before = everything(questrya)

    there = questrya("db", "copy", "--to", server)

    assert there.exit_code == 0, there.stderr
    assert there.stdout.splitlines()[-1] == f"Counted there: {COUNTS}"
    on(monkeypatch, server)
    assert everything(questrya) == before
    added = questrya("games", "add", "Inside", "-p", "pc", "--no-fetch", "--json").json()
    assert added["id"] == 7  # bob's Tunic was 6: an id is never given twice, there either
    assert questrya("undo").exit_code == 0

    on(monkeypatch, f"sqlite:///{home / 'back.db'}")
    back = questrya("db", "copy", "--from", server)

    assert back.exit_code == 0, back.stderr
    assert back.stdout.splitlines()[-1].startswith("Counted there: profiles 2, games 6")
    assert everything(questrya) == before
    assert questrya("games", "add", "Limbo", "-p", "pc", "--no-fetch", "--json").json()["id"] == 8


def test_a_database_that_is_not_empty_is_refused_unless_forced(
    questrya: Questrya, home: Path, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, server)
    questrya("games", "add", "Outer Wilds", "-p", "pc", "--no-fetch")
    on(monkeypatch, f"sqlite:///{home / 'mine.db'}")
    questrya("games", "add", "Hades", "-p", "pc", "--no-fetch")

    refused = questrya("db", "copy", "--to", server)

    assert refused.exit_code == 1
    assert "is not empty (profiles 1, games 1" in error_line(refused)
    assert "add --force" in refused.stderr
    forced = questrya("db", "copy", "--to", server, "--force")
    assert forced.exit_code == 0, forced.stderr
    on(monkeypatch, server)
    assert [game["title"] for game in questrya("games", "list", "--json").json()] == ["Hades"]


def test_copy_needs_one_direction(questrya: Questrya) -> None:
    assert questrya("db", "copy").exit_code == 2
    assert "--to URL or --from URL" in error_line(questrya("db", "copy"))
