"""An import's games on SQLAlchemy: the games its rows may match, read a batch at a time, and
new and changed games written many a statement, with their tags and `import` events.

Writes go through the driver's executemany (`orm/bulk.py`), not one ORM object a row: an
import of 100,000 games is a few seconds, not minutes. Games are the games feature's
snapshots here; each column is written as the games repository writes it.
"""

from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from questrya.common.events import EventKind, changed_fields
from questrya.common.value_objects import MetadataStatus
from questrya.imports.domain import Entry, GameKey, Update, key_of
from questrya.orm.bulk import BulkInsert, table_of
from questrya.orm.models import (
    GAME_IN_BACKLOG,
    ChangeRow,
    GameEventRow,
    GameMetadataRow,
    GameRow,
    GameTagRow,
)
from questrya.orm.unit_of_work import SqlUnitOfWork

# A game's fields as a snapshot names them, and the column each is written to.
_FIELD_COLUMNS = {
    "title": GameRow.title,
    "platform": GameRow.platform,
    "status": GameRow.status,
    "release_date": GameRow.release_date,
    "started_date": GameRow.started_date,
    "completion_date": GameRow.completion_date,
    "completion_level": GameRow.completion_level,
    "rating": GameRow.rating,
    "wishlist": GameRow.wishlist,
    "notes": GameRow.notes,
    "playtime": GameRow.playtime,
    "last_played": GameRow.last_played,
}
# The provider id a game's metadata came from, as "steam:570".
_SOURCE = GameMetadataRow.provider + ":" + GameMetadataRow.provider_id
_DAYS = frozenset({"release_date", "started_date", "completion_date", "last_played"})
_WRITTEN = tuple(_FIELD_COLUMNS)
_NEW_GAME = ("user_id", *_WRITTEN, "title_key", "platform_key", "metadata_status", "fetch_pick",
             "added_at", "updated_at")  # fmt: skip
_EVENT = ("user_id", "game_id", "change_id", "kind", "at", "before", "after")
_TAG = ("game_id", "tag")
# Values bound into one statement, well under every database's limit on parameters.
_PER_STATEMENT = 400
_GAMES = table_of(GameRow)
# One statement for every game an import changes, each bound under its own name.
_UPDATE = (
    update(_GAMES)
    .where(_GAMES.c.id == bindparam("game_id"))
    .values({name: bindparam(f"new_{name}") for name in (*_WRITTEN, "updated_at")})
)
# The games in a backlog with one of some folded titles: the unique index's first columns.
_TITLED = select(GameRow.id, GameRow.title_key, GameRow.platform_key).where(
    GameRow.user_id == bindparam("owner"),
    GAME_IN_BACKLOG,
    GameRow.title_key.in_(bindparam("titles", expanding=True)),
)
T = TypeVar("T")


class SqlImportRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def matching(
        self, owner_id: int, keys: Sequence[GameKey], provider_ids: Sequence[str]
    ) -> list[Entry]:
        owned = (GameRow.user_id == owner_id) & GAME_IN_BACKLOG
        ids = {game_id for game_id, _ in self._with_keys(owner_id, keys)}
        for labels in _parts(sorted(set(provider_ids))):
            picked = select(GameRow.id).where(owned, GameRow.fetch_pick.in_(labels))
            ids.update(self._session.scalars(picked))
        by_provider: dict[str, list[str]] = {}
        for label in set(provider_ids):
            provider, _, ident = label.partition(":")
            by_provider.setdefault(provider, []).append(ident)
        for provider, idents in by_provider.items():
            for part in _parts(sorted(idents)):
                fetched = (
                    select(GameRow.id)
                    .join(GameMetadataRow)
                    .where(
                        owned,
                        GameMetadataRow.provider == provider,
                        GameMetadataRow.provider_id.in_(part),
                    )
                )
                ids.update(self._session.scalars(fetched))
        return [game for part in _parts(sorted(ids)) for game in self._entries(part)]

    def start_change(self, owner_id: int, at: datetime) -> int:
        statement = insert(ChangeRow).values(user_id=owner_id, at=at).returning(ChangeRow.id)
        return int(self._session.execute(statement).scalar_one())

    def add(
        self, owner_id: int, games: Sequence[Entry], change_id: int, at: datetime, *, fetch: bool
    ) -> list[int]:
        status = (MetadataStatus.PENDING if fetch else MetadataStatus.SKIPPED).value
        connection = self._connection()
        BulkInsert(connection, _GAMES, _NEW_GAME).run(
            (
                owner_id, *_columns(game.fields), *game.key, status,
                game.provider_ids[0] if game.provider_ids else None, at, at,
            )
            for game in games
        )  # fmt: skip
        stored = {
            key: game_id for game_id, key in self._with_keys(owner_id, (g.key for g in games))
        }
        for game in games:
            game.id = stored[game.key]
        ids = [stored[game.key] for game in games]
        self._tag(connection, games)
        BulkInsert(connection, table_of(GameEventRow), _EVENT).run(
            (owner_id, game_id, change_id, EventKind.IMPORT.value, at, None, game.fields)
            for game_id, game in zip(ids, games, strict=True)
        )
        return ids

    def update(
        self, owner_id: int, updates: Sequence[Update], change_id: int, at: datetime
    ) -> None:
        if not updates:
            return
        connection = self._connection()
        connection.execute(
            _UPDATE,
            [
                {
                    "game_id": change.game.id,
                    "new_updated_at": at,
                    **{
                        f"new_{name}": value
                        for name, value in zip(_WRITTEN, _columns(change.after), strict=True)
                    },
                }
                for change in updates
            ],
        )
        retagged = [
            change.game for change in updates if change.before["tags"] != change.after["tags"]
        ]
        for part in _parts([game.id for game in retagged]):
            connection.execute(delete(GameTagRow).where(GameTagRow.game_id.in_(part)))
        self._tag(connection, retagged)
        BulkInsert(connection, table_of(GameEventRow), _EVENT).run(
            (
                owner_id,
                change.game.id,
                change_id,
                EventKind.IMPORT.value,
                at,
                *changed_fields(change.before, change.after),
            )
            for change in updates
        )

    def _connection(self) -> Connection:
        return self._session.connection()

    def _tag(self, connection: Connection, games: Iterable[Entry]) -> None:
        BulkInsert(connection, table_of(GameTagRow), _TAG).run(
            (game.id, tag) for game in games for tag in game.fields["tags"]
        )

    def _with_keys(self, owner_id: int, keys: Iterable[GameKey]) -> Iterator[tuple[int, GameKey]]:
        """The games in the backlog with these keys, and their keys: the unique index finds
        each by its title (its platform is compared here, for the index to be used)."""
        wanted = set(keys)
        for part in _parts(sorted({title for title, _ in wanted})):
            found = self._session.execute(_TITLED, {"owner": owner_id, "titles": part})
            for game_id, title_key, platform_key in found:
                if (title_key, platform_key) in wanted:
                    yield game_id, (title_key, platform_key)

    def _entries(self, ids: list[int]) -> list[Entry]:
        """These games as entries: their snapshot, keys, and the provider ids they are known
        by (the one their fetch is to use, the one their metadata came from)."""
        tags: dict[int, list[str]] = {game_id: [] for game_id in ids}
        tagged = select(GameTagRow.game_id, GameTagRow.tag).where(GameTagRow.game_id.in_(ids))
        for game_id, tag in self._session.execute(tagged.order_by(GameTagRow.tag)):
            tags[game_id].append(tag)
        query = (
            select(GameRow.id, *_FIELD_COLUMNS.values(), GameRow.fetch_pick, _SOURCE)
            .outerjoin(GameMetadataRow)
            .where(GameRow.id.in_(ids))
        )
        entries = []
        for game_id, *values, pick, source in self._session.execute(query):
            fields = _snapshot(values, tags[game_id])
            labels = tuple(label for label in (pick, source) if label)
            entries.append(Entry(fields, key_of(fields), labels, id=game_id))
        return entries


class SqlImportUnitOfWork(SqlUnitOfWork):
    imports: SqlImportRepository

    def _open(self, session: Session) -> None:
        self.imports = SqlImportRepository(session)

    def _write_back(self) -> None:
        """Every write went to the database as it was made."""


def _columns(fields: dict[str, Any]) -> tuple[Any, ...]:
    """A snapshot's values as the columns of ``_WRITTEN`` take them."""
    return tuple(
        [
            _date(fields[name]) if name in _DAYS else fields[name]  # a day is text in a snapshot
            for name in _WRITTEN
        ]
    )


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _snapshot(values: Sequence[Any], tags: list[str]) -> dict[str, Any]:
    """The columns of ``_WRITTEN`` read back as a game's snapshot."""
    fields = {
        name: value.isoformat() if name in _DAYS and value is not None else value
        for name, value in zip(_WRITTEN, values, strict=True)
    }
    return {**fields, "tags": tags}


def _parts(items: Sequence[T]) -> Iterable[list[T]]:
    for start in range(0, len(items), _PER_STATEMENT):
        yield list(items[start : start + _PER_STATEMENT])
