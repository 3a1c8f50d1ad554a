"""Taskwarrior holding N pending tasks, the reference for the read commands' speed.

Its data is built in a temporary TASKRC/TASKDATA by one `task import` of a generated JSON
file. Taskwarrior 2.6 is a compiled program that reads its whole pending list on every
command: what a fast command-line tool on a list of that size costs.
"""

import json
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import timing
import titles

INSTALL = "apt-get install taskwarrior"
PROJECTS = ("backlog.pc", "backlog.switch", "backlog.ps5", "home", "work", "reading")
TAGS = ("coop", "short", "next", "weekend", "gift")


@dataclass(frozen=True)
class Taskwarrior:
    tasks: int
    version: str
    env: dict[str, str]


def build(folder: Path, count: int) -> Taskwarrior | None:
    """Taskwarrior with ``count`` pending tasks under ``folder``; None when `task` is missing."""
    if not timing.installed("task"):
        return None
    data = folder / "data"
    data.mkdir(parents=True)
    rc = folder / "taskrc"
    rc.write_text(f"data.location={data}\nconfirmation=off\nnews.version=2.6.0\n")
    env = timing.environment(TASKRC=str(rc), TASKDATA=str(data))
    tasks = folder / "tasks.json"
    tasks.write_text(json.dumps(list(_tasks(count))), encoding="utf-8")
    timing.output_of(["task", "rc.verbose=nothing", "import", str(tasks)], env)
    version = timing.output_of(["task", "--version"], env).strip()
    return Taskwarrior(count, version, env)


def _tasks(count: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(26)
    now = datetime.now(UTC)
    for _ in range(count):
        entry = now - timedelta(days=3 * 365) * rng.random()
        task: dict[str, Any] = {
            "uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "status": "pending",
            "description": f"Play {titles.title(rng)}",
            "entry": _stamp(entry),
            "project": rng.choice(PROJECTS),
        }
        if rng.random() < 0.4:
            task["tags"] = rng.sample(TAGS, rng.randint(1, 2))
        if rng.random() < 0.2:
            task["due"] = _stamp(now + timedelta(days=rng.randint(-30, 120)))
        if rng.random() < 0.3:
            task["priority"] = rng.choice("HML")
        yield task


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")
