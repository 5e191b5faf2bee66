"""Serve the built site over HTTP: for `make serve`, a training-room laptop and the tests.

Pyodide cannot run from file://, and browsers only stream-compile .wasm served as
application/wasm, so the MIME types are set here rather than left to the platform.

Files the build precompressed (`x.gz` beside `x`, build_scripts/plumbing/precompress.py) are sent
gzipped to browsers that accept it, as nginx's `gzip_static` does.

Every response also carries the site's Content-Security-Policy header (the union policy the build
writes to csp-policy.txt; see build_scripts/plumbing/csp.py) and cache headers: Material's content-hashed
bundles are immutable, everything else is revalidated (`no-cache` + Last-Modified), so a redeployed
site is never mixed with a stale copy.  docs/about/deploy.md gives the nginx / IIS equivalents.
"""

from __future__ import annotations

import argparse
import email.utils
import functools
import os
import re
import socket
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
    # The wizard engine's memory snapshot (plumbing/engine_snapshot.py; gzip inside, inflated by the
    # worker): IIS refuses to serve an extension it has no type for, and the worker would fall back
    # to its slow normal boot.
    ".snapshot": "application/octet-stream",
}


# Material's bundles carry a content hash in their name (bundle.a5f9d56c.min.js): safe to keep forever.
HASHED_ASSET = re.compile(r"\.[0-9a-f]{8}\.min\.(?:js|css)$")
IMMUTABLE_SECONDS = 365 * 86400
IMMUTABLE = f"public, max-age={IMMUTABLE_SECONDS}, immutable"
REVALIDATE = "no-cache"


# The engine's files as the wizard asks for them, `?v=` + a hash of their content (the bundle's for
# decision.zip; for decision.snapshot, the bundle's, Pyodide's and the snapshot script's): a new
# release asks for another URL.  Without `?v=` they are revalidated.
VERSIONED_ENGINE = re.compile(r"/assets/engine/[^?/]+\?v=[0-9a-f]{16}$")


def cache_control(path: str) -> str:
    if HASHED_ASSET.search(path.split("?", 1)[0]) or VERSIONED_ENGINE.search(path):
        return IMMUTABLE
    return REVALIDATE


class SiteHandler(SimpleHTTPRequestHandler):
    # Typeshed declares extensions_map an instance attribute, hence no ClassVar (RUF012).
    extensions_map: dict[str, str] = {**SimpleHTTPRequestHandler.extensions_map, **MIME_TYPES}  # noqa: RUF012

    def send_head(self):
        """The precompressed copy when there is one and the browser accepts gzip; else as usual."""
        path = self.translate_path(self.path)
        if os.path.isdir(path) and self.path.split("?", 1)[0].endswith("/"):
            path = os.path.join(path, "index.html")
        packed = path + ".gz"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and os.path.isfile(path) and os.path.isfile(packed)):
            return super().send_head()
        stat = os.stat(packed)
        if stat.st_mtime < os.stat(path).st_mtime:  # the file changed after the build: never a stale copy
            return super().send_head()
        since = self.headers.get("If-Modified-Since")
        if since:
            try:
                if int(stat.st_mtime) <= email.utils.parsedate_to_datetime(since).timestamp():
                    self.send_response(304)
                    self.send_header("Vary", "Accept-Encoding")
                    self.end_headers()
                    return None
            except (TypeError, ValueError, IndexError, OverflowError):
                pass  # an unreadable date: send the file
        handle = open(packed, "rb")  # noqa: SIM115 - returned open, as the base class does; it closes it
        self.send_response(200)
        self.send_header("Content-type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(stat.st_size))
        self.send_header("Last-Modified", self.date_time_string(int(stat.st_mtime)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return handle

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
    policy_file = Path(directory) / "csp-policy.txt"  # csp.POLICY_FILE; this file also runs alone
    if policy_file.is_file():
        return policy_file.read_text(encoding="utf-8").strip()
    from build_scripts.plumbing import csp

    return csp.site_policy(Path(directory))


def make_server(
    directory: Path, host: str = "127.0.0.1", port: int = 0, quiet: bool = False
) -> ThreadingHTTPServer:
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


def serve_in_thread(directory: Path, quiet: bool = True) -> tuple[ThreadingHTTPServer, str]:
    """Start a server on a free loopback port; return (server, base_url)."""
    server = make_server(directory, port=0, quiet=quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def default_dir() -> Path:
    """`site` beside this file (the layout of the dist zip: serve.py + site/), else ./site."""
    beside = Path(__file__).resolve().parent / "site"
    return beside if (beside / "index.html").is_file() else Path("site")


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the built site (no internet needed). 本地运行本站。")
    parser.add_argument("--dir", default=None, type=Path, help="the built site (default: site/)")
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="127.0.0.1: this computer only; 0.0.0.0: every computer in the room (培训教室)",
    )
    parser.add_argument("--port", default=8000, type=int)
    args = parser.parse_args()
    directory = args.dir or default_dir()
    if not (directory / "index.html").is_file():
        raise SystemExit(
            f"找不到站点文件 {directory}/index.html：请先生成站点（make build）或用 --dir 指定站点目录。\n"
            f"{directory}/index.html not found: build the site first (make build) or pass --dir."
        )
    try:
        server = make_server(directory, args.host, args.port)
    except OSError as error:
        raise SystemExit(
            f"无法在端口 {args.port} 上启动：该端口可能已被占用，请换一个端口，例如 --port {args.port + 1}。\n"
            f"cannot listen on {args.host}:{args.port}: {error}"
        ) from None
    shown_host = "127.0.0.1" if args.host == "0.0.0.0" else args.host
    print(f"本站已启动：请在浏览器中打开 http://{shown_host}:{args.port}/ （按 Ctrl+C 停止）", flush=True)
    print(f"Serving {directory} at http://{args.host}:{args.port}/  (Ctrl+C to stop)", flush=True)
    if args.host == "0.0.0.0":
        for address in lan_addresses():
            print(
                f"教室里的其他电脑请打开 / other computers in the room: http://{address}:{args.port}/",
                flush=True,
            )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
