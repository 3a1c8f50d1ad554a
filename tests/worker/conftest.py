"""The worker end to end: a loopback Steam with faults, and the installed command as processes.

`FakeSteam` is a stdlib HTTP server in a thread that answers Steam's store and Web API paths
with the recorded answers of ``tests/fixtures/providers``, byte for byte (a missing one fails
the test). Games the fixtures do not cover are made up from the Dota 2 answer with their own
appid and name. Any route can be made to fail (429, 500, an HTML page,
invalid JSON, a body over 5 MB, a reset, a slow answer, a drip), for its first N requests or
for good; every request is counted.

`Cli` runs `questrya …` as separate processes on the test's data folder and that server. A
worker's stderr goes to a file (an undrained pipe stalls a consumer), every wait is bounded,
and every worker still running is killed when the test ends.
"""

import json
import os
import re
import socket
import sqlite3
import struct
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import ExitStack, closing
from dataclasses import dataclass, replace
from datetime import datetime
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from questrya.cli import app
from questrya.orm.database import open_engine
from tests.backends import backend_settings
from tests.conftest import BACKEND, QUESTRYA

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = REPO_ROOT / "tests" / "fixtures" / "providers"
JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=UTF-8"
MAX_ANSWER_BYTES = 5 * 1024 * 1024  # PRODUCT §7: a response over 5 MB is refused

DOTA_APPID = "570"
DLC_APPID = "874343"
CRISIS_CORE_APPID = "1608070"
DLC_NAME = "SOULCALIBUR VI - DLC5: Character Creation Set B"
CRISIS_CORE_NAME = "CRISIS CORE \u2013FINAL FANTASY VII\u2013 REUNION"  # en dashes
CRISIS_CORE_TITLE = "Crisis Core: Final Fantasy VII Reunion"  # as a player types it

# Fast settings for the program under test (PRODUCT §2 settings, as environment variables).
FAST = {
    "QUESTRYA_RATE_LIMIT": "50",
    "QUESTRYA_RETRY_DELAY": "1",
    "QUESTRYA_MAX_ATTEMPTS": "2",
    "QUESTRYA_HTTP_TIMEOUT": "2",
}

Route = Literal["search", "details", "reviews", "legacy_reviews", "other"]
FaultKind = Literal["429", "404", "500", "html", "invalid_json", "huge", "reset", "slow", "drip"]

START_LINE = re.compile(
    r"fetch game=(?P<game>\d+)(?: provider=(?P<provider>\S+))? started$", re.MULTILINE
)
END_LINE = re.compile(
    r"fetch game=(?P<game>\d+) provider=(?P<provider>\S+) outcome=(?P<outcome>\S+)"
    r" (?P<seconds>\d+\.\d+)s(?: \((?P<detail>.*)\))?$",
    re.MULTILINE,
)


# --- the loopback Steam ----------------------------------------------------------------------


@dataclass
class Fault:
    """How a route misbehaves: for its first ``times`` requests, or every one when None.

    ``retry_after`` is the 429's header (seconds, or an HTTP date), or makes it when the answer
    goes out; ``seconds`` is how long a `slow` answer sleeps before it comes, or the pause
    between a `drip`'s bytes.
    """

    kind: FaultKind
    times: int | None = None
    retry_after: str | Callable[[], str] | None = None
    seconds: float = 0.0


@dataclass(frozen=True)
class Seen:
    """One request the server received, before any fault was applied."""

    at: float  # time.monotonic() in the test process
    route: Route
    key: str  # the search term or the appid


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    steam: "FakeSteam"

    def handle_error(self, request: object, client_address: object) -> None:
        """A client that hung up on a fault is the point of the fault: nothing to print."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        self.server.steam.answer(self)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the requests are counted, not logged."""


