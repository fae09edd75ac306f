"""A loopback-only static file server for the benchmark pages, with blank map tiles.

``python -m bench.serve PORT DIRECTORY`` serves DIRECTORY on 127.0.0.1:PORT and
answers every ``/tiles/…`` path with the same 1×1 PNG, so pages whose tile URLs
were pointed at ``tiles/{z}/{x}/{y}.png`` load tiles without any network and
at the same cost for every variant.
"""

from __future__ import annotations

import base64
import functools
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
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass


def main(port: int, directory: str) -> None:
    handler = functools.partial(Handler, directory=directory)
    with ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
