"""Terminal output shared by every command: data on stdout, diagnostics and prompts on stderr.

Rich tables and colour on a terminal; plain text with no ANSI codes when piped or when
NO_COLOR is set. Machine formats never go through rich, so they are never wrapped. A stream
closed by the shell (`>&-`) is None in ``sys``: stdout then fails like a full disk, stderr
loses its message, stdin is no terminal to ask.
"""

import csv
import io
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from enum import StrEnum
from typing import Annotated, Any

import typer

from questrya.common.exceptions import InvalidInputError
from questrya.common.secrets import mask_passwords


def is_terminal() -> bool:
    return sys.stdout is not None and sys.stdout.isatty()


class ReaderGone(Exception):
    """stdout's reader closed the pipe (`questrya games list | head -1`).

    Not an OSError, so that Typer's own EPIPE handling (exit 1) leaves it to the boundary.
    """


class OutputFailed(Exception):
    """stdout could not be written (a full disk, a closed stream); the reason is the message."""


class Declined(Exception):
    """The player answered no: nothing was changed, and that is not an error."""


def _write(text: str) -> None:
    with _stdout_errors():
        if sys.stdout is None:
            raise OutputFailed("standard output is closed")
        sys.stdout.write(text)


def flush_output() -> None:
    """Write out what stdout still buffers, so that a failure surfaces here, not at exit."""
    with _stdout_errors():
        if sys.stdout is not None:
            sys.stdout.flush()


@contextmanager
def _stdout_errors() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        raise ReaderGone from None
    except OSError as error:
        raise OutputFailed(error.strerror or str(error)) from None


def print_json(data: Any) -> None:
    _write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def print_line(text: str) -> None:
    _write(text + "\n")


def print_error(message: str, details: Iterable[str] = ()) -> None:
    """One ``Error: …`` line on stderr (newlines folded, passwords masked), then any details."""
    line = mask_passwords(" ".join(message.split("\n")))
    print_notice("\n".join([f"Error: {line}", *(f"  {detail}" for detail in details)]))


def print_notice(text: str) -> None:
    """A diagnostic line on stderr."""
    _to_stderr(text + "\n")


def _to_stderr(text: str) -> None:
    """Lost, not raised, when stderr is closed or cannot be written: the exit code remains."""
    if sys.stderr is None:
        return
    with suppress(OSError):
        sys.stderr.write(text)
        sys.stderr.flush()


def confirm(question: str, preview: Iterable[str]) -> None:
    """Show ``preview`` and ask ``question`` on the terminal (stderr), never on stdout, which
    may be a file or a pipe. No terminal to ask is bad input; anything but yes (the end of
    input too) raises ``Declined``."""
    if sys.stdin is None or not sys.stdin.isatty():
        raise InvalidInputError("refusing without --yes: there is no terminal to ask")
    for line in preview:
        print_notice(line)
    # Not typer.confirm: even with err=True it echoes a space to stdout through input().
    _to_stderr(f"{question} [y/N]: ")
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise Declined


def print_default_profile(name: str, previous: str | None, warning: str | None) -> None:
    """What `users use` and `config set user` changed, and an override that still wins."""
    was = "" if previous is None else " (unchanged)" if previous == name else f" (was {previous})"
    print_line(f"Default profile: {name}{was}")
    if warning is not None:
        print_notice(f"Note: {warning}")


def print_table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """A rich table on a terminal; plain aligned columns when piped (fast, never wrapped)."""
    cells = [[plain_text(cell) for cell in row] for row in rows]
    if not is_terminal():
        _print_columns([list(headers), *cells])
        return
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Columns two spaces apart, as when piped; on a narrow terminal a column gives way at
    # its spaces (a title wraps) before a word is cut ("not_started", a tag).
    table = Table(
        box=box.SIMPLE_HEAD,
        header_style="bold cyan",
        show_edge=False,
        pad_edge=False,
        collapse_padding=True,
    )
    for column, header in enumerate(headers):
        words = (word for line in [headers, *cells] for word in line[column].split())
        table.add_column(header, min_width=min(max(map(len, words), default=0), _WORD_KEPT))
    for row in cells:
        # Text() keeps a title like "[Redacted]" from being read as rich markup.
        table.add_row(*(Text(cell) for cell in row))
    # Rich drops only colours for NO_COLOR; no colour system drops bold and the rest too.
    plain = bool(os.environ.get("NO_COLOR"))
    Console(color_system=None if plain else "auto").print(table)


# The longest word a narrow table keeps whole: longer ones (a URL, a path) may be cut.
_WORD_KEPT = 16


def _print_columns(lines: list[list[str]]) -> None:
    widths = [max(len(line[column]) for line in lines) for column in range(len(lines[0]))]
    for line in lines:
        padded = "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True))
        print_line(padded.rstrip())


def print_fields(pairs: Iterable[tuple[str, object]]) -> None:
    """A record as aligned ``name  value`` lines, for `show` commands."""
    items = [(name, plain_text(value)) for name, value in pairs]
    width = max((len(name) for name, _ in items), default=0)
    for name, value in items:
        print_line(f"{name.ljust(width)}  {value}")


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    IDS = "ids"


# The machine formats every listing takes, chosen with `output_format`.
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
JsonlOption = Annotated[bool, typer.Option("--jsonl", help="One JSON object a line.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="CSV with a header row.")]
IdsOption = Annotated[bool, typer.Option("--ids", help="One id a line.")]


def output_format(
    *, json: bool = False, jsonl: bool = False, csv: bool = False, ids: bool = False
) -> OutputFormat:
    chosen = [
        kind
        for kind, wanted in (
            (OutputFormat.JSON, json),
            (OutputFormat.JSONL, jsonl),
            (OutputFormat.CSV, csv),
            (OutputFormat.IDS, ids),
        )
        if wanted
    ]
    if len(chosen) > 1:
        names = " and ".join(f"--{kind.value}" for kind in chosen)
        raise InvalidInputError(f"choose one output format, not {names}")
    return chosen[0] if chosen else OutputFormat.TABLE


def print_records(
    records: Sequence[dict[str, Any]],
    fmt: OutputFormat,
    *,
    columns: Sequence[str],
    table: Callable[[], None],
    key: str = "id",
) -> None:
    """A listing in the chosen format; ``table`` draws the human one."""
    if fmt is OutputFormat.JSON:
        print_json(list(records))
    elif fmt is OutputFormat.JSONL:
        for record in records:
            print_line(json.dumps(record, ensure_ascii=False))
    elif fmt is OutputFormat.CSV:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows(
            [_csv_cell(record.get(column)) for column in columns] for record in records
        )
        _write(buffer.getvalue())
    elif fmt is OutputFormat.IDS:
        for record in records:
            print_line(str(record[key]))
    elif records or is_terminal():
        table()


def _csv_cell(value: Any) -> str:
    """Lists joined with ';', objects as JSON, the rest as in a table."""
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return plain_text(value)


def plain_text(value: object) -> str:
    """A value as the player reads it: booleans as true/false (as TOML and JSON write them),
    null as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
