"""`questrya config …`: the effective settings, and changing them in config.toml."""

from typing import Annotated

import typer

from questrya.commands import App, examples, services
from questrya.completion import Candidate, Completed, Context, matching, read_side
from questrya.config.service import ConfigService
from questrya.console import (
    JsonOption,
    plain_text,
    print_default_profile,
    print_json,
    print_line,
    print_table,
)

app = App(help="Settings: show them, set or unset them, find the file.")


def _keys(ctx: Context, typed: str) -> list[Candidate]:
    """The settings `config set` and `unset` take."""
    return matching(read_side(ctx).get(ConfigService).keys(), typed)


Key = Annotated[
    str,
    typer.Argument(
        metavar="KEY", help="A setting, as `config show` names it.", click_type=Completed(_keys)
    ),
]


def _service(ctx: typer.Context) -> ConfigService:
    return services(ctx).get(ConfigService)


@app.command()
@examples(
    "questrya config show",
    "questrya config show --json | jq .provider",
    see_also=["questrya config set", "questrya config path"],
)
def show(
    ctx: typer.Context,
    as_json: JsonOption = False,
) -> None:
    """Print every setting, its effective value and where it comes from (secrets masked)."""
    from questrya.config.schemas import SettingOut

    settings = [SettingOut.model_validate(s) for s in _service(ctx).show()]
    if as_json:
        print_json({s.key: {"value": s.value, "source": s.source} for s in settings})
        return
    print_table(("Setting", "Value", "Source"), ((s.key, s.value, s.source) for s in settings))


# A value may start with '-' (`config set next.weights.release_age -0.5`).
@app.command("set", context_settings={"ignore_unknown_options": True})
@examples(
    "questrya config set provider rawg",
    "questrya config set rawg_api_key KEY   # never printed back",
    "questrya config set next.weights.release_age -0.5",
    see_also=["questrya config show", "questrya config unset"],
)
def set_value(
    ctx: typer.Context,
    key: Key,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="Its new value.")],
) -> None:
    """Check a value and store it in config.toml (readable by you only); nothing is written
    when it would not work. `config set user NAME` switches the default profile instead."""
    service = _service(ctx)
    if service.names_profile(key):
        change = service.use_profile(value)
        print_default_profile(change.name, change.previous, change.warning)
        return
    setting = service.set(key, value)
    print_line(f"{setting.key} = {plain_text(setting.value)}")


@app.command()
@examples(
    "questrya config unset provider   # back to the default", see_also=["questrya config show"]
)
def unset(ctx: typer.Context, key: Key) -> None:
    """Remove a setting from config.toml: the environment's value or the default applies."""
    service = _service(ctx)
    if service.unset(key):
        print_line(f"Removed {key} from {service.path()}")
    else:
        print_line(f"{key} is not set in {service.path()}")


@app.command()
@examples("questrya config path", '$EDITOR "$(questrya config path)"')
def path(ctx: typer.Context) -> None:
    """Print where config.toml lives (it may not exist yet)."""
    print_line(str(_service(ctx).path()))
