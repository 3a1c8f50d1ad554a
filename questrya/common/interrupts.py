"""Ctrl-C held back while a piece of work that must not be cut finishes."""

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def held_interrupts() -> Iterator[None]:
    """Run the block whole: a Ctrl-C (SIGINT) that arrives meanwhile is raised as
    ``KeyboardInterrupt`` once the block is over, not in the middle of a commit. Outside the
    main thread, where signals cannot be caught, the block runs as it is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []

    def hold(signum: int, frame: FrameType | None) -> None:
        caught.append(signum)

    previous = signal.signal(signal.SIGINT, hold)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if caught:
        raise KeyboardInterrupt
