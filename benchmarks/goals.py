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
7. `games import FILE --no-fetch` of a HowLongToBeat export of 100,000 games into an empty
   backlog: ≥ 20,000 rows a second, and ≤ 5 x (at least 0.2 x the speed of) a raw sqlite3
   executemany of the same rows into the same tables (import_floor.py), both end to end.
8. Completing a REF, `games show Ab<TAB>` through bash's protocol: ≤ 1.0 x `task list
   limit:50` on 10,000 tasks.
"""

import shlex
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import hltb_file
import timing
from library import Library, empty
from taskwarrior import Taskwarrior

FLOOR_SCRIPT = Path(__file__).with_name("orm_write_floor.py")
IMPORT_FLOOR = Path(__file__).with_name("import_floor.py")
IMPORT_ROWS = 100_000
IMPORT_RATE = 20_000  # rows a second, goal 7
IMPORT_SLOWER = 5.0  # at least 0.2 x the raw speed
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
    prepare: Callable[[], None] | None = None  # before each run, not timed

    @classmethod
    def fixed(
        cls, label: str, words: list[str], env: Mapping[str, str], *, terminal: bool = False
    ) -> "Probe":
        return cls(label, lambda _: words, env, terminal)

    def time(self, run: int) -> float:
        if self.prepare is not None:
            self.prepare()
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
    lines.append(Line("8", _completion(base), *references["1"]))
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


COMPLETED = "questrya games show Ab"  # the line of goal 8, completed by bash's protocol


def completion_env(library: Library) -> dict[str, str]:
    """The environment bash runs `questrya` in when the player presses Tab after COMPLETED."""
    return {
        **library.env,
        "_QUESTRYA_COMPLETE": "complete_bash",
        "COMP_WORDS": COMPLETED,
        "COMP_CWORD": str(len(COMPLETED.split()) - 1),
    }


def _completion(library: Library) -> Probe:
    label = f"{COMPLETED}<TAB> (bash's protocol) · {library.size:,} games"
    return Probe.fixed(label, [timing.QUESTRYA], completion_env(library))


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


def imports(folder: Path, rows: int = IMPORT_ROWS) -> list[Line]:
    """Goal 7: an import of a generated HowLongToBeat file of ``rows`` games, each run into
    an empty backlog made anew, against the raw floor's insert of the same rows."""
    path = folder / "hltb.csv"
    hltb_file.write(path, rows)
    ours, floor = folder / "import-home", folder / "floor-home"
    env = timing.environment(QUESTRYA_HOME=str(ours))
    words = [timing.QUESTRYA, "games", "import", str(path), "--no-fetch"]
    probe = Probe(
        f"games import FILE --no-fetch · {rows:,} HowLongToBeat rows",
        lambda _: words,
        env,
        prepare=lambda: empty(ours),
    )
    floor_words = [sys.executable, str(IMPORT_FLOOR), str(floor / "questrya.db"), str(path)]
    reference = Probe(
        "the same rows by sqlite3 (import_floor.py)",
        lambda _: floor_words,
        timing.environment(QUESTRYA_HOME=str(floor)),
        prepare=lambda: empty(floor),
    )
    return [Line("7", probe, reference.label, reference, IMPORT_SLOWER)]
