"""`games import`: a file's games, or a Steam account's, into one profile's backlog, as one
change.

The rows are read as the file's format gives them (a Steam account's online, as the steam
format does), checked by the games feature's rules and written a batch at a time, each batch
one transaction, so that Ctrl-C keeps whole batches and a file the format refuses (read
before anything is written) changes nothing. Every event of one import takes the same change
id: one `undo` takes all of it back.
"""

import io
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from questrya.common.clock import Clock
from questrya.common.exceptions import InvalidInputError
from questrya.common.interrupts import held_interrupts
from questrya.common.value_objects import Platform
from questrya.imports import formats
from questrya.imports.domain import (
    BatchPlan,
    Checked,
    ImportSummary,
    Known,
    Outcome,
    key_of,
    plan,
    provider_labels,
    row_fields,
)
from questrya.imports.formats import steam
from questrya.imports.formats.rows import ImportRow, SkippedRow
from questrya.imports.ports import (
    FetchQueue,
    GameRules,
    ImportUnitOfWork,
    Progress,
    SteamLibrary,
)

BATCH = 500  # rows a transaction: short enough for the worker, long enough to be quick
FORMATS = tuple(formats.MODULES)  # what --format takes


@dataclass(frozen=True)
class ImportOptions:
    format: str | None = None  # None: recognised from the file's head
    platform: str | None = None  # for rows that name none
    dry_run: bool = False
    fetch: bool = True
    overwrite: bool = False


@dataclass
class _Import:
    """One import under way: its summary so far, the change its events share once it has
    written one, and the games it plans to add (a dry run remembers them: a real one finds
    them in the database)."""

    options: ImportOptions
    summary: ImportSummary
    platform: str | None
    fetch: bool
    change: int | None = None
    planned: Known = field(default_factory=Known)


class ImportService:
    """Imports into the backlog of one profile (``owner_id``)."""

    def __init__(
        self,
        uow: ImportUnitOfWork,
        owner_id: int,
        clock: Clock,
        rules: GameRules,
        queue: FetchQueue,
        steam_library: SteamLibrary,
        *,
        auto_fetch: bool = True,
    ) -> None:
        self._uow = uow
        self._owner_id = owner_id
        self._clock = clock
        self._rules = rules
        self._queue = queue
        self._steam_library = steam_library
        self._auto_fetch = auto_fetch

    def run(
        self, content: bytes, file: str, options: ImportOptions, progress: Progress | None = None
    ) -> ImportSummary:
        """Import ``content``, that of ``file``. A file that is empty, not text, in no format
        it recognises, or that the format named cannot read, is bad input, and nothing is
        written."""
        platform = _platform(options)
        text = formats.decoded(content, file)
        chosen = formats.chosen(text, options.format, file)
        rows = _read_ahead(chosen.read(io.StringIO(text)), file)
        return self._import(chosen.NAME, rows, platform, options, progress)

    def run_steam(self, steam_id: str, options: ImportOptions) -> ImportSummary:
        """Import the games the Steam account ``steam_id`` owns, asked for online; a second
        import adds the games bought since and brings the others' playtime and last played
        up to date (see `domain.gained`). Nothing is written when Steam refuses."""
        if options.format is not None and options.format.strip().lower() != steam.NAME:
            raise InvalidInputError(
                f"--steam-id imports the {steam.NAME} format, not --format {options.format}"
            )
        platform = _platform(options)
        rows = self._steam_library.owned_games(steam_id)
        return self._import(steam.NAME, rows, platform, options, None)

    def _import(
        self,
        name: str,
        rows: Iterator[ImportRow | SkippedRow],
        platform: str | None,
        options: ImportOptions,
        progress: Progress | None,
    ) -> ImportSummary:
        state = _Import(
            options,
            ImportSummary(name, options.dry_run),
            platform,
            fetch=options.fetch and self._auto_fetch,
        )
        try:
            for batch in _batches(rows):
                self._batch(batch, state)
                if progress is not None:
                    progress.advance(batch[-1].line)
        except KeyboardInterrupt:
            state.summary.interrupted = True
        return state.summary

    def _batch(self, rows: list[ImportRow | SkippedRow], state: _Import) -> None:
        """One batch of rows, planned and (unless a dry run) written in one transaction, whole:
        a Ctrl-C meanwhile stops the import after it, so the summary counts what was kept."""
        batch = BatchPlan()
        checked = list(self._checked(rows, state.platform, batch))
        dry_run = state.options.dry_run
        today = self._clock.today()
        with held_interrupts():
            with self._uow.reading() if dry_run else self._uow:
                known = state.planned if dry_run else Known()
                keys = [row.key for row in checked]
                labels = [label for row in checked for label in row.provider_ids]
                for entry in self._uow.imports.matching(self._owner_id, keys, labels):
                    known.add(entry)
                planned = plan(
                    checked,
                    known,
                    lambda stored, changes: self._rules.merged(stored, changes, today),
                    overwrite=state.options.overwrite,
                )
                added = [] if dry_run or not planned.writes() else self._write(planned, state)
            if added and state.fetch:
                self._queue.enqueue_fetches(added)
            batch.take(planned)
            state.summary.take(batch)

    def _checked(
        self, rows: Iterable[ImportRow | SkippedRow], platform: str | None, batch: BatchPlan
    ) -> Iterator[Checked]:
        """The rows the game's rules accept; the others refused, with why."""
        today = self._clock.today()
        for row in rows:
            if isinstance(row, SkippedRow):
                batch.refuse(row.line, Outcome.SKIPPED, row.reason)
                continue
            try:
                fields = self._rules.checked(row_fields(row, platform), today)
            except InvalidInputError as error:
                batch.refuse(row.line, Outcome.SKIPPED, str(error))
                continue
            yield Checked(row.line, fields, key_of(fields), provider_labels(row.provider_ids))

    def _write(self, planned: BatchPlan, state: _Import) -> list[int]:
        """Write a batch's games and commit; the ids of those it added."""
        imports, now = self._uow.imports, self._clock.now()
        change = state.change or imports.start_change(self._owner_id, now)
        added = []
        if planned.added:
            added = imports.add(self._owner_id, planned.added, change, now, fetch=state.fetch)
        imports.update(self._owner_id, planned.updated, change, now)
        self._uow.commit()
        state.change = change
        return added


def _platform(options: ImportOptions) -> str | None:
    """The platform for rows that name none, checked before anything is read."""
    return Platform(options.platform).name if options.platform is not None else None


def _read_ahead(
    rows: Iterator[ImportRow | SkippedRow], file: str
) -> Iterator[ImportRow | SkippedRow]:
    """The rows, the first read at once: a format checks the file (its columns, its JSON)
    before its first row, so that a file it refuses is refused before anything is written."""
    try:
        first = next(rows, None)
    except InvalidInputError as error:
        raise InvalidInputError(f"{file}: {error}") from None
    return iter(()) if first is None else itertools.chain([first], rows)


def _batches(rows: Iterator[ImportRow | SkippedRow]) -> Iterator[list[ImportRow | SkippedRow]]:
    while batch := list(itertools.islice(rows, BATCH)):
        yield batch
