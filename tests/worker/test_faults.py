"""A misbehaving Steam and a killed worker (PRODUCT §6-7, RELIABILITY's failure table):
bounded retries that honour Retry-After, `failed` with the reason shown, everything fetched once
Steam heals, and nothing lost to `kill -9`."""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from questrya.workers.consumer import BURST_HORIZON
from tests.worker.conftest import (
    CRISIS_CORE_APPID,
    CRISIS_CORE_NAME,
    CRISIS_CORE_TITLE,
    DOTA_APPID,
    FAST,
    Cli,
    FakeSteam,
    Fault,
    assert_nothing_lost,
    fetch_lines,
    http_date_in,
)

pytestmark = pytest.mark.slow

MAX_ATTEMPTS = int(FAST["QUESTRYA_MAX_ATTEMPTS"])
RETRY_DELAY = float(FAST["QUESTRYA_RETRY_DELAY"])
INLINE_TRIES = 3  # questrya.metadata.providers.http: "three attempts in all" within one attempt
TIMEOUT = 0.5  # QUESTRYA_HTTP_TIMEOUT in the fault matrix
SUMMARY = re.compile(
    r"burst finished: 0 fetched, 0 not_found, 0 ambiguous, 0 failed; 1 game\(s\) still waiting,"
    r" the next due at \d{4}-\d\d-\d\d (?P<time>\S+) \(run the worker again then\)$",
    re.MULTILINE,
)
LOG_RECORD = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (INFO|WARNING|ERROR) \S")


@dataclass(frozen=True)
class Case:
    title: str
    appid: str
    fault: Fault
    outcome: str  # metadata_status once the worker is done with it
    attempts: int  # fetch attempts it took (each searches Steam once)
    reason: tuple[str, ...] = ()  # words the stored reason shows (lower case)
    home: int = 0  # two data folders, each with its burst worker, share the waiting


def failing(title: str, appid: str, fault: Fault, *reason: str, home: int = 0) -> Case:
    return Case(title, appid, fault, "failed", MAX_ATTEMPTS, reason, home)


CASES = [
    Case("Rate Limited Briefly", "900001", Fault("429", times=1, retry_after="1"), "fetched", 1),
    Case(
        "Rate Limited Until A Date",
        "900002",
        Fault("429", times=1, retry_after=lambda: http_date_in(2)),
        "fetched",
        1,
        home=1,
    ),
    Case("Server Storm", "900003", Fault("500", times=INLINE_TRIES + 1), "fetched", 2, home=1),
    Case("Gone For Good", "900004", Fault("404"), "failed", 1, ("404",)),
    failing("Html Page", "900005", Fault("html"), "invalid json", "text/html"),
    failing("Broken Json", "900006", Fault("invalid_json"), "invalid json"),
    failing("Server Error", "900007", Fault("500"), "500", home=1),
    failing("Huge Answer", "900008", Fault("huge"), "5 mb"),
    failing("Connection Reset", "900009", Fault("reset"), "connection", home=1),
    failing("Sleeping Server", "900010", Fault("slow", seconds=4 * TIMEOUT), "timed out"),
    failing("Slow Drip", "900011", Fault("drip", seconds=0.1), "timed out", home=1),
]


def bursts(clis: list[Cli]) -> None:
    """`questrya worker --burst` in every data folder at once; each must exit 0."""
    workers = [cli.start_worker("--burst") for cli in clis]
    for worker in workers:
        assert worker.wait(60) == 0, worker.log()


def test_faults_retry_boundedly_fail_with_a_reason_and_heal(
    cli: Cli,
    make_cli: Callable[[Path], Cli],
    tmp_path: Path,
    steam: FakeSteam,
) -> None:
    clis = [cli, make_cli(tmp_path / "second-home")]
    for runner in clis:
        runner.env["QUESTRYA_HTTP_TIMEOUT"] = str(TIMEOUT)
    ids: dict[str, int] = {}
    for case in CASES:
        steam.list_game(case.title, case.appid)
        steam.fail("details", case.fault, key=case.appid)
        game = clis[case.home].arrange_game(case.title, "--rating", "8", "--tag", "coop")
        ids[case.appid] = game["id"]

    bursts(clis)

    games = [{g["id"]: g for g in runner.games()} for runner in clis]
    for case in CASES:
        game = games[case.home][ids[case.appid]]
        details, searches = steam.hits("details", case.appid), steam.requests("search", case.title)
        assert game["metadata_status"] == case.outcome, (case.title, game["metadata_error"])
        assert len(searches) == case.attempts, case.title
        # No hot loop: a few requests per attempt, and attempts apart by the retry delay.
        assert case.attempts <= details <= case.attempts * INLINE_TRIES + 1, case.title
        if case.attempts > 1:
            assert searches[1].at - searches[0].at >= RETRY_DELAY, case.title
        if case.outcome == "failed":
            reason = game["metadata_error"].lower()
            assert "127.0.0.1" in reason
            for word in case.reason:
                assert word in reason, (case.title, reason)
    assert steam.hits("details", "900004") == 1  # permanent: failed after one request

    # Retry-After is honoured, in seconds or as an HTTP date.
    for appid, at_least in (("900001", 1.0), ("900002", 0.9)):
        limited, after = steam.requests("details", appid)[:2]
        assert after.at - limited.at >= at_least - 0.05

    # `games show` tells the user why.
    shown = cli.show(ids["900005"])
    assert shown["metadata_status"] == "failed"
    assert "invalid json" in shown["metadata_error"].lower()

    # Steam heals: a refresh of the failed ones and a burst fetch them all.
    steam.heal()
    for number, runner in enumerate(clis):
        failed = [str(ids[c.appid]) for c in CASES if c.home == number and c.outcome == "failed"]
        runner.arrange("games", "refresh", *failed)
    bursts(clis)
    for runner in clis:
        assert_nothing_lost(runner, "fetched")


