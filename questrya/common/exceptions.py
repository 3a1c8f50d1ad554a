"""The errors the program reports to the user.

Each family maps to one exit code at the CLI's error boundary; the domain and services
raise them without knowing about exit codes.
"""

from collections.abc import Sequence


class QuestryaError(Exception):
    """Base of every error reported as one line; the operation failed (exit 1)."""


class RuleViolationError(QuestryaError):
    """A business rule forbids the operation (exit 1)."""


class InvalidInputError(QuestryaError):
    """The user's input is malformed or out of range (exit 2)."""


class NotFoundError(QuestryaError):
    """The thing referred to does not exist (exit 3)."""


class AmbiguousReferenceError(QuestryaError):
    """A reference matches several things (exit 4); ``candidates`` lists them for the user."""

    def __init__(self, message: str, candidates: Sequence[str]) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


class StorageError(QuestryaError):
    """The database could not be used: busy, corrupt, full or unreachable (exit 1)."""
