"""The life of each game in a generated backlog, played through the program's own domain.

Every change goes through `Game` and `GameFetch` as the services make it (add, start, hold,
complete, abandon, rate, edit, remove; the worker's fetch), and is kept as the event the
service would record, so the rows written mean what the program's rows mean: folded titles,
platform keys, dates in order (release ≤ started ≤ completed ≤ today), the fetch state, the
metadata and dated scores.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

import titles

from questrya.common.events import EventKind, changed_fields
from questrya.common.value_objects import (
    GameMetadata,
    GameRating,
    MetadataStatus,
    Platform,
    ScoreSnapshot,
)
from questrya.games.domain import CompletionLevel, Game, GameStatus, new_game
from questrya.metadata.domain import Candidate, CandidateKind, FetchPolicy, GameFetch, Offer
from questrya.metadata.providers.http import score_snapshot
from questrya.metadata.providers.steam import STORE_PAGE, review_band

STATUSES = {
    GameStatus.NOT_STARTED: 50,
    GameStatus.PLAYING: 6,
    GameStatus.ON_HOLD: 10,
    GameStatus.COMPLETED: 26,
    GameStatus.ABANDONED: 8,
}
# What the worker made of each game; `pending` ones wait for a worker that has not run yet.
FETCH_OUTCOMES = {
    MetadataStatus.FETCHED: 62,
    MetadataStatus.SKIPPED: 15,
    MetadataStatus.NOT_FOUND: 9,
    MetadataStatus.AMBIGUOUS: 6,
    MetadataStatus.FAILED: 4,
    MetadataStatus.PENDING: 4,
}
TAGS = (
    "coop", "indie", "rpg", "metroidvania", "roguelike", "jrpg", "short", "multiplayer",
    "story", "puzzle", "strategy", "horror", "platformer", "open-world", "retro", "vr",
    "backlog-2024", "gift", "physical", "couch.coop", "100pct", "c++",
)  # fmt: skip
GENRES = (
    "Action", "Adventure", "Indie", "RPG", "Strategy", "Simulation", "Casual", "Racing",
    "Sports", "Puzzle", "Platformer", "Shooter", "Early Access", "Massively Multiplayer",
)  # fmt: skip
STUDIO_WORDS = ("Games", "Studio", "Interactive", "Works", "Softworks", "Entertainment", "Labs")
NOTES = (
    "Borrowed from a friend.",
    "Play with the DLC after the main story.",
    "Stuck on the second boss — try again with a shield build.",
    "Bought in the summer sale.\nLooks great on the Deck.",
    "Recommended by the podcast; 12 h to beat.",
)
MAX_AGE = timedelta(days=6 * 365)
FETCH_WITHIN = timedelta(minutes=30)  # a worker fetches a new game soon after its add
PLAYER_AFTER = timedelta(hours=1)  # the player's own changes come later
RETRY_REASON = "store.steampowered.com answered HTTP 503"

T = TypeVar("T")
Step = Callable[[Game, datetime], None]  # one player's command, made at that time


@dataclass(frozen=True)
class Event:
    """One recorded change, as the service records it: one command makes one change."""

    at: datetime
    game_id: int
    kind: EventKind
    before: dict[str, Any] | None
    after: dict[str, Any] | None


@dataclass
class Story:
    """One game at the end of its life so far, with everything recorded on the way."""

    game: Game
    fetch: GameFetch
    fetched_at: datetime | None = None
    scores: list[ScoreSnapshot] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


class Backlog:
    """Tells the stories of one profile's games, every title unique on its platform."""

    def __init__(self, owner_id: int, now: datetime, seed: int = 9) -> None:
        self._owner_id = owner_id
        self._now = now
        self._rng = random.Random(seed)
        self._taken: set[tuple[str, str]] = set()

    def stories(self, count: int) -> Iterator[Story]:
        for game_id in range(1, count + 1):
            yield self._story(game_id)

    def _story(self, game_id: int) -> Story:
        rng = self._rng
        added_at = self._now - PLAYER_AFTER - MAX_AGE * rng.random()
        outcome, status = _weighted(rng, FETCH_OUTCOMES), _weighted(rng, STATUSES)
        game = self._new_game(
            game_id, added_at, status, fetch=outcome is not MetadataStatus.SKIPPED
        )
        story = Story(game, GameFetch(game_id, self._owner_id, game.title, game.metadata_status))
        story.events.append(Event(added_at, game_id, EventKind.ADD, None, game.snapshot()))
        self._fetch(story, outcome, added_at + FETCH_WITHIN * rng.random())
        steps = self._steps(status)
        for (kind, step), at in zip(steps, self._moments(added_at, len(steps)), strict=True):
            _record(story, kind, at, step)
        return story

    def _moments(
        self, since: datetime, count: int, after: timedelta = PLAYER_AFTER
    ) -> list[datetime]:
        """``count`` times in order from ``after`` past ``since`` until now."""
        first = since + after
        return sorted(first + (self._now - first) * self._rng.random() for _ in range(count))

    def _new_game(
        self, game_id: int, added_at: datetime, status: GameStatus, *, fetch: bool
    ) -> Game:
        """The game as `games add` makes it; only a game never started may be wishlisted."""
        rng = self._rng
        wishlist = status is GameStatus.NOT_STARTED and rng.random() < 0.15
        while True:
            released = added_at.date() - timedelta(days=rng.randrange(0, 15 * 365))
            game = new_game(
                self._owner_id,
                titles.title(rng),
                Platform(titles.platform(rng)),
                added_at,
                added_at.date(),
                release_date=released if rng.random() < 0.15 else None,
                tags=rng.sample(TAGS, rng.choice((0, 0, 1, 1, 2, 3))),
                wishlist=wishlist,
                notes=rng.choice(NOTES) if rng.random() < 0.05 else "",
                fetch_metadata=fetch,
            )
            key = (game.title_key, game.platform.key)  # the duplicate rule
            if key not in self._taken:
                self._taken.add(key)
                game.id = game_id
                return game

    def _steps(self, status: GameStatus) -> list[tuple[EventKind, Step]]:
        """The player's commands that lead a new game to ``status``, then perhaps a new
        rating, an edit or a removal."""
        rng = self._rng
        steps: list[tuple[EventKind, Step]] = []
        if status is not GameStatus.NOT_STARTED:
            steps.append((EventKind.START, lambda game, at: game.start(at.date())))
        if status is GameStatus.ON_HOLD or (status is GameStatus.ABANDONED and rng.random() < 0.3):
            steps.append((EventKind.HOLD, lambda game, _: game.hold()))
        if status is GameStatus.COMPLETED:
            steps.append((EventKind.COMPLETE, self._complete()))
            if rng.random() < 0.2:
                steps.append((EventKind.RATE, _rate(rng.randint(1, 10))))
        if status is GameStatus.ABANDONED:
            steps.append((EventKind.ABANDON, lambda game, _: game.abandon()))
        if rng.random() < 0.1:
            steps.append((EventKind.EDIT, self._edit()))
        if rng.random() < 0.01:
            steps.append((EventKind.REMOVE, _remove))
        return steps

    def _complete(self) -> Step:
        rng = self._rng
        level = rng.choice((None, None, *CompletionLevel))
        score = rng.choices(range(1, 11), (1, 1, 2, 3, 5, 8, 12, 12, 8, 4))[0]
        rating = GameRating(score) if rng.random() < 0.8 else None
        return lambda game, at: game.complete(at.date(), level=level, rating=rating)

    def _edit(self) -> Step:
        tag, notes = self._rng.choice(TAGS), self._rng.choice(NOTES)
        if self._rng.random() < 0.5:
            return lambda game, _: game.tag([tag])
        return lambda game, _: game.set_notes(notes)

    # --- the worker's side ---------------------------------------------------------------

    def _fetch(self, story: Story, outcome: MetadataStatus, at: datetime) -> None:
        """The worker's fetch of a new game, ending in ``outcome``, and its event."""
        fetch, policy = story.fetch, FetchPolicy()
        if outcome in (MetadataStatus.SKIPPED, MetadataStatus.PENDING):
            return
        before = fetch.visible()
        fetch.claim(at, policy)
        if outcome is MetadataStatus.FETCHED:
            appid = self._rng.randrange(10_000, 3_500_000)
            story.scores = self._scores(at)
            first = story.scores[0] if story.scores else None
            fetch.apply(self._metadata(story.game, appid), first, at)
            story.fetched_at = at
        elif outcome is MetadataStatus.AMBIGUOUS:
            fetch.offer(self._offers(story.game))
        elif outcome is MetadataStatus.NOT_FOUND:
            fetch.not_found()
        else:  # failed: every attempt answered with a temporary error
            while (due := fetch.retry_later(RETRY_REASON, at, policy, None)) is not None:
                at = due
                fetch.claim(at, policy)
        before, after = changed_fields(before, fetch.visible())
        story.events.append(Event(at, fetch.game_id, EventKind.METADATA, before, after))

    def _metadata(self, game: Game, appid: int) -> GameMetadata:
        rng = self._rng
        added = game.added_at.date()
        early_access = added + timedelta(days=rng.randrange(1, 400))  # after a player's dates
        released = game.release_date or added - timedelta(days=rng.randrange(0, 15 * 365))
        studio = f"{rng.choice(titles.ADJECTIVES)} {rng.choice(STUDIO_WORDS)}"
        return GameMetadata(
            provider="steam",
            provider_id=str(appid),
            title=game.title,
            release_date=early_access if rng.random() < 0.04 else released,
            genres=tuple(rng.sample(GENRES, rng.randint(1, 4))),
            developers=(studio,),
            publishers=(
                studio if rng.random() < 0.5 else f"{rng.choice(titles.NOUNS)} Publishing",
            ),
            description=_description(rng, game.title),
            cover_url=f"https://shared.steamstatic.com/store_item_assets/steam/apps/{appid}/header.jpg",
            url=STORE_PAGE.format(appid=appid),
        )

    def _scores(self, first: datetime) -> list[ScoreSnapshot]:
        """The snapshot of the fetch, then those of the score refreshes since: more votes
        each time, about the same share of them positive."""
        rng = self._rng
        votes, share = int(rng.lognormvariate(5.5, 2.2)), rng.betavariate(7, 2)
        critic = rng.randint(42, 97) if rng.random() < 0.35 else None
        snapshots = []
        for at in (first, *self._moments(first, rng.randint(0, 3), after=timedelta(0))):
            positive = round(votes * share)
            snapshot = score_snapshot(
                at,
                user_score=positive / votes * 100 if votes else None,
                user_votes=votes,
                critic_score=critic,
                label=review_band(positive, votes),
            )
            snapshots += [snapshot] if snapshot else []
            votes += int(votes * rng.random() * 0.2)
            share = min(1.0, max(0.0, share + rng.gauss(0, 0.01)))
        return snapshots

    def _offers(self, game: Game) -> tuple[Offer, ...]:
        rng = self._rng
        variants = (
            (game.title, CandidateKind.GAME),
            (f"{game.title}: Deluxe Edition", CandidateKind.GAME),
            (f"{game.title} Soundtrack", CandidateKind.SOUNDTRACK),
            (f"{game.title} Demo", CandidateKind.DEMO),
        )
        chosen = rng.sample(variants, rng.randint(2, 4))
        return tuple(
            Offer(
                Candidate("steam", str(rng.randrange(10_000, 3_500_000)), title, kind),
                similarity=rng.uniform(0.6, 0.97),
            )
            for title, kind in chosen
        )


