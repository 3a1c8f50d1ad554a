"""`questrya games match` and `games refresh`: the player's hand on the metadata."""

import sys
from typing import Annotated

import typer

from questrya.commands import at_least, examples, services
from questrya.common.references import expand_input
from questrya.completion import Completed
from questrya.console import JsonOption, print_json, print_line, print_table
from questrya.metadata.service import MetadataService

# The games' own REF completion, by name: the features stay independent of each other.
GAME_REFS = Completed("questrya.games.completion:refs")


def _service(ctx: typer.Context) -> MetadataService:
    return services(ctx).get(MetadataService)


@examples(
    "questrya games match 12             # the candidates kept, numbered",
    "questrya games match 12 --pick 2    # apply the second",
    "questrya games match 12 --id steam:1145360",
    see_also=["questrya games refresh", "questrya games show"],
)
def match(
    ctx: typer.Context,
    ref: Annotated[
        str,
        typer.Argument(
            metavar="REF", help="A game id, or (part of) its title.", click_type=GAME_REFS
        ),
    ],
    pick: Annotated[
        int | None,
        typer.Option(
            "--pick", metavar="N", parser=at_least(1), help="Apply candidate N of the list."
        ),
    ] = None,
    provider_id: Annotated[
        str | None,
        typer.Option("--id", metavar="PROVIDER:ID", help="Apply this game, e.g. steam:570."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """List the metadata candidates kept for a game, with their similarity; apply one."""
    service = _service(ctx)
    if pick is not None or provider_id is not None:
        game = service.pick(ref, pick, provider_id)
        when = " once the fetch in progress ends" if game.restart_asked else ""
        print_line(f"{game.game_id}  {game.title}: fetching {game.pick_label()} by its id{when}")
        return
    from questrya.metadata.schemas import CandidateOut

    game, offers = service.offers(ref)
    rows = [
        CandidateOut(
            number=number,
            provider=offer.candidate.provider,
            provider_id=offer.candidate.provider_id,
            title=offer.candidate.title,
            kind=offer.candidate.kind,
            release_date=offer.candidate.release_date,
            similarity=round(offer.similarity * 100, 1),
        )
        for number, offer in enumerate(offers, start=1)
    ]
    if as_json:
        print_json([row.model_dump(mode="json") for row in rows])
        return
    if not rows:
        print_line(f"No candidates are kept for {game.title!r} (metadata: {game.status}).")
        return
    print_table(
        ("#", "Similarity", "Title", "Kind", "Released", "Id"),
        (
            (
                r.number,
                f"{r.similarity:.0f}%",
                r.title,
                r.kind,
                r.release_date,
                f"{r.provider}:{r.provider_id}",
            )
            for r in rows
        ),
        flexible=2,
    )


@examples(
    "questrya games refresh hades            # fetch its metadata again",
    "questrya games refresh --all --scores   # every game's review scores",
    see_also=["questrya worker", "questrya queue"],
)
def refresh(
    ctx: typer.Context,
    refs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="REF",
            help="Game ids or titles; - reads them from standard input, one a line.",
            click_type=GAME_REFS,
        ),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="Every game of the profile.")] = False,
    scores: Annotated[bool, typer.Option("--scores", help="Refresh review scores only.")] = False,
) -> None:
    """Queue new metadata fetches (or score refreshes) for games; `failed` ones start over."""
    ids = _service(ctx).refresh(expand_input(refs or [], sys.stdin), every=every, scores=scores)
    what = "score refresh" if scores else "metadata fetch"
    print_line(f"Queued a {what} for {len(ids)} game(s).")
