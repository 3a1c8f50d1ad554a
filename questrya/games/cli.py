"""`questrya games …`: the commands over one profile's backlog."""

import sys
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Annotated, Protocol

import typer

from questrya.commands import App, QueryCommand, at_least, examples, services
from questrya.common.dates import local_day, local_time, parse_iso_date
from questrya.common.durations import format_duration, parse_duration
from questrya.common.exceptions import InvalidInputError
from questrya.common.native_format import FORMAT, VERSION
from questrya.common.references import FROM_INPUT, expand_input
from questrya.common.value_objects import GameRating, MetadataStatus, Platform
from questrya.common.value_objects.platform import platform_names
from questrya.completion import Completed
from questrya.console import (
    CsvOption,
    IdsOption,
    JsonlOption,
    JsonOption,
    OutputFormat,
    Painted,
    Write,
    confirm,
    is_terminal,
    on_terminal,
    output_file,
    output_format,
    print_document,
    print_fields,
    print_json,
    print_line,
    print_lines,
    print_notice,
    print_records,
    print_table,
)
from questrya.games import completion
from questrya.games.query import describe_language
from questrya.games.schemas import (
    EXPORTED_FIELDS,
    GAME_FIELDS,
    ExportedGame,
    GameLine,
    GameOut,
    ScoreOut,
)
from questrya.games.service import GameChanges, GameService
from questrya.games.views import GameViews

app = App(help="Add, list and play through your backlog.")

NO_WORKER = (
    "No worker is running: the metadata waits. Start one with `questrya worker`,"
    " or `questrya worker install` to start it at login."
)

Ref = Annotated[
    str,
    typer.Argument(
        metavar="REF",
        help="A game id, or (part of) its title.",
        show_default=False,
        click_type=Completed(completion.refs),
    ),
]
Refs = Annotated[
    list[str],
    typer.Argument(
        metavar="REF",
        help="Game ids, or (parts of) titles; - reads them from standard input, one a line.",
        show_default=False,
        click_type=Completed(completion.refs),
    ),
]
QueryWords = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="QUERY",
        help="Query terms; see the command's help.",
        show_default=False,
        click_type=Completed(completion.query_words),
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
    typer.Option(
        "--tag",
        "-t",
        metavar="TAG",
        help="A tag; repeat for several.",
        click_type=Completed(completion.tags),
    ),
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


NewPlatformOption = Annotated[
    bool,
    typer.Option(
        "--new-platform",
        help="Keep a platform we do not know as typed, even when it is close to one we do.",
    ),
]


@app.command()
@examples(
    'questrya games add "Hollow Knight" -p pc --tag metroidvania',
    "questrya games add Celeste -p switch --completed 2025-02-03 --rating 9",
    "questrya games add Silksong -p switch --wishlist --no-fetch",
    see_also=["questrya platforms", "questrya games edit"],
)
def add(
    ctx: typer.Context,
    title: Annotated[
        str, typer.Argument(metavar="TITLE", help="The game's title.", show_default=False)
    ],
    platform: Annotated[
        str,
        typer.Option(
            "--platform",
            "-p",
            metavar="PLATFORM",
            help="PC, PS5, Switch… (aliases accepted).",
            click_type=Completed(completion.platforms),
        ),
    ],
    release_date: ReleaseOption = None,
    started: StartedOption = None,
    completed: CompletedOption = None,
    status: Annotated[
        str | None,
        typer.Option(
            metavar="STATUS",
            help="not_started, playing, on_hold, completed or abandoned.",
            click_type=Completed(completion.statuses),
        ),
    ] = None,
    rating: Annotated[int | None, typer.Option(metavar="N", help="1 to 10.")] = None,
    tag: TagOption = None,
    wishlist: Annotated[bool, typer.Option("--wishlist", help="Wanted, not owned yet.")] = False,
    notes: Annotated[str, typer.Option(metavar="TEXT", help="Free text.")] = "",
    new_platform: NewPlatformOption = False,
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
        new_platform=new_platform,
        fetch_metadata=not no_fetch,
    )
    _emit(ctx, game, as_json)
    if on_terminal() and _service(ctx).worker_missing(game):
        print_notice(NO_WORKER)


