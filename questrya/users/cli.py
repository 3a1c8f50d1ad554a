"""`questrya users …`: the profiles, each with a backlog of its own."""

from typing import Annotated

import typer

from questrya.commands import App, examples, services
from questrya.common.exceptions import InvalidInputError
from questrya.completion import Completed
from questrya.console import (
    CsvOption,
    JsonlOption,
    JsonOption,
    OutputFormat,
    confirm,
    output_format,
    print_default_profile,
    print_line,
    print_records,
    print_table,
)
from questrya.users.completion import profiles
from questrya.users.service import UserService

app = App(help="Profiles: each has a backlog of its own.")

Name = Annotated[str, typer.Argument(metavar="NAME", help="1-32 letters, digits, '-', '_' or '.'.")]
Profile = Annotated[
    str,
    typer.Argument(metavar="NAME", help="A profile's name.", click_type=Completed(profiles)),
]


def _service(ctx: typer.Context) -> UserService:
    return services(ctx).get(UserService)


@app.command()
@examples(
    "questrya users add alice --email alice@example.com",
    "questrya --user alice games add Celeste -p switch   # alice's backlog",
    see_also=["questrya users use", "questrya users list"],
)
def add(
    ctx: typer.Context,
    name: Name,
    email: Annotated[str | None, typer.Option(metavar="EMAIL", help="An email address.")] = None,
) -> None:
    """Add a profile."""
    user = _service(ctx).add(name, email)
    print_line(f"Added profile {user.name}" + (" (default)" if user.is_default else ""))


@app.command("list")
@examples("questrya users list", "questrya users list --json | jq -r '.[].name'")
def list_users(
    ctx: typer.Context,
    as_json: JsonOption = False,
    as_jsonl: JsonlOption = False,
    as_csv: CsvOption = False,
) -> None:
    """List the profiles and how many games each has."""
    from questrya.users.schemas import ProfileOut

    fmt = output_format(json=as_json, jsonl=as_jsonl, csv=as_csv)
    profiles = [ProfileOut.model_validate(p) for p in _service(ctx).summaries()]

    if fmt is OutputFormat.TABLE:
        print_table(
            ("Name", "Email", "Default", "Games"),
            ((p.name, p.email, "*" if p.default else "", p.games) for p in profiles),
        )
        return
    print_records(
        [profile.model_dump(mode="json") for profile in profiles],
        fmt,
        columns=list(ProfileOut.model_fields),
    )


@app.command()
@examples(
    "questrya users use alice          # commands act for alice from now on",
    "questrya --user bob games list    # or another profile for one command",
    see_also=["questrya users list"],
)
def use(ctx: typer.Context, name: Profile) -> None:
    """Make a profile the default one, the one commands act for."""
    change = _service(ctx).use(name)
    print_default_profile(change.name, change.previous, change.warning())


@app.command()
@examples("questrya users rename alice ally", see_also=["questrya users edit"])
def rename(
    ctx: typer.Context,
    old: Annotated[
        str,
        typer.Argument(metavar="OLD", help="The profile's name.", click_type=Completed(profiles)),
    ],
    new: Annotated[str, typer.Argument(metavar="NEW", help="Its new name: as for NAME.")],
) -> None:
    """Rename a profile."""
    print_line(f"Renamed profile {old} to {_service(ctx).rename(old, new).name}")


@app.command()
@examples(
    "questrya users edit alice --email alice@example.org",
    "questrya users edit alice --no-email",
    see_also=["questrya users rename"],
)
def edit(
    ctx: typer.Context,
    name: Profile,
    email: Annotated[
        str | None, typer.Option(metavar="EMAIL", help="A new email address.", show_default=False)
    ] = None,
    no_email: Annotated[bool, typer.Option("--no-email", help="Remove its email address.")] = False,
) -> None:
    """Change a profile's email address (`users edit alice --email alice@example.com`);
    `users rename` changes its name."""
    if (email is None) == (not no_email):
        raise InvalidInputError("give --email EMAIL, or --no-email to remove it")
    user = _service(ctx).set_email(name, None if no_email else email)
    print_line(f"Profile {user.name}: email {user.email or 'none'}")


@app.command()
@examples(
    "questrya users remove bob                 # a profile with no games",
    "questrya users remove bob --force --yes   # its games and history too, for good",
)
def remove(
    ctx: typer.Context,
    name: Profile,
    force: Annotated[
        bool, typer.Option("--force", help="Remove its games and their history too, for good.")
    ] = False,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="With --force: do not ask.")] = False,
) -> None:
    """Remove a profile (refused while it has games, unless --force, which asks first)."""
    service = _service(ctx)
    if force and not yes:
        games = service.game_count(name)
        confirm(
            f"Remove profile {name}?",
            [
                f"Removing profile {name} deletes its {games} game(s) and their history "
                "for good: this cannot be undone."
            ],
        )
    removal = service.remove(name, force=force)
    with_games = f" and its {removal.games} game(s)" if removal.games else ""
    print_line(f"Removed profile {removal.name}{with_games}")
    if removal.default is not None:
        print_line(f"Default profile: {removal.default}")
    else:
        print_line("No profile is left: the next command creates one.")
