"""The games use cases: one method per command, each in one Unit of Work."""

from collections.abc import Callable, Iterable, Sequence
from datetime import date

from questrya.common.clock import Clock
from questrya.common.exceptions import (
    AmbiguousReferenceError,
    InvalidInputError,
    NotFoundError,
    RuleViolationError,
)
from questrya.common.text import fold
from questrya.common.value_objects import GameRating, Platform
from questrya.games.domain import (
    CompletionLevel,
    Game,
    GameEvent,
    GameStatus,
    MetadataStatus,
    new_game,
    parse_choice,
)
from questrya.games.ports import GameListing, GamesUnitOfWork, MetadataQueue

SORT_FIELDS = (
    "title",
    "platform",
    "status",
    "rating",
    "release_date",
    "started_date",
    "completion_date",
    "added_at",
    "updated_at",
    "id",
)


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
    ) -> None:
        self._uow = uow
        self._owner_id = owner_id
        self._clock = clock
        self._queue = queue
        self._auto_fetch = auto_fetch

    # --- reads -----------------------------------------------------------------------------

    def show(self, ref: str) -> Game:
        with self._uow.reading():
            return self._find(ref)

    def find(
        self,
        *,
        statuses: Iterable[str] = (),
        platform: str | None = None,
        tag: str | None = None,
        sort: str | None = None,
        limit: int | None = None,
    ) -> list[Game]:
        listing = _listing(statuses, platform, tag, sort, limit)
        with self._uow.reading():
            return self._uow.games.find(self._owner_id, listing)

    # --- writes ----------------------------------------------------------------------------

    def add(
        self,
        title: str,
        platform: str,
        *,
        release_date: date | None = None,
        status: str | None = None,
        rating: int | None = None,
        tags: Sequence[str] = (),
        wishlist: bool = False,
        notes: str = "",
        fetch_metadata: bool = True,
    ) -> Game:
        game = new_game(
            self._owner_id,
            title,
            Platform(platform),
            self._clock.now(),
            self._clock.today(),
            status=parse_choice(GameStatus, status, "status") if status else GameStatus.NOT_STARTED,
            release_date=release_date,
            rating=GameRating(rating) if rating is not None else None,
            tags=tags,
            wishlist=wishlist,
            notes=notes,
            fetch_metadata=fetch_metadata and self._auto_fetch,
        )
        with self._uow:
            self._refuse_duplicate(game)
            self._uow.games.add(game)
            self._record(game, "add", before=None)
            self._uow.commit()
        if game.metadata_status is MetadataStatus.PENDING and game.id is not None:
            self._queue.enqueue_fetch(game.id)
        return game

    def start(self, ref: str) -> Game:
        return self._change(ref, "start", lambda game: game.start(self._clock.today()))

    def hold(self, ref: str) -> Game:
        return self._change(ref, "hold", Game.hold)

    def complete(
        self,
        ref: str,
        *,
        on: date | None = None,
        level: str | None = None,
        rating: int | None = None,
    ) -> Game:
        completion_level = parse_choice(CompletionLevel, level, "level") if level else None
        game_rating = GameRating(rating) if rating is not None else None
        return self._change(
            ref,
            "complete",
            lambda game: game.complete(self._clock.today(), on, completion_level, game_rating),
        )

    def abandon(self, ref: str) -> Game:
        return self._change(ref, "abandon", Game.abandon)

    def rate(self, ref: str, rating: int) -> Game:
        game_rating = GameRating(rating)
        return self._change(ref, "rate", lambda game: game.rate(game_rating))

    def edit(
        self,
        ref: str,
        *,
        title: str | None = None,
        platform: str | None = None,
        release_date: date | None = None,
        add_tags: Sequence[str] = (),
        remove_tags: Sequence[str] = (),
        notes: str | None = None,
        wishlist: bool | None = None,
    ) -> Game:
        new_platform = Platform(platform) if platform is not None else None
        if (title, new_platform, release_date, notes, wishlist) == (None,) * 5 and not (
            add_tags or remove_tags
        ):
            raise InvalidInputError("nothing to change: give at least one option to edit")

        def edit(game: Game) -> None:
            if title is not None:
                game.rename(title)
            if new_platform is not None:
                game.move_to(new_platform)
            if title is not None or new_platform is not None:
                self._refuse_duplicate(game)
            if release_date is not None:
                game.set_release_date(release_date)
            game.tag(add_tags)
            game.untag(remove_tags)
            if notes is not None:
                game.set_notes(notes)
            if wishlist is not None:
                game.set_wishlist(wishlist)

        return self._change(ref, "edit", edit)

    def remove(self, ref: str) -> Game:
        with self._uow:
            game = self._find(ref)
            self._uow.games.remove(game)
            self._uow.events.record(
                GameEvent(
                    owner_id=self._owner_id,
                    game_id=_id(game),
                    kind="remove",
                    at=self._clock.now(),
                    before={**game.snapshot(), "added_at": game.added_at.isoformat()},
                    after=None,
                )
            )
            self._uow.commit()
        return game

    # --- helpers ---------------------------------------------------------------------------

    def _change(self, ref: str, kind: str, change: Callable[[Game], None]) -> Game:
        """Apply one command's change to one game and record it, all in one transaction."""
        with self._uow:
            game = self._find(ref)
            before = game.snapshot()
            change(game)
            self._record(game, kind, before)
            self._uow.commit()
        return game

    def _record(self, game: Game, kind: str, before: dict[str, object] | None) -> None:
        """Record the change as one event holding only the fields it changed."""
        after = game.snapshot()
        if before is not None:
            changed = [name for name, value in after.items() if before[name] != value]
            if not changed:
                return
            before = {name: before[name] for name in changed}
            after = {name: after[name] for name in changed}
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
        """Resolve a reference: an id, else the exact folded title, else a unique part of one."""
        text = ref.strip()
        if not text:
            raise InvalidInputError("a game reference must not be empty")
        if text.isdecimal():
            game = self._uow.games.get(self._owner_id, int(text))
            if game is not None:
                return game
        key = fold(text)
        matches = self._uow.games.with_title(self._owner_id, key, exact=True) or (
            self._uow.games.with_title(self._owner_id, key, exact=False)
        )
        if not matches:
            raise NotFoundError(f"no game matches {ref!r}")
        if len(matches) > 1:
            raise AmbiguousReferenceError(
                f"{ref!r} matches {len(matches)} games; use an id or a longer title",
                [f"{game.id}\t{game.title}\t{game.platform}" for game in matches],
            )
        return matches[0]

    def _refuse_duplicate(self, game: Game) -> None:
        for other in self._uow.games.with_title(self._owner_id, game.title_key, exact=True):
            if (
                other is not game
                and other.id != game.id
                and other.platform.key == game.platform.key
            ):
                raise RuleViolationError(
                    f"{other.title!r} on {other.platform} is already in the backlog "
                    f"as game {other.id}"
                )


def _listing(
    statuses: Iterable[str],
    platform: str | None,
    tag: str | None,
    sort: str | None,
    limit: int | None,
) -> GameListing:
    descending = bool(sort and sort.endswith("-"))
    sort_field = sort.rstrip("-").strip().lower() if sort else None
    if sort_field is not None and sort_field not in SORT_FIELDS:
        raise InvalidInputError(
            f"cannot sort by {sort!r}; choose one of {', '.join(SORT_FIELDS)} (add - to reverse)"
        )
    if limit is not None and limit < 0:
        raise InvalidInputError(f"limit must be 0 or more, got {limit}")
    return GameListing(
        statuses=tuple(parse_choice(GameStatus, s, "status") for s in statuses),
        platform=Platform(platform).name if platform is not None else None,
        tag=tag.strip().lower() if tag is not None else None,
        sort=sort_field,
        descending=descending,
        limit=limit,
    )


def _id(game: Game) -> int:
    if game.id is None:
        raise RuntimeError("the game has no id until it is stored")
    return game.id
