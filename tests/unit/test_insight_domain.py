"""The forecast in words, the months a chart shows, medians and the digest's text."""

from datetime import date

import pytest

from questrya.insight.domain import (
    Digest,
    DigestGame,
    NextWeights,
    Pace,
    ScoreMove,
    duration,
    forecast_lines,
    last_months,
    median,
    week_of,
)


@pytest.mark.parametrize(
    ("months", "said"),
    [
        (68, "5 years 8 months"),
        (12, "1 year"),
        (1, "1 month"),
        (0, "0 months"),
        (25, "2 years 1 month"),
    ],
)
def test_a_duration_in_years_and_months(months: int, said: str) -> None:
    assert duration(months) == said


def test_the_forecast_of_the_issue() -> None:
    # 25 completions in 12 months: 2.08 a month; 143 games take 68.6, so 69 months
    assert forecast_lines(Pace(left=143, done=25), None, 0) == [
        "At 2.1 games a month, 143 games take 5 years 9 months."
    ]


def test_the_forecast_in_hours_names_the_games_with_a_length() -> None:
    lines = forecast_lines(Pace(left=143, done=24), Pace(left=1234, done=240), 40)
    assert lines == [
        "At 2.0 games a month, 143 games take 6 years.",
        "At 20.0 hours a month, the 40 with a typical length need 1,234 hours: 5 years 2 months.",
    ]
    unpaced = forecast_lines(Pace(left=143, done=24), Pace(left=1234, done=0), 40)
    assert unpaced[1] == "In hours, the 40 with a typical length need 1,234 hours."


def test_without_completions_there_is_no_pace() -> None:
    assert forecast_lines(Pace(left=3, done=0), None, 0) == [
        "Nothing completed in the last 12 months: no pace to forecast how long 3 games take."
    ]
    assert Pace(left=3, done=0).months_left is None


def test_the_last_twelve_months_cross_the_year() -> None:
    months = last_months(date(2026, 2, 28))
    assert (months[0], months[-1], len(months)) == (date(2025, 3, 1), date(2026, 2, 1), 12)


def test_median_of_counted_values() -> None:
    assert median({2: 1, 7: 1, 10: 1, 27: 1}) == 8.5
    assert median({3: 5, 100: 1}) == 3.0
    assert median({}) is None


def test_weights_must_name_every_term() -> None:
    with pytest.raises(ValueError, match="every term"):
        NextWeights({"rating": 1.0})


def test_a_calendar_week_runs_from_monday_to_sunday() -> None:
    monday, sunday = date(2025, 12, 29), date(2026, 1, 4)
    assert week_of(date(2026, 1, 1)) == (monday, sunday)
    assert week_of(monday) == week_of(sunday) == (monday, sunday)


def test_the_digest_text_and_its_week() -> None:
    digest = Digest(
        profile="alice",
        first_day=date(2026, 6, 8),
        last_day=date(2026, 6, 14),
        completed=[DigestGame("Hades", "PC")],
        next_up=[DigestGame("Tunic", "PC"), DigestGame("Gris", "Switch")],
        moves=[ScoreMove("Gris", "Switch", 80.0, 86.4)],
    )
    assert digest.week == "2026-W24"
    assert digest.subject() == "Your Questrya week, 08 Jun to 14 Jun 2026"
    assert digest.text() == (
        "alice's week: 2026-06-08 to 2026-06-14\n\n"
        "Completed:\n  - Hades [PC]\n\n"
        "Started:\n  (none)\n\n"
        "Added:\n  (none)\n\n"
        "Up next:\n  - Tunic [PC]\n  - Gris [Switch]\n\n"
        "User scores that moved 5 points or more:\n  - Gris [Switch]: 80% → 86%\n"
    )
