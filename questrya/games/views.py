"""The games as the player reads them: plain SQL on the read side's connection, rows out.

Reads need neither the domain model nor the ORM: `games list`, `show` and `history` run
these statements on whatever `ReadConnection` the composition root hands in (the standard
library's sqlite3 on SQLite, SQLAlchemy's connection elsewhere), and give the CLI rows of the
shapes in `schemas.py`. A listing's condition and order come from the query compiler
(`query.py`), which the repository shares; its rows are read as they are printed.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TypeVar

from questrya.common.exceptions import NotFoundError
from questrya.common.references import LARGEST_ID, as_id, history_id, resolve_all
from questrya.common.rows import (
    ReadConnection,
    Row,
    iso_day,
    iso_moment,
    loaded,
    moment,
    names,
    optional_iso_moment,
    optional_moment,
)
from questrya.common.text import fold
from questrya.common.value_objects.game_rating import RECOMMENDED_FROM
from questrya.games.query import (
    OWNED,
    GameListing,
    compile_listing,
    containing,
    listing,
    released,
)
from questrya.games.schemas import (
    ExportedGame,
    GameEventOut,
    GameLine,
    GameName,
    GameOut,
    ScoreOut,
    TagCount,
)

T = TypeVar("T")
# Ids bound into one statement, well under every database's limit on parameters.
_IDS_PER_STATEMENT = 500

# A game's row, one a tag: its fields, its metadata, its latest score, then the tag.
_GAME = f"""
SELECT g.id, g.title, g.platform, g.status, {released("m.release_date")}, g.started_date,
    g.completion_date, g.completion_level, g.rating, g.wishlist, g.notes, g.playtime,
    g.last_played, g.metadata_status,
    g.fetch_error, g.added_at, g.updated_at, g.fetch_attempts, g.fetch_due_at,
    g.fetch_candidates,
    m.provider, m.provider_id, m.title, m.release_date, m.genres, m.developers, m.publishers,
    m.description, m.cover_url, m.url, m.typical_hours,
    s.user_score, s.user_votes, s.critic_score, s.label, s.fetched_at,
    t.tag
FROM games g
LEFT JOIN game_metadata m ON m.game_id = g.id
LEFT JOIN game_scores s ON s.id = (SELECT max(ls.id) FROM game_scores ls WHERE ls.game_id = g.id)
LEFT JOIN game_tags t ON t.game_id = g.id
"""
# A game as it is exported: the player's fields, the provider ids it is known by, the tag.
_EXPORTED = """
SELECT g.id, g.title, g.platform, g.status, g.release_date, g.started_date, g.completion_date,
    g.completion_level, g.rating, g.wishlist, g.notes, g.playtime, g.last_played,
    m.provider, m.provider_id, g.fetch_pick,
    t.tag
