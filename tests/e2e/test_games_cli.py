"""`questrya games …` end to end, in-process: what a player sees on stdout, stderr and exit code.

PRODUCT.md §3-5 is the contract: the JSON shape, the transitions, references and exit codes.
"""

import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest

from tests.conftest import Questrya, error_line

GAME_KEYS = {
    "id",
    "title",
    "platform",
    "status",
    "release_date",
    "started_date",
    "completion_date",
    "completion_level",
    "rating",
    "recommended",
    "wishlist",
    "tags",
    "notes",
    "metadata_status",
    "metadata",
    "score",
    "added_at",
    "updated_at",
}
STATUSES = {"not_started", "playing", "on_hold", "completed", "abandoned"}
METADATA_STATUSES = {"pending", "fetched", "not_found", "ambiguous", "failed", "skipped"}


def add(questrya: Questrya, title: str, *options: str, platform: str = "pc") -> dict[str, Any]:
    """Adds a game (no metadata fetch) and returns it as JSON."""
    outcome = questrya(
        "games", "add", title, "--platform", platform, "--no-fetch", "--json", *options
    )
    assert outcome.exit_code == 0, outcome.stderr
    game: dict[str, Any] = outcome.json()
    return game


def show(questrya: Questrya, ref: str | int) -> dict[str, Any]:
    outcome = questrya("games", "show", str(ref), "--json")
    assert outcome.exit_code == 0, outcome.stderr
    game: dict[str, Any] = outcome.json()
    return game


def listed(questrya: Questrya, *options: str) -> list[dict[str, Any]]:
    outcome = questrya("games", "list", "--json", *options)
    assert outcome.exit_code == 0, outcome.stderr
    games: list[dict[str, Any]] = outcome.json()
    return games


def titles(questrya: Questrya, *options: str) -> list[str]:
    return [game["title"] for game in listed(questrya, *options)]


@pytest.fixture
def local_date_not_utc() -> Iterator[date]:
    """Moves the local time zone so that the local date differs from the UTC date right now.

    Yields the local date: a command that wrote the UTC date instead would be caught.
    """
    offset = 14 if datetime.now(UTC).hour >= 12 else -12
    saved = os.environ.get("TZ")
    os.environ["TZ"] = f"QST{-offset:+d}"  # POSIX counts hours west of Greenwich
    time.tzset()
    try:
        local = datetime.now(timezone(timedelta(hours=offset))).date()
        assert local != datetime.now(UTC).date()
        yield local
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved
        time.tzset()


# --- add ---------------------------------------------------------------------------------


def test_add_canonicalises_the_platform_and_skips_metadata_with_no_fetch(
    questrya: Questrya,
) -> None:
    game = add(questrya, "Hollow Knight")
    assert (game["title"], game["platform"]) == ("Hollow Knight", "PC")
    assert (game["status"], game["metadata_status"]) == ("not_started", "skipped")
    assert show(questrya, game["id"]) == game


def test_add_without_no_fetch_leaves_the_metadata_pending(questrya: Questrya) -> None:
    outcome = questrya("games", "add", "Hollow Knight", "--platform", "windows", "--json")
    assert outcome.exit_code == 0, outcome.stderr
    assert (outcome.json()["platform"], outcome.json()["metadata_status"]) == ("PC", "pending")


def test_add_prints_the_new_game_id_first(questrya: Questrya) -> None:
    outcome = questrya("games", "add", "Celeste", "-p", "switch", "--no-fetch")
    assert outcome.exit_code == 0, outcome.stderr
    game_id, rest = outcome.stdout.split(maxsplit=1)
    assert show(questrya, game_id)["title"] == "Celeste"
    assert "Celeste" in rest
    assert "Switch" in rest


@pytest.mark.parametrize(
    ("title", "message"),
    [("   ", "empty"), ("Bad\x07Title", "control"), ("x" * 201, "200")],
)
def test_an_invalid_title_is_bad_input(questrya: Questrya, title: str, message: str) -> None:
    outcome = questrya("games", "add", title, "--platform", "pc", "--no-fetch")
    assert outcome.exit_code == 2
    assert message in error_line(outcome)
    assert listed(questrya) == []


