"""The JSON client every provider shares, against a real loopback server: retries, waits,
limits and the one-line reasons the worker stores (RELIABILITY "HTTP", failure table)."""

import itertools
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from questrya.metadata.domain import PermanentProviderError, TemporaryProviderError
from questrya.metadata.providers.http import (
    MAX_ANSWER_BYTES,
    JsonClient,
    NotJsonAnswer,
    RecentAnswers,
    UnexpectedStatus,
    html_to_text,
)
from tests.integration.providers.conftest import FAST, requests_to, serve

OK = b'{"ok": true}'


def client(base_url: str, *, timeout: float = 2.0, rate_limit: float = FAST) -> JsonClient:
    return JsonClient(base_url, timeout=timeout, rate_limit=rate_limit)


def test_a_json_answer_is_decoded(server: HTTPServer, base_url: str) -> None:
    serve(server, "/games", OK, query={"search": "Hades"})

    assert client(base_url).get("/games", params={"search": "Hades"}) == {"ok": True}


def test_a_short_retry_after_is_waited_inline_then_the_answer_is_read(
    server: HTTPServer, base_url: str
) -> None:
    server.expect_oneshot_request("/limited").respond_with_data(
        b"{}", status=429, headers={"Retry-After": "1"}
    )
    serve(server, "/limited", OK)

    started = time.monotonic()
    assert client(base_url).get("/limited") == {"ok": True}

    assert time.monotonic() - started >= 0.95
    assert requests_to(server, "/limited") == 2


@pytest.mark.parametrize("as_date", [False, True], ids=["seconds", "http-date"])
def test_a_long_retry_after_goes_back_to_the_caller_at_once(
    server: HTTPServer, base_url: str, as_date: bool
) -> None:
    in_two_minutes = datetime.now(UTC) + timedelta(seconds=120)
    retry_after = format_datetime(in_two_minutes, usegmt=True) if as_date else "120"
    serve(server, "/limited", b"{}", status=429, headers={"Retry-After": retry_after})

    started = time.monotonic()
    with pytest.raises(TemporaryProviderError) as raised:
        client(base_url).get("/limited")

    assert time.monotonic() - started < 1
    assert raised.value.retry_after == pytest.approx(120, abs=5)
    assert raised.value.reason == "HTTP 429 from 127.0.0.1"
    assert requests_to(server, "/limited") == 1


def test_server_errors_are_retried_three_times_in_all(server: HTTPServer, base_url: str) -> None:
    serve(server, "/broken", b"{}", status=500)

    with pytest.raises(TemporaryProviderError) as raised:
        client(base_url).get("/broken")

    assert raised.value.reason == "HTTP 500 from 127.0.0.1"
    assert raised.value.retry_after is None
    assert requests_to(server, "/broken") == 3


def test_a_server_error_storm_then_recovery_is_an_answer(server: HTTPServer, base_url: str) -> None:
    for _ in range(2):
        server.expect_oneshot_request("/flaky").respond_with_data(b"", status=503)
    serve(server, "/flaky", OK)

    assert client(base_url).get("/flaky") == {"ok": True}
    assert requests_to(server, "/flaky") == 3


def test_other_client_errors_fail_for_good_after_one_request(
    server: HTTPServer, base_url: str
) -> None:
    serve(server, "/forbidden", b'{"detail": "no"}', status=403)

    with pytest.raises(UnexpectedStatus) as raised:
        client(base_url).get("/forbidden")

    assert isinstance(raised.value, PermanentProviderError)
    assert (raised.value.reason, raised.value.status) == ("HTTP 403 from 127.0.0.1", 403)
    assert requests_to(server, "/forbidden") == 1


def test_a_status_the_adapter_calls_not_found_is_none(server: HTTPServer, base_url: str) -> None:
    serve(server, "/games/0", b'{"detail": "Not found."}', status=404)

    assert client(base_url).get("/games/0", not_found={404}) is None


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"<html><body>Busy</body></html>", "text/html", "invalid JSON from 127.0.0.1 (text/html)"),
        (b'{"items": [', "application/json", "invalid JSON from 127.0.0.1"),
    ],
    ids=["html", "truncated"],
)
def test_an_answer_that_is_not_json_is_retried_then_temporary(
    server: HTTPServer, base_url: str, body: bytes, content_type: str, reason: str
) -> None:
    serve(server, "/garbled", body, content_type=content_type)

    with pytest.raises(NotJsonAnswer) as raised:
        client(base_url).get("/garbled")

    assert isinstance(raised.value, TemporaryProviderError)
    assert raised.value.reason == reason
    assert requests_to(server, "/garbled") == 3


def test_a_caller_with_a_fallback_is_told_at_once(server: HTTPServer, base_url: str) -> None:
    serve(server, "/garbled", b"<html></html>", content_type="text/html")

    with pytest.raises(NotJsonAnswer):
        client(base_url).get("/garbled", retry_not_json=False)

    assert requests_to(server, "/garbled") == 1