FROM games g
LEFT JOIN game_metadata m ON m.game_id = g.id
LEFT JOIN game_tags t ON t.game_id = g.id
"""
_LINE = """
SELECT g.id, g.title, g.platform, g.status, g.rating, g.wishlist, t.tag
FROM games g
LEFT JOIN game_tags t ON t.game_id = g.id
"""
_MATCH = "SELECT g.id, g.title, g.platform FROM games g WHERE " + OWNED
_SCORES = f"""
SELECT s.user_score, s.user_votes, s.critic_score, s.label, s.fetched_at
FROM game_scores s JOIN games g ON g.id = s.game_id
WHERE {OWNED} AND s.game_id = :game
ORDER BY s.id
"""
_TAGS = f"""
SELECT t.tag, count(*) AS games
FROM game_tags t JOIN games g ON g.id = t.game_id
WHERE {OWNED}
GROUP BY t.tag
ORDER BY games DESC, t.tag
"""
_EVENTS = """
SELECT id, change_id, game_id, kind, at, before, after, undone_at
FROM game_events
WHERE user_id = :owner AND game_id = :game
ORDER BY id
"""


class GameViews:
    """The backlog of one profile (``owner_id``), read."""

    def __init__(self, rows: ReadConnection, owner_id: int) -> None:
        self._rows = rows
        self._owner = {"owner": owner_id}

    @staticmethod
    def listing(
        words: Sequence[str] = (),
        *,
        statuses: Iterable[str] = (),
        platform: str | None = None,
        tag: str | None = None,
        sort: str | None = None,
        limit: int | None = None,
    ) -> GameListing:
        """What `games list` asks for, checked before anything is read or printed."""
        return listing(words, statuses=statuses, platform=platform, tag=tag, sort=sort, limit=limit)

    def games(self, games: GameListing) -> Iterator[GameOut]:
        """The games listed, in order, each whole: its metadata, latest score and tags."""
        return _grouped(self._listed(_GAME, games), _game)

    def lines(self, games: GameListing) -> Iterator[GameLine]:
        """The games listed, in order, as a table shows them."""
        return _grouped(self._listed(_LINE, games), _line)

    def exported(self, games: GameListing) -> Iterator[ExportedGame]:
        """The games listed, in order, as `games export` writes them."""
        return _grouped(self._listed(_EXPORTED, games), _exported)

    def ids(self, games: GameListing) -> Iterator[int]:
        selection = compile_listing(self._owner["owner"], games)
        return (row[0] for row in self._rows.rows(selection.ids(), selection.parameters))

    def game(self, ref: str) -> GameOut:
        """The game a REF names (PRODUCT §4)."""
        return self.game_by_id(self._find(ref).id)

    def game_by_id(self, game_id: int) -> GameOut:
        statement = f"{_GAME} WHERE {OWNED} AND g.id = :game ORDER BY t.tag"
        for found in _grouped(self._rows.rows(statement, {**self._owner, "game": game_id}), _game):
            return found
        raise NotFoundError(f"no game matches {str(game_id)!r}")

    def games_with_ids(self, game_ids: Sequence[int]) -> list[GameOut]:
        """The games of ``game_ids``, in that order, each whole: one statement for a few
        hundred of them."""
        found: dict[int, GameOut] = {}
        for start in range(0, len(game_ids), _IDS_PER_STATEMENT):
            bound = {
                f"game{n}": game
                for n, game in enumerate(game_ids[start : start + _IDS_PER_STATEMENT])
            }
            marks = ", ".join(f":{name}" for name in bound)
            statement = f"{_GAME} WHERE {OWNED} AND g.id IN ({marks}) ORDER BY g.id, t.tag"
            rows = self._rows.rows(statement, {**self._owner, **bound})
            found.update((game["id"], game) for game in _grouped(rows, _game))
        return [found[game_id] for game_id in game_ids if game_id in found]

    def scores(self, game_id: int) -> list[ScoreOut]:
        """The game's review scores, oldest first: its trend."""
        return [_score(row) for row in self._rows.rows(_SCORES, {**self._owner, "game": game_id})]

    def history(self, ref: str) -> list[GameEventOut]:
        """The game's recorded changes, oldest first; a removed game's too, by its id."""
        game_id = history_id(ref, lambda text: self._find(text).id)
        parameters = {**self._owner, "game": game_id}
        events = [_event(row) for row in self._rows.rows(_EVENTS, parameters)]
        if not events:
            raise NotFoundError(f"no game matches {ref!r}")
        return events

    def starting(self, typed: str, limit: int) -> list[GameName]:
        """The games a REF being typed may go on to name: for a number, at most ``limit``
        whose id starts with it, by id; then at most ``limit`` whose title starts with
        ``typed`` (ignoring case and accents), by title. Each is read through an index."""
        key = fold(typed) + (" " if typed[-1:].isspace() and typed.strip() else "")
        # Every title starting with ``key`` sorts between it and it followed by the last
        # character there is: a range an index reads, where it would not read a LIKE.
        bound: dict[str, object] = {"key": key, "beyond": key + _LAST_CHARACTER, "limit": limit}
        titles = f"{_MATCH} AND g.title_key >= :key AND g.title_key < :beyond"
        selects = [f"{titles} ORDER BY g.title_key, g.platform_key LIMIT :limit"]
        ranges = _ids_starting(typed.strip())
        if ranges:
            for number, (low, high) in enumerate(ranges):
                bound |= {f"low{number}": low, f"high{number}": high}
            selects.insert(0, _by_ids(len(ranges)))
        statement = " UNION ALL ".join(
            f"SELECT * FROM ({select}) AS s{number}" for number, select in enumerate(selects)
        )
        return [GameName(*row) for row in self._rows.rows(statement, {**self._owner, **bound})]

    def tags(self) -> list[TagCount]:
        """The tags in use, each with how many games have it: the most used first."""
        return [TagCount(tag, games) for tag, games in self._rows.rows(_TAGS, self._owner)]

    def _listed(self, select: str, games: GameListing) -> Iterator[Row]:
        """The rows of ``select`` (one a game and tag) for the games listed, in order. With a
        limit, the games are chosen first: the limit counts games, not their tags."""
        selection = compile_listing(self._owner["owner"], games)
        where = f"g.id IN ({selection.ids()})" if selection.limit else selection.where
        statement = f"{select} WHERE {where} ORDER BY {selection.order_by}, t.tag"
        return self._rows.rows(statement, selection.parameters)

    def _find(self, ref: str) -> GameName:
        [found] = resolve_all(
            [ref],
            self._with_ids,
            self._with_title,
            lambda game: f"{game.id}\t{game.title}\t{game.platform}",
            lambda game: game.id,
        )
        return found

    def _with_ids(self, game_ids: list[int]) -> list[GameName]:
        bound: dict[str, object] = {f"game{n}": game_id for n, game_id in enumerate(game_ids)}
        placeholders = ", ".join(f":{name}" for name in bound)
        return self._matches(f" AND g.id IN ({placeholders})", bound)

    def _with_title(self, title_key: str, exact: bool) -> list[GameName]:
        if exact:
            return self._matches(" AND g.title_key = :title", {"title": title_key})
        pattern = containing(title_key)
        return self._matches(" AND g.title_key LIKE :title ESCAPE '/'", {"title": pattern})

    def _matches(self, condition: str, parameters: dict[str, object]) -> list[GameName]:
        statement = f"{_MATCH}{condition} ORDER BY g.id"
        return [GameName(*row) for row in self._rows.rows(statement, {**self._owner, **parameters})]


