"""The game in a player's backlog: its fields, its rules and its lifecycle."""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from itertools import combinations
from typing import Any, NamedTuple, TypeVar

from questrya.common.events import EventKind
from questrya.common.exceptions import InvalidInputError, RuleViolationError
from questrya.common.text import fold, has_control_characters
from questrya.common.value_objects import (
    GameMetadata,
    GameRating,
    MetadataStatus,
    Platform,
    ScoreSnapshot,
)

MAX_TITLE_LENGTH = 200
_TAG = re.compile(r"^[^\W_][\w.+-]{0,31}$")

E = TypeVar("E", bound=StrEnum)


class GameStatus(StrEnum):
    NOT_STARTED = "not_started"
    PLAYING = "playing"
    ON_HOLD = "on_hold"
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class CompletionLevel(StrEnum):
    MAIN = "main"
    EXTRAS = "extras"
    FULL = "full"


def parse_choice(kind: type[E], value: str, what: str) -> E:
    """``kind(value)`` for user input, with a one-line error listing the valid choices."""
    try:
        return kind(value.strip().lower())
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise InvalidInputError(f"{what} must be one of {choices}; got {value!r}") from None


def clean_title(raw: str) -> str:
    title = raw.strip()
    if not title:
        raise InvalidInputError("title must not be empty")
    # Its folded key (ligatures spelled out) is stored too, in a column as long.
    if max(len(title), len(fold(title))) > MAX_TITLE_LENGTH:
        raise InvalidInputError(f"title must be at most {MAX_TITLE_LENGTH} characters")
    if has_control_characters(title):
        raise InvalidInputError("title must not contain control characters")
    return title


def clean_tag(raw: str) -> str:
    tag = raw.strip().lower()
    if not _TAG.match(tag):
        raise InvalidInputError(
            f"tag {raw!r} must be one short word: up to 32 letters, digits, '.', '+', '-' or '_'"
        )
    return tag


def clean_notes(raw: str) -> str:
    if has_control_characters(raw.replace("\n", "").replace("\t", "")):
        raise InvalidInputError("notes must not contain control characters")
    return raw.strip()


class PlayDates(NamedTuple):
    """A game's dates, in the order they must keep: release ≤ started ≤ completed ≤ today."""

    release: date | None
    started: date | None
    completed: date | None


_DATE_NAMES = ("release date", "start date", "completion date")


def _check_dates(old: PlayDates, new: PlayDates, today: date) -> None:
    """Refuse ``new`` dates that break the order, naming both dates. Only pairs holding a
    date that changes are compared, so that a row stored before the rule existed never
    blocks a change to its other dates."""
    changed = {index for index in range(len(new)) if new[index] != old[index]}
    present = [(index, day) for index, day in enumerate(new) if day is not None]
    for index, day in present:
        if index in changed and index > 0 and day > today:  # a release may be to come
            raise InvalidInputError(
                f"{_DATE_NAMES[index]} {day.isoformat()} is in the future (today is "
                f"{today.isoformat()})"
            )
    for (first, earlier), (second, later) in combinations(present, 2):
        if later < earlier and changed & {first, second}:
            raise InvalidInputError(
                f"{_DATE_NAMES[second]} {later.isoformat()} is before the "
                f"{_DATE_NAMES[first]} {earlier.isoformat()}"
            )


# Which statuses each transition may start from (PRODUCT §3), by the kind of change it is.
_ALLOWED_FROM: dict[EventKind, frozenset[GameStatus]] = {
    EventKind.START: frozenset(
        {GameStatus.NOT_STARTED, GameStatus.ON_HOLD, GameStatus.ABANDONED, GameStatus.COMPLETED}
    ),
    EventKind.HOLD: frozenset({GameStatus.PLAYING}),
    EventKind.COMPLETE: frozenset({GameStatus.NOT_STARTED, GameStatus.PLAYING, GameStatus.ON_HOLD}),
    EventKind.ABANDON: frozenset({GameStatus.NOT_STARTED, GameStatus.PLAYING, GameStatus.ON_HOLD}),
}


