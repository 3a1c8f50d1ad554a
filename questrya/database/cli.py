"""`questrya db copy`: the whole backlog to another database, or from one."""

from typing import Annotated

import typer

from questrya.commands import App, examples, services
from questrya.console import print_line
from questrya.database.service import DatabaseService

app = App(help="The backlog's database as a whole: copy it to or from another database.")


@app.command()
@examples(
    "questrya db copy --to postgresql+psycopg://me@nas/questrya   # this backlog, whole",
    "questrya db copy --from postgresql+psycopg://me@nas/questrya --force",
    see_also=["questrya config set database_url"],
)
def copy(
    ctx: typer.Context,
    to: Annotated[
        str | None, typer.Option("--to", metavar="URL", help="Copy the backlog to this database.")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option("--from", metavar="URL", help="Copy the backlog from this database."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace what a database that is not empty holds.")
    ] = False,
) -> None:
    """Copy every profile, game, tag, event, change, metadata row and score between the
    configured database and another (SQLite or PostgreSQL), ids kept, then count them there."""
    report = services(ctx).get(DatabaseService).copy(to=to, source=source, force=force)
    print_line(f"Copied {report.source} to {report.target}")
    print_line(f"Counted there: {report.copied.line()}")
