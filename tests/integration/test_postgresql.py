"""The same program on PostgreSQL: first starts racing on an empty database migrate it once,
writers that SQLite's write lock would have ordered wait for their locks instead and lose
nothing, and a server's failure or a missing driver is one line, its password masked."""

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import Engine

from questrya.common.text import fold
from questrya.orm.database import open_engine
from questrya.orm.migrate import migrate
from questrya.orm.migrations import HEAD_REVISION
from questrya.users.repository import SqlUsersUnitOfWork
from questrya.users.service import UserService
from tests.backends import database_server, postgresql_schema
from tests.conftest import Questrya, error_line, one_error_line, run_without
from tests.e2e.test_completion import fish
from tests.integration.support import (
    NOW,
    READY_THEN_WAIT,
    TODAY,
    FixedClock,
    games_of,
    run_together,
    scalar,
)
from tests.integration.test_migrations import (
    EXTRA_REVISION,
    MIGRATE_TOGETHER,
    SLOW_REVISION,
    scripts_with,
)
from tests.integration.test_sqlite import ITERATIONS, PROCESSES, WRITER

# `questrya ARGS` in a process of its own, started with the others (`run_together`).
COMMAND_TOGETHER = f"""
import sys
from questrya.cli import main
{READY_THEN_WAIT}
sys.argv = ["questrya", *sys.argv[1:]]
main()
"""
# An unreachable server whose URL holds a password.
UNREACHABLE = "postgresql+psycopg://alice:s3cret-pw@127.0.0.1:9/backlog"


@pytest.fixture
def empty_database() -> Iterator[str]:
    """The URL of a new, empty schema on PostgreSQL (skips when none answers)."""
    with postgresql_schema(database_server()) as url:
        yield url


@pytest.fixture
def server(empty_database: str) -> Iterator[Engine]:
    engine = open_engine(empty_database)
    yield engine
    engine.dispose()


def test_four_starts_racing_on_an_empty_database_migrate_it_once(
    tmp_path: Path, server: Engine, empty_database: str
) -> None:
    scripts = scripts_with(tmp_path, SLOW_REVISION)

    finished = run_together(MIGRATE_TOGETHER, [[empty_database, str(scripts), EXTRA_REVISION]] * 4)

    assert [(run.returncode, run.stderr) for run in finished] == [(0, "")] * 4
    assert scalar(server, "SELECT version_num FROM alembic_version") == EXTRA_REVISION
    assert scalar(server, "SELECT count(*) FROM upgrade_runs") == 1


