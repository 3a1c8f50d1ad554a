"""What the import service needs from the outside world, as interfaces it owns."""

from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from questrya.common.unit_of_work import UnitOfWork
from questrya.imports.domain import Entry, GameKey, Update
from questrya.imports.formats.rows import ImportRow, SkippedRow


class GameRules(Protocol):
    """The games feature's rules, as an import asks them: a game's own, never a copy.
    Each raises ``InvalidInputError`` naming the rule a game would break."""

    def checked(self, fields: Mapping[str, Any], today: date) -> dict[str, Any]:
        """The snapshot of the new game ``fields`` (a snapshot's names) describe."""

    def merged(
        self, stored: Mapping[str, Any], changes: Mapping[str, Any], today: date
    ) -> dict[str, Any]:
        """The snapshot of the game ``stored`` once it has ``changes``."""


class ImportRepository(Protocol):
    """The profile's backlog as an import reads and writes it, many games a statement."""

    def matching(
        self, owner_id: int, keys: Sequence[GameKey], provider_ids: Sequence[str]
    ) -> list[Entry]:
        """The games in the backlog with one of these keys or provider ids ("steam:570", from
        their metadata or the id their fetch is to use)."""

    def start_change(self, owner_id: int, at: datetime) -> int:
        """A new change in the history: every event of one import takes its id."""

    def add(
        self, owner_id: int, games: Sequence[Entry], change_id: int, at: datetime, *, fetch: bool
    ) -> list[int]:
        """Store new games (their metadata pending, or skipped without ``fetch``; the first
        provider id, if any, the one the worker fetches), each with its `import` event;
        gives each entry its id and returns them."""

    def update(
        self, owner_id: int, updates: Sequence[Update], change_id: int, at: datetime
    ) -> None:
        """Write the games' new fields, each with an `import` event of what changed."""


class ImportUnitOfWork(UnitOfWork, Protocol):
    @property
    def imports(self) -> ImportRepository: ...


class FetchQueue(Protocol):
    def enqueue_fetches(self, game_ids: Sequence[int]) -> None:
        """Ask for these games' metadata to be fetched in the background, in one request."""


class Progress(Protocol):
    def advance(self, line: int) -> None:
        """The import has gone through the file up to ``line``."""


class SteamLibrary(Protocol):
    def owned_games(self, steam_id: str) -> Iterator[ImportRow | SkippedRow]:
        """The games the Steam account ``steam_id`` owns, online, as the steam format reads
        them; asked for at once, so that a refusal (bad input, a private profile, a key Steam
        refuses, a Steam that does not answer) comes before any row."""
