"""How an import's summary looks to scripts (`games import --json`)."""

from typing import TypedDict


class ProblemOut(TypedDict):
    """A row not imported: its line in the file, ``skipped`` or ``unclear``, and why."""

    line: int
    outcome: str
    reason: str


class ImportSummaryOut(TypedDict):
    format: str
    dry_run: bool  # nothing was written
    interrupted: bool  # stopped by Ctrl-C: the batches before it are kept, whole
    # Rows, by what became of them.
    added: int
    updated: int
    unchanged: int
    skipped: int
    unclear: int
    problems: list[ProblemOut]  # the skipped and unclear rows, by line
