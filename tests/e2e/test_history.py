"""How the change history reads to a player: human values, what each undo restored, and the
same local time in `games show` and `games history` (JSON stays UTC)."""

import os
import re
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import Questrya
from tests.e2e.test_games_cli import add

INDIA = timezone(timedelta(hours=5, minutes=30))


@pytest.fixture
def india() -> Iterator[None]:
    """The local time zone is UTC+05:30 (POSIX counts hours west of Greenwich)."""
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "IST-5:30"
    time.tzset()
    yield
    if saved is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = saved
    time.tzset()


def details(questrya: Questrya, ref: str) -> list[str]:
    """The Details column of `games history`, one entry a change."""
    outcome = questrya("games", "history", ref)
    assert outcome.exit_code == 0, outcome.stderr
    return [line.split("  ")[-1].strip() for line in outcome.stdout.splitlines()[1:]]


def fields(shown: str) -> dict[str, str]:
    """The ``name  value`` lines of `games show`."""
    pairs = (re.split(r"\s{2,}", line.strip(), maxsplit=1) for line in shown.splitlines())
    return {pair[0]: pair[1] if len(pair) > 1 else "" for pair in pairs}


def test_history_shows_values_as_a_player_writes_them(questrya: Questrya) -> None:
    add(questrya, "Celeste", "--tag", "indie")
    for args in (
        ("games", "edit", "celeste", "--wishlist", "--tag", "coop", "--notes", "two\nlines"),
        ("games", "start", "celeste", "--date", "2025-01-02"),
        ("games", "complete", "celeste", "--date", "2025-02-03", "--level", "full"),
    ):
        assert questrya(*args).exit_code == 0

    added, edited, started, completed = details(questrya, "celeste")

    assert added == "title: Celeste, platform: PC, status: not_started, tags: indie"
    assert edited == "wishlist: no → yes, tags: indie → coop indie, notes: - → two lines"
    assert started == "status: not_started → playing, started: - → 2025-01-02"
    assert completed == "status: playing → completed, completed: - → 2025-02-03, level: - → full"
    history = questrya("games", "history", "celeste").stdout
    for python in ("True", "False", "None", "[", "_date"):
        assert python not in history


def test_each_undo_prints_what_it_restored(questrya: Questrya) -> None:
    add(questrya, "Celeste")
    for args in (
        ("games", "start", "celeste"),
        ("games", "rate", "celeste", "7"),
        ("games", "rate", "celeste", "9"),
    ):
        assert questrya(*args).exit_code == 0

    outcome = questrya("undo", "-n", "3")

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.splitlines() == [
        "Undid rate: 1  Celeste [PC]  playing  ★7  (rating: 9 → 7)",
        "Undid rate: 1  Celeste [PC]  playing  (rating: 7 → -)",
        f"Undid start: 1  Celeste [PC]  not_started  (status: playing → not_started, "
        f"started: {datetime.now().date()} → -)",
    ]


def test_undo_dry_run_says_what_would_be_taken_back_and_changes_nothing(
    questrya: Questrya,
) -> None:
    add(questrya, "Celeste")
    add(questrya, "Tunic")
    assert questrya("games", "rate", "celeste", "9").exit_code == 0
    before = questrya("games", "list", "--json").stdout

    outcome = questrya("undo", "-n", "2", "--dry-run")

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.splitlines() == [
        "Would undo rate: 1  Celeste [PC]  not_started  (rating: 9 → -)",
        "Would undo add: 2  Tunic [PC]  not_started",
    ]
    assert questrya("games", "list", "--json").stdout == before
    assert questrya("undo").stdout.startswith("Undid rate: 1  Celeste")


def test_undo_dry_run_with_nothing_to_undo_says_so(questrya: Questrya) -> None:
    outcome = questrya("undo", "--dry-run")

    assert outcome.exit_code == 1
    assert outcome.stderr.strip() == "Error: nothing to undo"


@pytest.mark.usefixtures("india")
def test_show_and_history_give_the_same_local_time_with_its_offset(questrya: Questrya) -> None:
    game = add(questrya, "Celeste")
    added_at = datetime.fromisoformat(game["added_at"])
    assert added_at.utcoffset() == timedelta(0)  # JSON stays UTC
    local = added_at.astimezone(INDIA).strftime("%Y-%m-%d %H:%M +0530")

    shown = fields(questrya("games", "show", "celeste").stdout)
    history = questrya("games", "history", "celeste").stdout

    assert (shown["added"], shown["updated"]) == (local, local)
    assert history.splitlines()[1].startswith(f"{local}  add")
