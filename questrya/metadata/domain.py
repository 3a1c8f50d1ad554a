"""Candidates, provider failures, and the fetch state of a game."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from questrya.common.text import strip_control_characters
from questrya.common.value_objects import GameMetadata, MetadataStatus, ScoreSnapshot


class CandidateKind(StrEnum):
    """What a search result is. Only games are ever applied to a backlog entry."""

    GAME = "game"
    DLC = "dlc"
    SOUNDTRACK = "soundtrack"
    SOFTWARE = "software"
    DEMO = "demo"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One search result of a provider."""

    provider: str
    provider_id: str
    title: str
    kind: CandidateKind = CandidateKind.GAME
    release_date: date | None = None

    def __post_init__(self) -> None:
        """Provider text is cleaned here, so that no path can store or show it raw."""
        for name in ("provider", "provider_id", "title"):
            object.__setattr__(self, name, strip_control_characters(getattr(self, name)))


class ProviderError(Exception):
    """A provider could not answer. ``reason`` is one line, safe to show (no secrets)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class TemporaryProviderError(ProviderError):
    """Worth trying again later: rate limited, server error, timeout, garbled answer.

    ``retry_after`` is how long the provider asked us to wait, in seconds, when it said.
    """

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentProviderError(ProviderError):
    """Trying again will not help: unknown id, bad key, forbidden."""


@dataclass(frozen=True, slots=True)
class Offer:
    """A candidate kept for `games match`, with how close its title is (0-1)."""

    candidate: Candidate
    similarity: float


@dataclass(frozen=True)
class FetchPolicy:
    max_attempts: int = 5
    retry_delay: timedelta = timedelta(seconds=60)  # doubles with each attempt
    lease: timedelta = timedelta(minutes=5)  # a fetch held longer belongs to a dead worker


@dataclass(eq=False)
class GameFetch:
    """The fetch state of one game, kept on its row so that no queue loss loses a fetch.

    `pending` is waiting (from ``due_at`` on) or, under a live lease, being fetched.
    It owns the game's metadata status (once the game is added), its fetch columns, its
    metadata and its scores; the player's own fields are the games feature's, never touched
    here (the metadata's release date is shown when the player gave none).
    """

    game_id: int
    owner_id: int
    title: str
    status: MetadataStatus
    attempts: int = 0
    due_at: datetime | None = None
    lease_until: datetime | None = None
    error: str | None = None
    offers: tuple[Offer, ...] = ()
    pick: Candidate | None = None
    metadata: GameMetadata | None = None
    fetched_at: datetime | None = None
    new_score: ScoreSnapshot | None = field(default=None, repr=False)

    def ready(self, now: datetime) -> bool:
        """Waiting, due, and held by nobody alive."""
        return (
            self.status is MetadataStatus.PENDING
            and (self.due_at is None or self.due_at <= now)
            and (self.lease_until is None or self.lease_until <= now)
        )

    def claim(self, now: datetime, policy: FetchPolicy) -> bool:
        """Take the fetch for one attempt; False when it is not ready (safe to run twice)."""
        if not self.ready(now):
            return False
        self.attempts += 1
        self.lease_until = now + policy.lease
        return True

    def release(self) -> None:
        """Forget a lease: at worker start every lease belongs to a dead worker."""
        self.lease_until = None

    def apply(self, metadata: GameMetadata, score: ScoreSnapshot | None, now: datetime) -> None:
        self.metadata = metadata
        self.fetched_at = now
        self.new_score = score
        self._settle(MetadataStatus.FETCHED)

    def offer(self, offers: tuple[Offer, ...]) -> None:
        self.offers = offers
        self._settle(MetadataStatus.AMBIGUOUS)

    def not_found(self) -> None:
        self._settle(MetadataStatus.NOT_FOUND)

    def fail(self, reason: str) -> None:
        self._settle(MetadataStatus.FAILED)
        self.error = reason

    def retry_later(
        self, reason: str, now: datetime, policy: FetchPolicy, retry_after: float | None
    ) -> datetime | None:
        """Schedule the next attempt, the delay doubling each time (or as the provider asked
        when longer); after the last attempt the game is `failed`. Returns when, or None."""
        if self.attempts >= policy.max_attempts:
            self.fail(f"{reason} (gave up after {self.attempts} attempts)")
            return None
        delay = policy.retry_delay * 2 ** max(self.attempts - 1, 0)
        if retry_after is not None:
            delay = max(delay, timedelta(seconds=retry_after))
        self.lease_until = None
        self.error = reason
        self.due_at = now + delay
        return self.due_at

    def restart(self, pick: Candidate | None = None) -> None:
        """Start over (`games refresh`, `games match --pick`): `failed` is final until then."""
        self.status = MetadataStatus.PENDING
        self.attempts = 0
        self.due_at = self.lease_until = self.error = None
        self.pick = pick

    def pick_label(self) -> str:
        return f"{self.pick.provider}:{self.pick.provider_id}" if self.pick else ""

    def visible(self) -> dict[str, Any]:
        """What a fetch changes that the player sees, as it appears in the game's history."""
        source = self.metadata
        return {
            "metadata_status": self.status.value,
            "metadata": f"{source.provider}:{source.provider_id}" if source else None,
        }

    def _settle(self, status: MetadataStatus) -> None:
        self.status = status
        self.due_at = self.lease_until = self.error = None
        self.pick = None
        if status is not MetadataStatus.AMBIGUOUS:
            self.offers = ()
