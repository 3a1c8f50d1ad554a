"""The games use cases: one method per command, each in one Unit of Work."""

from collections.abc import Callable, Iterable, Sequence
from copy import copy
from dataclasses import dataclass
from datetime import date

from questrya.common.clock import Clock
from questrya.common.events import EventKind, GameEvent, changed_fields
from questrya.common.exceptions import (
    InvalidInputError,
    NotFoundError,
    RuleViolationError,
)
from questrya.common.references import history_id, resolve_all
from questrya.common.value_objects import GameRating, MetadataStatus, Platform, ScoreSnapshot
from questrya.games.domain import (
    CompletionLevel,
    Game,
    GameStatus,
    new_game,
    parse_choice,
    removed_game,
)
from questrya.games.ports import GamesUnitOfWork, MetadataQueue, WorkerWatch
from questrya.games.query import is_term, listing


@dataclass(frozen=True)
class GameChanges:
    """What `games edit` changes; ``None`` (or no tags) leaves a field as it is."""

    title: str | None = None
    platform: str | None = None
    new_platform: bool = False  # keep an unknown platform close to a known one as typed
    release_date: date | None = None
    started: date | None = None
    completed: date | None = None
    add_tags: Sequence[str] = ()
    remove_tags: Sequence[str] = ()
    notes: str | None = None
    wishlist: bool | None = None


