"""IGDB as a metadata provider (PRODUCT §7): Apicalypse queries with a Twitch app token."""

import math
import re
import threading
import time
from datetime import UTC, date, datetime
from typing import Any

from questrya.common.clock import Clock, SystemClock
from questrya.common.value_objects import GameMetadata, ScoreSnapshot
from questrya.metadata.domain import Candidate, CandidateKind
from questrya.metadata.providers.http import (
    JsonClient,
    RecentAnswers,
    UnexpectedStatus,
    score_snapshot,
)

FIELDS = (
    "name,first_release_date,category,game_type.type,cover.url,genres.name,"
    "involved_companies.company.name,involved_companies.developer,"
    "involved_companies.publisher,summary,url,aggregated_rating,rating,rating_count,"
    "version_parent"
)
TOKEN_LIFE_USED = 0.9  # renew a token once 90 % of its lifetime has passed

# The deprecated ``category`` numbers, by position, in the spelling of ``game_type.type``.
_CATEGORIES = (
    "main_game",
    "dlc_addon",
    "expansion",
    "bundle",
    "standalone_expansion",
    "mod",
    "episode",
    "season",
    "remake",
    "remaster",
    "expanded_game",
    "port",
    "fork",
    "pack",
    "update",
)
_NOT_GAMES = {
    "dlc": CandidateKind.DLC,
    "dlc_addon": CandidateKind.DLC,
    "expansion": CandidateKind.DLC,
    "pack": CandidateKind.DLC,
    "pack_addon": CandidateKind.DLC,
    "bundle": CandidateKind.OTHER,
    "update": CandidateKind.OTHER,
    "mod": CandidateKind.OTHER,
    "season": CandidateKind.OTHER,
    "fork": CandidateKind.OTHER,
}


class _AppAccessToken:
    """Twitch's app access token, fetched once for every thread and kept until it expires."""

    def __init__(self, twitch: JsonClient, client_id: str, client_secret: str) -> None:
        self._twitch = twitch
        self._credentials = {
            "client_id": client_id,
            "client_secret": client_secret,
            "grant_type": "client_credentials",
        }
        self._lock = threading.Lock()
        self._value: str | None = None
        self._renew_at = 0.0

    def get(self) -> str:
        with self._lock:  # one fetch, however many threads find the token missing
            if self._value is None or time.monotonic() >= self._renew_at:
                self._value, self._renew_at = self._fetch()
            return self._value

    def forget(self, value: str) -> None:
        """Drops a token IGDB refused, unless another thread has renewed it meanwhile."""
        with self._lock:
            if self._value == value:
                self._value = None

    def _fetch(self) -> tuple[str, float]:
        answer = self._twitch.post(form=self._credentials)
        with self._twitch.reading():
            lifetime = float(answer.get("expires_in", math.inf))
            return str(answer["access_token"]), time.monotonic() + lifetime * TOKEN_LIFE_USED


class IgdbProvider:
    """``client_id`` and ``client_secret`` are the Twitch application's (``igdb_client_*``)."""

    name = "igdb"

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        *,
        base_url: str,
        token_url: str,
        timeout: float,
        rate_limit: float,
        clock: Clock | None = None,
    ) -> None:
        self._client_id = client_id
        self._igdb = JsonClient(base_url, timeout=timeout, rate_limit=rate_limit)
        twitch = JsonClient(token_url, timeout=timeout, rate_limit=rate_limit)
        self._token = _AppAccessToken(twitch, client_id, client_secret)
        self._games: RecentAnswers[dict[str, Any] | None] = RecentAnswers()
        self._clock = clock or SystemClock()

    def search(self, title: str) -> list[Candidate]:
        games = self._query(f'search "{_quoted(title)}"; fields {FIELDS}; limit 10;')
        with self._igdb.reading():
            return [_candidate(game) for game in games]

    def details(self, provider_id: str) -> GameMetadata | CandidateKind | None:
        game = self._game(provider_id)
        if game is None:
            return None
        with self._igdb.reading():
            kind = _kind(game)
            return _metadata(game) if kind is CandidateKind.GAME else kind

    def scores(self, provider_id: str) -> ScoreSnapshot | None:
        game = self._game(provider_id)
        if game is None:
            return None
        with self._igdb.reading():
            critic = game.get("aggregated_rating")
            return score_snapshot(
                self._clock.now(),
                user_score=game.get("rating"),
                user_votes=game.get("rating_count"),
                critic_score=None if critic is None else round(critic),
            )

    def _game(self, provider_id: str) -> dict[str, Any] | None:
        """The game's answer, for its details and its scores; None when IGDB has none."""
        if not (provider_id.isascii() and provider_id.isdigit()):
            return None
        return self._games.get(provider_id, lambda: self._fetch_game(provider_id))

    def _fetch_game(self, provider_id: str) -> dict[str, Any] | None:
        games = self._query(f"fields {FIELDS}; where id = {provider_id};")
        with self._igdb.reading():
            return dict(games[0]) if games else None

    def _query(self, body: str) -> Any:
        token = self._token.get()
        try:
            return self._post_games(body, token)
        except UnexpectedStatus as error:
            if error.status != 401:
                raise
            self._token.forget(token)  # revoked or expired early: one more try with a new one
            return self._post_games(body, self._token.get())

    def _post_games(self, body: str, token: str) -> Any:
        headers = {"Client-ID": self._client_id, "Authorization": f"Bearer {token}"}
        return self._igdb.post("/games", headers=headers, content=body)


def _quoted(text: str) -> str:
    """``text`` inside an Apicalypse string literal."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _candidate(game: dict[str, Any]) -> Candidate:
    return Candidate(
        provider="igdb",
        provider_id=str(game["id"]),
        title=str(game["name"]),
        kind=_kind(game),
        release_date=_utc_date(game.get("first_release_date")),
    )


def _kind(game: dict[str, Any]) -> CandidateKind:
    if game.get("version_parent"):  # an edition of another entry, not the game itself
        return CandidateKind.OTHER
    game_type = game.get("game_type")
    if isinstance(game_type, dict):
        spelling = re.sub(r"[^a-z]+", "_", str(game_type["type"]).lower()).strip("_")
    else:
        category = int(game.get("category") or 0)
        spelling = _CATEGORIES[category] if category < len(_CATEGORIES) else "main_game"
    return _NOT_GAMES.get(spelling, CandidateKind.GAME)


def _metadata(game: dict[str, Any]) -> GameMetadata:
    return GameMetadata(
        provider="igdb",
        provider_id=str(game["id"]),
        title=str(game["name"]),
        release_date=_utc_date(game.get("first_release_date")),
        genres=tuple(str(genre["name"]) for genre in game.get("genres", [])),
        developers=_companies(game, "developer"),
        publishers=_companies(game, "publisher"),
        description=str(game.get("summary") or "").strip(),
        cover_url=_cover_url(game),
        url=game.get("url"),
    )


def _companies(game: dict[str, Any], role: str) -> tuple[str, ...]:
    involved = game.get("involved_companies", [])
    return tuple(str(entry["company"]["name"]) for entry in involved if entry.get(role))


def _cover_url(game: dict[str, Any]) -> str | None:
    """IGDB's protocol-relative thumbnail made an absolute https URL of the cover size."""
    url = game.get("cover", {}).get("url")
    if not url:
        return None
    absolute = f"https:{url}" if url.startswith("//") else str(url)
    return absolute.replace("/t_thumb/", "/t_cover_big/")


def _utc_date(seconds: int | None) -> date | None:
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC).date()
