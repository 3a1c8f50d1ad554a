"""How an import's rows meet the backlog: which game a row is, and what that game gains."""

from collections.abc import Mapping
from datetime import date
from typing import Any

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.games.domain import imported_snapshot, merged_snapshot
from questrya.imports.domain import (
    Checked,
    Entry,
    Known,
    Outcome,
    Problem,
    gained,
    key_of,
    plan,
    provider_labels,
)

TODAY = date(2026, 3, 1)


def game(title: str, platform: str = "PC", **fields: Any) -> dict[str, Any]:
    """A game's snapshot, checked as an import checks one."""
    return imported_snapshot({"title": title, "platform": platform, **fields}, TODAY)


def stored(title: str, game_id: int, *labels: str, **fields: Any) -> Entry:
    snapshot = game(title, **fields)
    return Entry(snapshot, key_of(snapshot), labels, id=game_id)


def merge(stored: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    return merged_snapshot(stored, changes, TODAY)


def checked(line: int, title: str, *labels: str, **fields: Any) -> Checked:
    snapshot = game(title, **fields)
    return Checked(line, snapshot, key_of(snapshot), labels)


def test_a_row_is_checked_by_the_game_s_rules_and_its_platform_alias_resolved() -> None:
    snapshot = game("  Hades ", "windows", status="completed", completion_date="2025-01-02")

    assert (snapshot["title"], snapshot["platform"], snapshot["completion_date"]) == (
        "Hades",
        "PC",
        "2025-01-02",
    )


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"title": " "}, "title must not be empty"),
        ({"rating": 11}, "rating must be between 1 and 10"),
        ({"status": "won"}, "status must be one of"),
        ({"status": "playing", "completion_date": "2025-01-02"}, "has no completion date"),
        (
            {"status": "completed", "started_date": "2025-02-01", "completion_date": "2025-01-02"},
            "completion date 2025-01-02 is before the start date 2025-02-01",
        ),
        ({"status": "playing", "completion_level": "full"}, "has no completion level"),
        ({"tags": ["two words"]}, "one short word"),
        ({"last_played": "2027-01-01"}, "is in the future"),
    ],
)
def test_a_row_the_game_s_rules_refuse_says_why(fields: dict[str, Any], says: str) -> None:
    with pytest.raises(InvalidInputError, match=says):
        imported_snapshot({"title": "Hades", "platform": "PC", **fields}, TODAY)


def test_an_imported_game_keeps_the_dates_the_file_gives_and_no_others() -> None:
    snapshot = game("Hades", status="completed")

    assert (snapshot["status"], snapshot["completion_date"]) == ("completed", None)


def test_a_game_gains_only_the_fields_it_lacks() -> None:
    have = game("Hades", rating=8, notes="")
    row = game("Hades", rating=6, notes="heat 16", tags=["roguelike"], playtime=300)

    assert gained(have, row, overwrite=False) == {
        "notes": "heat 16",
        "tags": ["roguelike"],
        "playtime": 300,
    }


def test_with_overwrite_a_game_takes_every_field_the_row_gives() -> None:
    have = game("Hades", rating=8, notes="mine", playtime=100)
    row = game("Hades", rating=6, playtime=300)

    assert gained(have, row, overwrite=True) == {"rating": 6, "playtime": 300}


def test_more_playtime_and_a_later_last_played_update_a_game_without_overwrite() -> None:
    have = game("Hades", rating=8, playtime=100, last_played="2026-01-10")
    later = game("Hades", rating=6, playtime=160, last_played="2026-02-20")
    earlier = game("Hades", playtime=40, last_played="2025-12-01")

    assert gained(have, later, overwrite=False) == {"playtime": 160, "last_played": "2026-02-20"}
    assert gained(have, earlier, overwrite=False) == {}
    assert gained(have, earlier, overwrite=True) == {"playtime": 40, "last_played": "2025-12-01"}


def test_the_play_state_goes_whole_and_a_status_of_not_started_replaces_none() -> None:
    have = game("Hades")
    done = game(
        "Hades", status="completed", started_date="2025-01-01", completion_date="2025-02-01"
    )
    playing = game("Hades", status="playing", started_date="2024-05-05")

    assert gained(have, done, overwrite=False) == {
        "status": "completed",
        "started_date": "2025-01-01",
        "completion_date": "2025-02-01",
    }
    assert gained(playing, done, overwrite=False) == {}  # playing is a state of its own
    assert gained(done, have, overwrite=True) == {}  # not started says nothing
    assert gained(playing, done, overwrite=True) == {
        "status": "completed",
        "started_date": "2025-01-01",
        "completion_date": "2025-02-01",
    }


