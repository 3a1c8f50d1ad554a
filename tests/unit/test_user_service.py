"""The profile use cases (PRODUCT §2) on an in-memory fake: default profile, names, removal."""

import pytest

from questrya.common.exceptions import InvalidInputError, NotFoundError, RuleViolationError
from questrya.users.domain import ProfileOverride
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


def acting_as(
    uow: FakeUsersUnitOfWork,
    clock: FixedClock,
    override: ProfileOverride | None = None,
    login: str | None = None,
) -> UserService:
    """The service as a command sees it: with its --user (or QUESTRYA_USER) and login."""
    return UserService(uow, clock, override=override, login=login)


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
    uow: FakeUsersUnitOfWork, clock: FixedClock
) -> None:
    first = acting_as(uow, clock, login="alice").current()
    again = acting_as(uow, clock, login="someone-else").current()

    assert first.name == again.name == "alice"
    assert first.id == again.id
    assert defaults(uow) == ["alice"]
    assert len(uow.stored) == 1


@pytest.mark.parametrize(
    ("login", "name"),
    [(None, "default"), ("", "default"), ("Jean Dupont", "JeanDupont"), ("x" * 40, "x" * 32)],
)
def test_the_first_profile_name_is_the_login_made_valid(
    uow: FakeUsersUnitOfWork, clock: FixedClock, login: str | None, name: str
) -> None:
    assert acting_as(uow, clock, login=login).current().name == name


def test_an_accented_login_gives_its_unaccented_name(
    uow: FakeUsersUnitOfWork, clock: FixedClock
) -> None:
    assert acting_as(uow, clock, login="élodie").current().name == "elodie"


def test_the_default_profile_is_used_when_none_is_named(
    users: UserService, uow: FakeUsersUnitOfWork, clock: FixedClock
) -> None:
    users.add("alice")
    users.add("bob")
    users.use("bob")

    assert acting_as(uow, clock, login="alice").current().name == "bob"


def test_a_named_profile_is_used_without_taking_the_default(
    users: UserService, uow: FakeUsersUnitOfWork, clock: FixedClock
) -> None:
    users.add("alice")
    users.add("bob")
    commits = uow.commits

    bob = acting_as(uow, clock, ProfileOverride("bob")).current()

    assert (bob.name, bob.is_default) == ("bob", False)
    assert uow.commits == commits
    assert defaults(uow) == ["alice"]


@pytest.mark.parametrize("existing", [[], ["alice"]])
def test_a_named_profile_that_does_not_exist_is_not_found_and_not_created(
    users: UserService, uow: FakeUsersUnitOfWork, clock: FixedClock, existing: list[str]
) -> None:
    for name in existing:
        users.add(name)

    with pytest.raises(NotFoundError, match=r"no profile named 'alcie'.*questrya users add alcie"):
        acting_as(uow, clock, ProfileOverride("alcie"), login="alcie").current()

    assert sorted(user.name for user in uow.stored.values()) == existing


def test_an_override_that_outlasts_the_command_says_how_to_stop_it(
    users: UserService, uow: FakeUsersUnitOfWork, clock: FixedClock
) -> None:
    users.add("root")
    override = ProfileOverride("bob", "QUESTRYA_USER", "unset QUESTRYA_USER")

    with pytest.raises(NotFoundError, match=r"\(QUESTRYA_USER\).*or unset QUESTRYA_USER"):
        acting_as(uow, clock, override).current()


# --- use, rename ----------------------------------------------------------------------------


def test_use_makes_exactly_one_profile_the_default(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    users.add("alice")
    users.add("bob")

    change = users.use("bob")
    assert (change.name, change.previous, change.warning()) == ("bob", "alice", None)
    assert defaults(uow) == ["bob"]

    assert users.use("bob").previous == "bob"
    assert defaults(uow) == ["bob"]
    assert [s.name for s in users.summaries() if s.default] == ["bob"]


def test_use_warns_of_an_override_that_still_picks_another_profile(
    users: UserService, uow: FakeUsersUnitOfWork, clock: FixedClock
) -> None:
    users.add("bob")
    users.add("root")
    from_env = ProfileOverride("bob", "QUESTRYA_USER", "unset QUESTRYA_USER")

    change = acting_as(uow, clock, from_env).use("root")

    assert change.warning() == (
        "QUESTRYA_USER still picks profile bob: unset QUESTRYA_USER to act for root"
    )
    assert defaults(uow) == ["root"]
    assert acting_as(uow, clock, from_env).use("bob").warning() is None
    assert acting_as(uow, clock, ProfileOverride("bob")).use("root").warning() is None


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

    removal = users.remove("bob", force=True)

    assert (removal.name, removal.games, removal.default) == ("bob", 3, "alice")
    assert [s.name for s in users.summaries()] == ["alice"]
    assert sum(uow.game_counts.values()) == 0


def test_removing_the_default_profile_makes_the_oldest_remaining_one_the_default(
    users: UserService, uow: FakeUsersUnitOfWork
) -> None:
    for name in ("alice", "bob", "carol"):
        users.add(name)
    users.use("carol")

    assert users.remove("carol").default == "alice"
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
    users: UserService, uow: FakeUsersUnitOfWork, clock: FixedClock
) -> None:
    users.add("alice")
    assert users.remove("alice").default is None
    assert uow.stored == {}

    assert acting_as(uow, clock, login="bob").current().name == "bob"
    assert defaults(uow) == ["bob"]
