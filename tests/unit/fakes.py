"""In-memory fakes behind the service ports: no database, no mocks, milliseconds per test.

Each fake Unit of Work keeps a *committed* state. ``with uow:`` hands out working copies of
it (one object per id for the whole block, like a session's identity map); ``commit()``
copies them back, and leaving the block without a commit throws them away. So a test can
show that a command that failed half-way left nothing changed.
"""

import dataclasses
import itertools
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from questrya.common.events import GameEvent
from questrya.common.exceptions import StorageError
from questrya.games.domain import Game, GameStatus
from questrya.games.query import ChoiceTerm, FlagTerm, GameListing, Term, TitleTerm
from questrya.users.domain import ProfileSummary, User

NOW = datetime(2024, 6, 15, 9, 30, tzinfo=UTC)
TODAY = NOW.date()


class FixedClock:
    """A clock that says what the test wants; ``advance`` moves it on."""

    def __init__(self, now: datetime = NOW, today: date | None = None) -> None:
        self._now = now
        self._today = today or now.date()

    def now(self) -> datetime:
        return self._now

    def today(self) -> date:
        return self._today

    def advance(self, delta: timedelta) -> None:
        self._now += delta
        self._today = self._now.date()


class _FakeUnitOfWork:
    """The transaction half shared by both fakes: subclasses say how to begin and persist."""

    def __init__(self) -> None:
        self.commits = 0
        self.fail_on_commit = False
        self._in_block = False
        self._read_only = False

    def reading(self) -> Self:
        self._read_only = True
        return self

    def __enter__(self) -> Self:
        if self._in_block:
            raise RuntimeError("the unit of work is already open")
        self._in_block = True
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._in_block = False
        self._read_only = False
        self._end()

    def commit(self) -> None:
        self._require_block()
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        if self.fail_on_commit:
            raise StorageError("the database is locked")
        self._persist()
        self.commits += 1

    def rollback(self) -> None:
        self._require_block()
        self._begin()

    def _require_block(self) -> None:
        if not self._in_block:
            raise RuntimeError("the unit of work is used outside its `with` block")

    def _begin(self) -> None:
        raise NotImplementedError

    def _persist(self) -> None:
        raise NotImplementedError

    def _end(self) -> None:
        raise NotImplementedError


# --- games --------------------------------------------------------------------------------


_RANGE_FIELDS = {
    "rating": lambda game: game.rating.score if game.rating else None,
    "released": lambda game: game.released,
    "started": lambda game: game.started_date,
    "completed": lambda game: game.completion_date,
    "added": lambda game: game.added_at.date(),
    "playtime": lambda game: game.playtime,
    "lastplayed": lambda game: game.last_played,
}


def _matches(term: Term, game: Game) -> bool:
    """The query term evaluated in Python: what the SQL repository compiles it to."""
    test = term.test
    if isinstance(test, TitleTerm):
        found = test.text in game.title_key
    elif isinstance(test, ChoiceTerm):
        value = {
            "status": game.status.value,
            "platform": game.platform.name,
            "metadata": game.metadata_status.value,
        }.get(test.field)
        found = (
            bool(set(test.values) & set(game.tags)) if test.field == "tag" else value in test.values
        )
    elif isinstance(test, FlagTerm):
        found = game.wishlist is test.value
    else:
        value = _RANGE_FIELDS[test.field](game)
        found = (
            value is not None
            and (test.low is None or value >= test.low)
            and (test.high is None or value <= test.high)
        )
    return found is not term.negated


def _sort_value(game: Game, field: str) -> Any:
    if field == "title":
        return game.title_key
    if field == "platform":
        return game.platform.name.lower()
    if field == "status":
        return list(GameStatus).index(game.status)
    if field == "rating":
        return game.rating.score if game.rating else None
    if field == "release_date":
        return game.released
    return getattr(game, field)


