"""`questrya config …` and the settings at their edges (PRODUCT §2): values checked before they
are written, a broken config.toml named by file and line and repairable, secrets masked."""

import stat
from pathlib import Path

import pytest

from tests.conftest import Questrya, error_line

SECRET = "hunter2"


def config_file(home: Path) -> Path:
    return home / "config.toml"


def write_config(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = config_file(home)
    path.write_text(text, encoding="utf-8")
    return path


def shown(questrya: Questrya, key: str) -> object:
    outcome = questrya("config", "show", "--json")
    assert outcome.exit_code == 0, outcome.stderr
    return outcome.json()[key]


# --- config set checks what later commands need --------------------------------------------


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("score_schedule", "61 4 * * *", "61"),
        ("score_schedule", "0 4 * *", "5 crontab fields"),
        ("database_url", "garbage://", "database_url"),
        ("queue_url", "garbage://", "queue_url"),
        ("http_timeout", "abc", "http_timeout"),
        ("provider", "foo", "provider"),
    ],
)
def test_a_value_later_commands_could_not_use_is_refused_and_nothing_written(
    questrya: Questrya, home: Path, key: str, value: str, named: str
) -> None:
    path = write_config(home, "# my settings\nmax_attempts = 3\n")
    before = path.read_bytes()

    outcome = questrya("config", "set", key, value)

    assert outcome.exit_code == 2
    assert named in error_line(outcome)
    assert path.read_bytes() == before
    assert questrya("games", "list").exit_code == 0


@pytest.mark.embedded  # a database file
def test_a_good_schedule_and_database_url_are_stored(questrya: Questrya, home: Path) -> None:
    database = home / "elsewhere.db"
    assert questrya("config", "set", "score_schedule", "30 5 * * 1").exit_code == 0
    assert questrya("config", "set", "database_url", f"sqlite:///{database}").exit_code == 0
    assert shown(questrya, "score_schedule") == {"value": "30 5 * * 1", "source": "config"}
    assert questrya("games", "add", "Hades", "-p", "pc", "--no-fetch").exit_code == 0
    assert database.exists()
    assert stat.S_IMODE(config_file(home).stat().st_mode) == 0o600


def test_a_provider_without_its_key_is_refused_naming_the_key(questrya: Questrya) -> None:
    refused = questrya("config", "set", "provider", "rawg")
    assert refused.exit_code == 2
    assert "rawg_api_key" in error_line(refused)
    assert shown(questrya, "provider") == {"value": "steam", "source": "default"}

    assert questrya("config", "set", "rawg_api_key", "k-123").exit_code == 0
    assert questrya("config", "set", "provider", "rawg").exit_code == 0
    assert shown(questrya, "provider") == {"value": "rawg", "source": "config"}


