"""The shared leaves: the notice parser, the rules compiler, the engine bundle and snapshot, CSP, vendoring.

Nothing here imports the generators (pages/), the portable build or the commands (tools/, build.py)."""
