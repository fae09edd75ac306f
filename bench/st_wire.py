"""Bytes Streamlit really sends over its websocket on a first run and on a filter re-run.

``python -m bench.st_wire [--sizes 1000 10000] [--modes ours folium]``

Starts ``bench/streamlit_app/rerun_app.py`` with ``streamlit run`` on 127.0.0.1 (repo
root as working directory, so ``.streamlit/config.toml`` applies; a staged copy
sits next to a ``static`` link to the repo's ``static/``, so the vendored Leaflet is
served), opens it in Chromium through a byte-counting loopback proxy, and sums the
websocket frames the browser receives (payloads, as inflated) and the bytes that
cross the connection (the proxy: HTTP too on a first load, only the websocket during
a re-run): from navigation until the page says ``done``, then from a click on the
filter checkbox until the re-run says ``done`` again; with Streamlit's websocket
compression off (its default) and on. Results: ``bench/results/st_wire.csv``. One
run per cell: bytes do not vary between runs.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from bench.browser import chromium, free_port
from bench.synthetic import synthetic_layers

REPO_ROOT = Path(__file__).resolve().parent.parent
APP = Path(__file__).resolve().parent / "streamlit_app" / "rerun_app.py"
CSV_PATH = Path(__file__).resolve().parent / "results" / "st_wire.csv"


def start(n: int, mode: str, port: int, stage: Path, compression: bool) -> subprocess.Popen[bytes]:
    """Start Streamlit on ``port`` for ``n`` parcels in ``mode``; return the process."""
    shutil.copy2(APP, stage / APP.name)
    link = stage / "static"
    if not link.exists():
        link.symlink_to(REPO_ROOT / "static", target_is_directory=True)
    env = {**os.environ, "BENCH_N": str(n), "BENCH_MODE": mode, "PYTHONPATH": str(REPO_ROOT)}
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(stage / APP.name),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.enableWebsocketCompression", str(compression).lower(),
    ]  # fmt: skip
    return subprocess.Popen(
        cmd,
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the Streamlit process group started by :func:`start`."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def wait_healthy(url: str, timeout_s: float = 90) -> None:
    """Wait until Streamlit answers ``/_stcore/health``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"Streamlit at {url} not healthy after {timeout_s} s")


class CountingProxy:
    """A loopback TCP proxy to ``target_port`` that counts the bytes sent to the client.

    Websocket frame payloads seen by the browser are already inflated; the proxy sees
    what really crosses the connection, compressed or not.
    """

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.down = 0
        self._lock = threading.Lock()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> int:
        """Return the bytes counted since the last reset, and start again from 0."""
        with self._lock:
            down, self.down = self.down, 0
        return down

    def close(self) -> None:
        """Stop accepting connections."""
        self._server.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port))
            except OSError:  # the server is not up yet: the client sees a reset
                client.close()
                continue
            threading.Thread(target=self._pump, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, True), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, count: bool) -> None:
        try:
            while chunk := src.recv(65536):
                if count:
                    with self._lock:
                        self.down += len(chunk)
                dst.sendall(chunk)
        except OSError:
            pass
        finally:
            for sock in (src, dst):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def measure(n: int, mode: str, timeout_s: float, compression: bool) -> dict[str, Any]:
    """Return bytes received on the first run and on the filter re-run."""
    unplanned = int((synthetic_layers(n).parcels.status != "planned").sum())
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="bench_st_") as stage:
        proc = start(n, mode, port, Path(stage), compression)
        proxy = CountingProxy(port)
        url = f"http://127.0.0.1:{proxy.port}"
        try:
            wait_healthy(url)
            with chromium() as browser:
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                received: list[int] = []

                def on_ws(ws: Any) -> None:
                    ws.on("framereceived", lambda payload: received.append(len(payload)))

                page.on("websocket", on_ws)
                timeout_ms = timeout_s * 1000
                start_t = time.perf_counter()
                proxy.reset()
                page.goto(url, wait_until="commit", timeout=timeout_ms)
                page.get_by_text(f"done {n} {mode} {n}", exact=True).wait_for(timeout=timeout_ms)
                first_s = time.perf_counter() - start_t
                page.wait_for_timeout(1500)  # late frames of the first run
                first = sum(received)
                first_tcp = proxy.reset()
                received.clear()
                start_t = time.perf_counter()
                page.get_by_text("hide planned").click()
                page.get_by_text(f"done {n} {mode} {unplanned}", exact=True).wait_for(
                    timeout=timeout_ms
                )
                rerun_s = time.perf_counter() - start_t
                page.wait_for_timeout(1500)
                rerun = sum(received)
                rerun_tcp = proxy.reset()
                context.close()
        finally:
            proxy.close()
            stop(proc)
    return {
        "n": n,
        "mode": mode,
        "websocket_compression": compression,
        "first_run_bytes": first,
        "first_run_tcp_bytes": first_tcp,
        "first_run_s": round(first_s, 2),
        "rerun_bytes": rerun,
        "rerun_tcp_bytes": rerun_tcp,
        "rerun_s": round(rerun_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument(
        "--modes", nargs="+", choices=["ours", "folium"], default=["ours", "folium"]
    )
    parser.add_argument("--timeout", type=float, default=300)
    parser.add_argument(
        "--compression",
        nargs="+",
        choices=["off", "on"],
        default=["off", "on"],
        help="server.enableWebsocketCompression (Streamlit's default: off)",
    )
    args = parser.parse_args()
    rows = []
    for n in args.sizes:
        for mode in args.modes:
            for compression in args.compression:
                row = measure(n, mode, args.timeout, compression == "on")
                print(row, flush=True)
                rows.append(row)
    kept = []
    if CSV_PATH.exists():
        with CSV_PATH.open(newline="") as f:
            done = {(r["n"], r["mode"], str(r["websocket_compression"])) for r in rows}
            kept = [
                r
                for r in csv.DictReader(f)
                if (int(r["n"]), r["mode"], r.get("websocket_compression", "False")) not in done
            ]
    with CSV_PATH.open("w", newline="") as f:
        writer = csv.DictWriter(f, list(rows[0]))
        writer.writeheader()
        writer.writerows({k: r.get(k, "") for k in rows[0]} for r in kept + rows)
    print(f"wrote {CSV_PATH}")


if __name__ == "__main__":
    main()
