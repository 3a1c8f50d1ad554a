"""Terminal output shared by every command: data on stdout, diagnostics on stderr.

Rich tables and colour on a terminal; plain text with no ANSI codes when piped or when
NO_COLOR is set (rich honours it). Machine formats never go through rich, so they are never wrapped.
"""

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any


def is_terminal() -> bool:
    return sys.stdout.isatty()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_line(text: str) -> None:
    sys.stdout.write(text + "\n")


def print_error(message: str, details: Iterable[str] = ()) -> None:
    """One ``Error: …`` line on stderr (newlines folded), then any detail lines."""
    sys.stderr.write("Error: " + " ".join(message.split("\n")) + "\n")
    for line in details:
        sys.stderr.write(f"  {line}\n")


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    terminal = is_terminal()
    table = Table(
        *headers,
        box=box.SIMPLE_HEAD if terminal else None,
        header_style="bold cyan" if terminal else "",
        pad_edge=False,
    )
    for row in rows:
        # Text() keeps a title like "[Redacted]" from being read as rich markup.
        table.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    # Piped output is never wrapped to a guessed width: scripts get whole titles.
    console = Console(width=None if terminal else 10_000)
    console.print(table)


def print_fields(pairs: Iterable[tuple[str, object]]) -> None:
    """A record as aligned ``name  value`` lines, for `show` commands."""
    items = [(name, "" if value is None else str(value)) for name, value in pairs]
    width = max((len(name) for name, _ in items), default=0)
    for name, value in items:
        print_line(f"{name.ljust(width)}  {value}")
