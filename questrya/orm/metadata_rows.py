"""Rows of the metadata tables as value objects: read by the games and metadata repositories."""

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
