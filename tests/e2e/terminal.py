"""Running the installed command as a shell or a terminal would: its environment, a pty."""

import os
import pty
import select
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

from tests.conftest import BACKEND, QUESTRYA, Questrya


def environment(home: Path, **extra: str) -> dict[str, str]:
    """The machine's environment but its Questrya settings; the test's database and queue."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QUESTRYA_")}
    return {**env, **BACKEND, "QUESTRYA_HOME": str(home), **extra}


def run_on_terminal(
    args: Sequence[str],
    home: Path,
    answer: bytes = b"",
    stdout: IO[bytes] | None = None,
    meanwhile: Callable[[], object] | None = None,
    **extra: str,
) -> tuple[int, str]:
    """Runs the command with a pseudo-terminal as stdin, stdout and stderr; returns what it shows.

    ``answer`` is typed once the command has written its first output (a prompt), after
    ``meanwhile`` has run: what another command does while the player reads. Given
    ``stdout``, standard output goes there instead, as with `questrya … > file`.
    """
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(QUESTRYA), *args],
        stdin=terminal,
        stdout=terminal if stdout is None else stdout,
        stderr=terminal,
        env=environment(home, **{"TERM": "xterm-256color", "COLUMNS": "120", **extra}),
        close_fds=True,
    )
    os.close(terminal)
    shown = b""
    deadline = time.monotonic() + 30
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.5)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # EIO: the command has exited and closed the terminal
                break
            if not chunk:
                break
            if answer and not shown:
                if meanwhile is not None:
                    meanwhile()
                os.write(controller, answer)
            shown += chunk
    finally:
        os.close(controller)
    return process.wait(timeout=30), shown.decode(errors="replace")


def seed(questrya: Questrya, *titles: str) -> None:
    for title in titles:
        outcome = questrya("games", "add", title, "--platform", "pc", "--no-fetch")
        assert outcome.exit_code == 0, outcome.stderr
