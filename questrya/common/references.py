"""How command-line REFs find games (PRODUCT §4), shared by every feature: a command finds
every game its REFs name before it changes any; `-` stands for the REFs on standard input."""

from collections.abc import Callable, Iterable, Sequence
from typing import TextIO, TypeVar

from questrya.common.exceptions import AmbiguousReferenceError, InvalidInputError, NotFoundError
from questrya.common.text import fold

T = TypeVar("T")

FROM_INPUT = "-"  # the REF that stands for those on standard input
LARGEST_ID = 2**63 - 1  # a database's ids are 64-bit integers: a longer number is no id


def resolve_all(
    refs: Sequence[str],
    by_ids: Callable[[list[int]], Iterable[T]],
    by_title: Callable[[str, bool], list[T]],
    describe: Callable[[T], str],
    ident: Callable[[T], int],
) -> list[T]:
    """What each of ``refs`` finds, in their order, each once: a game named twice, by its id
    and by its title say, is acted on once. Every REF is resolved before the caller changes
    anything, so that one naming no game, or several, refuses the whole command.

    The numbers are looked up together (``by_ids``: a long list piped in is one query, not
    one a REF); ``by_title(key, exact)`` looks up folded titles; ``describe`` names a
    candidate when several match; ``ident`` tells two results apart.
    """
    if not refs:
        raise InvalidInputError("name at least one game")
    numbers = [number for ref in refs if (number := as_id(ref.strip())) is not None]
    known = {ident(item): item for item in by_ids(numbers)} if numbers else {}
    found: dict[int, T] = {}
    for ref in refs:
        item = _resolve(ref, known, by_title, describe)
        found.setdefault(ident(item), item)
    return list(found.values())


def _resolve(
    ref: str,
    known: dict[int, T],
    by_title: Callable[[str, bool], list[T]],
    describe: Callable[[T], str],
) -> T:
    """An id (of ``known``, the games with the ids given); else the title equal to ``ref``
    ignoring case and accents; else the one title containing it. A number is an id, or else
    a whole title ("1942"), never part of one: the id of a game removed meanwhile must not
    act on another game whose title holds its digits."""
    text = ref.strip()
    if not text:
        raise InvalidInputError("a game reference must not be empty")
    key = fold(text)
    if text.isdecimal():
        number = as_id(text)
        found = known.get(number) if number is not None else None
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


def as_id(text: str) -> int | None:
    """The id ``text`` writes, if it writes one: a number no longer than the largest id (a
    longer one is no id, and Python refuses to read numbers of thousands of digits)."""
    if not text.isdecimal() or len(text.lstrip("0")) > len(str(LARGEST_ID)):
        return None
    number = int(text)
    return number if number <= LARGEST_ID else None


def expand_input(refs: Sequence[str], stdin: TextIO | None) -> list[str]:
    """The REFs of a command line, each `-` replaced by the REFs on ``stdin`` (standard
    input), one a line, blank lines skipped; ``stdin`` is read once, when a `-` asks."""
    lines: list[str] | None = None
    expanded: list[str] = []
    for ref in refs:
        if ref != FROM_INPUT:
            expanded.append(ref)
            continue
        if lines is None:
            lines = _input_refs(stdin)
        expanded += lines
    return expanded


def _input_refs(stdin: TextIO | None) -> list[str]:
    """The REFs on standard input; a closed one, or one with none on it, is bad input."""
    try:
        lines = [line.strip() for line in stdin or ()]
    except UnicodeDecodeError:
        raise InvalidInputError("standard input is not UTF-8 text") from None
    refs = [line for line in lines if line]
    if not refs:
        raise InvalidInputError("no game references on standard input")
    return refs


def history_id(ref: str, find: Callable[[str], int]) -> int:
    """The id of the game ``find`` resolves ``ref`` to; else, for a number, that number: a
    removed game's history is still shown by its id."""
    try:
        return find(ref)
    except NotFoundError:
        removed = as_id(ref.strip())
        if removed is None:
            raise
        return removed