class FakeSteam:
    """Steam's store (`/api/storesearch/`, `/api/appdetails`, `/appreviews/N`) and Web API
    (`/IUserReviewsService/GetAppReviews/v1/`) on one loopback port."""

    def __init__(self, fixtures: Path) -> None:
        self._fixtures = fixtures
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self._stopping = threading.Event()
        self._seen: list[Seen] = []
        self._faults: dict[tuple[Route, str | None], Fault] = {}
        self._search: dict[str, list[dict[str, Any]]] = {}
        self._details: dict[str, bytes] = {
            DOTA_APPID: self.fixture("steam_appdetails_570_dota2_free_metacritic.json"),
            DLC_APPID: self.fixture("steam_appdetails_874343_dlc.json"),
            CRISIS_CORE_APPID: self.fixture("steam_appdetails_1608070_coming_soon_nonascii.json"),
            "999999999": self.fixture("steam_appdetails_not_found.json"),
        }
        self.reviews = self.fixture("steam_appreviews_620_overwhelmingly_positive.json")
        # The Web API wraps the summary in "response"; a different one shows where scores came from.
        self.legacy_reviews = json.dumps(
            {"response": json.loads(self.fixture("steam_appreviews_mixed.json"))}
        ).encode()
        self._item_template = json.loads(self.fixture("steam_storesearch_csgo_cc_cn.json"))[
            "items"
        ][0]
        self.list_game("Dota 2", DOTA_APPID, metascore="90")
        self.list_game(DLC_NAME, DLC_APPID)
        self.list_game(CRISIS_CORE_NAME, CRISIS_CORE_APPID, term=CRISIS_CORE_TITLE)
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.steam = self
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def fixture(self, name: str) -> bytes:
        return (self._fixtures / name).read_bytes()

    # --- what the test arranges ---

    def list_game(
        self,
        name: str,
        appid: str,
        *,
        term: str | None = None,
        metascore: str = "",
        details: Mapping[str, Any] | None = None,
    ) -> None:
        """Search answers ``term`` (default: the name, any case) with this one app, in the
        item shape of the recorded store search; an appid without recorded details gets
        Dota 2's, renamed, with the fields of ``details`` in place of Dota's."""
        item = {
            **self._item_template,
            "name": name,
            "id": int(appid),
            "tiny_image": f"https://shared.akamai.steamstatic.com/store_item_assets/steam/apps/{appid}/capsule_231x87.jpg",
            "metascore": metascore,
            "platforms": {"windows": True, "mac": True, "linux": True},
            "streamingvideo": False,
        }
        item.pop("controller_support", None)
        self._search[(term or name).casefold()] = [item]
        if appid not in self._details:
            answer = json.loads(self._details[DOTA_APPID])[DOTA_APPID]
            answer["data"] |= {"steam_appid": int(appid), "name": name, **(details or {})}
            self._details[appid] = json.dumps({appid: answer}).encode()

    def fail(self, route: Route, fault: Fault, key: str | None = None) -> None:
        """From now on ``route`` (for one appid or term, or all) misbehaves as ``fault`` says."""
        with self._lock:
            self._faults[(route, key)] = replace(fault)  # a copy: its count goes down

    def heal(self) -> None:
        with self._lock:
            self._faults.clear()

    # --- what the test observes ---

    def requests(self, route: Route, key: str | None = None) -> list[Seen]:
        with self._lock:
            return [s for s in self._seen if s.route == route and key in (None, s.key)]

    def hits(self, route: Route, key: str | None = None) -> int:
        return len(self.requests(route, key))

    def wait_for(
        self, route: Route, key: str | None = None, *, count: int = 1, timeout: float
    ) -> None:
        """Until the server has seen ``count`` such requests; fails the test after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while sum(1 for s in self._seen if s.route == route and key in (None, s.key)) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    pytest.fail(f"the server saw fewer than {count} {route} request(s) for {key}")
                self._arrived.wait(left)

    def stop(self) -> None:
        self._stopping.set()  # wakes the slow answers
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)

    # --- the server side ---

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        route, key = _route(url.path, parse_qs(url.query))
        with self._arrived:
            self._seen.append(Seen(time.monotonic(), route, key))
            self._arrived.notify_all()
            fault = self._take_fault(route, key)
        try:
            if fault is None or not self._misbehave(handler, fault):
                status, body = self._normal(route, key)
                _send(handler, status, body, JSON_TYPE)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up: what a timeout or a size cap does

    def _take_fault(self, route: Route, key: str) -> Fault | None:
        fault = self._faults.get((route, key)) or self._faults.get((route, None))
        if fault is None:
            return None
        if fault.times is not None:
            if fault.times <= 0:
                return None
            fault.times -= 1
        return fault

    def _normal(self, route: Route, key: str) -> tuple[int, bytes]:
        if route == "search":
            items = self._search.get(key.casefold())
            if items is None:
                return 200, self.fixture("steam_storesearch_empty.json")
            return 200, json.dumps({"total": len(items), "items": items}).encode()
        if route == "details":
            unknown = json.dumps({key: {"success": False}}).encode()
            return 200, self._details.get(key, unknown)
        if route == "reviews":
            return 200, self.reviews
        if route == "legacy_reviews":
            return 200, self.legacy_reviews
        return 404, b'{"error": "no such path"}'

    def _misbehave(self, handler: BaseHTTPRequestHandler, fault: Fault) -> bool:
        """Answer as the fault says; False when the normal answer should follow (slow)."""
        kind = fault.kind
        if kind == "slow":
            self._stopping.wait(fault.seconds)
            return False
        if kind == "reset":
            # SO_LINGER 0: close() sends a TCP RST instead of an answer.
            handler.connection.setsockopt(
                socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)
            )
            handler.connection.close()
            handler.close_connection = True
        elif kind == "429":
            wait = fault.retry_after() if callable(fault.retry_after) else fault.retry_after
            headers = {"Retry-After": wait} if wait else {}
            _send(handler, 429, b'{"error": "Too Many Requests"}', JSON_TYPE, headers)
        elif kind == "404":
            _send(handler, 404, b"<html><body>Not Found</body></html>", HTML_TYPE)
        elif kind == "500":
            _send(handler, 500, b"<html><body>Internal Server Error</body></html>", HTML_TYPE)
        elif kind == "html":
            page = b"<!DOCTYPE html><html><head><title>Sorry!</title></head><body></body></html>"
            _send(handler, 200, page, HTML_TYPE)
        elif kind == "invalid_json":
            _send(handler, 200, b'{"570": {"success": true, "data": {"type": "ga', JSON_TYPE)
        elif kind == "huge":
            self._huge(handler)
        elif kind == "drip":
            self._drip(handler, fault.seconds)
        return True

    def _huge(self, handler: BaseHTTPRequestHandler) -> None:
        """A valid start of JSON that goes on past 5 MB, with no Content-Length to warn of it."""
        handler.send_response(200)
        handler.send_header("Content-Type", JSON_TYPE)
        handler.end_headers()
        handler.wfile.write(b'{"570": {"success": true, "data": {"padding": "')
        chunk = b"x" * 65536
        for _ in range(MAX_ANSWER_BYTES // len(chunk) + 16):
            if self._stopping.is_set():
                break
            handler.wfile.write(chunk)
        handler.wfile.write(b'"}}}')
        handler.close_connection = True

    def _drip(self, handler: BaseHTTPRequestHandler, pause: float) -> None:
        """The real answer, a byte every ``pause`` seconds: each read is quick, the whole not."""
        body = self._details[DOTA_APPID]
        handler.send_response(200)
        handler.send_header("Content-Type", JSON_TYPE)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        for byte in body:
            if self._stopping.wait(pause):
                break
            handler.wfile.write(bytes([byte]))
        handler.close_connection = True


def _route(path: str, query: Mapping[str, list[str]]) -> tuple[Route, str]:
    if path == "/api/storesearch/":
        return "search", query.get("term", [""])[0]
    if path == "/api/appdetails":
        return "details", query.get("appids", [""])[0]
    if path.startswith("/appreviews/"):
        return "reviews", path.removeprefix("/appreviews/").strip("/")
    if path == "/IUserReviewsService/GetAppReviews/v1/":
        if "appid" in query:
            return "legacy_reviews", query["appid"][0]
        asked = json.loads(query.get("input_json", ["{}"])[0])
        return "legacy_reviews", str(asked.get("appid", ""))
    return "other", path


def _send(
    handler: BaseHTTPRequestHandler,
    status: int,
    body: bytes,
    content_type: str,
    headers: Mapping[str, str] | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(body)


def http_date_in(seconds: float) -> str:
    """A `Retry-After` given as an HTTP date, ``seconds`` from now."""
    return formatdate(time.time() + seconds, usegmt=True)


@pytest.fixture
def steam() -> Iterator[FakeSteam]:
    server = FakeSteam(FIXTURES)
    yield server
    server.stop()


# --- the installed command --------------------------------------------------------------------


@dataclass
class WorkerRun:
    """A finished `questrya worker --burst`."""

    returncode: int
    log: str
    seconds: float


class RunningWorker:
    """A `questrya worker` process, its stdout and stderr in ``log_path``."""

    def __init__(self, process: subprocess.Popen[bytes], log_path: Path) -> None:
        self.process = process
        self.log_path = log_path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def wait_for_log(self, pattern: str, *, timeout: float) -> re.Match[str]:
        """The first match of ``pattern`` in the log, polled until ``timeout``."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern, re.MULTILINE)
        while True:
            found = regex.search(self.log())
            if found:
                return found
            if self.process.poll() is not None:
                pytest.fail(f"the worker exited ({self.process.returncode}):\n{self.log()}")
            if time.monotonic() > deadline:
                pytest.fail(f"no {pattern!r} in the worker's log after {timeout}s:\n{self.log()}")
            time.sleep(0.05)

    def send(self, signum: int) -> None:
        self.process.send_signal(signum)

    def wait(self, timeout: float) -> int:
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)
            pytest.fail(f"the worker did not exit within {timeout}s:\n{self.log()}")


