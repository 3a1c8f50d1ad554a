"""Start-up and listing times of the installed command, as a player feels them.

    python benchmarks/bench_cli.py [--games N] [--runs N]

Prints the median and best wall time of `questrya --help`, `questrya games list` and
`games list --json` on a backlog of N games, and the modules `--help` imports that it must
not (SQLAlchemy, Alembic, httpx, Huey). Not part of the test suite: timings vary by machine.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTRYA = shutil.which("questrya") or str(Path(sys.executable).with_name("questrya"))
HEAVY = ("sqlalchemy", "alembic", "httpx", "huey")


def run(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([QUESTRYA, *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def measure(label: str, args: list[str], env: dict[str, str], runs: int) -> None:
    times = [run(args, env) for _ in range(runs)]
    print(f"{label:<28} median {statistics.median(times):.3f} s   best {min(times):.3f} s")


def heavy_imports_of_help(env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "questrya", "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    names = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    return sorted(name for name in names if name.split(".")[0] in HEAVY)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--games", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QUESTRYA_HOME": home, "QUESTRYA_AUTO_FETCH": "false"}
        _bulk_add(env, options.games)
        measure("questrya --help", ["--help"], env, options.runs)
        measure("questrya games --help", ["games", "--help"], env, options.runs)
        measure(f"games list ({options.games} games)", ["games", "list"], env, options.runs)
        measure("games list --json", ["games", "list", "--json"], env, options.runs)
        measure("games list status:playing", ["games", "list", "status:playing"], env, options.runs)
        measure("games add", ["games", "add", f"Bench {time.time()}", "-p", "pc"], env, 1)
        print("heavy modules imported by --help:", heavy_imports_of_help(env) or "none")


def _bulk_add(env: dict[str, str], count: int) -> None:
    """The rest of the backlog through the library, in one process: seeding is not measured."""
    code = (
        "import sys\n"
        "from questrya.factory import Container\n"
        "from questrya.games.service import GameService\n"
        "games = Container().build(GameService)\n"
        "for n in range(int(sys.argv[1])):\n"
        "    games.add(f'Game {n:05d}', 'pc', tags=[f't{n % 7}'], fetch_metadata=False)\n"
    )
    subprocess.run([sys.executable, "-c", code, str(count)], env=env, check=True)


if __name__ == "__main__":
    main()
