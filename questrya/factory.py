"""The composition root: the one place that names concrete classes and wires them together.

Imported lazily by the root CLI, so `--help` never loads SQLAlchemy. Each builder imports what
it builds, so a command loads only its own feature: `config show` no SQLAlchemy, `games rate`
neither the metadata nor the config feature; Huey and httpx load only for the commands that
queue or fetch.
"""

import getpass
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any

from questrya.common.clock import SystemClock
from questrya.common.exceptions import InvalidInputError, NotFoundError, StorageError
from questrya.common.rows import ReadConnection
from questrya.common.secrets import Secret
from questrya.settings import Settings, config_path, env_variable, load_settings

# The write side's adapters load SQLAlchemy: they are imported where they are built, so that
# a read on SQLite never loads it.
if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from questrya.common.value_objects import GameMetadata, ScoreSnapshot
    from questrya.config.domain import DefaultProfileChange
    from questrya.config.repository import SettingCheck
    from questrya.config.service import ConfigService
    from questrya.database.repository import SqlBacklog
    from questrya.database.service import DatabaseService
    from questrya.games.service import GameService
    from questrya.games.views import GameViews
    from questrya.imports.formats.rows import ImportRow, SkippedRow
    from questrya.imports.service import ImportService
    from questrya.insight.domain import NextWeights
    from questrya.insight.service import DigestService
    from questrya.insight.views import InsightViews
    from questrya.metadata.domain import Candidate, CandidateKind
    from questrya.metadata.ports import MetadataProvider
    from questrya.metadata.service import MetadataService
    from questrya.users.domain import ProfileOverride
    from questrya.users.service import UserService
    from questrya.users.views import UserViews
    from questrya.workers.consumer import Worker
    from questrya.workers.enqueue import HueyFetchQueue
    from questrya.workers.location import QueueLocation
    from questrya.workers.presence import SharedRecords
    from questrya.workers.queue import QueueTasks
    from questrya.workers.systemd import WorkerUnit


