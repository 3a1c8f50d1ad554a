"""Code every feature may use: exceptions, value objects, text and date helpers (stdlib only)."""
