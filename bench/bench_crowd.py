"""Concurrent viewers: N real websocket sessions open the map and change a filter at once.

Run from the repository root (``make bench`` runs the default after ``bench.bench_tiles``)::

    .venv/bin/python -m bench.bench_crowd                       # 1, 10, 50 sessions, 2 runs
    .venv/bin/python -m bench.bench_crowd --sessions 1 2 --repeat 1 --out /tmp/c
    .venv/bin/python -m bench.bench_crowd --report-only         # tables + plots from the CSV

What is measured: **the real app** (``app.py``, its map page, on the shipped layers of
``layers/``, through a throwaway embedded store in a temporary ``LSZ_DATA_DIR`` seeded
from them), started with ``streamlit run`` on a free 127.0.0.1 port, once per
(sessions, run), so every run starts from a fresh process. Before the measured sessions
connect, one warm-up session opens the map and changes the filter (so the data and the
map caches are filled, as on a server that has been up) and disconnects.

Then N clients speak Streamlit's own protocol (``/_stcore/stream``, protobuf ``BackMsg`` /
``ForwardMsg`` from ``streamlit.proto``) with the ``websockets`` package, all at once:

1. **open**: each connects and asks for the first run of the page (``rerun_script``, no
   widget states), as a browser does on opening the link; the time is from the start of
   the connection until its ``script_finished``;
2. **filter**: when every session has its page (or failed), each sends a re-run with the
   map page's status filter (the sidebar multiselect, found by its widget key
   ``…statuses`` in the page it received) set to *operational* only (a filter
   that narrows the shipped map), with the query string the page wrote; the time is from
   sending it until ``script_finished``, and the page's new query string must name it.

Each phase has a deadline (``--timeout``): a session not finished by then, a closed
connection, an exception element in the page or a script that did not finish
successfully is a failure with its reason, never a hang. The server's resident memory
(``/proc/<pid>/status`` ``VmRSS``) is read before the N sessions connect, while they are
all open after the filter change, and sampled every 0.2 s for the peak; memory per
session is (after − before) / N. The server's CPU time (``/proc/<pid>/stat``, all its
threads) over each phase, divided by N, is the work a session costs: on a shared machine
it varies far less than the times, which include waiting for the CPU.

What a browser adds is not measured: it would also fetch the page's scripts, the map
component's frame and the basemap, and ``st_folium`` would send its own value back.
Clients send only the changed widget's state (Streamlit keeps the others from the
previous run) and report no cached message hashes (a browser reports the ones it holds,
so the server sends it references instead of repeated elements): the server does the
same work either way, and sends a little more here.

Percentiles are nearest-rank over the N sessions of a run (p95 of 10 sessions is the
slowest of them); the report gives the median (min–max) over the runs. Writes
``<out>/results/crowd.csv`` (one row per run), ``<out>/results/crowd_sessions.csv`` (one
row per session), ``<out>/results/crowd_*.png`` and the section between
``<!-- crowd:start -->`` and ``<!-- crowd:end -->`` of ``<out>/RESULTS.md``. Nothing here
asserts anything.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench import clock
from bench.browser import free_port
from bench.st_wire import stop, wait_healthy
from geo.vocabulary import STATUSES

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = Path(__file__).resolve().parent
APP = REPO_ROOT / "app.py"
SESSIONS = (1, 10, 50)
REPEAT = 2
PHASE_TIMEOUT_S = 180.0
#: The map page's status filter: its widget key ends so (``ui.state.bind_field("statuses")``).
STATUS_WIDGET_SUFFIX = ".statuses"
#: The filter set (its options are ``geo.vocabulary.STATUSES``, labelled per language).
FILTER_STATUS = "operational"
PHASES = ("open", "filter")
RUN_FIELDS = [
    "sessions",
    "run",
    "open_p50_s",
    "open_p95_s",
    "open_max_s",
    "filter_p50_s",
    "filter_p95_s",
    "filter_max_s",
    "failures",
    "failure_reasons",
    "cpu_open_per_session_s",
    "cpu_filter_per_session_s",
    "rss_before_bytes",
    "rss_after_bytes",
    "rss_peak_bytes",
    "rss_per_session_bytes",
    "open_bytes",
    "filter_bytes",
    "load_avg_before",
    "load_avg_after",
    "wall_s",
]
SESSION_FIELDS = ["sessions", "run", "session", "open_s", "filter_s", "open_bytes", "error"]


# ---------------------------------------------------------------------------
# One session over Streamlit's websocket protocol


@dataclass
class Session:
    """What one client saw: times to ``script_finished``, bytes received, the first error."""

    index: int
    open_s: float | None = None
    filter_s: float | None = None
    open_bytes: int = 0
    filter_bytes: int = 0
    error: str = ""
    widget_id: str = ""
    options: list[str] = field(default_factory=list)
    query_string: str = ""


def _rerun_msg(query_string: str, widget: tuple[str, list[str]] | None = None) -> bytes:
    msg = BackMsg()
    msg.rerun_script.query_string = query_string
    msg.rerun_script.page_script_hash = ""
    if widget is not None:
        state = msg.rerun_script.widget_states.widgets.add()
        state.id = widget[0]
        state.string_array_value.data.extend(widget[1])
    return msg.SerializeToString()


async def _until_finished(ws: Any, session: Session, deadline: float) -> int:
    """Read ForwardMsgs until the run finishes; return the bytes read. Raise on failure."""
    received = 0
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("phase deadline passed")
        data = await asyncio.wait_for(ws.recv(), left)
        received += len(data)
        msg = ForwardMsg()
        msg.ParseFromString(data)
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                raise RuntimeError(f"the page raised {element.exception.type}")
            if which == "multiselect" and element.multiselect.id.endswith(STATUS_WIDGET_SUFFIX):
                session.widget_id = element.multiselect.id
                session.options = list(element.multiselect.options)
        elif kind == "page_info_changed":
            session.query_string = msg.page_info_changed.query_string
        elif kind == "script_finished":
            status = msg.script_finished
            if status == ForwardMsg.FINISHED_SUCCESSFULLY:
                return received
            if status != ForwardMsg.FINISHED_EARLY_FOR_RERUN:  # that one runs again
                raise RuntimeError(f"script finished with status {status}")


class Gate:
    """Opens when all ``parties`` sessions have arrived (finished the phase or failed)."""

    def __init__(self, parties: int) -> None:
        self.left = parties
        self.opened = asyncio.Event()

    def arrive(self) -> None:
        """Count one session; open the gate when it is the last."""
        self.left -= 1
        if self.left <= 0:
            self.opened.set()


async def _session(
    url: str, session: Session, gates: tuple[Gate, Gate], close: asyncio.Event, timeout_s: float
) -> None:
    """Open the page, wait for every session, change the filter, stay open until ``close``."""
    opened, filtered = gates
    arrived = 0  # gates this session has counted itself at
    phase = "open"
    try:
        deadline = time.monotonic() + timeout_s
        start = time.perf_counter()
        async with websockets.connect(
            url,
            subprotocols=["streamlit"],
            max_size=None,
            ping_interval=None,  # browsers send no websocket pings (Streamlit has heartbeats)
            open_timeout=timeout_s,
        ) as ws:
            await ws.send(_rerun_msg(""))
            session.open_bytes = await _until_finished(ws, session, deadline)
            session.open_s = time.perf_counter() - start
            if not session.widget_id:
                raise RuntimeError("no status filter in the page")
            opened.arrive()
            arrived = 1
            await opened.opened.wait()  # bounded: every other session has the same deadline
            phase = "filter"
            deadline = time.monotonic() + timeout_s
            start = time.perf_counter()
            chosen = [session.options[STATUSES.index(FILTER_STATUS)]]  # options: STATUSES order
            await ws.send(_rerun_msg(session.query_string, (session.widget_id, chosen)))
            session.filter_bytes = await _until_finished(ws, session, deadline)
            session.filter_s = time.perf_counter() - start
            if f"status={FILTER_STATUS}" not in session.query_string:  # the app's own view
                raise RuntimeError(f"filter not applied: query {session.query_string!r}")
            filtered.arrive()
            arrived = 2
            phase = "hold"
            await close.wait()
    except Exception as exc:  # a failure is a result: record it, let the others go on
        if phase != "hold":
            session.error = f"{phase}: {type(exc).__name__}: {str(exc)[:120]}"
    finally:
        for gate in (opened, filtered)[arrived:]:  # never leave the others waiting for this one
            gate.arrive()


# ---------------------------------------------------------------------------
# Server


def rss_bytes(pid: int) -> int:
    """Return the resident memory of process ``pid`` (``VmRSS`` of ``/proc/<pid>/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """Return the CPU time (user + system, all threads) process ``pid`` has used, in s."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_app(port: int, data_dir: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start ``streamlit run app.py`` on 127.0.0.1:``port`` with its store in ``data_dir``."""
    env = {**os.environ, "LSZ_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"}
    env.pop("LSZ_REGISTRY", None)
    env.pop("DATABASE_URL", None)
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.address", "127.0.0.1", "--server.port", str(port),
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none", "--server.runOnSave", "false",
    ]  # fmt: skip
    with open(log, "ab") as out:
        return subprocess.Popen(
            cmd,
            cwd=REPO_ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends it whole
        )


