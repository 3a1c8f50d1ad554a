"""`questrya stats` drawn with rich: tables and bar charts on a terminal; piped, the same
figures as plain text, with no box drawing and bars of '#'."""

import io
from collections.abc import Iterable, Sequence

from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from questrya.insight.schemas import StatsOut

BAR_WIDTH = 30  # the cells of the longest bar


def stats_text(
    stats: StatsOut, forecast: Sequence[str], *, terminal: bool, colour: bool, width: int
) -> str:
    """The figures drawn as text ``width`` columns wide: for a terminal, styled with ANSI
    codes only in ``colour``; or plain."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=terminal,
        color_system="standard" if terminal and colour else None,  # None: no ANSI code at all
        width=width,
        highlight=False,
    )
    draw_stats(console, stats, forecast)
    return buffer.getvalue().rstrip("\n")


def draw_stats(console: Console, stats: StatsOut, forecast: Sequence[str]) -> None:
    """Every figure of ``stats`` on ``console``, as charts when it is a terminal."""
    plain = not console.is_terminal
    games = stats["games"]
    rate = stats["completion_rate"]
    completed = stats["by_status"]["completed"]
    shown_rate = f" ({rate:.1%})" if rate is not None else ""
    console.print(f"{games} games, {completed} completed{shown_rate}", highlight=False)
    sections: list[tuple[str, Text | Table]] = [
        ("By status", _bars(stats["by_status"].items(), plain)),
        ("By platform", _bars(stats["by_platform"].items(), plain)),
        ("Ratings", _bars(stats["ratings"].items(), plain)),
        (
            "Completed per month",
            _bars(((m["month"], m["completed"]) for m in stats["months"]), plain),
        ),
        (
            "Completed per year",
            _bars(((str(y["year"]), y["completed"]) for y in stats["years"]), plain),
        ),
        ("Added and completed per month", _growth(stats, plain)),
    ]
    for title, table in sections:
        console.print()
        console.print(Group(Text(title, style="bold"), table))
    console.print()
    console.print(Text("Time in the backlog", style="bold"))
    console.print(_medians(stats), highlight=False)
    console.print()
    console.print(Text("Forecast", style="bold"))
    for line in forecast:
        console.print(line, highlight=False)


def _bars(counts: Iterable[tuple[str, int]], plain: bool) -> Text:
    """A bar a label, scaled to the largest count, the count beside it: one line each."""
    rows = list(counts)
    largest = max((count for _, count in rows), default=0)
    label_width = max((len(label) for label, _ in rows), default=0)
    count_width = max((len(str(count)) for _, count in rows), default=0)
    chart = Text()
    for number, (label, count) in enumerate(rows):
        if number:
            chart.append("\n")
        bar = _bar(count, largest, plain)
        chart.append(f"{label.ljust(label_width)}  ")
        chart.append(bar.ljust(BAR_WIDTH), style="cyan")
        chart.append(f"  {str(count).rjust(count_width)}")
    return chart


def _bar(count: int, largest: int, plain: bool) -> str:
    cells = round(BAR_WIDTH * count / largest) if largest else 0
    if count and not cells:
        cells = 1  # a count, however small, shows
    return ("#" if plain else "█") * cells


def _growth(stats: StatsOut, plain: bool) -> Table:
    """Added against completed each month: is the backlog growing?"""
    table = Table(
        box=None if plain else box.SIMPLE, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0)
    )
    table.add_column("month", no_wrap=True)
    for column in ("added", "completed", "growth"):
        table.add_column(column, justify="right", no_wrap=True)
    for month in stats["months"]:
        growth = month["added"] - month["completed"]
        table.add_row(month["month"], str(month["added"]), str(month["completed"]), f"{growth:+d}")
    completed = stats["added_last_12_months"] - stats["backlog_growth"]
    table.add_row(
        "12 months",
        str(stats["added_last_12_months"]),
        str(completed),
        f"{stats['backlog_growth']:+d}",
        style="bold",
    )
    return table


def _medians(stats: StatsOut) -> str:
    to_start, to_complete = stats["median_days_to_start"], stats["median_days_to_complete"]
    return "\n".join(
        [
            f"Added to started: {_days(to_start)} (median)",
            f"Started to completed: {_days(to_complete)} (median)",
        ]
    )


def _days(days: float | None) -> str:
    if days is None:
        return "no game yet"
    shown = f"{days:g}"
    return f"{shown} day" if days == 1 else f"{shown} days"
