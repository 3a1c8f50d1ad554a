"""The config feature: the effective settings, where each comes from, and `config set`."""