def test_the_same_title_on_the_same_platform_is_refused_naming_the_existing_id(
    questrya: Questrya,
) -> None:
    first = add(questrya, "Hollow Knight")
    again = questrya("games", "add", "hollow knight", "-p", "Windows", "--no-fetch")
    assert again.exit_code == 1
    assert str(first["id"]) in error_line(again)
    assert titles(questrya) == ["Hollow Knight"]
    # The same title on another platform is another game.
    assert add(questrya, "Hollow Knight", platform="switch")["platform"] == "Switch"


# --- the JSON shape (PRODUCT §5) -----------------------------------------------------------


def assert_game_shape(game: dict[str, Any]) -> None:
    assert game.keys() >= GAME_KEYS
    assert isinstance(game["id"], int)
    assert isinstance(game["title"], str)
    assert isinstance(game["platform"], str)
    assert game["status"] in STATUSES
    for key in ("release_date", "started_date", "completion_date"):
        assert game[key] is None or date.fromisoformat(game[key])
    assert game["completion_level"] in (None, "main", "extras", "full")
    assert game["rating"] is None or (type(game["rating"]) is int and 1 <= game["rating"] <= 10)
    assert type(game["recommended"]) is bool
    assert type(game["wishlist"]) is bool
    assert isinstance(game["tags"], list)
    assert all(isinstance(tag, str) for tag in game["tags"])
    assert isinstance(game["notes"], str)
    assert game["metadata_status"] in METADATA_STATUSES
    assert game["metadata"] is None or isinstance(game["metadata"], dict)
    assert game["score"] is None or isinstance(game["score"], dict)
    for key in ("added_at", "updated_at"):
        assert isinstance(datetime.fromisoformat(game[key]), datetime)


def test_every_json_key_is_present_with_its_type(questrya: Questrya) -> None:
    bare = add(questrya, "Hades")
    full = add(
        questrya,
        "Celeste",
        "--release-date",
        "2018-01-25",
        "--tag",
        "Platformer",
        "--notes",
        "strawberries",
        "--wishlist",
        platform="switch",
    )
    questrya("games", "start", "Celeste")
    completed = questrya("games", "complete", "Celeste", "--level", "full", "--rating", "10")
    assert completed.exit_code == 0, completed.stderr
    full = show(questrya, full["id"])
    for game in (bare, full, *listed(questrya)):
        assert_game_shape(game)
    assert bare["release_date"] is None
    assert bare["rating"] is None
    assert bare["tags"] == []
    assert full["release_date"] == "2018-01-25"
    assert (full["completion_level"], full["rating"], full["recommended"]) == ("full", 10, True)
    assert (full["tags"], full["notes"], full["wishlist"]) == (["platformer"], "strawberries", True)
    assert datetime.fromisoformat(full["updated_at"]) >= datetime.fromisoformat(full["added_at"])


def test_list_json_is_an_empty_array_when_nothing_matches(questrya: Questrya) -> None:
    empty = questrya("games", "list", "--json")
    assert (empty.exit_code, empty.stdout.strip()) == (0, "[]")
    add(questrya, "Hades")
    assert listed(questrya, "--status", "completed") == []


# --- transitions ---------------------------------------------------------------------------


def test_start_then_complete_with_a_rating_on_the_local_date(
    questrya: Questrya, local_date_not_utc: date
) -> None:
    game_id = add(questrya, "Hollow Knight")["id"]
    assert questrya("games", "start", "hollow").exit_code == 0
    assert show(questrya, game_id)["status"] == "playing"
    done = questrya("games", "complete", "Hollow Knight", "--rating", "9")
    assert done.exit_code == 0, done.stderr
    game = show(questrya, game_id)
    assert (game["status"], game["rating"], game["recommended"]) == ("completed", 9, True)
    assert game["started_date"] == local_date_not_utc.isoformat()
    assert game["completion_date"] == local_date_not_utc.isoformat()


def test_an_abandoned_game_cannot_be_completed(questrya: Questrya) -> None:
    game_id = add(questrya, "Dark Souls")["id"]
    assert questrya("games", "abandon", str(game_id)).exit_code == 0
    refused = questrya("games", "complete", str(game_id))
    assert refused.exit_code == 1
    assert "abandoned" in error_line(refused)
    assert show(questrya, game_id)["status"] == "abandoned"
    # Starting it again is the way back.
    assert questrya("games", "start", str(game_id)).exit_code == 0
    assert questrya("games", "complete", str(game_id)).exit_code == 0
    assert show(questrya, game_id)["status"] == "completed"


