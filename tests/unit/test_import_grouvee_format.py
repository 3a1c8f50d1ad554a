"""Grouvee's collection export as import rows (PRODUCT §8)."""

import csv
import io
import json
from datetime import date

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.imports.formats import grouvee
from questrya.imports.formats.rows import ImportRow, SkippedRow
from questrya.imports.formats.tables import LONGEST_CELL
from tests.unit.format_support import GROUVEE_SAMPLE, imported, read_file, read_text


def test_the_sample_portal_is_completed_in_full_with_rating_ten_and_its_playtime() -> None:
    portal, red_dead, borderlands = imported(read_file(grouvee, GROUVEE_SAMPLE))

    assert portal == ImportRow(
        line=2,
        title="Portal",
        platform="PC (Microsoft Windows)",
        status="completed",
        rating=10,
        started=date(2010, 1, 1),
        completed=date(2020, 2, 2),
        completion_level="full",
        notes="Great\n\nLoved it",
        playtime=605,  # 36300 seconds
        provider_ids={"igdb": "71"},
    )
    assert (red_dead.line, red_dead.title, red_dead.status, red_dead.platform) == (
        3,
        "Red Dead Redemption 2",
        "not_started",
        "PlayStation 4",
    )
    # On the backlog: its play's level and dates are not a completion.
    assert (red_dead.rating, red_dead.started, red_dead.completion_level) == (8, None, None)
    assert (borderlands.title, borderlands.wishlist, borderlands.status) == (
        "Borderlands 4",
        True,
        "not_started",
    )
    assert (borderlands.platform, borderlands.rating, borderlands.playtime) == (None, None, 0)
    assert borderlands.provider_ids == {"igdb": "314246"}


def sample_header() -> list[str]:
    with GROUVEE_SAMPLE.open(encoding="utf-8", newline="") as file:
        return next(csv.reader(file))


