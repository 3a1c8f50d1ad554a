"""Several games in one command (PRODUCT §4): every per-game command takes several REFs, and `-`
reads them from standard input, one a line; all of them are one change, resolved before
anything changes, so that a script never half-applies a batch."""

import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import QUESTRYA, Questrya, error_line, run_installed
from tests.e2e.terminal import environment, run_on_terminal


def add(questrya: Questrya, title: str, *options: str) -> int:
    outcome = questrya("games", "add", title, "-p", "pc", "--no-fetch", "--json", *options)
    assert outcome.exit_code == 0, outcome.stderr
    game_id: int = outcome.json()["id"]
    return game_id


def games(questrya: Questrya) -> dict[str, dict[str, Any]]:
    outcome = questrya("games", "list", "--json")
    assert outcome.exit_code == 0, outcome.stderr
    return {game["title"]: game for game in outcome.json()}


def statuses(questrya: Questrya) -> dict[str, str]:
    return {title: game["status"] for title, game in games(questrya).items()}


def history_kinds(questrya: Questrya, ref: int) -> list[str]:
    outcome = questrya("games", "history", str(ref), "--json")
    assert outcome.exit_code == 0, outcome.stderr
    return [event["kind"] for event in outcome.json()]


@pytest.fixture
def shelf(questrya: Questrya) -> dict[str, int]:
    """Three games being played, one not started and one completed."""
    ids = {title: add(questrya, title, "--status", "playing") for title in ("Hades", "Celeste")}
    ids["Inside"] = add(questrya, "Inside", "--status", "playing")
    ids["Tunic"] = add(questrya, "Tunic")
    ids["Outer Wilds"] = add(questrya, "Outer Wilds", "--status", "completed")
    return ids


# --- as a script would: one process, one change --------------------------------------------


def test_every_playing_game_goes_on_hold_in_one_pipeline_and_one_undo_takes_it_back(
    home: Path, questrya: Questrya, shelf: dict[str, int]
) -> None:
    pipeline = f"set -e; {QUESTRYA} games list status:playing --ids | {QUESTRYA} games hold -"

    ran = subprocess.run(
        ["bash", "-o", "pipefail", "-c", pipeline],
        capture_output=True,
        text=True,
        env=environment(home),
        timeout=60,
        check=False,
    )

    assert (ran.returncode, ran.stderr) == (0, "")
    playing = [shelf["Celeste"], shelf["Hades"], shelf["Inside"]]
    assert sorted(int(line.split()[0]) for line in ran.stdout.splitlines()) == sorted(playing)
    assert all("on_hold" in line for line in ran.stdout.splitlines())
    assert statuses(questrya) == {
        "Hades": "on_hold",
        "Celeste": "on_hold",
        "Inside": "on_hold",
        "Tunic": "not_started",
        "Outer Wilds": "completed",
    }

    undone = questrya("undo")

    assert undone.exit_code == 0, undone.stderr
    assert len(undone.stdout.splitlines()) == 3
    assert [statuses(questrya)[title] for title in ("Hades", "Celeste", "Inside")] == [
        "playing"
    ] * 3
    assert questrya("undo").stdout.startswith("Undid add: ")  # the hold was one change


def test_a_reference_that_names_no_game_refuses_the_whole_batch(
    home: Path, questrya: Questrya, shelf: dict[str, int]
) -> None:
    before = games(questrya)
    refs = f"{shelf['Hades']}\nnowhere\n{shelf['Celeste']}\n"

    ran = run_installed(["games", "hold", "-"], home, input=refs)

    assert ran.returncode == 3
    assert ran.stdout == ""
    assert "'nowhere'" in ran.stderr
    assert games(questrya) == before


def test_an_ambiguous_reference_refuses_the_batch_naming_the_candidates(
    questrya: Questrya, shelf: dict[str, int]
) -> None:
    add(questrya, "Hades II", "--status", "playing")
    before = games(questrya)

    outcome = questrya("games", "hold", "celeste", "hade")

    assert outcome.exit_code == 4
    assert outcome.stdout == ""
    assert "'hade' matches 2 games" in outcome.stderr
    assert f"{shelf['Hades']}\tHades\tPC" in outcome.stderr
    assert games(questrya) == before