@pytest.mark.parametrize(
    ("moves", "refused", "current"),
    [
        ((), "hold", "not_started"),
        (("start", "complete"), "abandon", "completed"),
        (("start", "hold", "complete"), "hold", "completed"),
    ],
)
def test_a_move_the_rules_forbid_names_the_current_status(
    questrya: Questrya, moves: tuple[str, ...], refused: str, current: str
) -> None:
    add(questrya, "Hades")
    for move in moves:
        assert questrya("games", move, "Hades").exit_code == 0
    outcome = questrya("games", refused, "Hades")
    assert outcome.exit_code == 1
    assert current in error_line(outcome)
    assert show(questrya, "Hades")["status"] == current


def test_a_completed_game_can_be_replayed(questrya: Questrya) -> None:
    add(questrya, "Hades")
    questrya("games", "complete", "Hades")
    assert questrya("games", "start", "Hades").exit_code == 0
    assert show(questrya, "Hades")["status"] == "playing"


# --- rating --------------------------------------------------------------------------------


@pytest.mark.parametrize(("rating", "recommended"), [(7, True), (6, False)])
def test_rate_sets_recommended_from_seven_up(
    questrya: Questrya, rating: int, recommended: bool
) -> None:
    add(questrya, "Hades")
    assert questrya("games", "rate", "Hades", str(rating)).exit_code == 0
    game = show(questrya, "Hades")
    assert (game["rating"], game["recommended"]) == (rating, recommended)


@pytest.mark.parametrize("rating", ["11", "0"])
def test_a_rating_out_of_range_is_bad_input_and_changes_nothing(
    questrya: Questrya, rating: str
) -> None:
    add(questrya, "Hades", "--rating", "8")
    outcome = questrya("games", "rate", "Hades", rating)
    assert outcome.exit_code == 2
    assert rating in error_line(outcome)
    assert show(questrya, "Hades")["rating"] == 8


# --- references ----------------------------------------------------------------------------


def test_an_unknown_reference_is_not_found(questrya: Questrya) -> None:
    add(questrya, "Hades")
    for ref in ("9999", "Celeste"):
        outcome = questrya("games", "show", ref)
        assert outcome.exit_code == 3
        assert ref in error_line(outcome)


def test_a_reference_matching_several_titles_is_ambiguous_with_the_candidates(
    questrya: Questrya,
) -> None:
    two = add(questrya, "Dark Souls II")
    three = add(questrya, "Dark Souls III")
    outcome = questrya("games", "start", "dark souls")
    assert outcome.exit_code == 4
    first, *candidates = outcome.stderr.splitlines()
    assert first.startswith("Error: ")
    assert not any(line.startswith("Error:") for line in candidates)
    details = "\n".join(candidates)
    for game in (two, three):
        assert game["title"] in details
        assert str(game["id"]) in details
    assert {game["status"] for game in listed(questrya)} == {"not_started"}


def test_an_equal_title_wins_over_titles_that_contain_it(questrya: Questrya) -> None:
    two = add(questrya, "Dark Souls II")
    add(questrya, "Dark Souls III")
    assert show(questrya, "dark souls ii")["id"] == two["id"]


def test_a_number_that_is_no_id_never_falls_back_to_part_of_a_title(questrya: Questrya) -> None:
    for title in ("Celeste", "Baldur's Gate 3", "Hades", "Doom 2016"):
        add(questrya, title)
    assert questrya("games", "remove", "3", "--yes").exit_code == 0
    for args in (
        ("games", "remove", "3", "--yes"),
        ("games", "show", "0"),
        ("games", "start", "2016"),
        ("games", "history", "20"),
        ("games", "match", "3"),
        ("games", "refresh", "3"),
    ):
        outcome = questrya(*args)
        assert outcome.exit_code == 3, (args, outcome.stderr)
        assert args[2] in error_line(outcome)
    assert titles(questrya) == ["Baldur's Gate 3", "Celeste", "Doom 2016"]
    assert {game["status"] for game in listed(questrya)} == {"not_started"}


@pytest.mark.parametrize("digits", [20, 5000])
@pytest.mark.parametrize("command", ["show", "start", "history", "match", "refresh"])
def test_a_number_too_long_for_an_id_is_not_found(
    questrya: Questrya, command: str, digits: int
) -> None:
    add(questrya, "Celeste")
    number = "9" * digits

    outcome = questrya("games", command, number)

    assert outcome.exit_code == 3, outcome.stderr
    assert "no game matches" in error_line(outcome)