class Container:
    """Everything one command needs, built on first use and once."""

    def __init__(self, *, user: str | None = None, read_only: bool = False) -> None:
        self._user = user
        # Completing a command line: read what is stored, never create or migrate anything.
        self._read_only = read_only
        self.saved = False  # whether this command committed a change to the database
        self._clock = SystemClock()
        # By name, so that each feature's modules load only for the commands using them.
        self._builders: dict[str, Callable[[], object]] = {
            "GameService": self._game_service,
            "GameViews": self._game_views,
            "UserViews": self._user_views,
            "InsightViews": self._insight_views,
            "DigestService": self._digest_service,
            "UserService": self._user_service,
            "ConfigService": self._config_service,
            "MetadataService": self._metadata_service,
            "ImportService": self._import_service,
            "Worker": self._worker,
            "DatabaseService": self._database_service,
            "WorkerUnit": self._worker_unit,
        }
        self._other_engines: list[Engine] = []  # the databases `db copy` opened

    def build(self, kind: type[Any]) -> object:
        return self._builders[kind.__name__]()

    def close(self) -> None:
        for engine in self._other_engines:
            engine.dispose()
        if "rows" in self.__dict__:
            self.rows.close()
        if "engine" in self.__dict__:  # only if a command opened the database
            self.engine.dispose()

    @cached_property
    def settings(self) -> Settings:
        return load_settings(user=self._user)

    @cached_property
    def engine(self) -> "Engine":
        from sqlalchemy import event

        from questrya.orm.database import open_engine
        from questrya.orm.migrate import migrate

        home = self.settings.home
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StorageError(f"cannot create the data folder {home}: {error.strerror}") from None
        engine = open_engine(self.settings.database_url)
        migrate(engine)
        event.listen(engine, "commit", self._note_saved)
        return engine

    def _note_saved(self, _connection: "Connection") -> None:
        self.saved = True

    @cached_property
    def rows(self) -> ReadConnection:
        return self._open_rows()

    def _open_rows(self) -> ReadConnection:
        """A read side's connection: the standard library's on a SQLite file at the newest
        schema, SQLAlchemy's elsewhere. A database not created yet, or behind, goes through
        the write path first, which migrates it (or refuses one a newer Questrya wrote)."""
        from questrya.orm.sqlite import database_file, open_reader

        url = self.settings.database_url
        path = database_file(url)
        reader = open_reader(path) if path is not None else None
        if reader is not None:
            return reader
        if self._read_only:
            return _stored_rows(url)
        engine = self.engine
        reader = open_reader(path) if path is not None else None
        if reader is not None:
            return reader
        from questrya.orm.database import TextRows

        return TextRows(engine)

    @cached_property
    def tasks(self) -> "QueueTasks":
        return self._open_tasks(repair=False)

    def _open_tasks(self, *, repair: bool) -> "QueueTasks":
        from questrya.workers.queue import QueueTasks, open_queue
        from questrya.workers.user_tasks import UserTasks

        settings = self.settings
        huey = open_queue(settings.queue_url, settings.queue_secret, repair=repair)
        UserTasks(huey, self._worker_digest)  # registered on the same queue
        # A service per task: worker threads never share a unit of work (its session).
        return QueueTasks(
            huey,
            lambda: self._metadata(owner_id=None),
            settings.score_schedule,
            shared=self.queue_location.shared,
        )

    @cached_property
    def queue_location(self) -> "QueueLocation":
        """The queue the settings name, checked before anything is written: a Redis queue
        without its secret or its client is bad input, not a game saved and never queued."""
        from questrya.workers.location import checked_location

        return checked_location(self.settings.queue_url, self.settings.queue_secret)

    @contextmanager
    def _worker_digest(self) -> Iterator["DigestService"]:
        """The digest service for one run of the worker's task, on a read connection of its
        own (a worker thread's), closed afterwards."""
        rows = self._open_rows()
        try:
            yield self._digest(rows, owner_id=None)
        finally:
            rows.close()

    def _digest_service(self) -> "DigestService":
        return self._digest(self.rows, owner_id=self._reader_id)

    def _digest(self, rows: ReadConnection, owner_id: int | None) -> "DigestService":
        from questrya.insight.mail import SmtpMailer
        from questrya.insight.repository import SqlDigestUnitOfWork
        from questrya.insight.service import DigestService
        from questrya.insight.views import DigestViews

        settings = self.settings
        url = _secret(settings.smtp_url)
        return DigestService(
            SqlDigestUnitOfWork(self.engine),
            DigestViews(rows, self._clock, self._next_weights()),
            SmtpMailer(url) if url is not None else None,
            self._clock,
            weekly=settings.digest == "weekly",
            owner_id=owner_id,
        )

    @cached_property
    def queue(self) -> "HueyFetchQueue":
        from questrya.workers.enqueue import HueyFetchQueue

        # The queue's settings are checked now, the queue opened on the first enqueue.
        return HueyFetchQueue(self.queue_location, lambda: self.tasks)

    def _shared_workers(self) -> "SharedRecords":
        """The worker records of the shared queue the commands use."""
        return self.tasks.worker_records()

    @cached_property
    def provider(self) -> "MetadataProvider":
        settings = self.settings
        return LazyProvider(settings.provider, lambda: _build_provider(settings))

    @cached_property
    def worker_metadata(self) -> "MetadataService":
        """The worker's metadata service: it acts on games of every profile."""
        return self._metadata(owner_id=None)

    def _metadata_service(self) -> "MetadataService":
        return self._metadata(owner_id=self._profile_id())

    def _metadata(self, owner_id: int | None) -> "MetadataService":
        from questrya.metadata.domain import FetchPolicy
        from questrya.metadata.repository import SqlMetadataUnitOfWork
        from questrya.metadata.service import MetadataService

        policy = FetchPolicy(
            max_attempts=self.settings.max_attempts,
            retry_delay=timedelta(seconds=self.settings.retry_delay),
        )
        return MetadataService(
            SqlMetadataUnitOfWork(self.engine, owner_id),
            self.provider,
            self._clock,
            self.queue,
            policy,
            owner_id=owner_id,
        )

    def _worker(self) -> "Worker":
        from questrya.workers.consumer import Worker

        return Worker(
            # Only the worker, once it holds the lock, may replace a corrupt queue file.
            start_queue=self._start_worker,
            current_queue=lambda: self._queue_in_use(lambda: self.tasks),
            service=self.worker_metadata,
            lock_path=self.queue_location.lock_path(),
        )

    def _worker_unit(self) -> "WorkerUnit":
        from questrya.workers.systemd import WorkerUnit

        # The data folder is named in the unit only when the environment names it here.
        return WorkerUnit(self.settings.home if env_variable("home") else None)

    def _start_worker(self) -> "QueueTasks":
        """The worker asks the provider from its first task on: a provider it cannot build
        (a key not set) stops it at once, not task after task."""
        _check_provider(self.settings)
        return self._queue_in_use(lambda: self._open_tasks(repair=True))

    def _queue_in_use(self, open_tasks: Callable[[], "QueueTasks"]) -> "QueueTasks":
        """The queue for `worker` and `queue`, which cannot do without it: a queue file that
        cannot be opened is one clear line. (Enqueueing after a change is another matter: it
        loses nothing, as the game's row keeps the work.)"""
        import sqlite3

        from questrya.orm.sqlite import describe_driver_error

        try:
            return open_tasks()
        except sqlite3.Error as error:
            where = str(self.queue_location.file)
            raise StorageError(describe_driver_error(error, where)) from None

    def _config_service(self) -> "ConfigService":
        from questrya.config.repository import TomlSettingsStore
        from questrya.config.service import ConfigService

        store = TomlSettingsStore({"user": self._user}, checks=SETTING_CHECKS)
        return ConfigService(store, _ProfilesForConfig(self._user_service))

    def _user_service(self) -> "UserService":
        from questrya.users.repository import SqlUsersUnitOfWork
        from questrya.users.service import UserService

        return UserService(
            SqlUsersUnitOfWork(self.engine),
            self._clock,
            override=self._profile_override(),
            login=_login(),
        )

    def _profile_override(self) -> "ProfileOverride | None":
        """The profile named for this command, and how the player would stop naming it."""
        from questrya.users.domain import ProfileOverride

        name = self.settings.user
        if not name:
            return None
        if self._user is not None:  # --user: for this command only
            return ProfileOverride(name)
        variable = env_variable("user")
        if variable is not None:
            return ProfileOverride(name, variable, f"unset {variable}")
        return ProfileOverride(
            name, f"user in {config_path()}", "remove it with `questrya config unset user`"
        )

    def _game_service(self) -> "GameService":
        from questrya.games.repository import SqlGamesUnitOfWork
        from questrya.games.service import GameService

        owner_id = self._profile_id()
        return GameService(
            SqlGamesUnitOfWork(self.engine, owner_id),
            owner_id,
            self._clock,
            self.queue,
            auto_fetch=self.settings.auto_fetch,
            worker=WorkerWatchForGames(self.settings, self._clock.today(), self._shared_workers),
        )

    def _import_service(self) -> "ImportService":
        from questrya.imports.repository import SqlImportUnitOfWork
        from questrya.imports.service import ImportService

        return ImportService(
            SqlImportUnitOfWork(self.engine),
            self._profile_id(),
            self._clock,
            GameRulesForImports(),
            self.queue,
            SteamLibraryOnline(
                self.settings.steam_api_url,
                self.settings.steam_api_key,
                timeout=self.settings.http_timeout,
            ),
            auto_fetch=self.settings.auto_fetch,
        )

    def _database_service(self) -> "DatabaseService":
        from questrya.database.repository import SqlBacklog
        from questrya.database.service import DatabaseService

        return DatabaseService(SqlBacklog(self.engine), self._other_backlog)

    def _other_backlog(self, url: str) -> "SqlBacklog":
        """Another database, by its URL: created and migrated when new."""
        from questrya.database.repository import SqlBacklog
        from questrya.orm.database import open_engine
        from questrya.orm.migrate import migrate

        engine = open_engine(url)
        self._other_engines.append(engine)
        migrate(engine)
        return SqlBacklog(engine)

    def _game_views(self) -> "GameViews":
        from questrya.games.views import GameViews

        return GameViews(self.rows, self._reader_id)

    def _insight_views(self) -> "InsightViews":
        from questrya.insight.views import InsightViews

        return InsightViews(self.rows, self._reader_id, self._clock, self._next_weights())

    def _next_weights(self) -> "NextWeights":
        from questrya.insight.domain import TERMS, NextWeights

        settings = self.settings
        weights = {term: float(settings.value(f"next.weights.{term}")) for term in TERMS}
        return NextWeights(weights, boost=settings.next_boost, sink=settings.next_sink)

    @cached_property
    def _reader_id(self) -> int:
        """The profile a read acts for, found on the read side, unless the users service must
        create it (the very first command) or say it is missing."""
        from questrya.users.views import profile_id

        override = self._profile_override()
        owner = profile_id(self.rows, override.name if override is not None else None)
        if owner is None and self._read_only:
            raise NotFoundError("no profile to read")
        return owner if owner is not None else self._profile_id()

    def _user_views(self) -> "UserViews":
        from questrya.users.views import UserViews

        return UserViews(self.rows)

    def _profile_id(self) -> int:
        profile = self._user_service().current()
        if profile.id is None:
            raise RuntimeError("the current profile has no id")
        return profile.id