class GameService:
    """The backlog of one profile (``owner_id``): every read and write is scoped to it."""

    def __init__(
        self,
        uow: GamesUnitOfWork,
        owner_id: int,
        clock: Clock,
        queue: MetadataQueue,
        *,
        auto_fetch: bool = True,
        worker: WorkerWatch | None = None,
    ) -> None:
        self._uow = uow
        self._worker = worker
        self._owner_id = owner_id
        self._clock = clock
        self._queue = queue
        self._auto_fetch = auto_fetch

    # --- reads -----------------------------------------------------------------------------

    def show(self, ref: str) -> Game:
        with self._uow.reading():
            return self._find(ref)

    def scores(self, ref: str) -> list[ScoreSnapshot]:
        """The game's dated review scores, oldest first: its trend."""
        with self._uow.reading():
            return self._uow.games.score_history(self._owner_id, _id(self._find(ref)))

    def history(self, ref: str) -> list[GameEvent]:
        """The game's recorded changes, oldest first; a removed game's too, by its id."""
        with self._uow.reading():
            game_id = history_id(ref, lambda text: _id(self._find(text)))
            events = self._uow.events.of_game(self._owner_id, game_id)
        if not events:
            raise NotFoundError(f"no game matches {ref!r}")
        return events

    def find(
        self,
        query: Sequence[str] = (),
        *,
        statuses: Iterable[str] = (),
        platform: str | None = None,
        tag: str | None = None,
        sort: str | None = None,
        limit: int | None = None,
    ) -> list[Game]:
        """The games matching ``query`` words (PRODUCT §4) and the option filters, all ANDed."""
        games = listing(
            query, statuses=statuses, platform=platform, tag=tag, sort=sort, limit=limit
        )
        with self._uow.reading():
            return self._uow.games.find(self._owner_id, games)

    # --- writes ----------------------------------------------------------------------------

    def add(
        self,
        title: str,
        platform: str,
        *,
        release_date: date | None = None,
        started: date | None = None,
        completed: date | None = None,
        status: str | None = None,
        rating: int | None = None,
        tags: Sequence[str] = (),
        wishlist: bool = False,
        notes: str = "",
        new_platform: bool = False,
        fetch_metadata: bool = True,
    ) -> Game:
        game = new_game(
            self._owner_id,
            title,
            Platform.typed(platform, new=new_platform),
            self._clock.now(),
            self._clock.today(),
            status=parse_choice(GameStatus, status, "status") if status else None,
            release_date=release_date,
            started=started,
            completed=completed,
            rating=GameRating(rating) if rating is not None else None,
            tags=tags,
            wishlist=wishlist,
            notes=notes,
            fetch_metadata=fetch_metadata and self._auto_fetch,
        )
        with self._uow:
            self._refuse_duplicate(game)
            self._uow.games.add(game)
            self._record(game, EventKind.ADD, before=None)
            self._uow.commit()
        if game.metadata_status is MetadataStatus.PENDING and game.id is not None:
            self._queue.enqueue_fetch(game.id)
        return game

    def worker_missing(self, game: Game) -> bool:
        """Whether to tell the player (once a day) that no worker runs to fetch the metadata
        of ``game``, which `add` queued."""
        queued = game.metadata_status is MetadataStatus.PENDING
        return queued and self._worker is not None and self._worker.unattended()

    # Each command below changes every game its REFs name, as one change (one `undo` takes it
    # all back); every REF is resolved first, so that a bad one changes nothing.

    def start(self, *refs: str, on: date | None = None) -> list[Game]:
        return self._change(refs, EventKind.START, lambda game: game.start(self._clock.today(), on))

    def hold(self, *refs: str) -> list[Game]:
        return self._change(refs, EventKind.HOLD, Game.hold)

    def complete(
        self,
        *refs: str,
        on: date | None = None,
        level: str | None = None,
        rating: int | None = None,
    ) -> list[Game]:
        completion_level = parse_choice(CompletionLevel, level, "level") if level else None
        game_rating = GameRating(rating) if rating is not None else None
        return self._change(
            refs,
            EventKind.COMPLETE,
            lambda game: game.complete(self._clock.today(), on, completion_level, game_rating),
        )

    def abandon(self, *refs: str) -> list[Game]:
        return self._change(refs, EventKind.ABANDON, Game.abandon)

    def rate(self, *refs: str, rating: int) -> list[Game]:
        game_rating = GameRating(rating)
        return self._change(refs, EventKind.RATE, lambda game: game.rate(game_rating))

    def log(self, ref: str, minutes: int) -> Game:
        """A play session: the game's playtime grows by ``minutes``, and it was played today."""
        today = self._clock.today()
        return self._change((ref,), EventKind.LOG, lambda game: game.log_play(minutes, today))[0]

    def remove(self, *refs: str) -> list[Game]:
        with self._uow:
            games = self._find_all(refs)
            for game in games:
                self._remove(game, EventKind.REMOVE)
            self._uow.commit()
        return games

    def named(self, *refs: str) -> list[Game]:
        """The games ``refs`` name, each once: what a command given them would change, to
        show before asking."""
        with self._uow.reading():
            return self._find_all(refs)

    def edit(self, ref: str, changes: GameChanges) -> Game:
        return self._change((ref,), EventKind.EDIT, self._editor(changes))[0]

    def edit_all(self, query: Sequence[str], changes: GameChanges) -> list[Game]:
        """Edit every game ``query`` matches, as one change (one `undo` takes it all back)."""
        editor = self._bulk_editor(changes)
        with self._uow:
            games = self._matching(query)
            self._change_each(games, EventKind.EDIT, editor)
            self._uow.commit()
        return games

    def edit_preview(self, query: Sequence[str], changes: GameChanges) -> list[Game]:
        """The games a bulk edit would change now, to show before asking: the changes are
        checked first, so that the player is never asked about an edit that cannot apply."""
        self._bulk_editor(changes)
        with self._uow.reading():
            return self._matching(query)

    def edit_games(self, ids: Sequence[int], changes: GameChanges) -> list[Game]:
        """Edit the games of ``ids`` still in the backlog, as one change: exactly those a bulk
        edit showed before asking, whatever its query matches by now."""
        editor = self._bulk_editor(changes)
        with self._uow:
            games = self._uow.games.with_ids(self._owner_id, ids)
            if not games:
                raise NotFoundError("none of the games shown is in the backlog any more")
            self._change_each(games, EventKind.EDIT, editor)
            self._uow.commit()
        return games

    @staticmethod
    def is_reference(words: Sequence[str]) -> bool:
        """Whether command-line words name one game (an id or a title) rather than a query:
        one word that is not written as a query term."""
        return len(words) == 1 and not is_term(words[0])

    def undo(self, count: int = 1, *, dry_run: bool = False) -> list[tuple[GameEvent, Game]]:
        """Take back the profile's last ``count`` changes, newest first, as one transaction.

        Returns each event taken back with the game as that step left it (a game whose
        adding was undone, as it was when removed): what each undo restored. A ``dry_run``
        goes through the same steps, refusals included, and keeps none of them.
        """
        if count < 1:
            raise InvalidInputError(f"the number of changes to undo must be 1 or more, got {count}")
        undone: list[tuple[GameEvent, Game]] = []
        with self._uow:
            changes = self._uow.events.last_changes(self._owner_id, count)
            if not changes:
                raise RuleViolationError("nothing to undo")
            for change in changes:
                # The change's games in the backlog, read together: one query, not one an event.
                ids = [event.game_id for event in change]
                games = {_id(game): game for game in self._uow.games.with_ids(self._owner_id, ids)}
                undone += [(event, copy(self._revert(event, games))) for event in reversed(change)]
                self._uow.events.mark_undone(_change_id(change[0]), self._clock.now())
            if not dry_run:
                self._uow.commit()
        return undone

    # --- helpers ---------------------------------------------------------------------------

    def _revert(self, event: GameEvent, in_backlog: dict[int, Game]) -> Game:
        kind = event.kind.undo()
        if event.kind is EventKind.REMOVE:
            restored = self._bring_back(event)
            self._record(restored, kind, before=None)
            return restored
        game = in_backlog.get(event.game_id)
        if game is None:
            raise _gone(event)
        if event.kind is EventKind.ADD or (event.kind is EventKind.IMPORT and event.before is None):
            self._remove(game, kind)
        else:
            before = game.snapshot()
            game.restore(event.before or {}, self._clock.today())
            self._record(game, kind, before)
        return game

    def _bring_back(self, event: GameEvent) -> Game:
        """The removed game back in the backlog as it was, with its metadata and scores;
        refused when an equal game was added meanwhile."""
        game = self._uow.games.removed(self._owner_id, event.game_id)
        if game is None:
            return self._rebuild(event)
        self._refuse_duplicate(game)
        self._uow.games.bring_back(game)
        return game

    def _rebuild(self, event: GameEvent) -> Game:
        """Removals used to delete the row: such a game comes back from the event's snapshot."""
        if event.before is None:
            raise _gone(event)
        game = removed_game(
            self._owner_id, event.game_id, event.before, self._clock.now(), self._clock.today()
        )
        self._refuse_duplicate(game)
        self._uow.games.add(game)
        return game

    def _matching(self, query: Sequence[str]) -> list[Game]:
        if not query:
            raise InvalidInputError("a bulk edit needs a query: `games edit QUERY … --yes`")
        games = self._uow.games.find(self._owner_id, listing(query))
        if not games:
            raise NotFoundError(f"no game matches {' '.join(query)!r}")
        return games

    def _change(
        self, refs: Sequence[str], kind: EventKind, change: Callable[[Game], None]
    ) -> list[Game]:
        """Apply one command's change to every game ``refs`` name, in one transaction."""
        with self._uow:
            games = self._find_all(refs)
            self._change_each(games, kind, change, naming=len(refs) > 1)
            self._uow.commit()
        return games

    def _change_each(
        self,
        games: list[Game],
        kind: EventKind,
        change: Callable[[Game], None],
        *,
        naming: bool = True,
    ) -> None:
        """Change each game and record it. A game the change refuses refuses them all, and
        the error names it (``naming``) when the command acts on several."""
        for game in games:
            before = game.snapshot()
            try:
                change(game)
            except (InvalidInputError, RuleViolationError) as error:
                if not naming:
                    raise
                raise type(error)(f"{_named(game, str(error))}: {error}") from None
            self._record(game, kind, before)

    def _bulk_editor(self, changes: GameChanges) -> Callable[[Game], None]:
        if changes.title is not None:
            raise InvalidInputError("--title changes one game: give its id or title, not a query")
        return self._editor(changes)

    def _editor(self, changes: GameChanges) -> Callable[[Game], None]:
        """The change an edit makes to each game, validated before any game is loaded."""
        dates = (changes.release_date, changes.started, changes.completed)
        values = (changes.title, changes.platform, changes.notes, changes.wishlist, *dates)
        if all(value is None for value in values) and not (changes.add_tags or changes.remove_tags):
            raise InvalidInputError("nothing to change: give at least one option to edit")
        platform = (
            Platform.typed(changes.platform, new=changes.new_platform)
            if changes.platform is not None
            else None
        )

        def edit(game: Game) -> None:
            if changes.title is not None:
                game.rename(changes.title)
            if platform is not None:
                game.move_to(platform)
            if changes.title is not None or platform is not None:
                self._refuse_duplicate(game)
            if any(day is not None for day in dates):
                game.redate(
                    self._clock.today(),
                    release=changes.release_date,
                    started=changes.started,
                    completed=changes.completed,
                )
            game.tag(changes.add_tags)
            game.untag(changes.remove_tags)
            if changes.notes is not None:
                game.set_notes(changes.notes)
            if changes.wishlist is not None:
                game.set_wishlist(changes.wishlist)

        return edit

    def _remove(self, game: Game, kind: EventKind) -> None:
        now = self._clock.now()
        self._uow.games.remove(game, now)
        self._uow.events.record(
            GameEvent(
                owner_id=self._owner_id,
                game_id=_id(game),
                kind=kind,
                at=now,
                before=game.snapshot(),
                after=None,
            )
        )

    def _record(self, game: Game, kind: EventKind, before: dict[str, object] | None) -> None:
        """Record the change as one event holding only the fields it changed (all of them
        for a game that enters the backlog)."""
        after = game.snapshot()
        if before is not None:
            before, after = changed_fields(before, after)
            if not after:
                return
            game.updated_at = self._clock.now()
        self._uow.events.record(
            GameEvent(
                owner_id=self._owner_id,
                game_id=_id(game),
                kind=kind,
                at=game.updated_at,
                before=before,
                after=after,
            )
        )

    def _find(self, ref: str) -> Game:
        return self._find_all((ref,))[0]

    def _find_all(self, refs: Sequence[str]) -> list[Game]:
        """The games ``refs`` name, each once, all found before any is touched."""
        games = self._uow.games
        return resolve_all(
            refs,
            lambda ids: games.with_ids(self._owner_id, ids),
            lambda key, exact: games.with_title(self._owner_id, key, exact=exact),
            lambda game: f"{game.id}\t{game.title}\t{game.platform}",
            _id,
        )

    def _refuse_duplicate(self, game: Game) -> None:
        for other in self._uow.games.with_title(self._owner_id, game.title_key, exact=True):
            if other is not game and other.id != game.id and other.is_same_game_as(game):
                raise RuleViolationError(
                    f"{other.title!r} on {other.platform} is already in the backlog "
                    f"as game {other.id}"
                )


def _named(game: Game, message: str) -> str:
    """The game an error is about, by its id, and by its title unless ``message`` has it."""
    title = repr(game.title)
    return f"game {game.id}" if title in message else f"game {game.id} {title}"


def _gone(event: GameEvent) -> RuleViolationError:
    return RuleViolationError(
        f"cannot undo the {event.kind} of game {event.game_id}: it no longer exists"
    )


def _change_id(event: GameEvent) -> int:
    if event.change_id is None:
        raise RuntimeError("a stored event has a change id")
    return event.change_id


def _id(game: Game) -> int:
    if game.id is None:
        raise RuntimeError("the game has no id until it is stored")
    return game.id
