"""Serve the built site over HTTP: for `make serve`, a training-room laptop and the tests.

Pyodide cannot run from file://, and browsers only stream-compile .wasm served as
application/wasm, so the MIME types are set here rather than left to the platform.

Every response also carries the site's Content-Security-Policy header (the union policy the build
writes to csp-policy.txt; see build_scripts/csp.py) and cache headers: Material's content-hashed
bundles are immutable, everything else is revalidated (`no-cache` + Last-Modified), so a redeployed
site is never mixed with a stale copy.  docs/about/deploy.md gives the nginx / IIS equivalents.
"""

from __future__ import annotations

import argparse
import functools
import re
import socket
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

from build_scripts import csp

MIME_TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".json": "application/json",
    ".zip": "application/zip",
    ".svg": "image/svg+xml",
}


# Material's bundles carry a content hash in their name (bundle.a5f9d56c.min.js): safe to keep forever.
HASHED_ASSET = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


def cache_control(path: str) -> str:
    return IMMUTABLE if HASHED_ASSET.search(path.split("?", 1)[0]) else REVALIDATE


class SiteHandler(SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}

    def end_headers(self):
        policy = getattr(self.server, "csp_policy", None)
        if policy:
            self.send_header("Content-Security-Policy", policy)
        self.send_header("Cache-Control", cache_control(self.path))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        super().end_headers()

    def log_message(self, format, *args):  # `format`: the base class's parameter name
        if not getattr(self.server, "quiet", False):
            super().log_message(format, *args)


def site_csp(directory: Path) -> str:
    """The header policy written by the build, or recomputed from the HTML if the file is missing."""
    policy_file = Path(directory) / csp.POLICY_FILE
    if policy_file.is_file():
        return policy_file.read_text(encoding="utf-8").strip()
    return csp.site_policy(Path(directory))


def make_server(directory: Path, host: str = "127.0.0.1", port: int = 0, quiet: bool = False):
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = ThreadingHTTPServer((host, port), handler)
    server.quiet = quiet  # type: ignore[attr-defined]
    server.csp_policy = site_csp(directory)  # type: ignore[attr-defined]
    return server


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses, to tell a training room which URL to open."""
    addresses = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            addresses.add(str(info[4][0]))
    except OSError:
        pass
    return sorted(a for a in addresses if not a.startswith("127."))


def serve_in_thread(directory: Path, quiet: bool = True):
    """Start a server on a free loopback port; return (server, base_url)."""
    server = make_server(directory, port=0, quiet=quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host, port = server.server_address[:2]
    return server, f"http://{host}:{port}/"


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the built site (no internet needed).")
    parser.add_argument("--dir", default="site", type=Path)
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="127.0.0.1: this computer only; 0.0.0.0: every computer in the room",
    )
    parser.add_argument("--port", default=8000, type=int)
    args = parser.parse_args()
    if not (args.dir / "index.html").is_file():
        raise SystemExit(f"{args.dir}/index.html not found: build the site first (make build)")
    server = make_server(args.dir, args.host, args.port)
    print(f"Serving {args.dir} at http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    if args.host == "0.0.0.0":
        for address in lan_addresses():
            print(f"  other computers in the room: http://{address}:{args.port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
