"""Which search result is the game the player added (PRODUCT §7, "Matching").

Titles are compared whole after normalising case, accents, ™®©, punctuation, edition words
and roman numerals; the similarity is rapidfuzz's normalised Indel ratio (0-1). A title that
is only part of a candidate's scores low ("horizon" vs "horizon zero dawn": 0.58), so it is
never applied, only offered.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from questrya.common.text import fold
from questrya.metadata.domain import Candidate, CandidateKind

# Applied only when the best game is this similar and this far ahead of the next one.
APPLY_AT = 0.92
CLEAR_LEAD = 0.08
DIFFERENT_NUMBERS = 0.75

_MARKS = re.compile(r"[™®©]")
_EDITION = re.compile(
    r"\b(?:game of the year|goty|deluxe|definitive|ultimate|complete|gold|premium|standard"
    r"|collector'?s|anniversary|enhanced|special|limited|digital deluxe)\s+edition\b"
    r"|\bedition\b"
)
_NOT_WORD = re.compile(r"[^\w]+")
_ROMAN = {
    "ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9",
    "xi": "11", "xii": "12", "xiii": "13", "xiv": "14", "xv": "15", "xvi": "16",
}  # fmt: skip
# Single letters are numerals only as a title's last word ("Grand Theft Auto V").
_ROMAN_LAST = {"i": "1", "v": "5", "x": "10"}


class Decision(StrEnum):
    APPLIED = "applied"
    AMBIGUOUS = "ambiguous"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    similarity: float


@dataclass(frozen=True)
class Match:
    decision: Decision
    ranked: tuple[Ranked, ...]

    @property
    def chosen(self) -> Candidate | None:
        return self.ranked[0].candidate if self.decision is Decision.APPLIED else None


def normalise(title: str) -> str:
    text = fold(_MARKS.sub(" ", title)).replace("&", " and ")
    text = _EDITION.sub(" ", text)
    words = _NOT_WORD.sub(" ", text).split()
    words = [_ROMAN.get(word, word) for word in words]
    if words and words[-1] in _ROMAN_LAST:
        words[-1] = _ROMAN_LAST[words[-1]]
    return " ".join(words)


def similarity(title: str, other: str) -> float:
    """0-1; titles whose numbers differ ("Final Fantasy 7" and "8") are never near."""
    from rapidfuzz import fuzz  # loaded by the worker only, not by every command

    mine, theirs = normalise(title), normalise(other)
    score = fuzz.ratio(mine, theirs) / 100
    if _numbers(mine) != _numbers(theirs):
        score = min(score, DIFFERENT_NUMBERS)
    return score


def _numbers(normalised: str) -> list[str]:
    return [word for word in normalised.split() if word.isdigit()]


def match(title: str, candidates: list[Candidate]) -> Match:
    """Rank the candidates, games first, and decide whether the best one can be applied."""
    ranked = sorted(
        (Ranked(candidate, similarity(title, candidate.title)) for candidate in candidates),
        key=lambda r: (r.candidate.kind is not CandidateKind.GAME, -r.similarity),
    )
    if not ranked:
        return Match(Decision.NOT_FOUND, ())
    games = [r for r in ranked if r.candidate.kind is CandidateKind.GAME]
    clear = len(games) == 1 or (
        len(games) > 1 and games[0].similarity - games[1].similarity >= CLEAR_LEAD
    )
    if games and games[0].similarity >= APPLY_AT and clear:
        return Match(Decision.APPLIED, tuple(ranked))
    return Match(Decision.AMBIGUOUS, tuple(ranked))