@dataclass(eq=False)
class Game:
    """A game in one profile's backlog. Every change goes through a method that keeps the
    rules of PRODUCT §3; ``today`` is passed in so the rules never read the clock themselves."""

    owner_id: int
    title: str
    platform: Platform
    added_at: datetime
    updated_at: datetime
    status: GameStatus = GameStatus.NOT_STARTED
    release_date: date | None = None
    started_date: date | None = None
    completion_date: date | None = None
    completion_level: CompletionLevel | None = None
    rating: GameRating | None = None
    wishlist: bool = False
    tags: tuple[str, ...] = ()
    notes: str = ""
    playtime: int = 0  # minutes
    last_played: date | None = None
    # Set when the game is added (pending, or skipped); from then on the metadata feature's.
    metadata_status: MetadataStatus = MetadataStatus.PENDING
    id: int | None = field(default=None)
    # When the game left the backlog: it stays stored, for `undo`, but no read finds it.
    removed_at: datetime | None = None
    # Filled by the worker (the metadata feature); read-only here: what it fetched, and how
    # its fetch goes (the attempts made, when the next is due, the candidates kept).
    metadata: GameMetadata | None = None
    score: ScoreSnapshot | None = None
    metadata_error: str | None = None
    metadata_attempts: int = 0
    metadata_retry_at: datetime | None = None
    metadata_candidates: int = 0

    @property
    def title_key(self) -> str:
        return fold(self.title)

    @property
    def released(self) -> date | None:
        """The release date the player sees: their own, else the metadata's when it keeps
        the rule release ≤ started ≤ completed (an early-access date after the player had
        finished the game is not shown)."""
        if self.release_date is not None or self.metadata is None:
            return self.release_date
        fetched = self.metadata.release_date
        played = (day for day in (self.started_date, self.completion_date) if day is not None)
        if fetched is None or any(day < fetched for day in played):
            return None
        return fetched

    @property
    def recommended(self) -> bool:
        return self.rating is not None and self.rating.recommended

    def is_same_game_as(self, other: "Game") -> bool:
        """The duplicate rule: the same folded title on the same platform."""
        return self.title_key == other.title_key and self.platform.key == other.platform.key

    # --- lifecycle -------------------------------------------------------------------------

    @property
    def dates(self) -> PlayDates:
        return PlayDates(self.release_date, self.started_date, self.completion_date)

    def start(self, today: date, on: date | None = None) -> None:
        """Play: a first start, a resume (which keeps the first start date unless ``on`` is
        given) or a replay, a new playthrough: started again, its completion cleared."""
        self._require(EventKind.START)
        replay = self.status is GameStatus.COMPLETED
        if replay or on is not None or self.started_date is None:
            completed = None if replay else self.completion_date
            self._set_dates(self.dates._replace(started=on or today, completed=completed), today)
        if replay:
            self.completion_level = None
        self.status = GameStatus.PLAYING

    def hold(self) -> None:
        self._require(EventKind.HOLD)
        self.status = GameStatus.ON_HOLD

    def complete(
        self,
        today: date,
        on: date | None = None,
        level: CompletionLevel | None = None,
        rating: GameRating | None = None,
    ) -> None:
        self._require(EventKind.COMPLETE)
        self._set_dates(self.dates._replace(completed=on or today), today)
        self.status = GameStatus.COMPLETED
        self.completion_level = level
        if rating is not None:
            self.rating = rating

    def abandon(self) -> None:
        self._require(EventKind.ABANDON)
        self.status = GameStatus.ABANDONED

    def _require(self, transition: EventKind) -> None:
        if self.status in _ALLOWED_FROM[transition]:
            return
        hint = ""
        if self.status is GameStatus.ABANDONED:
            hint = " (start it again first)"
        elif self.status is GameStatus.COMPLETED and transition is EventKind.COMPLETE:
            hint = " (edit its completion date instead)"
        raise RuleViolationError(
            f"cannot {transition.value} {self.title!r}: it is {self.status.value}{hint}"
        )

    # --- edits -----------------------------------------------------------------------------

    def rate(self, rating: GameRating | None) -> None:
        self.rating = rating

    def rename(self, title: str) -> None:
        self.title = clean_title(title)

    def move_to(self, platform: Platform) -> None:
        self.platform = platform

    def redate(
        self,
        today: date,
        *,
        release: date | None = None,
        started: date | None = None,
        completed: date | None = None,
    ) -> None:
        """Give the dates named (None keeps one) all at once, as `games edit` does: each may
        need the others' new values to keep the order."""
        if started is not None and self.status is GameStatus.NOT_STARTED:
            raise InvalidInputError(
                f"{self.title!r} is not_started: start it to give the day you started"
            )
        if completed is not None and self.status is not GameStatus.COMPLETED:
            raise InvalidInputError(
                f"{self.title!r} is {self.status.value}: complete it to give the day you finished"
            )
        current = self.dates
        self._set_dates(
            PlayDates(
                release or current.release,
                started or current.started,
                completed or current.completed,
            ),
            today,
        )

    def tag(self, tags: Iterable[str]) -> None:
        self.tags = tuple(sorted({*self.tags, *(clean_tag(t) for t in tags)}))

    def untag(self, tags: Iterable[str]) -> None:
        removed = {clean_tag(t) for t in tags}
        self.tags = tuple(t for t in self.tags if t not in removed)

    def set_notes(self, notes: str) -> None:
        self.notes = clean_notes(notes)

    def set_wishlist(self, wishlist: bool) -> None:
        self.wishlist = wishlist

    def log_play(self, minutes: int, today: date) -> None:
        """A play session of ``minutes``, played today."""
        if minutes <= 0:
            raise InvalidInputError(f"a play session lasts a minute or more, not {minutes}")
        self._set_playtime(self.playtime + minutes, today, today)

    def _set_playtime(self, minutes: int, last_played: date | None, today: date) -> None:
        if minutes < 0:
            raise InvalidInputError(f"playtime must be 0 minutes or more, not {minutes}")
        if last_played is not None and last_played > today:
            raise InvalidInputError(
                f"last played {last_played.isoformat()} is in the future (today is "
                f"{today.isoformat()})"
            )
        self.playtime, self.last_played = minutes, last_played

    def _set_dates(self, dates: PlayDates, today: date) -> None:
        """The one way a game's dates change: only to dates that keep their order."""
        _check_dates(self.dates, dates, today)
        self.release_date, self.started_date, self.completion_date = dates

    # --- history ---------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """The user-visible fields as JSON-ready values, for the change history."""
        return {
            "title": self.title,
            "platform": self.platform.name,
            "status": self.status.value,
            "release_date": _iso(self.release_date),
            "started_date": _iso(self.started_date),
            "completion_date": _iso(self.completion_date),
            "completion_level": self.completion_level.value if self.completion_level else None,
            "rating": self.rating.score if self.rating else None,
            "wishlist": self.wishlist,
            "tags": list(self.tags),
            "notes": self.notes,
            "playtime": self.playtime,
            "last_played": _iso(self.last_played),
        }

    def restore(self, values: dict[str, Any], today: date) -> None:
        """Put back fields from a ``snapshot()`` (or part of one): what `undo` does.

        A snapshot was a valid state when it was taken, so the transition rules do not apply;
        the order of the dates is checked all the same, as on every path that changes them.
        """
        restored = {name: _RESTORERS[name](value) for name, value in values.items()}
        dates = PlayDates(
            *(restored.pop(name, day) for name, day in zip(_DATE_FIELDS, self.dates, strict=True))
        )
        self._set_dates(dates, today)
        for name, value in restored.items():
            setattr(self, name, value)


