"""What the metadata service needs from the outside world."""

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from questrya.common.events import EventLog
from questrya.common.unit_of_work import UnitOfWork
from questrya.common.value_objects import GameMetadata, ScoreSnapshot
from questrya.metadata.domain import Candidate, CandidateKind, GameFetch


class MetadataProvider(Protocol):
    """One online source of game metadata (Steam, RAWG, IGDB).

    Every method raises ``TemporaryProviderError`` or ``PermanentProviderError`` when the
    provider cannot answer; none retries a long wait itself.
    """

    @property
    def name(self) -> str:
        """The provider's name as stored and shown: "steam", "rawg", "igdb"."""

    def search(self, title: str) -> list[Candidate]:
        """Candidates for a title, best first as the provider ranks them."""

    def details(self, provider_id: str) -> GameMetadata | CandidateKind | None:
        """The game's metadata; the kind of what the id names when it is no game (a DLC, a
        soundtrack: Steam's search cannot tell them apart); None when the provider has
        nothing under that id."""

    def scores(self, provider_id: str) -> ScoreSnapshot | None:
        """The game's current review scores, or None when it has none."""


class FetchRepository(Protocol):
    """The fetch state of the games in a backlog: no read finds a removed game."""

    def get(self, game_id: int) -> GameFetch | None: ...

    def owned(self, owner_id: int, game_ids: Sequence[int]) -> list[GameFetch]:
        """Those of these games in the profile's backlog, in any order."""

    def with_title(self, owner_id: int, title_key: str, *, exact: bool) -> list[GameFetch]: ...

    def of_owner(self, owner_id: int) -> list[GameFetch]: ...

    def ready(self, now: datetime) -> list[int]:
        """Ids of the games waiting for a fetch that is due and held by nobody alive."""

    def release_leases(self) -> int:
        """Forget every lease (they belong to dead workers); how many there were."""

    def waiting(self) -> tuple[int, datetime | None]:
        """How many games wait for a fetch, and the soonest time one is due (None: now)."""

    def scored_ids(self, provider: str, *, owner_id: int | None = None) -> list[int]:
        """Ids of the games a score refresh from ``provider`` applies to (``scored_from``),
        of one profile or of all, by id."""

    def scored_among(self, provider: str, game_ids: Sequence[int]) -> list[GameFetch]:
        """Those of these few games a score refresh from ``provider`` applies to, in one read."""

    def counts(self) -> dict[str, int]:
        """Games by metadata status, every status present (0 when none)."""


class MetadataUnitOfWork(UnitOfWork, Protocol):
    @property
    def fetches(self) -> FetchRepository: ...

    @property
    def events(self) -> EventLog: ...


class FetchQueue(Protocol):
    """The queue holds at most one fetch task a game, whatever asks for it."""

    def enqueue_fetch(self, game_id: int, at: datetime | None = None) -> None:
        """Ask for the game's metadata to be fetched, now or from ``at``: nothing more is
        queued while a fetch of the game is queued for that time or sooner."""

    def enqueue_scores(self, game_ids: list[int]) -> None:
        """Ask for these few games' review scores to be refreshed, after the fetches."""
