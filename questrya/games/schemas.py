"""How a game looks to scripts: the JSON shape of PRODUCT §5, as the read side's rows.

Each row is a plain dict, so that a listing of thousands of games is printed as it is read.
The order of the keys here is the order of the JSON keys and of the CSV columns; dates and
times are ISO 8601 text already (times in UTC, with a "Z"), as JSON and CSV write them.
"""

from datetime import datetime
from typing import Any, NamedTuple, TypedDict


class MetadataOut(TypedDict):
    provider: str
    provider_id: str
    title: str
    release_date: str | None
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
    fetched_at: str


class GameOut(TypedDict):
    id: int
    title: str
    platform: str
    status: str
    # The date the player sees: their own, else the metadata's when it fits their dates.
    release_date: str | None
    started_date: str | None
    completion_date: str | None
    completion_level: str | None
    rating: int | None
    recommended: bool
    wishlist: bool
    tags: list[str]
    notes: str
    playtime: int  # minutes
    last_played: str | None
    metadata_status: str
    metadata: MetadataOut | None
    score: ScoreOut | None
    metadata_error: str | None
    added_at: str
    updated_at: str
    # How the metadata fetch goes: the attempts made, when the next one is due (a retry),
    # the candidates kept for `games match`.
    metadata_attempts: int
    metadata_retry_at: str | None
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
    wishlist: bool
    tags: list[str]


class GameName(NamedTuple):
    """A game as a REF names it: what tells it from the others of its title."""

    id: int
    title: str
    platform: str


class TagCount(NamedTuple):
    """A tag in use, as `questrya tags` lists it."""

    tag: str
    games: int


class ExportedGame(TypedDict):
    """A game in Questrya's own backlog file (`games export`; `common/native_format.py`):
    every field the player gave it, and the ids providers know it by."""

    title: str
    platform: str
    status: str
    release_date: str | None  # the player's own, not the metadata's
    started_date: str | None
    completion_date: str | None
    completion_level: str | None
    rating: int | None
    wishlist: bool
    tags: list[str]
    notes: str
    playtime: int
    last_played: str | None
    provider_ids: dict[str, str]  # {"steam": "570"}


# The columns of `games export --format csv`, in the order of the JSON keys.
EXPORTED_FIELDS = tuple(ExportedGame.__annotations__)


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
