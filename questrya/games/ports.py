"""What the games service needs from the outside world, as interfaces it owns."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from questrya.common.events import EventLog
from questrya.common.unit_of_work import UnitOfWork
from questrya.common.value_objects import ScoreSnapshot
from questrya.games.domain import Game
from questrya.games.query import GameListing


class GameRepository(Protocol):
    def add(self, game: Game) -> None:
        """Store a new game and give it its id."""

    def with_ids(self, owner_id: int, ids: Sequence[int]) -> list[Game]:
        """The games of ``ids`` in the backlog (never a removed one, as for every read
        below), in the order of ``ids``."""

    def with_title(self, owner_id: int, title_key: str, *, exact: bool) -> list[Game]:
        """Games whose folded title equals (``exact``) or contains ``title_key``."""

    def find(self, owner_id: int, listing: GameListing) -> list[Game]: ...

    def remove(self, game: Game, at: datetime) -> None:
        """Take the game out of the backlog at ``at``, at once for the rest of the unit of
        work too. It stays stored, with its tags, metadata and scores, for `undo`."""

    def removed(self, owner_id: int, game_id: int) -> Game | None:
        """A game taken out of the backlog, by its id."""

    def bring_back(self, game: Game) -> None:
        """Put a removed game back in the backlog, as it was."""

    def score_history(self, owner_id: int, game_id: int) -> list[ScoreSnapshot]:
        """The game's review scores, oldest first."""


class GamesUnitOfWork(UnitOfWork, Protocol):
    @property
    def games(self) -> GameRepository: ...

    @property
    def events(self) -> EventLog: ...


class MetadataQueue(Protocol):
    def enqueue_fetch(self, game_id: int) -> None:
        """Ask for the game's metadata to be fetched in the background."""


class WorkerWatch(Protocol):
    def unattended(self) -> bool:
        """True when no worker runs to fetch what was queued and the player has not been
        told so today; a True answer counts as telling them."""
