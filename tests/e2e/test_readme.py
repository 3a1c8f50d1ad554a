"""The README's tour runs top to bottom on a new data folder, as a reader would type it."""

import re
import shlex
from pathlib import Path

from tests.conftest import Questrya

README = Path(__file__).parents[2] / "README.md"


def tour() -> list[list[str]]:
    """The `questrya …` lines of the code block under "A short tour", as argument lists."""
    section = README.read_text(encoding="utf-8").split("## A short tour", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block is not None
    lines = [shlex.split(line, comments=True) for line in block[1].splitlines()]
    return [words[1:] for words in lines if words and words[0] == "questrya"]


def test_the_readme_tour_runs_top_to_bottom(questrya: Questrya) -> None:
    steps = tour()
    assert len(steps) > 10
    for args in steps:
        outcome = questrya(*args)
        assert outcome.exit_code == 0, (args, outcome.stderr)