class LazyProvider:
    """The configured provider, built when first asked: commands that never ask it (`queue`,
    `games match`'s listing, `games refresh`) work even while its key is missing."""

    def __init__(self, name: str, build: Callable[[], "MetadataProvider"]) -> None:
        self._name = name
        self._build = build

    @property
    def name(self) -> str:
        return self._name

    def search(self, title: str) -> list["Candidate"]:
        return self._provider.search(title)

    def details(self, provider_id: str) -> "GameMetadata | CandidateKind | None":
        return self._provider.details(provider_id)

    def scores(self, provider_id: str) -> "ScoreSnapshot | None":
        return self._provider.scores(provider_id)

    @cached_property
    def _provider(self) -> "MetadataProvider":
        return self._build()


class WorkerWatchForGames:
    """`games add` tells the player, once a day, when no worker runs to fetch what it queued:
    the games feature's port, answered by the SQLite queue's lock, or by the shared queue's
    worker records (`shared_workers`, on the queue the fetch went to)."""

    def __init__(
        self, settings: Settings, today: date, shared_workers: "Callable[[], SharedRecords]"
    ) -> None:
        self._settings = settings
        self._today = today
        self._shared_workers = shared_workers

    def unattended(self) -> bool:
        from questrya.workers.location import queue_location
        from questrya.workers.presence import WorkerNotice, running_worker

        try:
            lock_path = queue_location(self._settings.queue_url).lock_path()
        except InvalidInputError:  # a queue the worker could not serve says so when it starts
            return False
        home, today = self._settings.home, self._today
        if lock_path is None:
            return WorkerNotice(home, today, lambda: self._shared_workers().any_running()).due()
        return WorkerNotice(home, today, lambda: running_worker(lock_path) is not None).due()


