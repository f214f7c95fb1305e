"""hirepath: settings, entry points (CLI, worker, API server) and the embedded runner."""
