"""The games feature: the backlog's entries, their lifecycle and their history."""
