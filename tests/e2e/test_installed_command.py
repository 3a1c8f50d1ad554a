"""The installed `questrya` command as separate processes: what a shell and a terminal see.

Few and quick: each process costs about a second of imports. The data the tests need is put in
place in-process (the `questrya` fixture shares the `home` data folder) and then read by a real
process.
"""

import re
import subprocess
import sys
import tomllib
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.conftest import QUESTRYA, Questrya, run_installed
from tests.e2e.terminal import environment, run_on_terminal, seed

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# The libraries a start-up may not load unless the command needs them.
HEAVY = {
    "sqlalchemy", "alembic", "pydantic", "pydantic_settings", "rich", "tomlkit", "platformdirs",
    "httpx", "stamina", "huey", "rapidfuzz",
}  # fmt: skip
PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"
# Each server's extra, and the client module the program imports for it.
SERVER_CLIENTS = {"postgres": "psycopg", "redis": "redis"}


def run_module(
    args: Sequence[str], home: Path, *python_options: str
) -> subprocess.CompletedProcess[str]:
    """`python [options] -m questrya ARGS…` with the test's interpreter (the project's venv)."""
    return subprocess.run(
        [sys.executable, *python_options, "-m", "questrya", *args],
        capture_output=True,
        text=True,
        env=environment(home),
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )


def imported_modules(importtime_report: str) -> set[str]:
    """The top-level packages named in a `python -X importtime` report."""
    names = set()
    for line in importtime_report.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "imported package":
                names.add(name.split(".")[0])
    return names


@pytest.fixture
def plain(monkeypatch: pytest.MonkeyPatch) -> None:
    """No colour forced or forbidden by the machine running the tests."""
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "TERM"):
        monkeypatch.delenv(name, raising=False)


# --- install -------------------------------------------------------------------------------


def test_version_prints_the_installed_version(home: Path) -> None:
    result = run_installed(["--version"], home)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"questrya {metadata.version('questrya')}\n"


def test_python_m_questrya_is_the_same_command(home: Path) -> None:
    result = run_module(["--version"], home)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"questrya {metadata.version('questrya')}\n"


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _closure(requirements: Sequence[str]) -> set[str]:
    """Every distribution that installing ``requirements`` brings along, without extras."""
    seen: set[str] = set()
    todo = list(requirements)
    while todo:
        requirement = Requirement(todo.pop())
        name = _normal(requirement.name)
        if name in seen or not (
            requirement.marker is None or requirement.marker.evaluate({"extra": ""})
        ):
            continue
        seen.add(name)
        try:
            todo.extend(metadata.requires(name) or [])
        except metadata.PackageNotFoundError:
            continue
    return seen


