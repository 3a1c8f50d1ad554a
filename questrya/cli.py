"""The root command: registers each feature's commands and is the one error boundary.

Nothing here may load the database: `questrya --help` and `questrya games --help` import
neither SQLAlchemy nor Alembic; services are built when a command first asks for one.
"""

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from typing import Annotated, Any, NoReturn

import typer
from typer.exceptions import TyperException

from questrya import __version__
from questrya.commands import HelpfulGroup
from questrya.common.exceptions import (
    AmbiguousReferenceError,
    InvalidInputError,
    NotFoundError,
    QuestryaError,
)
from questrya.common.services import ServiceRegistry
from questrya.config import cli as config_cli
from questrya.console import ReaderGone, print_error
from questrya.games import cli as games_cli
from questrya.metadata import cli as metadata_cli
from questrya.users import cli as users_cli
from questrya.workers import cli as workers_cli

# PRODUCT §5: 1 a rule was broken or the operation failed, 2 bad input, 3 not found, 4 ambiguous.
EXIT_CODES: tuple[tuple[type[QuestryaError], int], ...] = (
    (InvalidInputError, 2),
    (NotFoundError, 3),
    (AmbiguousReferenceError, 4),
    (QuestryaError, 1),
)
EXIT_INTERRUPTED = 130


class GuardedGroup(HelpfulGroup):
    """The root group whose ``main`` turns every failure into one line and an exit code."""

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        sys.exit(
            guarded(
                lambda: super(GuardedGroup, self).main(
                    args, prog_name or "questrya", complete_var, standalone_mode=False, **extra
                )
            )
        )


def guarded(run: Callable[[], object]) -> int:
    """Run the command and return its exit code; no traceback unless QUESTRYA_DEBUG is set."""
    try:
        result = run()
    except typer.Exit as error:  # raised outside a command, e.g. by shell completion
        return error.exit_code
    except TyperException as error:  # usage errors: unknown option, bad value…
        print_error(error.format_message())
        return error.exit_code
    except typer.Abort:  # end of input at a prompt
        sys.stderr.write("\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        return EXIT_INTERRUPTED
    except (ReaderGone, BrokenPipeError):
        # The reader went away (`| head`): stop quietly, and keep the interpreter from
        # complaining again when it flushes stdout on exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except QuestryaError as error:
        _debug_traceback()
        candidates = error.candidates if isinstance(error, AmbiguousReferenceError) else ()
        print_error(str(error), candidates)
        return next(code for kind, code in EXIT_CODES if isinstance(error, kind))
    except Exception as error:
        _debug_traceback()
        print_error(
            f"unexpected {type(error).__name__}: {error} (set QUESTRYA_DEBUG=1 for a traceback)"
        )
        return 1
    return result if isinstance(result, int) else 0


def _debug_traceback() -> None:
    if os.environ.get("QUESTRYA_DEBUG", "") not in ("", "0"):
        traceback.print_exc()


app = typer.Typer(
    name="questrya",
    cls=GuardedGroup,
    help="A video-game backlog manager for the terminal.",
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(games_cli.app, name="games")
app.add_typer(users_cli.app, name="users")
app.add_typer(config_cli.app, name="config")
app.command()(games_cli.undo)
games_cli.app.command()(metadata_cli.match)
games_cli.app.command()(metadata_cli.refresh)
app.command()(workers_cli.worker)
app.command()(workers_cli.queue)


def _print_version(value: bool) -> None:
    if value:
        sys.stdout.write(f"questrya {__version__}\n")
        raise typer.Exit()


class _LazyContainer:
    """Resolves services through the composition root, imported on the first request only."""

    def __init__(self, user: str | None) -> None:
        self._user = user
        self._container: Any = None

    def __call__(self, kind: type[Any]) -> object:
        if self._container is None:
            from questrya.factory import Container

            self._container = Container(user=self._user)
        return self._container.build(kind)

    def close(self) -> None:
        if self._container is not None:
            self._container.close()


@app.callback()
def root(
    ctx: typer.Context,
    user: Annotated[
        str | None,
        typer.Option(
            "--user",
            "-u",
            metavar="NAME",
            help="The profile to act for (default: the default one).",
        ),
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """Questrya keeps your game backlog in a local database: add, play, complete, rate."""
    container = _LazyContainer(user)
    ctx.obj = ServiceRegistry(container)
    ctx.call_on_close(container.close)


def main() -> NoReturn:
    app()
    sys.exit(0)  # `app()` always exits through GuardedGroup.main; this keeps the type honest