class GameRulesForImports:
    """An import's rows are checked by the games feature's own rules: the imports feature's
    port, answered by the game."""

    def checked(self, fields: Mapping[str, Any], today: date) -> dict[str, Any]:
        from questrya.games.domain import imported_snapshot

        return imported_snapshot(fields, today)

    def merged(
        self, stored: Mapping[str, Any], changes: Mapping[str, Any], today: date
    ) -> dict[str, Any]:
        from questrya.games.domain import merged_snapshot

        return merged_snapshot(stored, changes, today)


class SteamLibraryOnline:
    """`games import --steam-id`: the imports feature's port, answered by Steam's Web API with
    the settings' URL, key and timeout (httpx loaded only when an import asks)."""

    def __init__(self, url: str, key: Secret | None, *, timeout: float) -> None:
        self._url, self._key, self._timeout = url, key, timeout

    def owned_games(self, steam_id: str) -> "Iterator[ImportRow | SkippedRow]":
        from questrya.imports.steam_library import owned_games

        return owned_games(self._url, self._key, steam_id, timeout=self._timeout)


class _ProfilesForConfig:
    """`config set user NAME` switches the default profile, as `users use NAME` does: the
    config feature's port, answered by the users service."""

    def __init__(self, users: Callable[[], "UserService"]) -> None:
        self._users = users

    def use(self, name: str) -> "DefaultProfileChange":
        from questrya.config.domain import DefaultProfileChange

        change = self._users().use(name)
        return DefaultProfileChange(change.name, change.previous, change.warning())


def _stored_rows(url: str) -> ReadConnection:
    """The read side of a database that is there already, opened as it is: a SQLite file not
    created yet, or behind the newest schema, has nothing to read; a server's database is read
    through SQLAlchemy, unmigrated."""
    if url.startswith("sqlite"):
        raise StorageError("no database at the newest schema to read")
    from questrya.orm.database import TextRows, open_engine

    return TextRows(open_engine(url))


def _build_provider(settings: Settings) -> "MetadataProvider":
    from questrya.metadata.providers.registry import build_provider

    return build_provider(
        settings.provider,
        steam_store_url=settings.steam_store_url,
        steam_api_url=settings.steam_api_url,
        rawg_url=settings.rawg_url,
        igdb_url=settings.igdb_url,
        twitch_token_url=settings.twitch_token_url,
        rawg_api_key=_secret(settings.rawg_api_key),
        igdb_client_id=_secret(settings.igdb_client_id),
        igdb_client_secret=_secret(settings.igdb_client_secret),
        http_timeout=settings.http_timeout,
        rate_limit=settings.rate_limit,
    )


def _check_schedule(settings: Settings) -> None:
    from questrya.workers.queue import check_schedule

    check_schedule(settings.score_schedule)


def _check_queue_url(settings: Settings) -> None:
    from questrya.workers.location import checked_location

    checked_location(settings.queue_url, settings.queue_secret)


def _check_database_url(settings: Settings) -> None:
    from questrya.orm.database import open_engine

    open_engine(settings.database_url).dispose()


def _check_provider(settings: Settings) -> None:
    """A provider whose keys are not set is refused, naming the key to set first."""
    _build_provider(settings)


# What `config set` checks beyond a value's type: that later commands can use it.
SETTING_CHECKS: dict[str, "SettingCheck"] = {
    "score_schedule": _check_schedule,
    "queue_url": _check_queue_url,
    "database_url": _check_database_url,
    "provider": _check_provider,
}


def _secret(value: Secret | None) -> str | None:
    return value.get_secret_value() if value is not None else None


def _login() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
