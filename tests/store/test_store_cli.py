"""``python -m geo seed`` and ``python -m geo export`` as other tools call them: subprocesses."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import shapely

from geo.registry import load_registry
from geo.store import open_store, store_url

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ROOT / "layers"


def geo(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "LSZ_DATA_DIR", "LSZ_REGISTRY")
    }
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        env=clean | env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_seed_then_export_round_trips_a_layer(store_env, tmp_path):
    done = geo(store_env, "seed")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("seeded ") and "zones v1" in done.stdout
    with open_store(store_url(store_env)) as store:
        assert store.versions() == {spec.id: 1 for spec in load_registry()}

    out = tmp_path / "zones.geojson"
    done = geo(store_env, "export", "--layer", "zones", "--format", "geojson", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "layer 'zones' v1, 3 feature(s)" in done.stdout
    exported = json.loads(out.read_text(encoding="utf-8"))
    original = json.loads((LAYERS / "zones.geojson").read_text(encoding="utf-8"))
    assert "crs" not in exported
    assert [f["properties"] for f in exported["features"]] == [
        f["properties"] for f in original["features"]
    ]
    for mine, theirs in zip(exported["features"], original["features"], strict=True):
        assert shapely.geometry.shape(mine["geometry"]).equals(
            shapely.geometry.shape(theirs["geometry"])
        )

    again = geo(store_env, "seed")
    assert again.returncode == 0 and "zones v2" in again.stdout


def test_bad_input_gets_a_message_never_a_traceback(store_env, tmp_path):
    unknown = geo(store_env, "export", "--layer", "zone", "--format", "geojson", "x.geojson")
    no_folder = geo(
        store_env, "export", "--layer", "zones", "--format", "geojson", str(tmp_path / "no/x")
    )
    bad_format = geo(store_env, "export", "--layer", "zones", "--format", "shp", "x.shp")
    bad_url = geo({**store_env, "DATABASE_URL": "mysql://u:secret@db/x"}, "seed")
    for done in (unknown, no_folder, bad_format, bad_url):
        assert done.returncode != 0
        assert "Traceback" not in done.stdout + done.stderr
        assert "secret" not in done.stdout + done.stderr
    assert "no layer 'zone' in the store; stored: zones, gates" in unknown.stdout
    assert "expected an existing folder" in no_folder.stdout
    assert "invalid choice: 'shp' (choose from " in bad_format.stderr
    assert "'geojson'" in bad_format.stderr.split("choose from", 1)[1]
    assert "DATABASE_URL: expected postgresql://" in bad_url.stdout
    assert not (tmp_path / "no").exists()


def test_a_seed_with_a_broken_layer_writes_nothing(store_env, tmp_path):
    assert geo(store_env, "seed").returncode == 0
    copy = tmp_path / "layers"
    shutil.copytree(LAYERS, copy)
    doc = json.loads((copy / "zones.geojson").read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["progress_pct"] = 140
    (copy / "zones.geojson").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    done = geo(store_env, "seed", "--registry", str(copy / "registry.json"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "nothing was written" in done.stdout and "'progress_pct'" in done.stdout
    with open_store(store_url(store_env)) as store:
        assert set(store.versions().values()) == {1}
