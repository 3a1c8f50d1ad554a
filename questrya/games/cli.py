"""`questrya games …`: the commands over one profile's backlog."""

import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Annotated, Protocol

import typer

from questrya.commands import App, QueryCommand, at_least, services
from questrya.common.dates import local_day, local_time, parse_iso_date
from questrya.common.references import FROM_INPUT, expand_input
from questrya.common.value_objects import GameRating, MetadataStatus, Platform
from questrya.console import (
    CsvOption,
    IdsOption,
    JsonlOption,
    JsonOption,
    OutputFormat,
    confirm,
    is_terminal,
    output_format,
    print_fields,
    print_json,
    print_line,
    print_lines,
    print_notice,
    print_records,
    print_table,
)
from questrya.games.schemas import GAME_FIELDS, GameLine, GameOut, ScoreOut
from questrya.games.service import GameChanges, GameService
from questrya.games.views import GameViews

app = App(help="Add, list and play through your backlog.")

Ref = Annotated[
    str,
    typer.Argument(metavar="REF", help="A game id, or (part of) its title.", show_default=False),
]
Refs = Annotated[
    list[str],
    typer.Argument(
        metavar="REF",
        help="Game ids, or (parts of) titles; - reads them from standard input, one a line.",
        show_default=False,
    ),
]
QueryWords = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="QUERY", help="Query terms; see the command's help.", show_default=False
    ),
]
ReleaseOption = Annotated[
    str | None,
    typer.Option(metavar="YYYY-MM-DD", help="When the game came out.", show_default=False),
]
StartedOption = Annotated[
    str | None,
    typer.Option(metavar="YYYY-MM-DD", help="When you started it.", show_default=False),
]
CompletedOption = Annotated[
    str | None,
    typer.Option(metavar="YYYY-MM-DD", help="When you finished it.", show_default=False),
]
TagOption = Annotated[
    list[str] | None,
    typer.Option("--tag", "-t", metavar="TAG", help="A tag; repeat for several."),
]


class Shown(Protocol):
    """What a one-line summary shows of a game a command changed."""

    @property
    def id(self) -> int | None: ...
    @property
    def title(self) -> str: ...
    @property
    def platform(self) -> Platform: ...
    @property
    def status(self) -> str: ...
    @property
    def rating(self) -> GameRating | None: ...
    @property
    def tags(self) -> Sequence[str]: ...


def _service(ctx: typer.Context) -> GameService:
    return services(ctx).get(GameService)


def _date(text: str | None, what: str) -> date | None:
    return parse_iso_date(text, what) if text is not None else None


def _views(ctx: typer.Context) -> GameViews:
    return services(ctx).get(GameViews)


def _emit(ctx: typer.Context, game: Shown, as_json: bool) -> None:
    """A game a command changed: one line, or its JSON as `games show --json` prints it."""
    if as_json:
        print_json(_views(ctx).game_by_id(_stored(game)))
    else:
        print_line(_summary(game))


def _stored(game: Shown) -> int:
    if game.id is None:
        raise RuntimeError("a game the service returned has an id")
    return game.id


def _refs(refs: Sequence[str]) -> list[str]:
    """The REFs given, those on standard input in place of `-`."""
    return expand_input(refs, sys.stdin)


def _emit_each(
    ctx: typer.Context, games: Sequence[Shown], refs: Sequence[str], as_json: bool
) -> None:
    """A line a game, or a JSON array; one REF (not `-`) gets one JSON object, as it always
    has, so that the scripts written for one game keep working."""
    if len(refs) == 1 and refs[0] != FROM_INPUT:
        _emit(ctx, games[0], as_json)
    else:
        _print_each(ctx, games, as_json)


def _print_each(ctx: typer.Context, games: Sequence[Shown], as_json: bool) -> None:
    if as_json:
        views = _views(ctx)
        print_json([views.game_by_id(_stored(game)) for game in games])
    else:
        for game in games:
            print_line(_summary(game))