# ---------------------------------------------------------------------------
# One run


def nearest_rank(values: Sequence[float], q: float) -> float:
    """Return the nearest-rank ``q`` percentile (0 < q ≤ 100) of ``values``.

    Examples
    --------
    >>> nearest_rank([3.0], 95)
    3.0
    >>> nearest_rank([float(i) for i in range(1, 11)], 95), nearest_rank([1.0, 2.0, 3.0], 50)
    (10.0, 2.0)
    """
    ranked = sorted(values)
    return ranked[max(0, math.ceil(q / 100 * len(ranked)) - 1)]


async def _crowd(url: str, pid: int, n: int, timeout_s: float) -> dict[str, Any]:
    """Run ``n`` sessions against the server at ``url``; return the sessions and memory."""
    sessions = [Session(i) for i in range(n)]
    gates, close = (Gate(n), Gate(n)), asyncio.Event()
    before = rss_bytes(pid)
    peak = before
    sampling = True

    async def sample() -> None:
        nonlocal peak
        while sampling:
            peak = max(peak, rss_bytes(pid))
            await asyncio.sleep(0.2)

    sampler = asyncio.create_task(sample())
    tasks = [asyncio.create_task(_session(url, s, gates, close, timeout_s)) for s in sessions]
    cpu = [cpu_seconds(pid)]
    try:
        # Every session is past a phase (finished or failed; each phase has its deadline):
        # the server's CPU time at each gate, then its memory with the sessions still open.
        for gate in gates:
            await asyncio.wait_for(gate.opened.wait(), timeout_s + 30)
            cpu.append(cpu_seconds(pid))
        after = rss_bytes(pid)
        peak = max(peak, after)
    finally:
        sampling = False
        close.set()
        _done, pending = await asyncio.wait(tasks, timeout=30)
        for task in pending:
            task.cancel()
        await sampler
    return {
        "sessions": sessions,
        "before": before,
        "after": after,
        "peak": peak,
        "cpu_open_s": cpu[1] - cpu[0],
        "cpu_filter_s": cpu[2] - cpu[1],
    }


