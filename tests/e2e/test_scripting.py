"""Scripting power (references, queries, formats, history, undo, bulk edit, config) end to end."""

import csv
import io
import json
import stat
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Questrya, run_installed


def add(questrya: Questrya, title: str, platform: str = "pc", *options: str) -> int:
    outcome = questrya("games", "add", title, "-p", platform, "--no-fetch", "--json", *options)
    assert outcome.exit_code == 0, outcome.stderr
    game_id: int = outcome.json()["id"]
    return game_id


def titles(questrya: Questrya, *query: str) -> list[str]:
    outcome = questrya("games", "list", "--json", *query)
    assert outcome.exit_code == 0, outcome.stderr
    return sorted(game["title"] for game in outcome.json())


# --- references ---------------------------------------------------------------------------


def test_a_reference_to_several_games_is_exit_4_naming_each(questrya: Questrya) -> None:
    first, second = add(questrya, "Dark Souls II"), add(questrya, "Dark Souls III")

    outcome = questrya("games", "show", "dark souls")

    assert outcome.exit_code == 4
    assert outcome.stdout == ""
    assert outcome.stderr.startswith("Error: ")
    assert f"{first}\tDark Souls II\tPC" in outcome.stderr
    assert f"{second}\tDark Souls III\tPC" in outcome.stderr


def test_an_exact_title_wins_over_a_longer_one(questrya: Questrya) -> None:
    add(questrya, "Portal")
    add(questrya, "Portal 2")
    assert questrya("games", "show", "portal", "--json").json()["title"] == "Portal"


def test_a_reference_ignores_case_and_accents(questrya: Questrya) -> None:
    add(questrya, "Pokémon Legends: Arceus", "switch")
    shown = questrya("games", "show", "pokemon legends: arceus", "--json")
    assert shown.json()["title"] == "Pokémon Legends: Arceus"


# --- queries ------------------------------------------------------------------------------


@pytest.fixture
def shelf(questrya: Questrya) -> None:
    add(
        questrya, "Dark Souls", "pc", "--status", "completed", "--rating", "9", "--tag", "soulslike"
    )
    add(questrya, "Celeste", "pc", "--status", "completed", "--rating", "8")
    add(questrya, "Hades", "switch", "--status", "completed", "--rating", "10")
    add(questrya, "Inside", "pc", "--status", "completed", "--rating", "6")
    add(questrya, "Bloodborne", "ps4", "--tag", "soulslike")
    add(questrya, "Outer Wilds", "windows", "--wishlist", "--release-date", "2019-05-28")


@pytest.mark.usefixtures("shelf")
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (["status:completed", "rating:8.."], ["Celeste", "Dark Souls", "Hades"]),
        (["platform:pc", "-tag:soulslike"], ["Celeste", "Inside", "Outer Wilds"]),
        (["^platform:pc"], ["Bloodborne", "Hades"]),
        (["souls"], ["Dark Souls"]),
        (["rating:..7"], ["Inside"]),
        (["-rating:7.."], ["Bloodborne", "Inside", "Outer Wilds"]),
        (["wishlist:yes"], ["Outer Wilds"]),
        (["released:2015..2020"], ["Outer Wilds"]),
        (["tag:soulslike", "--platform", "ps4"], ["Bloodborne"]),
        (["status:playing,not_started"], ["Bloodborne", "Outer Wilds"]),
        (["zzz"], []),
    ],
)
def test_a_query_lists_exactly_the_matching_games(
    questrya: Questrya, query: list[str], expected: list[str]
) -> None:
    assert titles(questrya, *query) == expected


@pytest.mark.parametrize("term", ["rating:a..b", "staus:playing", "released:2020-13", "-"])
def test_a_bad_query_term_is_exit_2_naming_it(questrya: Questrya, term: str) -> None:
    outcome = questrya("games", "list", term)
    assert outcome.exit_code == 2
    assert term in outcome.stderr
    assert outcome.stderr.count("\n") == 1


@pytest.mark.usefixtures("shelf")
def test_sort_and_limit_apply_after_the_query(questrya: Questrya) -> None:
    outcome = questrya(
        "games", "list", "status:completed", "--sort", "rating-", "--limit", "2", "--ids"
    )
    ids = outcome.stdout.split()
    shown = [questrya("games", "show", i, "--json").json()["title"] for i in ids]
    assert shown == ["Hades", "Dark Souls"]


# --- formats ------------------------------------------------------------------------------


@pytest.mark.usefixtures("shelf")
def test_csv_parses_with_a_header_and_lists_joined_by_semicolons(questrya: Questrya) -> None:
    questrya("games", "edit", "inside", "--tag", "short", "--tag", "puzzle")
    outcome = questrya("games", "list", "--csv")

    rows = list(csv.DictReader(io.StringIO(outcome.stdout)))

    assert len(rows) == 6
    assert list(rows[0])[:4] == ["id", "title", "platform", "status"]
    inside = next(row for row in rows if row["title"] == "Inside")
    assert inside["tags"] == "puzzle;short"
    assert inside["rating"] == "6"
    assert inside["recommended"] == "false"


@pytest.mark.usefixtures("shelf")
def test_ids_and_jsonl_print_one_game_a_line(questrya: Questrya) -> None:
    ids = questrya("games", "list", "--ids").stdout.splitlines()
    lines = questrya("games", "list", "--jsonl").stdout.splitlines()
    assert [int(i) for i in ids] == [json.loads(line)["id"] for line in lines]
    assert len(ids) == 6


def test_two_formats_at_once_is_bad_input(questrya: Questrya) -> None:
    outcome = questrya("games", "list", "--json", "--csv")
    assert outcome.exit_code == 2


