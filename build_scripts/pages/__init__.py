"""Page generators: each module's `files(config)` yields generated pages (listed in plumbing/registry.py)."""
