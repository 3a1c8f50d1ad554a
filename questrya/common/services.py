"""A lazy registry that hands services to the CLI without the CLI building them."""

from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


class ServiceRegistry:
    """Resolves each service on first use and keeps it for the rest of the command.

    The root CLI fills it with the composition root's resolver; feature CLI modules ask it
    for the service they need by type, so they never import the factory, the ORM or the
    settings, and ``--help`` never opens the database.
    """

    def __init__(self, resolve: Callable[[type[Any]], object]) -> None:
        self._resolve = resolve
        self._built: dict[type[Any], object] = {}

    def get(self, kind: type[T]) -> T:
        service = self._built.get(kind)
        if service is None:
            service = self._built[kind] = self._resolve(kind)
        if not isinstance(service, kind):
            raise TypeError(f"{kind.__name__} resolved to {type(service).__name__}")
        return service
