"""Questrya: a video-game backlog manager for the terminal."""

__version__ = "0.1.0"
