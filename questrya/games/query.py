"""The query language of `games list`, export, pick and bulk edit (PRODUCT §4).

Each command-line word is one term; terms are ANDed:

- a free word matches the title, ignoring case and accents (``zelda``, ``"dark souls"``);
- ``field:value`` tests a field: ``status:playing``, ``platform:pc`` (aliases), ``tag:coop``,
  ``wishlist:yes``, ``metadata:fetched``, ``title:re:zero``; a comma means any of
  (``status:playing,on_hold``);
- ``field:low..high`` is a range, either end open: ``rating:7..``, ``rating:..5``,
  ``released:2015..2020``, ``added:2024-01..``, ``playtime:10h..``, ``lastplayed:2026-01..``;
  one value is its own range (``completed:2024``);
- ``-term`` or ``^term`` negates.

The parser is pure: it turns words into a ``Query``, and ``Query.words()`` gives back words
that parse to the same query. A ``GameListing`` (a query, a sort, a limit) compiles once, to
SQL text with named parameters, which the read side (`views.py`) and the repository (a bulk
edit selects its games with it) both run: one text for SQLite and every other database.
"""

import calendar
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from questrya.common.dates import real_date
from questrya.common.durations import format_duration, parse_duration
from questrya.common.exceptions import InvalidInputError
from questrya.common.text import fold
from questrya.common.value_objects import MetadataStatus, Platform
from questrya.games.domain import GameStatus, clean_tag, parse_choice

# The SQL of a game's fields, on the games table named `g`.
# A status's place in the lifecycle: the default order, and what the listing index holds.
_RANKS = {status.value: rank for rank, status in enumerate(GameStatus)}
STATUSES = tuple(_RANKS)  # in lifecycle order
_WHEN_STATUS = " ".join(f"WHEN '{status}' THEN {rank}" for status, rank in _RANKS.items())
STATUS_RANK = f"CASE g.status {_WHEN_STATUS} END"
_FETCHED_RELEASE = "(SELECT fm.release_date FROM game_metadata fm WHERE fm.game_id = g.id)"


def released(fetched: str) -> str:
    """`Game.released` in SQL: the player's release date, else ``fetched`` (the metadata's)
    when it keeps the rule release ≤ started ≤ completed."""
    kept = (
        f"(g.started_date IS NULL OR g.started_date >= {fetched})"
        f" AND (g.completion_date IS NULL OR g.completion_date >= {fetched})"
    )
    return f"COALESCE(g.release_date, CASE WHEN {kept} THEN {fetched} END)"


_RANGE_SQL = {
    "rating": "g.rating",
    "released": released(_FETCHED_RELEASE),
    "started": "g.started_date",
    "completed": "g.completion_date",
    "added": "g.added_at",
    "playtime": "g.playtime",
    "lastplayed": "g.last_played",
}
# Ranges of whole numbers rather than dates: a rating, a playtime in minutes.
_NUMBER_RANGES = ("rating", "playtime")
# What --sort takes: the field named as in JSON, and the SQL it orders by.
_SORT_SQL = {
    "title": "g.title_key",
    "platform": "g.platform_key",
    "status": STATUS_RANK,
    "rating": "g.rating",
    "release_date": _RANGE_SQL["released"],
    "started_date": "g.started_date",
    "completion_date": "g.completion_date",
    "added_at": "g.added_at",
    "updated_at": "g.updated_at",
    "playtime": "g.playtime",
    "last_played": "g.last_played",
    "id": "g.id",
}
SORT_FIELDS = tuple(_SORT_SQL)
# A sort field may be written without its underscores: `--sort lastplayed`.
_SORT_NAMES = {alias: name for name in SORT_FIELDS for alias in (name, name.replace("_", ""))}

NEGATIONS = ("-", "^")
CHOICE_FIELDS = ("status", "platform", "tag", "metadata")
RANGE_FIELDS = tuple(_RANGE_SQL)
FIELDS = ("title", *CHOICE_FIELDS, "wishlist", *RANGE_FIELDS)
# Each field as `questrya help query` explains it: what it tests, and an example term.
FIELD_HELP = {
    "title": ("a part of the title (free words do the same)", "title:zelda"),
    "status": ("not_started, playing, on_hold, completed or abandoned", "status:playing,on_hold"),
    "platform": ("a platform, by its name or an alias", "platform:pc"),
    "tag": ("a tag", "tag:coop"),
    "metadata": ("pending, fetched, not_found, ambiguous, failed or skipped", "metadata:failed"),
    "wishlist": ("yes (wanted, not owned yet) or no", "wishlist:no"),
    "rating": ("your rating, 1 to 10", "rating:8.."),
    "released": ("the release date", "released:2015..2020"),
    "started": ("the day you started it", "started:2026"),
    "completed": ("the day you completed it", "completed:2025-06..2025-08"),
    "added": ("the day it joined the backlog", "added:2024-01.."),
    "playtime": ("the time played, a duration at each end (0m: never played)", "playtime:10h.."),
    "lastplayed": ("the day you last played it", "lastplayed:..2025-06"),
}


