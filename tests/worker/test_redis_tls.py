"""A Redis queue over TLS with a password (PRODUCT §10): a Redis of the test's own, started with
a certificate made for it, carries a game's fetch from `games add` to a worker; a wrong
password or an unknown certificate is one line that never shows the password."""

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from tests.backends import QUEUE_SECRET
from tests.worker.conftest import Cli, fetch_lines

pytestmark = pytest.mark.slow

PASSWORD = "tls-queue-password"


def free_port() -> int:
    with closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


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


@pytest.fixture
def tls_redis(tmp_path: Path) -> Iterator[tuple[int, Path]]:
    """A Redis listening on TLS only, with a password: its port and the certificate that
    verifies it. Skips where redis-server or openssl is missing, or Redis was built
    without TLS."""
    for program in ("redis-server", "openssl"):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed")
    folder = tmp_path / "redis"
    folder.mkdir()
    cert, key = certificate(folder)
    port = free_port()
    server = subprocess.Popen(
        [
            *("redis-server", "--port", "0", "--tls-port", str(port), "--dir", str(folder)),
            *("--tls-cert-file", str(cert), "--tls-key-file", str(key)),
            *("--tls-ca-cert-file", str(cert), "--tls-auth-clients", "no"),
            *("--requirepass", PASSWORD, "--save", "", "--appendonly", "no"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_listening(server, port)
        yield port, cert
    finally:
        server.terminate()
        server.wait(10)


def _wait_until_listening(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 10
    while server.poll() is None and time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    said = server.stdout.read().decode(errors="replace") if server.poll() is not None else ""
    pytest.skip(f"redis-server did not listen on TLS: {said.strip()[-200:]}")


def on_queue(cli: Cli, url: str) -> None:
    cli.env.update({"QUESTRYA_QUEUE_URL": url, "QUESTRYA_QUEUE_SECRET": QUEUE_SECRET})


def test_a_fetch_travels_over_tls_with_a_password_never_shown(
    cli: Cli, tls_redis: tuple[int, Path]
) -> None:
    port, cert = tls_redis
    on_queue(cli, f"rediss://:{PASSWORD}@127.0.0.1:{port}/0?ssl_ca_certs={cert}")
    game = cli.add("Dota 2")
    assert cli.queue()["waiting"] == 1

    run = cli.burst()

    assert run.returncode == 0, run.log
    assert [line.outcome for line in fetch_lines(run.log)] == ["fetched"]
    assert cli.show(game["id"])["metadata_status"] == "fetched"
    shown = cli.ok("config", "show")
    assert f"rediss://:********@127.0.0.1:{port}/0" in shown
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
    cli: Cli, tls_redis: tuple[int, Path], password: str, trusted: bool, says: str
) -> None:
    port, cert = tls_redis
    url = f"rediss://:{password}@127.0.0.1:{port}/0"
    on_queue(cli, f"{url}?ssl_ca_certs={cert}" if trusted else url)

    for result in (cli.run("queue"), cli.run("worker", "--burst")):
        assert result.returncode == 1
        [line] = result.stderr.splitlines()
        assert line.startswith(
            f"Error: cannot reach the queue at rediss://:********@127.0.0.1:{port}/0"
        )
        assert says in line
        assert password not in line
