"""`questrya config …`: the effective settings, and changing them in config.toml."""

from typing import Annotated

import typer

from questrya.commands import App, services
from questrya.config.service import ConfigService
from questrya.console import JsonOption, print_json, print_line, print_table

app = App(help="Settings: show them, set them, find the file.")


def _service(ctx: typer.Context) -> ConfigService:
    return services(ctx).get(ConfigService)


@app.command()
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
    print_table(
        ("Setting", "Value", "Source"),
        ((s.key, s.value, s.source) for s in settings),
    )


@app.command("set")
def set_value(
    ctx: typer.Context,
    key: Annotated[
        str, typer.Argument(metavar="KEY", help="A setting, as `config show` names it.")
    ],
    value: Annotated[str, typer.Argument(metavar="VALUE", help="Its new value.")],
) -> None:
    """Validate a value and store it in config.toml (readable by you only)."""
    setting = _service(ctx).set(key, value)
    print_line(f"{setting.key} = {setting.value}")


@app.command()
def path(ctx: typer.Context) -> None:
    """Print where config.toml lives."""
    print_line(str(_service(ctx).path()))
