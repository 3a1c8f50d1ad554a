"""What an import does with each row: the game it describes, the backlog's game it matches,
and what that game gains. Games are their snapshots here (`Game.snapshot()`'s names and
values, dates in ISO), the form the change history keeps them in; the games feature's own
rules check them, through the service's port.
"""

from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from questrya.common.exceptions import InvalidInputError
from questrya.common.text import fold
from questrya.common.value_objects import Platform
from questrya.imports.formats.rows import ImportRow

UNKNOWN_PLATFORM = "Unknown"  # a row with no platform, when --platform gives none
# The provider whose id the worker is given first, when a row holds several.
PREFERRED_PROVIDER = "steam"
# The fields that make a game's play state, taken together or not at all: a completion
# date from one file beside a status from another would break the game's rules.
PLAY_STATE = ("status", "started_date", "completion_date", "completion_level")
# The other fields an import may fill; a title and a platform are what a row matches by.
OTHER_FIELDS = ("release_date", "rating", "wishlist", "tags", "notes", "playtime", "last_played")
# What only grows (minutes played, the day last played, ISO text): a row's later value is
# news even for a game that has one (Steam's a month on), an earlier one never lowers it.
GROWING = ("playtime", "last_played")
# A field holding its value when the player gave none: a status of not started says no more.
_EMPTY: tuple[object, ...] = (None, "", [], False, 0, "not_started")

GameKey = tuple[str, str]  # the folded title and the platform's key: the unique index's keys


def row_fields(row: ImportRow, platform: str | None) -> dict[str, Any]:
    """The row in a snapshot's names and values, its platform defaulted."""
    return {
        "title": row.title,
        "platform": row.platform or platform or UNKNOWN_PLATFORM,
        "status": row.status,
        "release_date": _iso(row.release_date),
        "started_date": _iso(row.started),
        "completion_date": _iso(row.completed),
        "completion_level": row.completion_level,
        "rating": row.rating,
        "wishlist": row.wishlist,
        "tags": list(row.tags),
        "notes": row.notes,
        "playtime": row.playtime,
        "last_played": _iso(row.last_played),
    }


def key_of(fields: Mapping[str, Any]) -> GameKey:
    """What two games are the same by: folded title and platform, as the unique index has it."""
    return fold(fields["title"]), Platform(fields["platform"]).key


def provider_labels(provider_ids: Mapping[str, str]) -> tuple[str, ...]:
    """A row's provider ids as the worker takes them ("steam:570"), Steam's first."""
    labels = [
        f"{provider.strip().lower()}:{ident.strip()}"
        for provider, ident in provider_ids.items()
        if provider.strip() and str(ident).strip()
    ]
    return tuple(sorted(labels, key=lambda label: not label.startswith(f"{PREFERRED_PROVIDER}:")))


@dataclass(frozen=True)
class Checked:
    """A row the game's rules accepted: the game it describes, as a snapshot."""

    line: int
    fields: dict[str, Any]
    key: GameKey
    provider_ids: tuple[str, ...]


@dataclass(eq=False)
class Entry:
    """A game an import's rows match against: one of the backlog (``id``), or one this import
    adds (no id until it is stored)."""

    fields: dict[str, Any]
    key: GameKey
    provider_ids: tuple[str, ...] = ()
    id: int | None = None
    line: int = 0  # the row that added it

    @property
    def label(self) -> str:
        return f"game {self.id}" if self.id is not None else f"the game of line {self.line}"


@dataclass(frozen=True)
class Update:
    """A game of the backlog an import changes: the fields it changed, before and after."""

    game: Entry
    before: dict[str, Any]
    after: dict[str, Any]


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"  # a row the format or the game's rules refused
    UNCLEAR = "unclear"  # a row that matches more than one game


@dataclass(frozen=True, order=True)
class Problem:
    """A row not imported, with why."""

    line: int
    outcome: Outcome
    reason: str


@dataclass
class Known:
    """The games rows are matched against, by their keys and their provider ids."""

    by_key: dict[GameKey, Entry] = field(default_factory=dict)
    by_provider: dict[str, list[Entry]] = field(default_factory=dict)
    stored: set[int] = field(default_factory=set)  # the ids of the backlog's games known

    def add(self, entry: Entry) -> None:
        """Know a game; one of the backlog known already is kept as it is (a dry run reads
        it again for each batch, and keeps what the rows before made of it)."""
        if entry.id is not None:
            if entry.id in self.stored:
                return
            self.stored.add(entry.id)
        self.by_key[entry.key] = entry
        for label in entry.provider_ids:
            self.by_provider.setdefault(label, []).append(entry)

    def match(self, key: GameKey, provider_ids: Iterable[str]) -> Entry | Problem | None:
        """The one game a row is, None for a new one, or a problem when several match it:
        by its provider id first (on its own platform when that id names several), else by
        its title and platform."""
        by_key = self.by_key.get(key)
        by_id: list[Entry] = []
        for label in provider_ids:
            by_id += [entry for entry in self.by_provider.get(label, ()) if entry not in by_id]
        if len(by_id) > 1:
            by_id = [entry for entry in by_id if entry.key[1] == key[1]] or by_id
        if len(by_id) > 1:
            named = ", ".join(entry.label for entry in by_id)
            return _unclear(f"{len(by_id)} games match its provider id: {named}")
        if by_id and by_key is not None and by_key is not by_id[0]:
            return _unclear(
                f"{by_id[0].label} matches its provider id, {by_key.label} its title and platform"
            )
        return by_id[0] if by_id else by_key