class FakeGameRepository:
    """Working copies of the committed games, for one ``with`` block; removed ones are kept
    and left out of every read but ``removed``."""

    def __init__(self, committed: dict[int, Game], ids: Iterator[int]) -> None:
        self._games = {game_id: dataclasses.replace(game) for game_id, game in committed.items()}
        self._ids = ids

    def add(self, game: Game) -> None:
        if game.id is None:
            game.id = next(self._ids)
        self._games[game.id] = game

    def with_title(self, owner_id: int, title_key: str, *, exact: bool) -> list[Game]:
        return [
            game
            for game in self._owned(owner_id)
            if (game.title_key == title_key if exact else title_key in game.title_key)
        ]

    def with_ids(self, owner_id: int, ids: Sequence[int]) -> list[Game]:
        owned = {game.id: game for game in self._owned(owner_id)}
        return [owned[game_id] for game_id in ids if game_id in owned]

    def find(self, owner_id: int, listing: GameListing) -> list[Game]:
        games = [
            game
            for game in self._owned(owner_id)
            if all(_matches(term, game) for term in listing.query.terms)
        ]
        games.sort(key=lambda game: (game.title_key, game.id))
        if listing.sort is None:
            games.sort(key=lambda game: _sort_value(game, "status"))
        else:
            field = listing.sort
            present = [game for game in games if _sort_value(game, field) is not None]
            present.sort(key=lambda game: _sort_value(game, field), reverse=listing.descending)
            games = present + [game for game in games if _sort_value(game, field) is None]
        return games if listing.limit is None else games[: listing.limit]

    def remove(self, game: Game, at: datetime) -> None:
        self._require_loaded(game)
        game.removed_at = at

    def removed(self, owner_id: int, game_id: int) -> Game | None:
        game = self._games.get(game_id)
        found = game is not None and game.owner_id == owner_id and game.removed_at is not None
        return game if found else None

    def bring_back(self, game: Game) -> None:
        self._require_loaded(game)
        game.removed_at = None

    def working(self) -> dict[int, Game]:
        return self._games

    def _owned(self, owner_id: int) -> list[Game]:
        return sorted(
            (
                game
                for game in self._games.values()
                if game.owner_id == owner_id and game.removed_at is None
            ),
            key=lambda game: game.id or 0,
        )

    def _require_loaded(self, game: Game) -> None:
        if game.id is None or self._games.get(game.id) is not game:
            raise ValueError("only a game loaded in this unit of work can be written")


class FakeEventLog:
    """Reads the committed history; ``recorded`` and ``undone`` wait for the commit."""

    def __init__(self, committed: list[GameEvent]) -> None:
        self.recorded: list[GameEvent] = []
        self.undone: dict[int, datetime] = {}
        self._committed = committed
        self._change_id = max((event.change_id or 0 for event in committed), default=0) + 1

    def record(self, event: GameEvent) -> None:
        number = len(self._committed) + len(self.recorded) + 1
        self.recorded.append(dataclasses.replace(event, id=number, change_id=self._change_id))

    def of_game(self, owner_id: int, game_id: int) -> list[GameEvent]:
        return [
            event
            for event in self._committed
            if (event.owner_id, event.game_id) == (owner_id, game_id)
        ]

    def last_changes(self, owner_id: int, count: int) -> list[list[GameEvent]]:
        changes: dict[int, list[GameEvent]] = {}
        for event in self._committed:
            if event.owner_id == owner_id and event.kind.undoable and event.undone_at is None:
                changes.setdefault(event.change_id or 0, []).append(event)
        return [changes[change] for change in sorted(changes, reverse=True)[:count]]

    def mark_undone(self, change_id: int, at: datetime) -> None:
        self.undone[change_id] = at

    def persist(self) -> None:
        """What the unit of work's commit does: mark the undone changes, keep the new events."""
        self._committed[:] = [
            dataclasses.replace(event, undone_at=self.undone[event.change_id])
            if event.change_id in self.undone
            else event
            for event in self._committed
        ]
        self._committed.extend(self.recorded)
        self.recorded.clear()


