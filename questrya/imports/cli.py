"""`questrya games import`: a tracker's export, or Questrya's own, into the backlog."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from questrya.commands import examples, services
from questrya.common.exceptions import InvalidInputError
from questrya.console import JsonOption, print_json, print_line, progress_bar
from questrya.imports.schemas import ImportSummaryOut
from questrya.imports.service import FORMATS, ImportOptions, ImportService

FROM_INPUT = "-"


@examples(
    "questrya games import hltb.csv --dry-run   # what it would add and change",
    "questrya games import backlog.json --platform pc --no-fetch",
    "questrya games import --format steam --steam-id 76561197960287930   # online",
    see_also=["questrya games export", "questrya undo"],
)
def import_games(
    ctx: typer.Context,
    file: Annotated[
        str | None,
        typer.Argument(
            metavar="FILE", help="The export to import; - reads standard input.", show_default=False
        ),
    ] = None,
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=f"{', '.join(FORMATS)} (default: recognised from the file).",
        ),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option(
            "--platform", "-p", metavar="PLATFORM", help="For rows that name no platform."
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what the import would do; write nothing.")
    ] = False,
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Do not fetch the new games' metadata.")
    ] = False,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="Replace the fields games have with the file's."),
    ] = False,
    steam_id: Annotated[
        str | None,
        typer.Option(
            "--steam-id",
            metavar="ID",
            help="Import this Steam account's games online (its SteamID64; needs "
            "steam_api_key), instead of FILE.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Import a backlog: HowLongToBeat, Grouvee, Steam, GOG Galaxy or Playnite exports, or
    Questrya's own (games export), or a Steam account's games online. Games already there
    (by provider id, else title and platform) gain only the fields they lack, and the
    playtime and last played that grew; the same file twice changes nothing. One import is
    one change: `questrya undo` takes it all back."""
    options = ImportOptions(
        format=fmt, platform=platform, dry_run=dry_run, fetch=not no_fetch, overwrite=overwrite
    )
    if steam_id is not None and file is not None:
        raise InvalidInputError(f"give FILE ({file}) or --steam-id, not both")
    content = None if steam_id is not None else _content(file)  # read before the database
    service = services(ctx).get(ImportService)
    if content is None:
        summary = service.run_steam(str(steam_id), options)
    else:
        named = "standard input" if file == FROM_INPUT else str(file)
        lines = content.count(b"\n") + (not content.endswith(b"\n"))
        with progress_bar(lines, "Importing") as bar:
            summary = service.run(content, named, options, bar)
    counts = summary.counts()
    shown: ImportSummaryOut = {
        "format": summary.format,
        "dry_run": summary.dry_run,
        "interrupted": summary.interrupted,
        "added": counts["added"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
        "skipped": counts["skipped"],
        "unclear": counts["unclear"],
        "problems": [
            {"line": problem.line, "outcome": problem.outcome, "reason": problem.reason}
            for problem in summary.problems
        ],
    }
    if as_json:
        print_json(shown)
    else:
        _print_summary(shown, counts)
    if summary.interrupted:
        raise KeyboardInterrupt  # the boundary's exit code for Ctrl-C, once the summary is out


def _content(file: str | None) -> bytes:
    if file is None:
        raise InvalidInputError("give FILE to import (- for standard input), or --steam-id ID")
    if file == FROM_INPUT:
        if sys.stdin is None:
            raise InvalidInputError("standard input is closed: there is nothing to import")
        return sys.stdin.buffer.read()
    try:
        return Path(file).read_bytes()
    except OSError as error:
        raise InvalidInputError(f"cannot read {file}: {error.strerror}") from None


def _print_summary(summary: ImportSummaryOut, counts: dict[str, int]) -> None:
    """One line of counts, then a line for each row not imported."""
    state = " (dry run: nothing written)" if summary["dry_run"] else ""
    if summary["interrupted"]:
        state = " (interrupted; the batches written are kept)"
    counted = ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
    print_line(f"{summary['format']}{state}: {counted}")
    for problem in summary["problems"]:
        print_line(f"  line {problem['line']}, {problem['outcome']}: {problem['reason']}")
