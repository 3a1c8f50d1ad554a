"""The REFs of a command line: `-` stands for those on standard input, and several REFs find
their games all at once (PRODUCT §4)."""

import io

import pytest

from questrya.common.exceptions import InvalidInputError, NotFoundError
from questrya.common.references import as_id, expand_input, resolve_all

TITLES = {1: "celeste", 2: "hades", 7: "1942"}


class Lookups:
    """A few titled games by id, counting the lookups by id a resolution makes."""

    def __init__(self) -> None:
        self.id_lookups: list[list[int]] = []

    def by_ids(self, ids: list[int]) -> list[int]:
        self.id_lookups.append(ids)
        return [game_id for game_id in ids if game_id in TITLES]

    def resolve(self, *refs: str) -> list[int]:
        return resolve_all(
            refs,
            self.by_ids,
            lambda key, exact: [
                game_id
                for game_id, title in TITLES.items()
                if (title == key if exact else key in title)
            ],
            str,
            lambda game_id: game_id,
        )


def test_every_number_is_looked_up_in_one_call() -> None:
    lookups = Lookups()

    assert lookups.resolve("2", "celeste", "1", " 2 ") == [2, 1]
    assert lookups.id_lookups == [[2, 1, 2]]


def test_a_number_that_is_no_id_is_still_a_whole_title() -> None:
    lookups = Lookups()

    assert lookups.resolve("7", "1942") == [7]
    with pytest.raises(NotFoundError, match="'9'"):
        lookups.resolve("1", "9")  # never part of a title


def test_no_numbers_make_no_lookup_by_id() -> None:
    lookups = Lookups()

    assert lookups.resolve("hades") == [2]
    assert lookups.id_lookups == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12", 12), ("0012", 12), (str(2**63 - 1), 2**63 - 1), (str(2**63), None), ("9" * 5000, None)],
)
def test_an_id_is_a_number_a_database_can_hold(text: str, expected: int | None) -> None:
    assert as_id(text) == expected


def test_a_dash_is_replaced_by_the_references_on_standard_input_in_place() -> None:
    stdin = io.StringIO("\n12\n\n  hades  \r\n\t\nCeleste\n")

    assert expand_input(["3", "-", "tunic"], stdin) == ["3", "12", "hades", "Celeste", "tunic"]


def test_standard_input_is_read_once_and_only_when_a_dash_asks() -> None:
    assert expand_input(["hades"], None) == ["hades"]
    stdin = io.StringIO("1\n2\n")
    assert expand_input(["-", "-"], stdin) == ["1", "2", "1", "2"]


@pytest.mark.parametrize("stdin", [io.StringIO(""), io.StringIO("\n \n"), None])
def test_a_dash_with_no_references_on_standard_input_is_bad_input(
    stdin: io.StringIO | None,
) -> None:
    with pytest.raises(InvalidInputError, match="no game references on standard input"):
        expand_input(["-"], stdin)


def test_standard_input_that_is_not_text_is_bad_input() -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b"\xff\xfe\n"), encoding="utf-8")

    with pytest.raises(InvalidInputError, match="not UTF-8"):
        expand_input(["-"], stdin)
