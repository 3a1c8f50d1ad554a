"""JSON over HTTP for the provider adapters, and the few answer helpers they share.

Every request is paced per host, bounded in time and size, and retried inline with stamina
when a second try soon may succeed (PRODUCT §7, RELIABILITY "HTTP"):

- 429, 5xx, a connection refused or reset, a timeout, an answer that is not JSON or is over
  5 MB: three attempts in all with a short backoff, then ``TemporaryProviderError``;
- a ``Retry-After`` of at most 10 s is waited inline; a longer one raises at once with
  ``retry_after`` set, so the worker schedules the retry instead of holding a thread;
- any other status: ``UnexpectedStatus``, a ``PermanentProviderError``, at once.

Reasons name the host only: RAWG takes its key in the query string, so a URL never goes into
a reason or a log. Other secrets travel in headers or a form body (``post(form=…)``).
"""

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any, Generic, TypeVar

import httpx
import stamina

from questrya import __version__
from questrya.common.value_objects import ScoreSnapshot
from questrya.metadata.domain import PermanentProviderError, TemporaryProviderError

MAX_ANSWER_BYTES = 5 * 1024 * 1024
ATTEMPTS = 3
LONGEST_INLINE_WAIT = 10.0
BACKOFF_SECONDS = 0.25  # the first inline wait; it doubles, plus up to as much again at random
ANSWER_LIFE = 60.0  # seconds a game's answer serves again: a fetch's details, then its scores
_SECONDS = re.compile(r"\d+(\.\d+)?")

# httpx logs every request's full URL at INFO, RAWG's key included: keep it to warnings.
logging.getLogger("httpx").setLevel(logging.WARNING)

Params = Mapping[str, str | int]
T = TypeVar("T")


class UnexpectedStatus(PermanentProviderError):
    """An answer with a status that retrying will not change; ``status`` lets an adapter
    react to one (IGDB renews its token on 401)."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__(reason)
        self.status = status


class NotJsonAnswer(TemporaryProviderError):
    """A successful status whose body is not JSON: an HTML page, a truncated answer."""


class _HostPace:
    """Spaces the requests to one host, across every client and thread of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next_start = 0.0

    def wait_turn(self, interval: float) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next_start)
            self._next_start = start + interval
        # Sleep outside the lock: the slot is reserved, the next caller reserves the one after.
        time.sleep(start - now)


_PACES: dict[str, _HostPace] = {}
_PACES_LOCK = threading.Lock()


def _pace_for(url: httpx.URL) -> _HostPace:
    with _PACES_LOCK:
        return _PACES.setdefault(f"{url.host}:{url.port}", _HostPace())


@dataclass(frozen=True, slots=True)
class _Call:
    method: str
    path: str
    params: Params | None
    headers: Mapping[str, str] | None
    content: str | None
    form: Mapping[str, str] | None
    not_found: Collection[int]
    retry_not_json: bool


class JsonClient:
    """JSON over HTTP to one base URL (validated by the settings: https, or http on loopback).

    Thread-safe: one instance may serve every worker thread.
    """

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float,
        rate_limit: float,
    ) -> None:
        url = httpx.URL(base_url)
        self.host = url.host
        self._base = base_url.rstrip("/")
        self._timeout = timeout
        self._interval = 1 / rate_limit
        self._pace = _pace_for(url)
        self._retrying = stamina.RetryingCaller(
            attempts=ATTEMPTS,
            timeout=None,
            wait_initial=BACKOFF_SECONDS,
            wait_jitter=BACKOFF_SECONDS,
        )
        self._http = httpx.Client(
            timeout=timeout,
            headers={"Accept": "application/json", "User-Agent": f"questrya/{__version__}"},
        )

    def get(
        self,
        path: str = "",
        *,
        params: Params | None = None,
        not_found: Collection[int] = (),
        retry_not_json: bool = True,
    ) -> Any:
        """The decoded answer, or None when its status is one of ``not_found``."""
        return self._send(_Call("GET", path, params, None, None, None, not_found, retry_not_json))

    def post(
        self,
        path: str = "",
        *,
        params: Params | None = None,
        headers: Mapping[str, str] | None = None,
        content: str | None = None,
        form: Mapping[str, str] | None = None,
    ) -> Any:
        """``form`` is sent as an `application/x-www-form-urlencoded` body: the place for a
        secret, which a query string would leave in every access log on the way."""
        return self._send(_Call("POST", path, params, headers, content, form, (), True))

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Wraps the reading of an answer: a missing field or a wrong type fails for good."""
        try:
            yield
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as error:
            reason = f"unexpected answer from {self.host} ({type(error).__name__}: {error})"
            raise PermanentProviderError(reason) from None

    def _send(self, call: _Call) -> Any:
        return self._retrying(_retry_wait(call.retry_not_json), self._attempt, call)

    def _attempt(self, call: _Call) -> Any:
        self._pace.wait_turn(self._interval)
        deadline = time.monotonic() + self._timeout
        try:
            with self._http.stream(
                call.method,
                self._base + call.path,
                params=call.params,
                headers=call.headers,
                content=call.content,
                data=call.form,
            ) as response:
                if response.status_code in call.not_found:
                    return None
                self._check_status(response)
                body = self._read(response, deadline)
        except httpx.TimeoutException:
            raise TemporaryProviderError(f"timed out waiting for {self.host}") from None
        except httpx.RequestError as error:
            raise TemporaryProviderError(self._failure_reason(error)) from None
        return self._decode(body, response.headers.get("content-type", ""))

    def _check_status(self, response: httpx.Response) -> None:
        if response.is_success:
            return
        status = response.status_code
        reason = f"HTTP {status} from {self.host}"
        if status == 429 or status >= 500:
            wait = _retry_after(response.headers.get("retry-after"))
            raise TemporaryProviderError(reason, retry_after=wait)
        raise UnexpectedStatus(reason, status)

    def _read(self, response: httpx.Response, deadline: float) -> bytes:
        """The body, refused as soon as it is known to be over the cap or too slow to come."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
            raise self._too_large()
        body = bytearray()
        for chunk in response.iter_bytes():  # decoded: a compressed answer cannot slip past
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise self._too_large()
            if time.monotonic() > deadline:  # httpx's read timeout is per chunk, not overall
                raise TemporaryProviderError(f"timed out reading the answer from {self.host}")
        return bytes(body)

    def _too_large(self) -> TemporaryProviderError:
        return TemporaryProviderError(
            f"answer over {MAX_ANSWER_BYTES // 2**20} MB from {self.host}"
        )

    def _decode(self, body: bytes, content_type: str) -> Any:
        try:
            return json.loads(body)
        except ValueError:  # invalid JSON, or bytes that are no Unicode at all
            media_type = content_type.partition(";")[0].strip() or "no content type"
            shown = "" if "json" in media_type else f" ({media_type})"
            raise NotJsonAnswer(f"invalid JSON from {self.host}{shown}") from None

    def _failure_reason(self, error: httpx.RequestError) -> str:
        if isinstance(error, httpx.ConnectError):
            if _caused_by(error, ConnectionRefusedError):
                return f"connection refused by {self.host}"
            return f"cannot connect to {self.host}"
        if isinstance(error, httpx.DecodingError):  # a corrupt gzip or brotli body
            return f"undecodable answer from {self.host}"
        return f"connection to {self.host} lost ({type(error).__name__})"


