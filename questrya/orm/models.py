"""Thin table definitions. Rows carry data only; the features' repositories translate them."""

from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Dialect,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC and gives them back aware, on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class GameRow(Base):
    __tablename__ = "games"
    __table_args__ = (
        UniqueConstraint("user_id", "title_key", "platform", name="uq_games_user_title_platform"),
        Index("ix_games_user_status", "user_id", "status"),
        {"sqlite_autoincrement": True},  # ids stay stable: a removed game's id is never reused
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    title_key: Mapped[str] = mapped_column(String(200), index=True)
    platform: Mapped[str] = mapped_column(String(50))
    status: Mapped[str] = mapped_column(String(20))
    release_date: Mapped[date | None]
    started_date: Mapped[date | None]
    completion_date: Mapped[date | None]
    completion_level: Mapped[str | None] = mapped_column(String(10))
    rating: Mapped[int | None]
    wishlist: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    metadata_status: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    tags: Mapped[list["GameTagRow"]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
        order_by="GameTagRow.tag",
    )


class GameTagRow(Base):
    __tablename__ = "game_tags"

    game_id: Mapped[int] = mapped_column(
        ForeignKey("games.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(32), primary_key=True, index=True)


class GameEventRow(Base):
    """One recorded change. ``game_id`` has no foreign key: a removed game's history stays."""

    __tablename__ = "game_events"
    __table_args__ = (
        Index("ix_game_events_user_at", "user_id", "id"),
        Index("ix_game_events_user_change", "user_id", "change_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    game_id: Mapped[int] = mapped_column(index=True)
    # The events of one command share a change id: `undo` takes back whole changes.
    change_id: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    undone_at: Mapped[datetime | None]
