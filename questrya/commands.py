"""Typer plumbing shared by every command module: the app class every feature uses, plain
help, groups whose commands are imported when named, the service registry, and how a query
command tells options from query words."""

import importlib
import itertools
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand, TyperGroup
from typer.models import CommandFunctionType

from questrya.common.services import ServiceRegistry

F = TypeVar("F", bound=Callable[..., Any])

# `-h` is help everywhere: on the root, every group and every command.
HELP_OPTIONS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


def services(ctx: typer.Context) -> ServiceRegistry:
    """The services the root command set up, built on first use."""
    registry = ctx.find_root().obj
    if not isinstance(registry, ServiceRegistry):
        raise RuntimeError("the root command did not set up the services")
    return registry


class HelpfulGroup(TyperGroup):
    """A command group that, given no command, prints its help and exits 0.

    Its ``lazy`` commands are imported only when the command line names one (or help and
    completion list them all): `questrya games rate` loads the games commands, not the
    worker's or the config's. Each maps a name to "module:attribute", a Typer app (a group)
    or a command function; "group command" adds a command of another module to a lazy group.
    """

    lazy: Mapping[str, str] = MappingProxyType({})

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if not args and not ctx.resilient_parsing:  # not while completing a command line
            typer.echo(ctx.get_help())
            ctx.exit(0)
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        named = [name for name in self.lazy if " " not in name and name not in self.commands]
        return [*super().list_commands(ctx), *named]

    def get_command(self, ctx: typer.Context, name: str) -> Any:  # type: ignore[override]
        if name not in self.commands and name in self.lazy:
            self.add_command(self._load(name), name)
        return super().get_command(ctx, name)

    def _load(self, name: str) -> Any:
        module, _, attribute = self.lazy[name].partition(":")
        target = getattr(importlib.import_module(module), attribute)
        if not isinstance(target, typer.Typer):
            return typer.main.get_command(_single(target))
        group = typer.main.get_group(target)
        if isinstance(group, HelpfulGroup):
            within = f"{name} "
            group.lazy = {
                command.removeprefix(within): where
                for command, where in self.lazy.items()
                if command.startswith(within)
            }
        return group