class Cli:
    """`questrya …` as a shell would run it, on one data folder and the loopback Steam."""

    def __init__(self, home: Path, logs: Path, env: dict[str, str]) -> None:
        self.home = home
        self._logs = logs
        self.env = env
        self.added: dict[int, dict[str, Any]] = {}  # every game the CLI reported as added
        self.stderr_seen: list[str] = []
        self._workers: list[RunningWorker] = []

    def _environment(self) -> dict[str, str]:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("QUESTRYA_")}
        environment.update({"QUESTRYA_HOME": str(self.home), **self.env})
        return environment

    def database_file(self) -> Path | None:
        """The SQLite file the commands keep the backlog in; none on PostgreSQL."""
        return self.home / "questrya.db" if "QUESTRYA_DATABASE_URL" not in self.env else None

    def stored(self, sql: str) -> list[tuple[Any, ...]]:
        """The rows ``sql`` reads from the backlog the commands keep."""
        url = self.env.get("QUESTRYA_DATABASE_URL", f"sqlite:///{self.home / 'questrya.db'}")
        engine = open_engine(url)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(sql))]
        finally:
            engine.dispose()

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            [str(QUESTRYA), *args],
            capture_output=True,
            text=True,
            env=self._environment(),
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        self.stderr_seen.append(result.stderr)
        return result

    def ok(self, *args: str) -> str:
        result = self.run(*args)
        assert result.returncode == 0, f"questrya {' '.join(args)}: {result.stderr}"
        return result.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args, "--json"))

    def add(self, title: str, *options: str, platform: str = "PC") -> dict[str, Any]:
        """`games add TITLE --platform P OPTIONS --json` as a separate process."""
        game: dict[str, Any] = self.json("games", "add", title, "--platform", platform, *options)
        self.added[game["id"]] = game
        return game

    def arrange(self, *args: str) -> str:
        """`questrya ARGS` in this process, for the set-up a test is not about: the same
        command on the same data folder, without a second of imports each time."""
        environment = {"QUESTRYA_HOME": str(self.home), **self.env}
        result = CliRunner().invoke(app, list(args), env=environment)
        assert result.exit_code == 0, f"questrya {' '.join(args)}: {result.stderr}"
        self.stderr_seen.append(result.stderr)
        return result.stdout

    def arrange_game(self, title: str, *options: str, platform: str = "PC") -> dict[str, Any]:
        """A game added in this process (see `arrange`), its fetch queued as usual."""
        out = self.arrange("games", "add", title, "--platform", platform, *options, "--json")
        game: dict[str, Any] = json.loads(out)
        self.added[game["id"]] = game
        return game

    def show(self, ref: str | int) -> dict[str, Any]:
        game: dict[str, Any] = self.json("games", "show", str(ref))
        return game

    def games(self) -> list[dict[str, Any]]:
        """`games list --json`, run in this process (see `arrange`): read often, and quick."""
        games: list[dict[str, Any]] = json.loads(self.arrange("games", "list", "--json"))
        return games

    def queue(self) -> dict[str, Any]:
        status: dict[str, Any] = self.json("queue")
        return status

    def burst(self, *, timeout: float = 60) -> WorkerRun:
        """`questrya worker --burst`, its stderr in a file; returns once it has exited."""
        worker = self.start_worker("--burst")
        started = time.monotonic()
        returncode = worker.wait(timeout)
        return WorkerRun(returncode, worker.log(), time.monotonic() - started)

    def start_worker(self, *args: str) -> RunningWorker:
        """`questrya worker ARGS` in the background, its stdout and stderr in a file."""
        log_path = self._logs / f"worker-{len(self._workers) + 1}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                [str(QUESTRYA), "worker", *args],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self._environment(),
            )
        worker = RunningWorker(process, log_path)
        self._workers.append(worker)
        return worker

    def everything_shown(self) -> str:
        """Every stderr so far: of the commands, and the workers' logs."""
        return "\n".join([*self.stderr_seen, *(worker.log() for worker in self._workers)])

    def close(self) -> None:
        for worker in self._workers:
            if worker.process.poll() is None:
                worker.process.kill()
                worker.process.wait(10)


