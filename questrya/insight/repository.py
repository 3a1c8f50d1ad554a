"""The digests sent, on SQLAlchemy: a row a profile and week, claimed before its mail goes.

Two workers (or a retried task) may reach the same digest at once: the first to insert the
row, or to take over a claim that ran out, holds it; the other's insert fails on the primary
key, or its update matches no row, and it sends nothing.
"""

from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from questrya.orm.models import DigestRow
from questrya.orm.unit_of_work import SqlUnitOfWork


class SqlDigestClaims:
    def __init__(self, session: Session) -> None:
        self._session = session

    def claim(self, owner_id: int, week: str, token: str, now: datetime, until: datetime) -> bool:
        key = (DigestRow.user_id == owner_id, DigestRow.week == week)
        if self._session.scalar(select(DigestRow.week).where(*key)) is None:
            row = DigestRow(user_id=owner_id, week=week, claim=token, lease_until=until)
            try:
                with self._session.begin_nested():
                    self._session.add(row)
            except IntegrityError:  # another claimed it meanwhile
                return False
            return True
        taken = self._session.execute(
            update(DigestRow)
            .where(
                *key,
                DigestRow.sent_at.is_(None),
                or_(DigestRow.lease_until.is_(None), DigestRow.lease_until <= now),
            )
            .values(claim=token, lease_until=until)
        )
        return bool(getattr(taken, "rowcount", 0))

    def sent(self, owner_id: int, week: str, token: str, at: datetime) -> None:
        self._session.execute(
            update(DigestRow)
            .where(DigestRow.user_id == owner_id, DigestRow.week == week, DigestRow.claim == token)
            .values(sent_at=at, lease_until=None)
        )

    def release(self, owner_id: int, week: str, token: str) -> None:
        self._session.execute(
            update(DigestRow)
            .where(DigestRow.user_id == owner_id, DigestRow.week == week, DigestRow.claim == token)
            .values(lease_until=None)
        )

    def record(self, owner_id: int, week: str, at: datetime) -> None:
        row = self._session.get(DigestRow, (owner_id, week))
        if row is None:
            self._session.add(DigestRow(user_id=owner_id, week=week, sent_at=at))
        else:
            row.sent_at, row.lease_until = at, None


class SqlDigestUnitOfWork(SqlUnitOfWork):
    digests: SqlDigestClaims

    def _open(self, session: Session) -> None:
        self.digests = SqlDigestClaims(session)

    def _write_back(self) -> None:
        """Claims are written as they are made: nothing is handed out to write back."""
