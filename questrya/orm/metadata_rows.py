"""Metadata rows to value objects and back, for the games and metadata repositories."""

from datetime import datetime

from questrya.common.value_objects import GameMetadata, ScoreSnapshot
from questrya.orm.models import GameMetadataRow, GameScoreRow


def metadata_of(row: GameMetadataRow | None) -> GameMetadata | None:
    if row is None:
        return None
    return GameMetadata(
        provider=row.provider,
        provider_id=row.provider_id,
        title=row.title,
        release_date=row.release_date,
        genres=tuple(row.genres),
        developers=tuple(row.developers),
        publishers=tuple(row.publishers),
        description=row.description,
        cover_url=row.cover_url,
        url=row.url,
        typical_hours=row.typical_hours,
    )


def metadata_row(game_id: int, metadata: GameMetadata, fetched_at: datetime) -> GameMetadataRow:
    return GameMetadataRow(
        game_id=game_id,
        provider=metadata.provider,
        provider_id=metadata.provider_id,
        title=metadata.title,
        release_date=metadata.release_date,
        genres=list(metadata.genres),
        developers=list(metadata.developers),
        publishers=list(metadata.publishers),
        description=metadata.description,
        cover_url=metadata.cover_url,
        url=metadata.url,
        fetched_at=fetched_at,
        typical_hours=metadata.typical_hours,
    )


def score_of(row: GameScoreRow) -> ScoreSnapshot:
    return ScoreSnapshot(
        fetched_at=row.fetched_at,
        user_score=row.user_score,
        user_votes=row.user_votes,
        critic_score=row.critic_score,
        label=row.label,
    )


def score_row(game_id: int, score: ScoreSnapshot) -> GameScoreRow:
    return GameScoreRow(
        game_id=game_id,
        fetched_at=score.fetched_at,
        user_score=score.user_score,
        user_votes=score.user_votes,
        critic_score=score.critic_score,
        label=score.label,
    )
