"""`questrya worker install`: a systemd user unit that starts the worker at login and restarts
it when it fails. The standard library only; systemctl is left to the player."""

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from questrya.common.exceptions import InvalidInputError

UNIT_NAME = "questrya-worker.service"
ENABLE = f"systemctl --user daemon-reload && systemctl --user enable --now {UNIT_NAME}"
DISABLE = f"systemctl --user disable --now {UNIT_NAME}"
CRON = "*/10 * * * * questrya worker --burst"


@dataclass(frozen=True)
class WorkerUnit:
    """The unit for this installation: the data folder is named when QUESTRYA_HOME names it
    (``home``), so the worker serves the folder the commands use."""

    home: Path | None

    def text(self) -> str:
        environment = (
            [f"Environment={_quoted(f'QUESTRYA_HOME={self.home.absolute()}')}"] if self.home else []
        )
        command = " ".join(_quoted(word).replace("$", "$$") for word in questrya_command())
        return "\n".join(
            [
                "[Unit]",
                "Description=Questrya worker: fetches game metadata and refreshes scores",
                "",
                "[Service]",
                f"ExecStart={command} worker",
                *environment,
                "Restart=on-failure",
                "RestartSec=10",
                "",
                "[Install]",
                "WantedBy=default.target",
                "",
            ]
        )

    def install(self) -> Path:
        path = unit_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        written = path.with_name(f".{path.name}.tmp")
        written.write_text(self.text(), encoding="utf-8")
        written.replace(path)  # whole or not at all
        return path

    def uninstall(self) -> Path | None:
        """Remove the unit; the path removed, or None when there was none."""
        path = unit_path()
        try:
            path.unlink()
        except FileNotFoundError:
            return None
        return path


def unit_path() -> Path:
    """Where systemd looks for a user's own units: ``$XDG_CONFIG_HOME/systemd/user``."""
    _refuse_off_linux()
    from platformdirs import user_config_dir  # only for this command

    return Path(user_config_dir()) / "systemd" / "user" / UNIT_NAME


def questrya_command() -> list[str]:
    """How systemd runs this installation: the `questrya` being run (its link kept, so that
    an upgrade in place keeps the unit working), else the one on PATH, else this Python."""
    _refuse_off_linux()
    running = Path(sys.argv[0])
    if running.name == "questrya" and running.is_file():
        return [str(running.absolute())]
    found = shutil.which("questrya")
    if found is not None:
        return [str(Path(found).absolute())]
    return [sys.executable, "-m", "questrya"]


def _refuse_off_linux() -> None:
    if not sys.platform.startswith("linux"):
        raise InvalidInputError(
            "a systemd unit needs Linux; elsewhere run `questrya worker --burst` from cron"
            f" (e.g. `{CRON}`)"
        )


def _quoted(word: str) -> str:
    """A word as systemd reads it: in double quotes when it holds a space or a quote, and
    `%` doubled, which systemd would take for a specifier."""
    word = word.replace("%", "%%")
    if not any(char in word for char in " \t\"'\\"):
        return word
    escaped = word.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'
