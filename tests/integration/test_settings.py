"""Reading the settings (PRODUCT §2): option > QUESTRYA_* environment > config.toml > default,
each value checked and, when bad, named by where it came from."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.common.secrets import MASK, Secret
from questrya.settings import load_settings


@pytest.fixture
def config(home: Path) -> Path:
    home.mkdir(parents=True)
    return home / "config.toml"


def test_an_option_beats_the_environment_which_beats_the_file_which_beats_the_default(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.write_text('http_timeout = 5\nrate_limit = 3\nprovider = "igdb"\n', encoding="utf-8")
    monkeypatch.setenv("QUESTRYA_HTTP_TIMEOUT", "7")
    monkeypatch.setenv("questrya_rate_limit", "2.5")  # variable names ignore case

    settings = load_settings(http_timeout="9", provider=None)  # None: the option not given

    assert settings.http_timeout == 9.0
    assert settings.rate_limit == 2.5
    assert settings.provider == "igdb"
    assert settings.max_attempts == 5
    assert settings.auto_fetch is True


@pytest.mark.embedded  # the defaults, without the test run's servers
def test_the_databases_default_to_the_data_folder(home: Path) -> None:
    settings = load_settings()
    assert settings.home == home
    assert settings.database_url == f"sqlite:///{home / 'questrya.db'}"
    assert settings.queue_url == f"sqlite:///{home / 'queue.db'}"


def test_values_are_read_as_their_type(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config.write_text("max_attempts = 3.0\nsteam_store_url = 'https://s.example/'\n", "utf-8")
    monkeypatch.setenv("QUESTRYA_AUTO_FETCH", "Off")
    monkeypatch.setenv("QUESTRYA_RETRY_DELAY", " 0 ")

    settings = load_settings()

    assert (settings.max_attempts, settings.auto_fetch, settings.retry_delay) == (3, False, 0.0)
    assert settings.steam_store_url == "https://s.example"


@pytest.mark.parametrize(
    ("variable", "value", "reason"),
    [
        ("QUESTRYA_HTTP_TIMEOUT", "abc", "must be a number"),
        ("QUESTRYA_HTTP_TIMEOUT", "0", "greater than 0"),
        ("QUESTRYA_RETRY_DELAY", "inf", "finite"),
        ("QUESTRYA_MAX_ATTEMPTS", "2.5", "whole number"),
        ("QUESTRYA_MAX_ATTEMPTS", "0", "1 or more"),
        ("QUESTRYA_AUTO_FETCH", "maybe", "true or false"),
        ("QUESTRYA_PROVIDER", "Steam", "steam, rawg or igdb"),
        ("QUESTRYA_RAWG_URL", "http://api.example", "https://"),
    ],
)
def test_a_bad_environment_value_names_the_variable(
    home: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, reason: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(InvalidInputError) as raised:
        load_settings()
    assert str(raised.value).startswith(f"invalid {variable} in the environment: ")
    assert reason in str(raised.value)


def test_a_bad_file_value_names_the_file_and_how_to_repair_it(config: Path) -> None:
    config.write_text("score_schedule = 5\n", encoding="utf-8")
    with pytest.raises(InvalidInputError) as raised:
        load_settings()
    assert str(raised.value) == (
        f"invalid score_schedule in {config}: must be text; change it with "
        "`questrya config set score_schedule VALUE` or remove it with "
        "`questrya config unset score_schedule`"
    )


def test_a_bad_option_names_the_setting(home: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"^invalid value for rate_limit: must be"):
        load_settings(rate_limit="-1")


def test_the_file_may_hold_neither_home_nor_unknown_keys_that_matter(config: Path) -> None:
    config.write_text("home = '/elsewhere'\nno_such_setting = 1\n", encoding="utf-8")
    assert load_settings().home == config.parent


def test_secrets_are_masked_wherever_they_are_shown(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUESTRYA_RAWG_API_KEY", "hunter2")
    settings = load_settings()
    assert settings.rawg_api_key == Secret("hunter2")
    assert settings.rawg_api_key is not None
    assert settings.rawg_api_key.get_secret_value() == "hunter2"
    for shown in (str(settings.rawg_api_key), repr(settings.rawg_api_key), repr(settings)):
        assert "hunter2" not in shown
    assert MASK in str(settings.rawg_api_key)


def test_reading_the_settings_imports_neither_pydantic_nor_platformdirs(home: Path) -> None:
    """Every command reads the settings first: they must cost no heavy import."""
    probe = (
        "import sys; from questrya.settings import load_settings; load_settings(); "
        "print(' '.join(sorted({m.split('.')[0] for m in sys.modules})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QUESTRYA_HOME": str(home)},
    )
    assert {"pydantic", "pydantic_settings", "platformdirs"} & set(done.stdout.split()) == set()


def test_a_dotted_setting_is_a_table_in_the_file_and_underscores_in_the_environment(
    config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config.write_text(
        '[next]\nboost = ["Coop", "short", "coop"]\n\n[next.weights]\nrating = 2\ntags = -1.5\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("QUESTRYA_NEXT_WEIGHTS_TAGS", "3")
    monkeypatch.setenv("QUESTRYA_NEXT_SINK", "horror, ")

    settings = load_settings()

    assert settings.value("next.weights.rating") == 2.0
    assert settings.value("next.weights.tags") == 3.0  # the environment beats the file
    assert settings.value("next.weights.on_hold") == 2.0  # the default
    assert (settings.next_boost, settings.next_sink) == (("coop", "short"), ("horror",))


def test_a_bad_weight_in_the_file_names_its_dotted_key(config: Path) -> None:
    config.write_text('[next.weights]\nrating = "lots"\n', encoding="utf-8")
    with pytest.raises(InvalidInputError) as raised:
        load_settings()
    assert str(raised.value).startswith(f"invalid next.weights.rating in {config}: ")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://mail.example", "smtp:// or smtps://"),
        ("smtp://", "smtp:// or smtps://"),
        ("smtp://mail.example:abc", "port that is a number"),
    ],
)
def test_an_smtp_url_is_checked_and_never_quoted(home: Path, url: str, reason: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        load_settings(smtp_url=url)
    assert reason in str(raised.value)
    assert "mail.example" not in str(raised.value)


def test_the_smtp_url_is_a_secret(home: Path) -> None:
    settings = load_settings(smtp_url="smtps://me:hunter2@mail.example:465", digest="weekly")
    assert settings.smtp_url == Secret("smtps://me:hunter2@mail.example:465")
    assert "hunter2" not in repr(settings)
    assert settings.digest == "weekly"
