"""Standard streams at their edges, as a shell sets them up (PRODUCT §5): a full disk, a closed
stream, a prompt while the output goes to a file. Each runs the installed command."""

import json
import subprocess
from collections.abc import Sequence
from pathlib import Path

from tests.conftest import QUESTRYA, Questrya, one_error_line
from tests.e2e.terminal import environment, run_on_terminal, seed


def shell(args: Sequence[str], home: Path, redirect: str) -> subprocess.CompletedProcess[str]:
    """`questrya ARGS… REDIRECT` in sh, e.g. with ``> /dev/full`` or ``0<&-``."""
    return subprocess.run(
        ["sh", "-c", f'exec "$@" {redirect}', "sh", str(QUESTRYA), *args],
        capture_output=True,
        text=True,
        env=environment(home),
        timeout=60,
        check=False,
    )


def titles(questrya: Questrya) -> list[str]:
    outcome = questrya("games", "list", "--json")
    assert outcome.exit_code == 0, outcome.stderr
    return sorted(game["title"] for game in outcome.json())


# --- a full disk, a closed output --------------------------------------------------------------


def test_a_full_output_keeps_the_added_game_and_says_only_the_output_failed(
    home: Path, questrya: Questrya
) -> None:
    seed(questrya, "Hades")
    done = shell(["games", "add", "Full Disk", "-p", "pc", "--no-fetch"], home, "> /dev/full")

    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert "No space left on device" in line
    assert "saved" in line
    assert "Full Disk" in titles(questrya)


def test_a_listing_into_a_full_output_says_that_nothing_changed(
    home: Path, questrya: Questrya
) -> None:
    seed(questrya, "Hades")
    done = shell(["games", "list"], home, "> /dev/full")

    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert "No space left on device" in line
    assert "nothing" in line


def test_a_closed_output_is_an_output_failure(home: Path, questrya: Questrya) -> None:
    seed(questrya, "Hades")
    listing = shell(["games", "list"], home, ">&-")
    assert listing.returncode == 1
    assert "standard output is closed" in one_error_line(listing.stderr)

    added = shell(["games", "add", "Closed Output", "-p", "pc", "--no-fetch"], home, ">&-")
    assert added.returncode == 1
    assert "saved" in one_error_line(added.stderr)
    assert "Closed Output" in titles(questrya)


def test_a_closed_stderr_keeps_the_exit_code(home: Path, questrya: Questrya) -> None:
    seed(questrya, "Hades")
    done = shell(["games", "show", "999"], home, "2>&-")
    assert (done.returncode, done.stdout) == (3, "")


def test_a_closed_stdin_is_no_terminal_to_ask(home: Path, questrya: Questrya) -> None:
    seed(questrya, "Celeste")
    done = shell(["games", "remove", "celeste"], home, "0<&-")

    assert done.returncode == 2
    assert "--yes" in one_error_line(done.stderr)
    assert titles(questrya) == ["Celeste"]


# --- prompts go to the terminal, data to stdout ------------------------------------------------


def test_a_bulk_edit_asks_on_the_terminal_and_writes_only_json_to_the_file(
    home: Path, questrya: Questrya, tmp_path: Path
) -> None:
    seed(questrya, "Hades", "Celeste")
    assert questrya("games", "start", "hades").exit_code == 0
    output = tmp_path / "out.json"
    with output.open("wb") as file:
        code, shown = run_on_terminal(
            ["games", "edit", "status:playing", "--tag", "wip", "--json"],
            home,
            answer=b"y\n",
            stdout=file,
        )

    assert code == 0, shown
    assert "Hades" in shown
    assert "Edit these games?" in shown
    edited = json.loads(output.read_text(encoding="utf-8"))
    assert [(game["title"], game["tags"]) for game in edited] == [("Hades", ["wip"])]


def test_declining_says_nothing_changed_without_an_error_line(
    home: Path, questrya: Questrya, tmp_path: Path
) -> None:
    seed(questrya, "Hades")
    output = tmp_path / "out.txt"
    with output.open("wb") as file:
        code, shown = run_on_terminal(
            ["games", "remove", "hades"], home, answer=b"n\n", stdout=file
        )

    assert code == 1
    assert "Hades" in shown
    assert "Nothing changed." in shown
    assert "Error" not in shown
    assert output.read_text(encoding="utf-8") == ""
    assert titles(questrya) == ["Hades"]


def test_removing_a_profile_with_its_games_asks_after_saying_it_cannot_be_undone(
    home: Path, questrya: Questrya, tmp_path: Path
) -> None:
    seed(questrya, "Hades")
    assert questrya("users", "add", "alice").exit_code == 0
    for title in ("Celeste", "Inside"):
        added = questrya("-u", "alice", "games", "add", title, "-p", "pc", "--no-fetch")
        assert added.exit_code == 0, added.stderr
    args = ["users", "remove", "alice", "--force"]

    code, shown = run_on_terminal(args, home, answer=b"n\n")
    assert code == 1
    assert "2 game(s)" in shown
    assert "cannot be undone" in shown
    assert "Nothing changed." in shown
    assert questrya("-u", "alice", "games", "list", "--json").json() != []

    output = tmp_path / "out.txt"
    with output.open("wb") as file:
        code, shown = run_on_terminal(args, home, answer=b"y\n", stdout=file)
    assert code == 0, shown
    report = output.read_text(encoding="utf-8")
    assert "Removed profile alice and its 2 game(s)" in report
    assert report.splitlines()[-1].startswith("Default profile: ")
    assert "alice" not in [user["name"] for user in questrya("users", "list", "--json").json()]
