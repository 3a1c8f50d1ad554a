"""Fixtures shared by every layer of the test pyramid."""

import json
import os
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from questrya.cli import INTERNAL_ERROR, app
from questrya.orm.database import open_engine
from questrya.orm.migrate import migrate
from tests.backends import TEST_DATABASE_URL, backend_settings, on_servers, postgresql_schema

QUESTRYA = Path(sys.executable).with_name("questrya")
# The settings that put the data of the test running on the test run's servers, if any.
BACKEND: dict[str, str] = {}


def pytest_runtest_setup(item: pytest.Item) -> None:
    if on_servers() and item.get_closest_marker("embedded") is not None:
        pytest.skip("about the embedded SQLite files: runs without QUESTRYA_TEST_*_URL")


@pytest.fixture
def backend() -> Iterator[dict[str, str]]:
    """The settings of this test's own database schema and queue on the test run's servers
    (`tests/backends.py`); empty on SQLite."""
    with backend_settings() as settings:
        BACKEND.update(settings)
        try:
            yield settings
        finally:
            BACKEND.clear()


def database_url(home: Path) -> str:
    """The database the test's commands use: its schema on the test run's PostgreSQL, or
    the data folder's file."""
    return BACKEND.get("QUESTRYA_DATABASE_URL", f"sqlite:///{home / 'questrya.db'}")


@contextmanager
def backlog_engine(home: Path) -> Iterator[Engine]:
    """The test's backlog opened beside its commands, to look at what they stored."""
    engine = open_engine(database_url(home))
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: dict[str, str]) -> Path:
    """A fresh data folder, and no setting leaking in from the machine's environment; the
    database and queue on the test run's servers, if it has them."""
    for name in list(os.environ):
        if name.startswith("QUESTRYA_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("NO_COLOR", raising=False)
    folder = tmp_path / "home"
    monkeypatch.setenv("QUESTRYA_HOME", str(folder))
    for name, value in backend.items():
        monkeypatch.setenv(name, value)
    return folder


@pytest.fixture
def second_home(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[[], Path]]:
    """Moves the test's commands, when called, to a backlog of their own: a fresh data folder,
    and on the test run's servers a database schema and a queue of its own."""
    with ExitStack() as stack:

        def move() -> Path:
            settings = stack.enter_context(backend_settings())
            folder = tmp_path / "second-home"
            monkeypatch.setenv("QUESTRYA_HOME", str(folder))
            for name, value in settings.items():
                monkeypatch.setenv(name, value)
            BACKEND.update(settings)
            return folder

        yield move


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated database: a SQLite file in a temp folder, or a schema of its own on the test
    run's PostgreSQL."""
    with _database_url(tmp_path) as url:
        engine = open_engine(url)
        migrate(engine)
        yield engine
        engine.dispose()


@contextmanager
def _database_url(tmp_path: Path) -> Iterator[str]:
    if TEST_DATABASE_URL is None:
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with postgresql_schema(TEST_DATABASE_URL) as url:
        yield url


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


class Questrya:
    """Runs `questrya` in-process (CliRunner) against the `home` fixture's data folder."""

    def __init__(self) -> None:
        self._runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Outcome:
        result = self._runner.invoke(app, list(args), input=input)
        return Outcome(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def questrya(home: Path) -> Questrya:
    return Questrya()


def one_error_line(stderr: str) -> str:
    """The one `Error: …` line a failed command prints on stderr (PRODUCT §5): no traceback,
    no exception's name, no internal error."""
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("Error: "), stderr
    assert "Error" not in lines[0].removeprefix("Error: "), stderr  # no exception's name
    assert INTERNAL_ERROR not in lines[0], stderr
    return lines[0]


def error_line(outcome: Outcome) -> str:
    """The one `Error: …` line of a failed command, which prints nothing on stdout."""
    assert outcome.stdout == "", outcome.stdout
    return one_error_line(outcome.stderr)


def run_installed(
    args: Sequence[str],
    home: Path,
    *,
    env: dict[str, str] | None = None,
    timeout: float = 60,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Runs the installed `questrya` command as a separate process, as a user's shell would;
    its standard input is ``input``, or empty. The test's database and queue go with it."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QUESTRYA_")}
    environment.update({**BACKEND, "QUESTRYA_HOME": str(home), **(env or {})})
    return subprocess.run(
        [str(QUESTRYA), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        input=input or "",
        check=False,
    )


def run_without(
    module: str, args: Sequence[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`questrya ARGS` in a process where ``module`` cannot be imported, as on a machine
    where its extra was not installed; ``env`` is its whole environment."""
    hidden = f"import sys; sys.modules[{module!r}] = None; from questrya.cli import main; main()"
    return subprocess.run(
        [sys.executable, "-c", hidden, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def free_port() -> int:
    """A loopback port nothing listens on (until something is started there)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