_LAST_CHARACTER = "\U0010ffff"


def _by_ids(ranges: int) -> str:
    """The games of the profile with an id in one of ``ranges`` ranges (``:low0``-``:high0``…),
    at most ``:limit``, by id. The ranges are looked up one after the other, by the table's
    key: SQLite would rather walk the profile's games (the unary + keeps it from that index),
    in id order (what the outer ORDER BY keeps it from)."""
    ids = " OR ".join(f"g.id BETWEEN :low{n} AND :high{n}" for n in range(ranges))
    found = (
        "SELECT g.id, g.title, g.platform FROM games g"
        f" WHERE ({ids}) AND +g.user_id = :owner AND g.removed_at IS NULL LIMIT :limit"
    )
    return f"SELECT * FROM ({found}) AS found ORDER BY found.id"


def _ids_starting(digits: str) -> list[tuple[int, int]]:
    """The ranges of the ids written starting with ``digits``: 12, 120-129, 1200-1299…"""
    low = as_id(digits) if digits and not digits.startswith("0") else None
    ranges: list[tuple[int, int]] = []
    while low is not None:
        high = low + 10 ** len(ranges) - 1
        ranges.append((low, as_id(str(high)) or LARGEST_ID))
        low = as_id(str(low * 10))
    return ranges


def _grouped(rows: Iterator[Row], make: Callable[[Row], tuple[T, list[str]]]) -> Iterator[T]:
    """One item a game, from rows that come one a game and tag (a game's rows one after the
    other, its id first, its tag last): ``make`` builds the item from the first, with the
    list it keeps the tags in."""
    item: T | None = None
    tags: list[str] = []
    game_id = None
    for row in rows:
        if item is None or row[0] != game_id:
            if item is not None:
                yield item
            (item, tags), game_id = make(row), row[0]
        if row[-1] is not None:
            tags.append(row[-1])
    if item is not None:
        yield item


