"""Which search result is the game the player added (PRODUCT §7, "Matching").

Titles are compared whole after normalising case, accents, ™®©, punctuation, apostrophes,
dotted acronyms ("F.E.A.R." is "fear"), a leading "The", Steam's bracketed years ("(2007)")
and roman numerals. Each candidate game is then, from the closest:

- the same title: its normalised words are the player's;
- the same game: the same once edition words are dropped from both ("Game of the Year
  Edition", "Gold", "Remastered", "Director's Cut"…: the same game, sold again);
- similar: rapidfuzz's normalised Indel ratio (0-1) of the titles without their editions. A
  title that is only part of a candidate's scores low ("horizon" vs "horizon zero dawn": 0.58);
- another number: a different sequel number ("The Witcher 2" and "The Witcher 3"), another
  game of the series, ranked last and never applied.

The one game with the same title is applied, whatever its editions; otherwise the best game is
applied only when it is this similar and this far ahead of the next. A remake is another game:
"Remake", "Anniversary" alone, "Collection", "Classic" are not edition words.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import IntEnum, StrEnum

from questrya.common.text import fold
from questrya.common.value_objects import GameMetadata
from questrya.metadata.domain import Candidate, CandidateKind

# Applied only when the best game is this similar and this far ahead of the next one.
APPLY_AT = 0.92
CLEAR_LEAD = 0.08
DIFFERENT_NUMBERS = 0.75
# Details one decision may ask for: each candidate chosen that turns out not to be a game
# costs one, then the rest are offered.
DETAILS_CHECKS = 3

_MARKS = re.compile(r"[™®©]")
_YEAR = re.compile(r"\((?:19|20)\d\d\)")  # "Call of Duty® 4: Modern Warfare® (2007)"
_APOSTROPHE = re.compile("['\u2019]")  # and the typographic one
_ACRONYM = re.compile(r"(?<!\w)(?:[a-z]\.){2,}(?:[a-z](?!\w))?")  # "f.e.a.r." → "fear"
_PHRASES = (
    (re.compile(r"\bgame of the year\b"), "goty"),
    (re.compile(r"\bdirectors cut\b"), "directorscut"),
    (re.compile(r"\bfinal cut\b"), "finalcut"),
)
# "X - Dark Edition", "X: Reloaded Edition": after a dash, up to three words and "Edition"
# name an edition; after a colon, one word ("Fallout: New Vegas Ultimate Edition" is not
# "Fallout").
_SEPARATED_EDITION = re.compile(
    r"\s[-\u2013\u2014]\s*(?:\w+\s+){0,3}edition$|:\s*\w+\s+edition$"  # -, en, em dash
)
_NOT_WORD = re.compile(r"[^\w]+")
# Words that name an edition at the end of a title, alone or before "Edition".
_EDITIONS = frozenset(
    {
        "goty", "gold", "complete", "deluxe", "platinum", "definitive", "enhanced", "hd",
        "remastered", "remaster", "redux", "directorscut", "finalcut",
    }
)  # fmt: skip
# …and those that do only before "Edition" ("Tomb Raider: Anniversary" is a remake).
_EDITION_NAMES = _EDITIONS | {
    "special", "ultimate", "premium", "standard", "collectors", "anniversary", "legendary",
    "royal", "extended", "digital", "limited", "steam", "windows", "pc",
}  # fmt: skip
_ROMAN = {
    "ii": "2", "iii": "3", "iv": "4", "v": "5", "vi": "6", "vii": "7", "viii": "8", "ix": "9",
    "xi": "11", "xii": "12", "xiii": "13", "xiv": "14", "xv": "15", "xvi": "16",
}  # fmt: skip
# "I" and "X" are words or letters too: numerals only as the last word before the edition
# ("Mortal Kombat X", "The Last of Us Part I"; not "I Am Bread", "X-COM").
_ROMAN_LAST = {"i": "1", "x": "10"}


class Decision(StrEnum):
    APPLIED = "applied"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


class Likeness(IntEnum):
    """How a candidate's title stands to the player's, closest first."""

    SAME_TITLE = 0
    SAME_GAME = 1
    SIMILAR = 2
    OTHER_NUMBER = 3


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    similarity: float
    likeness: Likeness = Likeness.SIMILAR


@dataclass(frozen=True)
class Match:
    """The decision and the candidates, best first; an applied match that was checked (see
    `decide`) carries the chosen game's metadata."""

    decision: Decision
    ranked: tuple[Ranked, ...]
    metadata: GameMetadata | None = None

    @property
    def chosen(self) -> Candidate | None:
        return self.ranked[0].candidate if self.decision is Decision.APPLIED else None


@dataclass(frozen=True)
class _Title:
    words: str  # every word, normalised
    game: str  # without its edition
    numbers: tuple[str, ...]


def normalise(title: str) -> str:
    """The title's normalised words without its edition: "the same game" compares these."""
    return _title(title).game


