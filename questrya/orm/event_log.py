"""The change history on SQLAlchemy, for every feature's unit of work (`uow.events`)."""

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from questrya.common.events import EventKind, GameEvent
from questrya.orm.models import ChangeRow, GameEventRow

_UNDOABLE = [kind.value for kind in EventKind if kind.undoable]


class SqlEventLog:
    """Events as rows of `game_events`. The events of one unit of work make one change,
    whose id is a row of `changes` inserted with the first of them."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._change_id: int | None = None

    def record(self, event: GameEvent) -> None:
        self._session.add(
            GameEventRow(
                user_id=event.owner_id,
                game_id=event.game_id,
                change_id=self._change(event),
                kind=event.kind.value,
                at=event.at,
                before=event.before,
                after=event.after,
            )
        )

    def of_game(self, owner_id: int, game_id: int) -> list[GameEvent]:
        query = (
            select(GameEventRow)
            .where(GameEventRow.user_id == owner_id, GameEventRow.game_id == game_id)
            .order_by(GameEventRow.id)
        )
        return [_event(row) for row in self._session.scalars(query)]

    def last_changes(self, owner_id: int, count: int) -> list[list[GameEvent]]:
        latest = (
            select(GameEventRow.change_id)
            .where(
                GameEventRow.user_id == owner_id,
                GameEventRow.undone_at.is_(None),
                GameEventRow.kind.in_(_UNDOABLE),
            )
            .group_by(GameEventRow.change_id)
            .order_by(GameEventRow.change_id.desc())
            .limit(count)
        )
        rows = self._session.scalars(
            select(GameEventRow)
            .where(GameEventRow.change_id.in_(latest))
            .order_by(GameEventRow.change_id.desc(), GameEventRow.id)
        )
        changes: dict[int, list[GameEvent]] = {}
        for row in rows:
            changes.setdefault(row.change_id, []).append(_event(row))
        return list(changes.values())

    def mark_undone(self, change_id: int, at: datetime) -> None:
        self._session.execute(
            update(GameEventRow).where(GameEventRow.change_id == change_id).values(undone_at=at)
        )

    def _change(self, event: GameEvent) -> int:
        """This unit of work's change id, taken from `changes` with its first event."""
        if self._change_id is None:
            change = ChangeRow(user_id=event.owner_id, at=event.at)
            self._session.add(change)
            self._session.flush()
            self._change_id = change.id
        return self._change_id


def _event(row: GameEventRow) -> GameEvent:
    return GameEvent(
        id=row.id,
        change_id=row.change_id,
        owner_id=row.user_id,
        game_id=row.game_id,
        kind=EventKind(row.kind),
        at=row.at,
        before=row.before,
        after=row.after,
        undone_at=row.undone_at,
    )