def _game(row: Row) -> tuple[GameOut, list[str]]:
    (
        game_id, title, platform, status, release_date, started, completed, level, rating,
        wishlist, notes, playtime, last_played, metadata_status, error, added, updated,
        attempts, due, candidates,
        provider, provider_id, meta_title, meta_release, genres, developers, publishers,
        description, cover_url, url, typical_hours,
        user_score, user_votes, critic_score, label, fetched_at,
        _tag,
    ) = row  # fmt: skip
    tags: list[str] = []
    game: GameOut = {
        "id": game_id,
        "title": title,
        "platform": platform,
        "status": status,
        "release_date": iso_day(release_date),
        "started_date": iso_day(started),
        "completion_date": iso_day(completed),
        "completion_level": level,
        "rating": rating,
        "recommended": rating is not None and rating >= RECOMMENDED_FROM,
        "wishlist": bool(wishlist),
        "tags": tags,
        "notes": notes,
        "playtime": playtime,
        "last_played": iso_day(last_played),
        "metadata_status": metadata_status,
        "metadata": None
        if provider is None
        else {
            "provider": provider,
            "provider_id": provider_id,
            "title": meta_title,
            "release_date": iso_day(meta_release),
            "genres": names(genres),
            "developers": names(developers),
            "publishers": names(publishers),
            "description": description,
            "cover_url": cover_url,
            "url": url,
            "typical_hours": typical_hours,
        },
        "score": None
        if fetched_at is None
        else _score((user_score, user_votes, critic_score, label, fetched_at)),
        "metadata_error": error,
        "added_at": iso_moment(added),
        "updated_at": iso_moment(updated),
        "metadata_attempts": attempts,
        "metadata_retry_at": optional_iso_moment(due),
        "metadata_candidates": len(loaded(candidates) or ()),
    }
    return game, tags


def _exported(row: Row) -> tuple[ExportedGame, list[str]]:
    (
        _id, title, platform, status, release_date, started, completed, level, rating,
        wishlist, notes, playtime, last_played, provider, provider_id, pick, _tag,
    ) = row  # fmt: skip
    known = {provider: provider_id} if provider is not None else {}
    if pick:  # the id the next fetch is to use, given since (`games match --id`, an import)
        picked, _, ident = pick.partition(":")
        known[picked] = ident
    tags: list[str] = []
    game: ExportedGame = {
        "title": title,
        "platform": platform,
        "status": status,
        "release_date": iso_day(release_date),
        "started_date": iso_day(started),
        "completion_date": iso_day(completed),
        "completion_level": level,
        "rating": rating,
        "wishlist": bool(wishlist),
        "tags": tags,
        "notes": notes,
        "playtime": playtime,
        "last_played": iso_day(last_played),
        "provider_ids": known,
    }
    return game, tags


def _score(row: Row) -> ScoreOut:
    user_score, user_votes, critic_score, label, fetched_at = row
    return {
        "user_score": None if user_score is None else float(user_score),
        "user_votes": user_votes,
        "critic_score": critic_score,
        "label": label,
        "fetched_at": iso_moment(fetched_at),
    }


def _line(row: Row) -> tuple[GameLine, list[str]]:
    game_id, title, platform, status, rating, wishlist, _tag = row
    tags: list[str] = []
    return GameLine(game_id, title, platform, status, rating, bool(wishlist), tags), tags


def _event(row: Row) -> GameEventOut:
    event_id, change_id, game_id, kind, at, before, after, undone_at = row
    return {
        "id": event_id,
        "change_id": change_id,
        "game_id": game_id,
        "kind": kind,
        "at": moment(at),
        "before": loaded(before),
        "after": loaded(after),
        "undone_at": optional_moment(undone_at),
    }