@pytest.fixture
def make_cli(tmp_path: Path, steam: FakeSteam) -> Iterator[Callable[[Path], Cli]]:
    """Makes a `Cli` on a data folder of its own (the same loopback Steam); on the test run's
    servers, the first on the test's schema and queue, each other on ones of its own. Its
    workers are killed when the test ends."""
    made: list[Cli] = []

    def make(home: Path) -> Cli:
        backend = dict(BACKEND) if not made else stack.enter_context(backend_settings())
        env = {"QUESTRYA_STEAM_STORE_URL": steam.url, "QUESTRYA_STEAM_API_URL": steam.url}
        logs = tmp_path / f"logs-{len(made) + 1}"
        logs.mkdir()
        made.append(Cli(home, logs, {**backend, **env, **FAST}))
        return made[-1]

    with ExitStack() as stack:
        try:
            yield make
        finally:
            for runner in made:
                runner.close()


@pytest.fixture
def cli(home: Path, make_cli: Callable[[Path], Cli]) -> Cli:
    return make_cli(home)


# --- what the tests check --------------------------------------------------------------------


@dataclass(frozen=True)
class FetchLine:
    """A worker's log line at the end of a fetch task."""

    game: int
    provider: str
    outcome: str
    seconds: float
    detail: str


def fetch_lines(log: str) -> list[FetchLine]:
    return [
        FetchLine(
            int(m["game"]), m["provider"], m["outcome"], float(m["seconds"]), m["detail"] or ""
        )
        for m in END_LINE.finditer(log)
    ]


