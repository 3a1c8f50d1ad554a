"""Building the configured provider from setting values."""

from typing import Any

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.metadata.providers.igdb import IgdbProvider
from questrya.metadata.providers.rawg import RawgProvider
from questrya.metadata.providers.registry import build_provider
from questrya.metadata.providers.steam import SteamProvider

SETTINGS: dict[str, Any] = {
    "steam_store_url": "https://store.steampowered.com",
    "steam_api_url": "https://api.steampowered.com",
    "rawg_url": "https://api.rawg.io/api",
    "igdb_url": "https://api.igdb.com/v4",
    "twitch_token_url": "https://id.twitch.tv/oauth2/token",
    "rawg_api_key": None,
    "igdb_client_id": None,
    "igdb_client_secret": None,
    "http_timeout": 10,
    "rate_limit": 1,
}


@pytest.mark.parametrize(
    ("name", "keys", "kind"),
    [
        ("steam", {}, SteamProvider),
        ("rawg", {"rawg_api_key": "k"}, RawgProvider),
        ("igdb", {"igdb_client_id": "i", "igdb_client_secret": "s"}, IgdbProvider),
    ],
)
def test_each_provider_is_built_from_its_settings(
    name: str, keys: dict[str, str], kind: type[object]
) -> None:
    provider = build_provider(name, **SETTINGS | keys)

    assert isinstance(provider, kind)
    assert provider.name == name


@pytest.mark.parametrize(
    ("name", "keys", "message"),
    [
        ("rawg", {}, "the rawg provider needs rawg_api_key: questrya config set rawg_api_key …"),
        ("rawg", {"rawg_api_key": ""}, "needs rawg_api_key"),
        ("igdb", {"igdb_client_secret": "s"}, "the igdb provider needs igdb_client_id"),
        ("igdb", {"igdb_client_id": "i"}, "the igdb provider needs igdb_client_secret"),
    ],
)
def test_a_missing_key_is_bad_input_naming_the_setting(
    name: str, keys: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInputError, match=message):
        build_provider(name, **SETTINGS | keys)


def test_an_unknown_provider_is_bad_input() -> None:
    with pytest.raises(InvalidInputError, match="unknown provider 'gog'"):
        build_provider("gog", **SETTINGS)
