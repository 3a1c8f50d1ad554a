"""SQLite as the CLI and the worker use it: pragmas, several writers, and the failures a user
meets (a corrupt file, a full disk, a bad URL), each one clear line."""

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

from questrya.common.exceptions import InvalidInputError, StorageError
from questrya.games.repository import SqlGamesUnitOfWork
from questrya.games.service import GameChanges, GameService
from questrya.orm.database import open_engine
from questrya.orm.migrate import migrate
from questrya.users.domain import User
from tests.integration.support import (
    READY_THEN_WAIT,
    FixedClock,
    games_of,
    query,
    reopen,
    run_together,
    scalar,
)

pytestmark = pytest.mark.embedded  # SQLite itself: pragmas, locks, a full disk

PRAGMAS = {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 15000, "synchronous": 1}


def pragmas(connection: Any) -> dict[str, Any]:
    """The pragmas in force on one DBAPI connection."""
    return {name: connection.execute(f"PRAGMA {name}").fetchone()[0] for name in PRAGMAS}


def test_the_pragmas_are_in_force_on_every_connection(
    engine: Engine, games: GameService, profile: User
) -> None:
    games.add("Celeste", "pc")
    other = reopen(engine)
    held = [engine.raw_connection() for _ in range(3)] + [other.raw_connection()]
    try:
        assert len({id(connection.driver_connection) for connection in held}) == 4
        for connection in held:
            assert pragmas(connection) == PRAGMAS
    finally:
        for connection in held:
            connection.close()
        other.dispose()

    # and on the connections the units of work use, writing and reading, side by side
    assert profile.id is not None
    writer, reader = SqlGamesUnitOfWork(engine), SqlGamesUnitOfWork(engine)
    with writer, reader.reading():
        assert writer.games.with_ids(profile.id, [1]) != []
        assert reader.games.with_ids(profile.id, [1]) != []
        for uow in (writer, reader):
            in_use = uow.session.connection().connection.driver_connection
            assert pragmas(in_use) == PRAGMAS


def test_a_listing_does_not_wait_for_another_process_writing(
    engine: Engine, games: GameService
) -> None:
    games.add("Celeste", "pc", notes="committed")
    assert engine.url.database is not None
    worker = sqlite3.connect(engine.url.database, isolation_level=None)
    try:
        worker.execute("BEGIN IMMEDIATE")
        worker.execute("UPDATE games SET notes = 'not committed yet'")
        started = time.monotonic()
        shown = [game.notes for game in games.find()]
        elapsed = time.monotonic() - started
    finally:
        worker.rollback()
        worker.close()

    assert shown == ["committed"]
    assert elapsed < 2


def test_starting_while_another_process_sets_up_a_new_database_waits(tmp_path: Path) -> None:
    path = tmp_path / "questrya.db"
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # the other process, half-way through its first write
    release = threading.Timer(0.5, lambda: other.execute("COMMIT"))
    release.start()
    engine = open_engine(f"sqlite:///{path}")
    try:
        migrate(engine)  # must wait for the lock (up to busy_timeout), not fail at once
        assert scalar(engine, "SELECT count(*) FROM alembic_version") == 1
    finally:
        release.join()
        other.close()
        engine.dispose()


# Each process adds N games through the service (a read for duplicates, then a write) and
# increments a shared counter kept in one game's notes (read, modify, write in one unit of
# work): with deferred transactions some of these fail "database is locked" or lose updates.
WRITER = f"""
import json, sys, time
from questrya.common.clock import SystemClock
from questrya.common.exceptions import QuestryaError
from questrya.games.repository import SqlGamesUnitOfWork
from questrya.games.service import GameService
from questrya.orm.database import open_engine

class NoQueue:
    def enqueue_fetch(self, game_id): pass

url, owner, counter, name, count = sys.argv[1:6]
owner, counter, count = int(owner), int(counter), int(count)
uow = SqlGamesUnitOfWork(open_engine(url), owner)  # as the composition root builds it
service = GameService(uow, owner, SystemClock(), NoQueue())
{READY_THEN_WAIT}
errors, started = [], time.monotonic()
for number in range(count):
    try:
        service.add(f"{{name}} game {{number}}", "pc", rating=1 + number % 10)
    except QuestryaError as error:
        errors.append(str(error))
    try:
        with uow:
            [shared] = uow.games.with_ids(owner, [counter])
            shared.set_notes(str(int(shared.notes) + 1))
            uow.commit()
    except QuestryaError as error:
        errors.append(str(error))
print(json.dumps({{"errors": errors, "seconds": time.monotonic() - started}}))
"""
PROCESSES, ITERATIONS = 4, 50


def test_processes_writing_at_once_lose_nothing_and_fail_nothing(
    engine: Engine, games: GameService, profile: User
) -> None:
    counter = games.add("Shared counter", "pc", notes="0")
    url = engine.url.render_as_string(hide_password=False)
    argvs = [
        [url, str(profile.id), str(counter.id), f"writer{n}", str(ITERATIONS)]
        for n in range(PROCESSES)
    ]

    started = time.monotonic()
    finished = run_together(WRITER, argvs)
    elapsed = time.monotonic() - started

    assert [(run.returncode, run.stderr) for run in finished] == [(0, "")] * PROCESSES
    reports = [json.loads(run.stdout.splitlines()[-1]) for run in finished]
    assert [report["errors"] for report in reports] == [[]] * PROCESSES
    assert games.show("Shared counter").notes == str(PROCESSES * ITERATIONS)
    added = {game.title for game in games.find()} - {"Shared counter"}
    assert added == {f"writer{n} game {i}" for n in range(PROCESSES) for i in range(ITERATIONS)}
    assert scalar(engine, "SELECT count(*) FROM game_events WHERE kind = 'add'") == (
        1 + PROCESSES * ITERATIONS
    )
    assert scalar(engine, "SELECT count(DISTINCT change_id) FROM game_events") == (
        1 + PROCESSES * ITERATIONS  # each command its own change, for `undo`
    )
    assert query(engine, "PRAGMA integrity_check") == [("ok",)]
    print(
        f"\n{PROCESSES} processes x {ITERATIONS} x 2 transactions: 0 errors, {elapsed:.1f} s"
        f" (slowest writer {max(report['seconds'] for report in reports):.1f} s)"
    )