def new_game(
    owner_id: int,
    title: str,
    platform: Platform,
    now: datetime,
    today: date,
    *,
    status: GameStatus | None = None,
    release_date: date | None = None,
    started: date | None = None,
    completed: date | None = None,
    rating: GameRating | None = None,
    tags: Iterable[str] = (),
    wishlist: bool = False,
    notes: str = "",
    fetch_metadata: bool = True,
    dated: bool = True,
) -> Game:
    """A new backlog entry in ``status``, with the dates given, else (``dated``) those the
    status implies set to today. A completion date alone means completed; a start date
    alone, playing."""
    if status is None:
        status = _implied_status(started, completed)
    game = Game(
        owner_id=owner_id,
        title=clean_title(title),
        platform=platform,
        added_at=now,
        updated_at=now,
        rating=rating,
        wishlist=wishlist,
        notes=clean_notes(notes),
        metadata_status=MetadataStatus.PENDING if fetch_metadata else MetadataStatus.SKIPPED,
    )
    game.tag(tags)
    if status is GameStatus.NOT_STARTED and started:
        raise InvalidInputError("a game that is not_started has no start date")
    if status is not GameStatus.COMPLETED and completed:
        raise InvalidInputError(f"a game that is {status.value} has no completion date")
    if dated and status in (GameStatus.PLAYING, GameStatus.ON_HOLD):
        started = started or today
    if dated and status is GameStatus.COMPLETED:
        completed = completed or today
    game._set_dates(PlayDates(release_date, started, completed), today)
    game.status = status
    return game


