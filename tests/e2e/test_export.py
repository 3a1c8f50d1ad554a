"""`games export` end to end (PRODUCT §8): Questrya's own file, in JSON and CSV, and back
through `games import` into a fresh data folder with every field the player gave intact."""

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from questrya.common.native_format import FIELDS
from questrya.games.schemas import EXPORTED_FIELDS
from tests.conftest import Questrya, error_line
from tests.e2e.test_games_cli import add


def exported(questrya: Questrya, *args: str) -> str:
    outcome = questrya("games", "export", *args)
    assert (outcome.exit_code, outcome.stderr) == (0, ""), outcome.stderr
    return outcome.stdout


@pytest.fixture
def backlog(questrya: Questrya) -> None:
    """Games holding every field a player gives: dates, a level, a rating, tags, notes over
    lines with quotes and accents, the wishlist, playtime, and a provider id."""
    add(
        questrya,
        "Hollow Knight",
        "--release-date", "2017-02-24", "--started", "2024-01-05", "--completed", "2024-02-09",
        "--rating", "9", "-t", "metroidvania", "-t", "hard", "--notes", 'Pantheon "5"\nnext',
        platform="switch",
    )  # fmt: skip
    add(questrya, "Pokémon Légendes: Arceus", "--wishlist", platform="Switch")
    add(questrya, "Dota 2", "--status", "abandoned", "--notes", "too many heroes")
    add(questrya, "Amiga Classic", platform="Amiga")
    assert questrya("games", "complete", "hollow", "--level", "full").exit_code != 0  # done
    assert questrya("games", "edit", "hollow", "--completed", "2024-02-10").exit_code == 0
    assert questrya("games", "log", "hollow", "41h2m").exit_code == 0
    assert questrya("games", "log", "dota", "1h30m").exit_code == 0
    assert questrya("games", "match", "dota", "--id", "steam:570").exit_code == 0


def test_the_export_fields_are_the_native_format_s() -> None:
    assert EXPORTED_FIELDS == FIELDS


@pytest.mark.usefixtures("backlog")
def test_json_is_one_document_with_a_game_a_line(questrya: Questrya) -> None:
    text = exported(questrya)
    document = json.loads(text)

    lines = text.splitlines()
    assert lines[0] == '{"format": "questrya", "version": 1, "games": ['
    assert len(lines) == 2 + len(document["games"])
    dota = next(game for game in document["games"] if game["title"] == "Dota 2")
    assert dota == {
        "title": "Dota 2",
        "platform": "PC",
        "status": "abandoned",
        "release_date": None,
        "started_date": None,
        "completion_date": None,
        "completion_level": None,
        "rating": None,
        "wishlist": False,
        "tags": [],
        "notes": "too many heroes",
        "playtime": 90,
        "last_played": dota["last_played"],
        "provider_ids": {"steam": "570"},
    }


@pytest.mark.usefixtures("backlog")
def test_csv_has_a_column_a_field_and_tags_joined_with_semicolons(questrya: Questrya) -> None:
    rows = list(csv.DictReader(io.StringIO(exported(questrya, "--format", "csv"))))

    assert tuple(rows[0]) == FIELDS
    hollow = next(row for row in rows if row["title"] == "Hollow Knight")
    assert (hollow["tags"], hollow["notes"], hollow["playtime"]) == (
        "hard;metroidvania",
        'Pantheon "5"\nnext',
        "2462",
    )


@pytest.mark.usefixtures("backlog")
def test_a_query_exports_only_its_games(questrya: Questrya) -> None:
    document = json.loads(exported(questrya, "platform:switch", "-tag:hard"))

    assert [game["title"] for game in document["games"]] == ["Pokémon Légendes: Arceus"]


def test_an_empty_backlog_exports_an_empty_document(questrya: Questrya) -> None:
    assert json.loads(exported(questrya)) == {"format": "questrya", "version": 1, "games": []}


@pytest.mark.usefixtures("backlog")
@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_round_trip_into_a_fresh_home_keeps_every_field(
    questrya: Questrya, tmp_path: Path, second_home: Callable[[], Path], fmt: str
) -> None:
    path = tmp_path / f"backlog.{fmt}"
    assert exported(questrya, "--format", fmt, "-o", str(path)) == ""
    before = exported(questrya)

    second_home()
    imported = questrya("games", "import", str(path), "--no-fetch")

    assert imported.exit_code == 0, imported.stderr
    assert imported.stdout.startswith(f"{fmt}: 4 added, 0 updated, 0 unchanged")
    assert json.loads(exported(questrya)) == json.loads(before)
    again = questrya("games", "import", str(path), "--no-fetch")
    assert again.stdout.startswith(f"{fmt}: 0 added, 0 updated, 4 unchanged")


@pytest.mark.usefixtures("backlog")
def test_a_failed_export_leaves_the_file_as_it_was(questrya: Questrya, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    path = folder / "backlog.json"
    path.write_text("kept", encoding="utf-8")

    outcome = questrya("games", "export", "rating:11", "-o", str(path))

    assert outcome.exit_code == 2
    assert "rating" in error_line(outcome)
    assert path.read_text(encoding="utf-8") == "kept"
    assert [found.name for found in folder.iterdir()] == ["backlog.json"]


def test_an_export_to_a_folder_that_does_not_exist_says_so(
    questrya: Questrya, tmp_path: Path
) -> None:
    outcome = questrya("games", "export", "-o", str(tmp_path / "nowhere" / "backlog.json"))

    assert outcome.exit_code == 1
    assert "No such file or directory" in error_line(outcome)


def test_an_unknown_export_format_is_bad_input(questrya: Questrya) -> None:
    outcome = questrya("games", "export", "--format", "xml")

    assert outcome.exit_code == 2
    assert error_line(outcome) == "Error: --format must be json or csv, not 'xml'"
