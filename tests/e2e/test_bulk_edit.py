"""Bulk `games edit QUERY`: which words are a query, and that it edits exactly the games it
showed before asking, whatever changed while the player read them."""

from pathlib import Path
from typing import Any

from tests.conftest import Questrya, run_installed
from tests.e2e.terminal import run_on_terminal, seed


def listed(questrya: Questrya, *query: str) -> list[dict[str, Any]]:
    outcome = questrya("games", "list", "--json", *query)
    assert outcome.exit_code == 0, outcome.stderr
    games: list[dict[str, Any]] = outcome.json()
    return games


def tags(questrya: Questrya) -> dict[str, list[str]]:
    return {game["title"]: game["tags"] for game in listed(questrya)}


def test_a_lone_field_term_is_a_query_as_in_games_list(questrya: Questrya) -> None:
    seed(questrya, "Final Fantasy VII", "Final Fantasy X", "Hades")
    shown = [game["title"] for game in listed(questrya, "title:final")]

    outcome = questrya("games", "edit", "title:final", "--tag", "ff", "--yes")

    assert outcome.exit_code == 0, outcome.stderr
    assert [title for title, found in tags(questrya).items() if found == ["ff"]] == shown
    assert tags(questrya)["Hades"] == []


def test_a_lone_negated_term_is_a_query(questrya: Questrya) -> None:
    seed(questrya, "Final Fantasy X", "Hades", "Celeste")

    outcome = questrya("games", "edit", "-title:final", "--tag", "indie", "--yes")

    assert outcome.exit_code == 0, outcome.stderr
    assert tags(questrya) == {"Celeste": ["indie"], "Final Fantasy X": [], "Hades": ["indie"]}


def test_a_title_with_a_colon_that_names_no_field_is_one_game(questrya: Questrya) -> None:
    seed(questrya, "Halo: Reach", "Halo 3")

    outcome = questrya("games", "edit", "halo: reach", "--tag", "fps")

    assert outcome.exit_code == 0, outcome.stderr
    assert tags(questrya) == {"Halo 3": [], "Halo: Reach": ["fps"]}


def test_a_bulk_edit_edits_exactly_the_games_it_showed(home: Path, questrya: Questrya) -> None:
    seed(questrya, "Portal", "Portal 2", "Halo")

    def meanwhile() -> None:
        for args in (
            ["games", "add", "Half-Life", "-p", "pc", "--no-fetch"],  # now matches too
            ["games", "remove", "Portal 2", "--yes"],  # shown, then gone
        ):
            assert run_installed(args, home).returncode == 0

    code, shown = run_on_terminal(
        ["games", "edit", "platform:pc", "-title:halo", "--tag", "valve"],
        home,
        answer=b"y\n",
        meanwhile=meanwhile,
    )

    assert code == 0, shown
    assert "Portal 2" in shown.split("Edit these games?")[0]
    assert tags(questrya) == {"Half-Life": [], "Halo": [], "Portal": ["valve"]}
    assert "Portal 2" in shown.split("Edit these games?")[1]  # said to be gone
    undone = questrya("undo")
    assert undone.exit_code == 0, undone.stderr
    assert tags(questrya) == {"Half-Life": [], "Halo": [], "Portal": []}


def test_a_bulk_edit_whose_games_all_went_meanwhile_is_not_found(
    home: Path, questrya: Questrya
) -> None:
    seed(questrya, "Portal")

    def meanwhile() -> None:
        assert run_installed(["games", "remove", "Portal", "--yes"], home).returncode == 0

    code, shown = run_on_terminal(
        ["games", "edit", "platform:pc", "--tag", "valve"], home, answer=b"y\n", meanwhile=meanwhile
    )

    assert code == 3, shown
    assert "Error: " in shown


def test_a_bulk_edit_refuses_bad_changes_and_empty_matches_before_asking(
    home: Path, questrya: Questrya
) -> None:
    seed(questrya, "Portal")
    for args, code in (
        (["games", "edit", "platform:pc"], 2),  # nothing to change
        (["games", "edit", "platform:pc", "--title", "Same For All"], 2),
        (["games", "edit", "platform:ps5", "--tag", "x"], 3),
    ):
        returned, shown = run_on_terminal(args, home, answer=b"y\n")
        assert returned == code, (args, shown)
        assert "Edit these games?" not in shown
    assert tags(questrya) == {"Portal": []}
