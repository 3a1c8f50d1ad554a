"""Steam as a metadata provider (PRODUCT §7): the store's keyless endpoints, and the Web API's
GetAppReviews when the store's review endpoint answers with something other than JSON."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from questrya.common.clock import Clock, SystemClock
from questrya.common.value_objects import GameMetadata, ScoreSnapshot
from questrya.metadata.domain import Candidate, CandidateKind
from questrya.metadata.providers.http import (
    JsonClient,
    NotJsonAnswer,
    Params,
    RecentAnswers,
    html_to_text,
    score_snapshot,
)

STORE_PAGE = "https://store.steampowered.com/app/{appid}"
REVIEWS_QUERY: Params = {"json": 1, "language": "all", "purchase_type": "all", "num_per_page": 0}

# Steam's review_score numbers and their English names; the answer's review_score_desc
# follows the request's language, so it is never shown.
REVIEW_BANDS = {
    1: "Overwhelmingly Negative",
    2: "Very Negative",
    3: "Negative",
    4: "Mostly Negative",
    5: "Mixed",
    6: "Mostly Positive",
    7: "Positive",
    8: "Very Positive",
    9: "Overwhelmingly Positive",
}

# The details' "type" tells what an app is; anything not named here (video, advertising,
# series, episode, hardware, mod…) is "other".
_KIND_BY_TYPE = {
    "game": CandidateKind.GAME,
    "dlc": CandidateKind.DLC,
    "music": CandidateKind.SOUNDTRACK,
    "demo": CandidateKind.DEMO,
    "application": CandidateKind.SOFTWARE,
    "tool": CandidateKind.SOFTWARE,
}

# Store search says "app" for games, DLC, soundtracks and demos alike: the name is a first
# guess, and the details' type decides before anything is applied (matching.decide).
_KIND_BY_NAME = (
    (CandidateKind.SOUNDTRACK, re.compile(r"\b(soundtrack|ost)\b", re.IGNORECASE)),
    (CandidateKind.DEMO, re.compile(r"\b(demo|playtest)\b", re.IGNORECASE)),
    (CandidateKind.DLC, re.compile(r"\b(dlc\d*|season pass|expansion pass)\b", re.IGNORECASE)),
    (CandidateKind.SOFTWARE, re.compile(r"\b(dedicated server|sdk)\b", re.IGNORECASE)),
)

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTHS = {
    spelling: number for number, name in enumerate(_MONTH_NAMES, 1) for spelling in (name, name[:3])
}
_DAY_MONTH_YEAR = re.compile(
    r"(?P<day>\d{1,2}) (?P<month>[a-z]+)\.?,? (?P<year>\d{4})", re.IGNORECASE
)
_MONTH_DAY_YEAR = re.compile(
    r"(?P<month>[a-z]+)\.? (?P<day>\d{1,2}),? (?P<year>\d{4})", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class _Reviews:
    positive: int
    total: int
    review_score: int | None


class SteamProvider:
    """Keyless: the store for search, details and reviews; the Web API for the review fallback."""

    name = "steam"

    def __init__(
        self,
        *,
        store_url: str,
        api_url: str,
        timeout: float,
        rate_limit: float,
        clock: Clock | None = None,
    ) -> None:
        self._store = JsonClient(store_url, timeout=timeout, rate_limit=rate_limit)
        self._api = JsonClient(api_url, timeout=timeout, rate_limit=rate_limit)
        self._apps: RecentAnswers[dict[str, Any] | None] = RecentAnswers()
        self._clock = clock or SystemClock()

    def search(self, title: str) -> list[Candidate]:
        params: Params = {"term": title, "l": "english", "cc": "US"}
        answer = self._store.get("/api/storesearch/", params=params)
        with self._store.reading():
            return [_candidate(item) for item in answer["items"]]

    def details(self, provider_id: str) -> GameMetadata | CandidateKind | None:
        app = self._app(provider_id)
        if app is None:
            return None
        with self._store.reading():
            kind = _KIND_BY_TYPE.get(str(app["type"]), CandidateKind.OTHER)
            return _metadata(app) if kind is CandidateKind.GAME else kind

    def scores(self, provider_id: str) -> ScoreSnapshot | None:
        if not _is_appid(provider_id):
            return None
        reviews = self._reviews(provider_id)
        app = self._app(provider_id)  # the Metacritic score is only in the app's details
        with self._store.reading():
            critic = int(app["metacritic"]["score"]) if app and "metacritic" in app else None
        return score_snapshot(
            self._clock.now(),
            user_score=reviews.positive / reviews.total * 100 if reviews.total else None,
            user_votes=reviews.total,
            critic_score=critic,
            label=review_band(reviews.positive, reviews.total, reviews.review_score),
        )

    def _app(self, appid: str) -> dict[str, Any] | None:
        """The app's details, or None when Steam has no such app (HTTP 200, success false).
        The scores need them too (Metacritic): one answer serves both."""
        if not _is_appid(appid):
            return None
        return self._apps.get(appid, lambda: self._fetch_app(appid))

    def _fetch_app(self, appid: str) -> dict[str, Any] | None:
        answer = self._store.get("/api/appdetails", params={"appids": appid, "l": "english"})
        with self._store.reading():
            entry = answer[appid]
            return dict(entry["data"]) if entry["success"] else None

    def _reviews(self, appid: str) -> _Reviews:
        try:  # an HTML page here will not turn into JSON by asking again: fall back at once
            return _read_reviews(
                self._store, f"/appreviews/{appid}", REVIEWS_QUERY, retry_not_json=False
            )
        except NotJsonAnswer:
            path = "/IUserReviewsService/GetAppReviews/v1/"
            return _read_reviews(self._api, path, {"appid": appid})


def _read_reviews(
    client: JsonClient, path: str, params: Params, *, retry_not_json: bool = True
) -> _Reviews:
    answer = client.get(path, params=params, retry_not_json=retry_not_json)
    with client.reading():
        summary = answer.get("response", answer)["query_summary"]  # the Web API wraps it
        return _Reviews(
            positive=int(summary["total_positive"]),
            total=int(summary["total_reviews"]),
            review_score=summary.get("review_score"),
        )


def review_band(positive: int, total: int, review_score: int | None = None) -> str | None:
    """The English name of Steam's ``review_score`` when the answer has one; else of the band
    the store would give: from the share of positive reviews and their count."""
    number = _band_number(positive, total) if review_score is None else review_score
    return None if number is None else REVIEW_BANDS.get(number)


def _band_number(positive: int, total: int) -> int | None:
    if total < 10:  # the store shows "N user reviews" and no band
        return None
    share = positive / total
    if share >= 0.8:
        if share >= 0.95 and total >= 500:
            return 9
        return 8 if total >= 50 else 7
    if share >= 0.7:
        return 6
    if share >= 0.4:
        return 5
    if share >= 0.2:
        return 4
    if total >= 500:
        return 1
    return 2 if total >= 50 else 3


def parse_release_date(text: str) -> date | None:
    """Steam's English release date when it names a day ("9 Jul, 2013", "Jul 9, 2013"); a
    month, quarter or year alone ("Q3 2024", "2024") or "Coming soon" is no date."""
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        match = pattern.fullmatch(text.strip())
        month = _MONTHS.get(match["month"].lower()) if match else None
        if match and month:
            try:
                return date(int(match["year"]), month, int(match["day"]))
            except ValueError:  # "31 Feb, 2024"
                return None
    return None


def _is_appid(provider_id: str) -> bool:
    return provider_id.isascii() and provider_id.isdigit()


def _candidate(item: dict[str, Any]) -> Candidate:
    name = str(item["name"])
    return Candidate(
        provider="steam",
        provider_id=str(item["id"]),
        title=name,
        kind=_kind_by_name(name) if item["type"] == "app" else CandidateKind.OTHER,
    )


def _kind_by_name(name: str) -> CandidateKind:
    for kind, pattern in _KIND_BY_NAME:
        if pattern.search(name):
            return kind
    return CandidateKind.GAME


def _metadata(app: dict[str, Any]) -> GameMetadata:
    appid = str(app["steam_appid"])
    description = app.get("about_the_game") or app.get("short_description") or ""
    return GameMetadata(
        provider="steam",
        provider_id=appid,
        title=str(app["name"]),
        release_date=parse_release_date(app.get("release_date", {}).get("date", "")),
        genres=tuple(str(genre["description"]) for genre in app.get("genres", [])),
        developers=tuple(str(name) for name in app.get("developers", [])),
        publishers=tuple(str(name) for name in app.get("publishers", [])),
        description=html_to_text(description),
        cover_url=app.get("header_image") or None,
        url=STORE_PAGE.format(appid=appid),
    )
