"""Insight read: plain SQL aggregates on the read side's connection, rows out.

`stats` counts with a few grouped statements over the games a query selects (the query
compiler of `games/query.py` gives their condition); `next` scores the backlog in SQL and
reads only the games it proposes; `pick` counts, then reads one game; the weekly digest reads
a profile's week. No statement reads the games one by one.
"""

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from questrya.common.clock import Clock
from questrya.common.exceptions import NotFoundError
from questrya.common.rows import ReadConnection, Row, day
from questrya.games.domain import GameStatus
from questrya.games.query import (
    OWNED,
    ChoiceTerm,
    compile_listing,
    listing,
    parse_query,
    released,
)
from questrya.insight.domain import (
    SCORE_MOVE,
    TERMS,
    Digest,
    DigestGame,
    NextWeights,
    Pace,
    Recipient,
    ScoreMove,
    forecast_lines,
    last_months,
    median,
)
from questrya.insight.schemas import ForecastOut, MonthOut, Ranked, ScoreTerm, StatsOut, YearOut

# What `next` ranks, and `pick` chooses from unless its query names a status.
BACKLOG = "status:not_started,on_hold"
_NOT_STARTED = GameStatus.NOT_STARTED.value
_COMPLETED = GameStatus.COMPLETED.value
_RATINGS = range(1, 11)
# The figures of the games selected, one aggregate each (a sum or a count: they are read by
# status, platform and rating, and added up), over the games `g` and their metadata `m`.
# `:since` is the first day of the months looked back on.
_TOTALS: Mapping[str, str] = {
    "games": "count(*)",
    "length_games": (
        f"sum(CASE WHEN g.status = '{_NOT_STARTED}' AND m.typical_hours IS NOT NULL"
        " THEN 1 ELSE 0 END)"
    ),
    "length_hours": f"sum(CASE WHEN g.status = '{_NOT_STARTED}' THEN m.typical_hours END)",
    "completed_hours": (
        f"sum(CASE WHEN g.status = '{_COMPLETED}' AND g.completion_date >= :since"
        " THEN m.typical_hours END)"
    ),
}


