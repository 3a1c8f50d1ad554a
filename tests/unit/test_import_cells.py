"""The cell values every tracker's format reads the same way."""

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.games.domain import clean_tag
from questrya.imports.formats.cells import minutes_of_seconds, rating_of_percent, tag_words


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
