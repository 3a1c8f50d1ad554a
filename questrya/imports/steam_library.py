"""A Steam account's games, online: the Web API's `IPlayerService/GetOwnedGames`, read by the
steam format (PRODUCT §8: `games import --format steam --steam-id ID` with `steam_api_key`).

The request is bounded in time and size and tried three times in all when a second try soon
may succeed (429, 5xx, a timeout, a connection lost, an answer that is not JSON), waiting a
`Retry-After` of up to 10 s. Steam takes the key in the query string, so the URL is never
logged, and every error line names it with the key masked.
"""

import io
import json
import logging
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import httpx
import stamina

from questrya import __version__
from questrya.common.exceptions import InvalidInputError, NotFoundError, QuestryaError
from questrya.common.secrets import MASK, Secret
from questrya.imports.formats import steam
from questrya.imports.formats.rows import ImportRow, SkippedRow

DEFAULT_URL = "https://api.steampowered.com"
ENDPOINT = "/IPlayerService/GetOwnedGames/v1/"
ATTEMPTS = 3
BACKOFF_SECONDS = 0.25  # the first wait between attempts; it doubles, plus up to as much again
LONGEST_WAIT = 10.0  # a longer Retry-After is not waited: the import stops and says so
MAX_ANSWER_BYTES = 64 * 2**20
# A SteamID64 of an individual account (what a profile's /profiles/ URL shows).
_STEAM_ID = re.compile(r"^7656119\d{10}$")
_SECONDS = re.compile(r"^\d+(?:\.\d+)?$")

# httpx logs every request's URL, key included, at INFO: keep it to warnings.
logging.getLogger("httpx").setLevel(logging.WARNING)


class _TryAgain(Exception):
    """A failure that a second request soon may not have; ``reason`` names no secret."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def owned_games(
    url: str, key: Secret | None, steam_id: str, *, timeout: float
) -> Iterator[ImportRow | SkippedRow]:
    """The account's games as the steam format reads them, asked for at once (so that a
    refusal comes before any row): exit 2 for a missing key or an id that is no SteamID64,
    3 for an account that shows no games (a private profile), 1 for a key Steam refuses or a
    Steam that does not answer."""
    if key is None or not key.get_secret_value().strip():
        raise InvalidInputError(
            "the Steam import needs steam_api_key: questrya config set steam_api_key …"
        )
    steam_id = steam_id.strip()
    if not _STEAM_ID.match(steam_id):
        raise InvalidInputError(
            f"a Steam id is the account's SteamID64, 17 digits like 76561197960287930, "
            f"got {steam_id!r}"
        )
    request = _Request(url, key, steam_id, timeout)
    text = request.answer()
    _check_games(json.loads(text), steam_id, request.shown)
    return steam.read(io.StringIO(text))


def _check_games(answer: Any, steam_id: str, shown: str) -> None:
    """Steam's own answer in another shape is Steam's failure, not bad input; a private
    profile's, or an unknown account's, is an empty `response`."""
    response = answer.get("response") if isinstance(answer, dict) else None
    if not isinstance(response, dict) or not isinstance(response.get("games", []), list):
        raise QuestryaError(f"unexpected answer from Steam, no list of games ({shown})")
    if not response.keys() & {"games", "game_count"}:
        raise NotFoundError(
            f"Steam shows no games for {steam_id}: is the profile's game list public? ({shown})"
        )


class _Request:
    """One GetOwnedGames request, tried until it answers or the attempts are spent."""

    def __init__(self, url: str, key: Secret, steam_id: str, timeout: float) -> None:
        self._url = url.rstrip("/") + ENDPOINT
        self._key = key
        self._query = {
            "steamid": steam_id,
            "include_appinfo": "1",
            "include_played_free_games": "1",
            "format": "json",
        }
        self._timeout = timeout
        # What an error line shows: the URL, its key masked.
        self.shown = f"{self._url}?{urlencode({'key': MASK, **self._query}, safe='*')}"

    def answer(self) -> str:
        """The answer's text, JSON; the attempts get no argument, so none is logged."""
        try:
            for attempt in stamina.retry_context(
                on=_wait_before_retrying,
                attempts=ATTEMPTS,
                timeout=None,
                wait_initial=BACKOFF_SECONDS,
                wait_jitter=BACKOFF_SECONDS,
            ):
                with attempt:
                    return self._attempt()
        except _TryAgain as error:
            raise QuestryaError(f"Steam did not answer: {error.reason} ({self.shown})") from None
        raise AssertionError("stamina ends with an answer or the last failure")

    def _attempt(self) -> str:
        params = {"key": self._key.get_secret_value(), **self._query}
        headers = {"Accept": "application/json", "User-Agent": f"questrya/{__version__}"}
        deadline = time.monotonic() + self._timeout
        try:
            with (
                httpx.Client(timeout=self._timeout, headers=headers) as client,
                client.stream("GET", self._url, params=params) as response,
            ):
                self._check(response)
                body = self._read(response, deadline)
        except httpx.TimeoutException:
            raise _TryAgain("timed out") from None
        except httpx.RequestError as error:
            raise _TryAgain(_failure(error)) from None
        try:
            text = body.decode("utf-8-sig")
            json.loads(text)
        except ValueError:
            raise _TryAgain("an answer that is not JSON") from None
        return text

    def _check(self, response: httpx.Response) -> None:
        status = response.status_code
        if response.is_success:
            return
        if status == 429 or status >= 500:
            wait = _retry_after(response.headers.get("retry-after"))
            asked = "" if wait is None else f", asked to wait {wait:g} s"
            raise _TryAgain(f"HTTP {status}{asked}", wait)
        if status in (401, 403):
            raise QuestryaError(
                f"Steam refused steam_api_key (HTTP {status}; {self.shown}): check the key, "
                "questrya config set steam_api_key …"
            )
        if status == 400:
            raise InvalidInputError(
                f"Steam refused the request (HTTP 400; {self.shown}): "
                f"is {self._query['steamid']} an account's SteamID64?"
            )
        raise QuestryaError(f"Steam answered HTTP {status} ({self.shown})")

    def _read(self, response: httpx.Response, deadline: float) -> bytes:
        """The body, refused once it is over the cap or slower than the timeout."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
            raise self._too_large()
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > MAX_ANSWER_BYTES:
                raise self._too_large()
            if time.monotonic() > deadline:  # httpx bounds each read, not the whole answer
                raise _TryAgain("timed out reading the answer")
        return bytes(body)

    def _too_large(self) -> QuestryaError:
        return QuestryaError(
            f"Steam's answer is over {MAX_ANSWER_BYTES // 2**20} MB ({self.shown})"
        )


def _wait_before_retrying(error: Exception) -> bool | float:
    """stamina's hook: retry a failure worth it, after the wait the server asked for, if any."""
    if not isinstance(error, _TryAgain):
        return False
    if error.retry_after is None:
        return True  # stamina's backoff
    return error.retry_after if error.retry_after <= LONGEST_WAIT else False


def _retry_after(value: str | None) -> float | None:
    """A `Retry-After` in seconds; None for none, or for an HTTP date (stamina's backoff)."""
    return float(value) if value and _SECONDS.match(value.strip()) else None


def _failure(error: httpx.RequestError) -> str:
    if isinstance(error, httpx.ConnectError):
        return "cannot connect"
    return f"connection lost ({type(error).__name__})"
