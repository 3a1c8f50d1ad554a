"""Property tests over the whole command line: whatever a user types, the program answers
with an exit code of PRODUCT §5, never a traceback and never an internal error (the error
boundary marks the failures it did not foresee), and its JSON always parses."""

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from questrya.cli import INTERNAL_ERROR, NOTHING_CHANGED, app

COMMANDS = [
    ["games", "add"],
    ["games", "list"],
    ["games", "show"],
    ["games", "start"],
    ["games", "hold"],
    ["games", "complete"],
    ["games", "abandon"],
    ["games", "rate"],
    ["games", "edit"],
    ["games", "remove"],
    ["games", "history"],
    ["games", "match"],
    ["games", "refresh"],
    ["undo"],
    ["queue"],
    ["users", "add"],
    ["users", "list"],
    ["users", "use"],
    ["users", "rename"],
    ["users", "remove"],
    ["config", "show"],
    ["config", "set"],
    ["config", "unset"],
    ["config", "path"],
    [],
]
OPTIONS = [
    "--json", "--jsonl", "--csv", "--ids", "--platform", "-p", "--status", "--rating", "--tag",
    "--untag", "--sort", "--limit", "--release-date", "--date", "--level", "--notes", "--yes",
    "--wishlist", "--owned", "--no-fetch", "--force", "--email", "-n", "--user", "--title",
    "--help", "-h", "-y", "-u", "-t", "-x", "--count", "--pick", "--id", "--all", "--scores",
    "--version", "--started", "--completed",
]  # fmt: skip
VALUES = [
    "Hades", "hades", "1", "2", "0", "-1", "11", "7", "pc", "PS5", "switch", "playing",
    "completed", "abandoned", "on_hold", "2020-01-01", "2999-01-01", "2020-13-45", "main",
    "2023-02-29", "0000-01-01",
    "rating:7..", "rating:a..b", "-tag:coop", "status:playing", "released:2015..2020",
    "platform:pc", "title:", "coop", "alice", "bob@example.com", "not-an-email", "http_timeout",
    "rawg_api_key", "", " ", "Pokémon Légends", "☃", "--", "-", "^x", "x" * 300, "user",
    "provider", "score_schedule", "max_attempts", "database_url", "rawg", "igdb", "61 4 * * *",
    "steam:570", "steam:abc", "-hades", "-ab", "-h", "tag:", "HTTP-Timeout", "5",
]  # fmt: skip
HELP = {"--help", "-h", "--version"}
WORD = st.one_of(st.sampled_from(OPTIONS), st.sampled_from(VALUES), st.text(max_size=20))
ARGUMENT_LINES = st.builds(
    lambda command, words: [*command, *words],
    st.sampled_from(COMMANDS),
    st.lists(WORD, max_size=6),
)


@pytest.fixture(scope="module")
def shared_home() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(line=ARGUMENT_LINES)
def test_any_argument_line_exits_0_to_4_without_an_internal_error(
    line: list[str], shared_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUESTRYA_HOME", str(shared_home))
    result = CliRunner().invoke(app, line)

    assert result.exception is None or isinstance(result.exception, SystemExit), line
    assert 0 <= result.exit_code <= 4, (line, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr, line
    assert INTERNAL_ERROR not in result.stderr, (line, result.stderr)
    if result.exit_code:
        assert result.stderr.startswith(("Error: ", NOTHING_CHANGED)), (line, result.stderr)
    elif "--json" in line and not HELP & set(line) and result.stdout.strip():
        json.loads(result.stdout)
