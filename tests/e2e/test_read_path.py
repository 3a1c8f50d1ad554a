"""The read path as a player's shell and terminal meet it: it loads no SQLAlchemy, writes a
long listing as it reads it, and pages a long table on a terminal as git does."""

import resource
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config

from questrya.orm.database import open_engine
from questrya.orm.migrate import SCRIPTS
from questrya.orm.migrations import HEAD_REVISION
from tests.conftest import QUESTRYA, Questrya, run_installed
from tests.e2e.terminal import environment, run_on_terminal, seed
from tests.e2e.test_installed_command import imported_modules, run_module

pytestmark = pytest.mark.embedded  # the read side on the standard library's sqlite3

HEAVY = {"sqlalchemy", "alembic", "httpx", "huey"}
ADDED = "2025-01-02 03:04:05.000000"


def fill(home: Path, count: int, *, description: int = 0, start: int = 0) -> None:
    """``count`` more games in the default profile's backlog, each with a metadata row whose
    description is ``description`` characters long: written straight into the database."""
    with closing(sqlite3.connect(home / "questrya.db")) as connection, connection:
        [(owner,)] = connection.execute("SELECT id FROM users WHERE is_default")
        for number in range(start, start + count):
            title = f"Generated Game {number:06d}"
            game = connection.execute(
                "INSERT INTO games (user_id, title, title_key, platform, platform_key, status,"
                " wishlist, notes, metadata_status, added_at, updated_at, fetch_attempts)"
                " VALUES (?, ?, ?, 'PC', 'pc', 'not_started', 0, '', 'fetched', ?, ?, 1)",
                (owner, title, title.lower(), ADDED, ADDED),
            ).lastrowid
            connection.execute(
                "INSERT INTO game_metadata VALUES (?, 'steam', ?, ?, '2020-01-01', '[\"Indie\"]',"
                " '[]', '[]', ?, NULL, NULL, ?, NULL)",
                (game, str(number), title, "d" * description, ADDED),
            )


@pytest.fixture
def library(home: Path, questrya: Questrya) -> Path:
    """A data folder at the newest schema, with its profile and two games."""
    seed(questrya, "Hades", "Celeste")
    assert questrya("games", "start", "hades").exit_code == 0
    return home


# --- what the read path loads ----------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["games", "list", "--json", "--limit", "50"],
        ["games", "list", "status:playing", "--ids"],
        ["games", "list", "--csv"],
        ["games", "list", "--jsonl"],
        ["games", "list"],
        ["games", "show", "1", "--json"],
        ["games", "show", "celeste"],
        ["games", "history", "1", "--json"],
        ["tags", "--json"],
        ["platforms"],
        ["games", "export"],
        ["games", "export", "status:playing", "--format", "csv"],
        ["stats"],
        ["stats", "--json", "platform:pc"],
        ["next", "--explain"],
        ["next", "--json"],
        ["pick", "--seed", "1", "--json"],
    ],
)
def test_a_read_loads_none_of_sqlalchemy_alembic_httpx_huey(library: Path, args: list[str]) -> None:
    result = run_module(args, library, "-X", "importtime")

    assert result.returncode == 0, result.stderr
    assert imported_modules(result.stderr) & HEAVY == set()


@pytest.mark.parametrize(
    ("shell", "completing"),
    [
        ("bash", {"COMP_WORDS": "questrya games show ha", "COMP_CWORD": "3"}),
        ("zsh", {"_TYPER_COMPLETE_ARGS": "questrya games history cel"}),
        ("fish", {"_TYPER_COMPLETE_ARGS": "questrya games start h"}),
    ],
)
def test_completing_a_ref_loads_none_of_them(
    library: Path, shell: str, completing: dict[str, str]
) -> None:
    env = environment(
        library,
        _QUESTRYA_COMPLETE=f"complete_{shell}",
        _TYPER_COMPLETE_FISH_ACTION="get-args",
        **completing,
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "questrya"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "Hades" in result.stdout or "Celeste" in result.stdout  # the games were read
    assert imported_modules(result.stderr) & HEAVY == set()


def test_a_write_still_loads_sqlalchemy_the_check_above_would_see_it(library: Path) -> None:
    result = run_module(["games", "hold", "hades"], library, "-X", "importtime")

    assert result.returncode == 0, result.stderr
    assert "sqlalchemy" in imported_modules(result.stderr)


def test_a_read_of_a_database_behind_migrates_it_first(library: Path) -> None:
    engine = open_engine(f"sqlite:///{library / 'questrya.db'}")
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "-1")
    engine.dispose()

    listed = run_installed(["games", "list", "--ids"], library)

    assert (listed.returncode, listed.stdout, listed.stderr) == (0, "2\n1\n", "")
    with closing(sqlite3.connect(library / "questrya.db")) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]


