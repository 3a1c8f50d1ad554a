"""The player's dates (PRODUCT §3): release ≤ started ≤ completed ≤ today on every path, the
dates of last year's games entered today, and dates that do not exist."""

from datetime import date, timedelta
from typing import Any

import pytest

from tests.conftest import Outcome, Questrya, error_line
from tests.e2e.test_games_cli import add, listed, show

TODAY = date.today()
YESTERDAY = TODAY - timedelta(days=1)
TOMORROW = TODAY + timedelta(days=1)


def dates(game: dict[str, Any]) -> tuple[str | None, str | None, str | None]:
    return game["release_date"], game["started_date"], game["completion_date"]


def refused(outcome: Outcome, *named: object) -> str:
    """The one error line of a date that breaks the rule: exit 2, naming both dates."""
    assert outcome.exit_code == 2, outcome.stderr
    line = error_line(outcome)
    for value in named:
        assert str(value) in line, line
    return line


# --- the order of the dates, on every path -----------------------------------------------------


def test_a_completion_before_the_start_is_refused_naming_both_dates(questrya: Questrya) -> None:
    before = add(questrya, "Hollow Knight", "--status", "playing")

    outcome = questrya("games", "complete", "hollow", "--date", YESTERDAY.isoformat())

    line = refused(outcome)
    assert line == (f"Error: completion date {YESTERDAY} is before the start date {TODAY}")
    assert show(questrya, "hollow") == before


def test_a_game_released_later_cannot_be_playing(questrya: Questrya) -> None:
    outcome = questrya(
        "games",
        "add",
        "Far Future",
        "-p",
        "pc",
        "--release-date",
        "2099-01-01",
        "--status",
        "playing",
        "--no-fetch",
    )
    refused(outcome, "start date", TODAY, "release date", "2099-01-01")
    assert listed(questrya) == []

    waiting = add(questrya, "Far Future", "--release-date", "2099-01-01")
    refused(questrya("games", "start", "far future"), TODAY, "2099-01-01")
    refused(questrya("games", "complete", "far future"), TODAY, "2099-01-01")
    assert show(questrya, "far future") == waiting


def test_a_replay_is_a_new_playthrough_whose_dates_keep_the_rule(questrya: Questrya) -> None:
    add(questrya, "Hades", "--started", "2025-01-02", "--completed", "2025-02-03")
    replay = questrya("games", "start", "hades", "--json")
    assert replay.exit_code == 0, replay.stderr
    game = replay.json()
    assert (game["status"], game["started_date"], game["completion_date"]) == (
        "playing",
        TODAY.isoformat(),
        None,
    )
    assert game["completion_level"] is None

    assert questrya("undo").exit_code == 0
    assert dates(show(questrya, "hades")) == (None, "2025-01-02", "2025-02-03")


def test_future_dates_are_refused_naming_today(questrya: Questrya) -> None:
    add(questrya, "Hades")
    refused(questrya("games", "start", "hades", "--date", TOMORROW.isoformat()), TOMORROW, TODAY)
    refused(questrya("games", "complete", "hades", "--date", TOMORROW.isoformat()), "future")
    assert show(questrya, "hades")["status"] == "not_started"


# --- last year's games ---------------------------------------------------------------------


def test_add_takes_the_start_and_completion_dates_of_a_game_played_before(
    questrya: Questrya,
) -> None:
    finished = add(questrya, "Celeste", "--started", "2025-03-01", "--completed", "2025-03-20")
    assert (finished["status"], *dates(finished)[1:]) == ("completed", "2025-03-01", "2025-03-20")

    only_completed = add(questrya, "Inside", "--completed", "2025-04-02")
    assert (only_completed["status"], *dates(only_completed)[1:]) == (
        "completed",
        None,
        "2025-04-02",
    )
    only_started = add(questrya, "Hades", "--started", "2025-05-06")
    assert (only_started["status"], *dates(only_started)[1:]) == ("playing", "2025-05-06", None)
    on_hold = add(questrya, "Tunic", "--status", "on_hold", "--started", "2025-06-07")
    assert (on_hold["status"], on_hold["started_date"]) == ("on_hold", "2025-06-07")


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (("--status", "not_started", "--started", "2025-03-01"), "not_started"),
        (("--status", "playing", "--completed", "2025-03-01"), "playing"),
        (("--status", "abandoned", "--completed", "2025-03-01"), "abandoned"),
        (("--started", "2025-03-20", "--completed", "2025-03-01"), "2025-03-20"),
        (("--release-date", "2025-04-01", "--completed", "2025-03-01"), "2025-04-01"),
    ],
)
def test_add_refuses_dates_its_status_or_each_other_rule_out(
    questrya: Questrya, options: tuple[str, ...], named: str
) -> None:
    outcome = questrya("games", "add", "Celeste", "-p", "pc", "--no-fetch", *options)
    refused(outcome, named)
    assert listed(questrya) == []


