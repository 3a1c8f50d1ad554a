"""Playnite's library exports as import rows (PRODUCT §8).

The sample is the Library Exporter extension's CSV; exports that name Playnite's own fields
("Completion Status", "Time Played", "Last Activity", "User Score") are built in that shape.
"""

import csv
import io
from datetime import date

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.imports.formats import playnite
from questrya.imports.formats.rows import ImportRow, SkippedRow
from tests.unit.format_support import PLAYNITE_SAMPLE, imported, local_zone, read_file, read_text

__all__ = ["local_zone"]


def test_the_sample_steam_game_has_its_appid_and_tag_and_both_are_on_pc() -> None:
    rows = imported(read_file(playnite, PLAYNITE_SAMPLE))

    assert rows == [
        ImportRow(
            line=2,
            title="Example Steam Game",
            platform="PC",
            tags=("backlog",),
            provider_ids={"steam": "123456"},
        ),
        ImportRow(line=3, title="Example Non-Steam Game", platform="PC"),  # from GOG
    ]


COLUMNS = [
    "Name",
    "Platforms",
    "Sources",
    "Completion Status",
    "Time Played",
    "Last Activity",
    "User Score",
    "Tags",
    "Categories",
    "Notes",
    "Game ID",
]


def export(*games: dict[str, str], columns: list[str] = COLUMNS) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    for game in games:
        writer.writerow(game)
    return out.getvalue()


def test_an_export_of_playnites_fields() -> None:
    game = {
        "Name": "Dota 2",
        "Platforms": "PC (Windows)",
        "Sources": "Steam",
        "Completion Status": "Beaten",
        "Time Played": "36300",
        "Last Activity": "3/14/2021 6:23:45 PM",
        "User Score": "85",
        "Tags": "Multiplayer, Free to Play",
        "Categories": "Favorites",
        "Notes": "Played with friends.\nEvery Friday.",
        "Game ID": "570",
    }

    (row,) = imported(read_text(playnite, export(game)))

    assert row == ImportRow(
        line=2,
        title="Dota 2",
        platform="PC",
        status="completed",
        completion_level="main",
        rating=9,  # 8.5 rounded up
        tags=("multiplayer", "free-to-play", "favorites"),
        notes="Played with friends.\nEvery Friday.",
        playtime=605,
        last_played=date(2021, 3, 14),
        provider_ids={"steam": "570"},
    )


@pytest.mark.parametrize(
    ("status", "expected", "level"),
    [
        ("Not Played", "not_started", None),
        ("Plan to Play", "not_started", None),
        ("Playing", "playing", None),
        ("Played", "on_hold", None),
        ("On Hold", "on_hold", None),
        ("Abandoned", "abandoned", None),
        ("Beaten", "completed", "main"),
        ("Completed", "completed", "full"),
        ("", "not_started", None),
    ],
)
def test_completion_statuses(status: str, expected: str, level: str | None) -> None:
    (row,) = imported(read_text(playnite, export({"Name": "Hades", "Completion Status": status})))

    assert (row.status, row.completion_level, row.tags) == (expected, level, ())


def test_a_status_of_the_players_own_is_kept_as_a_tag() -> None:
    game = {"Name": "Hades", "Completion Status": "Replaying", "Tags": "Roguelike"}

    (row,) = imported(read_text(playnite, export(game)))

    assert (row.status, row.tags) == ("not_started", ("roguelike", "replaying"))


@pytest.mark.parametrize(
    ("platforms", "sources", "platform"),
    [
        ("Sony PlayStation 4", "", "PlayStation 4"),  # the aliases make it PS4
        ("Microsoft Xbox Series", "Xbox", "Xbox Series"),
        ("Nintendo Switch, PC (Windows)", "", "Nintendo Switch"),
        ("PC (Linux)", "Steam", "Linux"),
        ("Macintosh", "", "Mac"),
        ("", "Epic", "PC"),
        ("", "Xbox", None),  # the Xbox app sells for the console and PC alike
        ("", "", None),
    ],
)
def test_the_first_platform_else_pc_for_a_pc_store(
    platforms: str, sources: str, platform: str | None
) -> None:
    game = {"Name": "Hades", "Platforms": platforms, "Sources": sources}

    (row,) = imported(read_text(playnite, export(game)))

    assert row.platform == platform


def test_an_iso_time_in_utc_is_moved_to_the_local_date(local_zone) -> None:
    local_zone("Pacific/Auckland")
    game = {"Name": "Hades", "Last Activity": "2021-03-14T23:30:00Z"}

    (row,) = imported(read_text(playnite, export(game)))

    assert row.last_played == date(2021, 3, 15)  # 12:30 the next day, UTC+13


@pytest.mark.parametrize(("score", "rating"), [("100", 10), ("4", 1), ("0", None), ("", None)])
def test_the_user_score_out_of_100_is_a_rating_out_of_10(score: str, rating: int | None) -> None:
    (row,) = imported(read_text(playnite, export({"Name": "Hades", "User Score": score})))

    assert row.rating == rating


def test_a_steam_id_only_for_a_game_from_steam() -> None:
    rows = imported(
        read_text(
            playnite,
            export(
                {"Name": "Hades", "Sources": "Epic", "Game ID": "Min"},
                {"Name": "Celeste", "Sources": "Steam", "Game ID": "504230"},
            ),
        )
    )

    assert [r.provider_ids for r in rows] == [{}, {"steam": "504230"}]


@pytest.mark.parametrize(
    ("game", "reason"),
    [
        ({"Name": "", "Sources": "Steam"}, "no name"),
        ({"Name": "Hades", "Time Played": "1h"}, "playtime must be a whole number"),
        ({"Name": "Hades", "User Score": "120"}, "user score must be 0-100"),
        ({"Name": "Hades", "Last Activity": "14.03.2021 18:23"}, "last activity must be a date"),
        ({"Name": "Hades", "Last Activity": "2/30/2021 6:23:45 PM"}, "no 30 February 2021"),
    ],
)
def test_a_row_that_cannot_be_read_is_skipped_with_its_line(
    game: dict[str, str], reason: str
) -> None:
    rows = read_text(playnite, export({"Name": "Gwent"}, game))

    assert isinstance(rows[0], ImportRow)
    assert isinstance(rows[1], SkippedRow)
    assert rows[1].line == 3
    assert reason in rows[1].reason


def test_a_file_without_a_name_column_is_bad_input() -> None:
    with pytest.raises(InvalidInputError, match="no 'name' column"):
        read_text(playnite, "playniteId,title\n1,Hades\n")


def test_a_large_export_keeps_every_game_and_its_line() -> None:
    with PLAYNITE_SAMPLE.open(encoding="utf-8", newline="") as file:
        columns = next(csv.reader(file))
    games = [
        {
            "playniteId": f"00000000-0000-0000-0000-{n:012d}",
            "name": f"Game {n}",
            "sourceName": "Steam",
            "steamAppId": str(n),
            "tags": "Backlog; Co-op",
        }
        for n in range(1, 4001)
    ]

    rows = imported(read_text(playnite, export(*games, columns=columns)))

    assert len(rows) == 4000
    assert [(r.line, r.title, r.provider_ids) for r in (rows[0], rows[-1])] == [
        (2, "Game 1", {"steam": "1"}),
        (4001, "Game 4000", {"steam": "4000"}),
    ]
    assert {(r.platform, r.tags) for r in rows} == {("PC", ("backlog", "co-op"))}