def similarity(title: str, other: str) -> float:
    """0-1; titles whose numbers differ ("Final Fantasy 7" and "8") are never near."""
    return _similarity(_title(title), _title(other))


def match(title: str, candidates: list[Candidate]) -> Match:
    """Rank the candidates, games first, and decide whether the best one can be applied."""
    mine = _title(title)
    ranked = sorted(
        (_ranked(mine, candidate) for candidate in candidates),
        key=lambda r: (r.candidate.kind is not CandidateKind.GAME, r.likeness, -r.similarity),
    )
    if not ranked:
        return Match(Decision.NOT_FOUND, ())
    games = [r for r in ranked if r.candidate.kind is CandidateKind.GAME]
    if games and _clear(games[0], games[1] if len(games) > 1 else None):
        return Match(Decision.APPLIED, tuple(ranked))
    return Match(Decision.AMBIGUOUS, tuple(ranked))


def decide(
    title: str,
    candidates: list[Candidate],
    details: Callable[[str], GameMetadata | CandidateKind | None],
) -> Match:
    """`match`, with the chosen candidate's details asked before it is applied.

    A search may list a DLC or a trailer as if it were a game (Steam says "app" for all of
    them): a candidate whose details say it is something else is marked as what it is, one
    the provider no longer has is dropped, and the rest decided again, at most
    ``DETAILS_CHECKS`` times; after that what is left is offered, never applied unchecked.
    """
    for _ in range(DETAILS_CHECKS):
        found = match(title, candidates)
        if found.chosen is None:
            return found
        answer = details(found.chosen.provider_id)
        if isinstance(answer, GameMetadata):
            return replace(found, metadata=answer)
        candidates = _corrected(candidates, found.chosen, answer)
    found = match(title, candidates)
    return found if found.chosen is None else replace(found, decision=Decision.AMBIGUOUS)


def _corrected(
    candidates: list[Candidate], checked: Candidate, kind: CandidateKind | None
) -> list[Candidate]:
    if kind is None:
        return [c for c in candidates if c != checked]
    return [replace(c, kind=kind) if c == checked else c for c in candidates]


def _clear(best: Ranked, next_best: Ranked | None) -> bool:
    if best.likeness is Likeness.SAME_TITLE:
        return next_best is None or next_best.likeness is not Likeness.SAME_TITLE
    lead = best.similarity - (next_best.similarity if next_best else 0.0)
    return best.similarity >= APPLY_AT and lead >= CLEAR_LEAD


def _ranked(mine: _Title, candidate: Candidate) -> Ranked:
    theirs = _title(candidate.title)
    if mine.numbers != theirs.numbers:
        likeness = Likeness.OTHER_NUMBER
    elif mine.words == theirs.words:
        likeness = Likeness.SAME_TITLE
    elif mine.game == theirs.game:
        likeness = Likeness.SAME_GAME
    else:
        likeness = Likeness.SIMILAR
    return Ranked(candidate, _similarity(mine, theirs), likeness)


def _similarity(mine: _Title, theirs: _Title) -> float:
    from rapidfuzz import fuzz  # loaded by the worker only, not by every command

    score: float = fuzz.ratio(mine.game, theirs.game) / 100
    if mine.numbers != theirs.numbers:
        score = min(score, DIFFERENT_NUMBERS)
    return score


def _title(title: str) -> _Title:
    text = _prepared(title)
    words = _words(text)
    # A separated edition ("… - Dark Edition") goes first, then the edition words before it;
    # a title made of edition words alone keeps them.
    unseparated = len(_words(_SEPARATED_EDITION.sub("", text)))
    end = _edition_start(words[:unseparated]) or len(words)
    words = [_ROMAN.get(word, word) for word in words]
    if words:
        words[end - 1] = _ROMAN_LAST.get(words[end - 1], words[end - 1])
    game = words[:end]
    return _Title(
        words=" ".join(word for word in words if word != "edition"),
        game=" ".join(game),
        numbers=tuple(word for word in game if word.isdigit()),
    )


def _prepared(title: str) -> str:
    text = fold(_MARKS.sub(" ", title))
    text = _APOSTROPHE.sub("", _YEAR.sub(" ", text))
    text = _ACRONYM.sub(lambda found: found[0].replace(".", ""), text).replace("&", " and ")
    for phrase, word in _PHRASES:
        text = phrase.sub(word, text)
    return " ".join(text.split())


def _words(text: str) -> list[str]:
    words = _NOT_WORD.sub(" ", text).split()
    return words[1:] if len(words) > 1 and words[0] == "the" else words


def _edition_start(words: list[str]) -> int:
    """Where the edition words at the end of a title begin ("… - The Complete Edition")."""
    end = len(words)
    while end > 0:
        word = words[end - 1]
        if word == "edition":
            end -= 1
            while end > 0 and words[end - 1] in _EDITION_NAMES:
                end -= 1
        elif word in _EDITIONS:
            end -= 1
        else:
            break
        if end > 0 and words[end - 1] == "the":
            end -= 1
    return end