def test_four_first_commands_racing_on_an_empty_database_all_succeed(
    home: Path, server: Engine, empty_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUESTRYA_DATABASE_URL", empty_database)
    argvs = [["games", "add", f"Game {n}", "-p", "pc", "--no-fetch"] for n in range(4)]

    finished = run_together(COMMAND_TOGETHER, argvs)

    assert [(run.returncode, run.stderr) for run in finished] == [(0, "")] * 4
    assert scalar(server, "SELECT count(*) FROM alembic_version") == 1
    assert scalar(server, "SELECT version_num FROM alembic_version") == HEAD_REVISION
    assert scalar(server, "SELECT count(*) FROM users") == 1  # the first profile, made once
    assert scalar(server, "SELECT count(*) FROM games") == 4


def test_processes_writing_at_once_lose_nothing_and_fail_nothing(server: Engine) -> None:
    """Read-modify-write from four processes: each holds its profile's lock while it reads."""
    migrate(server)
    clock = FixedClock(NOW, TODAY)
    profile = UserService(SqlUsersUnitOfWork(server), clock, login="player").current()
    games = games_of(server, profile, clock)
    counter = games.add("Shared counter", "pc", notes="0")
    url = server.url.render_as_string(hide_password=False)
    argvs = [
        [url, str(profile.id), str(counter.id), f"writer{n}", str(ITERATIONS)]
        for n in range(PROCESSES)
    ]

    finished = run_together(WRITER, argvs)

    assert [(run.returncode, run.stderr) for run in finished] == [(0, "")] * PROCESSES
    reports = [json.loads(run.stdout.splitlines()[-1]) for run in finished]
    assert [report["errors"] for report in reports] == [[]] * PROCESSES
    assert games.show("Shared counter").notes == str(PROCESSES * ITERATIONS)
    assert scalar(server, "SELECT count(*) FROM games") == 1 + PROCESSES * ITERATIONS
    assert scalar(server, "SELECT count(DISTINCT change_id) FROM game_events") == (
        1 + PROCESSES * ITERATIONS  # each command its own change, from the sequence
    )


def test_a_server_that_does_not_answer_is_one_line_with_its_password_masked(
    questrya: Questrya, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("psycopg")
    monkeypatch.setenv("QUESTRYA_DATABASE_URL", UNREACHABLE)

    refused = questrya("games", "list")

    assert refused.exit_code == 1
    line = error_line(refused)
    assert line.startswith(
        "Error: cannot reach the database server at "
        "postgresql+psycopg://alice:********@127.0.0.1:9/backlog: "
    )
    assert "s3cret" not in refused.stderr
    shown = questrya("config", "show", "--json").json()["database_url"]["value"]
    assert shown == "postgresql+psycopg://alice:********@127.0.0.1:9/backlog"


def test_a_missing_driver_is_one_line_naming_the_extra_to_install(home: Path) -> None:
    """As where `pip install "questrya[postgres]"` was not done: psycopg cannot be imported."""
    environment = {
        "QUESTRYA_HOME": str(home),
        "QUESTRYA_DATABASE_URL": UNREACHABLE,
        "PATH": "/usr/bin",
    }
    ran = run_without("psycopg", ["games", "list"], environment)

    assert ran.returncode == 2
    assert one_error_line(ran.stderr) == (
        "Error: database_url 'postgresql+psycopg://alice:********@127.0.0.1:9/backlog' needs"
        ' the postgresql driver, which is not installed: pip install "questrya[postgres]"'
    )


@pytest.fixture
def linguistic_database() -> Iterator[str]:
    """The URL of a new database whose collation is a language's (ICU's en-US), as a
    player's server often has, rather than byte order (skips where ICU is not built in)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError

    server = database_server()
    name = f"t_icu_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            try:
                connection.execute(
                    text(
                        f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu"
                        " ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
                    )
                )
            except DBAPIError as error:
                pytest.skip(f"no ICU collation on this server: {error.orig}")
        yield urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    finally:
        admin.dispose()


def test_titles_sort_and_complete_as_on_sqlite_whatever_the_servers_collation(
    questrya: Questrya, home: Path, linguistic_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Byte order, as SQLite compares: en-US would put "X: Beyond the Frontier" before
    "X2: The Threat", and may leave out of a prefix's range a title that starts with it."""
    monkeypatch.setenv("QUESTRYA_DATABASE_URL", linguistic_database)
    titles = ["XCOM 2", "X3: Reunion", "X: Beyond the Frontier", "X-Men Legends", "X2: The Threat"]
    for title in titles:
        assert questrya("games", "add", title, "-p", "pc", "--no-fetch").exit_code == 0
    tags = ["rpg", "co-op", "co_op", "co2"]
    tagged = questrya("games", "edit", "XCOM 2", *(f"--tag={tag}" for tag in tags))
    assert tagged.exit_code == 0, tagged.stderr

    listed = questrya("games", "list", "--sort", "title", "--json").json()
    completed = fish(home, "questrya games show x", QUESTRYA_DATABASE_URL=linguistic_database)

    assert [game["title"] for game in listed] == sorted(titles, key=fold)
    assert listed[-1]["tags"] == sorted(tags)
    assert sorted(completed) == sorted(titles)