class RunnableGroup(HelpfulGroup):
    """A group that is a command too: named alone (`questrya worker`) it runs its own callback
    with its options; its commands (`worker install`) are named after it."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        return TyperGroup.parse_args(self, ctx, args)

    def format_epilog(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        PlainHelpCommand.format_epilog(self, ctx, formatter)  # type: ignore[arg-type]


def _single(function: Callable[..., Any]) -> "App":
    """An app of one command, ``function``, built as every `App.command` is (a query command
    when `query_command` marked it)."""
    app = App(help="", add_completion=False)
    app.command(cls=getattr(function, "command_class", None))(function)
    return app


def query_command(function: CommandFunctionType) -> CommandFunctionType:
    """Marks a root command whose QUERY words may start with '-' (`questrya stats -tag:coop`),
    as `QueryCommand` parses them."""
    function.command_class = QueryCommand  # type: ignore[attr-defined]
    return function


class PlainHelpCommand(TyperCommand):
    """A command whose help names arguments by their metavar (REF, TITLE), with no Python
    types: Typer would print ``{ref}`` and ``ref <str>``. Options show their own metavar."""

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:  # type: ignore[override]
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(_usage(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        sections: dict[str, list[tuple[str, str]]] = {"Arguments": [], "Options": []}
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                sections["Arguments"].append((_metavar(param), record[1]))
            else:
                sections["Options"].append(record)
        for title, records in sections.items():
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)

    def format_epilog(self, ctx: typer.Context, formatter: Any) -> None:  # type: ignore[override]
        """The examples and "see also" lines as written: command lines are never rewrapped."""
        if not self.epilog:
            return
        formatter.write_paragraph()
        for line in self.epilog.splitlines():
            formatter.write(f"{' ' * formatter.current_indent}{line}\n" if line else "\n")


Examples = tuple[tuple[str, ...], tuple[str, ...]]


def examples(*lines: str, see_also: Sequence[str] = ()) -> Callable[[F], F]:
    """A command's examples (shell lines, each with a comment if it needs one) and the
    commands to see also, shown at the end of its help."""

    def mark(function: F) -> F:
        function.__dict__["questrya_examples"] = (lines, tuple(see_also))
        return function

    return mark


def _epilog(function: Callable[..., Any]) -> str | None:
    marked: Examples | None = function.__dict__.get("questrya_examples")
    if marked is None:
        return None
    lines, see_also = marked
    text = "\n".join(["Examples:", *(f"  {line}" for line in lines)])
    return f"{text}\n\nSee also: {', '.join(see_also)}" if see_also else text


def _metavar(argument: TyperArgument) -> str:
    return argument.metavar or (argument.name or "").upper()


def _usage(argument: TyperArgument) -> str:
    shown = _metavar(argument)
    if argument.nargs != 1 and not shown.endswith("..."):
        shown += "..."
    return shown if argument.required else f"[{shown}]"


class App(typer.Typer):
    """A Typer app whose groups and commands all take `-h` and print plain help."""

    def __init__(self, *, help: str, cls: type[TyperGroup] = HelpfulGroup, **options: Any) -> None:
        super().__init__(
            help=help, cls=cls, context_settings=HELP_OPTIONS, rich_markup_mode=None, **options
        )

    def command(
        self, name: str | None = None, *, cls: type[TyperCommand] | None = None, **options: Any
    ) -> Callable[[CommandFunctionType], CommandFunctionType]:
        settings = {**HELP_OPTIONS, **options.pop("context_settings", {})}

        def register(function: CommandFunctionType) -> CommandFunctionType:
            return super(App, self).command(
                name,
                cls=cls or PlainHelpCommand,
                context_settings=settings,
                epilog=_epilog(function),
                **options,
            )(function)

        return register

    def runnable(self) -> Callable[[CommandFunctionType], CommandFunctionType]:
        """The callback of a `RunnableGroup`: what the group runs when no command is named."""

        def register(function: CommandFunctionType) -> CommandFunctionType:
            return super(App, self).callback(invoke_without_command=True, epilog=_epilog(function))(
                function
            )

        return register


def at_least(minimum: int) -> Callable[[str], int]:
    """An option's parser: a whole number of at least ``minimum``, refused in plain words."""

    def parse(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise typer.BadParameter(f"{text!r} is not a whole number") from None
        if number < minimum:
            raise typer.BadParameter(f"must be {minimum} or more, not {number}")
        return number

    return parse


class QueryCommand(PlainHelpCommand):
    """A command whose positional QUERY words may start with '-' (`games list -tag:coop`).

    A word of '-' and one character is a short option (an unknown one is a usage error, as
    `--anything` unknown is); a longer word starting with a single '-' that is not one of
    the command's options is a negated query term (`-tag:coop`, `-hades`).
    """

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        options, words = _split_query_words(self, ctx, args)
        return super().parse_args(ctx, [*options, "--", *words])


def _split_query_words(
    command: TyperCommand, ctx: typer.Context, args: list[str]
) -> tuple[list[str], list[str]]:
    options = [param for param in command.get_params(ctx) if param.param_type_name == "option"]
    known = {name for param in options for name in (*param.opts, *param.secondary_opts)}
    needs_value = {
        name
        for param in options
        if not (getattr(param, "is_flag", False) or getattr(param, "count", False))
        for name in param.opts
    }
    before: list[str] = []
    words: list[str] = []
    rest = iter(args)
    for arg in rest:
        if arg == "--":
            words.extend(rest)
        elif arg.startswith("--") or arg in known or _is_short_option(arg):
            before.append(arg)
            if arg in needs_value:  # its value follows, whatever it looks like: `--limit -1`
                before.extend(itertools.islice(rest, 1))
        else:
            words.append(arg)
    return before, words


def _is_short_option(arg: str) -> bool:
    return len(arg) == 2 and arg[0] == "-" and arg[1] != "-"
