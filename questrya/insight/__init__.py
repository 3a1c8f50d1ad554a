"""Insight: statistics, what to play next, a random pick, the forecast and the weekly digest."""
