"""Help on every command, in plain words, and the options of the query commands (PRODUCT §4)."""

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup

from questrya.cli import app
from tests.conftest import Questrya

PYTHON_IN_HELP = re.compile(r"[{}<>]|list\[|\bx[<>]=|\bstr\b|\bint\b|\bfloat\b")


def command_paths() -> Iterator[list[str]]:
    """Every group and command, as the words that name it: [], ["games"], ["games", "add"]…"""
    for path, _ in walk():
        yield path


def commands() -> Iterator[tuple[list[str], typer.core.TyperCommand]]:
    for path, command in walk():
        if not isinstance(command, TyperGroup):
            yield path, command


def walk() -> Iterator[tuple[list[str], typer.core.TyperCommand | TyperGroup]]:
    """Every group and command with its path, found as help and completion find them (a
    group imports its commands' modules when asked for them)."""
    todo: list[tuple[list[str], typer.core.TyperCommand | TyperGroup]] = [
        ([], typer.main.get_command(app))
    ]
    while todo:
        path, command = todo.pop()
        yield path, command
        if isinstance(command, TyperGroup):
            context = typer.Context(command)
            todo.extend(
                ([*path, name], command.get_command(context, name))
                for name in command.list_commands(context)
            )


PATHS = sorted(command_paths())


@pytest.mark.parametrize("path", PATHS, ids=[" ".join(path) or "root" for path in PATHS])
def test_dash_h_is_help_on_every_command(questrya: Questrya, path: list[str]) -> None:
    outcome = questrya(*path, "-h")
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.startswith("Usage: questrya")
    assert PYTHON_IN_HELP.findall(outcome.stdout) == []


def test_games_list_dash_h_is_help_not_a_query(questrya: Questrya) -> None:
    assert questrya("games", "add", "Celeste", "-p", "pc", "--no-fetch").exit_code == 0
    outcome = questrya("games", "list", "-h")
    assert outcome.exit_code == 0
    assert "Usage: questrya games list" in outcome.stdout
    assert "Celeste" not in outcome.stdout


COMMANDS = sorted(commands(), key=lambda named: named[0])


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_argument_and_option_has_a_human_metavar_and_help(
    path: list[str], command: typer.core.TyperCommand
) -> None:
    for param in command.params:
        takes_value = not getattr(param, "is_flag", False)
        if takes_value:
            assert param.metavar, (path, param.name)
            assert re.fullmatch(r"[A-Z][A-Z0-9_\-|:.\[\]]*", param.metavar), (path, param.name)
        if param.param_type_name == "option":
            assert getattr(param, "help", None), param.name


# --- options and query words -------------------------------------------------------------------


@pytest.fixture
def shelf(questrya: Questrya) -> None:
    for title, tag in (("Hades", "roguelike"), ("Celeste", "platformer"), ("Inside", "puzzle")):
        outcome = questrya("games", "add", title, "-p", "pc", "--tag", tag, "--no-fetch")
        assert outcome.exit_code == 0, outcome.stderr


def listed(questrya: Questrya, *words: str) -> list[str]:
    outcome = questrya("games", "list", "--json", *words)
    assert outcome.exit_code == 0, outcome.stderr
    return sorted(game["title"] for game in outcome.json())


@pytest.mark.usefixtures("shelf")
@pytest.mark.parametrize("option", ["-x", "-Z", "-9"])
def test_an_unknown_short_option_is_a_usage_error(questrya: Questrya, option: str) -> None:
    for command in (["games", "list"], ["games", "edit", "--tag", "x", "--yes"]):
        outcome = questrya(*command, option)
        assert outcome.exit_code == 2, (command, outcome.stdout)
        assert option in outcome.stderr
    assert listed(questrya, "tag:x") == []


@pytest.mark.usefixtures("shelf")
def test_a_longer_word_after_a_dash_is_a_negated_query_term(questrya: Questrya) -> None:
    assert listed(questrya, "-tag:puzzle") == ["Celeste", "Hades"]
    assert listed(questrya, "-hades") == ["Celeste", "Inside"]
    assert listed(questrya, "-ab") == ["Celeste", "Hades", "Inside"]
    assert listed(questrya, "--limit", "1", "-celeste") == ["Hades"]


def test_config_show_prints_booleans_as_toml_writes_them(questrya: Questrya) -> None:
    outcome = questrya("config", "show")
    assert outcome.exit_code == 0, outcome.stderr
    (line,) = [line for line in outcome.stdout.splitlines() if line.startswith("auto_fetch")]
    assert line.split()[1] == "true"
    assert "True" not in outcome.stdout


# --- help that teaches ----------------------------------------------------------------------

EXAMPLE_LINE = re.compile(r"^  (questrya .*)$", re.MULTILINE)
COMMANDS = sorted(commands(), key=lambda item: item[0])
COMMAND_IDS = [" ".join(path) for path, _ in COMMANDS]


def examples_of(help_text: str) -> list[str]:
    """The example command lines at the end of a help text, their comments taken off."""
    section = help_text.partition("\nExamples:\n")[2].partition("\n\n")[0]
    return [line.partition("  #")[0].strip() for line in EXAMPLE_LINE.findall(section)]


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=COMMAND_IDS)
def test_every_command_has_examples_and_every_option_a_help(
    questrya: Questrya, path: list[str], command: typer.core.TyperCommand
) -> None:
    shown = questrya(*path, "-h").stdout

    assert 1 <= len(examples_of(shown)) <= 3, shown
    unexplained = [
        param.name
        for param in command.params
        if isinstance(param, typer.core.TyperOption) and not param.help
    ]
    assert unexplained == []


def parsed(words: list[str]) -> list[str]:
    """Parses a command line as the program would, without running it: the path of the
    command it names. A usage error (an unknown option, a missing value) raises."""
    command: typer.core.TyperCommand | TyperGroup = typer.main.get_command(app)
    context = command.make_context("questrya", words)
    path = []
    while isinstance(command, TyperGroup):
        name, found, rest = command.resolve_command(
            context, [*context._protected_args, *context.args]
        )
        assert found is not None and name is not None
        path.append(name)
        command, context = found, found.make_context(name, rest, parent=context)
    return path


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=COMMAND_IDS)
def test_every_example_is_a_command_line_the_program_takes(
    questrya: Questrya, path: list[str], command: typer.core.TyperCommand
) -> None:
    for example in examples_of(questrya(*path, "-h").stdout):
        for part in example.split(" | "):
            words = shlex.split(part)
            if words[0] != "questrya":
                continue
            try:
                assert parsed(words[1:]), example
            except typer.Exit as done:  # an example of `-h`: help, then exit 0
                assert done.exit_code == 0, example


def test_help_query_explains_every_field_as_the_readme_does(questrya: Questrya) -> None:
    from questrya.games.query import FIELDS

    shown = questrya("help", "query").stdout
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")

    assert f"```text\n{shown}```" in readme
    for field in FIELDS:
        assert re.search(rf"^  {field} +\S", shown, re.MULTILINE), field


def test_help_names_its_topics_and_refuses_an_unknown_one(questrya: Questrya) -> None:
    assert questrya("help").stdout.startswith("query  ")
    outcome = questrya("help", "queries")
    assert outcome.exit_code == 2
    assert outcome.stderr.strip() == "Error: no help on 'queries'; topics: query"
