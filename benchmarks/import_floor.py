"""The floor of an import, the baseline of `games import`: the same rows of the same
HowLongToBeat file into the same tables by the standard library's sqlite3 alone.

    python benchmarks/import_floor.py DATABASE_FILE HLTB_FILE

Reads the CSV with the csv module, turns each row into the columns of `games`, `game_tags`
and `game_events` (its status from the lists, its title folded by lower(), an event of the
same fields; no rule checked, no game matched) and inserts them with executemany, 500 rows a
transaction as the import commits them, on a connection set up as the program's (WAL,
synchronous NORMAL, foreign keys): the database's own work, and the least Python around it.
"""

import csv
import json
import sqlite3
import sys
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

BATCH = 500
STATUS = (("Playing", "playing"), ("Replay", "playing"), ("Completed", "completed"),
          ("Retired", "abandoned"))  # fmt: skip
GAME = (
    "INSERT INTO games (user_id, title, title_key, platform, platform_key, status, started_date,"
    " completion_date, rating, wishlist, notes, playtime, metadata_status, added_at, updated_at,"
    " fetch_attempts, fetch_restart) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, 0, 'skipped', ?, ?,"
    " 0, 0)"
)
EVENT = (
    "INSERT INTO game_events (user_id, game_id, change_id, kind, at, before, after)"
    " VALUES (?, ?, ?, 'import', ?, NULL, ?)"
)


def main() -> None:
    database, path = sys.argv[1], sys.argv[2]
    connection = sqlite3.connect(database, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        connection.execute(f"PRAGMA {pragma}")
    owner = connection.execute("SELECT id FROM users WHERE is_default").fetchone()[0]
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")
    change = None
    with Path(path).open(encoding="utf-8", newline="") as stream:
        rows = csv.DictReader(stream)
        while batch := list(islice(rows, BATCH)):
            connection.execute("BEGIN IMMEDIATE")
            if change is None:
                change = connection.execute(
                    "INSERT INTO changes (user_id, at) VALUES (?, ?)", (owner, now)
                ).lastrowid
            games = [_game(owner, row, now) for row in batch]
            first = _next_id(connection)
            connection.executemany(GAME, games)
            ids = range(first, first + len(games))
            tagged = [(game_id, row) for game_id, row in zip(ids, batch, strict=True)]
            tags = [(game_id, "custom-1") for game_id, row in tagged if row["Custom-1"]]
            connection.executemany("INSERT INTO game_tags (game_id, tag) VALUES (?, ?)", tags)
            events = [
                (owner, game_id, change, now, json.dumps(_snapshot(game)))
                for game_id, game in zip(ids, games, strict=True)
            ]
            connection.executemany(EVENT, events)
            connection.execute("COMMIT")
    connection.close()


def _game(owner: int, row: dict[str, str], now: str) -> tuple[object, ...]:
    status = next((status for name, status in STATUS if row[name]), "not_started")
    review = int(row["Review"]) if row["Review"] else None
    return (
        owner, row["Title"], row["Title"].lower(), row["Platform"], row["Platform"].lower(),
        status, row["Start Date"] or None, row["Completion Date"] or None,
        max(1, (review + 5) // 10) if review else None, row["General Notes"], now, now,
    )  # fmt: skip


def _snapshot(game: tuple[object, ...]) -> dict[str, object]:
    """What the import's event keeps of a game it adds: every field the player sees."""
    return {
        "title": game[1], "platform": game[3], "status": game[5], "release_date": None,
        "started_date": game[6], "completion_date": game[7], "completion_level": None,
        "rating": game[8], "wishlist": False, "tags": [], "notes": game[9], "playtime": 0,
        "last_played": None,
    }  # fmt: skip


def _next_id(connection: sqlite3.Connection) -> int:
    found = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = 'games'").fetchone()
    return (found[0] if found else 0) + 1


if __name__ == "__main__":
    main()