def _oversized_stream(request: Request) -> Response:
    chunk = b" " * 65536
    chunks = (chunk for _ in range(MAX_ANSWER_BYTES // len(chunk) + 2))
    return Response(chunks, content_type="application/json")  # no length: chunked


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_an_answer_over_5_mb_is_refused(server: HTTPServer, base_url: str, declared: bool) -> None:
    if declared:
        serve(server, "/huge", b"[" + b"0," * (MAX_ANSWER_BYTES // 2) + b"0]")
    else:
        server.expect_request("/huge").respond_with_handler(_oversized_stream)

    with pytest.raises(TemporaryProviderError) as raised:
        client(base_url).get("/huge")

    assert raised.value.reason == "answer over 5 MB from 127.0.0.1"


def test_a_closed_port_is_a_temporary_refusal(closed_port: int) -> None:
    with pytest.raises(TemporaryProviderError) as raised:
        client(f"http://127.0.0.1:{closed_port}").get("/games")

    assert raised.value.reason == "connection refused by 127.0.0.1"


@pytest.fixture
def hanging_up_port() -> Iterator[int]:
    """A port that accepts each connection and closes it without a word: a reset."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def hang_up() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            connection.close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    listener.close()


def test_a_connection_closed_without_an_answer_is_temporary(hanging_up_port: int) -> None:
    with pytest.raises(TemporaryProviderError) as raised:
        client(f"http://127.0.0.1:{hanging_up_port}").get("/games")

    assert raised.value.reason.startswith("connection to 127.0.0.1 lost")


def _silent(request: Request) -> Response:
    time.sleep(1.5)
    return Response(OK, content_type="application/json")


def _dripping(request: Request) -> Response:
    def drip() -> Iterator[bytes]:
        yield b"["
        for _ in range(40):
            time.sleep(0.05)
            yield b"0,"
        yield b"0]"

    return Response(drip(), content_type="application/json")


@pytest.mark.parametrize(
    ("handler", "reason"),
    [
        (_silent, "timed out waiting for 127.0.0.1"),
        (_dripping, "timed out reading the answer from 127.0.0.1"),
    ],
    ids=["silent", "slow-drip"],
)
def test_a_slow_server_is_temporary_and_the_whole_call_is_bounded(
    server: HTTPServer, base_url: str, handler: object, reason: str
) -> None:
    server.expect_request("/slow").respond_with_handler(handler)  # type: ignore[arg-type]

    started = time.monotonic()
    with pytest.raises(TemporaryProviderError) as raised:
        client(base_url, timeout=0.3).get("/slow")

    assert raised.value.reason == reason
    # three attempts of at most about the timeout each, and two short backoffs
    assert time.monotonic() - started < 3 * 0.3 + 1.5 + 0.5


def test_requests_to_one_host_are_spaced_across_clients(server: HTTPServer, base_url: str) -> None:
    arrivals: list[float] = []

    def record(request: Request) -> Response:
        arrivals.append(time.monotonic())
        return Response(OK, content_type="application/json")

    server.expect_request("/paced").respond_with_handler(record)
    first, second = client(base_url, rate_limit=4), client(base_url, rate_limit=4)

    first.get("/paced")
    second.get("/paced")
    first.get("/paced")

    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert len(arrivals) == 3
    assert min(gaps) >= 0.2  # 1/4 s apart, give or take the loopback's jitter


def test_html_descriptions_become_plain_text() -> None:
    html = (
        "<h1>Pre-Purchase</h1><p>Spells that inflict &quot;Poison&quot; &amp; more.</p>"
        "Line one<br />\r\n<br />\r\n- item<br>Line  two<ul><li>a</li><li>b</li></ul>"
    )

    assert html_to_text(html) == (
        'Pre-Purchase\n\nSpells that inflict "Poison" & more.\n\nLine one\n\n- item\n'
        "Line two\n\na\nb"
    )


def test_a_body_that_cannot_be_decompressed_is_temporary(server: HTTPServer, base_url: str) -> None:
    serve(server, "/gzipped", b"not gzip at all", headers={"Content-Encoding": "gzip"})

    with pytest.raises(TemporaryProviderError) as raised:
        client(base_url).get("/gzipped")

    assert raised.value.reason == "undecodable answer from 127.0.0.1"


def test_an_answer_serves_again_only_while_it_is_recent() -> None:
    asked: list[str] = []

    def fetch(key: str) -> str:
        asked.append(key)
        return f"answer {len(asked)}"

    recent: RecentAnswers[str] = RecentAnswers(life=60)
    stale: RecentAnswers[str] = RecentAnswers(life=0)

    got = [recent.get(key, lambda k=key: fetch(k)) for key in ("570", "570", "620", "570")]
    assert got == ["answer 1", "answer 1", "answer 2", "answer 1"]
    assert stale.get("570", lambda: fetch("570")) == "answer 3"
    assert stale.get("570", lambda: fetch("570")) == "answer 4"
