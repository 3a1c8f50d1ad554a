"""`questrya stats`, `next`, `pick` and `digest`: the backlog counted, ranked, drawn from at
random, and the week in a mail."""

import shutil
from collections.abc import Sequence
from typing import Annotated

import typer

from questrya.commands import at_least, examples, query_command, services
from questrya.console import (
    JsonOption,
    coloured,
    is_terminal,
    print_json,
    print_line,
    print_lines,
)
from questrya.games.views import GameViews
from questrya.insight.schemas import NextOut, ScoreTerm
from questrya.insight.service import DigestService
from questrya.insight.views import InsightViews

PIPED_WIDTH = 100  # the columns `stats` lays its charts out in when piped

QueryWords = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="QUERY",
        help="Query terms, as `games list` takes them (status:…, platform:…, tag:…, -term).",
        show_default=False,
    ),
]


def _views(ctx: typer.Context) -> InsightViews:
    return services(ctx).get(InsightViews)


@query_command
@examples(
    "questrya stats                          # counts, charts, the forecast",
    "questrya stats platform:switch --json",
    see_also=["questrya next", "questrya help query"],
)
def stats(ctx: typer.Context, query: QueryWords = None, as_json: JsonOption = False) -> None:
    """Counts by status, platform and rating; completions per month and year; time in the
    backlog; added against completed; how long the backlog takes at your pace.

    QUERY narrows the games counted, as in `games list`.
    """
    views = _views(ctx)
    figures = views.stats(query or ())
    if as_json:
        print_json(figures)
        return
    from questrya.insight.charts import stats_text  # rich, for the charts alone

    terminal = is_terminal()
    width = shutil.get_terminal_size().columns if terminal else PIPED_WIDTH
    forecast = views.forecast(figures)
    print_line(stats_text(figures, forecast, terminal=terminal, colour=coloured(), width=width))


@query_command
@examples(
    "questrya next                           # the five games to play next",
    "questrya next -n 3 --explain tag:coop   # each term of the score",
    "questrya config set next.weights.on_hold 3",
    see_also=["questrya pick", "questrya config show"],
)
def next(
    ctx: typer.Context,
    query: QueryWords = None,
    count: Annotated[
        int, typer.Option("-n", "--count", metavar="N", parser=at_least(1), help="How many.")
    ] = 5,
    explain: Annotated[
        bool, typer.Option("--explain", help="Show each term of the score and its points.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """What to play next: your not-started and on-hold games, best first by a score that adds
    up your rating, the user and critic scores, the time in the backlog, an on-hold bonus, the
    release's age, the length and the tags you boost or sink (weights: `next.weights.TERM`
    in `config show`). Ties go to the oldest game (the lowest id).

    QUERY narrows the games ranked, as in `games list`.
    """
    ranked = _views(ctx).ranked(query or (), limit=count)
    if as_json:
        games = services(ctx).get(GameViews).games_with_ids([game.game_id for game in ranked])
        print_json(
            [
                NextOut(
                    **game,
                    rank=rank,
                    next_score=chosen.score,
                    score_terms={
                        term.name: {
                            "value": term.value,
                            "weight": term.weight,
                            "points": term.points,
                        }
                        for term in chosen.terms
                    },
                )
                for rank, (chosen, game) in enumerate(zip(ranked, games, strict=True), start=1)
            ]
        )
        return
    if not ranked and is_terminal():
        print_line("Nothing to play next: no game not started or on hold matches.")
    for rank, chosen in enumerate(ranked, start=1):
        print_line(
            f"{rank}. {chosen.score:.2f}  {chosen.game_id}  {chosen.title} [{chosen.platform}]"
        )
        if explain:
            print_lines(_explained(chosen.terms))


def _explained(terms: Sequence[ScoreTerm]) -> list[str]:
    """A line a term: its value times its weight, and the points that makes."""
    width = max(len(term.name) for term in terms)
    return [
        f"     {term.name.ljust(width)}  {term.value:>8g} x {term.weight:<6g} = {term.points:>6.2f}"
        for term in terms
    ]


@query_command
@examples(
    "questrya pick                           # a game not started or on hold",
    "questrya pick status:completed --seed 7 # a replay, the same each time",
    see_also=["questrya next"],
)
def pick(
    ctx: typer.Context,
    query: QueryWords = None,
    seed: Annotated[
        int | None,
        typer.Option(metavar="N", help="Choose as with this seed before: the same game again."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """One game at random among those QUERY selects: among the games not started or on hold,
    unless QUERY names a status (`pick status:completed` for a replay)."""
    game = services(ctx).get(GameViews).game_by_id(_views(ctx).pick(query or (), seed))
    if as_json:
        print_json(game)
        return
    print_line(f"{game['id']}  {game['title']} [{game['platform']}]  {game['status']}")


@examples(
    "questrya digest --print                 # your week so far",
    "questrya config set digest weekly       # a running worker mails it each week",
    see_also=["questrya users edit", "questrya worker"],
)
def digest(
    ctx: typer.Context,
    print_only: Annotated[
        bool, typer.Option("--print", help="Show the digest here instead of mailing it.")
    ] = False,
) -> None:
    """Your week so far, from Monday: the games completed, started and added, the top three
    of `next`, and the user scores that moved by 5 points or more. Mailed now to the
    profile's address (smtp_url names the server), or shown with --print. With `digest`
    set to weekly, the worker mails every profile with an address the week just ended."""
    service = services(ctx).get(DigestService)
    if print_only:
        print_line(service.compose().text().rstrip("\n"))
        return
    print_line(f"Sent the digest to {service.send_now()}")
