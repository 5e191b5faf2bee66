"""Serve the built site over HTTP: for `make serve`, a training-room laptop and the tests.

Pyodide cannot run from file://, and browsers only stream-compile .wasm served as
application/wasm, so the MIME types are set here rather than left to the platform.
"""

from __future__ import annotations

import argparse
import functools
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
}


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 0, quiet: bool = False):
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = ThreadingHTTPServer((host, port), handler)
    server.quiet = quiet  # type: ignore[attr-defined]
    return server


def serve_in_thread(directory: Path, quiet: bool = True):
    """Start a server on a free loopback port; return (server, base_url)."""
    server = make_server(directory, port=0, quiet=quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}/"


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the built site (no internet needed).")
    parser.add_argument("--dir", default="site", type=Path)
    parser.add_argument("--host", default="127.0.0.1", help="0.0.0.0 to serve a training room")
    parser.add_argument("--port", default=8000, type=int)
    args = parser.parse_args()
    if not (args.dir / "index.html").is_file():
        raise SystemExit(f"{args.dir}/index.html not found: build the site first (make build)")
    server = make_server(args.dir, args.host, args.port)
    print(f"Serving {args.dir} at http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
