"""The README's examples run top to bottom on a new data folder, as a reader would type them."""

import re
import shlex
from pathlib import Path

import pytest

from tests.conftest import Questrya
from tests.e2e.test_help import parsed

README = Path(__file__).parents[2] / "README.md"


def block(heading: str) -> list[list[str]]:
    """The `questrya …` lines of the first code block under ``heading``, as argument lists."""
    section = README.read_text(encoding="utf-8").split(heading, 1)[1]
    found = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert found is not None
    lines = [shlex.split(line, comments=True) for line in found[1].splitlines()]
    return [words[1:] for words in lines if words and words[0] == "questrya"]


@pytest.mark.parametrize(("heading", "steps"), [("## A short tour", 10), ("### Dates", 5)])
def test_a_readme_example_runs_top_to_bottom(questrya: Questrya, heading: str, steps: int) -> None:
    lines = block(heading)
    assert len(lines) > steps
    for args in lines:
        outcome = questrya(*args)
        assert outcome.exit_code == 0, (args, outcome.stderr)


def test_the_importing_examples_are_command_lines_the_program_takes() -> None:
    lines = block("## Importing")

    assert [parsed(args) for args in lines] == [
        *[["games", "import"]] * 4,
        *[["games", "export"]] * 2,
        ["undo"],
    ]