def _implied_status(started: date | None, completed: date | None) -> GameStatus:
    if completed is not None:
        return GameStatus.COMPLETED
    return GameStatus.PLAYING if started is not None else GameStatus.NOT_STARTED


def removed_game(
    owner_id: int, game_id: int, snapshot: dict[str, Any], now: datetime, today: date
) -> Game:
    """The game a ``remove`` event's snapshot describes, back under its own id: removals used
    to delete the row. Its metadata went with it, so it is fetched again unless the player
    had asked for none."""
    fields = dict(snapshot)
    added_at = fields.pop("added_at", None)
    skipped = fields.pop("metadata_status", None) == MetadataStatus.SKIPPED
    game = Game(
        id=game_id,
        owner_id=owner_id,
        title=fields["title"],
        platform=Platform(fields["platform"]),
        added_at=datetime.fromisoformat(added_at) if added_at else now,
        updated_at=now,
        metadata_status=MetadataStatus.SKIPPED if skipped else MetadataStatus.PENDING,
    )
    game.restore(fields, today)
    return game


# --- imports -------------------------------------------------------------------------------

# The times of a game an import only checks: the import stores it with times of its own.
_UNSTORED = datetime.min.replace(tzinfo=UTC)


def imported_snapshot(values: Mapping[str, Any], today: date) -> dict[str, Any]:
    """A game as an import file gives it (``values``: a snapshot's names, dates in ISO),
    checked against every rule a new game keeps, as its snapshot: title, platform (aliases
    resolved), status, the date rule, rating, tags, notes, playtime. Its dates are the file's:
    unlike `games add`, an import knows no day for a date the file leaves out."""
    status = parse_choice(GameStatus, values.get("status") or "not_started", "status")
    rating = values.get("rating")
    game = new_game(
        0,
        values["title"],
        Platform(values["platform"]),
        _UNSTORED,
        today,
        status=status,
        release_date=_day(values.get("release_date")),
        started=_day(values.get("started_date")),
        completed=_day(values.get("completion_date")),
        rating=GameRating(rating) if rating is not None else None,
        tags=values.get("tags") or (),
        wishlist=bool(values.get("wishlist")),
        notes=values.get("notes") or "",
        dated=False,
    )
    level = values.get("completion_level")
    if level:
        if status is not GameStatus.COMPLETED:
            raise InvalidInputError(f"a game that is {status.value} has no completion level")
        game.completion_level = parse_choice(CompletionLevel, level, "completion level")
    game._set_playtime(values.get("playtime") or 0, _day(values.get("last_played")), today)
    return game.snapshot()


def merged_snapshot(
    stored: Mapping[str, Any], changes: Mapping[str, Any], today: date
) -> dict[str, Any]:
    """The game whose snapshot is ``stored`` with ``changes`` an import brings (fields of an
    ``imported_snapshot``), as its snapshot: the date rule compares the dates that change, as
    on every path that changes them."""
    game = Game(
        owner_id=0,
        title=stored["title"],
        platform=Platform(stored["platform"]),
        added_at=_UNSTORED,
        updated_at=_UNSTORED,
    )
    for name, value in stored.items():  # as stored: it kept the rules when it was
        setattr(game, name, _RESTORERS[name](value))
    game.restore(dict(changes), today)
    return game.snapshot()


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


_DATE_FIELDS = ("release_date", "started_date", "completion_date")
# How each snapshot field turns back into the attribute it came from.
_RESTORERS: dict[str, Callable[[Any], Any]] = {
    "title": str,
    "platform": Platform,
    "status": GameStatus,
    "release_date": _day,
    "started_date": _day,
    "completion_date": _day,
    "completion_level": lambda v: CompletionLevel(v) if v else None,
    "rating": lambda v: GameRating(v) if v is not None else None,
    "wishlist": bool,
    "tags": tuple,
    "notes": str,
    "playtime": int,
    "last_played": _day,
}


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