def test_users_list_takes_the_same_formats(questrya: Questrya) -> None:
    questrya("users", "add", "alice", "--email", "alice@example.com")
    rows = list(csv.DictReader(io.StringIO(questrya("users", "list", "--csv").stdout)))
    assert [row["name"] for row in rows] == ["alice"]
    [line] = questrya("users", "list", "--jsonl").stdout.splitlines()
    assert json.loads(line) == {
        "name": "alice",
        "email": "alice@example.com",
        "default": True,
        "games": 0,
    }


# --- history and undo ---------------------------------------------------------------------


def test_undo_takes_back_a_completion_with_its_rating(questrya: Questrya) -> None:
    game = add(questrya, "Hollow Knight")
    questrya("games", "start", str(game))
    questrya("games", "complete", str(game), "--rating", "8")

    outcome = questrya("undo")

    assert outcome.exit_code == 0
    assert "complete" in outcome.stdout
    shown = questrya("games", "show", str(game), "--json").json()
    assert (shown["status"], shown["rating"], shown["completion_date"]) == ("playing", None, None)


def test_undo_n_and_nothing_left_to_undo(questrya: Questrya) -> None:
    game = add(questrya, "Celeste")
    questrya("games", "rate", str(game), "9")

    assert questrya("undo", "-n", "2").exit_code == 0
    assert questrya("games", "list", "--ids").stdout == ""
    nothing = questrya("undo")
    assert nothing.exit_code == 1
    assert nothing.stderr == "Error: nothing to undo\n"


def test_undo_restores_a_removed_game_under_its_id(questrya: Questrya) -> None:
    game = add(questrya, "Hades", "pc", "--tag", "roguelike", "--rating", "9")
    before = questrya("games", "show", str(game), "--json").json()
    questrya("games", "remove", str(game), "--yes")

    questrya("undo")

    after = questrya("games", "show", str(game), "--json").json()
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"
    }


def test_history_shows_each_change_and_its_undo(questrya: Questrya) -> None:
    game = add(questrya, "Inside")
    questrya("games", "start", "inside")
    questrya("undo")

    events = questrya("games", "history", "inside", "--json").json()

    assert [(e["kind"], e["undone_at"] is not None) for e in events] == [
        ("add", False),
        ("start", True),
        ("undo start", False),
    ]
    assert events[1]["before"] == {"status": "not_started", "started_date": None}
    table = questrya("games", "history", str(game)).stdout
    assert "status: not_started → playing" in table


# --- bulk edit ----------------------------------------------------------------------------


@pytest.mark.usefixtures("shelf")
def test_bulk_edit_tags_every_match_and_one_undo_takes_it_back(questrya: Questrya) -> None:
    outcome = questrya("games", "edit", "status:completed", "--tag", "done", "--yes")

    assert outcome.exit_code == 0, outcome.stderr
    assert titles(questrya, "tag:done") == ["Celeste", "Dark Souls", "Hades", "Inside"]
    questrya("undo")
    assert titles(questrya, "tag:done") == []


@pytest.mark.usefixtures("shelf")
def test_bulk_edit_without_yes_and_no_terminal_refuses(questrya: Questrya) -> None:
    outcome = questrya("games", "edit", "status:completed", "--tag", "done")
    assert outcome.exit_code == 2
    assert titles(questrya, "tag:done") == []


def test_edit_with_no_reference_or_query_is_bad_input(questrya: Questrya) -> None:
    assert questrya("games", "edit", "--tag", "coop", "--yes").exit_code == 2


# --- config -------------------------------------------------------------------------------


def test_config_show_never_prints_a_secret(home: Path) -> None:
    secret = "rawg-secret-4f1c9a"
    for args in (["config", "show"], ["config", "show", "--json"]):
        done = run_installed(args, home, env={"QUESTRYA_RAWG_API_KEY": secret})
        assert done.returncode == 0, done.stderr
        assert secret not in done.stdout + done.stderr
    shown = run_installed(["config", "show", "--json"], home, env={"QUESTRYA_RAWG_API_KEY": secret})
    settings: dict[str, Any] = json.loads(shown.stdout)
    assert settings["rawg_api_key"]["source"] == "env"


def test_config_set_validates_and_writes_a_private_file(questrya: Questrya, home: Path) -> None:
    assert questrya("config", "set", "http_timeout", "abc").exit_code == 2
    assert questrya("config", "set", "no_such_setting", "1").exit_code == 2
    assert questrya("config", "set", "rawg_api_key", "k-123").stdout.strip().endswith("********")
    assert questrya("config", "set", "http_timeout", "5").exit_code == 0

    path = Path(questrya("config", "path").stdout.strip())
    assert path == home / "config.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    settings = questrya("config", "show", "--json").json()
    assert settings["http_timeout"] == {"value": 5.0, "source": "config"}
    assert settings["rawg_api_key"]["value"] == "********"


def test_the_environment_outranks_the_config_file(
    questrya: Questrya, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert questrya("config", "set", "rawg_api_key", "k-123").exit_code == 0
    assert questrya("config", "set", "provider", "rawg").exit_code == 0
    monkeypatch.setenv("QUESTRYA_PROVIDER", "igdb")
    assert questrya("config", "show", "--json").json()["provider"] == {
        "value": "igdb",
        "source": "env",
    }


# --- completion ---------------------------------------------------------------------------


def test_the_shell_completes_commands_and_options(home: Path) -> None:
    def complete(words: str, index: int) -> list[str]:
        env = {"_QUESTRYA_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(index)}
        done = run_installed([], home, env=env)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("questrya ga", 1) == ["games"]
    assert complete("questrya games hi", 2) == ["history"]
    assert "--status" in complete("questrya games list --st", 3)
