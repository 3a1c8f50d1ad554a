"""Titles, platforms, tags and profile names compared in byte order on PostgreSQL, as SQLite
compares them: a server's language collation (en_US, ICU's en-US) would sort "X: Beyond the
Frontier" before "X2: The Threat", and could leave a title out of the range a REF's
completion reads. SQLite needs nothing: it compares text byte by byte already.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, length): the text columns queries compare and sort.
COMPARED = (
    ("games", "title_key", 200),
    ("games", "platform_key", 50),
    ("game_tags", "tag", 32),
    ("users", "name", 32),
)


def upgrade() -> None:
    _collate("C")


def downgrade() -> None:
    _collate(None)


def _collate(collation: str | None) -> None:
    """Each compared column in ``collation`` (None: the database's own); its indexes are
    rebuilt with it."""
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column, length in COMPARED:
        op.alter_column(
            table,
            column,
            type_=sa.String(length, collation=collation),
            existing_type=sa.String(length),
            existing_nullable=False,
        )
