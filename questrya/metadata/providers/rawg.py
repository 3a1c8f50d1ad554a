"""RAWG as a metadata provider (PRODUCT §7). Its key travels in the query string, which is
why nothing here ever names a URL."""

from datetime import date
from typing import Any
from urllib.parse import quote

from questrya.common.clock import Clock, SystemClock
from questrya.common.value_objects import GameMetadata, ScoreSnapshot
from questrya.metadata.domain import Candidate
from questrya.metadata.providers.http import (
    JsonClient,
    Params,
    RecentAnswers,
    html_to_text,
    score_snapshot,
)

GAME_PAGE = "https://rawg.io/games/{slug}"


class RawgProvider:
    """Search, details and scores from one RAWG game answer; ``api_key`` is ``rawg_api_key``."""

    name = "rawg"

    def __init__(
        self,
        api_key: str,
        *,
        base_url: str,
        timeout: float,
        rate_limit: float,
        clock: Clock | None = None,
    ) -> None:
        self._key = api_key
        self._rawg = JsonClient(base_url, timeout=timeout, rate_limit=rate_limit)
        self._games: RecentAnswers[dict[str, Any] | None] = RecentAnswers()
        self._clock = clock or SystemClock()

    def search(self, title: str) -> list[Candidate]:
        params: Params = {"search": title, "page_size": 10, "key": self._key}
        answer = self._rawg.get("/games", params=params)
        with self._rawg.reading():
            return [_candidate(game) for game in answer["results"]]

    def details(self, provider_id: str) -> GameMetadata | None:
        game = self._game(provider_id)
        if game is None:
            return None
        with self._rawg.reading():
            return _metadata(game)

    def scores(self, provider_id: str) -> ScoreSnapshot | None:
        game = self._game(provider_id)
        if game is None:
            return None
        with self._rawg.reading():
            votes = int(game.get("ratings_count") or 0)
            return score_snapshot(
                self._clock.now(),
                user_score=float(game["rating"]) * 20 if votes else None,  # 0-5 stars
                user_votes=votes,
                critic_score=game.get("metacritic"),
            )

    def _game(self, id_or_slug: str) -> dict[str, Any] | None:
        """The game's answer, for its details and its scores; None on 404."""
        return self._games.get(id_or_slug, lambda: self._followed(id_or_slug))

    def _followed(self, id_or_slug: str) -> dict[str, Any] | None:
        """An old slug answers with the new one: followed once."""
        game = self._fetch(id_or_slug)
        with self._rawg.reading():
            if game is not None and game.get("redirect"):
                game = self._fetch(str(game["slug"]))
            return None if game is None else dict(game)

    def _fetch(self, id_or_slug: str) -> Any:
        path = f"/games/{quote(id_or_slug, safe='')}"
        return self._rawg.get(path, params={"key": self._key}, not_found={404})


def _candidate(game: dict[str, Any]) -> Candidate:
    return Candidate(
        provider="rawg",
        provider_id=str(game["id"]),
        title=str(game["name"]),
        release_date=_date(game.get("released")),
    )


def _metadata(game: dict[str, Any]) -> GameMetadata:
    description = (game.get("description_raw") or "").strip()
    return GameMetadata(
        provider="rawg",
        provider_id=str(game["id"]),
        title=str(game["name"]),
        release_date=_date(game.get("released")),
        genres=_names(game.get("genres")),
        developers=_names(game.get("developers")),
        publishers=_names(game.get("publishers")),
        description=description or html_to_text(game.get("description") or ""),
        cover_url=game.get("background_image") or None,
        url=game.get("website") or GAME_PAGE.format(slug=game["slug"]),
        typical_hours=_hours(game.get("playtime")),
    )


def _hours(playtime: object) -> int | None:
    """RAWG's `playtime`: the average hours its players spent; 0 means nobody said."""
    return (
        playtime
        if isinstance(playtime, int) and not isinstance(playtime, bool) and playtime > 0
        else None
    )


def _names(items: list[dict[str, Any]] | None) -> tuple[str, ...]:
    return tuple(str(item["name"]) for item in items or ())


def _date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
