"""Bytes and time of real Streamlit re-runs over the websocket: a filter change, a layer toggle.

:func:`run_matrix` (run by ``make bench`` through ``bench.bench_tiles``): for every variant
(``explore``, ``folium``, ``ours``, ``tiled``) and size, one server, the first run, then up to
five filter changes ("hide planned") and five layer toggles ("roads and gates"), each timed
from the click until the page says the re-run is done, with the websocket frames it brought
(raw and gzip) → ``tiles_wire_runs.csv``. Every event is bounded; one over its bound is
recorded as failed, saying how.

``python -m bench.st_wire [--sizes 1000 10000] [--modes ours folium]`` (the earlier study of
websocket compression off and on, below):

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
import gzip
import os
import pickle
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench import clock
from bench.browser import chromium, free_port
from bench.synthetic import synthetic_layers

REPO_ROOT = Path(__file__).resolve().parent.parent
APP = Path(__file__).resolve().parent / "streamlit_app" / "rerun_app.py"
CSV_PATH = Path(__file__).resolve().parent / "results" / "st_wire.csv"
#: Where the tiled page's archive is put for Streamlit's static route (git-ignored; the
#: app's own archives are ``<layer>-<digest>.pmtiles``, these ``bench-lots-<n>.pmtiles``).
TILES_STATIC = REPO_ROOT / "static" / "tiles"
#: Wait after "done" for the frames that close a run (script finished), milliseconds.
LATE_FRAMES_MS = 300


def start(
    n: int, mode: str, port: int, stage: Path, compression: bool, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """Start Streamlit on ``port`` for ``n`` parcels in ``mode``; return the process."""
    shutil.copy2(APP, stage / APP.name)
    link = stage / "static"
    if not link.exists():
        link.symlink_to(REPO_ROOT / "static", target_is_directory=True)
    env = {
        **os.environ,
        **(env or {}),
        "BENCH_N": str(n),
        "BENCH_MODE": mode,
        "PYTHONPATH": str(REPO_ROOT),
    }
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
                page.get_by_text(f"done {n} {mode} {n} roads", exact=True).wait_for(
                    timeout=timeout_ms
                )
                first_s = time.perf_counter() - start_t
                page.wait_for_timeout(1500)  # late frames of the first run
                first = sum(received)
                first_tcp = proxy.reset()
                received.clear()
                start_t = time.perf_counter()
                page.get_by_text("hide planned").click()
                page.get_by_text(f"done {n} {mode} {unplanned} roads", exact=True).wait_for(
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


EVENTS = ("filter", "toggle")
#: Seconds for a first run, for each re-run, and for one server's re-runs in all (then it
#: stops, after at least one of each): peers past 10,000 lots take tens of seconds a re-run.
WIRE_BUDGET = (45.0, 30.0, 40.0)
WIRE_FIELDS = [
    "n",
    "variant",
    "event",
    "rep",
    "s",
    "ws_bytes",
    "ws_gzip_bytes",
    "tcp_bytes",
    "load_avg",
    "error",
]


class _Frames:
    """Websocket frames received by the page: their sizes, raw and gzip level 6."""

    def __init__(self) -> None:
        self.held: list[bytes] = []

    def add(self, payload: bytes | str) -> None:
        # Only kept here: gzipping 100 MB frames in the event handler would delay the
        # timed wait for the page and count the measuring against the page measured.
        self.held.append(payload.encode() if isinstance(payload, str) else payload)

    def take(self) -> tuple[int, int]:
        """Raw and gzip bytes of the frames since the last take (compressed now, untimed)."""
        raw = sum(len(data) for data in self.held)
        packed = sum(len(gzip.compress(data, 6)) for data in self.held if data)
        self.held = []
        return raw, packed


def measure_events(
    n: int,
    variant: str,
    *,
    archive: Path | None,
    kept: Path | None = None,
    reps: int,
    first_s: float,
    rerun_s: float,
    cell_s: float,
    log: Any = print,
) -> list[dict[str, Any]]:
    """One server for ``variant`` at ``n`` lots: the first run, then filter changes and toggles.

    Filter changes and layer toggles alternate (each leaves a state the page was not in),
    up to ``reps`` of each, until the re-runs have used ``cell_s`` (at least one of
    each). Each event is bounded (``first_s``, ``rerun_s``); past that it is recorded as
    failed ("first run not done in 90 s") and the server is stopped. Websocket compression
    is Streamlit's default (off); ``ws_gzip_bytes`` is what the same frames weigh
    compressed (gzip level 6, as ``server.enableWebsocketCompression`` would send them,
    about).
    """
    with tempfile.TemporaryDirectory(prefix="bench_st_data_") as held:
        # The page reads the layers made here (made once: 200,000 lots take ~25 s to make),
        # or those bench.bench_tiles kept beside the archive.
        if kept is not None and kept.exists():
            data = pickle.loads(kept.read_bytes())  # written by bench.bench_tiles
        else:
            data = synthetic_layers(n)
        counts = {False: n, True: int((data.parcels.status != "planned").sum())}
        pickled = Path(held) / "layers.pickle"
        pickled.write_bytes(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        del data
        return _measure_events(
            n, variant, counts, pickled, archive, reps, first_s, rerun_s, cell_s, log
        )


def _measure_events(n, variant, counts, pickled, archive, reps, first_s, rerun_s, cell_s, log):
    rows: list[dict[str, Any]] = []
    port = free_port()
    served: Path | None = None
    env: dict[str, str] = {"BENCH_DATA": str(pickled)}
    if archive is not None:
        served = TILES_STATIC / f"bench-{archive.name}"
        TILES_STATIC.mkdir(parents=True, exist_ok=True)
        shutil.copy2(archive, served)
        env["BENCH_ARCHIVE_URL"] = f"/app/static/tiles/{served.name}"

    def record(event: str, rep: int, seconds: float | None, frames: _Frames, proxy, error=""):
        raw, packed = frames.take()
        row = {
            "n": n,
            "variant": variant,
            "event": event,
            "rep": rep,
            "s": "" if seconds is None else round(seconds, 3),
            "ws_bytes": "" if error else raw,
            "ws_gzip_bytes": "" if error else packed,
            "tcp_bytes": "" if error else proxy.reset(),
            "load_avg": round(os.getloadavg()[0], 2),
            "error": error,
        }
        log(f"{clock.stamp()} wire {n:>7} {variant:<8} {event:<6} {rep}: s={row['s']} "
            f"ws={row['ws_bytes']} {error}".rstrip(), flush=True)  # fmt: skip
        rows.append(row)

    with tempfile.TemporaryDirectory(prefix="bench_st_") as stage:
        proc = start(n, variant, port, Path(stage), compression=False, env=env)
        proxy = CountingProxy(port)
        url = f"http://127.0.0.1:{proxy.port}"
        frames = _Frames()
        try:
            wait_healthy(url)
            if served is not None:  # the tiled page reads its archive from the static route
                _check_range(url + env["BENCH_ARCHIVE_URL"])
            with chromium() as br:
                context = br.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                page.on("websocket", lambda ws: ws.on("framereceived", frames.add))
                state = {"hide": False, "roads": True}

                def caption() -> str:
                    roads = "roads" if state["roads"] else "noroads"
                    return f"done {n} {variant} {counts[state['hide']]} {roads}"

                proxy.reset()
                t0 = time.perf_counter()
                try:
                    page.goto(url, wait_until="commit", timeout=first_s * 1000)
                    page.get_by_text(caption(), exact=True).wait_for(timeout=first_s * 1000)
                except Exception as exc:
                    record("first", 0, None, frames, proxy, _failure("first run", exc, first_s))
                    return rows
                seconds = time.perf_counter() - t0
                page.wait_for_timeout(LATE_FRAMES_MS)
                record("first", 0, seconds, frames, proxy)
                used = 0.0
                done = dict.fromkeys(EVENTS, 0)
                while min(done.values()) < reps:
                    for event in EVENTS:
                        if done[event] >= reps:
                            continue
                        if event == "filter":
                            state["hide"] = not state["hide"]
                            label = "hide planned"
                        else:
                            state["roads"] = not state["roads"]
                            label = "roads and gates"
                        t0 = time.perf_counter()
                        try:
                            page.get_by_text(label, exact=True).click(timeout=rerun_s * 1000)
                            page.get_by_text(caption(), exact=True).wait_for(timeout=rerun_s * 1000)
                        except Exception as exc:
                            how = _failure(f"{event} re-run", exc, rerun_s)
                            record(event, done[event], None, frames, proxy, how)
                            return rows
                        seconds = time.perf_counter() - t0
                        page.wait_for_timeout(LATE_FRAMES_MS)
                        record(event, done[event], seconds, frames, proxy)
                        done[event] += 1
                        used += seconds
                    if used > cell_s:
                        break
                context.close()
        finally:
            proxy.close()
            stop(proc)
            if served is not None:
                served.unlink(missing_ok=True)
    return rows


def _check_range(url: str) -> None:
    """Raise unless ``url`` answers a byte-range request with 206 (PMTiles reads ranges)."""
    request = urllib.request.Request(url, headers={"Range": "bytes=0-126"})
    with urllib.request.urlopen(request, timeout=10) as response:
        head = response.read()
        if response.status != 206 or not head.startswith(b"PMTiles"):
            raise RuntimeError(f"{url}: no byte range of the archive ({response.status})")


def _failure(what: str, exc: Exception, limit_s: float) -> str:
    text = str(exc)
    if "crash" in text.lower():
        return f"{what}: Chromium tab crashed"
    if "Timeout" in type(exc).__name__ or "Timeout" in text:
        return f"{what} not done in {limit_s:.0f} s"
    return f"{what}: {type(exc).__name__}: {text.splitlines()[0][:160]}"


def run_matrix(
    sizes: Sequence[int],
    variants: Sequence[str],
    archives: Path,
    out: Path,
    *,
    budget: tuple[float, float, float] | None = None,
    reps: int = 5,
    page_failures: dict[tuple[int, str], str] | None = None,
    log: Any = print,
) -> Path:
    """Measure every variant at every size on a real server; write ``out/tiles_wire_runs.csv``.

    ``archives`` holds ``lots-<n>.pmtiles`` for the tiled variant (``bench.bench_tiles``
    keeps them, and ``layers-<n>.pickle``, the same layers). ``budget``: seconds allowed to
    a first run, to each re-run, and to the re-runs of one server in all
    (:data:`WIRE_BUDGET`). A variant that failed at one size is not run at larger ones
    (recorded as not run), nor where ``page_failures`` (from
    :func:`bench.bench_tiles.page_failures`) says its page could not be built: a first run
    builds the same page.
    """
    first_s, rerun_s, cell_s = budget or WIRE_BUDGET
    out.mkdir(parents=True, exist_ok=True)
    path = out / "tiles_wire_runs.csv"
    rows: list[dict[str, Any]] = []
    failed_at: dict[str, str] = {}
    for n in sizes:
        for variant in variants:
            if variant not in failed_at and (n, variant) in (page_failures or {}):
                failed_at[variant] = (
                    f"not run: its page build failed ({page_failures[(n, variant)]})"
                )
            if variant in failed_at:
                rows.append({"n": n, "variant": variant, "event": "first", "rep": 0,
                             "error": failed_at[variant]})  # fmt: skip
            else:
                archive = archives / f"lots-{n}.pmtiles" if variant == "tiled" else None
                if archive is not None and not archive.exists():
                    rows.append({"n": n, "variant": variant, "event": "first", "rep": 0,
                                 "error": "not run: no tile archive"})  # fmt: skip
                    continue
                got = measure_events(
                    n, variant, archive=archive, kept=archives / f"layers-{n}.pickle",
                    reps=reps, first_s=first_s,
                    rerun_s=rerun_s, cell_s=cell_s, log=log,
                )  # fmt: skip
                rows.extend(got)
                bad = [r for r in got if r["error"]]
                if bad:
                    failed_at[variant] = f"not run: failed at {n:,} lots ({bad[0]['error']})"
            with path.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, WIRE_FIELDS)
                writer.writeheader()
                writer.writerows({k: r.get(k, "") for k in WIRE_FIELDS} for r in rows)
    return path


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
