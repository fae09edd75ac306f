"""Child processes of ``tests/store/test_faults.py``: an import to kill, concurrent writers.

Run as ``python -m tests.store.fault_children ROLE ...`` with the store selected by the
environment (``DATABASE_URL`` / ``LSZ_DATA_DIR``), as the app and the CLI select it.

``import FILE MOMENT``
    Analyse ``FILE`` and commit it through :func:`geo.importing.pipeline.commit` (the real
    :meth:`Store.write`); at ``MOMENT`` print ``reached MOMENT`` and wait to be killed:
    ``chunk-N`` just after the N-th feature INSERT reached the database, ``commit`` as the
    transaction is about to commit, ``committed`` after ``commit`` returned.
``edit WORKER FEATURES N``
    Make N edits of the notes (``note_vi/en/zh``) on the comma-separated features of
    ``test_roads`` in turn, taking the layer version again and retrying on a conflict; print
    each accepted edit as a JSON line ``{"feature": …, "value": …, "version": …}``.
``import-many WORKER N``
    Import N small new layers ``w<WORKER>_<i>`` from generated GeoJSON files; print each
    accepted one as a JSON line.

Any other exception ends the child with a traceback and a non-zero status: the parent
fails on it (a "database is locked" reaching a planner would show there).
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import event

from geo.importing.pipeline import analyse, commit
from geo.store import open_store
from geo.store.audit import EditSource
from geo.store.edits import EditConflict, edit_feature

SOURCE = EditSource("decision", "Concurrent-writers test")


def hang(moment: str) -> None:
    print(f"reached {moment}", flush=True)
    while True:
        time.sleep(60)


def import_and_hang(path: str, moment: str) -> None:
    store = open_store(seed=None)
    inserts = 0

    @event.listens_for(store.engine, "after_cursor_execute")
    def _after(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        nonlocal inserts
        if statement.lstrip().upper().startswith("INSERT INTO LSZ_FEATURES"):
            inserts += 1
            if moment == f"chunk-{inserts}":
                hang(moment)

    @event.listens_for(store.engine, "commit")
    def _commit(_conn: Any) -> None:
        if moment == "commit" and inserts:
            hang(moment)

    report = analyse(Path(path), entries=store.entries())
    assert report.ok, [str(p) for p in report.problems]
    commit(report, store)
    if moment == "committed":
        hang(moment)
    raise SystemExit(f"the import ended without reaching {moment}")


def edit_many(worker: str, features: str, count: int) -> None:
    store = open_store(seed=None)
    ids = features.split(",")
    for n in range(count):
        fid = ids[n % len(ids)]
        value = f"{worker}-{n}"
        while True:
            try:
                version = edit_feature(
                    store,
                    "test_roads",
                    fid,
                    {"note_en": value, "note_vi": value, "note_zh": value},
                    user=worker,
                    reason="concurrent writers",
                    source=SOURCE,
                    expected_version=store.versions()["test_roads"],
                )
                break
            except EditConflict:
                continue  # someone saved this feature meanwhile: take the new version
        print(json.dumps({"feature": fid, "value": value, "version": version}), flush=True)


def import_many(worker: str, count: int) -> None:
    store = open_store(seed=None)
    folder = Path(tempfile.mkdtemp(prefix="lsz-faults-"))
    for n in range(count):
        layer = f"w{worker}_{n}"
        doc = {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"id": f"{layer}-{k}", "name": f"{layer} {k}"},
                    "geometry": {"type": "Point", "coordinates": [106.7 + k / 1000, 21.9]},
                }
                for k in range(50)
            ],
        }
        path = folder / f"{layer}.geojson"
        path.write_text(json.dumps(doc), encoding="utf-8")
        report = analyse(path, entries=store.entries(), taken_ids=None)
        assert report.ok, [str(p) for p in report.problems]
        version = commit(report, store, expected_version=0)
        print(json.dumps({"layer": report.layer_id, "version": version}), flush=True)


if __name__ == "__main__":
    role, *args = sys.argv[1:]
    if role == "import":
        import_and_hang(*args)
    elif role == "edit":
        edit_many(args[0], args[1], int(args[2]))
    elif role == "import-many":
        import_many(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown role {role!r}")
