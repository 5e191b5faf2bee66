"""Page generators: each module's `files()` yields (site path, content) pairs (listed in build_scripts/registry.py)."""
