"""Distances from lots to the gate, the expressway and Đồng Đăng station (geo.lot_distances)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import geopandas
import pyproj
import pytest
from shapely import LineString, Point, box

from geo.catalog import load_catalog
from geo.lot_distances import (
    LotDistanceTarget,
    load_lot_distance_targets,
    lot_distances,
    nearest_feature,
    parse_lot_distance_targets,
)
from geo.registry import load_registry

REPO = Path(__file__).resolve().parent.parent
GEOD = pyproj.Geod(ellps="WGS84")  # independent of geo.measure
LABEL = {"vi": "v", "en": "e", "zh": "z"}
TARGETS = (
    LotDistanceTarget("gate", "distance_gate_m", "gates", None, LABEL),
    LotDistanceTarget("road", "distance_expressway_m", "roads", None, LABEL),
    LotDistanceTarget("station", "distance_station_m", "gates", "gate-station", LABEL),
)


def frame(accuracies, geometries, ids, **columns):
    return geopandas.GeoDataFrame(
        {"geometry_accuracy": accuracies, **columns}, geometry=geometries, index=ids, crs=4326
    )


@pytest.fixture
def layers():
    return {
        "gates": frame(
            ["digitised", "schematic"],
            [Point(106.71, 21.97), Point(106.69, 21.94)],
            ["gate-far", "gate-station"],
        ),
        "roads": frame(["schematic"], [LineString([(106.60, 21.90), (106.60, 22.00)])], ["road"]),
        "zones": frame(
            ["schematic", "illustrative"],
            [box(106.68, 21.92, 106.70, 21.94), box(106.80, 21.80, 106.81, 21.81)],
            ["zone-placed", "zone-circle"],
        ),
    }


def lots(accuracies, zones, points):
    return frame(accuracies, points, [f"lot-{i}" for i in range(len(points))], zone_id=zones)


def test_point_to_point_distances_match_an_independent_geodesic(layers):
    table = lot_distances(
        lots(["digitised"], ["zone-placed"], [Point(106.69, 21.93)]), layers, TARGETS
    )
    expected = GEOD.inv(106.69, 21.93, 106.69, 21.94)[2]
    assert table.loc["lot-0", "distance_station_m"] == pytest.approx(expected, abs=0.01)
    # the nearest gate is the station here, not the one farther north-east
    assert table.loc["lot-0", "distance_gate_m"] == pytest.approx(expected, abs=0.01)
    assert table.loc["lot-0", "position_from"] == "lot"


def test_the_expressway_distance_is_to_the_nearest_point_of_the_line(layers):
    table = lot_distances(
        lots(["surveyed"], ["zone-placed"], [Point(106.65, 21.95)]), layers, TARGETS
    )
    expected = GEOD.inv(106.65, 21.95, 106.60, 21.95)[2]  # due west onto the meridian line
    assert table.loc["lot-0", "distance_expressway_m"] == pytest.approx(expected, rel=1e-4)


def test_an_illustrative_lot_is_placed_as_its_zone_is(layers):
    table = lot_distances(
        lots(
            ["illustrative", "illustrative"],
            ["zone-placed", "zone-circle"],
            [Point(106.69, 21.93), Point(106.805, 21.805)],
        ),
        layers,
        TARGETS,
    )
    assert table.loc["lot-0", "position_from"] == "zone"
    assert not math.isnan(table.loc["lot-0", "distance_gate_m"])
    # inside an illustrative circle: no position, no distance (never 0)
    assert table.loc["lot-1", "position_from"] is None
    assert (
        table.loc["lot-1"][["distance_gate_m", "distance_expressway_m", "distance_station_m"]]
        .isna()
        .all()
    )


def test_a_target_whose_position_is_not_known_gives_no_distance(layers):
    layers["gates"].loc["gate-far", "geometry_accuracy"] = "illustrative"
    table = lot_distances(
        lots(["digitised"], ["zone-placed"], [Point(106.69, 21.93)]), layers, TARGETS
    )
    # the illustrative gate could be the nearest one; the station alone is still known
    assert math.isnan(table.loc["lot-0", "distance_gate_m"])
    assert not math.isnan(table.loc["lot-0", "distance_station_m"])


def test_a_missing_target_layer_or_feature_gives_no_distance(layers):
    del layers["roads"]
    layers["gates"] = layers["gates"].drop(index="gate-station")
    table = lot_distances(
        lots(["digitised"], ["zone-placed"], [Point(106.69, 21.93)]), layers, TARGETS
    )
    assert math.isnan(table.loc["lot-0", "distance_expressway_m"])
    assert math.isnan(table.loc["lot-0", "distance_station_m"])


def test_lots_in_another_crs_are_refused(layers):
    projected = lots(["digitised"], ["zone-placed"], [Point(106.69, 21.93)]).to_crs(9215)
    with pytest.raises(ValueError, match="EPSG:4326"):
        lot_distances(projected, layers, TARGETS)


def test_nearest_feature_names_the_nearest_gate(layers):
    assert nearest_feature(Point(106.70, 21.96), layers["gates"]) == "gate-far"
    assert nearest_feature(Point(106.70, 21.96), layers["gates"].iloc[:0]) is None


def test_the_shipped_targets_are_the_gate_the_expressway_and_the_station():
    targets = load_lot_distance_targets()
    assert [t.column for t in targets] == [
        "distance_gate_m",
        "distance_expressway_m",
        "distance_station_m",
    ]
    registry = load_registry()
    catalog = load_catalog(registry)
    for t in targets:
        assert t.layer in catalog.layers
        assert t.feature is None or t.feature in catalog.layers[t.layer].index
    station = catalog.layers["gates"].loc["gate-dong-dang-rail"]
    assert "vi-wikipedia-ga-dong-dang" in station["sources"]
    # no interchange is mapped, and the label says the distance is to the line
    assert "no interchange mapped" in targets[1].label["en"]


def test_every_shipped_lot_has_its_distances_from_the_schematic_zone():
    catalog = load_catalog(load_registry())
    table = lot_distances(catalog.layers["lots"], catalog.layers)
    assert len(table) == len(catalog.layers["lots"])
    assert (table["position_from"] == "zone").all()
    assert (
        table[["distance_gate_m", "distance_expressway_m", "distance_station_m"]]
        .notna()
        .all()
        .all()
    )
    # the cargo transit zone lies 1.5–4 km from Đồng Đăng station
    assert table["distance_station_m"].between(200, 4000).all()


def test_a_broken_targets_file_lists_every_problem():
    from geo.lot_distances import LotDistanceTargetsError

    doc = json.loads((REPO / "layers" / "lot_distance_targets.json").read_text(encoding="utf-8"))
    doc["targets"][0]["column"] = "gate"
    doc["targets"][1]["label"] = {"vi": "x"}
    with pytest.raises(LotDistanceTargetsError) as error:
        parse_lot_distance_targets(doc)
    assert "targets[0].column" in str(error.value) and "targets[1].label" in str(error.value)
