"""Playtime end to end (PRODUCT §3): `games log`, what show, history, JSON and CSV say of it,
its queries and sorts, and undo."""

import csv
import io
from datetime import date

import pytest

from tests.conftest import Questrya, error_line
from tests.e2e.test_games_cli import add, show, titles


@pytest.fixture
def hades(questrya: Questrya) -> int:
    game_id: int = add(questrya, "Hades")["id"]
    return game_id


def test_a_session_grows_the_playtime_and_marks_today(questrya: Questrya, hades: int) -> None:
    first = questrya("games", "log", "hades", "1h30m")
    second = questrya("games", "log", str(hades), "45m")

    assert (first.exit_code, first.stderr) == (0, "")
    assert first.stdout == f"{hades}  Hades [PC]  not_started  played 1h30m\n"
    assert second.stdout == f"{hades}  Hades [PC]  not_started  played 2h15m\n"
    game = show(questrya, hades)
    assert (game["playtime"], game["last_played"]) == (135, date.today().isoformat())


def test_log_json_prints_the_game(questrya: Questrya, hades: int) -> None:
    logged = questrya("games", "log", "hades", "2h", "--json")

    assert logged.exit_code == 0, logged.stderr
    assert (logged.json()["id"], logged.json()["playtime"]) == (hades, 120)


@pytest.mark.parametrize("duration", ["90", "1.5h", "soon", "0m"])
def test_a_bad_duration_is_bad_input_and_changes_nothing(
    questrya: Questrya, hades: int, duration: str
) -> None:
    outcome = questrya("games", "log", "hades", duration)

    assert outcome.exit_code == 2
    assert duration in error_line(outcome) or "minute or more" in error_line(outcome)
    assert (show(questrya, hades)["playtime"], show(questrya, hades)["last_played"]) == (0, None)


def test_undo_takes_a_session_back_and_history_shows_it(questrya: Questrya, hades: int) -> None:
    assert questrya("games", "log", "hades", "1h").exit_code == 0
    assert questrya("games", "log", "hades", "30m").exit_code == 0

    undone = questrya("undo")

    assert undone.exit_code == 0, undone.stderr
    assert "Undid log" in undone.stdout
    assert "playtime: 1h30m → 1h" in undone.stdout
    assert show(questrya, hades)["playtime"] == 60
    history = questrya("games", "history", "hades").stdout
    assert "playtime: 0m → 1h" in history
    assert "undo log" in history


def test_show_prints_the_playtime_and_the_day_last_played(questrya: Questrya, hades: int) -> None:
    assert questrya("games", "log", "hades", "3h5m").exit_code == 0

    shown = questrya("games", "show", "hades").stdout.splitlines()

    assert "playtime      3h5m" in shown
    assert f"last played   {date.today().isoformat()}" in shown


def test_csv_listing_has_playtime_and_last_played_columns(questrya: Questrya, hades: int) -> None:
    assert questrya("games", "log", "hades", "2h").exit_code == 0

    [row] = csv.DictReader(io.StringIO(questrya("games", "list", "--csv").stdout))

    assert (row["playtime"], row["last_played"]) == ("120", date.today().isoformat())


@pytest.fixture
def played(questrya: Questrya) -> None:
    """Hades 12h, Celeste 20m, Tunic 3h, Inside never played."""
    for title, duration in (("Hades", "12h"), ("Celeste", "20m"), ("Tunic", "3h")):
        add(questrya, title)
        assert questrya("games", "log", title, duration).exit_code == 0
    add(questrya, "Inside")


@pytest.mark.usefixtures("played")
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["playtime:10h.."], ["Hades"]),
        (["playtime:..30m"], ["Celeste", "Inside"]),
        (["playtime:1h..5h"], ["Tunic"]),
        (["playtime:0m"], ["Inside"]),
        (["-playtime:0m", "--sort", "playtime-"], ["Hades", "Tunic", "Celeste"]),
        ([f"lastplayed:{date.today():%Y-%m}.."], ["Celeste", "Hades", "Tunic"]),
        (["lastplayed:..2000"], []),
        (["--sort", "lastplayed", "--limit", "1"], ["Celeste"]),
        (["--sort", "playtime"], ["Inside", "Celeste", "Tunic", "Hades"]),
    ],
)
def test_playtime_and_lastplayed_query_and_sort(
    questrya: Questrya, words: list[str], expected: list[str]
) -> None:
    found = titles(questrya, *words)
    assert found == expected if "--sort" in words else sorted(found) == expected


def test_a_bad_playtime_term_is_bad_input(questrya: Questrya) -> None:
    outcome = questrya("games", "list", "playtime:10..")

    assert outcome.exit_code == 2
    assert "playtime:10.." in error_line(outcome)
