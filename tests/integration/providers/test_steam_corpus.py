"""Matching measured on real Steam names (PRODUCT §7, "Matching"): no wrong game, ever, and
titles typed the way players type them are applied.

``tests/fixtures/steam_apps.csv`` holds games, editions and the DLC, soundtracks, demos, videos
and servers beside them, as Steam names them. A loopback Steam answers the real adapter from
it: its store search gives up to ten apps sharing the term's words, games and the rest mixed,
every one of them typed "app" as the real search does; its appdetails give each app's real
type. Each title a player might type goes through `SteamProvider.search`, then
`matching.decide` with `SteamProvider.details`, as a fetch does.

A game applied is right when it is the one typed or another edition of it (the file's
``edition_of``; for a DLC, the game it upgrades to an edition); any other game applied is
wrong.
"""

import csv
import json
import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from questrya.metadata.matching import Decision, decide
from questrya.metadata.providers.steam import SteamProvider
from tests.integration.providers.conftest import FAST, TIMEOUT, FixedClock

CORPUS = Path(__file__).parents[2] / "fixtures" / "steam_apps.csv"
SEARCH_LIMIT = 10
APPLIED_AT_LEAST = 0.90

# What the groups below take away or swap, written here rather than taken from the matcher:
# the words a player leaves out are named by hand, some that the matcher does not know too.
_NAMING_AN_EDITION = (
    r"game of the year|goty|gold|complete|digital deluxe|deluxe|definitive|enhanced|special"
    r"|steam special|ultimate|platinum|premium|legendary|anniversary|extended|emperor|maximum"
    r"|reloaded|windows|fortune's|n7 digital deluxe|director's cut"
)
_EDITION_ALONE = (
    r"game of the year|goty|gold|complete|deluxe|platinum|definitive|enhanced|remastered|redux"
    r"|hd|director's cut|final cut"
)
_EDITION_SUFFIX = re.compile(
    rf"(?:\s*[-\u2013:]\s*|\s+)(?:the\s+)?"
    rf"(?:(?:{_NAMING_AN_EDITION})\s+edition|{_EDITION_ALONE})$",
    re.IGNORECASE,
)
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII"]
_NUMERAL = re.compile(r"(?<![\w-])(" + "|".join(_ROMAN) + r"|1[0-3]|[1-9])(?![\w-])")


@dataclass(frozen=True)
class App:
    appid: str
    name: str
    type: str
    edition_of: str

    @property
    def words(self) -> frozenset[str]:
        return _search_words(self.name)


class Corpus:
    def __init__(self, apps: list[App]) -> None:
        self.apps = apps
        self.by_id = {app.appid: app for app in apps}
        self.games = [app for app in apps if app.type == "game"]
        counts = Counter(word for app in apps for word in app.words)
        self._weight = {word: math.log(len(apps) / count) for word, count in counts.items()}

    def family(self, app: App) -> set[str]:
        """The app and every edition of the same game."""
        root = app.edition_of or app.appid
        return {a.appid for a in self.games if (a.edition_of or a.appid) == root}

    def search(self, term: str) -> list[App]:
        """Up to ten apps sharing at least half of the term's words, ranked as a search
        engine would: the rarer words shared weigh more, then the fewer words the name has
        beyond the term's, then the older app."""
        words = _search_words(term)
        found = [
            (sum(self._weight[word] for word in words & app.words), len(app.words - words), app)
            for app in self.apps
            if 2 * len(words & app.words) >= len(words) > 0
        ]
        found.sort(key=lambda scored: (-scored[0], scored[1], int(scored[2].appid)))
        return [app for _, _, app in found[:SEARCH_LIMIT]]


def _search_words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", text.casefold())) - {"the"}


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    with CORPUS.open(encoding="utf-8", newline="") as file:
        return Corpus([App(**row) for row in csv.DictReader(file)])


@pytest.fixture
def loopback_steam(server: HTTPServer, corpus: Corpus, base_url: str) -> SteamProvider:
    def search(request: Request) -> Response:
        found = corpus.search(request.args["term"])
        items = [{"type": "app", "name": app.name, "id": int(app.appid)} for app in found]
        return _json({"total": len(items), "items": items})

    def details(request: Request) -> Response:
        app = corpus.by_id.get(request.args["appids"])
        if app is None:
            return _json({request.args["appids"]: {"success": False}})
        data = {"type": app.type, "name": app.name, "steam_appid": int(app.appid)}
        return _json({app.appid: {"success": True, "data": data}})

    server.expect_request("/api/storesearch/").respond_with_handler(search)
    server.expect_request("/api/appdetails").respond_with_handler(details)
    return SteamProvider(
        store_url=base_url, api_url=base_url, timeout=TIMEOUT, rate_limit=FAST, clock=FixedClock()
    )