def test_commands_that_need_no_network_work_while_the_providers_key_is_missing(
    questrya: Questrya, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert questrya("games", "add", "Hades", "-p", "pc").exit_code == 0
    monkeypatch.setenv("QUESTRYA_PROVIDER", "rawg")

    for args in (["queue"], ["games", "match", "hades"], ["games", "refresh", "hades"]):
        outcome = questrya(*args)
        assert outcome.exit_code == 0, (args, outcome.stderr)


# --- config unset ----------------------------------------------------------------------------


def test_config_unset_removes_a_setting_and_keeps_the_rest(questrya: Questrya, home: Path) -> None:
    write_config(home, "# my settings\nmax_attempts = 3\nhttp_timeout = 5\n")

    outcome = questrya("config", "unset", "http_timeout")

    assert outcome.exit_code == 0, outcome.stderr
    assert "http_timeout" in outcome.stdout
    assert config_file(home).read_text(encoding="utf-8") == "# my settings\nmax_attempts = 3\n"
    assert shown(questrya, "http_timeout") == {"value": 10.0, "source": "default"}


def test_a_weight_is_set_in_its_table_and_unset_with_it(questrya: Questrya, home: Path) -> None:
    write_config(home, "# my settings\nmax_attempts = 3\n")

    assert questrya("config", "set", "next.weights.release_age", "-0.5").exit_code == 0
    assert questrya("config", "set", "next.weights.tags", "1").exit_code == 0

    text = config_file(home).read_text(encoding="utf-8")
    assert text.endswith("[next.weights]\nrelease_age = -0.5\ntags = 1.0\n")
    assert shown(questrya, "next.weights.release_age") == {"value": -0.5, "source": "config"}
    assert questrya("config", "unset", "next.weights.release_age").exit_code == 0
    assert questrya("config", "unset", "next.weights.tags").exit_code == 0
    assert (
        config_file(home).read_text(encoding="utf-8").strip() == "# my settings\nmax_attempts = 3"
    )


def test_config_unset_of_a_setting_not_in_the_file_says_so(questrya: Questrya) -> None:
    outcome = questrya("config", "unset", "http_timeout")
    assert outcome.exit_code == 0, outcome.stderr
    assert "not set" in outcome.stdout


def test_config_unset_of_an_unknown_setting_is_bad_input(questrya: Questrya) -> None:
    outcome = questrya("config", "unset", "no_such_setting")
    assert outcome.exit_code == 2
    assert "no_such_setting" in error_line(outcome)


# --- a broken config.toml, a bad environment ---------------------------------------------------


def test_a_toml_syntax_error_names_the_file_and_line_everywhere_but_config_path(
    questrya: Questrya, home: Path
) -> None:
    path = write_config(home, "max_attempts = 3\nhttp_timeout = = 5\n")
    before = path.read_bytes()

    for args in (
        ["games", "list"],
        ["config", "show"],
        ["config", "set", "http_timeout", "5"],
        ["config", "unset", "http_timeout"],
    ):
        outcome = questrya(*args)
        assert outcome.exit_code == 2, args
        line = error_line(outcome)
        assert str(path) in line
        assert "line 2" in line
        assert "config path" in line
    assert path.read_bytes() == before

    where = questrya("config", "path")
    assert (where.exit_code, where.stdout) == (0, f"{path}\n")


@pytest.mark.parametrize("repair", [["set", "http_timeout", "5"], ["unset", "http_timeout"]])
def test_a_bad_value_in_the_file_is_named_and_config_set_or_unset_repairs_it(
    questrya: Questrya, home: Path, repair: list[str]
) -> None:
    path = write_config(home, 'http_timeout = "abc"\n')
    for args in (["games", "list"], ["config", "show"]):
        outcome = questrya(*args)
        assert outcome.exit_code == 2, args
        line = error_line(outcome)
        assert "http_timeout" in line
        assert str(path) in line

    fixed = questrya("config", *repair)

    assert fixed.exit_code == 0, fixed.stderr
    assert questrya("games", "list").exit_code == 0


def test_an_invalid_environment_value_names_the_variable(
    questrya: Questrya, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUESTRYA_PROVIDER", "foo")
    outcome = questrya("games", "list")
    assert outcome.exit_code == 2
    assert "QUESTRYA_PROVIDER" in error_line(outcome)

    monkeypatch.delenv("QUESTRYA_PROVIDER")
    path = write_config(home, 'provider = "foo"\n')
    outcome = questrya("games", "list")
    assert outcome.exit_code == 2
    assert str(path) in error_line(outcome)


def test_a_data_folder_that_is_a_file_is_one_clear_line(questrya: Questrya, home: Path) -> None:
    home.parent.mkdir(parents=True, exist_ok=True)
    home.write_text("not a folder", encoding="utf-8")
    for args in (["games", "list"], ["config", "show"], ["users", "list"]):
        outcome = questrya(*args)
        assert outcome.exit_code == 2, args
        line = error_line(outcome)
        assert "QUESTRYA_HOME" in line
        assert str(home) in line


# --- secrets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"garbage://alice:{SECRET}@db.example.com/backlog",
        f"postgresql+nodriver://alice:{SECRET}@db.example.com/backlog",
    ],
)
def test_a_database_url_password_is_never_echoed(
    questrya: Questrya, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    refused = questrya("config", "set", "database_url", url)
    assert refused.exit_code == 2
    assert SECRET not in refused.stdout + refused.stderr
    assert "alice:********@" in error_line(refused)

    monkeypatch.setenv("QUESTRYA_DATABASE_URL", url)
    failed = questrya("games", "list")
    assert failed.exit_code == 2
    assert SECRET not in failed.stdout + failed.stderr
    assert "alice:********@" in error_line(failed)


def test_the_worker_will_not_start_without_the_providers_key(
    questrya: Questrya, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUESTRYA_PROVIDER", "rawg")
    outcome = questrya("worker", "--burst")
    assert outcome.exit_code == 2
    assert "rawg_api_key" in error_line(outcome)
