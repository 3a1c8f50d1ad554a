"""What the games' words complete to: a REF to the ids and titles of the profile's games, a
status, a platform (its canonical name or an alias), a tag in use, and query words
(`status:`, `platform:`, `tag:`… and their values)."""

from collections.abc import Callable, Iterable, Iterator

from questrya.common.text import fold
from questrya.common.value_objects import MetadataStatus
from questrya.common.value_objects.platform import platform_names
from questrya.completion import LIMIT, Candidate, Context, matching, read_side
from questrya.games.query import FIELDS, STATUSES
from questrya.games.schemas import GameName
from questrya.games.views import GameViews


def refs(ctx: Context, typed: str) -> list[Candidate]:
    """For a number, the ids that start with it; the titles that start with ``typed``, each
    once (beside it, where the shell shows it, the id and platform of each game of that
    title: a title several games share names them all, as the command will say)."""
    number = typed.strip()
    ids: dict[int, Candidate] = {}  # a game may start with the number by its id and title
    titles: dict[str, list[GameName]] = {}
    for game in read_side(ctx).get(GameViews).starting(typed, LIMIT):
        if number.isdecimal() and str(game.id).startswith(number):
            ids[game.id] = Candidate(str(game.id), f"{game.title} [{game.platform}]")
        else:
            titles.setdefault(fold(game.title), []).append(game)
    by_title = [
        Candidate(games[0].title, ", ".join(f"{g.id} [{g.platform}]" for g in games))
        for games in titles.values()
    ]
    return [*ids.values(), *by_title]


def statuses(_ctx: Context, typed: str) -> list[Candidate]:
    return matching(STATUSES, typed)


def platforms(_ctx: Context, typed: str) -> list[Candidate]:
    return matching(_platform_names(), typed)


def _platform_names() -> Iterator[str]:
    """The platforms Questrya knows, each followed by the other ways of writing it."""
    for canonical, aliases in platform_names().items():
        yield canonical
        yield from aliases


def tags(ctx: Context, typed: str) -> list[Candidate]:
    return matching(_tags(ctx), typed)


def _tags(ctx: Context) -> Iterator[str]:
    """The tags in use, the most used first."""
    return (count.tag for count in read_side(ctx).get(GameViews).tags())


# The values of a query field, where it has a list of them.
_VALUES: dict[str, Callable[[Context], Iterable[str]]] = {
    "status": lambda _ctx: STATUSES,
    "platform": lambda _ctx: _platform_names(),
    "tag": _tags,
    "metadata": lambda _ctx: (status.value for status in MetadataStatus),
    "wishlist": lambda _ctx: ("yes", "no"),
}


def query_words(ctx: Context, typed: str) -> Iterator[Candidate]:
    """A query word: a field's name, then its values. A name only one field starts with
    completes to that field's values at once (`stat` to `status:playing`…); after a comma,
    the next value of a list (`status:playing,on_hold`). A `^` in front stays there."""
    negation = "^" if typed.startswith("^") else ""
    name, colon, value = typed.removeprefix(negation).partition(":")
    if not colon:
        fields = [field for field in FIELDS if field.startswith(name.lower())]
        if len(fields) != 1 or fields[0] not in _VALUES:
            yield from (Candidate(f"{negation}{field}:") for field in fields)
            return
        name, value = fields[0], ""
    values = _VALUES.get(name.lower())
    if values is None:
        return
    done, comma, last = value.rpartition(",")
    for candidate in matching(values(ctx), last):
        yield Candidate(f"{negation}{name}:{done}{comma}{candidate.value}")


def edit_words(ctx: Context, typed: str) -> Iterator[Candidate]:
    """`games edit` takes one REF or query words: both, until a ':' says which."""
    yield from query_words(ctx, typed)
    if ":" not in typed:
        yield from refs(ctx, typed)
