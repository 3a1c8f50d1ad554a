"""Typer plumbing shared by every command module."""

import itertools

import typer
from typer.core import TyperCommand, TyperGroup

from questrya.common.services import ServiceRegistry


def services(ctx: typer.Context) -> ServiceRegistry:
    """The services the root command set up, built on first use."""
    registry = ctx.find_root().obj
    if not isinstance(registry, ServiceRegistry):
        raise RuntimeError("the root command did not set up the services")
    return registry


class HelpfulGroup(TyperGroup):
    """A command group that, given no command, prints its help and exits 0."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        if not args and not ctx.resilient_parsing:  # not while completing a command line
            typer.echo(ctx.get_help())
            ctx.exit(0)
        return super().parse_args(ctx, args)


class QueryCommand(TyperCommand):
    """A command whose positional QUERY words may start with '-' (`games list -tag:coop`).

    A word that starts with a single '-' and is not one of the command's options is a
    negated query term, not an unknown option; '--anything' unknown is still an error.
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
        elif arg.startswith("--") or arg in known:
            before.append(arg)
            if arg in needs_value:  # its value follows, whatever it looks like: `--limit -1`
                before.extend(itertools.islice(rest, 1))
        else:
            words.append(arg)
    return before, words
