"""The lot plan through both stores: written, read back, and still tiling its zone."""

from __future__ import annotations

import json
from pathlib import Path

from shapely.geometry import shape

from geo.lot_plan import load_rules, plan_reserves
from geo.store import Feature, LayerWrite
from tests.lot_rules import TILING_TOLERANCE, outside_m2, overlaps_m2, tiling_error

LAYERS = Path(__file__).resolve().parents[2] / "layers"


def layer_write(layer_id: str) -> LayerWrite:
    registry = json.loads((LAYERS / "registry.json").read_text(encoding="utf-8"))
    entry = next(e for e in registry["layers"] if e["id"] == layer_id)
    doc = json.loads((LAYERS / entry["file"]).read_text(encoding="utf-8"))
    features = [Feature(f["properties"], shape(f["geometry"])) for f in doc["features"]]
    return LayerWrite(entry, features)


def test_lots_read_back_from_the_store_keep_every_property_and_tile_their_zone(empty_store):
    lots_write, zones_write = layer_write("lots"), layer_write("zones")
    empty_store.write([zones_write, lots_write])
    stored = empty_store.read_layer("lots")
    zones = empty_store.read_layer("zones")
    assert stored.crs.to_epsg() == 4326
    assert [f.properties for f in empty_store.features("lots")] == [
        dict(f.properties) for f in lots_write.features
    ]
    for zone_id in sorted(set(stored["zone_id"])):
        zone = zones.geometry.loc[zone_id]
        lots = stored[stored["zone_id"] == zone_id]
        reserves = plan_reserves(zone, load_rules(), zone_id=zone_id)
        assert overlaps_m2(dict(lots.geometry.items())) == {}
        assert outside_m2(dict(lots.geometry.items()), zone) == {}
        assert tiling_error(lots.geometry, zone, reserves.geometry) < TILING_TOLERANCE


def test_the_seed_carries_the_lots_layer_with_its_registry_entry(seeded_store):
    lots_write = layer_write("lots")
    stored = seeded_store.read_layer("lots")
    assert list(stored.index) == [f.id for f in lots_write.features]
    entry = next(e for e in seeded_store.entries() if e["id"] == "lots")
    assert entry["schema"] == "lot" and entry["credits"] == lots_write.entry["credits"]
