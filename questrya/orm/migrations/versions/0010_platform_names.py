"""Platform names as players mean them: "Xbox" alone is now the current generation, so the
games stored under the 2001 console's old name keep being that console; the current one is
written "Xbox Series X/S".

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (old name, new name, the new name's compared key, as `Platform.key` writes it)
RENAMES = (
    ("Xbox", "Xbox (2001)", "xbox(2001)"),
    ("Xbox Series X|S", "Xbox Series X/S", "xboxseriesx/s"),
)
_RENAME = sa.text("UPDATE games SET platform = :new, platform_key = :key WHERE platform = :old")
_BACK = sa.text("UPDATE games SET platform = :old, platform_key = :key WHERE platform = :new")


def upgrade() -> None:
    for old, new, key in RENAMES:
        op.execute(_RENAME.bindparams(old=old, new=new, key=key))


def downgrade() -> None:
    for old, new, _key in RENAMES:
        op.execute(_BACK.bindparams(old=old, new=new, key=old.lower().replace(" ", "")))
