"""Bringing a backlog in from a tracker's export, or from Questrya's own."""
