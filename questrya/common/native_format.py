"""Questrya's own backlog file: what `games export` writes and `games import` reads back.

Every field the player gives a game, and the ids providers know it by, so that a backlog
moves to another machine or profile without loss. JSON is one document,
``{"format": "questrya", "version": 1, "games": [...]}``, a game an object with the keys of
``FIELDS`` (dates ISO, playtime in minutes, ``provider_ids`` like ``{"steam": "570"}``); CSV
has a column each, in that order, lists joined with ``LIST_SEPARATOR``, booleans ``true`` or
``false``, ``provider_ids`` a JSON object.
"""

FORMAT = "questrya"
VERSION = 1
FIELDS = (
    "title",
    "platform",
    "status",
    "release_date",  # the player's own: the metadata's is fetched again
    "started_date",
    "completion_date",
    "completion_level",
    "rating",
    "wishlist",
    "tags",
    "notes",
    "playtime",
    "last_played",
    "provider_ids",
)
LIST_SEPARATOR = ";"
