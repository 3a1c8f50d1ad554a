"""`games import` end to end (PRODUCT §8): the real HowLongToBeat sample, what a second run
and a dry run write (nothing), one undo for a whole import, and files that are refused with
the database left as it was."""

import json
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from tests.conftest import QUESTRYA, Questrya, backlog_engine, error_line, run_installed
from tests.e2e.terminal import environment, run_on_terminal
from tests.e2e.test_games_cli import add, listed, show

SAMPLES = Path(__file__).parents[1] / "fixtures" / "imports"
HLTB_SAMPLE = SAMPLES / "import_hltb_export_sample.csv"
HLTB_HEADER = HLTB_SAMPLE.read_text(encoding="utf-8").splitlines()[0]
TABLES = ("games", "game_tags", "game_events", "changes", "game_metadata")


def stored(home: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the tables an import writes: what "the database unchanged" compares."""
    with backlog_engine(home) as engine, engine.connect() as database:
        return {
            table: [
                tuple(row) for row in database.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))
            ]
            for table in TABLES
        }


def imported(questrya: Questrya, *args: str, input: str | None = None) -> dict[str, Any]:
    """The JSON summary of a successful import."""
    outcome = questrya("games", "import", *args, "--no-fetch", "--json", input=input)
    assert outcome.exit_code == 0, outcome.stderr
    summary: dict[str, Any] = outcome.json()
    return summary


def native(*games: dict[str, Any]) -> str:
    """A native JSON document, a game a line from line 2 on, as `games export` writes it."""
    lines = ",\n".join(json.dumps(game) for game in games)
    return f'{{"format": "questrya", "version": 1, "games": [\n{lines}\n]}}\n'


def hltb(tmp_path: Path, *rows: dict[str, str]) -> Path:
    columns = [name.strip('"') for name in HLTB_HEADER.split(",")]
    lines = [HLTB_HEADER, *(",".join(f'"{row.get(name, "")}"' for name in columns) for row in rows)]
    path = tmp_path / "hltb.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def counts(summary: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return (
        summary["added"],
        summary["updated"],
        summary["unchanged"],
        summary["skipped"],
        summary["unclear"],
    )


def test_the_hltb_sample_brings_game_a_completed_on_pc_rated_7(questrya: Questrya) -> None:
    outcome = questrya("games", "import", str(HLTB_SAMPLE), "--no-fetch")

    assert (outcome.exit_code, outcome.stderr) == (0, "")
    assert outcome.stdout == "hltb: 1 added, 0 updated, 0 unchanged, 0 skipped, 0 unclear\n"
    [game] = listed(questrya)
    assert (game["title"], game["platform"], game["status"], game["rating"]) == (
        "Game A",
        "PC",
        "completed",
        7,
    )
    assert (game["completion_date"], game["metadata_status"]) == (None, "skipped")


def test_importing_the_same_file_twice_adds_and_changes_nothing(
    home: Path, questrya: Questrya, tmp_path: Path
) -> None:
    path = hltb(
        tmp_path,
        {"Title": "Hades", "Platform": "PC", "Playing": "X", "Progress": "10:00:00"},
        {"Title": "Celeste", "Platform": "Switch", "Backlog": "X", "Custom-1": "X"},
    )
    first = imported(questrya, str(path))
    before = stored(home)

    second = imported(questrya, str(path))

    assert counts(first) == (2, 0, 0, 0, 0)
    assert counts(second) == (0, 0, 2, 0, 0)
    assert stored(home) == before


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(
    home: Path, questrya: Questrya, tmp_path: Path
) -> None:
    add(questrya, "Hades")
    path = hltb(
        tmp_path,
        {"Title": "Hades", "Platform": "PC", "General Notes": "heat 16"},
        {"Title": "Celeste", "Platform": "PC"},
        {"Title": "celeste", "Platform": "pc", "Review": "90"},
    )
    before = stored(home)

    summary = imported(questrya, str(path), "--dry-run")

    assert summary["dry_run"] is True
    assert counts(summary) == (1, 2, 0, 0, 0)
    assert stored(home) == before


def test_one_undo_takes_back_a_whole_import_and_only_it(
    home: Path, questrya: Questrya, tmp_path: Path
) -> None:
    mine = add(questrya, "Hades", "--rating", "9")
    add(questrya, "Tunic")
    path = hltb(
        tmp_path,
        {"Title": "Hades", "Platform": "PC", "General Notes": "heat 16", "Review": "60"},
        *({"Title": f"Game {number}", "Platform": "PC"} for number in range(1200)),
    )
    assert counts(imported(questrya, str(path))) == (1200, 1, 0, 0, 0)
    assert len(listed(questrya)) == 1202
    assert show(questrya, "hades")["notes"] == "heat 16"

    undone = questrya("undo")

    assert undone.exit_code == 0, undone.stderr
    assert sorted(game["title"] for game in listed(questrya)) == ["Hades", "Tunic"]
    hades = show(questrya, mine["id"])
    assert (hades["notes"], hades["rating"]) == ("", 9)


def test_a_row_without_a_platform_takes_platform_or_unknown(questrya: Questrya) -> None:
    document = native({"title": "Hades"}, {"title": "Celeste", "platform": "switch"})

    imported(questrya, "-", "--platform", "windows", input=document)
    imported(questrya, "-", input=native({"title": "Tunic"}))

    assert {game["title"]: game["platform"] for game in listed(questrya)} == {
        "Hades": "PC",
        "Celeste": "Switch",
        "Tunic": "Unknown",
    }


def test_rows_the_rules_refuse_are_skipped_with_their_line_and_why(questrya: Questrya) -> None:
    document = native(
        {"title": "Hades", "rating": 11},
        {"title": "Celeste", "status": "playing", "completion_date": "2020-01-01"},
        {"title": "Tunic"},
    )

    outcome = questrya("games", "import", "-", "--no-fetch", input=document)

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.splitlines() == [
        "json: 1 added, 0 updated, 0 unchanged, 2 skipped, 0 unclear",
        "  line 2, skipped: rating must be between 1 and 10, got 11",
        "  line 3, skipped: a game that is playing has no completion date",
    ]
    assert [game["title"] for game in listed(questrya)] == ["Tunic"]


def test_a_row_two_games_match_is_unclear_and_left_alone(home: Path, questrya: Questrya) -> None:
    add(questrya, "Hades")
    imported(
        questrya,
        "-",
        "-p",
        "pc",
        input=native({"title": "Hades II", "provider_ids": {"steam": "1"}}),
    )
    before = stored(home)

    summary = imported(
        questrya,
        "-",
        "-p",
        "pc",
        input=native({"title": "Hades", "notes": "x", "provider_ids": {"steam": 1}}),
    )

    assert counts(summary) == (0, 0, 0, 0, 1)
    assert summary["problems"] == [
        {
            "line": 2,
            "outcome": "unclear",
            "reason": "game 2 matches its provider id, game 1 its title and platform",
        }
    ]
    assert stored(home) == before


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "empty"),
        (b"\n  \n", "empty"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00", "binary"),
        (b"\xff\xfe\xfd garbage", "not UTF-8 text"),
        (b"Just a shopping list:\nmilk\neggs\n", "none of the formats"),
        (b'{"format": "questrya", "version": 1, "games": [{"title": "Hades"},', "not JSON"),
        (b"Title,Platform,Playing,Backlog,Replay,Completed\nHades,PC,,,,X\n", "none"),
    ],
    ids=["empty", "blank", "binary", "not-utf8", "garbage", "truncated-json", "hltb-cut"],
)
def test_a_file_that_cannot_be_imported_is_bad_input_and_changes_nothing(
    home: Path, questrya: Questrya, tmp_path: Path, content: bytes, says: str
) -> None:
    add(questrya, "Hades")
    before = stored(home)
    path = tmp_path / "backlog.txt"
    path.write_bytes(content)

    outcome = questrya("games", "import", str(path))

    assert outcome.exit_code == 2
    assert says in error_line(outcome)
    assert stored(home) == before


def test_an_hltb_file_missing_a_column_is_refused_naming_it(
    home: Path, questrya: Questrya, tmp_path: Path
) -> None:
    path = tmp_path / "hltb.csv"
    path.write_text("Title,Platform,Playing,Backlog,Completed\nHades,PC,,,X\n", encoding="utf-8")
    add(questrya, "Celeste")
    before = stored(home)

    outcome = questrya("games", "import", str(path), "--format", "hltb")

    assert outcome.exit_code == 2
    assert error_line(outcome) == (
        f"Error: {path}: not a HowLongToBeat file: it has no 'Retired' column"
    )
    assert stored(home) == before


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["no-such-file.csv"], "cannot read no-such-file.csv"),
        ([str(HLTB_SAMPLE), "--format", "spreadsheet"], "unknown format 'spreadsheet'"),
        ([str(HLTB_SAMPLE), "--platform", " "], "platform must not be empty"),
    ],
)
def test_bad_arguments_are_bad_input(questrya: Questrya, args: list[str], says: str) -> None:
    outcome = questrya("games", "import", *args)

    assert outcome.exit_code == 2
    assert says in error_line(outcome)


@pytest.mark.slow
def test_ctrl_c_keeps_whole_batches_prints_the_summary_and_undo_takes_them_back(
    home: Path, questrya: Questrya, tmp_path: Path
) -> None:
    add(questrya, "Hades")  # the data folder, migrated, before the import starts
    path = hltb(tmp_path, *({"Title": f"Game {n}", "Platform": "PC"} for n in range(100_000)))
    importing = subprocess.Popen(
        [str(QUESTRYA), "games", "import", str(path), "--no-fetch"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment(home),
    )
    try:
        while importing.poll() is None and game_count(home) < 2:  # a batch is in
            time.sleep(0.01)
        importing.send_signal(signal.SIGINT)
        stdout, stderr = importing.communicate(timeout=120)
    finally:
        importing.kill()

    assert importing.returncode == 130, stderr
    first = stdout.splitlines()[0]
    assert first.startswith("hltb (interrupted; the batches written are kept): "), stdout
    added = int(first.rsplit(": ", 1)[1].split()[0])
    assert game_count(home) == added + 1
    assert added > 0
    assert added % 500 == 0  # whole batches only
    assert "Traceback" not in stderr
    assert questrya("undo").exit_code == 0
    assert [game["title"] for game in listed(questrya)] == ["Hades"]


def game_count(home: Path) -> int:
    with backlog_engine(home) as engine, engine.connect() as database:
        return int(database.execute(text("SELECT count(*) FROM games")).scalar_one())


def test_a_terminal_sees_a_progress_bar_and_a_pipe_none(home: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.txt"
    with summary.open("wb") as stdout:
        code, shown = run_on_terminal(
            ["games", "import", str(HLTB_SAMPLE), "--no-fetch"], home, stdout=stdout
        )
    piped = run_installed(["games", "import", str(HLTB_SAMPLE), "--no-fetch"], home)

    assert code == 0, shown
    assert "Importing" in shown
    assert "━" in shown
    assert summary.read_text(encoding="utf-8").startswith("hltb: 1 added")
    assert (piped.returncode, piped.stderr) == (0, "")
    assert piped.stdout.startswith("hltb: 0 added, 0 updated, 1 unchanged")


def test_a_dry_run_counts_what_the_import_then_does_across_batches(
    questrya: Questrya, tmp_path: Path
) -> None:
    """Rows far apart (in other batches) that are the same game: a dry run, which writes
    nothing, still matches the later row to the game the earlier one would add."""
    add(questrya, "Game 5", "--notes", "mine")
    rows = [{"Title": f"Game {n}", "Platform": "PC"} for n in range(1100)]
    rows += [
        {"Title": "game 3", "Platform": "pc", "Review": "80"},
        {"Title": "GAME 5", "Platform": "PC", "Review": "30"},
    ]
    path = hltb(tmp_path, *rows)

    planned = imported(questrya, str(path), "--dry-run")
    done = imported(questrya, str(path))

    assert counts(planned) == counts(done) == (1099, 2, 1, 0, 0)


def test_a_note_longer_than_the_csv_module_allows_comes_back_whole(
    questrya: Questrya, tmp_path: Path, second_home: Callable[[], Path]
) -> None:
    notes = "a long story. " * 20_000  # 280,000 characters
    add(questrya, "Hades", "--notes", notes)
    path = tmp_path / "backlog.csv"
    assert questrya("games", "export", "-f", "csv", "-o", str(path)).exit_code == 0

    second_home()
    assert counts(imported(questrya, str(path))) == (1, 0, 0, 0, 0)
    assert show(questrya, "hades")["notes"] == notes.strip()