def test_a_game_the_rules_forbid_refuses_the_batch_naming_that_game(
    questrya: Questrya, shelf: dict[str, int]
) -> None:
    before = games(questrya)

    outcome = questrya("games", "hold", "hades", "tunic", "celeste")

    assert outcome.exit_code == 1
    line = error_line(outcome)
    assert line == f"Error: game {shelf['Tunic']}: cannot hold 'Tunic': it is not_started"
    assert games(questrya) == before
    assert history_kinds(questrya, shelf["Hades"]) == ["add"]


# --- what standard input may hold -----------------------------------------------------------


def test_blank_lines_on_standard_input_are_skipped(
    questrya: Questrya, shelf: dict[str, int]
) -> None:
    refs = f"\n{shelf['Hades']}\n\n   \nceleste\r\n\n"

    outcome = questrya("games", "hold", "-", input=refs)

    assert outcome.exit_code == 0, outcome.stderr
    assert len(outcome.stdout.splitlines()) == 2
    assert statuses(questrya)["Hades"] == statuses(questrya)["Celeste"] == "on_hold"
    assert statuses(questrya)["Inside"] == "playing"


def test_a_game_named_twice_changes_once(questrya: Questrya, shelf: dict[str, int]) -> None:
    hades = shelf["Hades"]

    outcome = questrya("games", "hold", str(hades), "hades", "-", input=f"{hades}\n")

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.splitlines() == [f"{hades}  Hades [PC]  on_hold"]
    assert history_kinds(questrya, hades) == ["add", "hold"]


@pytest.mark.parametrize("stdin", ["", "\n  \n\n"], ids=["empty", "blank-lines"])
def test_a_dash_with_nothing_on_standard_input_is_bad_input(
    questrya: Questrya, shelf: dict[str, int], stdin: str
) -> None:
    outcome = questrya("games", "hold", "-", input=stdin)

    assert outcome.exit_code == 2
    assert "no game references on standard input" in error_line(outcome)
    assert statuses(questrya)["Hades"] == "playing"


def test_a_closed_standard_input_has_no_references(home: Path, shelf: dict[str, int]) -> None:
    ran = subprocess.run(
        f"{QUESTRYA} games hold - <&-",
        shell=True,
        capture_output=True,
        text=True,
        env=environment(home),
        timeout=60,
        check=False,
    )

    assert ran.returncode == 2
    assert "no game references on standard input" in ran.stderr


def test_no_reference_at_all_is_a_usage_error(questrya: Questrya) -> None:
    outcome = questrya("games", "hold")
    assert outcome.exit_code == 2
    error_line(outcome)


# --- each command ---------------------------------------------------------------------------


def test_json_is_one_object_for_one_reference_and_an_array_for_several_or_a_dash(
    questrya: Questrya, shelf: dict[str, int]
) -> None:
    one = questrya("games", "hold", "hades", "--json").json()
    several = questrya("games", "start", "hades", "tunic", "--json").json()
    piped = questrya("games", "hold", "-", "--json", input="tunic\n").json()

    assert (one["title"], one["status"]) == ("Hades", "on_hold")
    assert [(game["title"], game["status"]) for game in several] == [
        ("Hades", "playing"),
        ("Tunic", "playing"),
    ]
    assert [(game["title"], game["status"]) for game in piped] == [("Tunic", "on_hold")]


def test_start_and_abandon_take_several_games(questrya: Questrya, shelf: dict[str, int]) -> None:
    assert questrya("games", "start", "tunic", "outer wilds", "--date", "2024-03-01").exit_code == 0
    assert questrya("games", "abandon", "tunic", "inside").exit_code == 0

    shown = games(questrya)
    assert (shown["Tunic"]["status"], shown["Tunic"]["started_date"]) == ("abandoned", "2024-03-01")
    assert shown["Outer Wilds"]["started_date"] == "2024-03-01"
    assert shown["Outer Wilds"]["completion_date"] is None  # a replay
    assert shown["Inside"]["status"] == "abandoned"


def test_complete_applies_its_date_level_and_rating_to_each_game(questrya: Questrya) -> None:
    add(questrya, "Hollow Knight", "--started", "2024-04-01")
    add(questrya, "Tunic", "--started", "2024-04-20")

    outcome = questrya(
        "games", "complete", "hollow", "tunic", "--date", "2024-05-01", "--level", "full",
        "--rating", "9",
    )  # fmt: skip

    assert outcome.exit_code == 0, outcome.stderr
    for title in ("Hollow Knight", "Tunic"):
        game = games(questrya)[title]
        assert (game["status"], game["completion_date"]) == ("completed", "2024-05-01")
        assert (game["completion_level"], game["rating"]) == ("full", 9)
    assert questrya("undo").exit_code == 0
    assert set(statuses(questrya).values()) == {"playing"}