def test_start_takes_the_day_the_player_started(questrya: Questrya) -> None:
    add(questrya, "Hades", "--release-date", "2020-09-17")
    started = questrya("games", "start", "hades", "--date", "2024-12-24", "--json")
    assert started.exit_code == 0, started.stderr
    assert started.json()["started_date"] == "2024-12-24"
    refused(questrya("games", "complete", "hades", "--date", "2024-12-23"), "2024-12-24")

    assert questrya("games", "hold", "hades").exit_code == 0
    resumed = questrya("games", "start", "hades", "--json")  # a resume keeps the first start
    assert resumed.json()["started_date"] == "2024-12-24"


def test_edit_sets_the_start_and_completion_dates_together(questrya: Questrya) -> None:
    add(questrya, "Celeste", "--started", "2025-01-01", "--completed", "2025-01-10")

    # Each date alone would break the rule against the other's old value.
    moved = questrya(
        "games",
        "edit",
        "celeste",
        "--started",
        "2025-02-01",
        "--completed",
        "2025-02-10",
        "--json",
    )

    assert moved.exit_code == 0, moved.stderr
    assert dates(moved.json()) == (None, "2025-02-01", "2025-02-10")
    refused(questrya("games", "edit", "celeste", "--started", "2025-03-01"), "2025-02-10")
    refused(questrya("games", "edit", "celeste", "--release-date", "2025-02-05"), "2025-02-01")
    assert questrya("undo").exit_code == 0
    assert dates(show(questrya, "celeste")) == (None, "2025-01-01", "2025-01-10")


@pytest.mark.parametrize(
    ("status", "option"), [("not_started", "--started"), ("playing", "--completed")]
)
def test_edit_refuses_a_date_the_status_does_not_have(
    questrya: Questrya, status: str, option: str
) -> None:
    before = add(questrya, "Hades", "--status", status)
    refused(questrya("games", "edit", "hades", option, "2025-01-01"), status)
    assert show(questrya, "hades") == before


def test_completing_a_completed_game_points_to_edit(questrya: Questrya) -> None:
    add(questrya, "Hades", "--status", "completed")
    outcome = questrya("games", "complete", "hades", "--date", "2025-01-01")
    assert outcome.exit_code == 1
    assert "edit its completion date" in error_line(outcome)


def test_a_bulk_edit_that_breaks_the_rule_for_one_game_changes_none(questrya: Questrya) -> None:
    add(questrya, "Celeste", "--completed", "2025-03-01")
    add(questrya, "Inside", "--completed", "2025-05-01")
    before = listed(questrya)

    outcome = questrya("games", "edit", "status:completed", "--release-date", "2025-04-01", "--yes")

    line = refused(outcome, "Celeste", "2025-03-01", "2025-04-01")
    assert "Inside" not in line
    assert listed(questrya) == before


# --- dates that do not exist ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("2023-02-30", "there is no 30 February 2023"),
        ("2024-02-30", "there is no 30 February 2024"),
        ("2023-04-31", "there is no 31 April 2023"),
        ("2023-13-01", "there is no month 13"),
        ("next friday", "YYYY-MM-DD"),
        ("30/02/2023", "YYYY-MM-DD"),
    ],
)
def test_a_date_that_does_not_exist_says_why(questrya: Questrya, typed: str, said: str) -> None:
    for args in (
        ("games", "add", "Hades", "-p", "pc", "--release-date", typed),
        ("games", "add", "Hades", "-p", "pc", "--completed", typed),
    ):
        outcome = questrya(*args)
        assert outcome.exit_code == 2
        assert said in error_line(outcome)
    assert listed(questrya) == []


def test_a_leap_day_is_a_date(questrya: Questrya) -> None:
    assert add(questrya, "Hades", "--release-date", "2024-02-29")["release_date"] == "2024-02-29"
