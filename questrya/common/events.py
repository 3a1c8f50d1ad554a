"""The change history of games, as a port both the games and the metadata features write to.

Every change a command makes is recorded as events with the fields before and after; the
events of one unit of work make one change, which `undo` takes back whole.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

_UNDO = "undo "


class EventKind(StrEnum):
    """What a change did to a game. The undo of a change is recorded as a kind of its own,
    stored as "undo <kind>" ("undo edit")."""

    ADD = "add"
    EDIT = "edit"
    START = "start"
    HOLD = "hold"
    COMPLETE = "complete"
    ABANDON = "abandon"
    RATE = "rate"
    REMOVE = "remove"
    LOG = "log"  # a play session: playtime and the day last played
    IMPORT = "import"  # a game an import added (no before) or filled in
    METADATA = "metadata"  # what the worker applied
    UNDO_ADD = "undo add"
    UNDO_EDIT = "undo edit"
    UNDO_START = "undo start"
    UNDO_HOLD = "undo hold"
    UNDO_COMPLETE = "undo complete"
    UNDO_ABANDON = "undo abandon"
    UNDO_RATE = "undo rate"
    UNDO_REMOVE = "undo remove"
    UNDO_LOG = "undo log"
    UNDO_IMPORT = "undo import"

    @property
    def undoable(self) -> bool:
        """Whether `undo` may take back a change of this kind: an undo is not undone, and
        what the worker applied is history, not the player's to take back."""
        return not self.value.startswith(_UNDO) and self is not EventKind.METADATA

    def undo(self) -> "EventKind":
        """The kind recorded when a change of this kind is taken back."""
        if not self.undoable:
            raise ValueError(f"a change of kind {self.value!r} cannot be undone")
        return EventKind(_UNDO + self.value)


@dataclass(frozen=True)
class GameEvent:
    """One recorded change to one game, with the fields it touched before and after
    (``before`` is None for an add, ``after`` for a removal)."""

    owner_id: int
    game_id: int
    kind: EventKind
    at: datetime
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    id: int | None = None
    change_id: int | None = None
    undone_at: datetime | None = None


def changed_fields(
    before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields of ``after`` whose value differs from ``before``, as they were and as they
    are: what an event keeps. Both are empty when nothing changed."""
    names = [name for name, value in after.items() if before.get(name) != value]
    return {name: before.get(name) for name in names}, {name: after[name] for name in names}


class EventLog(Protocol):
    def record(self, event: GameEvent) -> None:
        """Store an event; the events recorded in one unit of work make one change."""

    def of_game(self, owner_id: int, game_id: int) -> list[GameEvent]:
        """The game's events, oldest first (a removed game's too)."""

    def last_changes(self, owner_id: int, count: int) -> list[list[GameEvent]]:
        """The profile's ``count`` latest undoable changes not undone yet, newest first;
        each change's events in the order they were recorded."""

    def mark_undone(self, change_id: int, at: datetime) -> None: ...