def _retry_wait(retry_not_json: bool) -> Callable[[Exception], bool | float]:
    """stamina's backoff hook: whether to try again, and how long a server asked us to wait."""

    def hook(error: Exception) -> bool | float:
        if not isinstance(error, TemporaryProviderError):
            return False
        if isinstance(error, NotJsonAnswer) and not retry_not_json:
            return False
        if error.retry_after is None:
            return True  # stamina's exponential backoff
        return error.retry_after if error.retry_after <= LONGEST_INLINE_WAIT else False

    return hook


def _retry_after(value: str | None) -> float | None:
    """``Retry-After`` in seconds, given as seconds or as an HTTP date; None if absent or bad."""
    if value is None:
        return None
    value = value.strip()
    if _SECONDS.fullmatch(value):
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, kind):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


class RecentAnswers(Generic[T]):
    """Answers kept for ``life`` seconds, by key, for every thread: a fetch asks for a game's
    details and then its scores, and one answer holds both."""

    def __init__(self, life: float = ANSWER_LIFE) -> None:
        self._life = life
        self._lock = threading.Lock()
        self._answers: dict[str, tuple[float, T]] = {}  # by key: when it goes stale, the answer

    def get(self, key: str, fetch: Callable[[], T]) -> T:
        """The answer for ``key`` kept from a recent ``fetch``, else a new one (kept in turn)."""
        now = time.monotonic()
        with self._lock:
            self._forget_stale(now)
            if key in self._answers:
                return self._answers[key][1]
        answer = fetch()  # outside the lock: one slow request holds up no other key
        with self._lock:
            self._answers.pop(key, None)  # a fresh one goes last, in the order of staleness
            self._answers[key] = (time.monotonic() + self._life, answer)
        return answer

    def _forget_stale(self, now: float) -> None:
        # Kept in the order they were fetched, with one lifetime: the stale ones come first.
        while self._answers:
            key, (stale_at, _) = next(iter(self._answers.items()))
            if stale_at > now:
                return
            del self._answers[key]


# --- What the adapters share when they read an answer --------------------------------------

_PARAGRAPH_TAGS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCK_TAGS = frozenset({"div", "ul", "ol", "tr"})
_LINE_TAGS = frozenset({"br", "li"})


class _TextExtractor(HTMLParser):
    """Text as a browser lays it out: whitespace from the tags, not from the source."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _PARAGRAPH_TAGS:
            self.parts.append("\n\n")
        elif tag in _BLOCK_TAGS | _LINE_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _PARAGRAPH_TAGS:
            self.parts.append("\n\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Plain text of a provider's HTML description: entities decoded, one line per block,
    at most one blank line in a row."""
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (line.strip() for line in "".join(extractor.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def score_snapshot(
    fetched_at: datetime,
    *,
    user_score: float | None,
    user_votes: int | None,
    critic_score: int | None,
    label: str | None = None,
) -> ScoreSnapshot | None:
    """The snapshot, or None when the provider has no score at all for the game."""
    if user_score is None and critic_score is None:
        return None
    return ScoreSnapshot(
        fetched_at=fetched_at,
        user_score=None if user_score is None else round(user_score, 2),
        user_votes=user_votes,
        critic_score=critic_score,
        label=label,
    )
