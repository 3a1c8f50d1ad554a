"""The queue on Redis, shared by several workers (PRODUCT §10): one fetch task a game as on
SQLite, one score refresh per due time however many workers' schedules fire, tasks signed
with `queue_secret` and a message that does not verify dropped unread."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.common.secrets import Secret
from questrya.metadata.service import MetadataService
from questrya.workers.queue import QueueTasks, open_queue
from tests.backends import QUEUE_SECRET, push_forged_task, queue_server, redis_queue
from tests.conftest import Questrya, error_line, one_error_line, run_without

SECRET = Secret(QUEUE_SECRET)


class Refreshes:
    """The worker's metadata service as far as a full score refresh asks it: it counts."""

    provider_name = "steam"

    def __init__(self) -> None:
        self.queued = 0

    def __call__(self) -> MetadataService:
        return self  # type: ignore[return-value]

    def queue_score_refresh(self) -> int:
        self.queued += 1
        return 0


@pytest.fixture
def queue_url() -> Iterator[str]:
    with redis_queue(queue_server()) as url:
        yield url


def test_a_game_is_queued_once_whatever_asks_on_a_shared_queue(queue_url: str) -> None:
    refreshes = Refreshes()
    workers = [QueueTasks(open_queue(queue_url, SECRET), refreshes, "0 4 * * *") for _ in "ab"]

    assert [tasks.enqueue_fetch(7) for tasks in workers] == [True, False]
    assert workers[1].queued_fetches() == {7}
    assert workers[0].huey.pending_count() == 1


def test_the_score_refresh_of_one_due_time_runs_once_however_many_workers(
    queue_url: str,
) -> None:
    refreshes = Refreshes()
    workers = [
        QueueTasks(open_queue(queue_url, SECRET), refreshes, "* * * * *", shared=True)
        for _ in range(3)
    ]

    for tasks in workers:  # each worker's schedule fires within the same minute
        tasks.huey.execute(tasks.all_scores.s())

    assert refreshes.queued == 1


def test_a_message_without_the_secrets_signature_is_dropped_unread(
    queue_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    forged = tmp_path / "forged"
    push_forged_task(queue_url, forged)
    tasks = QueueTasks(open_queue(queue_url, SECRET), Refreshes(), "0 4 * * *", shared=True)

    assert tasks.huey.dequeue() is None

    assert not forged.exists()
    assert tasks.huey.pending_count() == 0
    assert "does not carry this queue_secret's signature" in caplog.text


def test_a_redis_queue_without_its_secret_is_refused(queue_url: str) -> None:
    with pytest.raises(InvalidInputError, match="needs queue_secret"):
        open_queue(queue_url)


def test_a_command_on_a_redis_queue_without_its_secret_saves_nothing(
    questrya: Questrya, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QUESTRYA_QUEUE_SECRET", raising=False)
    monkeypatch.setenv("QUESTRYA_QUEUE_URL", "redis://:pa55word@127.0.0.1:9/0")

    refused = questrya("games", "add", "Hades", "-p", "pc")

    assert refused.exit_code == 2
    line = error_line(refused)
    assert "needs queue_secret" in line
    assert "redis://:********@127.0.0.1:9/0" in line
    monkeypatch.delenv("QUESTRYA_QUEUE_URL")
    assert questrya("games", "list", "--json").json() == []


def test_the_secret_and_the_queues_password_are_masked(
    questrya: Questrya, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUESTRYA_QUEUE_URL", "rediss://worker:pa55word@queue.example:6380/2")
    monkeypatch.setenv("QUESTRYA_QUEUE_SECRET", "sign-me")

    shown = questrya("config", "show", "--json").json()

    assert shown["queue_url"]["value"] == "rediss://worker:********@queue.example:6380/2"
    assert shown["queue_secret"]["value"] == "********"
    assert "pa55word" not in str(shown) and "sign-me" not in str(shown)


def test_an_unreachable_redis_is_one_line_for_the_worker(
    questrya: Questrya, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("redis")
    monkeypatch.setenv("QUESTRYA_QUEUE_URL", "redis://:pa55word@127.0.0.1:9/0")
    monkeypatch.setenv("QUESTRYA_QUEUE_SECRET", "sign-me")

    refused = questrya("queue")

    assert refused.exit_code == 1
    line = error_line(refused)
    assert line.startswith("Error: cannot reach the queue at redis://:********@127.0.0.1:9/0")


def test_config_set_takes_a_redis_queue_once_its_secret_is_set(
    questrya: Questrya, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("redis")
    monkeypatch.delenv("QUESTRYA_QUEUE_SECRET", raising=False)
    url = "redis://:pa55word@queue.example:6379/0"

    refused = questrya("config", "set", "queue_url", url)

    assert refused.exit_code == 2
    assert "queue_secret" in error_line(refused)
    assert questrya("config", "set", "queue_secret", "sign-me").exit_code == 0
    stored = questrya("config", "set", "queue_url", url)
    assert stored.exit_code == 0, stored.stderr
    assert stored.stdout == "queue_url = redis://:********@queue.example:6379/0\n"
    unsupported = questrya("config", "set", "queue_url", "amqp://queue.example")
    assert unsupported.exit_code == 2
    assert "redis://HOST:PORT/DB" in error_line(unsupported)


@pytest.mark.parametrize(
    "args", [["worker", "--burst"], ["queue"], ["games", "add", "Hades", "-p", "pc"]]
)
def test_a_missing_redis_client_is_one_line_naming_the_extra_to_install(
    home: Path, args: list[str]
) -> None:
    """As where `pip install "questrya[redis]"` was not done: redis cannot be imported."""
    environment = {
        "QUESTRYA_HOME": str(home),
        "QUESTRYA_QUEUE_URL": "redis://:pa55word@127.0.0.1:9/0",
        "QUESTRYA_QUEUE_SECRET": QUEUE_SECRET,
        "PATH": "/usr/bin",
    }
    ran = run_without("redis", args, environment)

    assert ran.returncode == 2
    assert one_error_line(ran.stderr) == (
        "Error: queue_url 'redis://:********@127.0.0.1:9/0' needs the Redis client, which is"
        ' not installed: pip install "questrya[redis]"'
    )