class InsightViews:
    """One profile's backlog (``owner_id``), counted and ranked, as of ``clock``'s today."""

    def __init__(
        self, rows: ReadConnection, owner_id: int, clock: Clock, weights: NextWeights
    ) -> None:
        self._rows = rows
        self._owner = owner_id
        self._clock = clock
        self._weights = weights

    # --- stats ------------------------------------------------------------------------------

    def stats(self, words: Sequence[str] = ()) -> StatsOut:
        """Every figure of `questrya stats` over the games ``words`` select (PRODUCT §4)."""
        selection = compile_listing(self._owner, listing(words))
        where, parameters = selection.where, selection.parameters
        months = last_months(self._clock.today())
        by_status: Counter[str] = Counter()
        by_platform: Counter[str] = Counter()
        by_rating: Counter[int | None] = Counter()
        totals: Counter[str] = Counter(dict.fromkeys(_TOTALS, 0))
        statement = (
            f"SELECT g.status, min(g.platform), g.rating, {', '.join(_TOTALS.values())}"
            " FROM games g LEFT JOIN game_metadata m ON m.game_id = g.id"
            f" WHERE {where} GROUP BY g.status, g.platform_key, g.rating"
        )
        for status, platform, rating, *figures in self._rows.rows(
            statement, {**parameters, "since": months[0]}
        ):
            group = {name: int(value or 0) for name, value in zip(_TOTALS, figures, strict=True)}
            by_status[status] += group["games"]
            by_platform[platform] += group["games"]
            by_rating[rating] += group["games"]
            totals.update(group)
        games = totals["games"]
        completed_by_day = self._counts(
            f"SELECT g.completion_date, count(*) FROM games g WHERE {where}"
            f" AND g.status = '{_COMPLETED}' AND g.completion_date IS NOT NULL"
            " GROUP BY g.completion_date",
            parameters,
        )
        added = self._added_by_month(where, parameters, months)
        month_rows = _months(months, added, completed_by_day)
        added_lately = sum(month["added"] for month in month_rows)
        completed_lately = sum(month["completed"] for month in month_rows)
        to_start, to_complete = self._medians(where, parameters)
        return {
            "games": games,
            "by_status": {status.value: by_status[status.value] for status in GameStatus},
            "by_platform": dict(sorted(by_platform.items(), key=lambda item: (-item[1], item[0]))),
            "completion_rate": round(by_status[_COMPLETED] / games, 4) if games else None,
            "ratings": {
                **{str(rating): by_rating[rating] for rating in _RATINGS},
                "unrated": by_rating[None],
            },
            "median_days_to_start": to_start,
            "median_days_to_complete": to_complete,
            "months": month_rows,
            "years": _years(completed_by_day, self._clock.today().year),
            "added_last_12_months": added_lately,
            "backlog_growth": added_lately - completed_lately,
            "forecast": _forecast(by_status[_NOT_STARTED], completed_lately, totals),
        }

    @staticmethod
    def forecast(stats: StatsOut) -> list[str]:
        """The forecast of ``stats`` in words."""
        figures = stats["forecast"]
        length = figures["length"]
        games = Pace(left=figures["not_started"], done=figures["completed_last_12_months"])
        hours = Pace(left=length["hours"], done=length["completed_hours"])
        return forecast_lines(games, hours, length["games"])

    def _counts(self, statement: str, parameters: Mapping[str, object]) -> dict[date, int]:
        """Counts by a date that is never null."""
        return {
            on: count
            for value, count in self._rows.rows(statement, parameters)
            if (on := day(value))
        }

    def _added_by_month(
        self, where: str, parameters: Mapping[str, object], months: list[date]
    ) -> dict[int, int]:
        """How many games were added in each of ``months`` (local time), by its index."""
        bounds = {f"month{n}": _utc(first) for n, first in enumerate(months)}
        cases = " ".join(
            f"WHEN g.added_at >= :month{n} THEN {n}" for n in reversed(range(len(months)))
        )
        statement = (
            f"SELECT CASE {cases} END AS month, count(*) FROM games g"
            f" WHERE {where} AND g.added_at >= :month0 GROUP BY 1"
        )
        rows = self._rows.rows(statement, {**parameters, **bounds})
        return {row[0]: row[1] for row in rows}

    def _medians(
        self, where: str, parameters: Mapping[str, object]
    ) -> tuple[float | None, float | None]:
        """The median days from added (its local day) to started, for the games started since
        they were added, and from started to completed: counted by days, in SQL."""
        added, offset = self._local_day("g.added_at")
        waited = self._days("g.started_date", added)
        played = self._days("g.completion_date", "g.started_date")
        started = f"{where} AND g.started_date IS NOT NULL"
        return (
            median(self._by_days(waited, f"{started} AND {waited} >= 0", {**parameters, **offset})),
            median(
                self._by_days(played, f"{started} AND g.completion_date IS NOT NULL", parameters)
            ),
        )

    def _by_days(self, days: str, where: str, parameters: Mapping[str, object]) -> dict[float, int]:
        statement = f"SELECT {days} AS days, count(*) FROM games g WHERE {where} GROUP BY 1"
        return {float(value): count for value, count in self._rows.rows(statement, parameters)}

    def _days(self, later: str, earlier: str) -> str:
        """The whole days from the date ``earlier`` to the date ``later``, in SQL."""
        if self._rows.dialect == "sqlite":
            return f"(julianday({later}) - julianday({earlier}))"
        return f"(CAST({later} AS DATE) - CAST({earlier} AS DATE))"

    def _local_day(self, column: str) -> tuple[str, dict[str, object]]:
        """The player's local date of a stored time (UTC), in SQL, with its parameters: SQLite
        knows the local time zone; elsewhere the present offset from UTC stands in for it."""
        if self._rows.dialect == "sqlite":
            return f"date({column}, 'localtime')", {}
        offset = datetime.now().astimezone().utcoffset() or timedelta()
        return f"CAST({column} + :utc_offset AS DATE)", {"utc_offset": offset}

    # --- next -------------------------------------------------------------------------------

    def ranked(self, words: Sequence[str] = (), limit: int = 5) -> list[Ranked]:
        """The not-started and on-hold games ``words`` select, best first by their score; ties
        by id. The score is the sum of the terms' points, each rounded to the hundredth, and
        ranked as shown."""
        selection = compile_listing(self._owner, listing([*words, BACKLOG]))
        today = self._clock.today()
        parameters: dict[str, object] = {**selection.parameters, "today": today, "limit": limit}
        parameters |= {f"w_{term}": weight for term, weight in self._weights.weights.items()}
        values = ", ".join(f"{sql} AS {term}" for term, sql in self._terms(parameters).items())
        points = [f"ROUND(CAST(v.{term} * :w_{term} AS NUMERIC), 2)" for term in TERMS]
        statement = (
            f"SELECT v.id, v.title, v.platform, {', '.join(f'v.{term}' for term in TERMS)},"
            f" {', '.join(points)}"
            f" FROM (SELECT g.id, g.title, g.platform, {values}"
            " FROM games g LEFT JOIN game_metadata m ON m.game_id = g.id"
            " LEFT JOIN game_scores s ON s.id ="
            " (SELECT max(ls.id) FROM game_scores ls WHERE ls.game_id = g.id)"
            f" WHERE {selection.where}) v"
            f" ORDER BY ROUND(CAST({' + '.join(points)} AS NUMERIC), 2) DESC, v.id LIMIT :limit"
        )
        return [self._ranked(row) for row in self._rows.rows(statement, parameters)]

    def _terms(self, parameters: dict[str, object]) -> dict[str, str]:
        """Each term's value in SQL, on the games `g`, their metadata `m`, latest score `s`."""
        release = released("m.release_date")
        return {
            "rating": "COALESCE(g.rating, 0)",
            "user_score": "COALESCE(s.user_score, 0) / 10.0",
            "critic_score": "COALESCE(s.critic_score, 0) / 10.0",
            "backlog_age": f"{self._days_since('g.added_at')} / 365.0",
            "on_hold": f"CASE WHEN g.status = '{GameStatus.ON_HOLD.value}' THEN 1 ELSE 0 END",
            "release_age": (
                f"CASE WHEN {release} IS NULL OR {release} > :today THEN 0"
                f" ELSE {self._days_since(release)} / 365.0 END"
            ),
            "length": "COALESCE(m.typical_hours, 0)",
            "tags": f"({_tagged(self._weights.boost, 'boost', parameters)})"
            f" - ({_tagged(self._weights.sink, 'sink', parameters)})",
        }

    def _days_since(self, column: str) -> str:
        """The whole days from ``column``'s day (a date, or a time in UTC) to :today."""
        if self._rows.dialect == "sqlite":
            return self._days(":today", f"date({column})")
        return self._days(":today", column)

    def _ranked(self, row: Row) -> Ranked:
        game_id, title, platform, *rest = row
        values, points = rest[: len(TERMS)], rest[len(TERMS) :]
        weights = self._weights.weights
        terms = tuple(
            ScoreTerm(term, round(float(value), 2), weights[term], float(point))
            for term, value, point in zip(TERMS, values, points, strict=True)
        )
        return Ranked(game_id, title, platform, terms)

    # --- pick -------------------------------------------------------------------------------

    def pick(self, words: Sequence[str] = (), seed: int | None = None) -> int:
        """The id of a game chosen at random among those ``words`` select, among the
        not-started and on-hold games unless they name a status; the same ``seed`` chooses
        the same game again."""
        named = any(
            isinstance(term.test, ChoiceTerm) and term.test.field == "status"
            for term in parse_query(words).terms
        )
        selection = compile_listing(self._owner, listing([*words] if named else [*words, BACKLOG]))
        counted = f"SELECT count(*) FROM games g WHERE {selection.where}"
        [(count,)] = self._rows.rows(counted, selection.parameters)
        if not count:
            raise NotFoundError("no game to pick: none matches")
        offset = random.Random(seed).randrange(count)
        chosen = (
            f"SELECT g.id FROM games g WHERE {selection.where} ORDER BY g.id LIMIT 1 OFFSET :offset"
        )
        [(game_id,)] = self._rows.rows(chosen, {**selection.parameters, "offset": offset})
        return int(game_id)

    # --- the weekly digest ------------------------------------------------------------------

    def digest(self, profile: str, first: date, last: date) -> Digest:
        """The profile's days from ``first`` to ``last``."""
        days = {"owner": self._owner, "first": first, "last": last}
        since, until = _utc(first), _utc(last + timedelta(days=1))
        return Digest(
            profile=profile,
            first_day=first,
            last_day=last,
            completed=self._games(
                f"g.status = '{_COMPLETED}' AND g.completion_date BETWEEN :first AND :last",
                "g.completion_date",
                days,
            ),
            started=self._games("g.started_date BETWEEN :first AND :last", "g.started_date", days),
            added=self._games(
                "g.added_at >= :since AND g.added_at < :until",
                "g.added_at",
                {"owner": self._owner, "since": since, "until": until},
            ),
            next_up=[DigestGame(game.title, game.platform) for game in self.ranked(limit=3)],
            moves=self._moves(since, until),
        )

    def _games(
        self, condition: str, order: str, parameters: Mapping[str, object]
    ) -> list[DigestGame]:
        statement = (
            f"SELECT g.title, g.platform FROM games g WHERE {OWNED} AND {condition}"
            f" ORDER BY {order}, g.title_key, g.id"
        )
        return [DigestGame(*row) for row in self._rows.rows(statement, parameters)]

    def _moves(self, since: datetime, until: datetime) -> list[ScoreMove]:
        """The games whose user score moved by SCORE_MOVE points or more from its last value
        before ``since`` to its last before ``until``."""
        statement = f"""
SELECT g.title, g.platform, b.user_score, s.user_score FROM games g
JOIN game_scores s ON s.id = (
    SELECT max(ls.id) FROM game_scores ls WHERE ls.game_id = g.id AND ls.fetched_at < :until
)
JOIN game_scores b ON b.id = (
    SELECT max(bs.id) FROM game_scores bs WHERE bs.game_id = g.id AND bs.fetched_at < :since
)
WHERE {OWNED} AND abs(s.user_score - b.user_score) >= :move
ORDER BY g.title_key, g.id
"""
        parameters = {"owner": self._owner, "since": since, "until": until, "move": SCORE_MOVE}
        return [
            ScoreMove(title, platform, float(before), float(now))
            for title, platform, before, now in self._rows.rows(statement, parameters)
        ]


