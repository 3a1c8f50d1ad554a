"""A real HTTP server on 127.0.0.1 serving the providers' recorded answers byte for byte.

The recorded answers live in ``tests/fixtures/providers`` (their origins are in
``tests/fixtures/README.md``); a test naming one that is missing fails.
"""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from tests.conftest import free_port

FIXTURES = Path(__file__).parents[2] / "fixtures" / "providers"
JSON_TYPE = "application/json; charset=utf-8"
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FAST = 1000.0  # requests per second: the rate limit is tested on its own
TIMEOUT = 2.0


class FixedClock:
    def now(self) -> datetime:
        return NOW

    def today(self) -> date:
        return NOW.date()


class Fixtures:
    """The recorded answers, read as bytes (served unchanged) or as JSON (to derive a case)."""

    def __init__(self, folder: Path) -> None:
        self._folder = folder

    def bytes(self, name: str) -> bytes:
        return (self._folder / name).read_bytes()

    def json(self, name: str) -> Any:
        return json.loads(self.bytes(name))


@pytest.fixture
def fixtures() -> Fixtures:
    return Fixtures(FIXTURES)


@pytest.fixture(scope="session")
def _running_server() -> Iterator[HTTPServer]:
    # Threaded: a test's deliberately slow answer must not hold up the next test's requests.
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


@pytest.fixture
def server(_running_server: HTTPServer) -> Iterator[HTTPServer]:
    _running_server.clear()
    yield _running_server
    _running_server.check_assertions()  # no request the test did not expect


@pytest.fixture
def base_url(server: HTTPServer) -> str:
    return server.url_for("").rstrip("/")


def serve(
    server: HTTPServer,
    path: str,
    body: bytes | str,
    *,
    query: dict[str, str] | None = None,
    status: int = 200,
    method: str = "GET",
    content_type: str = JSON_TYPE,
    headers: dict[str, str] | None = None,
) -> None:
    """Answers ``path`` (and ``query``, when given) with ``body`` exactly, every time."""
    server.expect_request(path, method=method, query_string=query).respond_with_data(
        body, status=status, content_type=content_type, headers=headers
    )


def serve_json(server: HTTPServer, path: str, answer: Any, **options: Any) -> None:
    serve(server, path, json.dumps(answer), **options)


def everything_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every log record of the client side whole, the fields a handler may add included (the
    loopback server logs its own requests)."""
    return "\n".join(repr(vars(r)) for r in caplog.records if r.name != "werkzeug")


def requests_to(server: HTTPServer, path: str) -> int:
    return sum(1 for request, _ in server.log if request.path == path)


@pytest.fixture
def closed_port() -> int:
    """A loopback port nothing listens on."""
    return free_port()