def test_a_date_that_breaks_one_games_order_refuses_the_batch_naming_it(
    questrya: Questrya,
) -> None:
    add(questrya, "Hollow Knight", "--started", "2024-04-01")
    tunic = add(questrya, "Tunic", "--started", "2024-06-01")

    outcome = questrya("games", "complete", "hollow", "tunic", "--date", "2024-05-01")

    assert outcome.exit_code == 2
    line = error_line(outcome)
    assert f"game {tunic} 'Tunic': completion date 2024-05-01 is before" in line
    assert set(statuses(questrya).values()) == {"playing"}


def test_rate_takes_several_games_and_the_rating_last(
    questrya: Questrya, shelf: dict[str, int]
) -> None:
    outcome = questrya("games", "rate", "hades", str(shelf["Tunic"]), "8")

    assert outcome.exit_code == 0, outcome.stderr
    assert [line.split()[0] for line in outcome.stdout.splitlines()] == [
        str(shelf["Hades"]),
        str(shelf["Tunic"]),
    ]
    assert {title: game["rating"] for title, game in games(questrya).items()} == {
        "Hades": 8,
        "Celeste": None,
        "Inside": None,
        "Tunic": 8,
        "Outer Wilds": None,
    }


def test_rate_reads_the_games_from_standard_input(
    questrya: Questrya, shelf: dict[str, int]
) -> None:
    outcome = questrya("games", "rate", "-", "7", input="hades\ninside\n")

    assert outcome.exit_code == 0, outcome.stderr
    assert [games(questrya)[title]["rating"] for title in ("Hades", "Inside")] == [7, 7]


def test_remove_takes_several_games_with_yes(questrya: Questrya, shelf: dict[str, int]) -> None:
    outcome = questrya("games", "remove", "-", "--yes", input="hades\ntunic\n")

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.splitlines() == [
        f"Removed {shelf['Hades']}  Hades [PC]  playing",
        f"Removed {shelf['Tunic']}  Tunic [PC]  not_started",
    ]
    assert sorted(games(questrya)) == ["Celeste", "Inside", "Outer Wilds"]
    assert questrya("undo").exit_code == 0
    assert sorted(games(questrya)) == ["Celeste", "Hades", "Inside", "Outer Wilds", "Tunic"]


def test_remove_of_several_without_a_terminal_refuses_and_keeps_them(
    questrya: Questrya, shelf: dict[str, int]
) -> None:
    for outcome in (
        questrya("games", "remove", "hades", "tunic"),
        questrya("games", "remove", "-", input="hades\ntunic\n"),  # stdin holds the REFs
    ):
        assert outcome.exit_code == 2
        assert "--yes" in error_line(outcome)
    assert len(games(questrya)) == 5


def test_remove_of_several_asks_once_on_the_terminal(
    home: Path, questrya: Questrya, shelf: dict[str, int]
) -> None:
    code, shown = run_on_terminal(["games", "remove", "hades", "tunic"], home, answer=b"n\n")

    assert code == 1
    assert "Remove these 2 games?" in shown
    assert "Hades [PC]" in shown and "Tunic [PC]" in shown
    assert len(games(questrya)) == 5

    code, shown = run_on_terminal(["games", "remove", "hades", "tunic"], home, answer=b"y\n")

    assert code == 0, shown
    assert shown.count("Remove these 2 games?") == 1
    assert sorted(games(questrya)) == ["Celeste", "Inside", "Outer Wilds"]


def test_refresh_reads_the_games_from_standard_input_once_each(
    questrya: Questrya, shelf: dict[str, int]
) -> None:
    refs = f"hades\n\n{shelf['Hades']}\nceleste\n"

    outcome = questrya("games", "refresh", "-", input=refs)

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout == "Queued a metadata fetch for 2 game(s).\n"
    assert {games(questrya)[title]["metadata_status"] for title in ("Hades", "Celeste")} == {
        "pending"
    }
    assert games(questrya)["Inside"]["metadata_status"] == "skipped"


def test_refresh_with_a_bad_reference_queues_nothing(
    questrya: Questrya, shelf: dict[str, int]
) -> None:
    outcome = questrya("games", "refresh", "-", input="hades\nnowhere\n")

    assert outcome.exit_code == 3
    assert "'nowhere'" in error_line(outcome)
    assert games(questrya)["Hades"]["metadata_status"] == "skipped"
