"""How insight looks to scripts: `stats --json` and `next --json`, as typed dicts whose keys
are the JSON's (README lists them)."""

from dataclasses import dataclass
from typing import TypedDict

from questrya.games.schemas import GameOut


class MonthOut(TypedDict):
    month: str  # "2026-04"
    added: int
    completed: int


class YearOut(TypedDict):
    year: int
    completed: int


class LengthOut(TypedDict):
    """The forecast in hours, from the typical lengths the metadata gives (RAWG)."""

    games: int  # not-started games with a typical length
    hours: int  # their hours together
    completed_hours: int  # the typical hours of the games completed in the last 12 months
    hours_per_month: float | None
    months_left: int | None


class ForecastOut(TypedDict):
    not_started: int
    completed_last_12_months: int
    games_per_month: float | None  # None: nothing completed in the last 12 months
    months_left: int | None
    length: LengthOut


class StatsOut(TypedDict):
    games: int
    by_status: dict[str, int]
    by_platform: dict[str, int]
    completion_rate: float | None  # completed ÷ games; None without games
    ratings: dict[str, int]  # "1" … "10", and "unrated"
    median_days_to_start: float | None  # added → started, for games started since added
    median_days_to_complete: float | None  # started → completed
    months: list[MonthOut]  # the last 12 months, oldest first, this one included
    years: list[YearOut]  # every year from the first completion's to this one
    added_last_12_months: int
    backlog_growth: int  # added minus completed over the last 12 months
    forecast: ForecastOut


class TermOut(TypedDict):
    value: float
    weight: float
    points: float  # value times weight, to the hundredth


class NextOut(GameOut):
    """A game `next` proposes: the game as `games show --json` prints it, its place, its
    score and the terms the score adds up from."""

    rank: int
    next_score: float
    score_terms: dict[str, TermOut]


@dataclass(frozen=True)
class ScoreTerm:
    """One term of a game's score: ``points`` is ``value`` times ``weight``, to the hundredth."""

    name: str
    value: float
    weight: float
    points: float


@dataclass(frozen=True)
class Ranked:
    """A game `next` proposes, with the terms of its score: the score is their sum."""

    game_id: int
    title: str
    platform: str
    terms: tuple[ScoreTerm, ...]

    @property
    def score(self) -> float:
        return round(sum(term.points for term in self.terms), 2)