def _summary(game: Shown) -> str:
    """One line per game, id first: ``12  Hades [PC]  playing  ★9  #roguelike``."""
    parts = [f"{game.id}  {game.title} [{game.platform}]", str(game.status)]
    if game.rating is not None:
        parts.append(f"★{game.rating.score}")
    parts.extend(f"#{tag}" for tag in game.tags)
    return "  ".join(parts)


@app.command()
def add(
    ctx: typer.Context,
    title: Annotated[
        str, typer.Argument(metavar="TITLE", help="The game's title.", show_default=False)
    ],
    platform: Annotated[
        str,
        typer.Option(
            "--platform", "-p", metavar="PLATFORM", help="PC, PS5, Switch… (aliases accepted)."
        ),
    ],
    release_date: ReleaseOption = None,
    started: StartedOption = None,
    completed: CompletedOption = None,
    status: Annotated[
        str | None,
        typer.Option(
            metavar="STATUS", help="not_started, playing, on_hold, completed or abandoned."
        ),
    ] = None,
    rating: Annotated[int | None, typer.Option(metavar="N", help="1 to 10.")] = None,
    tag: TagOption = None,
    wishlist: Annotated[bool, typer.Option("--wishlist", help="Wanted, not owned yet.")] = False,
    notes: Annotated[str, typer.Option(metavar="TEXT", help="Free text.")] = "",
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Do not fetch metadata in the background.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Add a game to the backlog (the metadata is fetched in the background).

    A game played before takes its dates: --completed alone means completed, --started alone
    playing. Dates keep the order release ≤ started ≤ completed ≤ today.
    """
    game = _service(ctx).add(
        title,
        platform,
        release_date=_date(release_date, "release date"),
        started=_date(started, "start date"),
        completed=_date(completed, "completion date"),
        status=status,
        rating=rating,
        tags=tag or (),
        wishlist=wishlist,
        notes=notes,
        fetch_metadata=not no_fetch,
    )
    _emit(ctx, game, as_json)


@app.command("list", cls=QueryCommand)
def list_games(
    ctx: typer.Context,
    query: QueryWords = None,
    status: Annotated[
        list[str] | None,
        typer.Option("--status", metavar="STATUS", help="Only this status; repeatable."),
    ] = None,
    platform: Annotated[
        str | None, typer.Option("--platform", metavar="PLATFORM", help="Only this platform.")
    ] = None,
    tag: Annotated[
        str | None, typer.Option("--tag", metavar="TAG", help="Only games with this tag.")
    ] = None,
    sort: Annotated[
        str | None,
        typer.Option(metavar="FIELD[-]", help="title, status, rating, added_at…; '-' reverses."),
    ] = None,
    limit: Annotated[
        int | None,
        typer.Option(metavar="N", parser=at_least(0), help="At most N games."),
    ] = None,
    as_json: JsonOption = False,
    as_jsonl: JsonlOption = False,
    as_csv: CsvOption = False,
    as_ids: IdsOption = False,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never page the table on a terminal.")
    ] = False,
) -> None:
    """List the games matching QUERY, by status then title unless --sort says otherwise.

    QUERY: free words match the title; field:value (status:playing, platform:pc, tag:coop,
    wishlist:yes, metadata:fetched); ranges rating:7.., released:2015..2020, added:2024-01..;
    -term or ^term negates; all terms must match. A dash and one character is an option
    (-h is help), never a term; after --, every word is a term. On a terminal, a table
    longer than the screen goes through $QUESTRYA_PAGER, else $PAGER, else less -FRX.
    """
    fmt = output_format(json=as_json, jsonl=as_jsonl, csv=as_csv, ids=as_ids)
    views = _views(ctx)
    games = views.listing(
        query or (), statuses=status or (), platform=platform, tag=tag, sort=sort, limit=limit
    )
    if fmt is OutputFormat.IDS:
        print_lines(str(game_id) for game_id in views.ids(games))
    elif fmt is OutputFormat.TABLE:
        _table(views.lines(games), pager=not no_pager)
    else:
        print_records(views.games(games), fmt, columns=GAME_FIELDS)


def _table(lines: Iterable[GameLine], *, pager: bool) -> None:
    rows = [(g.id, g.title, g.platform, g.status, g.rating, " ".join(g.tags)) for g in lines]
    if rows:
        print_table(("ID", "Title", "Platform", "Status", "Rating", "Tags"), rows, pager=pager)
    elif is_terminal():
        print_line("No games match.")


@app.command()
def show(ctx: typer.Context, ref: Ref, as_json: JsonOption = False) -> None:
    """Show one game, with its metadata, review scores and their trend."""
    views = _views(ctx)
    game = views.game(ref)
    if as_json:
        print_json(game)
        return
    trend = views.scores(game["id"]) if game["score"] else []
    print_fields(
        [
            ("id", game["id"]),
            ("title", game["title"]),
            ("platform", game["platform"]),
            ("status", game["status"]),
            (_LABELS["release_date"], game["release_date"]),
            (_LABELS["started_date"], game["started_date"]),
            (_LABELS["completion_date"], game["completion_date"]),
            (_LABELS["completion_level"], game["completion_level"]),
            ("rating", f"{game['rating']}/10" if game["rating"] else None),
            ("recommended", _shown(game["recommended"])),
            ("wishlist", _shown(game["wishlist"])),
            ("tags", " ".join(game["tags"])),
            ("notes", game["notes"]),
            (_LABELS["metadata_status"], game["metadata_status"]),
            *_metadata_fields(game),
            *_trend(trend),
            ("added", local_time(game["added_at"])),
            ("updated", local_time(game["updated_at"])),
        ]
    )


def _metadata_fields(game: GameOut) -> list[tuple[str, object]]:
    fields: list[tuple[str, object]] = []
    if game["metadata_error"]:
        fields.append(("last error", game["metadata_error"]))
    steps = _next_steps(game)
    fields += [("next" if number == 0 else "", step) for number, step in enumerate(steps)]
    meta = game["metadata"]
    if meta:
        source = f"{meta['provider']}:{meta['provider_id']}  {meta['url'] or ''}".rstrip()
        fields += [
            (_LABELS["metadata"], source),
            ("genres", ", ".join(meta["genres"])),
            ("developers", ", ".join(meta["developers"])),
            ("publishers", ", ".join(meta["publishers"])),
            ("length", f"{meta['typical_hours']} hours" if meta["typical_hours"] else None),
            ("description", _first_lines(meta["description"])),
        ]
    if game["score"]:
        fields.append(("score", _score_line(game["score"])))
    return fields


def _next_steps(game: GameOut) -> list[str]:
    """What the player can do about the game's metadata, in short lines that fit a narrow
    terminal: nothing once it is fetched; else the commands that move it on."""
    ref = game["id"]
    retry_at = game["metadata_retry_at"]
    match game["metadata_status"]:
        case MetadataStatus.PENDING if retry_at is not None:
            return [
                f"attempt {game['metadata_attempts'] + 1} is due {local_time(retry_at)},",
                "when a worker runs (`questrya worker`)",
            ]
        case MetadataStatus.PENDING:
            return ["waiting for a worker (`questrya worker`)"]
        case MetadataStatus.AMBIGUOUS:
            kept = game["metadata_candidates"]
            return [
                f"{kept} candidate{'s' if kept != 1 else ''} kept: `questrya games match {ref}`",
                "lists them; `--pick N` applies one",
            ]
        case MetadataStatus.NOT_FOUND:
            return [
                "no game of that title: give its id with",
                f"`questrya games match {ref} --id steam:ID`,",
                "or correct the title with",
                f"`questrya games edit {ref} --title TITLE`",
                f"and `questrya games refresh {ref}`",
            ]
        case MetadataStatus.FAILED:
            return [f"`questrya games refresh {ref}` tries again"]
        case MetadataStatus.SKIPPED:
            return [f"`questrya games refresh {ref}` fetches it"]
    return []


def _first_lines(text: str, limit: int = 240) -> str:
    """The start of a long description: `--json` has all of it."""
    first = text.strip().split("\n\n", 1)[0]
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"


def _trend(history: Sequence[ScoreOut]) -> list[tuple[str, object]]:
    """The user score over time, when there is more than one snapshot."""
    scored = [
        f"{point['user_score']:.0f}% ({local_day(point['fetched_at'])})"
        for point in history[-6:]
        if point["user_score"] is not None
    ]
    return [("trend", " → ".join(scored))] if len(scored) > 1 else []


def _score_line(score: ScoreOut) -> str:
    parts = []
    if score["user_score"] is not None:
        parts.append(f"{score['user_score']:.0f}% of {score['user_votes'] or 0} users")
    if score["label"]:
        parts.append(score["label"])
    if score["critic_score"] is not None:
        parts.append(f"critics {score['critic_score']}")
    return f"{', '.join(parts) or 'none'} ({local_day(score['fetched_at'])})"


@app.command()
def start(
    ctx: typer.Context,
    refs: Refs,
    on: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="When you started (default today)."),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Start playing. Also resumes a game on hold or abandoned (keeping its start date unless
    --date is given), or replays a completed one: a new playthrough, its completion cleared."""
    games = _service(ctx).start(*_refs(refs), on=_date(on, "start date"))
    _emit_each(ctx, games, refs, as_json)


@app.command()
def hold(ctx: typer.Context, refs: Refs, as_json: JsonOption = False) -> None:
    """Put games you are playing on hold."""
    _emit_each(ctx, _service(ctx).hold(*_refs(refs)), refs, as_json)


@app.command()
def complete(
    ctx: typer.Context,
    refs: Refs,
    on: Annotated[
        str | None,
        typer.Option("--date", metavar="YYYY-MM-DD", help="When you finished (default today)."),
    ] = None,
    level: Annotated[
        str | None, typer.Option(metavar="LEVEL", help="main, extras or full.")
    ] = None,
    rating: Annotated[int | None, typer.Option(metavar="N", help="1 to 10.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Mark games completed, each with the same date, level and rating. An abandoned game
    must be started again first."""
    games = _service(ctx).complete(
        *_refs(refs), on=_date(on, "completion date"), level=level, rating=rating
    )
    _emit_each(ctx, games, refs, as_json)


@app.command()
def abandon(ctx: typer.Context, refs: Refs, as_json: JsonOption = False) -> None:
    """Give up on games."""
    _emit_each(ctx, _service(ctx).abandon(*_refs(refs)), refs, as_json)


@app.command()
def rate(
    ctx: typer.Context,
    refs: Refs,
    rating: Annotated[int, typer.Argument(metavar="N", help="1 to 10.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Rate games from 1 to 10 (7 and up is recommended); the rating comes last."""
    _emit_each(ctx, _service(ctx).rate(*_refs(refs), rating=rating), refs, as_json)


@app.command(cls=QueryCommand)
def edit(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="REF|QUERY",
            help="One game (an id or a title), or a query to edit every game it matches.",
            show_default=False,
        ),
    ],
    title: Annotated[
        str | None, typer.Option(metavar="TITLE", help="A new title.", show_default=False)
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option(
            "--platform", "-p", metavar="PLATFORM", help="A new platform.", show_default=False
        ),
    ] = None,
    release_date: ReleaseOption = None,
    started: StartedOption = None,
    completed: CompletedOption = None,
    tag: TagOption = None,
    untag: Annotated[
        list[str] | None, typer.Option(metavar="TAG", help="Remove a tag; repeatable.")
    ] = None,
    notes: Annotated[
        str | None, typer.Option(metavar="TEXT", help="New notes.", show_default=False)
    ] = None,
    wishlist: Annotated[
        bool | None,
        typer.Option("--wishlist/--owned", help="Wanted, or owned.", show_default=False),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Edit every match without asking.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Change a game's details, or those of every game a query matches (`games edit
    status:playing --tag coop --yes`). Dates keep the order release ≤ started ≤ completed ≤
    today; --started needs a game started, --completed a game completed."""
    service = _service(ctx)
    changes = GameChanges(
        title=title,
        platform=platform,
        release_date=_date(release_date, "release date"),
        started=_date(started, "start date"),
        completed=_date(completed, "completion date"),
        add_tags=tag or (),
        remove_tags=untag or (),
        notes=notes,
        wishlist=wishlist,
    )
    if service.is_reference(words):
        _emit(ctx, service.edit(words[0], changes), as_json)
        return
    if yes:
        edited = service.edit_all(words, changes)
    else:
        shown = service.edit_preview(words, changes)
        confirm("Edit these games?", [_summary(game) for game in shown])
        edited = service.edit_games([_stored(game) for game in shown], changes)
        kept = {game.id for game in edited}
        for game in shown:
            if game.id not in kept:
                print_notice(f"Not edited, no longer in the backlog: {_summary(game)}")
    _print_each(ctx, edited, as_json)


@app.command()
def remove(
    ctx: typer.Context,
    refs: Refs,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask.")] = False,
) -> None:
    """Remove games from the backlog (asks first, once for all, unless --yes)."""
    service = _service(ctx)
    named = _refs(refs)
    if not yes:
        shown = service.named(*named)
        several = f"these {len(shown)} games" if len(shown) > 1 else "this game"
        confirm(f"Remove {several}?", [_summary(game) for game in shown])
        named = [str(_stored(game)) for game in shown]
    for game in service.remove(*named):
        print_line(f"Removed {_summary(game)}")


@app.command()
def history(ctx: typer.Context, ref: Ref, as_json: JsonOption = False) -> None:
    """Show a game's recorded changes, oldest first (a removed game's too, by its id)."""
    events = _views(ctx).history(ref)
    if as_json:
        print_json(events)
        return
    print_table(
        ("When", "Change", "Details"),
        (
            (
                local_time(event["at"]),
                event["kind"] + (" (undone)" if event["undone_at"] else ""),
                _changes(event["before"], event["after"]),
            )
            for event in events
        ),
    )


def undo(
    ctx: typer.Context,
    count: Annotated[
        int,
        typer.Option(
            "--count", "-n", metavar="N", parser=at_least(1), help="How many changes to take back."
        ),
    ] = 1,
) -> None:
    """Take back your last change (or the last N): an add, edit, transition, rating, removal."""
    for event, game in _service(ctx).undo(count):
        # An edit or a transition says what it put back; an add or a removal, the summary.
        line = f"Undid {event.kind}: {_summary(game)}"
        restored = _changes(event.after, event.before) if event.before and event.after else ""
        print_line(f"{line}  ({restored})" if restored else line)


# How a game's fields are named to the player, in `games show` and in its history; the
# metadata events' fields too. The rest go by their own names.
_LABELS = {
    "release_date": "release date",
    "started_date": "started",
    "completion_date": "completed",
    "completion_level": "level",
    "metadata_status": "metadata",
    "metadata": "source",
}
_HIDDEN = frozenset({"added_at"})  # kept by removals made before the change history had it


def _changes(before: dict[str, object] | None, after: dict[str, object] | None) -> str:
    """What a change did, as a player writes values: ``status: playing → completed, rating:
    - → 8``; the values a game came with (an add) or left with (a removal) alone."""
    if before is None or after is None:
        values = after or before or {}
        return ", ".join(
            f"{_label(name)}: {_shown(value)}"
            for name, value in values.items()
            if name not in _HIDDEN and value not in (None, "", [], False)
        )
    names = [name for name in {**before, **after} if name not in _HIDDEN]
    shown = [(name, _shown(before.get(name)), _shown(after.get(name))) for name in names]
    return ", ".join(f"{_label(name)}: {was} → {now}" for name, was, now in shown if was != now)


def _label(name: str) -> str:
    return _LABELS.get(name, name)


def _shown(value: object) -> str:
    """A stored value in words: yes or no, items separated by spaces, "-" for nothing, all on
    one line."""
    if value in (None, "", []):
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return " ".join(str(value).split())
