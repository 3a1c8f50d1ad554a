"""How a game looks to scripts: the JSON shape of PRODUCT §5, read off the entity's attributes."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

# Value objects and enums arrive as themselves; scripts see their plain value.
Text = Annotated[str, BeforeValidator(str)]
OptionalText = Annotated[str | None, BeforeValidator(lambda v: None if v is None else str(v))]
Score = Annotated[int | None, BeforeValidator(lambda v: getattr(v, "score", v))]


class MetadataOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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


class ScoreOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    user_score: float | None
    user_votes: int | None
    critic_score: int | None
    label: str | None
    fetched_at: datetime


class GameOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    platform: Text
    status: Text
    # The date the player sees: their own, else the metadata's when it fits their dates.
    release_date: date | None = Field(validation_alias="released")
    started_date: date | None
    completion_date: date | None
    completion_level: OptionalText
    rating: Score
    recommended: bool
    wishlist: bool
    tags: list[str]
    notes: str
    metadata_status: Text
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


class GameEventOut(BaseModel):
    """One entry of `games history --json`: the fields a change touched, before and after."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    change_id: int
    game_id: int
    kind: Text
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    undone_at: datetime | None
