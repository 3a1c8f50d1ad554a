"""Value objects (PRODUCT §2-3): GameRating, Email, Platform, and the text folding of titles."""

from datetime import UTC, datetime

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.common.text import fold
from questrya.common.value_objects import (
    Email,
    GameMetadata,
    GameRating,
    Platform,
    ScoreSnapshot,
)
from questrya.games.domain import clean_title

# --- GameRating ---------------------------------------------------------------------------


def test_rating_takes_whole_numbers_1_to_10_and_recommends_from_7() -> None:
    recommended = {score: GameRating(score).recommended for score in range(1, 11)}

    assert [score for score, yes in recommended.items() if yes] == [7, 8, 9, 10]
    assert GameRating(8).score == 8


@pytest.mark.parametrize("score", [0, 11, -1])
def test_rating_out_of_range_is_refused_naming_the_value(score: int) -> None:
    with pytest.raises(InvalidInputError, match=rf"between 1 and 10, got {score}"):
        GameRating(score)


@pytest.mark.parametrize("score", [True, False, 7.0, "7", None])
def test_rating_refuses_bools_and_non_integers(score: object) -> None:
    with pytest.raises(InvalidInputError, match="whole number"):
        GameRating(score)  # type: ignore[arg-type]


# --- Email --------------------------------------------------------------------------------


def test_email_is_trimmed_and_its_domain_lowercased_but_not_its_local_part() -> None:
    email = Email("  Alice.Smith@Example.COM \n")

    assert str(email) == "Alice.Smith@example.com"
    assert email == Email("Alice.Smith@example.com")
    assert email != Email("alice.smith@example.com")


def test_email_with_an_international_domain_is_stored_idna_encoded() -> None:
    assert Email("joe@Bücher.de").address == "joe@xn--bcher-kva.de"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "alice",
        "@example.com",
        "alice@",
        "alice@localhost",
        "al ice@example.com",
        "alice..smith@example.com",
        ".alice@example.com",
        "alice@-example.com",
        "alice@example..com",
        "alice@example.com.",
        "alice@10.0.0.1",
        "a" * 65 + "@example.com",
        "alice@" + "a" * 64 + ".com",
    ],
)
def test_invalid_email_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInputError, match="invalid email"):
        Email(raw)


def test_email_longer_than_254_characters_is_refused() -> None:
    longest_labels = ".".join(["b" * 63] * 3)
    assert len(Email("a" * 58 + "@" + longest_labels + ".com").address) == 254

    with pytest.raises(InvalidInputError, match="longer than 254"):
        Email("a" * 59 + "@" + longest_labels + ".com")


@pytest.mark.parametrize("raw", ["alice\n@example.com", "alice@example\n.com"])
def test_email_with_a_newline_inside_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInputError):
        Email(raw)


# --- Platform -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("pc", "PC"),
        ("Windows", "PC"),
        ("WINDOWS", "PC"),
        ("ps5", "PS5"),
        ("PlayStation 5", "PS5"),
        ("playstation5", "PS5"),
        ("PS-5", "PS5"),
        ("switch", "Switch"),
        ("Nintendo Switch", "Switch"),
        ("  xbox   series x ", "Xbox Series X/S"),
        ("xbox", "Xbox Series X/S"),
        ("Xbox Series X|S", "Xbox Series X/S"),
        ("original xbox", "Xbox (2001)"),
        ("steam deck", "Steam Deck"),
    ],
)
def test_platform_aliases_become_the_canonical_name(typed: str, canonical: str) -> None:
    assert Platform(typed).name == canonical
    assert Platform(typed) == Platform(canonical)


def test_unknown_platform_is_kept_as_typed_trimmed() -> None:
    assert Platform("  Amiga   500 ").name == "Amiga 500"
    assert Platform("amiga 500").name == "amiga 500"
    assert Platform("Amiga 500").key == Platform("amiga 500").key


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("swtich", "Switch"),
        ("Nintendo Swtich", "Switch"),
        ("playstaion 5", "PS5"),
        ("ps55", "PS5"),
        ("andriod", "Android"),
        ("stema deck", "Steam Deck"),
    ],
)
def test_a_typo_of_a_known_platform_is_refused_with_a_suggestion(typed: str, meant: str) -> None:
    with pytest.raises(InvalidInputError, match=f"did you mean {meant}\\?"):
        Platform.typed(typed)
    assert Platform.typed(typed, new=True).name == typed


@pytest.mark.parametrize("typed", ["Amiga 500", "dos", "ps6", "PC-98", "3DO", "Neo Geo", "pc"])
def test_a_platform_far_from_every_known_one_or_known_is_taken(typed: str) -> None:
    assert Platform.typed(typed) == Platform(typed)


@pytest.mark.parametrize("raw", ["", "   ", "\t\n"])
def test_empty_platform_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInputError, match="platform must not be empty"):
        Platform(raw)


@pytest.mark.parametrize("raw", ["PC\x00", "x" * 51])
def test_platform_with_control_characters_or_too_long_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInputError, match="platform must be"):
        Platform(raw)


# --- fold ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Pokémon Legends: Arceus", "pokemon legends: arceus"),
        ("ÉLAN", "elan"),
        ("  Hollow   Knight ", "hollow knight"),
        ("Straße", "STRASSE"),
    ],
)
def test_fold_ignores_case_accents_and_spacing(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_fold_keeps_what_tells_titles_apart() -> None:
    assert fold("Pokémon Legends: Arceus") == "pokemon legends: arceus"
    assert fold("Portal") != fold("Portal 2")
    assert fold("Half-Life") != fold("Half Life")


def test_provider_text_fits_the_columns_a_server_database_enforces() -> None:
    """PostgreSQL refuses a value longer than its column, where SQLite stored it."""
    long_url = "https://cdn.example/" + "a" * 990
    metadata = GameMetadata(
        "steam", "570", "T" * 301, cover_url=long_url, url="https://store.example/570"
    )
    assert metadata.title == "T" * 300
    assert metadata.cover_url is None  # a URL cut short would lead nowhere
    assert metadata.url == "https://store.example/570"
    label = ScoreSnapshot(datetime(2026, 1, 1, tzinfo=UTC), label="Positive " * 5).label
    assert label == "Positive Positive Positive Positive Posi"


def test_a_title_whose_folded_key_outgrows_its_column_is_refused() -> None:
    """U+33A7 (a square "m/s") folds to three characters: 70 make a key of 210."""
    with pytest.raises(InvalidInputError, match="at most 200 characters"):
        clean_title("\u33a7" * 70)
    assert clean_title("\u33a7" * 66) == "\u33a7" * 66