def run_once(
    n: int, run_no: int, data_dir: Path, timeout_s: float, log_dir: Path
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Start the app, warm it up, run ``n`` sessions; return the run row and session rows."""
    port = free_port()
    proc = start_app(port, data_dir, log_dir / f"crowd-{n}-{run_no}.log")
    wall = time.perf_counter()
    try:
        wait_healthy(f"http://127.0.0.1:{port}", timeout_s)
        url = f"ws://127.0.0.1:{port}/_stcore/stream"
        warm = asyncio.run(_crowd(url, proc.pid, 1, timeout_s))["sessions"][0]
        if warm.error:
            raise RuntimeError(f"warm-up session failed: {warm.error}")
        time.sleep(1.0)  # the warm-up session's disconnect is handled
        load_before = os.getloadavg()[0]
        result = asyncio.run(_crowd(url, proc.pid, n, timeout_s))
    finally:
        stop(proc)
    sessions: list[Session] = result["sessions"]
    row = summarise_run(n, run_no, sessions, result)
    row["load_avg_before"] = round(load_before, 2)
    row["load_avg_after"] = round(os.getloadavg()[0], 2)
    row["wall_s"] = round(time.perf_counter() - wall, 1)
    session_rows = [
        {
            "sessions": n,
            "run": run_no,
            "session": s.index,
            "open_s": "" if s.open_s is None else round(s.open_s, 4),
            "filter_s": "" if s.filter_s is None else round(s.filter_s, 4),
            "open_bytes": s.open_bytes,
            "error": s.error,
        }
        for s in sessions
    ]
    return row, session_rows


def summarise_run(
    n: int, run_no: int, sessions: Sequence[Session], memory: dict[str, Any]
) -> dict[str, Any]:
    """Return the CSV row of one run: percentiles over its sessions, failures, memory."""
    row: dict[str, Any] = {"sessions": n, "run": run_no}
    for phase in PHASES:
        times = [t for s in sessions if (t := getattr(s, f"{phase}_s")) is not None]
        for label, q in (("p50", 50), ("p95", 95), ("max", 100)):
            row[f"{phase}_{label}_s"] = round(nearest_rank(times, q), 4) if times else ""
    errors = [s.error for s in sessions if s.error]
    row["failures"] = len(errors)
    row["failure_reasons"] = "; ".join(sorted(set(errors)))[:300]
    for phase in PHASES:  # server CPU per session: immune to waiting for a busy machine
        row[f"cpu_{phase}_per_session_s"] = round(memory[f"cpu_{phase}_s"] / n, 4)
    row["rss_before_bytes"] = memory["before"]
    row["rss_after_bytes"] = memory["after"]
    row["rss_peak_bytes"] = memory["peak"]
    row["rss_per_session_bytes"] = round((memory["after"] - memory["before"]) / n)
    ok = [s for s in sessions if not s.error]
    row["open_bytes"] = statistics.median(s.open_bytes for s in ok) if ok else ""
    row["filter_bytes"] = statistics.median(s.filter_bytes for s in ok) if ok else ""
    return row


def run(
    sessions: Sequence[int],
    repeat: int,
    results_dir: Path,
    *,
    timeout_s: float = PHASE_TIMEOUT_S,
    log: Callable[..., None] = print,
) -> Path:
    """Run the benchmark; write ``crowd.csv`` and ``crowd_sessions.csv``; return the first."""
    results_dir.mkdir(parents=True, exist_ok=True)
    runs_csv = results_dir / "crowd.csv"
    rows: list[dict[str, Any]] = []
    session_rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="lsz-bench-crowd-") as scratch:
        data_dir = Path(scratch) / "data"
        data_dir.mkdir()
        for run_no in range(repeat):  # interleaved: a noisy minute hits every size alike
            for n in sessions:
                row, per_session = run_once(n, run_no, data_dir, timeout_s, Path(scratch))
                log(f"{clock.stamp()} {n:>3} sessions run {run_no}: " + _brief(row), flush=True)
                rows.append(row)
                session_rows.extend(per_session)
                _write(runs_csv, RUN_FIELDS, rows)
                _write(results_dir / "crowd_sessions.csv", SESSION_FIELDS, session_rows)
    return runs_csv


def _brief(row: dict[str, Any]) -> str:
    keys = ("open_p95_s", "filter_p50_s", "filter_p95_s", "failures", "rss_per_session_bytes")
    return ", ".join(f"{k}={row[k]}" for k in keys) + f", load={row['load_avg_before']}"


def _write(path: Path, fields: list[str], rows: list[dict[str, Any]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fields)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row.get(key, "") for key in fields})


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=list(SESSIONS))
    parser.add_argument("--repeat", type=int, default=REPEAT)
    parser.add_argument("--timeout", type=float, default=PHASE_TIMEOUT_S, help="s per phase")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="RESULTS.md here; CSV, plots beside it"
    )
    parser.add_argument("--report-only", action="store_true", help="only tables and plots")
    args = parser.parse_args(argv)
    from bench import crowd_report

    results_dir = args.out / "results" if args.out == DEFAULT_OUT else args.out
    runs_csv = results_dir / "crowd.csv"
    if not args.report_only:
        runs_csv = run(sorted(set(args.sessions)), args.repeat, results_dir, timeout_s=args.timeout)
    crowd_report.write(runs_csv, args.out / "RESULTS.md")


if __name__ == "__main__":
    main()
