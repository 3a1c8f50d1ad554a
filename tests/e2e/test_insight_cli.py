"""`questrya stats`, `next` and `pick` as a player and a script meet them: the JSON keys, the
charts on a terminal (a recording rich console) and plain text on a pipe, the explanation
that adds up, the seed that picks again. The exact figures are checked on a fixed clock in
tests/integration/test_insight_views.py; here the games were played in 2020 and 2021, so
that no number depends on today."""

import re
from datetime import date
from pathlib import Path

import pytest
from rich.console import Console

from questrya.insight.charts import draw_stats
from tests.conftest import Questrya, error_line
from tests.e2e.terminal import run_on_terminal

BOX_DRAWING = re.compile(r"[\u2500-\u259f]")  # box drawing and block elements
STATS_KEYS = {
    "games", "by_status", "by_platform", "completion_rate", "ratings", "median_days_to_start",
    "median_days_to_complete", "months", "years", "added_last_12_months", "backlog_growth",
    "forecast",
}  # fmt: skip


@pytest.fixture
def shelf(questrya: Questrya) -> None:
    for args in (
        ["Celeste", "-p", "switch", "--started", "2020-03-01", "--completed", "2020-03-31"],
        ["Hades", "-p", "pc", "--started", "2021-01-10", "--completed", "2021-02-19"],
        ["Inside", "-p", "pc", "--started", "2021-05-01", "--completed", "2021-05-03"],
        ["Tunic", "-p", "pc", "--rating", "9", "-t", "coop"],
        ["Gris", "-p", "switch", "--rating", "6"],
        ["Elden Ring", "-p", "ps5", "--status", "playing"],
        ["Anthem", "-p", "pc", "--rating", "10"],
    ):
        outcome = questrya("games", "add", *args, "--no-fetch")
        assert outcome.exit_code == 0, outcome.stderr
    assert questrya("games", "abandon", "anthem").exit_code == 0


def stats_json(questrya: Questrya, *words: str) -> dict[str, object]:
    outcome = questrya("stats", "--json", *words)
    assert outcome.exit_code == 0, outcome.stderr
    figures: dict[str, object] = outcome.json()
    return figures


@pytest.mark.usefixtures("shelf")
def test_stats_json_has_every_key_and_the_counts(questrya: Questrya) -> None:
    figures = stats_json(questrya)

    assert set(figures) == STATS_KEYS
    assert figures["games"] == 7
    assert figures["by_status"] == {
        "not_started": 2,
        "playing": 1,
        "on_hold": 0,
        "completed": 3,
        "abandoned": 1,
    }
    assert figures["by_platform"] == {"PC": 4, "Switch": 2, "PS5": 1}
    assert figures["completion_rate"] == 0.4286
    assert figures["median_days_to_complete"] == 30.0  # 30, 40 and 2 days
    assert figures["years"][:2] == [  # type: ignore[index]
        {"year": 2020, "completed": 1},
        {"year": 2021, "completed": 2},
    ]
    assert stats_json(questrya, "-platform:pc")["games"] == 3


@pytest.mark.usefixtures("shelf")
def test_stats_piped_is_plain_text_without_box_drawing(questrya: Questrya) -> None:
    outcome = questrya("stats")

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.startswith("7 games, 3 completed (42.9%)\n")
    assert BOX_DRAWING.findall(outcome.stdout) == []
    assert "\x1b" not in outcome.stdout
    assert re.search(r"^2021 +#{30} +2$", outcome.stdout, re.MULTILINE)
    assert re.search(r"^2020 +#{15} +1$", outcome.stdout, re.MULTILINE)
    assert "Nothing completed in the last 12 months" in outcome.stdout


def test_stats_draws_bar_charts_on_a_terminal() -> None:
    console = Console(record=True, width=80, force_terminal=True, color_system="standard")
    figures = {
        "games": 4,
        "by_status": {"not_started": 1, "playing": 0, "on_hold": 0, "completed": 3},
        "by_platform": {"PC": 4},
        "completion_rate": 0.75,
        "ratings": {"9": 2, "unrated": 2},
        "median_days_to_start": 3.0,
        "median_days_to_complete": 1.0,
        "months": [{"month": "2026-05", "added": 1, "completed": 1}],
        "years": [{"year": 2025, "completed": 1}, {"year": 2026, "completed": 2}],
        "added_last_12_months": 1,
        "backlog_growth": 0,
        "forecast": {},
    }

    draw_stats(console, figures, ["At 0.3 games a month, 1 game takes 4 months."])  # type: ignore[arg-type]

    text = console.export_text(clear=False)
    lines = text.splitlines()
    assert lines[0] == "4 games, 3 completed (75.0%)"
    assert re.search(r"^2025 +█{15} +1$", text, re.MULTILINE)
    assert re.search(r"^2026 +█{30} +2$", text, re.MULTILINE)
    assert re.search(r"^completed +█{30} +3$", text, re.MULTILINE)
    assert re.search(r"^not_started +█{10} +1$", text, re.MULTILINE)
    assert "Started to completed: 1 day (median)" in lines
    assert "At 0.3 games a month, 1 game takes 4 months." in lines
    assert "─" in text  # the growth table's header rule
    assert "\x1b[" in console.export_text(styles=True)  # in colour


