"""What the users service needs from the outside world, as interfaces it owns."""

from typing import Protocol

from questrya.common.unit_of_work import UnitOfWork
from questrya.users.domain import ProfileSummary, User


class UserRepository(Protocol):
    def add(self, user: User) -> None:
        """Store a new profile and give it its id."""

    def named(self, name: str) -> User | None: ...

    def default(self) -> User | None: ...

    def oldest(self) -> User | None: ...

    def summaries(self) -> list[ProfileSummary]: ...

    def game_count(self, user: User) -> int:
        """The games in the profile's backlog (not those removed)."""

    def remove(self, user: User) -> None:
        """Delete the profile with its games (removed ones too) and history, for good."""


class UsersUnitOfWork(UnitOfWork, Protocol):
    @property
    def users(self) -> UserRepository: ...
