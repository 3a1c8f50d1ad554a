"""The table of goal lines, and the results file: when, where and how it was measured."""

import os
import platform
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import timing
from goals import IMPORT_RATE, PEAK_MEMORY_MB, Line, Probe

HEADER = ("goal", "command", "median ms", "baseline", "baseline ms", "ratio", "target", "result")
NONE = "-"


@dataclass(frozen=True)
class Conditions:
    """How one benchmark run went, for the head of the results file."""

    started: datetime
    command: str
    sizes: Sequence[int]  # of the libraries read; none when only the import ran
    import_rows: int
    runs: int
    seconds: float
    load: tuple[float, float]  # the one-minute load average at the start and at the end
    taskwarrior: str
    note: str


def goal_row(line: Line, medians: Mapping[Probe, float]) -> list[str]:
    measured = medians[line.probe]
    reference = medians[line.reference] if line.reference else None
    ratio = measured / reference if reference else None
    return [
        line.goal,
        line.probe.label,
        _ms(measured),
        line.baseline,
        _ms(reference) if reference else "not measured",
        f"{ratio:.2f}" if ratio else NONE,
        f"≤ {line.target}x",
        _verdict(ratio, line.target),
    ]


def memory_row(size: int, megabytes: float | None) -> list[str]:
    return [
        "6",
        f"games list --json · {size:,} games: peak memory",
        f"{megabytes:,.0f} MB" if megabytes else "not measured",
        NONE,
        NONE,
        NONE,
        f"≤ {PEAK_MEMORY_MB:.0f} MB",
        _verdict(megabytes, PEAK_MEMORY_MB),
    ]


def rate_row(line: Line, medians: Mapping[Probe, float], rows: int) -> list[str]:
    """Goal 7's speed: the rows a second an import took, and the raw floor's."""
    rate = rows / medians[line.probe]
    floor = rows / medians[line.reference] if line.reference else None
    return [
        line.goal,
        f"{line.probe.label}: rows a second",
        f"{rate:,.0f}",
        f"{line.baseline}: rows a second",
        f"{floor:,.0f}" if floor else "not measured",
        f"{rate / floor:.2f}" if floor else NONE,
        f"≥ {IMPORT_RATE:,}",
        "pass" if rate >= IMPORT_RATE else "miss",
    ]


def table(rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table whose columns line up in a terminal too."""
    widths = [max(len(row[column]) for row in (HEADER, *rows)) for column in range(len(HEADER))]

    def line(cells: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            + " |"
        )

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(HEADER), rule, *(line(row) for row in rows)])


def document(run: Conditions, measured: str, checks: Sequence[str]) -> str:
    sizes = " and ".join(f"{size:,}" for size in run.sizes)
    what = [f"libraries of {sizes} games"] if run.sizes else []
    what += [f"an import of {run.import_rows:,} HowLongToBeat rows"]
    first, last = run.load
    lines = [
        "# Benchmark results",
        "",
        f"`{run.command}` on {run.started:%Y-%m-%d %H:%M} UTC: {' and '.join(what)};"
        f" {run.runs} rounds, each running every command once; the medians of their wall"
        f" times. The whole benchmark took {_duration(run.seconds)}.",
        "",
        *(f"- {fact}" for fact in _machine(run.taskwarrior)),
        f"- Load average (1 min): {first:.2f} at the start, {last:.2f} at the end.",
        *([f"- Note: {run.note}"] if run.note else []),
        "",
        measured,
        "",
        *(f"- {check}" for check in checks),
        "",
    ]
    return "\n".join(lines)


def _machine(taskwarrior: str) -> list[str]:
    uname = timing.output_of(["uname", "-a"], timing.environment()).strip()
    return [
        f"Machine: `{uname}`, {os.cpu_count()} CPUs.",
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {taskwarrior}.",
    ]


def _duration(seconds: float) -> str:
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def _verdict(value: float | None, limit: float) -> str:
    if value is None:
        return NONE
    return "pass" if value <= limit else "miss"
