"""Bringing a backlog in from other trackers and stores."""
