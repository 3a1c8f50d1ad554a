"""Helpers for the integration tests: a settable clock, raw SQL checks, and processes started
together so that they really race."""

import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, text

from questrya.games.repository import SqlGamesUnitOfWork
from questrya.games.service import GameService
from questrya.orm.database import open_engine
from questrya.orm.migrate import migrate
from questrya.users.domain import User

# A local time east of UTC, with microseconds: stored as UTC, it must come back the same instant.
NOW = datetime(2025, 3, 14, 9, 26, 53, 589793, tzinfo=timezone(timedelta(hours=1)))
TODAY = date(2025, 3, 14)


class FixedClock:
    """A clock that stands still until a test moves it."""

    def __init__(self, now: datetime, today: date) -> None:
        self.current = now
        self.day = today

    def now(self) -> datetime:
        return self.current

    def today(self) -> date:
        return self.day

    def advance(self, delta: timedelta) -> None:
        self.current += delta


class RecordingQueue:
    """The metadata queue port, keeping what was enqueued."""

    def __init__(self) -> None:
        self.enqueued: list[int] = []

    def enqueue_fetch(self, game_id: int) -> None:
        self.enqueued.append(game_id)


def games_of(
    engine: Engine, owner: User, clock: "FixedClock", queue: "RecordingQueue | None" = None
) -> GameService:
    """The backlog service of one profile, as the composition root builds it."""
    assert owner.id is not None
    return GameService(
        SqlGamesUnitOfWork(engine, owner.id), owner.id, clock, queue or RecordingQueue()
    )


POSTGRESQL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgresql_database(prefix: str) -> Iterator[Engine]:
    """A migrated schema of its own in PostgreSQL's `test` database, dropped afterwards; the
    test is skipped when no server answers on 127.0.0.1:5432."""
    pytest.importorskip("psycopg")
    admin = open_engine(POSTGRESQL)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as error:  # no server: the tests on SQLite still run
        admin.dispose()
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432: {error}")
    engine = open_engine(f"{POSTGRESQL}?options=-csearch_path%3D{schema}")
    try:
        migrate(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def reopen(engine: Engine) -> Engine:
    """A second engine on the same database file, as another command would open it."""
    return open_engine(engine.url.render_as_string(hide_password=False))


def query(engine: Engine, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    """Rows of a raw SQL query, read on a connection of its own."""
    with engine.connect() as connection:
        return [tuple(row) for row in connection.execute(text(sql), params)]


def scalar(engine: Engine, sql: str, **params: Any) -> Any:
    with engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


@dataclass
class Finished:
    returncode: int
    stdout: str
    stderr: str


# Every script run by `run_together` starts with this: it says it is ready (after its slow
# imports) and waits for the word to go, so the processes race from the same instant.
READY_THEN_WAIT = """
import sys
print("ready", flush=True)
sys.stdin.readline()
"""


def run_together(
    script: str, argvs: Sequence[Sequence[str]], timeout: float = 60
) -> list[Finished]:
    """Run ``script`` (which must run READY_THEN_WAIT once set up) in one Python process per
    argument list, release them all at once, and wait for every one of them."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, *argv],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for argv in argvs
    ]
    try:
        for process in processes:
            assert process.stdout is not None
            line = process.stdout.readline()
            if line.strip() != "ready":
                _, stderr = process.communicate(timeout=timeout)
                raise AssertionError(f"a process failed before the start: {line}{stderr}")
        for process in processes:
            assert process.stdin is not None
            process.stdin.write("go\n")
            process.stdin.flush()
        finished = []
        for process in processes:
            stdout, stderr = process.communicate(timeout=timeout)
            finished.append(Finished(process.returncode, stdout, stderr))
        return finished
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