def describe_language() -> str:
    """The query language in full, as `questrya help query` prints it and the README shows."""
    width = max(len(field) for field in FIELDS)
    fields = "\n".join(
        f"  {field.ljust(width)}  {FIELD_HELP[field][0]}: {FIELD_HELP[field][1]}"
        for field in FIELDS
    )
    sorts = textwrap.fill(", ".join(SORT_FIELDS), 88, initial_indent="  ", subsequent_indent="  ")
    return _LANGUAGE.format(fields=fields, sorts=sorts)


_LANGUAGE = """\
`games list` and a bulk `games edit` take a query: words, every one of which a game must
match.

  souls                a free word: the title contains "souls" (any case, any accents)
  field:value          the field has that value; several values with commas: any of them
  field:low..high      a range: at least low and at most high; either end may be left out
  -term or ^term       not: the game must not match the term

Fields:
{fields}

Dates are a year, a month or a day at each end of a range (2024, 2024-01, 2024-01-15).
A bad term exits 2 and says which. --sort FIELD orders by one of these (FIELD- reverses):
{sorts}

A word that starts with - is a negated term when it is longer than - and one character and
is not one of the command's options (-tag:coop, -hades); - with one character is an option
(-h is help). After --, every word is a term.

Examples:
  questrya games list souls status:playing,on_hold
  questrya games list status:completed rating:8..
  questrya games list platform:pc -tag:soulslike
  questrya games list released:2015..2020 wishlist:no
  questrya games list added:2024-01.. --sort rating- --limit 10
  questrya games list playtime:10h.. --sort playtime-
  questrya games edit status:completed --tag done --yes"""


_FIELD_NAME = re.compile(r"^[a-z_]+$", re.IGNORECASE)
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")
_TRUE = ("yes", "true", "1", "y")
_FALSE = ("no", "false", "0", "n")


@dataclass(frozen=True)
class TitleTerm:
    """Titles containing ``text`` (folded)."""

    text: str


@dataclass(frozen=True)
class ChoiceTerm:
    """``field`` equal to any of ``values`` (already canonical)."""

    field: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class FlagTerm:
    field: str
    value: bool


@dataclass(frozen=True)
class RangeTerm:
    """``low <= field <= high``; a missing end is open. Ratings are ints, the rest dates."""

    field: str
    low: int | date | None
    high: int | date | None


Test = TitleTerm | ChoiceTerm | FlagTerm | RangeTerm


@dataclass(frozen=True)
class Term:
    test: Test
    negated: bool = False

    def word(self) -> str:
        return ("-" if self.negated else "") + _word(self.test)


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...] = ()

    def words(self) -> list[str]:
        return [term.word() for term in self.terms]

    def __bool__(self) -> bool:
        return bool(self.terms)

    def __and__(self, other: "Query") -> "Query":
        return Query(self.terms + other.terms)


def parse_query(words: Sequence[str]) -> Query:
    """Parse command-line words into a query; a bad term is an input error naming it."""
    return Query(tuple(_parse_term(word) for word in words if word.strip()))


def is_term(word: str) -> bool:
    """Whether a word is written as a query term rather than as a title: a negation, or
    ``field:value`` with a known field ("title:final" is a term, "Halo: Reach" a title)."""
    text = word.strip()
    name, colon, _ = text.partition(":")
    return text.startswith(NEGATIONS) or (bool(colon) and name.lower() in FIELDS)


def _parse_term(word: str) -> Term:
    text = word.strip()
    negated = text.startswith(NEGATIONS)
    if negated:
        text = text[1:]
    if not text:
        raise InvalidInputError(f"query term {word!r} has nothing after its '-'")
    name, colon, value = text.partition(":")
    if not colon or not _FIELD_NAME.match(name):
        return Term(_title(text), negated)
    field = name.lower()
    if field not in FIELDS:
        raise InvalidInputError(
            f"query term {word!r}: unknown field {name!r} (fields: {', '.join(FIELDS)}; "
            "use title:… for a title with a colon)"
        )
    try:
        return Term(_parse_test(field, value), negated)
    except InvalidInputError as error:
        raise InvalidInputError(f"query term {word!r}: {error}") from None


