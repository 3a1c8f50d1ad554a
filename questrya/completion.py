"""Shell completion of real values: the parameter type that completes a REF, a status or a
profile name from what is stored, and how each shell is answered.

A command line being completed only reads: its commands' callbacks do not run (the root's
neither), and the read side it asks for (`read_side`) opens an existing database and finds an
existing profile, or completes nothing; it never creates either. Whatever fails while values
are looked up completes nothing, silently: the shell is no place for an error line.
"""

import importlib
import itertools
import os
import re
from collections.abc import Callable, Iterable
from typing import NamedTuple, Protocol, runtime_checkable

from typer import _click
from typer._click.shell_completion import CompletionItem, add_completion_class
from typer._click.types import StringParamType
from typer._completion_classes import BashComplete, ZshComplete

from questrya.common.services import ServiceRegistry
from questrya.common.text import fold

# The context a completion is given: Click's own, as Typer makes it while it completes.
Context = _click.Context
# At most this many values a completion: a shell lists them all, and a long list helps no one.
LIMIT = 50


class Candidate(NamedTuple):
    """A value a word may complete to, with what zsh and fish show beside it."""

    value: str
    help: str | None = None


# What completes a parameter: the context of the command line and the word typed so far.
Source = Callable[[Context, str], Iterable[Candidate]]


class Completed(StringParamType):
    """Text, completed from ``source``; "module:attribute" names a source imported when a
    completion asks for it, so that a module need not import the feature that completes it."""

    def __init__(self, source: Source | str) -> None:
        self._source = source

    def shell_complete(
        self, ctx: Context, param: _click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        try:
            found = list(itertools.islice(self._resolved()(ctx, incomplete), LIMIT))
        except Exception:  # no database yet, a broken config file…: as if nothing matched
            return []
        return [CompletionItem(candidate.value, help=candidate.help) for candidate in found]

    def _resolved(self) -> Source:
        if callable(self._source):
            return self._source
        module, _, attribute = self._source.partition(":")
        source: Source = getattr(importlib.import_module(module), attribute)
        return source


def matching(values: Iterable[str], typed: str) -> list[Candidate]:
    """The values that start with ``typed``, ignoring case and accents, in their order."""
    key = fold(typed)
    return [Candidate(value) for value in values if fold(value).startswith(key)]


@runtime_checkable
class ReadSideSource(Protocol):
    """What the root command leaves in the context for a completion: the read side as it
    stands, for the profile named (None: the one the settings name, else the default)."""

    def reading(self, user: str | None) -> ServiceRegistry: ...


def read_side(ctx: Context) -> ServiceRegistry:
    """The read side a completion may use, for the profile `--user` names on the command
    line already (or QUESTRYA_USER, or the default one)."""
    root = ctx.find_root()
    if not isinstance(root.obj, ReadSideSource):
        raise RuntimeError("the command line is not being completed")
    user = root.params.get("user")
    return root.obj.reading(user if isinstance(user, str) else None)


# --- the shells ------------------------------------------------------------------------------


class BashCompletion(BashComplete):
    """Bash puts each value it is given on the command line as it is: its spaces and quotes
    are escaped here, so that "Dark Souls" stays one word; inside a quote opened on the
    command line (`"dark so`), as that quote wants them.

    Bash also cuts a word at each ':' (`status:pl` comes as `status`, `:`, `pl`) and replaces
    only what follows the last one: the word is put back together to be completed, and each
    value is given from after that ':'.
    """

    _colons = 0  # the colons of the word being completed that bash cut it at
    _quote = ""  # the quote the word being completed opened, if any

    def get_completion_args(self) -> tuple[list[str], str]:
        args, incomplete = super().get_completion_args()
        self._quote = _open_quote(os.environ["COMP_WORDS"])
        words = _rejoined([*args, incomplete] if incomplete else args)
        if not incomplete:
            return words, ""
        *args, word = words
        cut = word.removesuffix(incomplete) if incomplete != ":" else word
        self._colons = cut.count(":")
        return args, word

    def format_completion(self, item: CompletionItem) -> str:
        value: str = item.value
        if self._colons and value.count(":") >= self._colons:
            value = value.split(":", self._colons)[-1]
        if self._quote == "'":
            return value.replace("'", "'\\''")
        special = _BASH_IN_DOUBLE_QUOTES if self._quote else _BASH_SPECIAL
        return special.sub(r"\\\g<0>", value)


# Everything but letters, digits and a few plain marks is escaped for bash; inside double
# quotes, what they leave special.
_BASH_SPECIAL = re.compile(r"[^\w@%+=:,./-]")
_BASH_IN_DOUBLE_QUOTES = re.compile(r'[\\"$`]')


def _open_quote(line: str) -> str:
    """The quote left open at the end of ``line``, as the shell reads it; "" when none."""
    quote, escaped = "", False
    for character in line:
        if escaped:
            escaped = False
        elif quote == "'":
            quote = "" if character == "'" else quote
        elif character == "\\":
            escaped = True
        elif character in "'\"":
            quote = "" if quote == character else quote or character
    return quote


def _rejoined(words: list[str]) -> list[str]:
    """The words as typed, where bash made ':' a word of its own and cut its neighbours off."""
    joined: list[str] = []
    previous = ""
    for word in words:
        if joined and (word == ":" or previous == ":"):
            joined[-1] += word
        else:
            joined.append(word)
        previous = word
    return joined


class ZshCompletion(ZshComplete):
    """Zsh gets a `compadd` of the values, not Typer's `_arguments` spec, so as to match them
    as they were found: ignoring case; and where a value was found ignoring accents too
    (`poke` finds "Pokémon"), which zsh's matching cannot, as they are given (`-U`: zsh then
    replaces the word typed with what the values have in common). Zsh quotes what it inserts.
    Each word is written to survive the `eval $(…)` of the completion script: no space that
    its splitting could cut or squeeze, no quote it could lose ("Baldur's Gate")."""

    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        items = self.get_completions(args, incomplete)
        if not items:
            return "_files"  # as Typer answers: the shell's own completion
        typed = incomplete.casefold()
        if all(str(item.value).casefold().startswith(typed) for item in items):
            matched = "-M 'm:{[:lower:][:upper:]}={[:upper:][:lower:]}'"
        else:
            matched = "-U"
        shown = " ".join(_zsh_word(f"{i.value} -- {i.help}" if i.help else i.value) for i in items)
        values = " ".join(_zsh_word(item.value) for item in items)
        listing = f"compadd {matched} -V values -l -d shown -- {values}"
        return f"local -a shown; shown=({shown}); {listing}"


def _zsh_word(text: str) -> str:
    """``text`` as one word of zsh's $'…' quoting, its spaces written as escapes."""
    escaped = text.replace("\\", "\\\\").replace("'", "\\'")
    return "$'" + re.sub(r"\s", lambda space: f"\\x{ord(space[0]):02x}", escaped) + "'"


def register_shells() -> None:
    """Answer bash and zsh as above, in place of Typer's classes; fish keeps Typer's answer
    (fish escapes what it inserts itself)."""
    for shell in (BashCompletion, ZshCompletion):
        add_completion_class(shell, shell.name)
