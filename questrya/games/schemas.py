"""How a game looks to scripts: the JSON shape of PRODUCT §5, as the read side's rows.

Each row is a plain dict, so that a listing of thousands of games is printed as it is read.
The order of the keys here is the order of the JSON keys and of the CSV columns; dates and
times are written as ISO 8601 (times in UTC, with a "Z").
"""

from datetime import date, datetime
from typing import Any, NamedTuple, TypedDict


class MetadataOut(TypedDict):
    provider: str
    provider_id: str
    title: str
    release_date: date | None
    genres: list[str]
    developers: list[str]
    publishers: list[str]
    description: str
    cover_url: str | None
    url: str | None
    typical_hours: int | None  # how long the game takes, where the provider says (RAWG)


class ScoreOut(TypedDict):
    user_score: float | None
    user_votes: int | None
    critic_score: int | None
    label: str | None
    fetched_at: datetime


class GameOut(TypedDict):
    id: int
    title: str
    platform: str
    status: str
    # The date the player sees: their own, else the metadata's when it fits their dates.
    release_date: date | None
    started_date: date | None
    completion_date: date | None
    completion_level: str | None
    rating: int | None
    recommended: bool
    wishlist: bool
    tags: list[str]
    notes: str
    metadata_status: str
    metadata: MetadataOut | None
    score: ScoreOut | None
    metadata_error: str | None
    added_at: datetime
    updated_at: datetime
    # How the metadata fetch goes: the attempts made, when the next one is due (a retry),
    # the candidates kept for `games match`.
    metadata_attempts: int
    metadata_retry_at: datetime | None
    metadata_candidates: int


# The columns of `games list --csv`, in the order of the JSON keys.
GAME_FIELDS = tuple(GameOut.__annotations__)


class GameLine(NamedTuple):
    """A game as one line of a table: what `games list` shows on a terminal."""

    id: int
    title: str
    platform: str
    status: str
    rating: int | None
    tags: list[str]


class GameEventOut(TypedDict):
    """One entry of `games history --json`: the fields a change touched, before and after."""

    id: int
    change_id: int
    game_id: int
    kind: str
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    undone_at: datetime | None
