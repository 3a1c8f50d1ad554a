"""The users feature: the profiles that each own a separate backlog."""