def _unclear(reason: str) -> Problem:
    return Problem(0, Outcome.UNCLEAR, reason)


def gained(
    stored: Mapping[str, Any], incoming: Mapping[str, Any], *, overwrite: bool
) -> dict[str, Any]:
    """The fields of ``incoming`` a game ``stored`` gains: those it holds empty, the
    ``GROWING`` ones the row has more of, or with ``overwrite`` every one the row gives. The
    play state goes whole, when the row has one (a status beyond not started) and the game
    has none; with the same status on both, the row fills in the dates and level the game
    lacks."""
    changes = {
        name: incoming[name]
        for name in OTHER_FIELDS
        if incoming[name] not in _EMPTY
        and (overwrite or stored.get(name) in _EMPTY or _grew(name, stored, incoming))
    }
    status = incoming["status"]
    if status not in _EMPTY and (overwrite or stored.get("status") in _EMPTY):
        changes.update((name, incoming[name]) for name in PLAY_STATE)
    elif status == stored.get("status"):
        changes.update(
            (name, incoming[name])
            for name in PLAY_STATE[1:]
            if incoming[name] not in _EMPTY and stored.get(name) in _EMPTY
        )
    return {name: value for name, value in changes.items() if stored.get(name) != value}


def _grew(name: str, stored: Mapping[str, Any], incoming: Mapping[str, Any]) -> bool:
    return name in GROWING and incoming[name] > stored[name]


Merge = Callable[[Mapping[str, Any], Mapping[str, Any]], dict[str, Any]]


@dataclass
class BatchPlan:
    """What a batch of rows does: the games it adds and updates (written together), each
    row's outcome, and the rows it could not import."""

    added: list[Entry] = field(default_factory=list)
    updated: list[Update] = field(default_factory=list)
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)

    def writes(self) -> bool:
        return bool(self.added or self.updated)

    def refuse(self, line: int, outcome: Outcome, reason: str) -> None:
        self.problems.append(Problem(line, outcome, reason))
        self.outcomes[outcome] += 1

    def take(self, other: "BatchPlan") -> None:
        """Count another plan's rows in with these."""
        self.outcomes.update(other.outcomes)
        self.problems += other.problems


def plan(rows: Iterable[Checked], known: Known, merge: Merge, *, overwrite: bool) -> BatchPlan:
    """What each checked row does to the games ``known``: a game matched gains what
    ``gained`` says, checked by ``merge`` (the game's rules, which may refuse it); a game no
    row matched is added, and the rows after it match it too."""
    batch = BatchPlan()
    updates: dict[int, Update] = {}
    for row in rows:
        key = row.key
        found = known.match(key, row.provider_ids)
        if isinstance(found, Problem):
            batch.refuse(row.line, found.outcome, found.reason)
            continue
        if found is None:
            entry = Entry(row.fields, key, row.provider_ids, line=row.line)
            known.add(entry)
            batch.added.append(entry)
            batch.outcomes[Outcome.ADDED] += 1
            continue
        changes = gained(found.fields, row.fields, overwrite=overwrite)
        if not changes:
            batch.outcomes[Outcome.UNCHANGED] += 1
            continue
        try:
            after = merge(found.fields, changes)
        except InvalidInputError as error:  # what the row would make of the game breaks a rule
            batch.refuse(row.line, Outcome.SKIPPED, str(error))
            continue
        if found.id is not None:  # a game this import adds is written as it ends up
            first = updates.get(found.id)
            updates[found.id] = Update(found, first.before if first else found.fields, after)
        found.fields = after
        batch.outcomes[Outcome.UPDATED] += 1
    batch.updated = list(updates.values())
    return batch


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


@dataclass
class ImportSummary:
    """What an import did, row by row: counted by outcome, each row not imported with why."""

    format: str
    dry_run: bool
    outcomes: Counter[Outcome] = field(default_factory=Counter)
    problems: list[Problem] = field(default_factory=list)
    interrupted: bool = False  # stopped by Ctrl-C: the batches before it are kept whole

    def counts(self) -> dict[str, int]:
        """How many rows had each outcome, every outcome named."""
        return {outcome.value: self.outcomes[outcome] for outcome in Outcome}

    def take(self, batch: BatchPlan) -> None:
        """Count a batch once it is written (or, in a dry run, planned)."""
        self.outcomes.update(batch.outcomes)
        self.problems = sorted([*self.problems, *batch.problems])
