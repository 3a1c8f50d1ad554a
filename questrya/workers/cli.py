"""`questrya worker` and `questrya queue`. Huey loads only when one of them runs."""

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from questrya.commands import at_least, examples, services
from questrya.console import JsonOption, print_json, print_line

if TYPE_CHECKING:
    from questrya.workers.consumer import Worker


def _worker(ctx: typer.Context) -> "Worker":
    from questrya.workers.consumer import Worker

    return services(ctx).get(Worker)


@examples(
    "questrya worker           # runs until Ctrl-C",
    "questrya worker --burst   # does what is due, then exits (for cron)",
    see_also=["questrya queue", "questrya games refresh"],
)
def worker(
    ctx: typer.Context,
    workers: Annotated[
        int,
        typer.Option("--workers", metavar="N", parser=at_least(1), help="Worker threads."),
    ] = 1,
    no_periodic: Annotated[
        bool,
        typer.Option(
            "--no-periodic", help="Run no periodic task (the score refresh, the weekly digest)."
        ),
    ] = False,
    burst: Annotated[
        bool,
        typer.Option("--burst", help="Run what is queued (and retries due soon), then exit."),
    ] = False,
) -> None:
    """Fetch metadata and refresh scores in the background (Ctrl-C finishes the task in hand)."""
    _worker(ctx).run(workers=workers, periodic=not no_periodic, burst=burst)


@examples("questrya queue", "questrya queue --json", see_also=["questrya worker"])
def queue(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """Show the tasks waiting and scheduled, and the games by metadata status."""
    status = _worker(ctx).status()
    if as_json:
        print_json(asdict(status))
        return
    print_line(f"waiting: {status.waiting}  scheduled: {status.scheduled}")
    print_line("games: " + "  ".join(f"{name} {count}" for name, count in status.games.items()))