def _parse_test(field: str, value: str) -> Test:
    if field == "title":
        return _title(value)
    if field == "wishlist":
        return FlagTerm(field, _flag(value))
    if field in CHOICE_FIELDS:
        return ChoiceTerm(field, tuple(_choice(field, v) for v in value.split(",")))
    return _range(field, value)


def _title(text: str) -> TitleTerm:
    folded = fold(text)
    if not folded:
        raise InvalidInputError("the title to match is empty")
    return TitleTerm(folded)


def _choice(field: str, value: str) -> str:
    if field == "status":
        return parse_choice(GameStatus, value, "status").value
    if field == "metadata":
        return parse_choice(MetadataStatus, value, "metadata").value
    if field == "platform":
        return Platform(value).name
    return clean_tag(value)


def _flag(value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise InvalidInputError(f"expected yes or no, got {value!r}")


def _range(field: str, value: str) -> RangeTerm:
    low_text, dots, high_text = value.partition("..")
    if not dots:
        high_text = low_text
    if not low_text.strip() and not high_text.strip():
        raise InvalidInputError("a range needs at least one end, like 7.. or ..2020")
    if field in _NUMBER_RANGES:
        number = _rating if field == "rating" else _minutes
        low_int, high_int = number(low_text), number(high_text)
        if low_int is not None and high_int is not None and low_int > high_int:
            raise InvalidInputError(f"the range {value!r} is empty")
        return RangeTerm(field, low_int, high_int)
    low_date, high_date = _day(low_text, end=False), _day(high_text, end=True)
    if low_date is not None and high_date is not None and low_date > high_date:
        raise InvalidInputError(f"the range {value!r} is empty")
    return RangeTerm(field, low_date, high_date)


def _rating(text: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdecimal():
        raise InvalidInputError(f"a rating must be a whole number from 1 to 10, got {text!r}")
    rating = int(text)
    if not 1 <= rating <= 10:
        raise InvalidInputError(f"a rating must be from 1 to 10, got {rating}")
    return rating


def _minutes(text: str) -> int | None:
    return parse_duration(text, "a playtime") if text.strip() else None


def _day(text: str, *, end: bool) -> date | None:
    """A year, month or day; as a range's end it stands for its last day."""
    if not text.strip():
        return None
    match = _PARTIAL_DATE.match(text.strip())
    if not match:
        raise InvalidInputError(f"expected a date like 2020, 2020-05 or 2020-05-17, got {text!r}")
    year = int(match[1])
    month, day = (int(part) if part else None for part in match.groups()[1:])
    first = real_date(year, month or 1, day or 1)
    if day is not None or not end:
        return first
    if month is None:
        return first.replace(month=12, day=31)
    return first.replace(day=calendar.monthrange(year, month)[1])


def _word(test: Test) -> str:
    match test:
        case TitleTerm(text):
            plain = not text.startswith(NEGATIONS) and not _looks_like_field(text)
            return text if plain else f"title:{text}"
        case ChoiceTerm(field, values):
            return f"{field}:{','.join(values)}"
        case FlagTerm(field, value):
            return f"{field}:{'yes' if value else 'no'}"
        case RangeTerm(field, low, high):
            return f"{field}:{_end(field, low)}..{_end(field, high)}"


def _looks_like_field(text: str) -> bool:
    name, colon, _ = text.partition(":")
    return bool(colon) and bool(_FIELD_NAME.match(name))


def _end(field: str, value: int | date | None) -> str:
    if value is None:
        return ""
    return format_duration(value) if field == "playtime" and isinstance(value, int) else str(value)


# --- a listing: which games, in what order, how many ---------------------------------------


@dataclass(frozen=True)
class GameListing:
    """Which of a profile's games to list, in what order, and how many."""

    query: Query = field(default_factory=Query)
    sort: str | None = None
    descending: bool = False
    limit: int | None = None


def listing(
    words: Sequence[str] = (),
    *,
    statuses: Iterable[str] = (),
    platform: str | None = None,
    tag: str | None = None,
    sort: str | None = None,
    limit: int | None = None,
) -> GameListing:
    """The games matching ``words`` (PRODUCT §4) and the option filters, all ANDed, in the
    order of ``sort`` (a field; a trailing ``-`` reverses it), at most ``limit`` of them."""
    options = [f"status:{','.join(statuses)}"] if statuses else []
    options += [f"platform:{platform}"] if platform is not None else []
    options += [f"tag:{tag}"] if tag is not None else []
    query = parse_query(words) & parse_query(options)
    descending = bool(sort and sort.endswith("-"))
    named = sort.rstrip("-").strip().lower() if sort else None
    sort_field = _SORT_NAMES.get(named) if named is not None else None
    if named is not None and sort_field is None:
        raise InvalidInputError(
            f"cannot sort by {sort!r}; choose one of {', '.join(SORT_FIELDS)} (add - to reverse)"
        )
    if limit is not None and limit < 0:
        raise InvalidInputError(f"limit must be 0 or more, got {limit}")
    return GameListing(query=query, sort=sort_field, descending=descending, limit=limit)


# --- the listing in SQL ----------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """A listing compiled for one profile, on the games table named ``g``: its condition, its
    order (ties broken by title, then id) and its limit, with the parameters they name."""

    where: str
    order_by: str
    limit: str
    parameters: dict[str, object]

    def ids(self) -> str:
        """The ids of the games listed, in order."""
        return f"SELECT g.id FROM games g WHERE {self.where} ORDER BY {self.order_by}{self.limit}"


# The games of the profile bound as :owner still in its backlog (removed ones are kept).
OWNED = "g.user_id = :owner AND g.removed_at IS NULL"


def compile_listing(owner_id: int, games: GameListing) -> Selection:
    parameters = _Parameters({"owner": owner_id})
    conditions = [OWNED]
    conditions += [_condition(term, parameters) for term in games.query.terms]
    limit = ""
    if games.limit is not None:
        limit = f" LIMIT {parameters.add(games.limit)}"
    return Selection(" AND ".join(conditions), _order(games), limit, parameters.values)


class _Parameters:
    """The values a statement binds, each named ``:p0``, ``:p1``…"""

    def __init__(self, values: dict[str, object]) -> None:
        self.values = values

    def add(self, value: object) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f":{name}"

    def each(self, values: Iterable[object]) -> str:
        return ", ".join(self.add(value) for value in values)


def _order(games: GameListing) -> str:
    if games.sort is None:
        return f"{STATUS_RANK}, g.title_key, g.id"
    direction = "DESC" if games.descending else "ASC"
    return f"{_SORT_SQL[games.sort]} {direction} NULLS LAST, g.title_key, g.id"


def _condition(term: Term, parameters: _Parameters) -> str:
    """One term as SQL. Each condition is true or false, never NULL, so that negating it
    keeps the games whose field is empty: `-rating:7..` lists the unrated games too."""
    condition = _test(term.test, parameters)
    return f"NOT ({condition})" if term.negated else condition


def _test(test: Test, parameters: _Parameters) -> str:
    match test:
        case TitleTerm(text):
            return f"g.title_key LIKE {parameters.add(containing(text))} ESCAPE '/'"
        case ChoiceTerm("status", values):
            # The rank, which the listing index holds: a status's games are found in order.
            return f"{STATUS_RANK} IN ({parameters.each(_RANKS[value] for value in values)})"
        case ChoiceTerm("metadata", values):
            return f"g.metadata_status IN ({parameters.each(values)})"
        case ChoiceTerm("platform", values):
            keys = (Platform(value).key for value in values)
            return f"g.platform_key IN ({parameters.each(keys)})"
        case ChoiceTerm("tag", values):
            tags = parameters.each(values)
            return f"g.id IN (SELECT t.game_id FROM game_tags t WHERE t.tag IN ({tags}))"
        case FlagTerm(_, value):
            return f"g.wishlist = {parameters.add(value)}"
        case RangeTerm(name, low, high):
            column = _RANGE_SQL[name]
            bounds = [f"{column} IS NOT NULL"]
            if low is not None:
                bounds.append(f"{column} >= {parameters.add(_bound(name, low, end=False))}")
            if high is not None:
                bounds.append(f"{column} <= {parameters.add(_bound(name, high, end=True))}")
            return f"({' AND '.join(bounds)})"
    raise ValueError(f"unknown query term {test!r}")


def containing(text: str) -> str:
    """A LIKE pattern for titles containing ``text``, its wildcards escaped with '/'."""
    escaped = text.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def _bound(name: str, value: int | date, *, end: bool) -> int | date | datetime:
    """`added` is a time (stored as naive UTC): a day bound covers that whole local day."""
    if name != "added" or not isinstance(value, date):
        return value
    moment = datetime.combine(value, time.max if end else time.min).astimezone(UTC)
    return moment.replace(tzinfo=None)