@app.command("list", cls=QueryCommand)
@examples(
    "questrya games list souls status:playing,on_hold",
    "questrya games list rating:8.. --sort rating- --limit 10",
    "questrya games list platform:pc -tag:coop --json | jq '.[].title'",
    see_also=["questrya help query", "questrya tags", "questrya games show"],
)
def list_games(
    ctx: typer.Context,
    query: QueryWords = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            "--status",
            metavar="STATUS",
            help="Only this status; repeatable.",
            click_type=Completed(completion.statuses),
        ),
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option(
            "--platform",
            metavar="PLATFORM",
            help="Only this platform.",
            click_type=Completed(completion.platforms),
        ),
    ] = None,
    tag: Annotated[
        str | None,
        typer.Option(
            "--tag",
            metavar="TAG",
            help="Only games with this tag.",
            click_type=Completed(completion.tags),
        ),
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
    wishlist: Annotated[
        bool, typer.Option("--wishlist", help="Only the wishlist (as wishlist:yes).")
    ] = False,
    no_pager: Annotated[
        bool, typer.Option("--no-pager", help="Never page the table on a terminal.")
    ] = False,
) -> None:
    """List the games matching QUERY, by status then title unless --sort says otherwise.

    QUERY: free words match the title; field:value (status:playing, platform:pc, tag:coop,
    wishlist:yes, metadata:fetched); ranges rating:7.., released:2015..2020, added:2024-01..,
    playtime:10h.., lastplayed:2026-01..; -term or ^term negates; all terms must match. A
    dash and one character is an option (-h is help), never a term; after --, every word is a
    term. On a terminal, a table longer than the screen goes through $QUESTRYA_PAGER, else
    $PAGER, else less -FRX.
    """
    fmt = output_format(json=as_json, jsonl=as_jsonl, csv=as_csv, ids=as_ids)
    views = _views(ctx)
    words = [*(query or ()), *(["wishlist:yes"] if wishlist else [])]
    games = views.listing(
        words, statuses=status or (), platform=platform, tag=tag, sort=sort, limit=limit
    )
    if fmt is OutputFormat.IDS:
        print_lines(str(game_id) for game_id in views.ids(games))
    elif fmt is OutputFormat.TABLE:
        _table(views.lines(games), pager=not no_pager)
    else:
        print_records(views.games(games), fmt, columns=GAME_FIELDS)


@app.command(cls=QueryCommand)
@examples(
    "questrya games export -o backlog.json",
    "questrya games export status:completed --format csv -o done.csv",
    see_also=["questrya games import"],
)
def export(
    ctx: typer.Context,
    query: QueryWords = None,
    fmt: Annotated[
        str,
        typer.Option("--format", "-f", metavar="FORMAT", help="json (one document) or csv."),
    ] = "json",
    output: Annotated[
        str | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write to FILE (default: standard output)."
        ),
    ] = None,
) -> None:
    """Export the games matching QUERY (every one by default) with all you gave them, playtime
    and provider ids included: `games import` reads the file back, here or on another
    machine, without loss. QUERY is that of games list."""
    views = _views(ctx)
    games = views.listing(query or ())
    chosen = _EXPORT_FORMATS.get(fmt.strip().lower())
    if chosen is None:
        raise InvalidInputError(f"--format must be json or csv, not {fmt!r}")
    records = views.exported(games)
    if output is None:
        _export(records, chosen)
        return
    with output_file(output) as write:
        _export(records, chosen, write)


_EXPORT_FORMATS = {"json": OutputFormat.JSON, "csv": OutputFormat.CSV}


def _export(records: Iterable[ExportedGame], fmt: OutputFormat, write: Write | None = None) -> None:
    if fmt is OutputFormat.JSON:
        print_document({"format": FORMAT, "version": VERSION}, "games", records, write)
    else:
        print_records(records, fmt, columns=EXPORTED_FIELDS, write=write)


# How a status shows on a terminal that takes colours (SGR codes); not_started stays plain.
STATUS_COLOURS = {"playing": "32", "on_hold": "33", "completed": "34", "abandoned": "2"}
WISHLIST_MARK = " ♡"  # after the title of a game wanted, not owned yet