# Alone on a SQLite queue, the next worker redoes a killed one's fetch as it starts; on a
# shared queue another does once the lease runs out (`test_servers.py`).
@pytest.mark.embedded
def test_kill_9_loses_neither_the_fetch_in_hand_nor_a_long_retry(
    cli: Cli, steam: FakeSteam
) -> None:
    wait = 12.0  # over the 10 s a worker waits inline, and over the burst's 10 s horizon
    steam.fail("details", Fault("429", times=1, retry_after=f"{wait:.0f}"), key=DOTA_APPID)
    cli.env["TZ"] = "IST-5:30"  # local time is not UTC: the schedule must not care
    limited = cli.arrange_game("Dota 2", "--rating", "9")

    # A long Retry-After is not waited inline: the game waits in the queue, due later.
    first = cli.burst()
    assert first.returncode == 0, first.log
    assert first.seconds < wait - 2
    assert [(e.game, e.outcome) for e in fetch_lines(first.log) if e.outcome != "skipped"] == [
        (limited["id"], "retry")
    ]
    # It says so as it ends, and when the retry is due.
    [retry] = [e for e in fetch_lines(first.log) if e.outcome == "retry"]
    summary = SUMMARY.search(first.log)
    assert summary is not None, first.log
    assert retry.detail.endswith(f"again at {summary['time']}")
    assert steam.hits("details", DOTA_APPID) == 1
    waiting = cli.games()[0]
    assert waiting["metadata_status"] == "pending"
    assert "429" in waiting["metadata_error"]
    status = cli.queue()
    assert status["scheduled"] == 1
    assert status["games"]["pending"] == 1

    # A long-running worker is killed in the middle of a slow answer.
    cli.env["QUESTRYA_HTTP_TIMEOUT"] = "30"
    steam.fail("details", Fault("slow", times=1, seconds=30), key=CRISIS_CORE_APPID)
    held = cli.arrange_game(CRISIS_CORE_TITLE, "--release-date", "2022-12-14")
    worker = cli.start_worker("--no-periodic")
    steam.wait_for("details", CRISIS_CORE_APPID, timeout=20)
    worker.process.kill()  # kill -9
    worker.wait(10)
    assert cli.games()[1]["metadata_status"] == "pending"  # not fetched, not failed

    # The next start refetches the one and, when it falls due, retries the other. A burst
    # leaves a retry due beyond its horizon for a later run: start once it is within it.
    limited_at = steam.requests("details", DOTA_APPID)[0].at
    time.sleep(max(0.0, limited_at + wait - BURST_HORIZON.total_seconds() + 0.5 - time.monotonic()))
    second = cli.burst(timeout=wait + 30)
    assert second.returncode == 0, second.log
    assert "1 game(s) queued by the start-up sweep" in second.log
    assert steam.hits("details", CRISIS_CORE_APPID) >= 2
    limited_at, retried_at = steam.requests("details", DOTA_APPID)[:2]
    assert retried_at.at - limited_at.at >= wait - 0.5  # waited as told, no sooner
    settled = assert_nothing_lost(cli, "fetched")
    assert settled[held["id"]]["metadata"]["title"] == CRISIS_CORE_NAME


def test_an_inline_retry_leaves_only_formatted_lines_in_the_log(cli: Cli, steam: FakeSteam) -> None:
    steam.fail("details", Fault("500", times=1), key=DOTA_APPID)
    game = cli.arrange_game("Dota 2")
    run = cli.burst()
    assert run.returncode == 0, run.log
    assert (game["id"], "fetched") in [(e.game, e.outcome) for e in fetch_lines(run.log)]
    assert steam.hits("details", DOTA_APPID) >= 2  # there was an inline retry
    for line in run.log.splitlines():
        assert LOG_RECORD.match(line), line
    assert_nothing_lost(cli, "fetched")
