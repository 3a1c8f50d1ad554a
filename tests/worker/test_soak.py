"""A whole library through a faulty Steam, as an import of thousands of games will bring it:
2,000 games, `questrya worker --workers 4`, 429s with Retry-After (short and long), 500s,
slow answers and resets; the player renames, picks and refreshes games meanwhile; the worker
is killed with `kill -9` half-way and started again.

At the end every game is `fetched`, `not_found`, `ambiguous` or `failed` with a reason, none
`pending`; no game was fetched by two tasks at once (the workers' start and end lines; the
killed run's open fetches end at the kill); the queue, sampled every half second, never held
two fetch tasks of one game, waiting or scheduled; every pick the player made is applied.
"""

import json
import signal
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from huey.serializer import Serializer

from questrya.factory import Container
from questrya.games.service import GameService
from tests.worker.conftest import (
    DOTA_APPID,
    Cli,
    FakeSteam,
    Fault,
    RunningWorker,
    assert_nothing_lost,
    fetch_spans,
    overlapping,
)

pytestmark = [pytest.mark.slow, pytest.mark.embedded]  # SQLite's files under faults

GAMES = 2000
SOAK = {  # fast: no pacing to speak of, quick retries, short timeouts
    "QUESTRYA_RATE_LIMIT": "2000",
    "QUESTRYA_RETRY_DELAY": "1",
    "QUESTRYA_MAX_ATTEMPTS": "4",
    "QUESTRYA_HTTP_TIMEOUT": "1",
}
LONG_WAIT = "12"  # a Retry-After the worker does not wait inline: the retry is scheduled
HELD = 1.5  # seconds a few answers take
ACTIONS = 8  # renames, picks and refreshes, each, before the kill and again after it
DEADLINE = 170.0  # seconds for the whole run, set-up included


@dataclass
class Library:
    """The games, what Steam does with each, and the outcome each must end with."""

    titles: list[str] = field(default_factory=list)
    expected: dict[str, str] = field(default_factory=dict)  # by title: metadata_status
    plain: list[str] = field(default_factory=list)  # titles fetched without trouble
    dlc: list[str] = field(default_factory=list)  # titles only a DLC answers: ambiguous
    slow: list[str] = field(default_factory=list)  # titles whose details take HELD seconds


def stock(steam: FakeSteam) -> Library:
    """Every 50 games: one not on Steam, one answered by a DLC only, a 429 with a short
    Retry-After, a 500 then a success, a reset, a slow answer, a slow search, a failed
    review; every 100, a 429 with a long Retry-After; every 400, a server that keeps failing."""
    library = Library()
    for number in range(GAMES):
        title, appid = f"Soak Quest {number:04d}", str(700_000 + number)
        library.titles.append(title)
        kind = number % 50
        if kind == 8:
            library.expected[title] = "not_found"
            continue
        steam.list_game(title, appid, details={"type": "dlc"} if kind == 9 else None)
        if kind == 9:
            library.expected[title] = "ambiguous"
            library.dlc.append(title)
            continue
        library.expected[title] = "fetched"
        fault = _fault(number)
        if fault is not None:
            route, how = fault
            steam.fail(route, how, key=title if route == "search" else appid)
        if number % 400 == 7:
            steam.fail("details", Fault("500"), key=appid)
            library.expected[title] = "failed"
        elif fault is None:
            library.plain.append(title)
        elif number % 200 == 12:
            library.slow.append(title)
    return library


def _fault(number: int) -> tuple[Any, Fault] | None:
    if number % 100 == 2:
        return "details", Fault("429", times=1, retry_after=LONG_WAIT)
    if number % 200 == 12:  # long enough for the player to act while it is fetched
        return "details", Fault("slow", times=1, seconds=HELD)
    return {
        1: ("details", Fault("429", times=1, retry_after="0.2")),
        3: ("details", Fault("500", times=1)),
        4: ("details", Fault("reset", times=1)),
        5: ("details", Fault("slow", times=1, seconds=0.2)),
        6: ("search", Fault("slow", times=1, seconds=0.1)),
        10: ("reviews", Fault("500", times=1)),
    }.get(number % 50)


