"""The SQLAlchemy side of the Unit of Work, shared by every feature's concrete one."""

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from questrya.common.exceptions import StorageError
from questrya.orm.database import reading
from questrya.orm.errors import describe, where
from questrya.orm.locks import lock_profile


class SqlUnitOfWork:
    """One session per ``with`` block: writing by default, read-only after ``reading()``.

    Subclasses open their repositories on the session in ``_open``, take a writer's locks in
    ``_lock`` (`orm/locks.py`: what BEGIN IMMEDIATE does on SQLite, on a server) and write
    the aggregates they handed out back to their rows in ``_write_back`` just before the
    commit. ``owner_id`` is the profile whose player commands this unit of work writes for
    (None: the worker's, for every profile).
    """

    def __init__(self, engine: Engine, owner_id: int | None = None) -> None:
        self._engine = engine
        self._owner_id = owner_id
        self._writer = sessionmaker(engine, expire_on_commit=False)
        self._reader = sessionmaker(reading(engine), expire_on_commit=False)
        self._read_only = False
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its `with` block")
        return self._session

    def reading(self) -> Self:
        self._read_only = True
        return self

    @property
    def writing(self) -> bool:
        return not self._read_only

    def __enter__(self) -> Self:
        self._session = (self._reader if self._read_only else self._writer)()
        self._open(self._session)
        self._begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session, self._read_only = self.session, None, False
        session.rollback()
        session.close()
        if isinstance(exc, DBAPIError):
            raise StorageError(describe(exc, where(self._engine))) from exc

    def commit(self) -> None:
        if self._read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        self._write_back()
        self.session.commit()

    def rollback(self) -> None:
        """Forget this block's changes, the entities handed out included."""
        self.session.rollback()
        self._open(self.session)
        self._begin()

    def _begin(self) -> None:
        if self._read_only:
            return
        try:
            self._lock(self.session)
        except DBAPIError as error:
            session, self._session = self.session, None  # no `with` block to close it
            session.close()
            raise StorageError(describe(error, where(self._engine))) from error

    def _open(self, session: Session) -> None:
        raise NotImplementedError

    def _lock(self, session: Session) -> None:
        """A writer's first statement: a player's command locks its profile."""
        if self._owner_id is not None:
            lock_profile(session, self._owner_id)

    def _write_back(self) -> None:
        raise NotImplementedError