@pytest.mark.embedded  # a plain install: SQLite, no server's driver
def test_a_plain_install_brings_everything_the_command_imports(home: Path) -> None:
    """`pip install .` installs `[project] dependencies`: the command must need nothing else."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    installed = _closure(project["dependencies"])
    result = run_module(["games", "list"], home, "-X", "importtime")
    assert result.returncode == 0, result.stderr
    imported = imported_modules(result.stderr)
    assert "sqlalchemy" in imported  # the report is read right: `games list` opens the database
    # Modules the interpreter loads before questrya (site's .pth hooks) are not its to declare.
    startup = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "pass"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    owners = metadata.packages_distributions()
    undeclared = {
        module: owners[module]
        for module in imported - imported_modules(startup) - {"questrya"}
        if module in owners and not {_normal(d) for d in owners[module]} & installed
    }
    assert undeclared == {}


@pytest.mark.parametrize("args", [["--help"], ["games", "--help"]], ids=["root", "games"])
def test_help_imports_no_heavy_library(home: Path, args: list[str]) -> None:
    result = run_module(args, home, "-X", "importtime")
    assert result.returncode == 0, result.stderr
    assert "Usage" in result.stdout
    imported = imported_modules(result.stderr)
    assert "questrya" in imported
    assert imported & HEAVY == set()
    assert not home.exists(), "--help must not create the data folder"


# Each class of command and the heavy libraries it may load: only what it uses. A database at
# the newest schema is checked without Alembic; a write keeps the ORM but prints its line
# without pydantic; only `queue` and the worker open Huey; the provider is built (httpx) only
# when a command fetches.
COMMAND_CLASSES = {
    "write: add": (["games", "add", "Celeste", "-p", "pc", "--no-fetch"], {"sqlalchemy"}),
    "write: complete": (["games", "complete", "hades", "--rating", "9"], {"sqlalchemy"}),
    "write: rate": (["games", "rate", "hades", "9"], {"sqlalchemy"}),
    "read": (["games", "list", "--json", "--limit", "50"], {"sqlalchemy", "pydantic"}),
    "read: show": (["games", "show", "hades", "--json"], {"sqlalchemy", "pydantic"}),
    "insight: stats": (["stats"], {"rich"}),  # its charts
    "insight: stats --json": (["stats", "--json"], set()),
    "insight: next": (["next", "--json"], set()),
    "config show": (["config", "show", "--json"], {"pydantic"}),
    "config set": (["config", "set", "http_timeout", "5"], {"tomlkit"}),
    "queue": (["queue", "--json"], {"sqlalchemy", "huey"}),
}


def test_each_extra_the_program_and_readme_name_installs_its_servers_client() -> None:
    """`pip install "questrya[redis]"`, as an error line or the README says, must bring the
    client that the program then imports: an extra pip does not know is only a warning."""
    extras = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    root = PYPROJECT.parent
    texts = [(root / "README.md").read_text(encoding="utf-8")]
    texts += [path.read_text(encoding="utf-8") for path in (root / "questrya").rglob("*.py")]
    named = {
        extra
        for text in texts
        for group in re.findall(r"(?:questrya|\.)\[([\w,]+)\]", text)
        for extra in group.split(",")
    }
    owners = metadata.packages_distributions()

    assert named - {"test"} == set(SERVER_CLIENTS)
    for extra, module in SERVER_CLIENTS.items():
        brought = {_normal(Requirement(line).name) for line in extras.get(extra, [])}
        assert {_normal(name) for name in owners[module]} & brought, extra


@pytest.mark.parametrize("name", COMMAND_CLASSES)
@pytest.mark.embedded  # a command's imports on SQLite
def test_each_command_loads_only_the_heavy_libraries_it_uses(
    home: Path, questrya: Questrya, name: str
) -> None:
    args, allowed = COMMAND_CLASSES[name]
    seed(questrya, "Hades")

    result = run_module(args, home, "-X", "importtime")

    assert result.returncode == 0, result.stderr
    imported = imported_modules(result.stderr)
    assert "questrya" in imported  # the report is read right
    assert imported & HEAVY <= allowed


# --- concurrency and storage ---------------------------------------------------------------


def test_eight_parallel_adds_on_a_new_home_all_succeed(home: Path, questrya: Questrya) -> None:
    titles = [f"Parallel Game {n}" for n in range(8)]
    processes = [
        subprocess.Popen(
            [str(QUESTRYA), "games", "add", title, "--platform", "pc", "--no-fetch"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=environment(home),
        )
        for title in titles
    ]
    results = [(process.communicate(timeout=60), process.returncode) for process in processes]
    for (_, stderr), code in results:
        assert (code, stderr) == (0, "")

    # Read back in-process: the same data folder, without another second of imports.
    listing = questrya("games", "list", "--json")
    assert sorted(game["title"] for game in listing.json()) == sorted(titles)
    users = questrya("users", "list", "--json").json()
    assert [(user["default"], user["games"]) for user in users] == [(True, 8)]


@pytest.mark.embedded  # a corrupt SQLite file
def test_a_corrupt_database_is_one_error_line_and_left_alone(home: Path) -> None:
    home.mkdir(parents=True)
    database = home / "questrya.db"
    garbage = bytes(range(256)) * 64
    database.write_bytes(garbage)
    for args in (["games", "list"], ["games", "add", "Hades", "-p", "pc", "--no-fetch"]):
        result = run_installed(args, home)
        assert result.returncode == 1
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("Error: ")
        assert "questrya.db" in lines[0]
        assert "Traceback" not in result.stderr
    assert database.read_bytes() == garbage


# --- output --------------------------------------------------------------------------------


def test_piped_output_has_no_ansi_codes_with_or_without_no_color(
    home: Path, questrya: Questrya, plain: None
) -> None:
    seed(questrya, "Hades", "Celeste")
    for extra in ({}, {"NO_COLOR": "1"}):
        result = run_installed(["games", "list"], home, env={"TERM": "xterm-256color", **extra})
        assert result.returncode == 0, result.stderr
        assert "Celeste" in result.stdout
        assert "\x1b" not in result.stdout


def test_a_terminal_gets_a_coloured_table(home: Path, questrya: Questrya, plain: None) -> None:
    seed(questrya, "Hades", "Celeste")
    code, shown = run_on_terminal(["games", "list"], home)
    assert code == 0, shown
    assert ANSI.search(shown)
    assert "Hades" in shown
    assert "Celeste" in shown


def test_a_narrow_terminal_wraps_titles_but_never_cuts_a_status_or_a_tag(
    home: Path, questrya: Questrya, plain: None
) -> None:
    assert (
        questrya("games", "add", "Hollow Knight", "-p", "pc", "-t", "metroidvania").exit_code == 0
    )
    assert questrya("games", "add", "Elden Ring", "-p", "ps5", "--status", "playing").exit_code == 0

    code, shown = run_on_terminal(["games", "list"], home, COLUMNS="60", NO_COLOR="1")

    assert code == 0, shown
    lines = shown.splitlines()
    assert all(len(line) <= 60 for line in lines), shown
    for word in ("not_started", "metroidvania", "playing", "Platform"):
        assert word in shown
    assert "Rating" not in shown  # empty in every row: left out
    assert "…" not in shown


def test_no_color_on_a_terminal_has_no_ansi_codes(
    home: Path, questrya: Questrya, plain: None
) -> None:
    seed(questrya, "Hades")
    code, shown = run_on_terminal(["games", "list"], home, NO_COLOR="1")
    assert code == 0, shown
    assert "Hades" in shown
    assert ANSI.findall(shown) == []


def test_remove_on_a_terminal_asks_first(home: Path, questrya: Questrya, plain: None) -> None:
    seed(questrya, "Anthem", "Hades")
    code, shown = run_on_terminal(["games", "remove", "Anthem"], home, answer=b"n\n")
    assert code != 0
    assert "Anthem" in shown
    assert questrya("games", "show", "Anthem").exit_code == 0

    code, shown = run_on_terminal(["games", "remove", "Anthem"], home, answer=b"y\n")
    assert code == 0, shown
    assert questrya("games", "show", "Anthem").exit_code == 3
    assert questrya("games", "show", "Hades").exit_code == 0


def test_a_reader_that_goes_away_stops_the_listing_quietly(home: Path, questrya: Questrya) -> None:
    tags = [option for n in range(80) for option in ("--tag", f"t{n:02d}-{'x' * 28}")]
    for n in range(36):
        title = f"Broken Pipe {n:03d} {'y' * 150}"
        outcome = questrya(
            "games", "add", title, "-p", "pc", "--no-fetch", "--notes", "z" * 4000, *tags
        )
        assert outcome.exit_code == 0, outcome.stderr
    for args in (["games", "list"], ["games", "list", "--json"]):
        # More than a pipe holds (64 KiB), so the command is still writing when the reader leaves.
        assert len(questrya(*args).stdout.encode()) > 80_000
        process = subprocess.Popen(
            [str(QUESTRYA), *args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environment(home),
            bufsize=0,
        )
        assert process.stdout is not None
        assert process.stderr is not None
        first = process.stdout.readline()  # `| head -1`
        process.stdout.close()
        stderr = process.stderr.read().decode()
        code = process.wait(timeout=60)
        assert first.strip()
        assert stderr == ""
        assert code == 0


# --- diagnostics ---------------------------------------------------------------------------


def test_questrya_debug_shows_a_traceback_and_the_default_does_not(home: Path) -> None:
    quiet = run_installed(["games", "show", "9999"], home)
    assert quiet.returncode == 3
    assert quiet.stderr.splitlines() == [quiet.stderr.strip()]
    assert quiet.stderr.startswith("Error: ")

    loud = run_installed(["games", "show", "9999"], home, env={"QUESTRYA_DEBUG": "1"})
    assert loud.returncode == 3
    assert "Traceback (most recent call last)" in loud.stderr
    assert loud.stderr.splitlines()[-1] == quiet.stderr.strip()
