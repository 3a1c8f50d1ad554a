"""The metadata providers (Steam, RAWG, IGDB) behind the ``MetadataProvider`` port.

Only this package talks HTTP: ``http.py`` is the JSON client every adapter shares, and
``registry.build_provider`` turns setting values into the configured provider.
"""
