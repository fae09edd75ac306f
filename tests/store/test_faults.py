"""Faults on both back ends, with real processes: an import killed midway, many writers at once.

- A process importing a layer of 3,500 features (four INSERT statements of at most 1,000
  rows) through :func:`geo.importing.pipeline.commit` is killed with SIGKILL after the first,
  the third and the last INSERT, as the transaction is about to commit, and after the commit
  returned: the store then opens and holds exactly the state before the import (the first
  four) or after it (the last), and the audit log is the one before (an import is not an
  edit: it writes no log rows).
- Four editors and one importer write at once: editors change the notes of the same and of
  different features (taking the layer's version afresh on a conflict, as a planner would
  after seeing both values), the importer adds new layers. Afterwards: every child ended
  cleanly (no "database is locked" or any other error reached it), every accepted edit has
  its one log row, each feature holds the value of its last logged edit (no lost update), no
  feature id repeats in a layer, and every imported layer is stored whole.
"""

from __future__ import annotations

import itertools
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from geo.store.edits import log
from tests.store.edit_fixtures import everything, layer_writes

ROOT = Path(__file__).resolve().parents[2]
BIG = 3_500
MOMENTS_BEFORE = ("chunk-1", "chunk-3", "chunk-4", "commit")
EDITORS = 4
EDITS_EACH = 6
IMPORTS = 4


def child(store_env: dict[str, str], *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(store_env, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "tests.store.fault_children", *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def big_survey(tmp_path: Path) -> Path:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": f"well-{n}", "name": f"Giếng {n}"},
                "geometry": {
                    "type": "Point",
                    "coordinates": [106.6 + (n % 70) / 500, 21.8 + (n // 70) / 500],
                },
            }
            for n in range(BIG)
        ],
    }
    path = tmp_path / "wells.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


@pytest.mark.parametrize("moment", [*MOMENTS_BEFORE, "committed"])
def test_an_import_killed_midway_leaves_the_state_before_or_after(
    empty_store, store_env, big_survey, moment
):
    empty_store.write(layer_writes())
    before = everything(empty_store)
    proc = child(store_env, "import", str(big_survey), moment)
    try:
        line = proc.stdout.readline()
        assert line.strip() == f"reached {moment}", proc.stderr.read()
        os.kill(proc.pid, signal.SIGKILL)
        assert proc.wait(timeout=60) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
    after = everything(empty_store)
    if moment in MOMENTS_BEFORE:
        assert after == before
    else:
        _stamp, entries, layers, audit = after
        assert layers.pop("wells") and len(empty_store.features("wells")) == BIG
        assert layers == before[2] and audit == before[3]
        assert [e for e in entries if e["id"] != "wells"] == before[1]
    # The store takes the next write: no lock or half transaction was left behind.
    empty_store.write(layer_writes())


def test_many_writers_at_once_lose_nothing_and_log_everything(empty_store, store_env):
    empty_store.write(layer_writes())
    features = ["road-a,road-b", "road-a", "road-b,road-a", "road-b"]
    procs = [
        child(store_env, "edit", f"editor{i}", features[i], str(EDITS_EACH)) for i in range(EDITORS)
    ]
    procs.append(child(store_env, "import-many", "9", str(IMPORTS)))
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        assert proc.returncode == 0, err
        assert "locked" not in err, err
        outputs.append([json.loads(line) for line in out.splitlines()])
    edits = [e for out in outputs[:EDITORS] for e in out]
    imports = outputs[EDITORS]
    assert len(edits) == EDITORS * EDITS_EACH and len(imports) == IMPORTS

    logged = log(empty_store)
    # One log row per accepted field change (three notes per edit), naming the value saved.
    assert len(logged) == 3 * len(edits)
    rows = [r for r in logged if r.field == "note_en"]
    assert sorted((r.feature_id, r.new) for r in rows) == sorted(
        (e["feature"], e["value"]) for e in edits
    )
    # No lost update: each feature holds the value of its last logged edit.
    stored = {f.id: f.properties for f in empty_store.features("test_roads")}
    for fid in ("road-a", "road-b"):
        last = max((r for r in rows if r.feature_id == fid), key=lambda r: r.entry_id)
        assert stored[fid]["note_en"] == last.new
    # Each edit built on the value before it: the log is one unbroken chain per feature.
    for fid in ("road-a", "road-b"):
        chain = sorted((r for r in rows if r.feature_id == fid), key=lambda r: r.entry_id)
        for earlier, later in itertools.pairwise(chain):
            assert later.old == earlier.new, (earlier, later)
    # Versions are unique: no two writes produced the same layer version.
    versions = [r.layer_version for r in rows]
    assert len(set(versions)) == len(versions)
    # No duplicate id, every import whole.
    for layer_id in empty_store.versions():
        ids = [f.id for f in empty_store.features(layer_id)]
        assert len(ids) == len(set(ids)), layer_id
    for done in imports:
        assert len(empty_store.features(done["layer"])) == 50
