"""Candidates, provider failures, and the fetch state of a game."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import uuid4

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


class FetchOutcome(StrEnum):
    """How one run of the fetch task ended, as the worker's log line says it."""

    FETCHED = "fetched"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"
    FAILED = "failed"
    RETRY = "retry"  # a later attempt is queued
    SKIPPED = "skipped"  # nothing to fetch: done, held by another fetch, removed, not yet due
    RESTARTED = "restarted"  # a restart asked for while it ran replaced its outcome
    DROPPED = "dropped"  # its claim was taken after its lease ran out: its outcome is not applied


@dataclass(frozen=True)
class FetchPolicy:
    max_attempts: int = 5
    retry_delay: timedelta = timedelta(seconds=60)  # doubles with each attempt
    # A fetch holds its game under a lease that its holder renews while it runs: a lease
    # that ran out belongs to a fetch that stopped (a killed worker) and the game is free.
    lease: timedelta = timedelta(seconds=60)
    renew_every: timedelta = timedelta(seconds=15)


def _attempts(count: int) -> str:
    return f"{count} attempt" if count == 1 else f"{count} attempts"


@dataclass(eq=False)
class GameFetch:
    """The fetch state of one game, kept on its row so that no queue loss loses a fetch.

    `pending` is waiting (from ``due_at`` on) or, under a live lease, being fetched by the
    holder of ``claim``. Only that holder may settle it; a restart asked for meanwhile
    (``restart_asked``) waits for it to end. It owns the game's metadata status (once the
    game is added), its fetch columns, its metadata and its scores; the player's own fields
    are the games feature's, never touched here (the metadata's release date is shown when
    the player gave none).
    """

    game_id: int
    owner_id: int
    title: str
    status: MetadataStatus
    attempts: int = 0
    due_at: datetime | None = None
    lease_until: datetime | None = None
    claim_token: str | None = None
    restart_asked: bool = False
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
            and not self.held(now)
        )

    def held(self, now: datetime) -> bool:
        """A fetch holds the game: its lease runs."""
        return self.lease_until is not None and self.lease_until > now

    def claim(self, now: datetime, policy: FetchPolicy) -> bool:
        """Take the fetch for one attempt under a new claim; False when it is not ready (safe
        to run twice) or when its attempts are spent (it is `failed` then).

        A claim still there is an attempt that ended with no outcome (its worker was
        killed): it counted, and when it was the last one the game fails.
        """
        if not self.ready(now):
            return False
        if self.restart_asked:
            self.start_over()
        if self.claim_token is not None:
            self.error = "its last attempt ended with no outcome"
        if self.attempts >= policy.max_attempts:
            self.fail(f"{self.error} (gave up after {_attempts(self.attempts)})")
            return False
        self.attempts += 1
        self.claim_token = uuid4().hex
        self.lease_until = now + policy.lease
        return True

    def holds(self, claim_token: str | None) -> bool:
        """Whether the fetch that took ``claim_token`` still holds the game."""
        return claim_token is not None and self.claim_token == claim_token

    def renew(self, claim_token: str | None, now: datetime, policy: FetchPolicy) -> bool:
        """Extend the lease of the fetch holding ``claim_token``; False once it holds no more."""
        if not self.holds(claim_token):
            return False
        self.lease_until = now + policy.lease
        return True

    def release(self) -> None:
        """Forget a lease: at worker start every lease belongs to a dead worker. The claim
        stays, so that the next one knows an attempt ended with no outcome."""
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
            self.fail(f"{reason} (gave up after {_attempts(self.attempts)})")
            return None
        delay = policy.retry_delay * 2 ** max(self.attempts - 1, 0)
        if retry_after is not None:
            delay = max(delay, timedelta(seconds=retry_after))
        self.lease_until = self.claim_token = None
        self.error = reason
        self.due_at = now + delay
        return self.due_at

    def restart(self, now: datetime, pick: Candidate | None = None) -> bool:
        """Start over (`games refresh`, `games match --pick`): `failed` is final until then.

        While a fetch holds the game the restart is kept for when that fetch ends: it neither
        cuts the fetch short nor lets a second one start. True when the game is ready to be
        fetched now, False when it waits for the fetch in hand.
        """
        self.pick = pick
        if self.held(now):
            self.restart_asked = True
            return False
        self.start_over()
        return True

    def start_over(self) -> None:
        """Waiting again with every attempt ahead of it; a claim it had is void."""
        self.status = MetadataStatus.PENDING
        self.attempts = 0
        self.due_at = self.lease_until = self.claim_token = self.error = None
        self.restart_asked = False

    def scored_from(self, provider: str) -> bool:
        """Whether a score refresh from ``provider`` applies: fetched, with its metadata."""
        return (
            self.status is MetadataStatus.FETCHED
            and self.metadata is not None
            and self.metadata.provider == provider
        )

    def pick_label(self) -> str:
        """The pick as `games match --id` takes it and the row keeps it ("steam:570"); ""
        when there is none."""
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
        self.due_at = self.lease_until = self.claim_token = self.error = None
        self.pick = None
        if status is not MetadataStatus.AMBIGUOUS:
            self.offers = ()
