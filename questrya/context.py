"""What the root command hands every feature command: the services, built on first use."""

import typer

from questrya.common.services import ServiceRegistry


def services(ctx: typer.Context) -> ServiceRegistry:
    registry = ctx.find_root().obj
    if not isinstance(registry, ServiceRegistry):
        raise RuntimeError("the root command did not set up the services")
    return registry