def add_library(cli: Cli, titles: list[str]) -> dict[str, int]:
    """Add every game as `games add` does (its fetch queued), in this process: quick."""
    container = Container()
    try:
        service = container.build(GameService)
        assert isinstance(service, GameService)
        ids = {title: service.add(title, "pc").id or 0 for title in titles}
    finally:
        container.close()
    cli.added = {game["id"]: game for game in cli.games()}
    return ids


class QueueWatch:
    """Samples the queue file every half second: fetch tasks per game, waiting and scheduled
    read in one snapshot; a revoked task (replaced by a sooner one) is discarded unrun."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._serializer = Serializer()
        self._stop = threading.Event()
        self.samples = 0
        self.most = Counter[int]()  # by game: the most tasks ever seen at once
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(10)

    def doubled(self) -> dict[int, int]:
        return {game: most for game, most in self.most.items() if most > 1}

    def _watch(self) -> None:
        while not self._stop.wait(0.5):
            try:
                held = self._sample()
            except sqlite3.OperationalError:  # busy for longer than the timeout: next time
                continue
            self.samples += 1
            for game, count in held.items():
                self.most[game] = max(self.most[game], count)

    def _sample(self) -> Counter[int]:
        uri = f"file:{self._path}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=5, isolation_level=None)) as db:
            db.execute("BEGIN")  # one snapshot: a task moving between the two tables counts once
            rows = db.execute("SELECT data FROM task UNION ALL SELECT data FROM schedule")
            messages = [self._serializer.deserialize(bytes(data)) for (data,) in rows]
            revoked = {key for (key,) in db.execute("SELECT key FROM kv WHERE key LIKE 'r:%'")}
            db.execute("COMMIT")
        return Counter(
            message.args[0]
            for message in messages
            if message.name == "questrya.fetch_game_metadata" and f"r:{message.id}" not in revoked
        )


@contextmanager
def watching(path: Path) -> Iterator[QueueWatch]:
    watch = QueueWatch(path)
    watch.start()
    try:
        yield watch
    finally:
        watch.stop()


def statuses(home: Path) -> Counter[str]:
    uri = f"file:{home / 'questrya.db'}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=15)) as db:
        query = "SELECT metadata_status, count(*) FROM games GROUP BY metadata_status"
        return Counter(dict(db.execute(query).fetchall()))


def being_fetched(home: Path) -> list[int]:
    """The games a fetch holds now: their lease runs (stored as UTC)."""
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(sep=" ")
    uri = f"file:{home / 'questrya.db'}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=15)) as db:
        query = "SELECT id FROM games WHERE fetch_lease_until > ? ORDER BY id"
        return [game_id for (game_id,) in db.execute(query, (now,))]


def wait_until(check: Callable[[Counter[str]], bool], home: Path, until: float) -> None:
    while not check(statuses(home)):
        assert time.monotonic() < until, f"the soak ran out of time: {statuses(home)}"
        time.sleep(0.25)


@dataclass
class Player:
    """What the player does while the worker runs, through the real commands: on games
    waiting or done, and on games being fetched at that very moment."""

    cli: Cli
    steam: FakeSteam
    slow: set[int]  # the games whose answer takes HELD seconds
    picked: dict[int, str] = field(default_factory=dict)  # game id: the provider id picked
    acted_on: set[int] = field(default_factory=set)

    def rename(self, game_ids: list[int]) -> None:
        for game_id in game_ids:
            new_title = f"{self.cli.added[game_id]['title']} Redux"
            self.steam.list_game(new_title, str(800_000 + game_id))
            self.cli.arrange("games", "edit", str(game_id), "--title", new_title)
            self.cli.added[game_id]["title"] = new_title

    def pick(self, game_ids: list[int]) -> None:
        for game_id in game_ids:
            self.cli.arrange("games", "match", str(game_id), "--id", f"steam:{DOTA_APPID}")
            self.picked[game_id] = DOTA_APPID

    def refresh(self, game_ids: list[int]) -> None:
        self.cli.arrange("games", "refresh", *map(str, game_ids))

    def act(self, renamed: list[int], picked: list[int], refreshed: list[int]) -> None:
        """Rename, pick and refresh games in whatever state; then pick one game and refresh
        another while each is being fetched."""
        self.rename(renamed)
        self.pick(picked)
        self.refresh(refreshed)
        self.pick([self.one_being_fetched()])
        self.refresh([self.one_being_fetched()])

    def one_being_fetched(self) -> int:
        """A game with a slow answer, once a fetch holds it: acted on only once."""
        deadline = time.monotonic() + 30
        while not (held := set(being_fetched(self.cli.home)) & self.slow - self.acted_on):
            assert time.monotonic() < deadline, "no slow game was ever seen being fetched"
            time.sleep(0.02)
        game_id = min(held)
        self.acted_on.add(game_id)
        return game_id


def test_a_library_of_2000_games_through_faults_a_kill_and_the_players_changes(
    cli: Cli, steam: FakeSteam
) -> None:
    started = time.monotonic()
    until = started + DEADLINE
    cli.env.update(SOAK)
    library = stock(steam)
    ids = add_library(cli, library.titles)
    player = Player(cli, steam, {ids[title] for title in library.slow})
    renamed = [ids[title] for title in library.plain[::4][: 2 * ACTIONS]]
    refreshed = [ids[title] for title in library.plain[1::4][: 2 * ACTIONS]]
    picks = [ids[title] for title in library.dlc[: 2 * ACTIONS]]
    workers: list[RunningWorker] = []

    with watching(cli.home / "queue.db") as watch:
        workers.append(cli.start_worker("--workers", "4", "--no-periodic"))
        wait_until(lambda done: done["pending"] <= GAMES * 3 // 4, cli.home, until)
        player.act(renamed[:ACTIONS], picks[:ACTIONS], refreshed[:ACTIONS])
        wait_until(lambda done: done["pending"] <= GAMES // 2, cli.home, until)
        workers[0].process.kill()  # kill -9, half-way
        killed_at = time.time()
        workers[0].wait(10)

        workers.append(cli.start_worker("--workers", "4", "--no-periodic"))
        workers[1].wait_for_log("worker started", timeout=30)  # the dead worker's leases freed
        player.act(renamed[ACTIONS:], picks[ACTIONS:], refreshed[ACTIONS:])
        wait_until(lambda done: done["pending"] == 0, cli.home, until)
        workers[1].send(signal.SIGTERM)
        assert workers[1].wait(20) == 0
    seconds = time.monotonic() - started

    expected = {ids[title]: status for title, status in library.expected.items()}
    expected |= dict.fromkeys(player.picked, "fetched")
    shown = assert_nothing_lost(cli, expected)  # none pending; failed ones with a reason
    for game_id, provider_id in player.picked.items():
        assert shown[game_id]["metadata"]["provider_id"] == provider_id, "a pick was lost"
    for title in library.titles:
        if library.expected[title] == "failed":
            assert "500" in shown[ids[title]]["metadata_error"]
    logs = workers[0].log() + workers[1].log()
    restarted = logs.count("outcome=restarted")
    assert restarted >= 4, "a pick or a refresh while a fetch ran did not wait for it"
    spans = fetch_spans(workers[0].log(), killed_at) + fetch_spans(workers[1].log())
    assert overlapping(spans) == []
    assert watch.samples >= seconds // 2, "the queue was hardly sampled"
    assert watch.doubled() == {}
    asked = sum(steam.hits(route) for route in ("search", "details", "reviews", "legacy_reviews"))
    print(
        f"\nsoak: {GAMES} games in {seconds:.1f} s; {asked} requests to Steam,"
        f" {asked / GAMES:.2f} a game; {len(spans)} fetches, {restarted} restarted as the player"
        f" asked while they ran; {watch.samples} queue samples;"
        f" outcomes {json.dumps(dict(Counter(g['metadata_status'] for g in shown.values())))}"
    )
