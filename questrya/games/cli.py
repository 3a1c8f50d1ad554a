"""`questrya games …`: the commands over one profile's backlog."""

import sys
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from questrya.common.dates import parse_iso_date
from questrya.common.exceptions import InvalidInputError, RuleViolationError
from questrya.console import is_terminal, print_fields, print_json, print_line, print_table
from questrya.context import services
from questrya.games.service import GameService

if TYPE_CHECKING:
    from questrya.games.schemas import GameOut

app = typer.Typer(help="Add, list and play through your backlog.", no_args_is_help=True)

Ref = Annotated[str, typer.Argument(help="A game id, or (part of) its title.", show_default=False)]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
DateOption = Annotated[str | None, typer.Option(metavar="YYYY-MM-DD", show_default=False)]
TagOption = Annotated[
    list[str] | None, typer.Option("--tag", "-t", help="A tag; repeat for several.")
]


def _service(ctx: typer.Context) -> GameService:
    return services(ctx).get(GameService)


def _date(text: str | None, what: str) -> date | None:
    return parse_iso_date(text, what) if text is not None else None


def _view(game: object) -> "GameOut":
    from questrya.games.schemas import GameOut  # pydantic loads only when a game is shown

    return GameOut.model_validate(game)


def _emit(game: object, as_json: bool) -> None:
    view = _view(game)
    if as_json:
        print_json(view.model_dump(mode="json"))
    else:
        print_line(_summary(view))


def _summary(game: "GameOut") -> str:
    """One line per game, id first: ``12  Hades [PC]  playing  ★9  #roguelike``."""
    parts = [f"{game.id}  {game.title} [{game.platform}]", game.status]
    if game.rating is not None:
        parts.append(f"★{game.rating}")
    parts.extend(f"#{tag}" for tag in game.tags)
    return "  ".join(parts)