def _table(lines: Iterable[GameLine], *, pager: bool) -> None:
    rows = [
        (g.id, g.title + (WISHLIST_MARK if g.wishlist else ""), g.platform, g.status, g.rating,
         " ".join(g.tags))
        for g in lines
    ]  # fmt: skip
    if rows:
        print_table(
            ("ID", "Title", "Platform", "Status", "Rating", "Tags"),
            rows,
            pager=pager,
            flexible=1,
            painted=Painted(3, STATUS_COLOURS),
        )
    elif is_terminal():
        print_line("No games match.")


@app.command()
@examples(
    'questrya games show "hollow knight"',
    "questrya games show 12 --json | jq .metadata",
    see_also=["questrya games history", "questrya games match"],
)
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
            ("playtime", format_duration(game["playtime"]) if game["playtime"] else None),
            (_LABELS["last_played"], game["last_played"]),
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
@examples(
    "questrya games start hades",
    "questrya games start celeste --date 2026-11-18",
    see_also=["questrya games hold", "questrya games complete"],
)
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
@examples(
    'questrya games hold hades "elden ring"',
    "questrya games list status:playing --ids | questrya games hold -",
    see_also=["questrya games start", "questrya undo"],
)
def hold(ctx: typer.Context, refs: Refs, as_json: JsonOption = False) -> None:
    """Put games you are playing on hold."""
    _emit_each(ctx, _service(ctx).hold(*_refs(refs)), refs, as_json)


@app.command()
@examples(
    "questrya games complete hades --rating 9",
    "questrya games complete celeste --date 2026-11-20 --level full",
    see_also=["questrya games rate", "questrya undo"],
)
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
@examples("questrya games abandon tunic", see_also=["questrya games start", "questrya undo"])
def abandon(ctx: typer.Context, refs: Refs, as_json: JsonOption = False) -> None:
    """Give up on games."""
    _emit_each(ctx, _service(ctx).abandon(*_refs(refs)), refs, as_json)