def export(*games: dict[str, object]) -> str:
    """A Grouvee export of ``games`` (column → value; JSON columns as Python values)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=sample_header(), lineterminator="\n")
    writer.writeheader()
    for game in games:
        cells = {"shelves": {}, "platforms": {}, "dates": [], **game}
        writer.writerow({k: v if isinstance(v, str) else json.dumps(v) for k, v in cells.items()})
    return out.getvalue()


def play(started: str, finished: str, seconds: int, level: str = "Main Story") -> dict[str, object]:
    return {
        "date_started": started,
        "date_finished": finished,
        "seconds_played": seconds,
        "level_of_completion": level,
    }


@pytest.mark.parametrize(
    ("level", "expected"),
    [("Main Story", "main"), ("Main Story + Extras", "extras"), ("100% Completion", "full")],
)
def test_a_played_game_is_completed_at_its_level(level: str, expected: str) -> None:
    text = export(
        {
            "name": "Hades",
            "shelves": {"Played": {}},
            "dates": [play("None", "2021-05-01", 0, level)],
        }
    )

    (row,) = imported(read_text(grouvee, text))

    assert (row.status, row.completed, row.completion_level, row.started) == (
        "completed",
        date(2021, 5, 1),
        expected,
        None,
    )


def test_the_latest_play_gives_the_dates_and_every_play_the_playtime() -> None:
    plays = [
        play("2019-01-01", "2019-02-01", 3600, "Main Story"),
        play("2023-03-01", "2023-04-02", 7200, "100% Completion"),
        play("2020-01-01", "2020-01-05", 1830, "Main Story + Extras"),
    ]

    (row,) = imported(
        read_text(grouvee, export({"name": "Celeste", "shelves": {"Played": {}}, "dates": plays}))
    )

    assert (row.started, row.completed, row.completion_level) == (
        date(2023, 3, 1),
        date(2023, 4, 2),
        "full",
    )
    assert row.playtime == 211  # 12630 seconds: 210.5 minutes, rounded up


def test_a_game_being_played_keeps_its_start_and_no_completion() -> None:
    plays = [play("2024-06-01", "None", 5400)]

    (row,) = imported(
        read_text(grouvee, export({"name": "Hades II", "shelves": {"Playing": {}}, "dates": plays}))
    )

    assert (row.status, row.started, row.completed, row.completion_level, row.playtime) == (
        "playing",
        date(2024, 6, 1),
        None,
        None,
        90,
    )


def test_shelves_give_the_status_the_wish_and_the_players_own_shelves_as_tags() -> None:
    shelves = {"Wish List": {}, "Backlog": {}, "Couch Co-op": {}, "Favorites": {}}

    (row,) = imported(read_text(grouvee, export({"name": "It Takes Two", "shelves": shelves})))

    assert (row.status, row.wishlist, row.tags) == (
        "not_started",
        True,
        ("couch-co-op", "favorites"),
    )


def test_playing_wins_over_played_and_backlog() -> None:
    shelves = {"Backlog": {}, "Played": {}, "Playing": {}}

    (row,) = imported(read_text(grouvee, export({"name": "Tetris Effect", "shelves": shelves})))

    assert row.status == "playing"


def test_the_first_platform_is_taken_as_written() -> None:
    platforms = {"Nintendo Switch": {"url": "x"}, "PC (Microsoft Windows)": {"url": "x"}}

    (row,) = imported(read_text(grouvee, export({"name": "Hades", "platforms": platforms})))

    assert row.platform == "Nintendo Switch"


def test_a_level_grouvee_may_add_later_is_no_level() -> None:
    plays = [play("None", "2021-05-01", 0, "Most of it")]
    game = {"name": "Hades", "shelves": {"Played": {}}, "dates": plays}

    (row,) = imported(read_text(grouvee, export(game)))

    assert (row.status, row.completed, row.completion_level) == (
        "completed",
        date(2021, 5, 1),
        None,
    )


@pytest.mark.parametrize(("stars", "rating"), [("1", 2), ("3.5", 7), ("0", None), ("", None)])
def test_stars_are_a_rating_out_of_ten(stars: str, rating: int | None) -> None:
    (row,) = imported(read_text(grouvee, export({"name": "Hades", "rating": stars})))

    assert row.rating == rating


@pytest.mark.parametrize(
    ("game", "reason"),
    [
        ({"name": "", "shelves": {"Played": {}}}, "no name"),
        ({"name": "Hades", "shelves": "Played"}, "shelves is not JSON"),
        ({"name": "Hades", "shelves": ["Played"]}, "shelves is not a JSON object"),
        ({"name": "Hades", "rating": "6"}, "rating must be 1-5 stars"),
        (
            {"name": "Hades", "shelves": {"Played": {}}, "dates": [play("2021-02-30", "None", 0)]},
            "no 30 February 2021",
        ),
        ({"name": "Hades", "dates": [play("None", "None", -5)]}, "seconds_played"),
    ],
)
def test_a_row_that_cannot_be_read_is_skipped_with_its_line(
    game: dict[str, object], reason: str
) -> None:
    rows = read_text(grouvee, export({"name": "Celeste"}, game, {"name": "Hollow Knight"}))

    assert [type(r) for r in rows] == [ImportRow, SkippedRow, ImportRow]
    skipped = rows[1]
    assert isinstance(skipped, SkippedRow)
    assert skipped.line == 3
    assert reason in skipped.reason


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "no header row"),
        ("id,name,shelves,platforms,rating\n1,Hades,{},{},5\n", "no 'dates' column"),
        ("Title,Platform,Playing\nGame A,PC,X\n", "no 'name', 'shelves', .* columns"),
        (
            "id,name,shelves,platforms,rating,dates\n1,Hades,{},{},5,[]\n"
            + "x" * (LONGEST_CELL + 1),
            "line 3 is not CSV",
        ),
    ],
)
def test_a_file_that_is_no_grouvee_export_is_bad_input(text: str, why: str) -> None:
    with pytest.raises(InvalidInputError, match=why):
        read_text(grouvee, text)


def test_a_large_export_with_reviews_over_several_lines_keeps_every_row_and_its_line() -> None:
    games = [
        {
            "name": f"Game {n}",
            "shelves": {"Played": {}},
            "platforms": {"PlayStation 5": {"url": "x"}},
            "rating": str(n % 5 + 1),
            "review": "Line one\nline two",  # every row takes two lines
            "dates": [play("2020-01-01", "2020-06-30", 60 * n, "Main Story + Extras")],
            "igdb_id": str(n),
        }
        for n in range(1, 2501)
    ]

    rows = imported(read_text(grouvee, export(*games)))

    assert len(rows) == 2500
    assert [r.line for r in rows[:3]] == [2, 4, 6]
    last = rows[-1]
    assert (last.line, last.title, last.playtime, last.rating, last.provider_ids) == (
        5000,
        "Game 2500",
        2500,
        2,
        {"igdb": "2500"},
    )
    assert {(r.status, r.completed, r.completion_level, r.platform) for r in rows} == {
        ("completed", date(2020, 6, 30), "extras", "PlayStation 5")
    }