@pytest.mark.usefixtures("shelf")
def test_stats_on_a_terminal_in_colour_and_with_no_color(home: Path) -> None:
    code, shown = run_on_terminal(["stats"], home, COLUMNS="90", TERM="xterm-256color")
    assert code == 0, shown
    assert "\x1b[" in shown
    assert "█" in shown

    code, plain = run_on_terminal(["stats"], home, COLUMNS="90", NO_COLOR="1")
    assert code == 0, plain
    assert "\x1b" not in plain
    assert "█" in plain  # still drawn for a terminal
    assert all(len(line) <= 90 for line in plain.splitlines())


def test_stats_with_a_bad_query_is_bad_input(questrya: Questrya) -> None:
    outcome = questrya("stats", "rating:0..")
    assert outcome.exit_code == 2
    assert "rating" in error_line(outcome)


# --- next ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("shelf")
def test_next_proposes_only_games_not_started_or_on_hold(questrya: Questrya) -> None:
    outcome = questrya("next", "-n", "10", "--json")

    assert outcome.exit_code == 0, outcome.stderr
    ranked = outcome.json()
    assert [(game["rank"], game["title"], game["status"]) for game in ranked] == [
        (1, "Tunic", "not_started"),
        (2, "Gris", "not_started"),
    ]
    tunic = ranked[0]
    assert tunic["score_terms"]["rating"] == {"value": 9.0, "weight": 1.0, "points": 9.0}
    assert tunic["next_score"] == round(sum(t["points"] for t in tunic["score_terms"].values()), 2)
    assert tunic["platform"] == "PC"  # the game as `games show --json` prints it


@pytest.mark.usefixtures("shelf")
def test_next_explain_terms_add_up_to_the_score_shown(questrya: Questrya) -> None:
    assert questrya("config", "set", "next.boost", "coop").exit_code == 0
    assert questrya("config", "set", "next.weights.rating", "-1").exit_code == 0
    settings = questrya("config", "show", "--json").json()
    assert settings["next.weights.rating"] == {"value": -1.0, "source": "config"}
    assert settings["next.weights.on_hold"] == {"value": 2.0, "source": "default"}
    assert settings["next.boost"] == {"value": "coop", "source": "config"}

    outcome = questrya("next", "--explain")

    assert outcome.exit_code == 0, outcome.stderr
    lines = outcome.stdout.splitlines()
    assert lines[0].startswith("1. -6.00  ")  # Gris: -6 for its rating; Tunic -9 + 2 for coop
    assert lines[0].endswith("Gris [Switch]")
    games = [n for n, line in enumerate(lines) if not line.startswith(" ")]
    assert len(games) == 2
    for start, end in zip(games, [*games[1:], len(lines)], strict=True):
        score = float(lines[start].split()[1])
        points = [float(line.rsplit("=", 1)[1]) for line in lines[start + 1 : end]]
        assert len(points) == 8
        assert round(sum(points), 2) == score
    assert "tags" in lines[games[1] + 8] and lines[games[1] + 8].endswith("2.00")


@pytest.mark.usefixtures("shelf")
def test_next_ranks_within_a_query_and_takes_a_count(questrya: Questrya) -> None:
    outcome = questrya("next", "-n", "1", "-platform:pc")
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.splitlines() == [outcome.stdout.strip()]
    assert "Gris [Switch]" in outcome.stdout
    assert questrya("next", "-n", "0").exit_code == 2


def test_a_weight_that_is_not_a_number_is_refused(questrya: Questrya) -> None:
    outcome = questrya("config", "set", "next.weights.on_hold", "lots")
    assert outcome.exit_code == 2
    assert "next.weights.on_hold" in error_line(outcome)


# --- pick ------------------------------------------------------------------------------------


@pytest.mark.usefixtures("shelf")
def test_pick_of_not_started_games_always_picks_one(questrya: Questrya) -> None:
    seen = set()
    for seed in range(12):
        outcome = questrya("pick", "status:not_started", "--seed", str(seed), "--json")
        assert outcome.exit_code == 0, outcome.stderr
        game = outcome.json()
        assert game["status"] == "not_started"
        seen.add(game["title"])
    assert seen == {"Tunic", "Gris"}


@pytest.mark.usefixtures("shelf")
def test_the_same_seed_picks_the_same_game(questrya: Questrya) -> None:
    for seed in ("1", "7", "42"):
        first = questrya("pick", "--seed", seed, "status:completed")
        again = questrya("pick", "status:completed", "--seed", seed)
        assert first.exit_code == 0, first.stderr
        assert first.stdout == again.stdout
        assert first.stdout.rstrip().endswith("completed")


def test_pick_with_nothing_to_pick_is_not_found(questrya: Questrya) -> None:
    assert (
        questrya(
            "games", "add", "Hades", "-p", "pc", "--completed", str(date(2021, 1, 1))
        ).exit_code
        == 0
    )
    outcome = questrya("pick")
    assert outcome.exit_code == 3
    assert "no game to pick" in error_line(outcome)
