"""The query language of `games list`, export, pick and bulk edit (PRODUCT §4).

Each command-line word is one term; terms are ANDed:

- a free word matches the title, ignoring case and accents (``zelda``, ``"dark souls"``);
- ``field:value`` tests a field: ``status:playing``, ``platform:pc`` (aliases), ``tag:coop``,
  ``wishlist:yes``, ``metadata:fetched``, ``title:re:zero``; a comma means any of
  (``status:playing,on_hold``);
- ``field:low..high`` is a range, either end open: ``rating:7..``, ``rating:..5``,
  ``released:2015..2020``, ``added:2024-01..``; one value is its own range (``completed:2024``);
- ``-term`` or ``^term`` negates.

The parser is pure: it turns words into a ``Query`` the repository compiles to SQL, and
``Query.words()`` gives back words that parse to the same query.
"""

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from questrya.common.dates import real_date
from questrya.common.exceptions import InvalidInputError
from questrya.common.text import fold
from questrya.common.value_objects import MetadataStatus, Platform
from questrya.games.domain import GameStatus, clean_tag, parse_choice

NEGATIONS = ("-", "^")
CHOICE_FIELDS = ("status", "platform", "tag", "metadata")
RANGE_FIELDS = ("rating", "released", "started", "completed", "added")
FIELDS = ("title", *CHOICE_FIELDS, "wishlist", *RANGE_FIELDS)
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
    if field == "rating":
        low_int, high_int = _rating(low_text), _rating(high_text)
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
            return f"{field}:{_end(low)}..{_end(high)}"


def _looks_like_field(text: str) -> bool:
    name, colon, _ = text.partition(":")
    return bool(colon) and bool(_FIELD_NAME.match(name))


def _end(value: int | date | None) -> str:
    return "" if value is None else str(value)
