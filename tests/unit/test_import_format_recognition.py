"""Each export is recognised by its own format alone, from the head of the file (its first
4 KiB), so that `games import FILE` needs no `--format`. Every format of the registry is
asked of every head, so a format added there is checked against all the others' files, and
must bring an export of its own here."""

import json
from pathlib import Path

import pytest

from questrya.imports import formats
from tests.unit.format_support import (
    GOG_HEADER,
    GROUVEE_SAMPLE,
    HLTB_SAMPLE,
    PLAYNITE_SAMPLE,
    STEAM_SAMPLE,
)

HEAD = 4096


def head(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as file:
        return file.read(HEAD)


# Other formats' heads, written out: Questrya's own export, Playnite's fields, variants.
NATIVE_JSON = '{"format": "questrya", "version": 1, "games": [{"title": "Hades", "platform": "PC"'
NATIVE_CSV = (
    "title,platform,status,release_date,started_date,completion_date,completion_level,rating,"
    "wishlist,tags,notes,playtime,last_played,provider_ids\nHades,PC,completed,,,,,9,false,,,0,,\n"
)
PLAYNITE_FIELDS = "Name,Platforms,Sources,Completion Status,Time Played,Last Activity\nHades,"
GOG_SEMICOLONS = "title;platformList;gameMins\nHades;GOG;75\n"
GOG_FEW = "title\tgameMins\tlastPlayed\nHades\t75\t2024-01-31\n"
STEAM_PRIVATE = '{"response": {}}'
STEAM_PRETTY = json.dumps({"response": {"game_count": 1, "games": [{"appid": 570}]}}, indent=4)


HEADS = [
    (head(GROUVEE_SAMPLE), "grouvee"),
    ("\ufeff" + head(GROUVEE_SAMPLE), "grouvee"),
    (head(STEAM_SAMPLE), "steam"),
    (STEAM_PRIVATE, "steam"),
    (STEAM_PRETTY, "steam"),
    (head(GOG_HEADER), "gog"),
    (GOG_SEMICOLONS, "gog"),
    (GOG_FEW, "gog"),
    (head(PLAYNITE_SAMPLE), "playnite"),
    ("\ufeff" + PLAYNITE_FIELDS, "playnite"),
    (head(HLTB_SAMPLE), "hltb"),
    (NATIVE_JSON, "json"),
    (NATIVE_CSV, "csv"),
    ("title\n", "csv"),
    ("", None),
    ("name,platform\nHades,PC\n", None),
    ('{"response": {"total_count": 2, "games": []}}', None),  # recently played, not owned
]


@pytest.mark.parametrize(("text", "format_name"), HEADS)
def test_every_export_is_recognised_by_exactly_its_own_format(
    text: str, format_name: str | None
) -> None:
    recognised = [module.NAME for module in formats.available() if module.recognises(text)]

    assert recognised == ([format_name] if format_name else [])


def test_every_format_of_the_registry_has_an_export_above() -> None:
    assert {name for _, name in HEADS if name} == set(formats.MODULES)


def test_the_names_are_the_ones_import_takes() -> None:
    assert [module.NAME for module in formats.available()] == [
        "json",
        "csv",
        "hltb",
        "grouvee",
        "steam",
        "gog",
        "playnite",
    ]
