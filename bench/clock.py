"""The wall clock of one ``make bench``: started by the Makefile, read when the crowd is done.

``make bench`` sets :data:`STARTED_ENV` to the epoch second it starts, runs
:mod:`bench.bench_tiles` and :mod:`bench.bench_crowd` (whose progress lines carry
:func:`stamp`), then ``python -m bench.clock``, which writes the whole run's wall time
between :data:`WALL_START` and :data:`WALL_END` of ``bench/RESULTS.md`` (and into
``results/bench_wall.json``, which a report regenerated later reads).

Examples
--------
>>> merge_wall("a\\n<!-- wall:start -->old<!-- wall:end -->\\nb\\n", "NEW")
'a\\n<!-- wall:start -->NEW<!-- wall:end -->\\nb\\n'
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

#: Environment variable holding the epoch second ``make bench`` started.
STARTED_ENV = "LSZ_BENCH_STARTED"
WALL_START = "<!-- wall:start -->"
WALL_END = "<!-- wall:end -->"
WALL_NAME = "bench_wall.json"
#: What the report says before a whole ``make bench`` has recorded its time.
NOT_TIMED = "The whole `make bench` has not recorded its wall time yet."

_HERE = Path(__file__).resolve().parent


def started_at() -> float | None:
    """Epoch second ``make bench`` started (from :data:`STARTED_ENV`), or None."""
    value = os.environ.get(STARTED_ENV, "").strip()
    return float(value) if value else None


def elapsed(seconds: float) -> str:
    """``[mm:ss]`` of a duration.

    Examples
    --------
    >>> elapsed(754.9)
    '[12:34]'
    """
    whole = int(seconds)
    return f"[{whole // 60:02d}:{whole % 60:02d}]"


def stamp() -> str:
    """:func:`elapsed` since ``make bench`` started, for progress lines; '' outside it."""
    begun = started_at()
    return "" if begun is None else elapsed(time.time() - begun)


def wall_sentence(wall_s: float, finished: str) -> str:
    """The report's sentence for a whole run.

    Examples
    --------
    >>> wall_sentence(1500.0, "2026-12-02 17:00")
    'The whole `make bench` took **25.0 minutes** of wall time (finished 2026-12-02 17:00 UTC).'
    """
    return (
        f"The whole `make bench` took **{wall_s / 60:.1f} minutes** of wall time "
        f"(finished {finished} UTC)."
    )


def kept_wall(results: Path) -> str:
    """The wall sentence of the last whole run recorded in ``results``, or :data:`NOT_TIMED`."""
    saved = results / WALL_NAME
    if not saved.exists():
        return NOT_TIMED
    meta = json.loads(saved.read_text(encoding="utf-8"))
    return wall_sentence(float(meta["wall_s"]), str(meta["finished"]))


def merge_wall(text: str, sentence: str) -> str:
    """Put ``sentence`` between the wall markers of ``text`` (unchanged if it has none)."""
    start, end = text.find(WALL_START), text.find(WALL_END)
    if not 0 <= start < end:
        return text
    return text[: start + len(WALL_START)] + sentence + text[end:]


def record(results_md: Path = _HERE / "RESULTS.md", results: Path = _HERE / "results") -> str:
    """Write the whole run's wall time into ``results_md`` and ``results``; return the sentence.

    Raises
    ------
    RuntimeError
        If :data:`STARTED_ENV` is not set (run through ``make bench``).
    """
    begun = started_at()
    if begun is None:
        raise RuntimeError(f"{STARTED_ENV} is not set: run this through `make bench`")
    wall_s = time.time() - begun
    finished = f"{datetime.now(UTC):%Y-%m-%d %H:%M}"
    results.mkdir(parents=True, exist_ok=True)
    (results / WALL_NAME).write_text(
        json.dumps({"wall_s": round(wall_s, 1), "finished": finished}) + "\n", encoding="utf-8"
    )
    sentence = wall_sentence(wall_s, finished)
    results_md.write_text(merge_wall(results_md.read_text(encoding="utf-8"), sentence), "utf-8")
    return sentence


if __name__ == "__main__":
    print(record(*(Path(a) for a in sys.argv[1:3])))