def test_a_number_that_is_no_id_may_still_be_a_whole_title(questrya: Questrya) -> None:
    add(questrya, "Celeste")
    game_1942 = add(questrya, "1942", platform="nes")
    assert show(questrya, "1942")["id"] == game_1942["id"]
    assert questrya("games", "start", "1942").exit_code == 0
    assert show(questrya, game_1942["id"])["status"] == "playing"


def test_a_reference_ignores_case_and_accents(questrya: Questrya) -> None:
    game = add(questrya, "Pokémon Rouge", platform="game boy")
    assert show(questrya, "POKEMON")["id"] == game["id"]


# --- list ----------------------------------------------------------------------------------


@pytest.fixture
def shelf(questrya: Questrya) -> dict[str, int]:
    """Five games across statuses, platforms, tags and ratings; title → id."""
    games = {
        "Hades": ("pc", ("--tag", "roguelike", "--rating", "9")),
        "Celeste": ("switch", ("--tag", "platformer", "--rating", "8")),
        "Dead Cells": ("switch", ("--tag", "roguelike", "--rating", "7")),
        "Bloodborne": ("ps4", ("--rating", "10")),
        "Anthem": ("windows", ("--rating", "3")),
    }
    ids = {
        title: add(questrya, title, *options, platform=platform)["id"]
        for title, (platform, options) in games.items()
    }
    for command, title in [("start", "Hades"), ("start", "Celeste"), ("hold", "Celeste")]:
        assert questrya("games", command, title).exit_code == 0
    assert questrya("games", "abandon", "Anthem").exit_code == 0
    return ids


def test_list_by_default_groups_by_status_then_sorts_by_title(
    questrya: Questrya, shelf: dict[str, int]
) -> None:
    games = listed(questrya)
    assert sorted(game["id"] for game in games) == sorted(shelf.values())
    statuses = [game["status"] for game in games]
    groups = [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s]
    assert len(groups) == len(set(groups)), statuses
    for status in groups:
        in_group = [game["title"] for game in games if game["status"] == status]
        assert in_group == sorted(in_group)


def test_list_with_repeated_status_shows_either(questrya: Questrya, shelf: dict[str, int]) -> None:
    assert sorted(titles(questrya, "--status", "playing", "--status", "on_hold")) == [
        "Celeste",
        "Hades",
    ]
    assert titles(questrya, "--status", "abandoned") == ["Anthem"]


def test_list_by_platform_accepts_an_alias(questrya: Questrya, shelf: dict[str, int]) -> None:
    assert sorted(titles(questrya, "--platform", "Windows")) == ["Anthem", "Hades"]
    assert sorted(titles(questrya, "--platform", "nintendo switch")) == ["Celeste", "Dead Cells"]


def test_list_by_tag(questrya: Questrya, shelf: dict[str, int]) -> None:
    assert sorted(titles(questrya, "--tag", "ROGUELIKE")) == ["Dead Cells", "Hades"]


def test_list_sort_with_a_dash_reverses_and_limit_cuts(
    questrya: Questrya, shelf: dict[str, int]
) -> None:
    assert titles(questrya, "--sort", "rating-") == [
        "Bloodborne",
        "Hades",
        "Celeste",
        "Dead Cells",
        "Anthem",
    ]
    assert titles(questrya, "--sort", "title", "--limit", "2") == ["Anthem", "Bloodborne"]
    assert titles(questrya, "--sort", "title-", "--limit", "1") == ["Hades"]


def test_list_table_piped_shows_every_game(questrya: Questrya, shelf: dict[str, int]) -> None:
    outcome = questrya("games", "list", "--platform", "switch")
    assert outcome.exit_code == 0, outcome.stderr
    body = outcome.stdout.splitlines()[1:]
    assert len(body) == 2
    assert "Celeste" in outcome.stdout
    assert "Dead Cells" in outcome.stdout
    assert "Hades" not in outcome.stdout


@pytest.mark.parametrize(
    ("options", "named"), [(("--status", "won"), "won"), (("--sort", "fun"), "fun")]
)
def test_list_with_an_unknown_status_or_sort_field_is_bad_input(
    questrya: Questrya, options: tuple[str, ...], named: str
) -> None:
    outcome = questrya("games", "list", *options)
    assert outcome.exit_code == 2
    assert named in error_line(outcome)


