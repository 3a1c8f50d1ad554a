"""Steam's GetOwnedGames answer as import rows (PRODUCT §8)."""

import json
from datetime import date

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.imports.formats import steam
from questrya.imports.formats.rows import ImportRow, SkippedRow
from tests.unit.format_support import STEAM_SAMPLE, imported, local_zone, read_file, read_text

__all__ = ["local_zone"]


def test_the_sample_is_five_games_on_pc_with_their_appids_and_playtimes() -> None:
    rows = imported(read_file(steam, STEAM_SAMPLE))

    assert [(r.title, r.platform, r.provider_ids, r.playtime) for r in rows] == [
        ("Terraria", "PC", {"steam": "105600"}, 213),
        ("Cities: Skylines", "PC", {"steam": "255710"}, 62),
        ("Don't Starve Together", "PC", {"steam": "322330"}, 113),
        ("Stardew Valley", "PC", {"steam": "413150"}, 198),
        ("Wallpaper Engine", "PC", {"steam": "431960"}, 100),
    ]
    assert [r.line for r in rows] == [5, 18, 31, 43, 56]  # where each game's "{" is
    assert {(r.status, r.wishlist, r.rating) for r in rows} == {("not_started", False, None)}


def test_last_played_is_the_local_date_of_steams_unix_time(local_zone) -> None:
    local_zone("UTC")
    in_utc = [r.last_played for r in imported(read_file(steam, STEAM_SAMPLE))]
    local_zone("Pacific/Auckland")
    in_auckland = [r.last_played for r in imported(read_file(steam, STEAM_SAMPLE))]

    # 1772289546 is 2026-02-28 14:39:06 UTC, already 1 March in Auckland (UTC+13).
    assert in_utc == [
        date(2026, 2, 28),
        date(2025, 8, 10),
        date(2026, 2, 28),
        date(2025, 10, 8),
        date(2026, 5, 25),
    ]
    assert in_auckland[0] == date(2026, 3, 1)


def answer(*games: object) -> str:
    return json.dumps({"response": {"game_count": len(games), "games": list(games)}})


def test_a_game_never_played_has_no_last_played_date() -> None:
    game = {"appid": 570, "name": "Dota 2", "playtime_forever": 0, "rtime_last_played": 0}

    assert read_text(steam, answer(game)) == [
        ImportRow(line=1, title="Dota 2", platform="PC", provider_ids={"steam": "570"})
    ]


@pytest.mark.parametrize(
    ("game", "reason"),
    [
        ({"appid": 570, "playtime_forever": 3}, "appid 570 has no name"),
        ({"name": "Dota 2"}, "no appid"),
        ({"appid": "570", "name": "Dota 2"}, "no appid"),
        ({"appid": 570, "name": "Dota 2", "playtime_forever": "3h"}, "playtime_forever"),
        ({"appid": 570, "name": "Dota 2", "rtime_last_played": "yesterday"}, "rtime_last_played"),
        ("Dota 2", "not a JSON object"),
    ],
)
def test_a_game_that_cannot_be_read_is_skipped_with_its_line(game: object, reason: str) -> None:
    text = json.dumps(
        {"response": {"games": [{"appid": 10, "name": "Counter-Strike"}, game]}}, indent=1
    )

    rows = read_text(steam, text)

    assert isinstance(rows[0], ImportRow)
    assert isinstance(rows[1], SkippedRow)
    assert rows[1].line == 8  # {, "response", "games", {, appid, name, }, and then the game
    assert reason in rows[1].reason


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "not JSON"),
        ("appid,name\n570,Dota 2\n", "not JSON"),
        ('{"response": {"games": [', "not JSON"),
        ('{"format": "questrya", "version": 1, "games": []}', 'no "response"'),
        ("[]", 'no "response"'),
        ('{"response": {"games": {"appid": 570}}}', '"games" is not a list'),
    ],
)
def test_a_file_that_is_no_steam_answer_is_bad_input(text: str, why: str) -> None:
    with pytest.raises(InvalidInputError, match=why):
        read_text(steam, text)


def test_a_profile_whose_games_are_private_has_none() -> None:
    assert read_text(steam, '{"response": {}}') == []


def test_a_large_library_keeps_every_game_and_its_line() -> None:
    # 3,000 games pretty-printed: each takes 6 lines ({, four keys, }) after the 4 above them.
    games = [
        {
            "appid": 10 * n,
            "name": f'Game "games": [{n}',
            "playtime_forever": n,
            "rtime_last_played": 0,
        }
        for n in range(1, 3001)
    ]
    text = json.dumps({"response": {"game_count": 3000, "games": games}}, indent=2)

    rows = imported(read_text(steam, text))

    assert len(rows) == 3000
    assert (rows[0].line, rows[0].title, rows[0].provider_ids) == (
        5,
        'Game "games": [1',
        {"steam": "10"},
    )
    assert (rows[2999].line, rows[2999].playtime, rows[2999].provider_ids) == (
        17999,
        3000,
        {"steam": "30000"},
    )
    assert [r.line for r in rows[:3]] == [5, 11, 17]


def test_a_compact_answer_is_all_on_line_one() -> None:
    games = [{"appid": n, "name": f"Game {n}"} for n in range(1, 1001)]

    rows = imported(read_text(steam, answer(*games)))

    assert len(rows) == 1000
    assert {r.line for r in rows} == {1}
