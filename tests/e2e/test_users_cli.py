"""`questrya users …` and `--user` end to end, in-process (PRODUCT §2 profiles, §5 shape)."""

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Outcome, Questrya, error_line


def profiles(questrya: Questrya) -> dict[str, dict[str, Any]]:
    """`users list --json`, by name; checks the shape `[{name, email, default, games}]`."""
    outcome = questrya("users", "list", "--json")
    assert outcome.exit_code == 0, outcome.stderr
    rows = outcome.json()
    assert isinstance(rows, list)
    for row in rows:
        assert set(row) == {"name", "email", "default", "games"}
        assert isinstance(row["name"], str)
        assert row["email"] is None or isinstance(row["email"], str)
        assert type(row["default"]) is bool
        assert type(row["games"]) is int
    assert sum(row["default"] for row in rows) == (1 if rows else 0), rows
    return {row["name"]: row for row in rows}


def first_profile(questrya: Questrya) -> str:
    """Any games command creates the first profile, named after the login user."""
    assert questrya("games", "list").exit_code == 0
    return default_name(questrya)


def default_name(questrya: Questrya) -> str:
    return next(name for name, row in profiles(questrya).items() if row["default"])


def game_titles(questrya: Questrya, *user: str) -> list[str]:
    outcome = questrya(*user, "games", "list", "--json")
    assert outcome.exit_code == 0, outcome.stderr
    return sorted(game["title"] for game in outcome.json())


def add_game(questrya: Questrya, title: str, *user: str) -> int:
    outcome = questrya(*user, "games", "add", title, "-p", "pc", "--no-fetch", "--json")
    assert outcome.exit_code == 0, outcome.stderr
    game_id: int = outcome.json()["id"]
    return game_id


def test_the_first_command_creates_a_default_profile_that_owns_the_game(
    questrya: Questrya,
) -> None:
    add_game(questrya, "Hades")
    rows = profiles(questrya)
    assert len(rows) == 1
    (only,) = rows.values()
    assert (only["default"], only["games"], only["email"]) == (True, 1, None)


def test_users_add_then_list_with_a_normalised_email(questrya: Questrya) -> None:
    first_profile(questrya)
    added = questrya("users", "add", "alice", "--email", "  Alice@Example.COM ")
    assert added.exit_code == 0, added.stderr
    assert "alice" in added.stdout
    rows = profiles(questrya)
    assert rows["alice"] == {
        "name": "alice",
        "email": "Alice@example.com",
        "default": False,
        "games": 0,
    }


def test_users_list_table_names_every_profile(questrya: Questrya) -> None:
    questrya("users", "add", "alice")
    questrya("users", "add", "bob.b")
    outcome = questrya("users", "list")
    assert outcome.exit_code == 0, outcome.stderr
    assert "alice" in outcome.stdout
    assert "bob.b" in outcome.stdout


def test_a_profile_name_taken_twice_is_refused(questrya: Questrya) -> None:
    questrya("users", "add", "alice", "--email", "a@example.com")
    outcome = questrya("users", "add", "alice")
    assert outcome.exit_code == 1
    assert "alice" in error_line(outcome)
    assert profiles(questrya)["alice"]["email"] == "a@example.com"


@pytest.mark.parametrize("email", ["alice", "alice@", "@example.com", "al ice@example.com"])
def test_an_invalid_email_is_bad_input(questrya: Questrya, email: str) -> None:
    outcome = questrya("users", "add", "alice", "--email", email)
    assert outcome.exit_code == 2
    assert "email" in error_line(outcome)
    assert "alice" not in profiles(questrya)


@pytest.mark.parametrize("name", ["bad name", "x" * 33, "émile", "a/b"])
def test_an_invalid_profile_name_is_bad_input(questrya: Questrya, name: str) -> None:
    outcome = questrya("users", "add", name)
    assert outcome.exit_code == 2
    error_line(outcome)
    assert name not in profiles(questrya)


def test_an_invalid_name_for_user_option_is_bad_input(questrya: Questrya) -> None:
    outcome = questrya("--user", "not valid!", "games", "list")
    assert outcome.exit_code == 2
    error_line(outcome)


def test_user_option_scopes_every_command_to_that_profile(questrya: Questrya) -> None:
    first_profile(questrya)
    questrya("users", "add", "alice")
    mine = add_game(questrya, "Hades")
    hers = add_game(questrya, "Celeste", "--user", "alice")
    assert game_titles(questrya, "--user", "alice") == ["Celeste"]
    assert game_titles(questrya) == ["Hades"]
    # Her game is not found from the default profile, not even by id, and not changed.
    for ref in (str(hers), "Celeste"):
        assert questrya("games", "start", ref).exit_code == 3
    assert questrya("-u", "alice", "games", "show", str(mine)).exit_code == 3
    shown = questrya("-u", "alice", "games", "show", str(hers), "--json")
    assert shown.json()["status"] == "not_started"
    rows = profiles(questrya)
    assert rows["alice"]["games"] == 1
    assert rows[default_name(questrya)]["games"] == 1


