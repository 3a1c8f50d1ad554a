"""GOG Galaxy 2's export (galaxy_library_export.py) as import rows (PRODUCT §8).

The sample is the exporter's header with every field (`-a`); the rows are built in its shape:
tab-separated, a list in one cell joined with the separator (quoted, since it holds tabs), or
written as a Python list with `--py-lists`, and empty cells where Galaxy has no value.
"""

import csv
import io
from datetime import date

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.imports.formats import gog
from questrya.imports.formats.rows import ImportRow, SkippedRow
from tests.unit.format_support import GOG_HEADER, imported, read_file, read_text


def header() -> list[str]:
    return GOG_HEADER.read_text(encoding="utf-8").rstrip("\n").split("\t")


def export(*games: dict[str, str], separator: str = "\t", columns: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out, fieldnames=columns or header(), delimiter=separator, lineterminator="\n"
    )
    writer.writeheader()
    for game in games:
        writer.writerow(game)
    return out.getvalue()


WITCHER = {
    "title": "The Witcher 3: Wild Hunt",
    "originalTitle": "The Witcher 3: Wild Hunt",
    "sortingTitle": "Witcher 3: Wild Hunt",
    "summary": "You are Geralt of Rivia.\\nA monster slayer.",
    "platformList": "GOG\tSteam",
    "myRating": "5",
    "criticsScore": "93",
    "developers": "CD PROJEKT RED",
    "genres": "Adventure\tRole-playing (RPG)",
    "publishers": "CD PROJEKT RED",
    "releaseDate": "2015-05-19",
    "originalReleaseDate": "2015-05-19",
    "themes": "Action\tFantasy\tOpen world",
    "gameMins": "6130",
    "lastPlayed": "2021-03-14 18:23:45",
    "tags": "Favourites\tOpen World RPG",
    "dlcs": "Blood and Wine\tHearts of Stone",
    "isHidden": "False",
    "osCompatibility": "Windows",
}


def test_the_header_alone_is_an_export_with_no_game() -> None:
    assert read_file(gog, GOG_HEADER) == []


def test_a_game_with_every_field_of_the_export() -> None:
    (row,) = imported(read_text(gog, export(WITCHER)))

    assert row == ImportRow(
        line=2,
        title="The Witcher 3: Wild Hunt",
        platform="PC",
        rating=10,
        tags=("favourites", "open-world-rpg"),
        playtime=6130,
        last_played=date(2021, 3, 14),
    )


def test_a_game_with_only_a_title_is_not_started_with_nothing_else() -> None:
    (row,) = imported(read_text(gog, export({"title": "Gwent"})))

    assert row == ImportRow(line=2, title="Gwent")


@pytest.mark.parametrize(
    ("platforms", "platform"),
    [
        ("Epic Games Store", "PC"),
        ("Nintendo Switch\tSteam", "PC"),  # on a PC store too
        ("PlayStation 2", "PlayStation 2"),  # the aliases make it PS2
        ("Nintendo Switch\tPlayStation Network", "Nintendo Switch"),
        ("Unknown", None),
        ("", None),
    ],
)
def test_the_platform_is_pc_for_any_pc_store_else_the_first_as_written(
    platforms: str, platform: str | None
) -> None:
    (row,) = imported(read_text(gog, export({"title": "Hades", "platformList": platforms})))

    assert row.platform == platform


def test_python_lists_are_read_as_lists() -> None:
    game = {
        "title": "Hades",
        "platformList": "['PlayStation Vita']",
        "tags": "['Roguelike', 'Co-op']",
    }

    (row,) = imported(read_text(gog, export(game)))

    assert (row.platform, row.tags) == ("PlayStation Vita", ("roguelike", "co-op"))


def test_another_separator_chosen_with_d_is_read() -> None:
    text = export({**WITCHER, "platformList": "GOG;Steam", "tags": "RPG;Open World"}, separator=";")

    (row,) = imported(read_text(gog, text))

    assert (row.title, row.platform, row.tags, row.playtime) == (
        "The Witcher 3: Wild Hunt",
        "PC",
        ("rpg", "open-world"),
        6130,
    )


def test_an_export_of_a_few_fields_is_read() -> None:
    columns = ["title", "gameMins", "lastPlayed"]
    text = export({"title": "Hades", "gameMins": "75", "lastPlayed": "2024-01-31"}, columns=columns)

    (row,) = imported(read_text(gog, text))

    assert (row.title, row.playtime, row.last_played) == ("Hades", 75, date(2024, 1, 31))


@pytest.mark.parametrize(
    ("game", "reason"),
    [
        ({"title": "", "gameMins": "5"}, "no title"),
        ({"title": "Hades", "gameMins": "a while"}, "gameMins must be a whole number"),
        ({"title": "Hades", "gameMins": "-3"}, "gameMins must be a whole number"),
        ({"title": "Hades", "myRating": "9"}, "myRating must be 1-5 stars"),
        ({"title": "Hades", "lastPlayed": "yesterday"}, "lastPlayed must be a date"),
    ],
)
def test_a_row_that_cannot_be_read_is_skipped_with_its_line(
    game: dict[str, str], reason: str
) -> None:
    rows = read_text(gog, export({"title": "Gwent"}, game))

    assert isinstance(rows[0], ImportRow)
    assert rows[1] == SkippedRow(3, rows[1].reason) and reason in rows[1].reason


def test_a_file_without_a_title_column_is_bad_input() -> None:
    with pytest.raises(InvalidInputError, match="no 'title' column"):
        read_text(gog, "name\tgameMins\nHades\t75\n")


def test_a_large_export_keeps_every_game_and_its_line() -> None:
    games = [
        {**WITCHER, "title": f"Game {n}", "gameMins": str(n), "myRating": str(n % 5 + 1)}
        for n in range(1, 5001)
    ]
    games[2499]["summary"] = "One line\nand another"  # one row over two lines

    rows = imported(read_text(gog, export(*games)))

    assert len(rows) == 5000
    assert [(r.line, r.title, r.playtime, r.rating) for r in rows[2498:2501]] == [
        (2500, "Game 2499", 2499, 10),
        (2501, "Game 2500", 2500, 2),
        (2503, "Game 2501", 2501, 4),
    ]
    assert (rows[-1].line, rows[-1].title) == (5002, "Game 5000")