def _record(story: Story, kind: EventKind, at: datetime, step: Step) -> None:
    """Make one command's change at ``at`` and keep its event, as `GameService` does: a
    removal keeps the whole game before it; a change keeps the fields it changed, or
    nothing when it changed none."""
    game = story.game
    before = game.snapshot()
    step(game, at)
    if kind is EventKind.REMOVE:
        story.events.append(Event(at, _id(game), kind, before, None))
        return
    before, after = changed_fields(before, game.snapshot())
    if after:
        game.updated_at = at
        story.events.append(Event(at, _id(game), kind, before, after))


def _remove(game: Game, at: datetime) -> None:
    game.removed_at = at  # what the repository's `remove` does: the row stays


def _rate(score: int) -> Step:
    return lambda game, _: game.rate(GameRating(score))


def _id(game: Game) -> int:
    assert game.id is not None
    return game.id


def _weighted(rng: random.Random, weights: dict[T, int]) -> T:
    return rng.choices(list(weights), list(weights.values()))[0]


def _description(rng: random.Random, title: str) -> str:
    sentences = (
        f"{title} is a hand-crafted adventure through the"
        f" {rng.choice(titles.ADJECTIVES).lower()} lands of {rng.choice(titles.PLACES)}.",
        "Explore a vast interconnected map, uncover its secrets and face over forty bosses.",
        "Build your own play style from hundreds of skills, charms and weapons.",
        "Play alone or with up to three friends in online and local co-op.",
        "Features a full orchestral soundtrack and a story of about thirty hours.",
    )
    return " ".join(sentences[: rng.randint(2, len(sentences))])
