"""The backlog's database as a whole: `questrya db copy` moves it between databases."""