def test_the_same_game_may_be_in_two_profiles(questrya: Questrya) -> None:
    first_profile(questrya)
    questrya("users", "add", "alice")
    add_game(questrya, "Hades")
    add_game(questrya, "Hades", "--user", "alice")
    assert game_titles(questrya, "--user", "alice") == ["Hades"]


def test_users_use_changes_the_default_profile(questrya: Questrya) -> None:
    first = first_profile(questrya)
    questrya("users", "add", "alice")
    outcome = questrya("users", "use", "alice")
    assert outcome.exit_code == 0, outcome.stderr
    assert default_name(questrya) == "alice"
    add_game(questrya, "Celeste")
    assert game_titles(questrya, "--user", "alice") == ["Celeste"]
    assert game_titles(questrya, "--user", first) == []


def test_users_use_an_unknown_profile_is_not_found(questrya: Questrya) -> None:
    first = first_profile(questrya)
    outcome = questrya("users", "use", "nobody")
    assert outcome.exit_code == 3
    assert "nobody" in error_line(outcome)
    assert default_name(questrya) == first


def test_users_rename_keeps_the_games(questrya: Questrya) -> None:
    questrya("users", "add", "alice")
    add_game(questrya, "Celeste", "--user", "alice")
    outcome = questrya("users", "rename", "alice", "alicia")
    assert outcome.exit_code == 0, outcome.stderr
    rows = profiles(questrya)
    assert "alice" not in rows
    assert rows["alicia"]["games"] == 1
    assert game_titles(questrya, "--user", "alicia") == ["Celeste"]


def test_users_rename_onto_a_taken_name_is_refused(questrya: Questrya) -> None:
    questrya("users", "add", "alice")
    questrya("users", "add", "bob")
    outcome = questrya("users", "rename", "alice", "bob")
    assert outcome.exit_code == 1
    error_line(outcome)
    assert {"alice", "bob"} <= profiles(questrya).keys()


def test_users_remove_is_refused_while_the_profile_has_games(questrya: Questrya) -> None:
    questrya("users", "add", "alice")
    add_game(questrya, "Celeste", "--user", "alice")
    refused = questrya("users", "remove", "alice")
    assert refused.exit_code == 1
    assert "--force" in error_line(refused)
    assert profiles(questrya)["alice"]["games"] == 1

    forced = questrya("users", "remove", "alice", "--force", "--yes")
    assert forced.exit_code == 0, forced.stderr
    assert "alice" not in profiles(questrya)
    # Its games went with it: a new profile of the same name starts empty.
    assert questrya("users", "add", "alice").exit_code == 0
    assert game_titles(questrya, "--user", "alice") == []


def test_users_remove_an_empty_profile(questrya: Questrya) -> None:
    questrya("users", "add", "alice")
    outcome = questrya("users", "remove", "alice")
    assert outcome.exit_code == 0, outcome.stderr
    assert "alice" not in profiles(questrya)
    assert questrya("users", "remove", "alice").exit_code == 3


def test_removing_the_default_profile_hands_the_default_on(questrya: Questrya) -> None:
    first = first_profile(questrya)
    questrya("users", "add", "alice")
    assert questrya("users", "remove", first).exit_code == 0
    assert default_name(questrya) == "alice"


# --- only the first run creates a profile (PRODUCT §2) -------------------------------------


def assert_no_such_profile(outcome: Outcome, name: str) -> None:
    assert outcome.exit_code == 3, outcome.stderr
    line = error_line(outcome)
    assert f"no profile named {name!r}" in line
    assert f"questrya users add {name}" in line


@pytest.mark.parametrize("spelling", ["alcie", "ROOT"])
def test_an_unknown_user_option_is_not_found_and_creates_nothing(
    questrya: Questrya, spelling: str
) -> None:
    questrya("users", "add", "root")
    questrya("users", "add", "alice")
    before = profiles(questrya)

    assert_no_such_profile(questrya("--user", spelling, "games", "list"), spelling)
    assert_no_such_profile(questrya("-u", spelling, "games", "add", "X", "-p", "pc"), spelling)

    assert profiles(questrya) == before


