"""The speed of Questrya against its goals, measured side by side with their baselines.

    python benchmarks/run.py [--quick] [--only import] [--sizes 10000,100000] [--runs 10]
                             [--import-rows 100000] [--note TEXT]

With the project installed (`pip install -e ".[test]"`), this builds a library of each size
in a temporary data folder, Taskwarrior with 10,000 tasks when `task` is installed
(`apt-get install taskwarrior`), then runs every command of the goals and every baseline once
per round for the given number of rounds, so that whatever else the machine is doing weighs
on all of them alike. It prints a table of medians and ratios and writes it, with the
machine, to benchmarks/results.md (or --output). `--quick` is 3 rounds on 10,000 games only;
`--only import` measures the import alone (goal 7: a generated HowLongToBeat file imported
into an empty backlog, against sqlite3 inserting the same rows) in a few minutes, written to
benchmarks/results-import.md.
Not part of the test suite: timings belong to a machine.
"""

import argparse
import os
import shlex
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import goals
import library
import report
import taskwarrior
import timing
from goals import Line, Probe
from library import Library

TASKS = 10_000
HEAVY = ("sqlalchemy", "alembic", "httpx", "huey")  # what `--help` must never import
RESULTS = Path(__file__).with_name("results.md")
# Where a run of only some goals writes, so that it never replaces the whole table.
PARTIAL_RESULTS = Path(__file__).with_name("results-{only}.md")


