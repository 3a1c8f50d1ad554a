"""Indexes for the listings: the default order (status in lifecycle order, then title),
which a status filter reads too; a platform filter; a tag filter.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

IN_BACKLOG = sa.text("removed_at IS NULL")
# A status's place in the lifecycle, as the query compiler writes it (`games/query.py`):
# the planner uses an index on an expression only for that very expression.
STATUS_RANK = sa.text(
    "(CASE status WHEN 'not_started' THEN 0 WHEN 'playing' THEN 1 WHEN 'on_hold' THEN 2"
    " WHEN 'completed' THEN 3 WHEN 'abandoned' THEN 4 END)"
)


def upgrade() -> None:
    # The listing index starts with the profile and the status's rank: it replaces this one.
    op.drop_index("ix_games_user_status", "games")
    op.create_index(
        "ix_games_listing",
        "games",
        ["user_id", STATUS_RANK, "title_key", "id"],
        sqlite_where=IN_BACKLOG,
        postgresql_where=IN_BACKLOG,
    )
    op.create_index(
        "ix_games_user_platform",
        "games",
        ["user_id", "platform_key"],
        sqlite_where=IN_BACKLOG,
        postgresql_where=IN_BACKLOG,
    )
    op.create_index("ix_game_tags_tag_game", "game_tags", ["tag", "game_id"])


def downgrade() -> None:
    op.drop_index("ix_game_tags_tag_game", "game_tags")
    op.drop_index("ix_games_user_platform", "games")
    op.drop_index("ix_games_listing", "games")
    op.create_index("ix_games_user_status", "games", ["user_id", "status"])
