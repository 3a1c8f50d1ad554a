"""Profiles on SQLAlchemy: rows in, entities out, and the entities written back on commit."""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from questrya.common.value_objects import Email
from questrya.orm.identity import HandedOut
from questrya.orm.locks import lock_profiles
from questrya.orm.models import GAME_IN_BACKLOG, GameRow, UserRow
from questrya.orm.unit_of_work import SqlUnitOfWork
from questrya.users.domain import ProfileSummary, User


class SqlUserRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._seen: HandedOut[User, UserRow] = HandedOut(lambda row: row.id, _write)

    def add(self, user: User) -> None:
        row = UserRow()
        _write(user, row)
        self._session.add(row)
        self._session.flush()
        user.id = row.id
        self._seen.add(user, row)

    def named(self, name: str) -> User | None:
        return self._one(select(UserRow).where(UserRow.name == name))

    def default(self) -> User | None:
        return self._one(select(UserRow).where(UserRow.is_default))

    def oldest(self) -> User | None:
        return self._one(select(UserRow).order_by(UserRow.id).limit(1))

    def summaries(self) -> list[ProfileSummary]:
        games = (
            select(func.count(GameRow.id))
            .where(GameRow.user_id == UserRow.id, GAME_IN_BACKLOG)
            .correlate(UserRow)
            .scalar_subquery()
        )
        rows = self._session.execute(select(UserRow, games).order_by(UserRow.name))
        return [
            ProfileSummary(name=row.name, email=row.email, default=row.is_default, games=count)
            for row, count in rows
        ]

    def game_count(self, user: User) -> int:
        query = select(func.count(GameRow.id)).where(GameRow.user_id == user.id, GAME_IN_BACKLOG)
        return self._session.scalar(query) or 0

    def remove(self, user: User) -> None:
        self._session.delete(self._seen.forget(user.id, "profile"))
        # Games (removed ones too) and history go with it, for good (ON DELETE CASCADE); flush
        # so that `oldest` no longer sees it.
        self._session.flush()

    def write_back(self) -> None:
        self._seen.write_back()

    def _one(self, query: Select[UserRow]) -> User | None:
        row = self._session.scalars(query).first()
        return self._seen.entity(row, _to_domain) if row is not None else None


class SqlUsersUnitOfWork(SqlUnitOfWork):
    users: SqlUserRepository

    def _open(self, session: Session) -> None:
        self.users = SqlUserRepository(session)

    def _lock(self, session: Session) -> None:
        lock_profiles(session)

    def _write_back(self) -> None:
        self.users.write_back()


def _to_domain(row: UserRow) -> User:
    return User(
        id=row.id,
        name=row.name,
        email=Email(row.email) if row.email else None,
        is_default=row.is_default,
        created_at=row.created_at,
    )


def _write(user: User, row: UserRow) -> None:
    row.name = user.name
    row.email = user.email.address if user.email else None
    row.is_default = user.is_default
    row.created_at = user.created_at
