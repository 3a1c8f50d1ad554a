"""Running a command as a script or a player would, and how long it took or how much memory.

Wall time is measured around the whole child process with `time.perf_counter`. Piped runs
send standard output to /dev/null, as hyperfine does (the command sees no terminal); terminal
runs give the child a pseudo-terminal of COLUMNS x LINES and read everything it shows.
"""

import fcntl
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

# The `questrya` installed next to this Python: the project as `pip install -e .` made it.
QUESTRYA = str(Path(sys.executable).with_name("questrya"))
COLUMNS, LINES = 120, 40
TIMEOUT = 1800.0  # seconds one run may take before the benchmark gives up
GNU_TIME = Path("/usr/bin/time")
_PEAK = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")

Env = Mapping[str, str]


class CommandFailed(Exception):
    """A measured command did not succeed: its time would mean nothing."""

    def __init__(self, words: Sequence[str], code: int, output: str) -> None:
        tail = " | ".join(output.strip().splitlines()[-3:])
        super().__init__(f"{' '.join(words)} exited {code}: {tail}")


# Python keeps the modules it compiles, as on a player's machine (`pip install` compiles them
# too): with this variable set, as some sandboxes do, an editable install's own modules would
# be compiled again on every run (30 ms a write here), which no installed copy pays.
NO_BYTECODE = "PYTHONDONTWRITEBYTECODE"


def environment(**extra: str) -> dict[str, str]:
    """This process's environment without any Questrya setting, plus ``extra``."""
    kept = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("QUESTRYA_") and name != NO_BYTECODE
    }
    return {**kept, **extra}


def on_terminal(env: Env) -> dict[str, str]:
    """``env`` as a terminal of the benchmark's size sets it."""
    return {**env, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(LINES)}


def output_of(words: Sequence[str], env: Env) -> str:
    """What the command prints; it must succeed."""
    return _run(words, env, subprocess.PIPE).stdout


def piped(words: Sequence[str], env: Env) -> float:
    """Seconds the command takes with its output going to a pipe's end, not a terminal."""
    started = time.perf_counter()
    _run(words, env, subprocess.DEVNULL)
    return time.perf_counter() - started


def _run(words: Sequence[str], env: Env, stdout: int) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        words,
        check=False,
        env=env,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=TIMEOUT,
    )
    if done.returncode != 0:
        raise CommandFailed(words, done.returncode, done.stderr or done.stdout or "")
    return done


def terminal(words: Sequence[str], env: Env) -> float:
    """Seconds the command takes on a terminal, until it has exited and all it wrote is read."""
    controller, device = pty.openpty()
    fcntl.ioctl(device, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    started = time.perf_counter()
    try:
        process = subprocess.Popen(words, stdin=device, stdout=device, stderr=device, env=env)
        os.close(device)
        shown = _drain(controller, process, started + TIMEOUT)
    finally:
        os.close(controller)
    code = process.wait()
    elapsed = time.perf_counter() - started
    if code != 0:
        raise CommandFailed(words, code, shown[-2000:].decode(errors="replace"))
    return elapsed


def _drain(controller: int, process: subprocess.Popen[bytes], deadline: float) -> bytes:
    """Everything the terminal shows until the command closes it; the last part is kept."""
    shown = b""
    while True:
        if time.perf_counter() > deadline:
            process.kill()
            raise TimeoutError(f"no end after {TIMEOUT:.0f} s: {process.args!r}")
        ready, _, _ = select.select([controller], [], [], 1.0)
        if not ready:
            continue
        try:
            chunk = os.read(controller, 1 << 16)
        except OSError:  # EIO: every copy of the terminal's other side is closed
            return shown
        if not chunk:
            return shown
        shown = (shown + chunk)[-4096:]


def peak_memory_mb(words: Sequence[str], env: Env) -> float | None:
    """The command's maximum resident set size, by GNU time; None when it is not installed."""
    if not GNU_TIME.exists():
        return None
    report = _run([str(GNU_TIME), "-v", *words], env, subprocess.DEVNULL).stderr
    found = _PEAK.search(report)
    if found is None:
        raise CommandFailed(words, 0, f"no peak memory in GNU time's report: {report}")
    return int(found[1]) / 1024


def imported(arguments: Sequence[str], env: Env) -> set[str]:
    """The top-level packages `questrya ARGUMENTS` imports (`python -X importtime`)."""
    words = [sys.executable, "-X", "importtime", "-m", "questrya", *arguments]
    report = _run(words, env, subprocess.DEVNULL).stderr
    names = {line.rsplit("|", 1)[-1].strip() for line in report.splitlines()}
    return {name.split(".")[0] for name in names}


def installed(program: str) -> bool:
    return shutil.which(program) is not None
