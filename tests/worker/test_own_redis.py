"""A shared queue on a Redis of the test's own (PRODUCT §10): over TLS with a password, with a
certificate made for it, it carries a game's fetch from `games add` to a worker, and a wrong
password or an unknown certificate is one line that never shows the password; restarted
empty under a running worker, it loses nothing the worker's sweep does not restore."""

import json
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.backends import QUEUE_SECRET
from tests.conftest import free_port
from tests.worker.conftest import Cli, FakeSteam, assert_nothing_lost, fetch_lines

pytestmark = pytest.mark.slow

PASSWORD = "own-queue-password"
# Workers sharing a queue sweep for games no task will fetch once a minute.
SWEEP_EVERY = 60


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class OwnRedis:
    """A redis-server of the test's own on a free port, keeping nothing on disk: stopped, it
    starts again empty, as a restarted Redis that had not saved. With ``certificate``, it
    listens on TLS only, that certificate verifying it."""

    def __init__(self, folder: Path, certificate: tuple[Path, Path] | None = None) -> None:
        self.port = free_port()
        self._folder = folder
        self._certificate = certificate
        self.certificate = certificate[0] if certificate is not None else None
        self._server: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        listen = ["--port", str(self.port)]
        if self._certificate is not None:
            cert, key = self._certificate
            listen = ["--port", "0", "--tls-port", str(self.port)]
            listen += ["--tls-cert-file", str(cert), "--tls-key-file", str(key)]
            listen += ["--tls-ca-cert-file", str(cert), "--tls-auth-clients", "no"]
        self._server = subprocess.Popen(
            [
                *("redis-server", *listen, "--dir", str(self._folder)),
                *("--requirepass", PASSWORD, "--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        self._wait_until_listening(self._server)

    def stop(self) -> None:
        if self._server is not None and self._server.poll() is None:
            self._server.terminate()
            self._server.wait(10)

    def _wait_until_listening(self, server: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + 10
        while server.poll() is None and time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        said = server.stdout.read().decode(errors="replace") if server.stdout else ""
        self.stop()
        pytest.skip(f"redis-server did not start: {said.strip()[-200:]}")


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[Callable[..., OwnRedis]]:
    """Starts Redis servers of the test's own (skips where redis-server, or openssl for TLS,
    is missing, or Redis was built without TLS); stops them when the test ends."""
    started: list[OwnRedis] = []

    def start(*, tls: bool = False) -> OwnRedis:
        needed = ("redis-server", "openssl") if tls else ("redis-server",)
        for program in needed:
            if shutil.which(program) is None:
                pytest.skip(f"{program} is not installed")
        folder = tmp_path / f"redis-{len(started) + 1}"
        folder.mkdir()
        server = OwnRedis(folder, certificate(folder) if tls else None)
        started.append(server)
        server.start()
        return server

    yield start
    for server in started:
        server.stop()


def on_queue(cli: Cli, redis: OwnRedis, *, password: str = PASSWORD, trusted: bool = True) -> str:
    """Puts ``cli``'s queue on ``redis``; its URL as the player would write it."""
    scheme = "rediss" if redis.certificate is not None else "redis"
    url = f"{scheme}://:{password}@127.0.0.1:{redis.port}/0"
    if redis.certificate is not None and trusted:
        url += f"?ssl_ca_certs={redis.certificate}"
    cli.env.update({"QUESTRYA_QUEUE_URL": url, "QUESTRYA_QUEUE_SECRET": QUEUE_SECRET})
    return url


def wait_until(cli: Cli, game_id: int, status: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while cli.show(game_id)["metadata_status"] != status:
        if time.monotonic() > deadline:
            pytest.fail(f"game {game_id} not {status} after {timeout}s: {cli.show(game_id)}")
        time.sleep(0.5)


def test_a_fetch_travels_over_tls_with_a_password_never_shown(
    cli: Cli, own_redis: Callable[..., OwnRedis]
) -> None:
    redis = own_redis(tls=True)
    on_queue(cli, redis)
    game = cli.add("Dota 2")
    assert cli.queue()["waiting"] == 1

    run = cli.burst()

    assert run.returncode == 0, run.log
    assert [line.outcome for line in fetch_lines(run.log)] == ["fetched"]
    assert cli.show(game["id"])["metadata_status"] == "fetched"
    shown = cli.ok("config", "show")
    assert f"rediss://:********@127.0.0.1:{redis.port}/0" in shown
    assert PASSWORD not in shown + cli.everything_shown()


@pytest.mark.parametrize(
    ("password", "trusted", "says"),
    [
        ("wrong", True, "invalid username-password pair"),
        (PASSWORD, False, "certificate verify failed"),
    ],
    ids=["wrong-password", "unknown-certificate"],
)
def test_a_queue_that_refuses_the_worker_is_one_line_without_the_password(
    cli: Cli, own_redis: Callable[..., OwnRedis], password: str, trusted: bool, says: str
) -> None:
    redis = own_redis(tls=True)
    on_queue(cli, redis, password=password, trusted=trusted)

    for result in (cli.run("queue"), cli.run("worker", "--burst")):
        assert result.returncode == 1
        [line] = result.stderr.splitlines()
        assert line.startswith(
            f"Error: cannot reach the queue at rediss://:********@127.0.0.1:{redis.port}/0"
        )
        assert says in line
        assert password not in line


def test_a_worker_outlives_a_redis_restart_and_the_sweep_restores_what_it_lost(
    cli: Cli, steam: FakeSteam, own_redis: Callable[..., OwnRedis]
) -> None:
    redis = own_redis()
    on_queue(cli, redis)
    steam.list_game("Added While Down", "930001")
    worker = cli.start_worker()
    worker.wait_for_log(r"worker started", timeout=30)
    before = cli.add("Dota 2")
    wait_until(cli, before["id"], "fetched", timeout=30)

    redis.stop()  # it comes back empty: what it held is gone
    added = cli.run("games", "add", "Added While Down", "-p", "pc", "--json")
    time.sleep(3)  # the worker polls the missing queue meanwhile
    redis.start()

    assert added.returncode == 0, added.stderr  # adding never waits on the queue
    assert "the worker's sweep will pick it up" in added.stderr
    game = json.loads(added.stdout)
    cli.added[game["id"]] = game
    wait_until(cli, game["id"], "fetched", timeout=SWEEP_EVERY + 30)
    log = worker.log()
    assert "Traceback" not in log
    told = [line.split(" WARNING ", 1)[-1] for line in log.splitlines() if "trying again" in line]
    doing = [line.split(":", 1)[0] for line in told]
    assert doing and len(doing) == len(set(doing)), told  # a line each, not one a poll
    worker.send(signal.SIGTERM)
    assert worker.wait(20) == 0
    assert_nothing_lost(cli, "fetched")