def starts(log: str) -> list[tuple[int, str | None]]:
    """The (game, provider) of each log line at the start of a fetch task."""
    return [(int(m["game"]), m["provider"]) for m in START_LINE.finditer(log)]


LOGGED_AT = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}) ")
SAME_MOMENT = 0.1  # seconds: a log line's time and a duration's rounding


@dataclass(frozen=True)
class Span:
    """When one fetch task held its game (seconds since the epoch)."""

    game: int
    start: float
    end: float


def _logged_at(line: str) -> float | None:
    found = LOGGED_AT.match(line)
    if found is None:
        return None
    return datetime.strptime(found[1], "%Y-%m-%d %H:%M:%S,%f").timestamp()


def fetch_spans(log: str, killed_at: float | None = None) -> list[Span]:
    """The fetches in a worker's log: each that ended, but for a skipped one (it held
    nothing), from its start (its end line's time less its duration) to its end; for a run
    killed at ``killed_at``, each one it started and never ended, until the kill."""
    spans: list[Span] = []
    open_starts: dict[int, list[float]] = {}  # by game: when its unended tasks started
    for line in log.splitlines():
        at = _logged_at(line)
        if at is None:
            continue
        if started := START_LINE.search(line):
            open_starts.setdefault(int(started["game"]), []).append(at)
        elif ended := END_LINE.search(line):
            game = int(ended["game"])
            if open_starts.get(game):
                open_starts[game].pop(0)
            if ended["outcome"] != "skipped":
                spans.append(Span(game, at - float(ended["seconds"]), at))
    if killed_at is not None:
        for game, times in open_starts.items():
            spans.extend(Span(game, start, killed_at) for start in times)
    return spans