# --- edit ----------------------------------------------------------------------------------


def test_edit_changes_title_platform_and_notes(questrya: Questrya) -> None:
    game_id = add(questrya, "Hollow Knigth", "--notes", "old")["id"]
    outcome = questrya(
        "games",
        "edit",
        str(game_id),
        "--title",
        "Hollow Knight",
        "--platform",
        "switch",
        "--notes",
        "Team Cherry",
        "--json",
    )
    assert outcome.exit_code == 0, outcome.stderr
    game = show(questrya, game_id)
    assert (game["title"], game["platform"], game["notes"]) == (
        "Hollow Knight",
        "Switch",
        "Team Cherry",
    )
    assert outcome.json() == game


def test_edit_adds_and_removes_tags(questrya: Questrya) -> None:
    add(questrya, "Hades", "--tag", "coop", "--tag", "rpg")
    outcome = questrya("games", "edit", "Hades", "--tag", "Roguelike", "--untag", "coop")
    assert outcome.exit_code == 0, outcome.stderr
    assert sorted(show(questrya, "Hades")["tags"]) == ["roguelike", "rpg"]


def test_edit_wishlist_then_owned(questrya: Questrya) -> None:
    add(questrya, "Silksong")
    assert questrya("games", "edit", "Silksong", "--wishlist").exit_code == 0
    assert show(questrya, "Silksong")["wishlist"] is True
    assert questrya("games", "edit", "Silksong", "--owned").exit_code == 0
    assert show(questrya, "Silksong")["wishlist"] is False


def test_edit_with_nothing_to_change_is_bad_input(questrya: Questrya) -> None:
    before = add(questrya, "Hades")
    outcome = questrya("games", "edit", "Hades")
    assert outcome.exit_code == 2
    error_line(outcome)
    assert show(questrya, "Hades") == before


def test_edit_into_a_duplicate_is_refused(questrya: Questrya) -> None:
    celeste = add(questrya, "Celeste", platform="switch")
    other = add(questrya, "Celeste 64", platform="switch")
    outcome = questrya("games", "edit", str(other["id"]), "--title", "CELESTE")
    assert outcome.exit_code == 1
    assert str(celeste["id"]) in error_line(outcome)
    assert show(questrya, other["id"]) == other


# --- remove --------------------------------------------------------------------------------


def test_remove_with_yes(questrya: Questrya) -> None:
    add(questrya, "Anthem")
    kept = add(questrya, "Hades")
    outcome = questrya("games", "remove", "anthem", "--yes")
    assert outcome.exit_code == 0, outcome.stderr
    assert "Anthem" in outcome.stdout
    assert [game["id"] for game in listed(questrya)] == [kept["id"]]
    assert questrya("games", "show", "Anthem").exit_code == 3


def test_remove_without_yes_and_no_terminal_refuses(questrya: Questrya) -> None:
    game = add(questrya, "Anthem")
    outcome = questrya("games", "remove", "Anthem", input="y\n")
    assert outcome.exit_code == 2
    assert "--yes" in error_line(outcome)
    assert show(questrya, game["id"]) == game


# --- dates ---------------------------------------------------------------------------------


def test_an_impossible_release_date_is_bad_input(questrya: Questrya) -> None:
    outcome = questrya("games", "add", "Hades", "-p", "pc", "--release-date", "2020-13-01")
    assert outcome.exit_code == 2
    assert "2020-13-01" in error_line(outcome)
    assert listed(questrya) == []


def test_a_completion_date_in_the_future_is_bad_input(questrya: Questrya) -> None:
    before = add(questrya, "Hades")
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    outcome = questrya("games", "complete", "Hades", "--date", tomorrow)
    assert outcome.exit_code == 2
    assert "future" in error_line(outcome)
    assert show(questrya, "Hades") == before


def test_a_completion_before_the_release_is_bad_input(questrya: Questrya) -> None:
    before = add(questrya, "Hades", "--release-date", "2020-09-17")
    outcome = questrya("games", "complete", "Hades", "--date", "2020-09-16", "--rating", "9")
    assert outcome.exit_code == 2
    assert "release" in error_line(outcome)
    assert show(questrya, "Hades") == before


