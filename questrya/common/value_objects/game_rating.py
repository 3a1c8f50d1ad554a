from dataclasses import dataclass

from questrya.common.exceptions import InvalidInputError

RECOMMENDED_FROM = 7


@dataclass(frozen=True, slots=True)
class GameRating:
    """A player's rating: a whole number from 1 to 10."""

    score: int

    def __post_init__(self) -> None:
        if isinstance(self.score, bool) or not isinstance(self.score, int):
            raise InvalidInputError(f"rating must be a whole number, got {self.score!r}")
        if not 1 <= self.score <= 10:
            raise InvalidInputError(f"rating must be between 1 and 10, got {self.score}")

    @property
    def recommended(self) -> bool:
        return self.score >= RECOMMENDED_FROM

    def __str__(self) -> str:
        return str(self.score)