def overlapping(spans: list[Span]) -> list[tuple[Span, Span]]:
    """Pairs of fetches of one game that held it at the same time: there must be none."""
    by_game: dict[int, list[Span]] = {}
    for span in spans:
        by_game.setdefault(span.game, []).append(span)
    pairs = []
    for held in by_game.values():
        held.sort(key=lambda span: span.start)
        pairs += [
            (first, then) for first, then in pairwise(held) if then.start < first.end - SAME_MOMENT
        ]
    return pairs


USER_FIELDS = (
    "title",
    "platform",
    "status",
    "rating",
    "recommended",
    "wishlist",
    "tags",
    "notes",
    "started_date",
    "completion_date",
    "completion_level",
)


def assert_nothing_lost(cli: Cli, expected: str | Mapping[int, str]) -> dict[int, dict[str, Any]]:
    """Every game the CLI reported as added exists exactly once, in the expected
    `metadata_status` (a `failed` one with its reason), with the fields the user typed intact
    (a release date they gave kept, an empty one filled from the metadata); the database's
    integrity and foreign keys check clean; no traceback was ever shown."""
    listed = cli.games()
    by_id = {game["id"]: game for game in listed}
    assert len(by_id) == len(listed), "a game is listed twice"
    assert set(by_id) == set(cli.added), "games lost or made up"
    keys = Counter((g["title"], g["platform"]) for g in listed)
    assert keys == Counter((g["title"], g["platform"]) for g in cli.added.values())
    for game_id, before in cli.added.items():
        game = by_id[game_id]
        wanted = expected if isinstance(expected, str) else expected[game_id]
        assert game["metadata_status"] == wanted, (game["title"], game["metadata_error"])
        if wanted == "failed":
            assert game["metadata_error"], f"{game['title']} failed with no reason stored"
        if wanted == "fetched":
            assert game["metadata"] is not None
            assert game["metadata_error"] is None, f"{game['title']}: a stale error shown"
        for name in USER_FIELDS:
            assert game[name] == before[name], f"{game['title']}: {name} overwritten"
        if before["release_date"] is not None:
            assert game["release_date"] == before["release_date"], "the user's date overwritten"
        elif game["metadata"] is not None:
            assert game["release_date"] == game["metadata"]["release_date"]
    if (path := cli.database_file()) is not None:  # PostgreSQL checks its own as it writes
        _assert_database_intact(path)
    shown = cli.everything_shown()
    assert "Traceback" not in shown, shown
    return by_id


def _assert_database_intact(path: Path) -> None:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
