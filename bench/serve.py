"""A loopback-only static file server for the benchmark pages, with blank map tiles.

``Range: bytes=a-b`` requests are answered with 206 and the bytes asked for (PMTiles
archives are read that way, as Streamlit's static route and any CDN serve them).

``python -m bench.serve PORT DIRECTORY`` serves DIRECTORY on 127.0.0.1:PORT and
answers every ``/tiles/…`` path with the same 1×1 PNG, so pages whose tile URLs
were pointed at ``tiles/{z}/{x}/{y}.png`` load tiles without any network and
at the same cost for every variant.
"""

from __future__ import annotations

import base64
import functools
import os
import re
import sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8/5+hHgAHggJ/PchI7wAAAABJRU5ErkJggg=="
)


class Handler(SimpleHTTPRequestHandler):
    """Static files, plus a blank PNG for any ``/tiles/`` path; no request log."""

    def do_GET(self) -> None:
        if self.path.startswith("/tiles/"):
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(BLANK_PNG)))
            self.end_headers()
            self.wfile.write(BLANK_PNG)
            return
        match = re.fullmatch(r"bytes=(\d+)-(\d*)", self.headers.get("Range", ""))
        if match:
            self._send_range(int(match[1]), match[2])
            return
        super().do_GET()

    def _send_range(self, start: int, end_text: str) -> None:
        path = self.translate_path(self.path)
        if not os.path.isfile(path):
            self.send_error(404)
            return
        size = os.path.getsize(path)
        end = min(int(end_text) if end_text else size - 1, size - 1)
        if start > end:
            self.send_error(416)
            return
        with open(path, "rb") as fh:
            fh.seek(start)
            body = fh.read(end - start + 1)
        self.send_response(206)
        self.send_header("Content-Type", "application/octet-stream")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


def main(port: int, directory: str) -> None:
    handler = functools.partial(Handler, directory=directory)
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
