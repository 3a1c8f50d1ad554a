"""`questrya db copy`: a whole backlog from one database to another, checked by its counts."""

from collections.abc import Callable

from questrya.common.exceptions import InvalidInputError, RuleViolationError, StorageError
from questrya.database.domain import CopyReport
from questrya.database.ports import Backlog


class DatabaseService:
    """``configured`` is the database the settings name; ``open_other`` opens another by its
    URL (created, or brought to the newest schema, first)."""

    def __init__(self, configured: Backlog, open_other: Callable[[str], Backlog]) -> None:
        self._configured = configured
        self._open = open_other

    def copy(
        self, *, to: str | None = None, source: str | None = None, force: bool = False
    ) -> CopyReport:
        """Copy every profile, game, tag, event, change, metadata row and score to ``to``, or
        from ``source`` into the configured database. A target that holds anything is
        refused unless ``force`` (its rows are then replaced)."""
        if (to is None) == (source is None):
            raise InvalidInputError("give either --to URL or --from URL")
        if to is not None:
            origin, target = self._configured, self._open(to)
        else:
            origin, target = self._open(source or ""), self._configured
        if origin.where == target.where:
            raise InvalidInputError(f"{target.where} is the database copied from")
        held = target.counts()
        if not held.empty and not force:
            raise RuleViolationError(
                f"the database at {target.where} is not empty ({held.line()}): nothing was"
                " copied; add --force to replace what it holds"
            )
        copied = target.replace_with(origin)
        found = target.counts()
        if found != copied:
            raise StorageError(
                f"the copy at {target.where} holds {found.line()}, not the {copied.line()} read"
            )
        return CopyReport(origin.where, target.where, copied)
