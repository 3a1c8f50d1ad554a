"""What a player sees on terminals 60, 80 and 120 columns wide, kept in golden files
(tests/e2e/golden/; QUESTRYA_UPDATE_GOLDEN=1 writes them anew): `games list`, `games show`,
`games match` and `config show`. Whatever the width, no line is wider than the terminal, and
a status, an id or a provider id is never cut."""

import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from questrya.metadata.domain import Candidate
from tests.conftest import run_installed
from tests.e2e.terminal import run_on_terminal
from tests.e2e.test_metadata_cli import Worker

GOLDEN = Path(__file__).with_name("golden")
WIDTHS = (60, 80, 120)
STATUSES = ("not_started", "playing", "on_hold", "completed", "abandoned")
# Every home has a path of this length, so that the tables laid out around it are the same.
HOME_SHOWN = "/tmp/questrya-golden-XXXXXXXX"
LOCAL_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d [+-]\d{4}")


@pytest.fixture(scope="module")
def library() -> Iterator[Path]:
    """A backlog with long and short titles, a wishlist game, ratings, tags, a long platform
    name and an ambiguous game with its candidates kept."""
    home = Path(tempfile.mkdtemp(prefix="questrya-golden-", dir="/tmp"))
    assert len(str(home)) == len(HOME_SHOWN)
    for args in [
        ("Hades", "-p", "pc", "--tag", "roguelike", "--tag", "coop"),
        ("The Legend of Zelda: Tears of the Kingdom", "-p", "switch", "--tag", "open-world"),
        ("Celeste", "-p", "switch", "--completed", "2024-03-01"),
        ("Silksong", "-p", "switch", "--wishlist"),
        ("Forza Horizon 5", "-p", "xbox series x"),
        ("Disco Elysium - The Final Cut", "-p", "pc", "--started", "2024-05-01"),
    ]:
        run(home, "games", "add", *args, "--no-fetch")
    run(home, "games", "rate", "celeste", "9")
    run(home, "games", "hold", "disco")
    ambiguous = json.loads(run(home, "games", "add", "Dead Space", "-p", "pc", "--json"))["id"]
    worker = Worker(home)
    worker.provider.results["Dead Space"] = [
        Candidate("steam", "2143250", "Dead Space Deluxe Edition with a Very Long Name"),
        Candidate("steam", "1889960", "Dead Space (2008)"),
        Candidate("steam", "3184980", "Dead Space Remake Digital Artbook and Soundtrack"),
    ]
    assert worker.fetch(ambiguous) == "ambiguous"
    worker.close()
    yield home
    shutil.rmtree(home)


def run(home: Path, *args: str) -> str:
    done = run_installed(args, home)
    assert done.returncode == 0, done.stderr
    return done.stdout


COMMANDS = {
    "list": ["games", "list", "--no-pager"],
    "show": ["games", "show", "zelda"],
    "match": ["games", "match", "dead space"],
    "config": ["config", "show"],
}


def shown(home: Path, args: list[str], width: int) -> str:
    code, text = run_on_terminal(
        args, home, COLUMNS=str(width), LINES="100", NO_COLOR="1", TZ="UTC"
    )
    assert code == 0, text
    text = text.replace("\r\n", "\n").replace(str(home), HOME_SHOWN)
    return LOCAL_TIME.sub("YYYY-MM-DD hh:mm +hhmm", text)


@pytest.mark.slow
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("command", COMMANDS)
def test_what_a_terminal_of_each_width_shows(library: Path, command: str, width: int) -> None:
    text = shown(library, COMMANDS[command], width)
    golden = GOLDEN / f"{command}-{width}.txt"
    if os.environ.get("QUESTRYA_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")

    assert text == golden.read_text(encoding="utf-8")
    assert all(len(line) <= width for line in text.splitlines()), text
    words = text.split()
    if command in ("list", "show"):
        assert {word for word in words if word.startswith(("not_", "on_"))} <= set(STATUSES)
    if command == "match":
        kept = json.loads(run(library, "games", "match", "dead space", "--json"))
        assert len(kept) >= 2
        assert all(f"steam:{c['provider_id']}" in words for c in kept), text


@pytest.mark.slow
def test_a_column_empty_in_every_row_is_left_out(tmp_path: Path) -> None:
    run(tmp_path, "games", "add", "Tunic", "-p", "pc", "--no-fetch")

    header = shown(tmp_path, ["games", "list"], 80).splitlines()[0]

    assert header.split() == ["ID", "Title", "Platform", "Status"]