def test_the_same_status_fills_in_the_dates_and_level_it_lacks() -> None:
    have = game("Hades", status="completed")
    row = game("Hades", status="completed", completion_date="2025-02-01", completion_level="main")

    assert gained(have, row, overwrite=False) == {
        "completion_date": "2025-02-01",
        "completion_level": "main",
    }


def test_a_row_matches_by_provider_id_first_then_title_and_platform() -> None:
    hades, dota = stored("Hades", 1), stored("Dota 2", 2, "steam:570", platform="Linux")
    known = Known()
    known.add(hades)
    known.add(dota)

    assert known.match(key_of(game("HADES")), ()) is hades
    assert known.match(key_of(game("Hades", "Switch")), ()) is None
    assert known.match(key_of(game("DOTA2")), ("steam:570",)) is dota


def test_two_games_matching_one_row_make_it_unclear() -> None:
    known = Known()
    for entry in (
        stored("Hades", 1),
        stored("Hades II", 2, "steam:1145360"),
        stored("Dota 2", 3, "steam:570", platform="Linux"),
        stored("Dota 2 Reborn", 4, "steam:570", platform="Mac"),
    ):
        known.add(entry)

    by_both = known.match(key_of(game("Hades")), ("steam:1145360",))
    by_two_ids = known.match(key_of(game("Dota 2")), ("steam:570",))

    assert by_both == Problem(
        0, Outcome.UNCLEAR, "game 2 matches its provider id, game 1 its title and platform"
    )
    assert by_two_ids == Problem(
        0, Outcome.UNCLEAR, "2 games match its provider id: game 3, game 4"
    )


def test_an_id_two_games_share_is_narrowed_to_the_row_s_platform() -> None:
    pc, mac = stored("Dota 2", 3, "steam:570"), stored("Dota 2", 4, "steam:570", platform="Mac")
    known = Known()
    known.add(pc)
    known.add(mac)

    assert known.match(key_of(game("Dota 2", "Mac")), ("steam:570",)) is mac


def test_provider_ids_read_as_the_worker_takes_them_steam_first() -> None:
    assert provider_labels({"igdb": "1020", "Steam": " 570 ", "gog": ""}) == (
        "steam:570",
        "igdb:1020",
    )


def test_a_batch_adds_updates_leaves_alone_and_a_later_row_fills_an_earlier_one() -> None:
    known = Known()
    known.add(stored("Hades", 1, rating=8))
    known.add(stored("Celeste", 2, notes="b-sides"))

    batch = plan(
        [
            checked(2, "Hades", notes="heat 16"),
            checked(3, "Celeste"),
            checked(4, "Tunic"),
            checked(5, "tunic", rating=9),
            checked(6, "Inside", status="playing", completion_date=None),
        ],
        known,
        merge,
        overwrite=False,
    )

    assert [entry.fields["title"] for entry in batch.added] == ["Tunic", "Inside"]
    assert batch.added[0].fields["rating"] == 9  # the row after it filled it in
    [update] = batch.updated
    assert (update.game.id, update.before["notes"], update.after["notes"]) == (1, "", "heat 16")
    assert batch.outcomes == {Outcome.ADDED: 2, Outcome.UPDATED: 2, Outcome.UNCHANGED: 1}


def test_what_a_row_would_make_of_a_game_is_checked_and_refused_when_it_breaks_a_rule() -> None:
    known = Known()
    known.add(stored("Hades", 1, release_date="2020-09-17", status="playing"))

    batch = plan(
        [checked(7, "Hades", status="playing", started_date="2019-01-01")],
        known,
        merge,
        overwrite=False,
    )

    assert batch.updated == []
    assert batch.problems == [
        Problem(
            7,
            Outcome.SKIPPED,
            "start date 2019-01-01 is before the release date 2020-09-17",
        )
    ]


def test_a_game_known_already_is_kept_as_the_rows_before_made_it() -> None:
    known = Known()
    first = stored("Dota 2", 3, "steam:570")
    known.add(first)
    first.fields = {**first.fields, "notes": "filled in"}

    known.add(stored("Dota 2", 3, "steam:570"))  # read again for the next batch

    assert known.match(key_of(game("Dota 2")), ("steam:570",)) is first