class FakeGamesUnitOfWork(_FakeUnitOfWork):
    """``kept`` (every game, removed ones too) and ``history`` are what has been committed;
    ``stored`` is the backlog a later command would see."""

    def __init__(self) -> None:
        super().__init__()
        self.kept: dict[int, Game] = {}
        self.history: list[GameEvent] = []
        self._ids = itertools.count(1)
        self._games: FakeGameRepository | None = None
        self._events: FakeEventLog | None = None

    @property
    def games(self) -> FakeGameRepository:
        if self._games is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._games

    @property
    def events(self) -> FakeEventLog:
        if self._events is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._events

    @property
    def stored(self) -> dict[int, Game]:
        return {game_id: game for game_id, game in self.kept.items() if game.removed_at is None}

    def _begin(self) -> None:
        self._games = FakeGameRepository(self.kept, self._ids)
        self._events = FakeEventLog(self.history)

    def _persist(self) -> None:
        self.kept = {
            game_id: dataclasses.replace(game) for game_id, game in self.games.working().items()
        }
        self.events.persist()

    def _end(self) -> None:
        self._games = None
        self._events = None


class RecordingMetadataQueue:
    """Records each fetch asked for, and whether the game was committed at that moment."""

    def __init__(self, is_committed: Callable[[int], bool] = lambda game_id: True) -> None:
        self.enqueued: list[int] = []
        self.committed_when_enqueued: list[bool] = []
        self._is_committed = is_committed

    def enqueue_fetch(self, game_id: int) -> None:
        self.enqueued.append(game_id)
        self.committed_when_enqueued.append(self._is_committed(game_id))


# --- users --------------------------------------------------------------------------------


class FakeUserRepository:
    """Working copies of the committed profiles, for one ``with`` block."""

    def __init__(
        self, committed: dict[int, User], game_counts: dict[int, int], ids: Iterator[int]
    ) -> None:
        self._users = {user_id: dataclasses.replace(user) for user_id, user in committed.items()}
        self._game_counts = game_counts
        self._ids = ids

    def add(self, user: User) -> None:
        user.id = next(self._ids)
        self._users[user.id] = user

    def named(self, name: str) -> User | None:
        return next((user for user in self._by_id() if user.name == name), None)

    def default(self) -> User | None:
        return next((user for user in self._by_id() if user.is_default), None)

    def oldest(self) -> User | None:
        return next(iter(self._by_id()), None)

    def summaries(self) -> list[ProfileSummary]:
        return [
            ProfileSummary(
                name=user.name,
                email=user.email.address if user.email else None,
                default=user.is_default,
                games=self.game_count(user),
            )
            for user in sorted(self._users.values(), key=lambda user: user.name)
        ]

    def game_count(self, user: User) -> int:
        return self._game_counts.get(user.id or 0, 0)

    def remove(self, user: User) -> None:
        if user.id is None or self._users.get(user.id) is not user:
            raise ValueError("only a profile loaded in this unit of work can be removed")
        del self._users[user.id]

    def working(self) -> dict[int, User]:
        return self._users

    def _by_id(self) -> list[User]:
        return sorted(self._users.values(), key=lambda user: user.id or 0)


class FakeUsersUnitOfWork(_FakeUnitOfWork):
    """``stored`` is what has been committed; ``game_counts`` stands for each profile's games."""

    def __init__(self) -> None:
        super().__init__()
        self.stored: dict[int, User] = {}
        self.game_counts: dict[int, int] = {}
        self._ids = itertools.count(1)
        self._users: FakeUserRepository | None = None

    @property
    def users(self) -> FakeUserRepository:
        if self._users is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._users

    def stored_named(self, name: str) -> User | None:
        return next((user for user in self.stored.values() if user.name == name), None)

    def _begin(self) -> None:
        self._users = FakeUserRepository(self.stored, self.game_counts, self._ids)

    def _persist(self) -> None:
        working = self.users.working()
        self.stored = {user_id: dataclasses.replace(user) for user_id, user in working.items()}
        # A removed profile's games and history go with it.
        self.game_counts = {
            user_id: count for user_id, count in self.game_counts.items() if user_id in working
        }

    def _end(self) -> None:
        self._users = None