# --- the failures a user meets ---------------------------------------------------------------


def damaged_database(path: Path, games: GameService, engine: Engine) -> None:
    """A real Questrya database whose pages past the first are overwritten with garbage."""
    for number in range(100):
        games.add(f"Game {number}", "pc", notes="n" * 300)
    engine.dispose()  # the last connection closing moves the WAL into the file
    with path.open("r+b") as file:
        file.seek(4096 * 2)
        file.write(os.urandom(4096 * 6))


@pytest.mark.parametrize(
    ("damage", "expected"),
    [("garbage", "is not a Questrya database"), ("damaged", "is corrupt")],
)
def test_a_corrupt_database_is_one_clear_line_naming_the_file(
    tmp_path: Path,
    engine: Engine,
    games: GameService,
    profile: User,
    clock: FixedClock,
    damage: str,
    expected: str,
) -> None:
    path = Path(str(engine.url.database))
    if damage == "garbage":
        path = tmp_path / "questrya.db"
        path.write_bytes(os.urandom(64 * 1024))
    else:
        damaged_database(path, games, engine)
    content = path.read_bytes()
    damaged = open_engine(f"sqlite:///{path}")

    with pytest.raises(StorageError) as raised:
        migrate(damaged)
        games_of(damaged, profile, clock).find()
    damaged.dispose()

    message = str(raised.value)
    assert expected in message
    assert str(path) in message
    assert "\n" not in message
    assert path.read_bytes() == content  # the user's file is left as it was


def test_a_missing_data_folder_is_one_clear_line(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "folder" / "questrya.db"
    engine = open_engine(f"sqlite:///{path}")

    with pytest.raises(StorageError, match="cannot open the database at") as raised:
        migrate(engine)

    assert str(path) in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "url", ["", "not a url", "questrya.db", "nosuchdatabase://localhost/db", "sqlite::memory:"]
)
def test_an_invalid_database_url_is_bad_input(url: str) -> None:
    with pytest.raises(InvalidInputError, match="invalid database_url") as raised:
        open_engine(url)

    assert "\n" not in str(raised.value)


@dataclass
class NearlyFull:
    """A second engine on the test database that may grow it by 8 pages (32 KiB), no more,
    and the statements SQLite accepted through it."""

    engine: Engine
    done: list[str] = field(default_factory=list)

    def writes(self) -> list[str]:
        return [statement for statement in self.done if statement.startswith(("INSERT", "UPDATE"))]


@pytest.fixture
def nearly_full(engine: Engine, games: GameService) -> Iterator[NearlyFull]:
    games.add("Celeste", "pc", notes="short", tags=["platformer"])
    assert engine.url.database is not None
    with closing(sqlite3.connect(engine.url.database)) as connection:
        connection.execute("VACUUM")  # no page the migrations freed: the file must grow
    pages = scalar(engine, "PRAGMA page_count")
    full = NearlyFull(reopen(engine))

    @event.listens_for(full.engine, "connect")
    def _cap(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 8}")

    @event.listens_for(full.engine, "after_cursor_execute")
    def _done(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        full.done.append(" ".join(statement.split()[:3]))

    yield full
    full.engine.dispose()


# Six pages of text: one copy fits in the room left; a second one (the event's JSON holds a
# copy too) does not, so the disk fills up half-way through the command's writes.
BIG_NOTES = "x" * (6 * 4096 - 500)


def test_a_full_disk_while_adding_saves_nothing(
    engine: Engine, games: GameService, nearly_full: NearlyFull, profile: User, clock: FixedClock
) -> None:
    with pytest.raises(StorageError) as raised:
        games_of(nearly_full.engine, profile, clock).add(
            "Hades", "pc", notes=BIG_NOTES, tags=["roguelike"]
        )

    assert "full" in str(raised.value)
    assert str(engine.url.database) in str(raised.value)
    assert "INSERT INTO games" in nearly_full.writes()  # the game row had been written...
    assert [game.title for game in games.find()] == ["Celeste"]  # ...and is gone with the rest
    assert query(engine, "SELECT tag FROM game_tags") == [("platformer",)]
    assert query(engine, "SELECT kind FROM game_events") == [("add",)]
    assert query(engine, "PRAGMA integrity_check") == [("ok",)]
    assert games.add("Hades", "pc").id == 2  # and the database works once there is room


def test_a_full_disk_while_editing_keeps_the_game_as_it_was(
    engine: Engine, games: GameService, nearly_full: NearlyFull, profile: User, clock: FixedClock
) -> None:
    with pytest.raises(StorageError, match="full"):
        games_of(nearly_full.engine, profile, clock).edit(
            "Celeste", GameChanges(title="Celeste Classic", notes=BIG_NOTES, add_tags=["pico-8"])
        )

    assert nearly_full.writes()  # part of the change had been written...
    kept = games.show("Celeste")  # ...and is undone: the game, its tags and history as they were
    assert (kept.title, kept.notes, kept.tags) == ("Celeste", "short", ("platformer",))
    assert query(engine, "SELECT kind FROM game_events") == [("add",)]
