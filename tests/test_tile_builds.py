"""geo.tile_builds: one background build per layer version, coalesced, failures kept, superseded.

The build functions here are real: they block on an event the test sets (so "still
running" is a fact, not a race) and then build with tippecanoe, or raise.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from pathlib import Path

import geopandas as gpd
import pytest

from geo.tile_builds import TileBuilds
from geo.tiles import TileArchive, TileBuildError, archive_header, ensure_archive
from tests.lot_grid import lot_grid

WAIT_S = 60


class GatedBuild:
    """Builds with tippecanoe into ``tiles_dir`` once ``gate`` is set; counts its calls."""

    def __init__(self, tiles_dir: Path) -> None:
        self.tiles_dir = tiles_dir
        self.gate = threading.Event()
        self.calls: list[tuple[str, Hashable]] = []
        self.started = threading.Event()
        self._lock = threading.Lock()

    def __call__(self, gdf: gpd.GeoDataFrame, layer_id: str, stamp: Hashable) -> TileArchive:
        with self._lock:
            self.calls.append((layer_id, stamp))
        self.started.set()
        assert self.gate.wait(WAIT_S)
        return ensure_archive(gdf, layer_id, stamp, tiles_dir=self.tiles_dir, url_prefix="/t")


def test_a_build_starts_once_and_concurrent_requests_coalesce(tmp_path):
    build = GatedBuild(tmp_path)
    builds = TileBuilds(build)
    lots = lot_grid(30)
    answers = []
    askers = [
        threading.Thread(target=lambda: answers.append(builds.request("lots", 1, lots)))
        for _ in range(8)
    ]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join(WAIT_S)
    assert build.started.wait(WAIT_S)
    assert [a.state for a in answers] == ["building"] * 8
    assert {a.features for a in answers} == {30}
    assert builds.request("lots", 1, lots).state == "building"  # still running: no second one
    build.gate.set()
    done = builds.wait("lots", 1, WAIT_S)
    assert done.state == "ready" and done.error is None
    assert archive_header(done.archive.path)["tile_type"] == 1
    assert builds.request("lots", 1, lots).archive == done.archive
    assert build.calls == [("lots", 1)]


def test_a_failed_build_keeps_its_error_until_retried(tmp_path):
    calls = []

    def failing(gdf, layer_id, stamp):
        calls.append(stamp)
        if len(calls) == 1:
            raise TileBuildError(f"layer {layer_id!r}: tippecanoe failed (1): no space left")
        return ensure_archive(gdf, layer_id, stamp, tiles_dir=tmp_path)

    builds = TileBuilds(failing)
    lots = lot_grid(10)
    builds.request("lots", 7, lots)
    failed = builds.wait("lots", 7, WAIT_S)
    assert failed.state == "failed" and failed.archive is None
    assert failed.error == "TileBuildError: layer 'lots': tippecanoe failed (1): no space left"
    assert builds.request("lots", 7, lots) == failed  # not started again by a re-run
    assert calls == [7]
    builds.retry("lots", 7)
    builds.request("lots", 7, lots)
    assert builds.wait("lots", 7, WAIT_S).state == "ready"
    assert calls == [7, 7]


def test_a_new_version_supersedes_the_old_one_and_keeps_its_archive(tmp_path):
    build = GatedBuild(tmp_path)
    builds = TileBuilds(build)
    builds.request("lots", 1, lot_grid(20))
    assert build.started.wait(WAIT_S)  # version 1 is running
    builds.request("lots", 2, lot_grid(12))
    builds.request("lots", 3, lot_grid(15))  # version 2 never ran: skipped
    assert builds.state("lots", 1) is None and builds.state("lots", 2) is None
    with pytest.raises(KeyError):
        builds.wait("lots", 2, 0)
    build.gate.set()
    newest = builds.wait("lots", 3, WAIT_S)
    assert newest.state == "ready" and newest.features == 15
    assert build.calls == [("lots", 1), ("lots", 3)]
    assert sorted(p.name for p in tmp_path.glob("*.pmtiles")) == [newest.archive.path.name]
    assert builds.state("lots", 1) is None  # the finished old build was not kept


def test_other_layers_build_side_by_side(tmp_path):
    build = GatedBuild(tmp_path)
    builds = TileBuilds(build)
    builds.request("lots", 1, lot_grid(10))
    builds.request("plan_2030", 1, lot_grid(10))
    build.gate.set()
    assert builds.wait("lots", 1, WAIT_S).state == "ready"
    assert builds.wait("plan_2030", 1, WAIT_S).state == "ready"
    assert sorted(build.calls) == [("lots", 1), ("plan_2030", 1)]


def test_an_import_commit_starts_the_tiles_of_a_tiled_layer_only(tmp_path):
    import dataclasses

    from geo.map_data import MapLayer
    from geo.registry import load_registry
    from ui.tiled import start_build

    build = GatedBuild(tmp_path)
    builds = TileBuilds(build)
    zones = load_registry().get("zones")
    stamp = ("store", "gpkg", ("g1", (("lots", 4), ("zones", 2))))
    lots = MapLayer(dataclasses.replace(zones, id="lots"), lot_grid(12))
    assert start_build(lots, stamp, builds) is True
    assert builds.state("lots", ("store", "gpkg", "g1", 4)).state == "building"
    assert start_build(MapLayer(zones, lot_grid(12)), stamp, builds) is False  # small: inline
    assert builds.state("zones", ("store", "gpkg", "g1", 2)) is None
    build.gate.set()
    assert builds.wait("lots", ("store", "gpkg", "g1", 4), WAIT_S).state == "ready"


def test_an_archive_already_on_disk_is_ready_at_the_first_request(tmp_path):
    from geo.tiles import existing_archive

    lots = lot_grid(10)
    built = ensure_archive(lots, "lots", 5, tiles_dir=tmp_path, url_prefix="/t")
    build = GatedBuild(tmp_path)  # never released: a build would block

    def find(gdf, layer_id, stamp):
        return existing_archive(gdf, layer_id, stamp, tiles_dir=tmp_path, url_prefix="/t")

    builds = TileBuilds(build, find)
    first = builds.request("lots", 5, lots)
    assert first.state == "ready" and first.archive.path == built.path and build.calls == []
    assert builds.request("lots", 6, lots).state == "building"  # a new version is built
    build.gate.set()
    assert builds.wait("lots", 6, WAIT_S).state == "ready"
