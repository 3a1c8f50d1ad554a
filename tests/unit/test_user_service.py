"""The profile use cases (PRODUCT §2) on an in-memory fake: default profile, names, removal."""

import pytest

from questrya.common.exceptions import InvalidInputError, NotFoundError, RuleViolationError
from questrya.users.service import UserService
from tests.unit.fakes import FakeUsersUnitOfWork, FixedClock


@pytest.fixture
def uow() -> FakeUsersUnitOfWork:
    return FakeUsersUnitOfWork()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def users(uow: FakeUsersUnitOfWork, clock: FixedClock) -> UserService:
    return UserService(uow, clock)


def defaults(uow: FakeUsersUnitOfWork) -> list[str]:
    """The names of the committed profiles marked default (PRODUCT: exactly one)."""
    return sorted(user.name for user in uow.stored.values() if user.is_default)


def give_games(uow: FakeUsersUnitOfWork, name: str, count: int) -> None:
    user = uow.stored_named(name)
    assert user is not None and user.id is not None
    uow.game_counts[user.id] = count


# --- add ----------------------------------------------------------------------------------


def test_the_first_profile_becomes_the_default_and_later_ones_do_not(
    users: UserService, uow: FakeUsersUnitOfWork, clock: FixedClock
) -> None:
    alice = users.add("alice")
    users.add("bob")

    assert alice.is_default
    assert defaults(uow) == ["alice"]
    assert [s.name for s in users.summaries()] == ["alice", "bob"]
    assert alice.created_at == clock.now()


def test_a_profile_email_is_validated_and_normalised(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    users.add("alice", email=" Alice@Example.COM ")

    with pytest.raises(InvalidInputError, match="invalid email"):
        users.add("bob", email="bob@localhost")

    [summary] = users.summaries()
    assert (summary.name, summary.email) == ("alice", "Alice@example.com")
    assert uow.stored_named("bob") is None


@pytest.mark.parametrize("name", ["", "   ", "two words", "x" * 33, "élodie", "a/b", "bob!"])
def test_an_invalid_profile_name_is_refused(
    users: UserService, uow: FakeUsersUnitOfWork, name: str
) -> None:
    with pytest.raises(InvalidInputError, match="must be 1-32 letters"):
        users.add(name)

    assert uow.stored == {}


def test_a_name_of_32_letters_digits_dots_dashes_and_underscores_is_valid(
    users: UserService,
) -> None:
    name = "Player_1.main-" + "x" * 18

    assert users.add(f"  {name} ").name == name


def test_a_second_profile_with_the_same_name_is_refused(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    users.add("alice")

    with pytest.raises(RuleViolationError, match="'alice' already exists"):
        users.add(" alice ")

    assert len(uow.stored) == 1


# --- current ------------------------------------------------------------------------------


def test_with_no_profile_the_first_command_creates_the_login_users_default_profile(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    first = users.current(None, login="alice")
    again = users.current(None, login="someone-else")

    assert first.name == again.name == "alice"
    assert first.id == again.id
    assert defaults(uow) == ["alice"]
    assert len(uow.stored) == 1


@pytest.mark.parametrize(
    ("login", "name"),
    [(None, "default"), ("", "default"), ("Jean Dupont", "JeanDupont"), ("x" * 40, "x" * 32)],
)
def test_the_first_profile_name_is_the_login_made_valid(
    users: UserService, login: str | None, name: str
) -> None:
    assert users.current(None, login=login).name == name


def test_an_accented_login_gives_its_unaccented_name(users: UserService) -> None:
    assert users.current(None, login="élodie").name == "elodie"


def test_the_default_profile_is_used_when_none_is_named(users: UserService) -> None:
    users.add("alice")
    users.add("bob")
    users.use("bob")

    assert users.current(None, login="alice").name == "bob"


def test_a_named_profile_is_created_on_first_use_without_taking_the_default(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    users.add("alice")

    bob = users.current("bob", login="alice")
    commits = uow.commits
    again = users.current("bob", login="alice")

    assert (bob.name, bob.is_default) == ("bob", False)
    assert again.id == bob.id
    assert uow.commits == commits
    assert defaults(uow) == ["alice"]


# --- use, rename ----------------------------------------------------------------------------


def test_use_makes_exactly_one_profile_the_default(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    users.add("alice")
    users.add("bob")

    users.use("bob")
    assert defaults(uow) == ["bob"]

    users.use("bob")
    assert defaults(uow) == ["bob"]
    assert [s.name for s in users.summaries() if s.default] == ["bob"]


def test_use_of_an_unknown_profile_is_not_found(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    users.add("alice")

    with pytest.raises(NotFoundError, match="no profile named 'carol'"):
        users.use("carol")

    assert defaults(uow) == ["alice"]


def test_rename_keeps_the_profile_and_its_default_flag(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    alice = users.add("alice")

    renamed = users.rename("alice", "alice2")

    assert renamed.id == alice.id
    assert uow.stored_named("alice") is None
    assert defaults(uow) == ["alice2"]


def test_rename_refuses_a_taken_or_invalid_name_and_an_unknown_profile(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    users.add("alice")
    users.add("bob")

    with pytest.raises(RuleViolationError, match="'bob' already exists"):
        users.rename("alice", "bob")
    with pytest.raises(InvalidInputError):
        users.rename("alice", "al ice")
    with pytest.raises(NotFoundError):
        users.rename("carol", "dave")

    assert sorted(user.name for user in uow.stored.values()) == ["alice", "bob"]


# --- remove -------------------------------------------------------------------------------


def test_remove_is_refused_while_the_profile_has_games(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    users.add("alice")
    users.add("bob")
    give_games(uow, "bob", 3)

    with pytest.raises(RuleViolationError, match=r"'bob' still has 3 game.*--force"):
        users.remove("bob")

    assert uow.stored_named("bob") is not None
    assert [s.games for s in users.summaries()] == [0, 3]


def test_remove_with_force_removes_the_profile_with_its_games(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    users.add("alice")
    users.add("bob")
    give_games(uow, "bob", 3)

    users.remove("bob", force=True)

    assert [s.name for s in users.summaries()] == ["alice"]
    assert sum(uow.game_counts.values()) == 0


def test_removing_the_default_profile_makes_the_oldest_remaining_one_the_default(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    for name in ("alice", "bob", "carol"):
        users.add(name)
    users.use("carol")

    users.remove("carol")
    assert defaults(uow) == ["alice"]

    users.remove("alice")
    assert defaults(uow) == ["bob"]


def test_removing_a_profile_that_is_not_the_default_leaves_the_default_alone(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    users.add("alice")
    users.add("bob")

    users.remove("bob")

    assert defaults(uow) == ["alice"]
    with pytest.raises(NotFoundError):
        users.remove("bob")


def test_after_the_last_profile_is_removed_the_next_command_creates_one(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    users.add("alice")
    users.remove("alice")
    assert uow.stored == {}

    assert users.current(None, login="bob").name == "bob"
    assert defaults(uow) == ["bob"]
