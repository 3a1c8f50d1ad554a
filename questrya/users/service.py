"""The profile use cases, and which profile a command acts for."""

from questrya.common.clock import Clock
from questrya.common.exceptions import NotFoundError, RuleViolationError
from questrya.common.value_objects import Email
from questrya.users.domain import ProfileSummary, User, clean_profile_name, name_for_login
from questrya.users.ports import UsersUnitOfWork


class UserService:
    def __init__(self, uow: UsersUnitOfWork, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def current(self, name: str | None, login: str | None) -> User:
        """The profile a command acts for: ``name`` if given, else the default one.

        A named profile that does not exist yet is created, and so is the first profile
        (named after the ``login`` user) when there is none: the first command just works.
        """
        wanted = clean_profile_name(name) if name else None
        with self._uow.reading():
            found = self._uow.users.named(wanted) if wanted else self._uow.users.default()
        if found is not None:
            return found
        with self._uow:  # re-checked under the write lock: another process may have won
            found = self._uow.users.named(wanted) if wanted else self._uow.users.default()
            if found is None:
                found = self._create(wanted or name_for_login(login), email=None)
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

    def use(self, name: str) -> User:
        with self._uow:
            user = self._get(name)
            previous = self._uow.users.default()
            if previous is not None and previous is not user:
                previous.is_default = False
            user.is_default = True
            self._uow.commit()
        return user

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

    def remove(self, name: str, *, force: bool = False) -> User:
        with self._uow:
            user = self._get(name)
            games = self._uow.users.game_count(user)
            if games and not force:
                raise RuleViolationError(
                    f"profile {user.name!r} still has {games} game(s); "
                    "use --force to remove it with them"
                )
            self._uow.users.remove(user)
            if user.is_default:
                successor = self._uow.users.oldest()
                if successor is not None:
                    successor.is_default = True
            self._uow.commit()
        return user

    def _get(self, name: str) -> User:
        user = self._uow.users.named(clean_profile_name(name))
        if user is None:
            raise NotFoundError(f"no profile named {name!r}")
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
