"""A HowLongToBeat export of N games, as the site writes one: its 33 columns (the header of
the real sample in tests/fixtures/imports), made-up but plausible titles and platforms
(titles.py), the lists a backlog is spread over, dates, reviews, times and notes.

    python benchmarks/hltb_file.py FILE [ROWS]
"""

import csv
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import titles

from questrya.common.text import fold
from questrya.common.value_objects import Platform

SAMPLE = Path(__file__).parents[1] / "tests" / "fixtures" / "imports"
HEADER = next(csv.reader((SAMPLE / "import_hltb_export_sample.csv").open(encoding="utf-8")))
# The list each game is on, with how often: most of a backlog waits.
LISTS = (("Backlog", 50), ("Playing", 8), ("Completed", 28), ("Retired", 10), ("Replay", 4))
NOTES = ("", "", "", "Borrowed from a friend.", 'Stuck on the "second" boss, again.',
         "Play with the DLC,\nafter the main story.", "Platinum next?")  # fmt: skip
EARLIEST = date(2012, 1, 1)


def rows(count: int, seed: int = 1) -> Iterator[dict[str, str]]:
    """``count`` games, each title once on its platform, as the program compares them (a
    title seen again gets a number): every row of the file adds a game."""
    rng = random.Random(seed)
    seen: set[tuple[str, str]] = set()
    for _ in range(count):
        title, platform = titles.title(rng), titles.platform(rng)
        base, number = title, 2
        while (fold(title), Platform(platform).key) in seen:
            title, number = f"{base} {number}", number + 1
        seen.add((fold(title), Platform(platform).key))
        yield _row(rng, title, platform)


def _row(rng: random.Random, title: str, platform: str) -> dict[str, str]:
    on = rng.choices([name for name, _ in LISTS], [weight for _, weight in LISTS])[0]
    row = dict.fromkeys(HEADER, "")
    row.update({"Title": title, "Platform": platform, on: "X", "Playthrough": "First-Play"})
    for name in ("Progress", "Main Story", "Main + Extras", "Completionist", "Speed Any%",
                 "Speed 100%", "Co-Op", "Multi-Player"):  # fmt: skip
        row[name] = "--"
    started = EARLIEST + timedelta(days=rng.randrange(4000))
    if on != "Backlog":
        row["Start Date"] = started.isoformat()
        row["Progress"] = _time(rng, 60)
    if on == "Completed":
        row["Completion Date"] = (started + timedelta(days=rng.randrange(200))).isoformat()
        row[rng.choice(("Main Story", "Main + Extras", "Completionist"))] = _time(rng, 120)
    if on == "Retired":
        row["Retired Notes"] = "Lost interest."
    if rng.random() < 0.4:
        row["Review"] = str(rng.randrange(10, 101))
    if rng.random() < 0.2:
        row["Custom-1"] = "X"
    row["General Notes"] = rng.choice(NOTES)
    row["Added"] = row["Updated"] = f"{started.isoformat()} 15:54:48"
    return row


def _time(rng: random.Random, hours: int) -> str:
    minutes = rng.randrange(1, hours * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}:{rng.randrange(60):02d}"


def write(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, HEADER, quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows(count))


if __name__ == "__main__":
    write(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000)
