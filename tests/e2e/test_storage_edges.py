"""The database at its edges, driven as a user would: written by a newer Questrya, or in a
data folder the user cannot write (PRODUCT §5: a sentence that says what was saved)."""

import ctypes
import os
import sqlite3
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest

from tests.conftest import QUESTRYA, Questrya, one_error_line
from tests.e2e.terminal import environment, seed

pytestmark = pytest.mark.embedded  # the SQLite files in a data folder


def imported(report: str) -> set[str]:
    return {
        line.rsplit("|", 1)[1].strip().split(".")[0]
        for line in report.splitlines()
        if line.startswith("import time:") and "|" in line
    }


# --- a newer schema ------------------------------------------------------------------------------


def test_a_database_from_a_newer_version_is_refused_in_one_line(
    home: Path, questrya: Questrya
) -> None:
    seed(questrya, "Hades")
    database = home / "questrya.db"
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")

    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "questrya", "games", "list"],
        capture_output=True,
        text=True,
        env=environment(home),
        timeout=60,
        check=False,
    )

    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if not line.startswith("import time:")]
    line = one_error_line("\n".join(errors))
    assert "newer version of Questrya" in line
    assert "0099" in line
    assert str(database) in line
    assert "alembic" not in imported(done.stderr)


# --- a read-only data folder ---------------------------------------------------------------------


# prctl(PR_CAPBSET_DROP, …) and the capabilities that let root ignore mode bits.
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2


def obey_mode_bits() -> None:
    """Run as root without the capabilities to override file modes: from exec on, a folder
    of mode 0555 is read-only to it too. (Becoming another user is not possible here: this
    interpreter lives in root's private home, which no other user may enter.)"""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) failed")


def as_reader(args: Sequence[str], home: Path) -> subprocess.CompletedProcess[str]:
    """The installed command run by a user who may read the data folder but not write it."""
    home.chmod(0o555)
    try:
        return subprocess.run(
            [str(QUESTRYA), *args],
            capture_output=True,
            text=True,
            env=environment(home),
            timeout=60,
            check=False,
            preexec_fn=obey_mode_bits if os.geteuid() == 0 else None,
        )
    finally:
        home.chmod(0o755)


@pytest.fixture
def read_only_home(home: Path, questrya: Questrya) -> Path:
    seed(questrya, "Hades", "Celeste")
    assert sorted(path.name for path in home.iterdir()) == ["questrya.db"]
    return home


def test_a_read_only_data_folder_still_lists_and_shows(read_only_home: Path) -> None:
    listing = as_reader(["games", "list", "--ids"], read_only_home)
    assert (listing.returncode, listing.stderr) == (0, "")
    assert listing.stdout.split() == ["2", "1"]

    shown = as_reader(["games", "show", "hades", "--json"], read_only_home)
    assert (shown.returncode, shown.stderr) == (0, "")
    assert '"title": "Hades"' in shown.stdout


def test_a_write_in_a_read_only_data_folder_says_why_and_saves_nothing(
    read_only_home: Path, questrya: Questrya
) -> None:
    before = (read_only_home / "questrya.db").read_bytes()

    done = as_reader(["games", "add", "Inside", "-p", "pc", "--no-fetch"], read_only_home)

    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert f"data folder {read_only_home} is read-only" in line
    assert "nothing was saved" in line
    assert (read_only_home / "questrya.db").read_bytes() == before
    assert sorted(path.name for path in read_only_home.iterdir()) == ["questrya.db"]


def test_a_reader_sees_what_a_writer_holding_the_database_open_has_committed(
    read_only_home: Path,
) -> None:
    writer = sqlite3.connect(read_only_home / "questrya.db")
    try:
        writer.execute("UPDATE games SET notes = 'from the writer' WHERE title = 'Hades'")
        writer.commit()
        assert (read_only_home / "questrya.db-wal").exists()

        shown = as_reader(["games", "show", "hades", "--json"], read_only_home)
    finally:
        writer.close()

    assert (shown.returncode, shown.stderr) == (0, "")
    assert '"notes": "from the writer"' in shown.stdout


@pytest.mark.parametrize("args", [["queue"], ["worker", "--burst"]], ids=" ".join)
def test_the_queue_in_a_read_only_data_folder_is_one_clear_line(
    read_only_home: Path, args: list[str]
) -> None:
    done = as_reader(args, read_only_home)
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert str(read_only_home / "queue.db") in line
