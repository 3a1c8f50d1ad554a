"""The profile use cases, and which profile a command acts for."""

from questrya.common.clock import Clock
from questrya.common.exceptions import NotFoundError, RuleViolationError
from questrya.common.value_objects import Email
from questrya.users.domain import (
    DefaultChange,
    ProfileOverride,
    ProfileRemoval,
    ProfileSummary,
    User,
    clean_profile_name,
    name_for_login,
)
from questrya.users.ports import UsersUnitOfWork


class UserService:
    """``override`` names the profile this command acts for instead of the default one;
    ``login`` names the first profile, which the very first command creates."""

    def __init__(
        self,
        uow: UsersUnitOfWork,
        clock: Clock,
        *,
        override: ProfileOverride | None = None,
        login: str | None = None,
    ) -> None:
        self._uow = uow
        self._clock = clock
        self._override = override
        self._login = login

    def current(self) -> User:
        """The profile a command acts for: the override if any, else the default one.

        Only the very first command creates a profile (named after the login user): an
        override naming no profile is not found, so a typo never makes a new backlog.
        """
        with self._uow.reading():
            if self._override is not None:
                return self._get(self._override.name, self._override)
            found = self._uow.users.default()
        if found is not None:
            return found
        with self._uow:  # re-checked under the write lock: another process may have won
            found = self._uow.users.default()
            if found is None:
                found = self._create(name_for_login(self._login), email=None)
                self._uow.commit()
        return found

    def add(self, name: str, email: str | None = None) -> User:
        profile_name = clean_profile_name(name)
        profile_email = Email(email) if email is not None else None
        with self._uow:
            if self._uow.users.named(profile_name) is not None:
                raise RuleViolationError(f"a profile named {profile_name!r} already exists")
            user = self._create(profile_name, profile_email)
            self._uow.commit()
        return user

    def summaries(self) -> list[ProfileSummary]:
        with self._uow.reading():
            return self._uow.users.summaries()

    def use(self, name: str) -> DefaultChange:
        """Make ``name`` the default profile, the one commands act for from now on."""
        with self._uow:
            user = self._get(name)
            previous = self._uow.users.default()
            if previous is not None and previous is not user:
                previous.is_default = False
            user.is_default = True
            self._uow.commit()
        override = self._override
        return DefaultChange(
            user.name,
            previous.name if previous is not None else None,
            override if override is not None and override.name != user.name else None,
        )

    def rename(self, old: str, new: str) -> User:
        new_name = clean_profile_name(new)
        with self._uow:
            user = self._get(old)
            other = self._uow.users.named(new_name)
            if other is not None and other is not user:
                raise RuleViolationError(f"a profile named {new_name!r} already exists")
            user.rename(new_name)
            self._uow.commit()
        return user

    def set_email(self, name: str, email: str | None) -> User:
        """Give a profile an email address (the weekly digest's), or with ``None`` none."""
        profile_email = Email(email) if email is not None else None
        with self._uow:
            user = self._get(name)
            user.email = profile_email
            self._uow.commit()
        return user

    def game_count(self, name: str) -> int:
        with self._uow.reading():
            return self._uow.users.game_count(self._get(name))

    def remove(self, name: str, *, force: bool = False) -> ProfileRemoval:
        """Remove a profile; with ``force``, its games and their history too, for good."""
        with self._uow:
            user = self._get(name)
            games = self._uow.users.game_count(user)
            if games and not force:
                raise RuleViolationError(
                    f"profile {user.name!r} still has {games} game(s); "
                    "use --force to remove it with them"
                )
            self._uow.users.remove(user)
            default = self._uow.users.oldest() if user.is_default else self._uow.users.default()
            if default is not None:
                default.is_default = True
            self._uow.commit()
        return ProfileRemoval(user.name, games, default.name if default is not None else None)

    def _get(self, name: str, override: ProfileOverride | None = None) -> User:
        user = self._uow.users.named(clean_profile_name(name))
        if user is None:
            raise NotFoundError(_no_profile(name, override))
        return user

    def _create(self, name: str, email: Email | None) -> User:
        user = User(
            name=name,
            email=email,
            created_at=self._clock.now(),
            is_default=self._uow.users.default() is None,
        )
        self._uow.users.add(user)
        return user


def _no_profile(name: str, override: ProfileOverride | None) -> str:
    hint = f"add it with `questrya users add {name}`"
    if override is None or override.origin is None:
        return f"no profile named {name!r}: {hint}"
    return f"no profile named {name!r} ({override.origin}): {hint}, or {override.remedy}"
