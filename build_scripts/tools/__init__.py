"""Commands: `python -m build_scripts.tools.serve | dist | snapshot | check_links`."""
