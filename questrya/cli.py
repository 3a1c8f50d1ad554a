"""The root command: registers each feature's commands and is the one error boundary.

Nothing here may load the database: `questrya --help` and `questrya games --help` import
neither SQLAlchemy nor Alembic; services are built when a command first asks for one.
"""

import os
import sys
import traceback
from collections.abc import Callable, MutableMapping, Sequence
from contextlib import suppress
from typing import Annotated, Any, NoReturn

import typer
from typer.exceptions import TyperException

from questrya import __version__
from questrya.commands import App, HelpfulGroup
from questrya.common.exceptions import (
    AmbiguousReferenceError,
    InvalidInputError,
    NotFoundError,
    QuestryaError,
)
from questrya.common.services import ServiceRegistry
from questrya.completion import Completed, register_shells
from questrya.console import (
    Declined,
    OutputFailed,
    ReaderGone,
    flush_output,
    print_error,
    print_line,
    print_notice,
)

# PRODUCT §5: 1 a rule was broken or the operation failed, 2 bad input, 3 not found, 4 ambiguous.
EXIT_CODES: tuple[tuple[type[QuestryaError], int], ...] = (
    (InvalidInputError, 2),
    (NotFoundError, 3),
    (AmbiguousReferenceError, 4),
    (QuestryaError, 1),
)
EXIT_INTERRUPTED = 130
# How a failure the program did not foresee (a bug) begins: tests look for it.
INTERNAL_ERROR = "internal error, please report it"
NOTHING_CHANGED = "Nothing changed."


# Every command, in the order help lists them; each module is imported when its command runs.
COMMANDS = {
    "undo": "questrya.games.cli:undo",
    "worker": "questrya.workers.cli:app",
    "queue": "questrya.workers.cli:queue",
    "platforms": "questrya.games.cli:platforms",
    "tags": "questrya.games.cli:tags",
    "help": "questrya.games.cli:help_topic",
    "games": "questrya.games.cli:app",
    "games match": "questrya.metadata.cli:match",
    "games refresh": "questrya.metadata.cli:refresh",
    "games import": "questrya.imports.cli:import_games",
    "users": "questrya.users.cli:app",
    "config": "questrya.config.cli:app",
    "stats": "questrya.insight.cli:stats",
    "next": "questrya.insight.cli:next",
    "pick": "questrya.insight.cli:pick",
    "digest": "questrya.insight.cli:digest",
    "db": "questrya.database.cli:app",
}


class GuardedGroup(HelpfulGroup):
    """The root group whose ``main`` turns every failure into one line and an exit code."""

    lazy = COMMANDS

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> NoReturn:
        # The root callback fills in the profile option; the boundary asks it, once the command
        # has run, whether a change was saved before an output failure.
        container = _LazyContainer()
        sys.exit(
            guarded(
                lambda: super(GuardedGroup, self).main(
                    args,
                    prog_name or "questrya",
                    complete_var,
                    standalone_mode=False,
                    obj=container,
                    **extra,
                ),
                saved=container.saved,
            )
        )

    def _main_shell_completion(
        self, ctx_args: MutableMapping[str, Any], prog_name: str, complete_var: str | None = None
    ) -> None:
        """Complete the command line, when the shell asks (Typer exits then). Whatever fails
        completes nothing and prints nothing: an error line would land in the shell."""
        register_shells()
        try:
            super()._main_shell_completion(ctx_args, prog_name, complete_var)
        except Exception:
            sys.exit(1)


def guarded(run: Callable[[], object], saved: Callable[[], bool] = lambda: False) -> int:
    """Run the command and return its exit code; no traceback unless QUESTRYA_DEBUG is set."""
    try:
        result = run()
        flush_output()  # inside the boundary: a full disk is reported here, not at exit
    except typer.Exit as error:  # raised outside a command, e.g. by shell completion
        return error.exit_code
    except TyperException as error:  # usage errors: unknown option, bad value…
        print_error(error.format_message())
        return error.exit_code
    except Declined:  # "no" at a prompt
        print_notice(NOTHING_CHANGED)
        return 1
    except typer.Abort:  # the end of input where Typer read it
        print_notice("")
        return 1
    except KeyboardInterrupt:
        print_notice("")
        return EXIT_INTERRUPTED
    except (ReaderGone, BrokenPipeError):
        # The reader went away (`| head`): stop quietly.
        _discard_stdout()
        return 0
    except OutputFailed as error:
        _discard_stdout()
        print_error(_output_failure(str(error), saved=saved()))
        return 1
    except QuestryaError as error:
        _debug_traceback()
        candidates = error.candidates if isinstance(error, AmbiguousReferenceError) else ()
        print_error(str(error), candidates)
        return next(code for kind, code in EXIT_CODES if isinstance(error, kind))
    except OSError as error:
        _debug_traceback()
        if error.filename is None:
            return _unforeseen(error)
        # A file the system would not let us use: the environment's doing, not a bug.
        print_error(f"cannot use {error.filename}: {error.strerror}")
        return 1
    except Exception as error:
        _debug_traceback()
        return _unforeseen(error)
    return result if isinstance(result, int) else 0


def _unforeseen(error: Exception) -> int:
    print_error(f"{INTERNAL_ERROR}: {error} (set QUESTRYA_DEBUG=1 for a traceback)")
    return 1


def _output_failure(reason: str, *, saved: bool) -> str:
    if saved:
        return f"the change was saved, but its output could not be written: {reason}"
    return f"the output could not be written: {reason}; nothing was changed"


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush at exit cannot complain
    again about output that could not be written."""
    if sys.stdout is not None:
        with suppress(OSError):  # a stream with no file descriptor (tests) has nothing to flush
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _debug_traceback() -> None:
    if os.environ.get("QUESTRYA_DEBUG", "") not in ("", "0") and sys.stderr is not None:
        traceback.print_exc()


app = App(
    name="questrya",
    cls=GuardedGroup,
    help="A video-game backlog manager for the terminal.",
    pretty_exceptions_enable=False,
)


def _print_version(ctx: typer.Context, value: bool) -> None:
    if value and not ctx.resilient_parsing:  # not while completing a command line
        print_line(f"questrya {__version__}")
        raise typer.Exit()


class _LazyContainer:
    """Resolves services through the composition root, imported on the first request only."""

    def __init__(self) -> None:
        self.user: str | None = None  # the --user option, set by the root callback
        self._container: Any = None

    def __call__(self, kind: type[Any]) -> object:
        if self._container is None:
            from questrya.factory import Container

            self._container = Container(user=self.user)
        return self._container.build(kind)

    def reading(self, user: str | None) -> ServiceRegistry:
        """The read side as it stands, for completing a command line (the root callback does
        not run then): it creates no database and no profile."""
        from questrya.factory import Container

        self._container = Container(user=user, read_only=True)
        return ServiceRegistry(self._container.build)

    def saved(self) -> bool:
        """Whether this command saved a change to the database."""
        return self._container is not None and bool(self._container.saved)

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
            click_type=Completed("questrya.users.completion:profiles"),
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
    container = ctx.obj
    if not isinstance(container, _LazyContainer):
        raise RuntimeError("the root command runs through GuardedGroup.main")
    container.user = user
    ctx.obj = ServiceRegistry(container)
    ctx.call_on_close(container.close)


def main() -> NoReturn:
    app()
    sys.exit(0)  # `app()` always exits through GuardedGroup.main; this keeps the type honest