class DigestViews:
    """Every profile's digest, for the worker: who gets one, and each one's week."""

    def __init__(self, rows: ReadConnection, clock: Clock, weights: NextWeights) -> None:
        self._rows = rows
        self._clock = clock
        self._weights = weights

    def recipients(self) -> list[Recipient]:
        """The profiles with an email address, by name."""
        statement = "SELECT id, name, email FROM users WHERE email IS NOT NULL ORDER BY name"
        return [Recipient(*row) for row in self._rows.rows(statement, {}) if row[2]]

    def profile(self, owner_id: int) -> tuple[str, str | None]:
        """The profile's name and email address (None when it has none)."""
        statement = "SELECT name, email FROM users WHERE id = :owner"
        [(name, email)] = self._rows.rows(statement, {"owner": owner_id})
        return name, email or None

    def digest(self, owner_id: int, profile: str, first: date, last: date) -> Digest:
        views = InsightViews(self._rows, owner_id, self._clock, self._weights)
        return views.digest(profile, first, last)


def _tagged(tags: tuple[str, ...], name: str, parameters: dict[str, object]) -> str:
    """How many of ``tags`` a game `g` has, in SQL; its parameters go in ``parameters``."""
    if not tags:
        return "0"
    bound = {f"{name}{n}": tag for n, tag in enumerate(tags)}
    parameters |= bound
    marks = ", ".join(f":{key}" for key in bound)
    return f"SELECT count(*) FROM game_tags bt WHERE bt.game_id = g.id AND bt.tag IN ({marks})"


