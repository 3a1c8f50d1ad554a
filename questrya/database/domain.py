"""What a copy of a whole backlog is checked by: the rows of each table."""

from dataclasses import dataclass

# What each table holds, as `db copy` prints it, in the order rows are copied (a row after
# the rows it refers to).
TABLES = {
    "users": "profiles",
    "games": "games",
    "game_tags": "tags",
    "game_metadata": "metadata",
    "game_scores": "scores",
    "changes": "changes",
    "game_events": "events",
}


@dataclass(frozen=True)
class RowCounts:
    """How many rows each table of a backlog holds."""

    rows: dict[str, int]

    @property
    def empty(self) -> bool:
        return not any(self.rows.values())

    def line(self) -> str:
        return ", ".join(f"{shown} {self.rows.get(table, 0)}" for table, shown in TABLES.items())


@dataclass(frozen=True)
class CopyReport:
    source: str
    target: str
    copied: RowCounts