def test_a_release_date_after_the_completion_is_bad_input(questrya: Questrya) -> None:
    add(questrya, "Hades")
    assert questrya("games", "complete", "Hades", "--date", "2020-10-01").exit_code == 0
    before = show(questrya, "Hades")
    outcome = questrya("games", "edit", "Hades", "--release-date", "2021-01-01")
    assert outcome.exit_code == 2
    error_line(outcome)
    assert show(questrya, "Hades") == before


# --- usage errors --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("games", "list", "--bogus"),
        ("games", "add", "Hades"),  # --platform is required
        ("games", "rate", "Hades", "nine"),
        ("games", "list", "--limit", "-1"),
        ("games", "conquer", "Hades"),
    ],
    ids=["unknown-option", "missing-option", "not-an-integer", "below-minimum", "no-such-command"],
)
def test_a_usage_error_is_bad_input_with_one_error_line(
    questrya: Questrya, args: tuple[str, ...]
) -> None:
    add(questrya, "Hades")
    outcome = questrya(*args)
    assert outcome.exit_code == 2
    error_line(outcome)
    assert show(questrya, "Hades")["rating"] is None


def test_games_without_a_command_prints_its_help(questrya: Questrya) -> None:
    outcome = questrya("games")
    assert (outcome.exit_code, outcome.stderr) == (0, "")
    assert "Usage:" in outcome.stdout
    assert "complete" in outcome.stdout


# --- platforms as players mean them ------------------------------------------------------


def test_a_typo_of_a_platform_is_refused_with_a_suggestion_and_nothing_added(
    questrya: Questrya,
) -> None:
    outcome = questrya("games", "add", "Zelda", "-p", "swtich", "--no-fetch")

    assert outcome.exit_code == 2
    assert error_line(outcome) == (
        "Error: unknown platform 'swtich': did you mean Switch? (--new-platform keeps it as typed)"
    )
    assert listed(questrya) == []
    assert add(questrya, "Zelda", "--new-platform", platform="swtich")["platform"] == "swtich"


def test_an_edit_to_a_typo_of_a_platform_is_refused(questrya: Questrya) -> None:
    game = add(questrya, "Halo")

    outcome = questrya("games", "edit", str(game["id"]), "-p", "xobx one")

    assert outcome.exit_code == 2
    assert "did you mean Xbox One?" in outcome.stderr
    assert show(questrya, game["id"])["platform"] == "PC"


def test_xbox_alone_is_the_current_generation_and_steam_deck_a_platform(
    questrya: Questrya,
) -> None:
    assert add(questrya, "Armored Core VI", platform="xbox")["platform"] == "Xbox Series X/S"
    assert add(questrya, "Halo", platform="original xbox")["platform"] == "Xbox (2001)"
    assert add(questrya, "Hades", platform="steam deck")["platform"] == "Steam Deck"


def test_platforms_lists_the_canonical_names_with_their_aliases(questrya: Questrya) -> None:
    listed_platforms = {p["name"]: p["aliases"] for p in questrya("platforms", "--json").json()}

    assert "playstation 5" in listed_platforms["PS5"]
    assert "xbox" in listed_platforms["Xbox Series X/S"]
    table = questrya("platforms").stdout.splitlines()
    assert table[0].split() == ["Platform", "Also", "written"]
    assert any(line.startswith("Steam Deck") and "steamdeck" in line for line in table)


# --- tags and the wishlist ---------------------------------------------------------------


def test_tags_lists_each_tag_in_use_with_its_games_most_used_first(questrya: Questrya) -> None:
    add(questrya, "Hades", "--tag", "roguelike", "--tag", "coop")
    add(questrya, "It Takes Two", "--tag", "coop")
    add(questrya, "Gone", "--tag", "coop", "--tag", "gone")
    assert questrya("games", "remove", "gone", "--yes").exit_code == 0

    assert questrya("tags", "--json").json() == [
        {"tag": "coop", "games": 2},
        {"tag": "roguelike", "games": 1},
    ]
    assert questrya("tags").stdout.splitlines() == [
        "Tag        Games",
        "coop       2",
        "roguelike  1",
    ]


def test_list_wishlist_lists_the_wishlist_alone(questrya: Questrya) -> None:
    add(questrya, "Hades")
    add(questrya, "Silksong", "--wishlist")

    assert titles(questrya, "--wishlist") == ["Silksong"]
    assert titles(questrya, "--wishlist", "hades") == []
