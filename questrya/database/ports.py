"""What the copy needs of a database: its rows counted, and a whole backlog written into it."""

from typing import Protocol

from questrya.database.domain import RowCounts


class Backlog(Protocol):
    """One database holding a backlog, at the newest schema."""

    @property
    def where(self) -> str:
        """The database as the user named it, its password masked."""

    def counts(self) -> RowCounts: ...

    def replace_with(self, source: "Backlog") -> RowCounts:
        """Delete every row here and write every row of ``source``, ids kept, in one
        transaction; the rows read from ``source`` (one snapshot of it)."""
