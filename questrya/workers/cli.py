"""`questrya worker` (with `install` and `uninstall`) and `questrya queue`. Huey loads only
when the worker runs or the queue is read."""

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from questrya.commands import App, RunnableGroup, at_least, examples, services
from questrya.common.dates import local_time
from questrya.console import JsonOption, print_json, print_line, print_notice

if TYPE_CHECKING:
    from questrya.workers.consumer import Worker
    from questrya.workers.presence import RunningWorker
    from questrya.workers.systemd import WorkerUnit

app = App(help="Fetch metadata and refresh scores in the background.", cls=RunnableGroup)


def _worker(ctx: typer.Context) -> "Worker":
    from questrya.workers.consumer import Worker

    return services(ctx).get(Worker)


@app.runnable()
@examples(
    "questrya worker           # runs until Ctrl-C",
    "questrya worker --burst   # does what is due, then exits (for cron)",
    "questrya worker install   # starts it at login (systemd)",
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
    if ctx.invoked_subcommand is not None:
        return
    _worker(ctx).run(workers=workers, periodic=not no_periodic, burst=burst)


@examples("questrya queue", "questrya queue --json", see_also=["questrya worker"])
def queue(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """Show whether a worker runs, the tasks waiting and scheduled, and the games by metadata
    status."""
    worker = _worker(ctx)
    status = worker.status()
    running = worker.running()
    if as_json:
        shown = [one.as_json() for one in running]
        print_json({**asdict(status), "worker": shown[0] if shown else None, "workers": shown})
        return
    for line in _worker_lines(running, shared=worker.lock_path is None):
        print_line(line)
    print_line(f"waiting: {status.waiting}  scheduled: {status.scheduled}")
    print_line("games: " + "  ".join(f"{name} {count}" for name, count in status.games.items()))


def _worker_lines(running: "list[RunningWorker]", *, shared: bool) -> list[str]:
    """A line for the SQLite queue's one worker; on a shared queue, one for each worker,
    with the machine it runs on."""
    if not running:
        return ["worker: none running (start one with `questrya worker`)"]
    if not shared:
        return [f"worker: running, {_worker_line(running[0], shared=False)}"]
    lines = (f"  {_worker_line(one, shared=True)}" for one in running)
    return [f"workers: {len(running)} running", *lines]


def _worker_line(running: "RunningWorker", *, shared: bool) -> str:
    line = f"pid {running.pid}"
    if shared and running.host is not None:
        line += f" on {running.host}"
    if running.since is not None:
        line += f", since {local_time(running.since)}"
    last = running.last_task
    if last is not None:
        game = f" of game {last.game}" if last.game is not None else ""
        failed = " (failed)" if not last.ok else ""
        line += f"; last task {last.name}{game}{failed} at {local_time(last.at)}"
    return line


def _unit(ctx: typer.Context) -> "WorkerUnit":
    from questrya.workers.systemd import WorkerUnit

    return services(ctx).get(WorkerUnit)


@app.command()
@examples(
    "questrya worker install           # then enable it with systemctl --user",
    "questrya worker install --print   # shows the unit, writes nothing",
    see_also=["questrya worker uninstall", "questrya queue"],
)
def install(
    ctx: typer.Context,
    show: Annotated[
        bool, typer.Option("--print", help="Print the unit instead of writing it.")
    ] = False,
) -> None:
    """Write a systemd user unit that starts the worker at login and restarts it on failure
    (Linux; elsewhere run `questrya worker --burst` from cron)."""
    from questrya.workers.systemd import ENABLE

    unit = _unit(ctx)
    if show:
        print_line(unit.text().rstrip("\n"))
        return
    path = unit.install()
    print_line(f"Wrote {path}")
    print_notice(f"Start it now and at every login: {ENABLE}")


@app.command()
@examples("questrya worker uninstall", see_also=["questrya worker install"])
def uninstall(ctx: typer.Context) -> None:
    """Remove the systemd user unit `worker install` wrote."""
    from questrya.workers.systemd import DISABLE, UNIT_NAME

    path = _unit(ctx).uninstall()
    if path is None:
        print_line(f"No {UNIT_NAME} is installed: nothing to remove.")
        return
    print_line(f"Removed {path}")
    print_notice(f"If it runs, stop it: {DISABLE} && systemctl --user daemon-reload")
