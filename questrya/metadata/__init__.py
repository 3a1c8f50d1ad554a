"""The metadata feature: fetching each game's metadata and review scores from a provider."""
