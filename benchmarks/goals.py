"""Every line of the speed goals: the command measured, what it is compared with, and the
ratio allowed. The goals:

1. `games list --json --limit 50`, `games show ID --json`, `games list status:playing --ids`,
   `games history ID --json`, `stats`, `next`: each ≤ 1.0 x `task list limit:50` on 10,000
   tasks.
2. `games list --json` of all the games, `--jsonl`, `--csv`, `--ids`: ≤ 1.0 x `task list`.
3. The table of all the games on a terminal, pager off: ≤ 1.5 x `task list` on a terminal.
4. `--help` and `games --help`: ≤ 8 x `python -c pass`.
5. `games add --no-fetch`, `games complete`, `games rate`: ≤ 1.15 x one ORM write.
6. At every larger size, each read of 1-3 ≤ 1.2 x the same read at the first size; the peak
   memory of `games list --json`, ≤ 80 MB, is measured apart.
"""

import shlex
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import timing
from library import Library
from taskwarrior import Taskwarrior

FLOOR_SCRIPT = Path(__file__).with_name("orm_write_floor.py")
LIST_JSON = [timing.QUESTRYA, "games", "list", "--json"]  # whose peak memory goal 6 limits
PEAK_MEMORY_MB = 80.0
SCALE = 1.2


@dataclass(frozen=True, eq=False)
class Probe:
    """One command to time. Its words may differ from run to run: a write needs a new target."""

    label: str
    words: Callable[[int], list[str]]
    env: Mapping[str, str]
    terminal: bool = False

    @classmethod
    def fixed(
        cls, label: str, words: list[str], env: Mapping[str, str], *, terminal: bool = False
    ) -> "Probe":
        return cls(label, lambda _: words, env, terminal)

    def time(self, run: int) -> float:
        measure = timing.terminal if self.terminal else timing.piped
        return measure(self.words(run), self.env)


@dataclass(frozen=True)
class Line:
    """One goal line: ``probe`` ≤ ``target`` x ``reference``, which is None when it cannot be
    measured on this machine (``baseline`` still names it)."""

    goal: str
    probe: Probe
    baseline: str
    reference: Probe | None
    target: float


def plan(
    libraries: Sequence[Library],
    tasks: Taskwarrior | None,
    floor_database: Path,
    pager_off: Sequence[str],
) -> list[Line]:
    """Every goal line, goals 1-5 on the first library."""
    base, *larger = libraries
    reads = _reads(base, pager_off)
    references = _taskwarrior(tasks)
    lines = [Line(goal, probe, *references[goal]) for goal, probe in reads]
    lines += _help(base) + _writes(base, floor_database)
    for library in larger:
        same = f"same at {base.size:,}"
        for (_, probe), (_, reference) in zip(_reads(library, pager_off), reads, strict=True):
            lines.append(Line("6", probe, same, reference, SCALE))
    return lines


def _reads(library: Library, pager_off: Sequence[str]) -> list[tuple[str, Probe]]:
    """The reads of goals 1-3 (and 6) on ``library``, with their goal."""
    sample = str(library.sample_id)
    by_id = {"show": "games show ID --json", "history": "games history ID --json"}
    return [
        ("1", _questrya(library, "games list --json --limit 50")),
        ("1", _questrya(library, f"games show {sample} --json", by_id["show"])),
        ("1", _questrya(library, "games list status:playing --ids")),
        ("1", _questrya(library, f"games history {sample} --json", by_id["history"])),
        ("1", _questrya(library, "stats")),
        ("1", _questrya(library, "next")),
        ("2", _questrya(library, "games list --json")),
        ("2", _questrya(library, "games list --jsonl")),
        ("2", _questrya(library, "games list --csv")),
        ("2", _questrya(library, "games list --ids")),
        ("3", _table(library, pager_off)),
    ]


def _questrya(library: Library, command: str, shown: str | None = None) -> Probe:
    label = f"{shown or command} · {library.size:,} games"
    return Probe.fixed(label, [timing.QUESTRYA, *command.split()], library.env)


def _table(library: Library, pager_off: Sequence[str]) -> Probe:
    """`games list` on a terminal, as a player sees it, with no pager to wait on."""
    env = {**timing.on_terminal(library.env), "QUESTRYA_PAGER": "cat"}
    words = [timing.QUESTRYA, "games", "list", *pager_off]
    label = f"games list on a terminal (table) · {library.size:,} games"
    return Probe.fixed(label, words, env, terminal=True)


def _taskwarrior(tasks: Taskwarrior | None) -> dict[str, tuple[str, Probe | None, float]]:
    """The reference of each of goals 1-3 and the ratio it allows."""

    def task(label: str, *words: str, terminal: bool = False) -> tuple[str, Probe | None]:
        if tasks is None:
            return label, None
        label = f"{label} · {tasks.tasks:,} tasks"
        env = timing.on_terminal(tasks.env) if terminal else tasks.env
        return label, Probe.fixed(label, ["task", *words], env, terminal=terminal)

    return {
        "1": (*task("task list limit:50", "list", "limit:50"), 1.0),
        "2": (*task("task list", "list"), 1.0),
        "3": (*task("task list on a terminal", "list", terminal=True), 1.5),
    }


def _help(library: Library) -> list[Line]:
    """The help, which opens no library, against a Python that starts and does nothing."""
    python = Probe.fixed("python -c pass", [sys.executable, "-c", "pass"], library.env)
    helps = (["--help"], ["games", "--help"])
    probes = [
        Probe.fixed(shlex.join(["questrya", *words]), [timing.QUESTRYA, *words], library.env)
        for words in helps
    ]
    return [Line("4", probe, python.label, python, 8.0) for probe in probes]


def _writes(library: Library, floor_database: Path) -> list[Line]:
    """The write commands, each run on a new target, against the one-ORM-write floor."""
    floor_words = [sys.executable, str(FLOOR_SCRIPT), str(floor_database)]
    floor = Probe.fixed("one ORM write (orm_write_floor.py)", floor_words, library.env)
    playing, rated = library.playing_ids, str(library.rate_id)
    writes: dict[str, Callable[[int], list[str]]] = {
        "games add TITLE -p pc --no-fetch": lambda run: [
            "games", "add", f"Benchmark Addition {run}", "-p", "pc", "--no-fetch"
        ],
        "games complete ID": lambda run: ["games", "complete", str(playing[run])],
        "games rate ID N": lambda run: ["games", "rate", rated, str(run % 10 + 1)],
    }  # fmt: skip
    return [
        Line("5", _write(library, label, words), floor.label, floor, 1.15)
        for label, words in writes.items()
    ]


def _write(library: Library, label: str, words: Callable[[int], list[str]]) -> Probe:
    return Probe(
        f"{label} · {library.size:,} games",
        lambda run: [timing.QUESTRYA, *words(run)],
        library.env,
    )
