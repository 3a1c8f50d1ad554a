"""Change ids: the events one command records share one, so `undo` takes back whole changes."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from questrya.orm.models import GameEventRow


def next_change_id(session: Session) -> int:
    """A new change id; unique because writers hold SQLite's write lock (BEGIN IMMEDIATE)."""
    latest = session.scalar(select(func.max(GameEventRow.change_id)))
    return (latest or 0) + 1
