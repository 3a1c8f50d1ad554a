"""Each export is recognised by its own format alone, from the head of the file (its first
4 KiB), so that `games import FILE` needs no `--format`."""

import json
from pathlib import Path

import pytest

from questrya.imports.formats import gog, grouvee, playnite, steam
from tests.unit.format_support import (
    GOG_HEADER,
    GROUVEE_SAMPLE,
    HLTB_SAMPLE,
    PLAYNITE_SAMPLE,
    STEAM_SAMPLE,
)

FORMATS = (grouvee, steam, gog, playnite)
HEAD = 4096


def head(path: Path) -> str:
    with path.open(encoding="utf-8", newline="") as file:
        return file.read(HEAD)


# Other formats' heads, written out: Questrya's own export, Playnite's fields, variants.
NATIVE_JSON = '{"format": "questrya", "version": 1, "games": [{"title": "Hades", "platform": "PC"'
NATIVE_CSV = (
    "title,platform,status,started,completed,completion_level,rating,wishlist,tags,notes,"
    "release_date,playtime,last_played,provider_ids\nHades,PC,completed,,,,9,false,,,,0,,\n"
)
PLAYNITE_FIELDS = "Name,Platforms,Sources,Completion Status,Time Played,Last Activity\nHades,"
GOG_SEMICOLONS = "title;platformList;gameMins\nHades;GOG;75\n"
GOG_FEW = "title\tgameMins\tlastPlayed\nHades\t75\t2024-01-31\n"
STEAM_PRIVATE = '{"response": {}}'
STEAM_PRETTY = json.dumps({"response": {"game_count": 1, "games": [{"appid": 570}]}}, indent=4)


@pytest.mark.parametrize(
    ("text", "format_name"),
    [
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
        (head(HLTB_SAMPLE), None),
        (NATIVE_JSON, None),
        (NATIVE_CSV, None),
        ("", None),
        ("title\n", None),
        ("name,platform\nHades,PC\n", None),
        ('{"response": {"total_count": 2, "games": []}}', None),  # recently played, not owned
    ],
)
def test_every_export_is_recognised_by_exactly_its_own_format(
    text: str, format_name: str | None
) -> None:
    recognised = [module.NAME for module in FORMATS if module.recognises(text)]

    assert recognised == ([format_name] if format_name else [])


def test_the_names_are_the_ones_import_takes() -> None:
    assert [module.NAME for module in FORMATS] == ["grouvee", "steam", "gog", "playnite"]
