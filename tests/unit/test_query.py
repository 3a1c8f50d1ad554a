"""The query language of PRODUCT §4: what each word means, and what is refused."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from questrya.common.exceptions import InvalidInputError
from questrya.games.query import (
    SORT_FIELDS,
    ChoiceTerm,
    FlagTerm,
    Query,
    RangeTerm,
    Term,
    TitleTerm,
    listing,
    parse_query,
)
from questrya.games.schemas import GAME_FIELDS


def only(words: list[str]) -> Term:
    query = parse_query(words)
    assert len(query.terms) == 1
    return query.terms[0]


@pytest.mark.parametrize(
    ("word", "test"),
    [
        ("zelda", TitleTerm("zelda")),
        ("Pokémon Légends", TitleTerm("pokemon legends")),
        ("half-life: alyx", TitleTerm("half-life: alyx")),
        ("title:re:zero", TitleTerm("re:zero")),
        ("status:playing", ChoiceTerm("status", ("playing",))),
        ("STATUS:On_Hold,playing", ChoiceTerm("status", ("on_hold", "playing"))),
        ("platform:windows", ChoiceTerm("platform", ("PC",))),
        ("platform:Amiga", ChoiceTerm("platform", ("Amiga",))),
        ("tag:CoOp", ChoiceTerm("tag", ("coop",))),
        ("metadata:fetched", ChoiceTerm("metadata", ("fetched",))),
        ("wishlist:yes", FlagTerm("wishlist", True)),
        ("wishlist:no", FlagTerm("wishlist", False)),
        ("rating:7..", RangeTerm("rating", 7, None)),
        ("rating:..5", RangeTerm("rating", None, 5)),
        ("rating:8", RangeTerm("rating", 8, 8)),
        ("released:2015..2020", RangeTerm("released", date(2015, 1, 1), date(2020, 12, 31))),
        ("added:2024-01..", RangeTerm("added", date(2024, 1, 1), None)),
        ("added:..2024-02", RangeTerm("added", None, date(2024, 2, 29))),
        ("completed:2024", RangeTerm("completed", date(2024, 1, 1), date(2024, 12, 31))),
        ("started:2024-03-05", RangeTerm("started", date(2024, 3, 5), date(2024, 3, 5))),
    ],
)
def test_each_kind_of_term_means_what_the_product_says(word: str, test: object) -> None:
    assert only([word]) == Term(test)  # type: ignore[arg-type]


@pytest.mark.parametrize("word", ["-tag:coop", "^tag:coop"])
def test_a_dash_or_caret_negates(word: str) -> None:
    assert only([word]) == Term(ChoiceTerm("tag", ("coop",)), negated=True)


def test_terms_are_anded_in_order_and_blank_words_are_skipped() -> None:
    query = parse_query(["dark", "", "status:completed", "-rating:..5"])
    assert [term.word() for term in query.terms] == ["dark", "status:completed", "-rating:..5"]


@pytest.mark.parametrize(
    ("word", "says"),
    [
        ("rating:a..b", "rating:a..b"),
        ("rating:11", "from 1 to 10"),
        ("rating:9..3", "empty"),
        ("rating:..", "at least one end"),
        ("released:2020-13", "there is no month 13"),
        ("completed:2023-02-29", "there is no 29 February 2023"),
        ("added:..2023-04-31", "there is no 31 April 2023"),
        ("released:last-year", "like 2020"),
        ("staus:playing", "unknown field 'staus'"),
        ("status:done", "status must be one of"),
        ("wishlist:maybe", "yes or no"),
        ("tag:two words", "one short word"),
        ("-", "nothing after"),
        ("title:", "empty"),
    ],
)
def test_a_bad_term_is_bad_input_that_names_it(word: str, says: str) -> None:
    with pytest.raises(InvalidInputError, match=says) as raised:
        parse_query([word])
    assert repr(word.strip()) in str(raised.value)


def test_queries_combine_with_and() -> None:
    combined = parse_query(["zelda"]) & parse_query(["status:playing"])
    assert combined.words() == ["zelda", "status:playing"]
    assert not Query()


FIELDS = ["title", "status", "platform", "tag", "metadata", "wishlist", "rating", "released"]
WORDS = st.one_of(
    st.text(min_size=1, max_size=12),
    st.builds(
        "{}{}:{}".format,
        st.sampled_from(["", "-", "^"]),
        st.sampled_from(FIELDS),
        st.text(max_size=10),
    ),
    st.builds(
        "{}:{}..{}".format,
        st.sampled_from(["rating", "released", "completed"]),
        st.integers(1, 2030).map(str) | st.just(""),
        st.integers(1, 2030).map(str) | st.just(""),
    ),
)


@given(st.lists(WORDS, max_size=4))
def test_the_parser_accepts_what_it_prints(words: list[str]) -> None:
    """Any query that parses prints as words that parse to the same query."""
    try:
        query = parse_query(words)
    except InvalidInputError:
        return
    assert parse_query(query.words()) == query


def test_every_sort_field_is_named_as_in_json() -> None:
    assert set(SORT_FIELDS) <= set(GAME_FIELDS)


@pytest.mark.parametrize("sort", ["titel", "recommended", "-", "title--x"])
def test_an_unknown_sort_field_is_bad_input_naming_the_fields(sort: str) -> None:
    with pytest.raises(InvalidInputError, match="release_date"):
        listing(sort=sort)


@pytest.mark.parametrize(
    ("word", "test"),
    [
        ("playtime:10h..", RangeTerm("playtime", 600, None)),
        ("playtime:..30m", RangeTerm("playtime", None, 30)),
        ("playtime:1h30m..2h", RangeTerm("playtime", 90, 120)),
        ("playtime:0m", RangeTerm("playtime", 0, 0)),
        ("lastplayed:2026-01..", RangeTerm("lastplayed", date(2026, 1, 1), None)),
        ("lastplayed:2025", RangeTerm("lastplayed", date(2025, 1, 1), date(2025, 12, 31))),
    ],
)
def test_playtime_is_a_range_of_durations_and_lastplayed_of_dates(word: str, test: object) -> None:
    term = only([word])
    assert term == Term(test)  # type: ignore[arg-type]
    assert parse_query([term.word()]) == parse_query([word])


@pytest.mark.parametrize(
    ("word", "says"),
    [("playtime:10..", "like 1h30m"), ("playtime:2h..1h", "empty"), ("lastplayed:soon", "2020")],
)
def test_a_bad_playtime_or_lastplayed_term_is_bad_input(word: str, says: str) -> None:
    with pytest.raises(InvalidInputError, match=says):
        parse_query([word])


@pytest.mark.parametrize(
    ("sort", "field", "descending"),
    [("playtime-", "playtime", True), ("lastplayed", "last_played", False)],
)
def test_playtime_and_last_played_sort_as_named_with_or_without_underscore(
    sort: str, field: str, descending: bool
) -> None:
    chosen = listing(sort=sort)
    assert (chosen.sort, chosen.descending) == (field, descending)
