"""The cell values every tracker's format reads the same way."""

from datetime import date

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.games.domain import clean_tag
from questrya.imports.formats.cells import (
    day,
    minutes_of_seconds,
    rating_of_percent,
    tag_words,
    whole_number,
)


def test_tracker_tags_become_questrya_tags() -> None:
    names = [
        "Visual Novel",
        "  Co-op ",
        "RPG",
        "rpg",
        "★★★",
        "Finished: 2021 (100%)",
        "A tag name far longer than thirty-two characters",
        "_private",
    ]

    words = tag_words(names)

    assert words == (
        "visual-novel",
        "co-op",
        "rpg",
        "finished-2021-100",
        "a-tag-name-far-longer-than-thirt",
        "private",
    )
    assert [clean_tag(word) for word in words] == list(words)  # every one a valid tag


@pytest.mark.parametrize(("seconds", "minutes"), [(0, 0), (29, 0), (30, 1), (36300, 605)])
def test_seconds_are_whole_minutes_rounded_half_up(seconds: int, minutes: int) -> None:
    assert minutes_of_seconds(seconds) == minutes


@pytest.mark.parametrize(("score", "rating"), [("5", 1), ("15", 2), ("65", 7), ("94.9", 9)])
def test_a_percentage_is_a_tenth_rounded_half_up_and_at_least_one(score: str, rating: int) -> None:
    assert rating_of_percent(score, "score") == rating


@pytest.mark.parametrize("score", ["-5", "101", "nan", "inf", "lots"])
def test_a_percentage_out_of_range_or_no_number_is_refused_naming_it(score: str) -> None:
    with pytest.raises(InvalidInputError, match="score"):
        rating_of_percent(score, "score")


@pytest.mark.parametrize(
    ("cell", "read"),
    [
        ("2024-02-09", date(2024, 2, 9)),
        (" 2024-02-09 18:23:45", date(2024, 2, 9)),
        ("2024-02-09T18:23:45Z", date(2024, 2, 9)),
        ("2024-2-9", date(2024, 2, 9)),
        ("", None),
        ("null", None),
    ],
)
def test_a_date_is_the_day_a_cell_starts_with(cell: str, read: date | None) -> None:
    assert day(cell, "Start Date") == read


@pytest.mark.parametrize(
    ("cell", "says"),
    [
        ("09/02/2024", "Start Date must be a date like 2024-05-17, got '09/02/2024'"),
        ("2023-02-30", "Start Date 2023-02-30: there is no 30 February 2023"),
    ],
)
def test_a_cell_that_is_no_date_is_refused_saying_why(cell: str, says: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        day(cell, "Start Date")

    assert str(refused.value) == says


@pytest.mark.parametrize(("cell", "read"), [("605", 605), ("605.0", 605), ("", 0)])
def test_a_whole_number_may_be_written_with_a_zero_fraction(cell: str, read: int) -> None:
    assert whole_number(cell, "gameMins") == read


@pytest.mark.parametrize("cell", ["-3", "1.5", "a while", "inf"])
def test_a_count_that_is_no_whole_number_is_refused_naming_it(cell: str) -> None:
    with pytest.raises(
        InvalidInputError, match=f"gameMins must be a whole number of at least 0, got {cell!r}"
    ):
        whole_number(cell, "gameMins")