def main() -> int:
    options = _options()
    try:
        text = _benchmark(options)
    except (timing.CommandFailed, RuntimeError, TimeoutError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    print(text)
    options.output.write_text(text, encoding="utf-8")
    _log(f"written to {options.output}")
    return 0


def _options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs on 10,000 games only")
    parser.add_argument("--sizes", type=_sizes, help="library sizes, the first one the base")
    parser.add_argument("--runs", type=_positive, help="rounds: runs of each command")
    parser.add_argument("--output", type=Path, help="the results file")
    parser.add_argument("--note", default="", help="a remark for the results file")
    parser.add_argument("--only", choices=["import"], help="measure only these goals")
    parser.add_argument(
        "--import-rows", type=_positive, default=goals.IMPORT_ROWS, help="rows of the import"
    )
    options = parser.parse_args()
    options.sizes = options.sizes or ([10_000] if options.quick else [10_000, 100_000])
    if options.only == "import":
        options.sizes = []
    if options.output is None:
        partial = Path(str(PARTIAL_RESULTS).format(only=options.only))
        options.output = partial if options.only else RESULTS
    options.runs = options.runs or (3 if options.quick else 10)
    if not Path(timing.QUESTRYA).exists():
        parser.error(f"no {timing.QUESTRYA}: install the project first (pip install -e .)")
    return options


def _positive(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _sizes(text: str) -> list[int]:
    sizes = [int(part) for part in text.split(",")]
    if any(size < 100 for size in sizes):
        raise argparse.ArgumentTypeError("each size must be at least 100 games")
    return sizes


def _benchmark(options: argparse.Namespace) -> str:
    started, clock = datetime.now(UTC), time.perf_counter()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="questrya-benchmark-") as scratch:
        folder = Path(scratch)
        _log(f"writing a HowLongToBeat file of {options.import_rows:,} games")
        imports = goals.imports(folder, options.import_rows)
        if options.only == "import":
            rows, checks, tasks = _measured(imports, options.runs, options.import_rows), [], None
        else:
            rows, checks, tasks = _everything(folder, options, imports)
    conditions = report.Conditions(
        started=started,
        command=shlex.join(["python", "benchmarks/run.py", *sys.argv[1:]]),
        sizes=options.sizes,
        import_rows=options.import_rows,
        runs=options.runs,
        seconds=time.perf_counter() - clock,
        load=(load, os.getloadavg()[0]),
        taskwarrior=f"Taskwarrior {tasks.version}" if tasks else "no Taskwarrior",
        note=options.note,
    )
    return report.document(conditions, report.table(rows), checks)


def _everything(
    folder: Path, options: argparse.Namespace, imports: Sequence[Line]
) -> tuple[list[list[str]], list[str], taskwarrior.Taskwarrior | None]:
    """Every goal: the table's rows, the checks beside them, and Taskwarrior if it ran."""
    libraries, built = _libraries(folder, options.sizes)
    _enough_games(libraries[0], options.runs)
    tasks = taskwarrior.build(folder / "taskwarrior", TASKS)
    pager_off, pager = _pager(libraries[0])
    lines = goals.plan(libraries, tasks, folder / "floor.db", pager_off)
    rows = _measured([*lines, *imports], options.runs, options.import_rows)
    rows += [report.memory_row(lib.size, _peak_memory(lib)) for lib in libraries]
    checks = [*_imports(libraries[0]), _completes(libraries[0]), *built, _taskwarrior(tasks)]
    checks.append(pager)
    if not timing.GNU_TIME.exists():
        checks.append("Peak memory needs GNU time: `apt-get install time`.")
    return rows, checks, tasks


def _measured(lines: Sequence[Line], runs: int, import_rows: int) -> list[list[str]]:
    """The table's row of each line, and the import's rows a second beside its ratio."""
    medians = _measure(lines, runs)
    rows = []
    for line in lines:
        rows.append(report.goal_row(line, medians))
        if line.goal == "7":
            rows.append(report.rate_row(line, medians, import_rows))
    return rows


def _libraries(folder: Path, sizes: Sequence[int]) -> tuple[list[Library], list[str]]:
    """A library of each size, and a line saying what each holds."""
    libraries, lines = [], []
    for size in sizes:
        _log(f"building {size:,} games")
        clock = time.perf_counter()
        built = library.build(folder / f"home-{size}", size)
        seconds = time.perf_counter() - clock
        held = ", ".join(
            f"{count:,} {table}" for table, count in library.counts(built.home).items()
        )
        lines.append(f"{size:,} games with {held}: built and checked in {seconds:.1f} s.")
        libraries.append(built)
    return libraries, lines


def _enough_games(built: Library, runs: int) -> None:
    """`games complete` finishes a game that is being played, a different one each run."""
    if runs > len(built.playing_ids):
        raise RuntimeError(f"at most {len(built.playing_ids):,} runs on {built.size:,} games")


def _measure(lines: Sequence[Line], runs: int) -> dict[Probe, float]:
    """The median time of every command of ``lines``, all of them run once per round."""
    probes = list(dict.fromkeys(p for line in lines for p in (line.probe, line.reference) if p))
    times: dict[Probe, list[float]] = {probe: [] for probe in probes}
    for run in range(runs):
        _log(f"round {run + 1} of {runs}: {len(probes)} commands")
        for probe in probes:
            times[probe].append(probe.time(run))
    return {probe: statistics.median(values) for probe, values in times.items()}


def _peak_memory(built: Library) -> float | None:
    _log(f"peak memory of games list --json on {built.size:,} games")
    return timing.peak_memory_mb(goals.LIST_JSON, built.env)


def _imports(built: Library) -> list[str]:
    """Whether the help loads any of the heavy packages it must not."""
    lines = []
    for arguments in (["--help"], ["games", "--help"]):
        command = shlex.join(["questrya", *arguments])
        heavy = sorted(timing.imported(arguments, built.env) & set(HEAVY))
        found = f"imports {', '.join(heavy)} (it must not)" if heavy else "imports none"
        lines.append(f"`{command}` {found} of {', '.join(HEAVY)}.")
    return lines


def _completes(built: Library) -> str:
    """What goal 8's completion gives: a completion that failed would be quick, and silent."""
    values = timing.output_of([timing.QUESTRYA], goals.completion_env(built)).splitlines()
    if not values:
        raise RuntimeError(f"`{goals.COMPLETED}<TAB>` completed nothing")
    return f"`{goals.COMPLETED}<TAB>` completes {len(values)} titles, the first `{values[0]}`."


def _pager(built: Library) -> tuple[list[str], str]:
    """The option that turns the pager off, when this version has one, and a line saying so."""
    shown = timing.output_of([timing.QUESTRYA, "games", "list", "--help"], built.env)
    if "--no-pager" in shown:
        return ["--no-pager"], "The terminal table runs with `--no-pager` and QUESTRYA_PAGER=cat."
    return [], (
        "The terminal table: this version of `games list` has no pager and no `--no-pager`;"
        " it runs with QUESTRYA_PAGER=cat set."
    )


def _taskwarrior(tasks: taskwarrior.Taskwarrior | None) -> str:
    if tasks is None:
        return (
            "Taskwarrior is not installed, so the lines against it have no ratio:"
            f" `{taskwarrior.INSTALL}` to measure them."
        )
    return (
        f"Taskwarrior {tasks.version} with {tasks.tasks:,} pending tasks, built by `task import`."
    )


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
