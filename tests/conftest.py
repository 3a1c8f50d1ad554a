"""Fixtures shared by every layer of the test pyramid."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner

from questrya.cli import INTERNAL_ERROR, app
from questrya.orm.database import open_engine
from questrya.orm.migrate import migrate

QUESTRYA = Path(sys.executable).with_name("questrya")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh data folder, and no setting leaking in from the machine's environment."""
    for name in list(os.environ):
        if name.startswith("QUESTRYA_"):
            monkeypatch.delenv(name)
    monkeypatch.delenv("NO_COLOR", raising=False)
    folder = tmp_path / "home"
    monkeypatch.setenv("QUESTRYA_HOME", str(folder))
    return folder


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    """A migrated SQLite database in a temp file."""
    engine = open_engine(f"sqlite:///{tmp_path / 'test.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


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
    its standard input is ``input``, or empty."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("QUESTRYA_")}
    environment.update({"QUESTRYA_HOME": str(home), **(env or {})})
    return subprocess.run(
        [str(QUESTRYA), *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        input=input or "",
        check=False,
    )
