"""Metadata: the fetch state on each game, its metadata and its dated review scores; and a
platform key, so that platforms compare alike in SQL and in Python (non-ASCII names too).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Columns are only added to `games`, never altered: SQLite alters by copying the table,
    # and dropping the old copy would cascade to the tags of every game.
    op.add_column(
        "games", sa.Column("platform_key", sa.String(50), nullable=False, server_default="")
    )
    # The key folds case and drops spaces, '-' and '_'; SQL's lower() is exact for every
    # canonical (ASCII) name, and the program rewrites a key whenever it saves a game.
    op.execute(
        "UPDATE games SET platform_key = "
        "lower(replace(replace(replace(platform, ' ', ''), '-', ''), '_', ''))"
    )
    op.create_index(
        "uq_games_user_title_platform_key",
        "games",
        ["user_id", "title_key", "platform_key"],
        unique=True,
    )
    op.add_column(
        "games", sa.Column("fetch_attempts", sa.Integer(), nullable=False, server_default="0")
    )
    for column in (
        sa.Column("fetch_due_at", sa.DateTime(), nullable=True),
        sa.Column("fetch_lease_until", sa.DateTime(), nullable=True),
        sa.Column("fetch_error", sa.Text(), nullable=True),
        sa.Column("fetch_candidates", sa.JSON(), nullable=True),
        sa.Column("fetch_pick", sa.String(100), nullable=True),
    ):
        op.add_column("games", column)
    op.create_index("ix_games_metadata_status", "games", ["metadata_status"])
    op.create_table(
        "game_metadata",
        sa.Column(
            "game_id",
            sa.Integer(),
            sa.ForeignKey("games.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("provider", sa.String(20), nullable=False),
        sa.Column("provider_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("release_date", sa.Date(), nullable=True),
        sa.Column("genres", sa.JSON(), nullable=False),
        sa.Column("developers", sa.JSON(), nullable=False),
        sa.Column("publishers", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("cover_url", sa.String(1000), nullable=True),
        sa.Column("url", sa.String(1000), nullable=True),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "game_scores",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "game_id", sa.Integer(), sa.ForeignKey("games.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("user_score", sa.Double(), nullable=True),
        sa.Column("user_votes", sa.Integer(), nullable=True),
        sa.Column("critic_score", sa.Integer(), nullable=True),
        sa.Column("label", sa.String(40), nullable=True),
    )
    op.create_index("ix_game_scores_game_id", "game_scores", ["game_id", "id"])


def downgrade() -> None:
    op.drop_table("game_scores")
    op.drop_table("game_metadata")
    op.drop_index("ix_games_metadata_status", "games")
    op.drop_index("uq_games_user_title_platform_key", "games")
    for column in (
        "fetch_pick",
        "fetch_candidates",
        "fetch_error",
        "fetch_lease_until",
        "fetch_due_at",
        "fetch_attempts",
        "platform_key",
    ):
        op.drop_column("games", column)
