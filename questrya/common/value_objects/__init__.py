"""Immutable values that validate on construction."""

from questrya.common.value_objects.email import Email
from questrya.common.value_objects.game_rating import GameRating
from questrya.common.value_objects.metadata import GameMetadata, MetadataStatus, ScoreSnapshot
from questrya.common.value_objects.platform import Platform

__all__ = ["Email", "GameMetadata", "GameRating", "MetadataStatus", "Platform", "ScoreSnapshot"]
