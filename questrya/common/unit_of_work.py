"""The Unit of Work port: one transaction per command."""

from types import TracebackType
from typing import Protocol, Self


class UnitOfWork(Protocol):
    """``with uow:`` opens a writing transaction that rolls back unless ``commit()`` is called.

    ``with uow.reading():`` opens a read-only one that never writes.
    """

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def reading(self) -> Self: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
