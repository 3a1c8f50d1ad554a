"""Background work: the Huey queue, its tasks, and the worker that runs them."""
