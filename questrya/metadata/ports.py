"""What the metadata service needs from the outside world."""

from typing import Protocol

from questrya.common.value_objects import GameMetadata, ScoreSnapshot
from questrya.metadata.domain import Candidate


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

    def details(self, provider_id: str) -> GameMetadata | None:
        """The game's metadata, or None when the provider has no such game."""

    def scores(self, provider_id: str) -> ScoreSnapshot | None:
        """The game's current review scores, or None when it has none."""
