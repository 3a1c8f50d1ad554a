from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class MetadataStatus(StrEnum):
    """Where a game's metadata stands (PRODUCT §3): set by the games feature on `add`,
    moved by the metadata feature as the worker fetches."""

    PENDING = "pending"
    FETCHED = "fetched"
    NOT_FOUND = "not_found"
    AMBIGUOUS = "ambiguous"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class GameMetadata:
    """What a provider knows about a game. ``provider_id`` is always a string ("570")."""

    provider: str
    provider_id: str
    title: str
    release_date: date | None = None
    genres: tuple[str, ...] = ()
    developers: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    description: str = ""
    cover_url: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class ScoreSnapshot:
    """Review scores at one moment: ``user_score`` is a 0-100 percentage, ``label`` the
    English review band ("Very Positive"), ``critic_score`` a 0-100 critics' score."""

    fetched_at: datetime
    user_score: float | None = None
    user_votes: int | None = None
    critic_score: int | None = None
    label: str | None = None
