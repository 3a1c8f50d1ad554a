"""`questrya worker install` and `uninstall`: a systemd user unit that systemd accepts, and
`games add` telling a player on a terminal, once a day, that no worker runs."""

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import QUESTRYA, run_installed
from tests.e2e.terminal import run_on_terminal

NO_WORKER = "No worker is running: the metadata waits."


def unit_file(config: Path) -> Path:
    return config / "systemd" / "user" / "questrya-worker.service"


def install(home: Path, config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_installed(["worker", *args], home, env={"XDG_CONFIG_HOME": str(config)})


def verified(path: Path) -> str:
    """What `systemd-analyze verify` says of the unit: empty when it accepts it. System mode:
    `--user` needs a user manager's runtime folder, which a test machine may lack; the unit's
    settings are read the same way."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed: the unit cannot be checked by systemd")
    result = subprocess.run(
        [analyze, "verify", str(path)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stderr + result.stdout


def test_install_writes_the_unit_print_shows_and_systemd_accepts(tmp_path: Path) -> None:
    home, config = tmp_path / "data", tmp_path / "config"

    shown = install(home, config, "install", "--print")
    assert shown.returncode == 0, shown.stderr
    assert not unit_file(config).exists()  # --print writes nothing
    lines = shown.stdout.splitlines()
    assert f"ExecStart={QUESTRYA} worker" in lines
    assert f"Environment=QUESTRYA_HOME={home}" in lines
    assert "Restart=on-failure" in lines
    assert "WantedBy=default.target" in lines

    written = install(home, config, "install")
    assert written.returncode == 0, written.stderr
    assert written.stdout == f"Wrote {unit_file(config)}\n"
    assert "systemctl --user daemon-reload && systemctl --user enable --now" in written.stderr
    assert unit_file(config).read_text(encoding="utf-8") == shown.stdout
    assert verified(unit_file(config)) == ""


def test_a_data_folder_with_spaces_and_percent_signs_is_quoted_for_systemd(
    tmp_path: Path,
) -> None:
    home, config = tmp_path / "my games %h", tmp_path / "config"

    assert install(home, config, "install").returncode == 0
    lines = unit_file(config).read_text(encoding="utf-8").splitlines()
    assert f'Environment="QUESTRYA_HOME={tmp_path}/my games %%h"' in lines
    assert verified(unit_file(config)) == ""


def test_no_questrya_home_in_the_environment_names_none_in_the_unit(tmp_path: Path) -> None:
    environment = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path)}
    result = subprocess.run(
        [str(QUESTRYA), "worker", "install", "--print"],
        capture_output=True,
        text=True,
        env={**environment, "PATH": "/usr/bin:/bin"},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "QUESTRYA_HOME" not in result.stdout


def test_uninstall_removes_the_unit_then_says_there_is_none(tmp_path: Path) -> None:
    home, config = tmp_path / "data", tmp_path / "config"
    assert install(home, config, "install").returncode == 0

    removed = install(home, config, "uninstall")
    assert removed.returncode == 0, removed.stderr
    assert removed.stdout == f"Removed {unit_file(config)}\n"
    assert not unit_file(config).exists()

    again = install(home, config, "uninstall")
    assert again.returncode == 0, again.stderr
    assert again.stdout == "No questrya-worker.service is installed: nothing to remove.\n"


# --- games add, with no worker running ----------------------------------------------------------


def test_games_add_on_a_terminal_says_once_a_day_that_no_worker_runs(tmp_path: Path) -> None:
    home = tmp_path / "data"

    code, shown = run_on_terminal(["games", "add", "Hades", "-p", "pc"], home)
    assert code == 0, shown
    assert shown.count(NO_WORKER) == 1
    assert "`questrya worker install` to start it at login" in shown
    assert (home / "worker-notice").read_text(encoding="utf-8") == date.today().isoformat()

    code, shown = run_on_terminal(["games", "add", "Celeste", "-p", "pc"], home)
    assert code == 0, shown
    assert "Celeste" in shown
    assert NO_WORKER not in shown  # told today already


def test_games_add_says_nothing_when_piped_or_when_nothing_was_queued(tmp_path: Path) -> None:
    home = tmp_path / "data"

    piped = run_installed(["games", "add", "Hades", "-p", "pc"], home)
    assert piped.returncode == 0, piped.stderr
    assert NO_WORKER not in piped.stderr

    code, shown = run_on_terminal(["games", "add", "Celeste", "-p", "pc", "--no-fetch"], home)
    assert code == 0, shown
    assert NO_WORKER not in shown
    assert not (home / "worker-notice").exists()  # still to be told, on the next fetch queued