@app.command()
def add(
    ctx: typer.Context,
    title: Annotated[str, typer.Argument(help="The game's title.", show_default=False)],
    platform: Annotated[
        str, typer.Option("--platform", "-p", help="PC, PS5, Switch… (aliases accepted).")
    ],
    release_date: DateOption = None,
    status: Annotated[
        str | None, typer.Option(help="not_started, playing, on_hold, completed or abandoned.")
    ] = None,
    rating: Annotated[int | None, typer.Option(help="1 to 10.")] = None,
    tag: TagOption = None,
    wishlist: Annotated[bool, typer.Option("--wishlist", help="Wanted, not owned yet.")] = False,
    notes: Annotated[str, typer.Option(help="Free text.")] = "",
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Do not fetch metadata in the background.")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """Add a game to the backlog (the metadata is fetched in the background)."""
    game = _service(ctx).add(
        title,
        platform,
        release_date=_date(release_date, "release date"),
        status=status,
        rating=rating,
        tags=tag or (),
        wishlist=wishlist,
        notes=notes,
        fetch_metadata=not no_fetch,
    )
    _emit(game, as_json)


@app.command("list")
def list_games(
    ctx: typer.Context,
    status: Annotated[
        list[str] | None, typer.Option("--status", "-s", help="Only this status; repeatable.")
    ] = None,
    platform: Annotated[str | None, typer.Option("--platform", "-p")] = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t")] = None,
    sort: Annotated[
        str | None,
        typer.Option(metavar="FIELD[-]", help="title, status, rating, added_at…; '-' reverses."),
    ] = None,
    limit: Annotated[int | None, typer.Option(min=0)] = None,
    as_json: JsonFlag = False,
) -> None:
    """List the backlog, by status then title unless --sort says otherwise."""
    games = _service(ctx).find(
        statuses=status or (), platform=platform, tag=tag, sort=sort, limit=limit
    )
    views = [_view(game) for game in games]
    if as_json:
        print_json([view.model_dump(mode="json") for view in views])
        return
    if not views:
        if is_terminal():
            print_line("No games match.")
        return
    print_table(
        ("ID", "Title", "Platform", "Status", "Rating", "Tags"),
        (
            (view.id, view.title, view.platform, view.status, view.rating, " ".join(view.tags))
            for view in views
        ),
    )


@app.command()
def show(ctx: typer.Context, ref: Ref, as_json: JsonFlag = False) -> None:
    """Show one game."""
    game = _view(_service(ctx).show(ref))
    if as_json:
        print_json(game.model_dump(mode="json"))
        return
    print_fields(
        [
            ("id", game.id),
            ("title", game.title),
            ("platform", game.platform),
            ("status", game.status),
            ("release date", game.release_date),
            ("started", game.started_date),
            ("completed", game.completion_date),
            ("level", game.completion_level),
            ("rating", f"{game.rating}/10" if game.rating else None),
            ("recommended", "yes" if game.recommended else "no"),
            ("wishlist", "yes" if game.wishlist else "no"),
            ("tags", " ".join(game.tags)),
            ("notes", game.notes),
            ("metadata", game.metadata_status),
            ("added", game.added_at.isoformat(timespec="seconds")),
            ("updated", game.updated_at.isoformat(timespec="seconds")),
        ]
    )


@app.command()
def start(ctx: typer.Context, ref: Ref, as_json: JsonFlag = False) -> None:
    """Start playing (also resumes a game on hold or abandoned, or replays a completed one)."""
    _emit(_service(ctx).start(ref), as_json)


@app.command()
def hold(ctx: typer.Context, ref: Ref, as_json: JsonFlag = False) -> None:
    """Put a game you are playing on hold."""
    _emit(_service(ctx).hold(ref), as_json)


@app.command()
def complete(
    ctx: typer.Context,
    ref: Ref,
    on: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="When you finished it (default today)."),
    ] = None,
    level: Annotated[str | None, typer.Option(help="main, extras or full.")] = None,
    rating: Annotated[int | None, typer.Option(help="1 to 10.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Mark a game completed. An abandoned game must be started again first."""
    game = _service(ctx).complete(ref, on=_date(on, "completion date"), level=level, rating=rating)
    _emit(game, as_json)


@app.command()
def abandon(ctx: typer.Context, ref: Ref, as_json: JsonFlag = False) -> None:
    """Give up on a game."""
    _emit(_service(ctx).abandon(ref), as_json)


@app.command()
def rate(
    ctx: typer.Context,
    ref: Ref,
    rating: Annotated[int, typer.Argument(help="1 to 10.", show_default=False)],
    as_json: JsonFlag = False,
) -> None:
    """Rate a game from 1 to 10 (7 and up is recommended)."""
    _emit(_service(ctx).rate(ref, rating), as_json)


@app.command()
def edit(
    ctx: typer.Context,
    ref: Ref,
    title: Annotated[str | None, typer.Option(show_default=False)] = None,
    platform: Annotated[str | None, typer.Option("--platform", "-p", show_default=False)] = None,
    release_date: DateOption = None,
    tag: TagOption = None,
    untag: Annotated[list[str] | None, typer.Option(help="Remove a tag; repeatable.")] = None,
    notes: Annotated[str | None, typer.Option(show_default=False)] = None,
    wishlist: Annotated[
        bool | None,
        typer.Option("--wishlist/--owned", help="Wanted, or owned.", show_default=False),
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Change a game's details."""
    game = _service(ctx).edit(
        ref,
        title=title,
        platform=platform,
        release_date=_date(release_date, "release date"),
        add_tags=tag or (),
        remove_tags=untag or (),
        notes=notes,
        wishlist=wishlist,
    )
    _emit(game, as_json)


@app.command()
def remove(
    ctx: typer.Context,
    ref: Ref,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Remove a game from the backlog (asks first unless --yes)."""
    service = _service(ctx)
    if not yes:
        game = service.show(ref)
        if not sys.stdin.isatty():
            raise InvalidInputError("refusing to remove without --yes: there is no terminal to ask")
        if not typer.confirm(f"Remove {_summary(_view(game))}?", default=False):
            raise RuleViolationError("nothing removed")
        ref = str(game.id)
    removed = service.remove(ref)
    print_line(f"Removed {_summary(_view(removed))}")