# --- a long listing is written as it is read -------------------------------------------------

PEAK_RSS = (
    "import resource, subprocess, sys\n"
    "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def peak_memory_mb(home: Path, *args: str) -> float:
    """The peak resident memory of one run of the installed command, its output discarded."""
    measured = subprocess.run(
        [sys.executable, "-c", PEAK_RSS, str(QUESTRYA), *args],
        capture_output=True,
        text=True,
        env=environment(home),
        check=True,
        timeout=120,
    )
    return int(measured.stdout) / 1024  # Linux counts kilobytes


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(resource, "RUSAGE_CHILDREN"), reason="no getrusage")
@pytest.mark.parametrize("fmt", ["--json", "--jsonl", "--csv"])
def test_ten_times_the_games_need_hardly_more_memory(library: Path, fmt: str) -> None:
    """Held whole, 20,000 games of 1 KB would take tens of megabytes more than 2,000."""
    fill(library, 2_000, description=1_000)
    small = peak_memory_mb(library, "games", "list", fmt)
    fill(library, 18_000, description=1_000, start=2_000)
    large = peak_memory_mb(library, "games", "list", fmt)

    assert large - small < 12, (small, large)


# --- the pager -------------------------------------------------------------------------------

PAGED = "sed s/^/paged:/"


def test_a_table_longer_than_the_screen_goes_through_the_pager(
    library: Path, questrya: Questrya
) -> None:
    seed(questrya, *(f"Game {n}" for n in range(8)))

    code, shown = run_on_terminal(["games", "list"], library, QUESTRYA_PAGER=PAGED, LINES="6")

    assert code == 0, shown
    lines = shown.splitlines()
    assert len(lines) == 12  # the header, the rule and ten games
    assert all(line.startswith("paged:") for line in lines), shown


def test_a_table_that_fits_the_screen_is_not_paged(library: Path) -> None:
    code, shown = run_on_terminal(["games", "list"], library, QUESTRYA_PAGER=PAGED, LINES="6")

    assert code == 0, shown
    assert "Hades" in shown
    assert "paged:" not in shown


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["games", "list", "--no-pager"], {"QUESTRYA_PAGER": PAGED}),
        (["games", "list"], {"QUESTRYA_PAGER": "cat"}),
        (["games", "list"], {"QUESTRYA_PAGER": ""}),
        (["games", "list"], {"QUESTRYA_PAGER": "no-such-pager-anywhere"}),
    ],
    ids=["--no-pager", "cat", "empty", "missing"],
)
def test_a_long_table_is_printed_straight_when_no_pager_is_wanted_or_found(
    library: Path, questrya: Questrya, args: list[str], env: dict[str, str]
) -> None:
    seed(questrya, *(f"Game {n}" for n in range(8)))

    code, shown = run_on_terminal(args, library, LINES="6", PAGER=PAGED, **env)

    assert code == 0, shown
    assert len(shown.splitlines()) == 12
    assert "paged:" not in shown


def test_pager_is_the_fallback_and_questrya_pager_wins_over_it(
    library: Path, questrya: Questrya
) -> None:
    seed(questrya, *(f"Game {n}" for n in range(8)))

    _, by_pager = run_on_terminal(["games", "list"], library, LINES="6", PAGER=PAGED)
    _, by_ours = run_on_terminal(
        ["games", "list"], library, LINES="6", PAGER=PAGED, QUESTRYA_PAGER="sed s/^/ours:/"
    )

    assert by_pager.startswith("paged:")
    assert by_ours.startswith("ours:")
    assert "paged:" not in by_ours


def test_a_piped_listing_is_never_paged(library: Path, questrya: Questrya) -> None:
    seed(questrya, *(f"Game {n}" for n in range(8)))

    result = run_installed(["games", "list"], library, env={"QUESTRYA_PAGER": PAGED, "LINES": "6"})

    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 11  # piped: the header and ten games, no rule
    assert "paged:" not in result.stdout


def test_quitting_the_pager_early_ends_the_listing_quietly(library: Path) -> None:
    fill(library, 3_000)  # far more than a pipe holds, so the pager leaves mid-listing

    code, shown = run_on_terminal(["games", "list"], library, QUESTRYA_PAGER="head -n 1")

    assert code == 0, shown
    assert shown.splitlines() == [shown.splitlines()[0]]
    assert "ID" in shown