@app.command()
@examples(
    'questrya games rate "elden ring" 10',
    "questrya games rate hades celeste 8   # several games, one change",
    see_also=["questrya games complete"],
)
def rate(
    ctx: typer.Context,
    refs: Refs,
    rating: Annotated[int, typer.Argument(metavar="N", help="1 to 10.", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Rate games from 1 to 10 (7 and up is recommended); the rating comes last."""
    _emit_each(ctx, _service(ctx).rate(*_refs(refs), rating=rating), refs, as_json)


@app.command()
@examples(
    "questrya games log hades 1h30m   # a session: playtime grows, last played today",
    "questrya games log celeste 45m",
    see_also=["questrya games list", "questrya undo"],
)
def log(
    ctx: typer.Context,
    ref: Ref,
    duration: Annotated[
        str,
        typer.Argument(
            metavar="DURATION", help="How long you played: 1h30m, 90m or 2h.", show_default=False
        ),
    ],
    as_json: JsonOption = False,
) -> None:
    """Log a play session: the game's playtime grows by DURATION, and you played it today."""
    game = _service(ctx).log(ref, parse_duration(duration))
    if as_json:
        _emit(ctx, game, as_json)
        return
    print_line(f"{_summary(game)}  played {format_duration(game.playtime)}")


@app.command(cls=QueryCommand)
@examples(
    'questrya games edit 12 --title "Hollow Knight: Silksong" --owned',
    "questrya games edit hades --tag roguelike --untag action",
    "questrya games edit status:completed --tag done --yes   # every match",
    see_also=["questrya help query", "questrya undo"],
)
def edit(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            metavar="REF|QUERY",
            help="One game (an id or a title), or a query to edit every game it matches.",
            show_default=False,
            click_type=Completed(completion.edit_words),
        ),
    ],
    title: Annotated[
        str | None, typer.Option(metavar="TITLE", help="A new title.", show_default=False)
    ] = None,
    platform: Annotated[
        str | None,
        typer.Option(
            "--platform",
            "-p",
            metavar="PLATFORM",
            help="A new platform.",
            show_default=False,
            click_type=Completed(completion.platforms),
        ),
    ] = None,
    new_platform: NewPlatformOption = False,
    release_date: ReleaseOption = None,
    started: StartedOption = None,
    completed: CompletedOption = None,
    tag: TagOption = None,
    untag: Annotated[
        list[str] | None,
        typer.Option(
            metavar="TAG",
            help="Remove a tag; repeatable.",
            click_type=Completed(completion.tags),
        ),
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
        new_platform=new_platform,
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
@examples(
    "questrya games remove silksong --yes",
    "questrya undo   # brings it back, metadata and scores too",
    see_also=["questrya undo"],
)
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
@examples(
    "questrya games history hades",
    "questrya games history 12 --json",
    see_also=["questrya undo"],
)
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
        flexible=2,
    )


@examples(
    "questrya undo --dry-run   # what would be taken back",
    "questrya undo -n 3",
    see_also=["questrya games history"],
)
def undo(
    ctx: typer.Context,
    count: Annotated[
        int,
        typer.Option(
            "--count", "-n", metavar="N", parser=at_least(1), help="How many changes to take back."
        ),
    ] = 1,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would be taken back; change nothing.")
    ] = False,
) -> None:
    """Take back your last change (or the last N): an add, edit, transition, rating, removal."""
    verb = "Would undo" if dry_run else "Undid"
    for event, game in _service(ctx).undo(count, dry_run=dry_run):
        # An edit or a transition says what it put back; an add or a removal, the summary.
        line = f"{verb} {event.kind}: {_summary(game)}"
        restored = _changes(event.after, event.before) if event.before and event.after else ""
        print_line(f"{line}  ({restored})" if restored else line)


@examples("questrya tags", "questrya games list tag:coop", see_also=["questrya games edit"])
def tags(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the tags in use and how many games have each, the most used first (`games list
    tag:coop` lists those games)."""
    counts = _views(ctx).tags()
    if as_json:
        print_json([count._asdict() for count in counts])
    elif counts:
        print_table(("Tag", "Games"), counts)
    elif is_terminal():
        print_line("No tags yet: `games add … --tag TAG` or `games edit REF --tag TAG`.")


@examples(
    "questrya platforms",
    "questrya games add Zelda -p swtich --new-platform   # keep an unknown name as typed",
    see_also=["questrya games add"],
)
def platforms(as_json: JsonOption = False) -> None:
    """List the platforms Questrya knows and the other ways of writing each (`-p ps5`,
    `-p "playstation 5"`). Any other name is kept as typed, unless it looks like a typo of
    one of these: then `games add` asks for --new-platform."""
    known = platform_names()
    if as_json:
        print_json([{"name": name, "aliases": list(aliases)} for name, aliases in known.items()])
        return
    print_table(
        ("Platform", "Also written"), ((n, ", ".join(a)) for n, a in known.items()), flexible=1
    )


# The topics `questrya help` knows beyond each command's own -h.
HELP_TOPICS = {"query": ("the query language of games list and games edit", describe_language)}


@examples("questrya help query", "questrya games list -h", see_also=["questrya -h"])
def help_topic(
    topic: Annotated[
        str | None, typer.Argument(metavar="TOPIC", help="query", show_default=False)
    ] = None,
) -> None:
    """Explain a topic in full (`questrya help query`); each command's own help is
    `questrya COMMAND -h`."""
    if topic is None:
        print_lines(f"{name}  {about}" for name, (about, _) in HELP_TOPICS.items())
        return
    if topic not in HELP_TOPICS:
        raise InvalidInputError(f"no help on {topic!r}; topics: {', '.join(HELP_TOPICS)}")
    print_line(HELP_TOPICS[topic][1]())


# How a game's fields are named to the player, in `games show` and in its history; the
# metadata events' fields too. The rest go by their own names.
_LABELS = {
    "release_date": "release date",
    "started_date": "started",
    "completion_date": "completed",
    "completion_level": "level",
    "last_played": "last played",
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
            f"{_label(name)}: {_field(name, value)}"
            for name, value in values.items()
            if name not in _HIDDEN and value not in (None, "", [], False)
        )
    names = [name for name in {**before, **after} if name not in _HIDDEN]
    shown = [
        (name, _field(name, before.get(name)), _field(name, after.get(name))) for name in names
    ]
    return ", ".join(f"{_label(name)}: {was} → {now}" for name, was, now in shown if was != now)


def _label(name: str) -> str:
    return _LABELS.get(name, name)


def _field(name: str, value: object) -> str:
    """A field's stored value in words: a playtime as it is typed (1h30m)."""
    if name == "playtime" and isinstance(value, int):
        return format_duration(value)
    return _shown(value)


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
