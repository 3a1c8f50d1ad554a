"""How a command-line REF finds one game (PRODUCT §4), shared by every feature."""

from collections.abc import Callable
from typing import TypeVar

from questrya.common.exceptions import AmbiguousReferenceError, InvalidInputError, NotFoundError
from questrya.common.text import fold

T = TypeVar("T")


def resolve(
    ref: str,
    by_id: Callable[[int], T | None],
    by_title: Callable[[str, bool], list[T]],
    describe: Callable[[T], str],
) -> T:
    """An id; else the title equal to ``ref`` ignoring case and accents; else the one title
    containing it. A number is an id, or else a whole title ("1942"), never part of one: the
    id of a game removed meanwhile must not act on another game whose title holds its digits.
    ``by_title(key, exact)`` looks up folded titles; ``describe`` names a candidate when
    several match."""
    text = ref.strip()
    if not text:
        raise InvalidInputError("a game reference must not be empty")
    key = fold(text)
    if text.isdecimal():
        found = by_id(int(text))
        matches = [found] if found is not None else by_title(key, True)
    else:
        matches = by_title(key, True) or by_title(key, False)
    if not matches:
        raise NotFoundError(f"no game matches {ref!r}")
    if len(matches) > 1:
        raise AmbiguousReferenceError(
            f"{ref!r} matches {len(matches)} games; use an id or a longer title",
            [describe(match) for match in matches],
        )
    return matches[0]


def history_id(ref: str, find: Callable[[str], int]) -> int:
    """The id of the game ``find`` resolves ``ref`` to; else, for a number, that number: a
    removed game's history is still shown by its id."""
    try:
        return find(ref)
    except NotFoundError:
        if not ref.strip().isdecimal():
            raise
        return int(ref)