def _utc(first: date) -> datetime:
    """The start of the local day ``first``, as a stored time (naive UTC)."""
    return datetime.combine(first, time.min).astimezone(UTC).replace(tzinfo=None)


def _months(
    months: list[date], added: Mapping[int, int], completed: Mapping[date, int]
) -> list[MonthOut]:
    by_month = Counter(dict.fromkeys(months, 0))
    for finished, count in completed.items():
        first = finished.replace(day=1)
        if first in by_month:
            by_month[first] += count
    return [
        {"month": f"{first:%Y-%m}", "added": added.get(n, 0), "completed": by_month[first]}
        for n, first in enumerate(months)
    ]


def _years(completed: Mapping[date, int], this_year: int) -> list[YearOut]:
    by_year = Counter[int]()
    for finished, count in completed.items():
        by_year[finished.year] += count
    first = min(by_year, default=this_year)
    return [{"year": year, "completed": by_year[year]} for year in range(first, this_year + 1)]


def _forecast(not_started: int, completed: int, totals: Mapping[str, int]) -> ForecastOut:
    games = Pace(left=not_started, done=completed)
    hours = Pace(left=totals["length_hours"], done=totals["completed_hours"])
    return {
        "not_started": not_started,
        "completed_last_12_months": completed,
        "games_per_month": _rounded(games.per_month),
        "months_left": games.months_left,
        "length": {
            "games": totals["length_games"],
            "hours": totals["length_hours"],
            "completed_hours": totals["completed_hours"],
            "hours_per_month": _rounded(hours.per_month),
            "months_left": hours.months_left if totals["length_games"] else None,
        },
    }


def _rounded(number: float | None) -> float | None:
    return None if number is None else round(number, 4)
