"""The entities a repository handed out in one unit of work, each with its row.

Loading a row twice gives back the same entity, so a service's changes are never split
between two copies; on commit each entity is written back to its row.
"""

from collections.abc import Callable
from typing import Generic, TypeVar

E = TypeVar("E")
R = TypeVar("R")


class HandedOut(Generic[E, R]):
    """``key`` gives a row's primary key; ``write`` copies an entity onto its row."""

    def __init__(self, key: Callable[[R], int], write: Callable[[E, R], None]) -> None:
        self._key = key
        self._write = write
        self._pairs: dict[int, tuple[E, R]] = {}

    def entity(self, row: R, make: Callable[[R], E]) -> E:
        """The entity of ``row``: the one handed out already, or a new one from ``make``."""
        pair = self._pairs.get(self._key(row))
        entity = pair[0] if pair else make(row)
        self.add(entity, row)
        return entity

    def add(self, entity: E, row: R) -> None:
        self._pairs[self._key(row)] = (entity, row)

    def forget(self, row_id: int | None, what: str) -> R:
        """Stop tracking an entity (it is being deleted) and give back its row."""
        if row_id is None or row_id not in self._pairs:
            raise ValueError(f"only a {what} loaded in this unit of work can be removed")
        return self._pairs.pop(row_id)[1]

    def write_back(self) -> None:
        for entity, row in self._pairs.values():
            self._write(entity, row)

    def write_one(self, row_id: int | None) -> None:
        """Write one entity handed out to its row, ahead of the others."""
        if row_id is None or row_id not in self._pairs:
            raise ValueError("only an entity loaded in this unit of work can be written")
        entity, row = self._pairs[row_id]
        self._write(entity, row)
