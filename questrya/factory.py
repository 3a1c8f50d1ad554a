"""The composition root: the one place that names concrete classes and wires them together.

Imported lazily by the root CLI, so `--help` never loads SQLAlchemy.
"""

import getpass
from collections.abc import Callable
from functools import cached_property
from typing import Any

from sqlalchemy import Engine

from questrya.common.clock import SystemClock
from questrya.common.exceptions import StorageError
from questrya.config.repository import TomlSettingsStore
from questrya.config.service import ConfigService
from questrya.games.repository import SqlGamesUnitOfWork
from questrya.games.service import GameService
from questrya.orm.database import open_engine
from questrya.orm.migrate import migrate
from questrya.settings import Settings, load_settings
from questrya.users.repository import SqlUsersUnitOfWork
from questrya.users.service import UserService


class PendingFetchQueue:
    """Leaves a new game `pending`: the worker's sweep picks up every pending game.

    Stands where the Huey queue will: the game row, not the queue, holds the fetch state.
    """

    def enqueue_fetch(self, game_id: int) -> None:
        return None


class Container:
    """Everything one command needs, built on first use and once."""

    def __init__(self, *, user: str | None = None) -> None:
        self._user = user
        self._clock = SystemClock()
        self._builders: dict[type[Any], Callable[[], object]] = {
            GameService: self._game_service,
            UserService: self._user_service,
            ConfigService: self._config_service,
        }

    def build(self, kind: type[Any]) -> object:
        return self._builders[kind]()

    def close(self) -> None:
        if "engine" in self.__dict__:  # only if a command opened the database
            self.engine.dispose()

    @cached_property
    def settings(self) -> Settings:
        return load_settings(user=self._user)

    @cached_property
    def engine(self) -> Engine:
        home = self.settings.home
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"cannot create the data folder {home}: {error.strerror}") from None
        engine = open_engine(self.settings.database_url)
        migrate(engine)
        return engine

    def _config_service(self) -> ConfigService:
        return ConfigService(TomlSettingsStore({"user": self._user}))

    def _user_service(self) -> UserService:
        return UserService(SqlUsersUnitOfWork(self.engine), self._clock)

    def _game_service(self) -> GameService:
        profile = self._user_service().current(self.settings.user, login=_login())
        if profile.id is None:
            raise RuntimeError("the current profile has no id")
        return GameService(
            SqlGamesUnitOfWork(self.engine),
            profile.id,
            self._clock,
            PendingFetchQueue(),
            auto_fetch=self.settings.auto_fetch,
        )


def _login() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