def test_questrya_user_naming_no_profile_is_not_found(
    questrya: Questrya, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = first_profile(questrya)
    monkeypatch.setenv("QUESTRYA_USER", "x")
    outcome = questrya("games", "list")
    assert_no_such_profile(outcome, "x")
    assert "QUESTRYA_USER" in outcome.stderr
    assert list(profiles(questrya)) == [first]


def test_on_a_new_home_an_unknown_user_creates_no_profile_at_all(questrya: Questrya) -> None:
    assert_no_such_profile(questrya("--user", "alice", "games", "list"), "alice")
    assert profiles(questrya) == {}


# --- one default profile, kept in the database ---------------------------------------------


def config_file(questrya: Questrya) -> Path:
    return Path(questrya("config", "path").stdout.strip())


def test_users_use_says_what_it_changed(questrya: Questrya) -> None:
    questrya("users", "add", "bob")
    questrya("users", "add", "root")
    outcome = questrya("users", "use", "root")
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout == "Default profile: root (was bob)\n"
    assert outcome.stderr == ""


def test_config_set_user_moves_the_default_profile_and_writes_no_file(
    questrya: Questrya,
) -> None:
    questrya("users", "add", "root")
    questrya("users", "add", "bob")

    outcome = questrya("config", "set", "user", "bob")

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout == "Default profile: bob (was root)\n"
    assert default_name(questrya) == "bob"
    assert not config_file(questrya).exists()
    add_game(questrya, "Celeste")
    assert game_titles(questrya, "--user", "bob") == ["Celeste"]
    # and `users use` is the same switch, back again
    assert questrya("users", "use", "root").stdout == "Default profile: root (was bob)\n"
    assert game_titles(questrya) == []


def test_config_set_user_to_an_unknown_profile_is_not_found(questrya: Questrya) -> None:
    first = first_profile(questrya)
    assert_no_such_profile(questrya("config", "set", "user", "bob"), "bob")
    assert default_name(questrya) == first
    assert not config_file(questrya).exists()


def test_users_use_names_an_environment_override_that_still_wins(
    questrya: Questrya, monkeypatch: pytest.MonkeyPatch
) -> None:
    questrya("users", "add", "bob")
    questrya("users", "add", "root")
    monkeypatch.setenv("QUESTRYA_USER", "bob")

    outcome = questrya("users", "use", "root")

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout == "Default profile: root (was bob)\n"
    assert "QUESTRYA_USER" in outcome.stderr
    assert "unset QUESTRYA_USER" in outcome.stderr
    assert default_name(questrya) == "root"


def test_a_user_key_left_in_config_toml_is_an_override_until_unset(questrya: Questrya) -> None:
    questrya("users", "add", "root")
    questrya("users", "add", "bob")
    add_game(questrya, "Celeste", "--user", "bob")
    config_file(questrya).write_text('user = "bob"\n', encoding="utf-8")
    assert game_titles(questrya) == ["Celeste"]

    switched = questrya("users", "use", "root")
    assert switched.exit_code == 0, switched.stderr
    assert "questrya config unset user" in switched.stderr
    assert game_titles(questrya) == ["Celeste"]  # the old key still picks bob

    unset = questrya("config", "unset", "user")
    assert unset.exit_code == 0, unset.stderr
    assert "user" not in config_file(questrya).read_text(encoding="utf-8")
    assert game_titles(questrya) == []


# --- removing a profile with its games -----------------------------------------------------


def test_users_remove_force_refuses_without_a_terminal_unless_yes(questrya: Questrya) -> None:
    first = first_profile(questrya)
    questrya("users", "add", "alice")
    add_game(questrya, "Celeste", "--user", "alice")

    refused = questrya("users", "remove", "alice", "--force")
    assert refused.exit_code == 2
    assert "--yes" in error_line(refused)
    assert profiles(questrya)["alice"]["games"] == 1

    removed = questrya("users", "remove", "alice", "--force", "--yes")
    assert removed.exit_code == 0, removed.stderr
    assert "alice" in removed.stdout
    assert f"Default profile: {first}" in removed.stdout
    assert "alice" not in profiles(questrya)


def test_removing_the_default_profile_names_the_new_default(questrya: Questrya) -> None:
    first = first_profile(questrya)
    questrya("users", "add", "alice")
    outcome = questrya("users", "remove", first)
    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.splitlines()[-1] == "Default profile: alice"


def test_users_edit_sets_and_removes_a_profile_s_email(questrya: Questrya) -> None:
    questrya("users", "add", "alice")

    outcome = questrya("users", "edit", "alice", "--email", " Alice@Example.COM")

    assert (outcome.exit_code, outcome.stdout) == (0, "Profile alice: email Alice@example.com\n")
    assert profiles(questrya)["alice"]["email"] == "Alice@example.com"
    assert questrya("users", "edit", "alice", "--no-email").exit_code == 0
    assert profiles(questrya)["alice"]["email"] is None


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (("alice", "--email", "nope"), 2, "email"),
        (("alice",), 2, "give --email EMAIL, or --no-email to remove it"),
        (("alice", "--email", "a@b.org", "--no-email"), 2, "--no-email"),
        (("alcie", "--email", "a@b.org"), 3, "no profile named 'alcie'"),
    ],
)
def test_a_bad_users_edit_changes_nothing(
    questrya: Questrya, args: tuple[str, ...], code: int, message: str
) -> None:
    questrya("users", "add", "alice", "--email", "alice@example.com")

    outcome = questrya("users", "edit", *args)

    assert outcome.exit_code == code
    assert message in error_line(outcome)
    assert profiles(questrya)["alice"]["email"] == "alice@example.com"
