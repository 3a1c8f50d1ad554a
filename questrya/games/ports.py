"""What the games service needs from the outside world, as interfaces it owns."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from questrya.common.unit_of_work import UnitOfWork
from questrya.common.value_objects import ScoreSnapshot
from questrya.games.domain import Game, GameEvent
from questrya.games.query import Query


@dataclass(frozen=True)
class GameListing:
    """Which of a profile's games to list, in what order, and how many."""

    query: Query = field(default_factory=Query)
    sort: str | None = None
    descending: bool = False
    limit: int | None = None


class GameRepository(Protocol):
    def add(self, game: Game) -> None:
        """Store a new game and give it its id."""

    def get(self, owner_id: int, game_id: int) -> Game | None: ...

    def with_title(self, owner_id: int, title_key: str, *, exact: bool) -> list[Game]:
        """Games whose folded title equals (``exact``) or contains ``title_key``."""

    def find(self, owner_id: int, listing: GameListing) -> list[Game]: ...

    def remove(self, game: Game) -> None: ...

    def score_history(self, owner_id: int, game_id: int) -> list[ScoreSnapshot]:
        """The game's review scores, oldest first."""


class GameEventLog(Protocol):
    def record(self, event: GameEvent) -> None:
        """Store an event; the events recorded in one unit of work make one change."""

    def of_game(self, owner_id: int, game_id: int) -> list[GameEvent]:
        """The game's events, oldest first."""

    def last_changes(self, owner_id: int, count: int) -> list[list[GameEvent]]:
        """The profile's ``count`` latest changes not undone (undos excluded), newest first;
        each change's events in the order they were recorded."""

    def mark_undone(self, change_id: int, at: datetime) -> None: ...


class GamesUnitOfWork(UnitOfWork, Protocol):
    @property
    def games(self) -> GameRepository: ...

    @property
    def events(self) -> GameEventLog: ...


class MetadataQueue(Protocol):
    def enqueue_fetch(self, game_id: int) -> None:
        """Ask for the game's metadata to be fetched in the background."""
