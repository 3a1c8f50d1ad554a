"""Candidates, provider failures and the fetch state of a game."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


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
