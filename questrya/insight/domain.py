"""What insight computes beyond counting: the terms of `next`'s score, the calendar months a
chart shows, medians, the forecast, and the weekly digest as a player reads it."""

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from questrya.common.exceptions import QuestryaError

# The terms of `questrya next`'s score, in the order `--explain` shows them, each with what
# its value is; a term's points are its value times its weight (`next.weights.TERM`).
TERMS: Mapping[str, str] = {
    "rating": "your rating, 0 when unrated",
    "user_score": "the latest user score in percent, divided by 10 (0-10)",
    "critic_score": "the latest critic score (0-100), divided by 10",
    "backlog_age": "years since you added it",
    "on_hold": "1 when on hold",
    "release_age": "years since its release, 0 when unknown or to come",
    "length": "its typical length in hours, 0 when unknown",
    "tags": "tags in next.boost minus tags in next.sink",
}
MONTHS_SHOWN = 12  # the months a chart and the forecast look back on, this one included
# Points of the user score a game must move by in a week to be in the digest.
SCORE_MOVE = 5.0


@dataclass(frozen=True)
class NextWeights:
    """The coefficients of each term, and the tags that raise or lower a game."""

    weights: Mapping[str, float]
    boost: tuple[str, ...] = ()
    sink: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if set(self.weights) != set(TERMS):
            raise ValueError(f"weights must name every term: {', '.join(TERMS)}")


# --- months and medians ---------------------------------------------------------------------


def last_months(today: date, count: int = MONTHS_SHOWN) -> list[date]:
    """The first days of the ``count`` calendar months up to ``today``'s, oldest first."""
    months = [today.replace(day=1)]
    while len(months) < count:
        months.append((months[-1] - timedelta(days=1)).replace(day=1))
    return months[::-1]


def median(counts: Mapping[float, int]) -> float | None:
    """The median of values given with how often each occurs; None when there are none."""
    values = [value for value, times in sorted(counts.items()) for _ in range(times)]
    return float(statistics.median(values)) if values else None


# --- the forecast ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Pace:
    """How much was done over the last months, and how long what is left takes at that pace."""

    left: float  # games (or hours) still to play
    done: float  # games (or hours) completed over the months looked back on
    months: int = MONTHS_SHOWN

    @property
    def per_month(self) -> float | None:
        return self.done / self.months if self.done else None

    @property
    def months_left(self) -> int | None:
        """Whole months to finish what is left at this pace; None without a pace."""
        pace = self.per_month
        return None if pace is None else round(self.left / pace)


def duration(months: int) -> str:
    """``68`` → "5 years 8 months"."""
    years, rest = divmod(months, 12)
    parts = [_count(years, "year")] if years else []
    if rest or not years:
        parts.append(_count(rest, "month"))
    return " ".join(parts)


def _count(number: float, noun: str) -> str:
    shown = f"{number:,.1f}".removesuffix(".0") if isinstance(number, float) else f"{number:,}"
    return f"{shown} {noun}" + ("" if number == 1 else "s")


def forecast_lines(games: Pace, hours: Pace | None, known: int) -> list[str]:
    """The forecast in words: "at 2.1 games a month, 143 games take 5 years 8 months", and
    the same in hours where ``known`` not-started games have a typical length."""
    left = _count(int(games.left), "game")
    if not games.left:
        return ["Nothing is waiting to be started."]
    if games.per_month is None or games.months_left is None:
        return [
            f"Nothing completed in the last {MONTHS_SHOWN} months: no pace to forecast "
            f"how long {left} take."
        ]
    lines = [f"At {games.per_month:.1f} games a month, {left} take {duration(games.months_left)}."]
    if hours is None or not known:
        return lines
    of_them = f"the {known} with a typical length" if known != games.left else "they"
    need = f"{of_them} need {_count(int(hours.left), 'hour')}"
    if hours.per_month is None or hours.months_left is None:
        return [*lines, f"In hours, {need}."]
    return [
        *lines,
        f"At {hours.per_month:.1f} hours a month, {need}: {duration(hours.months_left)}.",
    ]


# --- the weekly digest ----------------------------------------------------------------------


class DeliveryError(QuestryaError):
    """A mail could not be sent (exit 1): the server refused it or could not be reached."""


@dataclass(frozen=True)
class DigestGame:
    title: str
    platform: str


@dataclass(frozen=True)
class ScoreMove:
    title: str
    platform: str
    before: float
    now: float


@dataclass(frozen=True)
class Recipient:
    """A profile with an email address: who a weekly digest goes to."""

    owner_id: int
    name: str
    email: str


def week_of(day: date) -> tuple[date, date]:
    """The Monday and the Sunday of ``day``'s calendar week (ISO 8601)."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


@dataclass(frozen=True)
class Digest:
    """A profile's calendar week, from its Monday to ``last_day`` (its Sunday, or today)."""

    profile: str
    first_day: date
    last_day: date
    completed: Sequence[DigestGame] = ()
    started: Sequence[DigestGame] = ()
    added: Sequence[DigestGame] = ()
    next_up: Sequence[DigestGame] = ()
    moves: Sequence[ScoreMove] = field(default_factory=tuple)

    @property
    def week(self) -> str:
        """The calendar week it tells, which is sent once ("2026-W49")."""
        year, week, _ = self.first_day.isocalendar()
        return f"{year}-W{week:02d}"

    def subject(self) -> str:
        return f"Your Questrya week, {self.first_day:%d %b} to {self.last_day:%d %b %Y}"

    def text(self) -> str:
        """The digest as plain text, as the mail and `questrya digest --print` give it."""
        sections = [
            f"{self.profile}'s week: {self.first_day} to {self.last_day}",
            _section("Completed", self.completed),
            _section("Started", self.started),
            _section("Added", self.added),
            _section("Up next", self.next_up),
            _moves(self.moves),
        ]
        return "\n\n".join(sections) + "\n"


def _section(title: str, games: Iterable[DigestGame]) -> str:
    lines = [f"  - {game.title} [{game.platform}]" for game in games]
    return "\n".join([f"{title}:", *(lines or ["  (none)"])])


def _moves(moves: Sequence[ScoreMove]) -> str:
    lines = [
        f"  - {move.title} [{move.platform}]: {move.before:.0f}% → {move.now:.0f}%"
        for move in moves
    ]
    heading = f"User scores that moved {SCORE_MOVE:.0f} points or more:"
    return "\n".join([heading, *(lines or ["  (none)"])])