def _json(answer: object) -> Response:
    return Response(json.dumps(answer), content_type="application/json; charset=utf-8")


# --- the titles players type ------------------------------------------------------------------


def exactly(app: App) -> str | None:
    return app.name


def without_the(app: App) -> str | None:
    return app.name[4:] if app.name.startswith("The ") else None


def numerals_swapped(app: App) -> str | None:
    """Roman for arabic or back ("FINAL FANTASY VII" → "FINAL FANTASY 7"), when the name
    has exactly one numeral."""
    found = _NUMERAL.findall(app.name)
    if len(found) != 1:
        return None
    numeral = found[0]
    swapped = str(_ROMAN.index(numeral) + 1) if numeral in _ROMAN else _ROMAN[int(numeral) - 1]
    return _NUMERAL.sub(swapped, app.name)


def without_edition_words(app: App) -> str | None:
    """The name without its edition ("Fallout 3: Game of the Year Edition" → "Fallout 3")."""
    name = re.sub(r"\s*\(\d{4}\)$", "", app.name.replace("™", ""))
    stripped = name
    while _EDITION_SUFFIX.search(stripped):
        stripped = _EDITION_SUFFIX.sub("", stripped)
    return stripped if stripped != name else None


GROUPS: dict[str, Callable[[App], str | None]] = {
    "exactly": exactly,
    "without The": without_the,
    "numerals swapped": numerals_swapped,
    "without edition words": without_edition_words,
}


@dataclass
class Figures:
    typed: int = 0
    applied: int = 0
    wrong: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.applied / self.typed if self.typed else 0.0

    def __str__(self) -> str:
        return f"{self.applied}/{self.typed} applied ({self.share:.0%}), {len(self.wrong)} wrong"


def measure(steam: SteamProvider, corpus: Corpus, typing: Callable[[App], str | None]) -> Figures:
    figures = Figures()
    names = {app.name.casefold(): app for app in corpus.games}
    for app in corpus.games:
        typed = typing(app)
        other = names.get(typed.casefold()) if typed else None
        if typed is None or (other is not None and other.appid not in corpus.family(app)):
            continue  # nothing to type, or the exact name of another game: measured as that one
        found = decide(typed, steam.search(typed), steam.details)
        figures.typed += 1
        if found.decision is Decision.APPLIED and found.metadata is not None:
            figures.applied += 1
            if found.metadata.provider_id not in corpus.family(app):
                figures.wrong.append(f"{typed!r} → {found.metadata.title!r}")
    return figures


def test_the_corpus_is_games_and_the_apps_around_them(corpus: Corpus) -> None:
    types = {app.type for app in corpus.apps}
    assert len(corpus.games) >= 300
    assert len(corpus.apps) - len(corpus.games) >= 200
    assert types == {"game", "dlc", "music", "demo", "video", "application"}
    assert all(corpus.by_id[app.edition_of].type == "game" for app in corpus.apps if app.edition_of)
    assert len({app.name for app in corpus.apps}) == len(corpus.apps)


@pytest.mark.parametrize("group", GROUPS)
def test_no_wrong_game_and_natural_typing_is_applied(
    loopback_steam: SteamProvider, corpus: Corpus, group: str
) -> None:
    figures = measure(loopback_steam, corpus, GROUPS[group])
    print(f"{group}: {figures}")

    assert figures.typed >= 40
    assert figures.wrong == []
    if group != "exactly":  # typed exactly, two games of the same name stay ambiguous
        assert figures.share >= APPLIED_AT_LEAST, str(figures)


def test_what_is_not_a_game_is_never_applied_even_typed_word_for_word(
    loopback_steam: SteamProvider, corpus: Corpus
) -> None:
    others = [app for app in corpus.apps if app.type != "game"]
    applied = {}
    for app in others:
        found = decide(app.name, loopback_steam.search(app.name), loopback_steam.details)
        if found.metadata is not None:
            applied[app.appid] = found.metadata.provider_id
    print(f"not games: {len(applied)}/{len(others)} applied a game")

    # Only a DLC that upgrades a game to an edition may bring that game.
    assert applied == {
        appid: corpus.by_id[appid].edition_of for appid in applied if corpus.by_id[appid].edition_of
    }
