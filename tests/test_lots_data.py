"""The geometry rules of the lot plan, on the shipped layer and on the generator.

The lots of a zone tile its usable area: no overlaps, no lot outside its zone, lot areas adding
up to the zone's area less the road reserves within 0.5 %, every lot between the rules' sizes
and fronting a road. Checked on ``layers/lots.geojson`` and on the generator with a second,
invented outline (an L-shaped zone turned 25°). The generator is deterministic and the shipped
file is exactly its output.
"""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import geopandas
import pytest
import shapely
from shapely import affinity
from shapely.geometry import Polygon, shape

from geo.catalog import load_catalog
from geo.crs import VN2000_TM3_LANG_SON, WGS84, transform_geometry
from geo.field_checks import validate_properties
from geo.lot_plan import (
    DRAWN_ACCURACIES,
    ILLUSTRATIVE_FIELDS,
    ZoneRules,
    drawable_zones,
    load_rules,
    lots_geojson,
    plan_layer,
    plan_lots,
    plan_reserves,
)
from geo.measure import area_ha
from geo.registry import load_registry
from geo.sources import load_sources
from geo.vocabulary import LOT_FIELDS
from tests.lot_rules import (
    TILING_TOLERANCE,
    outside_m2,
    overlaps_m2,
    tiling_error,
    without_frontage,
)

REPO = Path(__file__).resolve().parent.parent
TEST_ZONE = "zone-test-l"


@cache
def catalog():
    return load_catalog(load_registry())


@cache
def rules():
    return load_rules()


def shipped_lots() -> geopandas.GeoDataFrame:
    errors = catalog().errors
    assert "lots" not in errors, str(errors.get("lots"))
    return catalog().layers["lots"]


def zone_of(zone_id: str):
    return catalog().layers["zones"].geometry.loc[zone_id]


def l_shaped_zone() -> Polygon:
    """An invented L-shaped outline of ~100 ha near Đồng Đăng, turned 25°, in WGS 84."""
    ell = Polygon([(0, 0), (1500, 0), (1500, 380), (560, 440), (520, 950), (0, 930), (0, 0)])
    turned = affinity.rotate(ell, 25, origin=(0, 0))
    placed = affinity.translate(turned, 441_000, 2_424_000)
    return transform_geometry(placed, VN2000_TM3_LANG_SON, WGS84)


@cache
def l_zone_rules():
    zone = ZoneRules("tst", ("SKK", "TMD"), None, None)
    return dataclasses.replace(rules(), zones={TEST_ZONE: zone})


@cache
def plans():
    """(label, zone outline, lots, reserves): the shipped plan's zones, then the test zone."""
    out = []
    lots = shipped_lots()
    for zone_id in sorted(set(lots["zone_id"])):
        zone = zone_of(zone_id)
        reserves = plan_reserves(zone, rules(), zone_id=zone_id)
        out.append((zone_id, zone, lots[lots["zone_id"] == zone_id], reserves))
    zone = l_shaped_zone()
    out.append(
        (
            TEST_ZONE,
            zone,
            plan_lots(zone, l_zone_rules(), zone_id=TEST_ZONE),
            plan_reserves(zone, l_zone_rules(), zone_id=TEST_ZONE),
        )
    )
    return out


PLAN_IDS = ["shipped", "l-shaped"]


@pytest.fixture(scope="module", params=[0, 1], ids=PLAN_IDS)
def plan(request):
    every = plans()
    # the shipped layer has one zone today; the last plan is the test zone
    return every[0] if request.param == 0 else every[-1]


def test_the_shipped_layer_has_lots_in_the_cargo_transit_zone_only():
    lots = shipped_lots()
    assert len(lots) > 10
    assert set(lots["zone_id"]) == {"zone-cargo-transit"}


def test_lots_are_drawn_only_in_zones_whose_outline_is_drawn():
    zones = catalog().layers["zones"]
    drawn = set(drawable_zones(zones).index)
    assert drawn == {
        fid for fid, acc in zones["geometry_accuracy"].items() if acc in DRAWN_ACCURACIES
    }
    assert "zone-export-processing-1" not in drawn  # an illustrative circle
    assert set(shipped_lots()["zone_id"]) <= drawn


def test_no_two_lots_overlap(plan):
    _, _, lots, _ = plan
    assert overlaps_m2(dict(lots.geometry.items())) == {}


def test_no_lot_lies_outside_its_zone(plan):
    _, zone, lots, _ = plan
    assert outside_m2(dict(lots.geometry.items()), zone) == {}


def test_lots_and_road_reserves_tile_the_zone_within_half_a_percent(plan):
    _, zone, lots, reserves = plan
    assert tiling_error(lots.geometry, zone, reserves.geometry) < TILING_TOLERANCE


def test_lots_do_not_overlap_the_road_reserves(plan):
    _, _, lots, reserves = plan
    roads = dict(reserves.geometry.items())
    roads = {f"reserve-{k}": v for k, v in roads.items()}
    assert overlaps_m2({**dict(lots.geometry.items()), **roads}) == {}


def test_green_verges_are_a_small_share_of_the_reserves(plan):
    _, zone, _, reserves = plan
    verges = reserves[reserves["kind"] == "verge"]
    assert sum(area_ha(g) for g in verges.geometry) < 0.01 * area_ha(zone)


def test_every_lot_is_within_the_rules_sizes(plan):
    _, _, lots, _ = plan
    low, high = rules().min_lot_ha, rules().max_lot_ha
    sizes = {fid: area_ha(g) for fid, g in lots.geometry.items()}
    assert {fid: ha for fid, ha in sizes.items() if not low <= ha <= high} == {}


def test_every_lot_fronts_a_road_reserve(plan):
    _, _, lots, reserves = plan
    roads = reserves[reserves["kind"] != "verge"].geometry
    assert without_frontage(dict(lots.geometry.items()), roads, rules().min_frontage_m) == {}


def test_every_lot_names_a_road_of_the_plan(plan):
    _, _, lots, reserves = plan
    assert set(lots["road"]) <= set(reserves["name"]) - {"verge"}


def test_the_generator_gives_byte_identical_output_for_the_same_input():
    zone = l_shaped_zone()
    first = lots_geojson(plan_lots(zone, l_zone_rules(), zone_id=TEST_ZONE))
    again = lots_geojson(plan_lots(zone, l_zone_rules(), zone_id=TEST_ZONE))
    assert first == again
    other_seed = dataclasses.replace(l_zone_rules(), seed=l_zone_rules().seed + 1)
    assert lots_geojson(plan_lots(zone, other_seed, zone_id=TEST_ZONE)) != first


def test_the_shipped_file_is_the_generators_output():
    shipped = (REPO / "layers" / "lots.geojson").read_text(encoding="utf-8")
    assert shipped == lots_geojson(plan_layer(catalog().layers["zones"], rules()))


def test_plan_lots_check_says_the_shipped_file_is_up_to_date():
    done = subprocess.run(
        [sys.executable, "-m", "geo", "plan-lots", "--check"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "up to date" in done.stdout


def test_plan_lots_check_fails_on_a_changed_file(tmp_path):
    registry = json.loads((REPO / "layers" / "registry.json").read_text(encoding="utf-8"))
    for name in ("zones.geojson", "sources.json"):
        (tmp_path / name).write_bytes((REPO / "layers" / name).read_bytes())
    (tmp_path / "lots.geojson").write_text("{}", encoding="utf-8")
    registry["layers"] = [e for e in registry["layers"] if e["id"] in ("zones", "lots")]
    registry["distance_targets"] = []
    registry.pop("extent", None)
    (tmp_path / "registry.json").write_text(json.dumps(registry), encoding="utf-8")
    args = [sys.executable, "-m", "geo", "plan-lots", "--registry", str(tmp_path / "registry.json")]
    done = subprocess.run([*args, "--check"], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 1 and "not what the rules draw" in done.stdout
    done = subprocess.run(args, capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stdout
    assert (tmp_path / "lots.geojson").read_text(encoding="utf-8") == (
        REPO / "layers" / "lots.geojson"
    ).read_text(encoding="utf-8")


def test_generated_lots_follow_the_lot_schema_exactly(plan):
    label, _, lots, _ = plan
    sources = set(load_sources(REPO / "layers" / "sources.json"))
    doc = json.loads(lots_geojson(lots))
    for i, feature in enumerate(doc["features"]):
        props = feature["properties"]
        assert list(props) == list(LOT_FIELDS)
        problems = validate_properties(
            props, schema="lot", file=f"{label}.geojson", feature_index=i, source_ids=sources
        )
        assert [str(p) for p in problems] == []


def test_generated_values_are_labelled_illustrative_and_in_their_bands():
    lots = shipped_lots()
    r = rules()
    assert all(list(f) == list(ILLUSTRATIVE_FIELDS) for f in lots["illustrative_fields"])
    assert set(lots["availability"]) <= {"available", "reserved"}  # no invented tenant
    assert lots["tenant"].isna().all()
    assert lots["rent_usd_m2_term"].between(*r.rent_band).all()
    warehouses = lots["warehouse_rent_usd_m2_month"].dropna()
    assert len(warehouses) > 0 and warehouses.between(*r.warehouse_band).all()
    assert (lots["geometry_accuracy"] == "illustrative").all()
    # not in the sources: left empty
    for field in ("incentives_en", "utilities_en", "lease_end_year", "management_fee_usd_m2_month"):
        assert lots[field].isna().all(), field


def test_the_contact_is_sourced_and_comes_from_the_rules():
    lots = shipped_lots()
    zone_rules = rules().zones["zone-cargo-transit"]
    assert set(lots["contact_en"]) == {zone_rules.contact["en"]}
    assert set(lots["contact_source"]) == {zone_rules.contact_source}
    assert all(zone_rules.contact_source in s for s in lots["sources"])


def test_the_l_shaped_test_zone_is_not_trivial():
    zone = l_shaped_zone()
    assert 80 < area_ha(zone) < 110
    assert not shapely.equals(zone.convex_hull, zone)
    lots = plan_lots(zone, l_zone_rules(), zone_id=TEST_ZONE)
    assert len(lots) > 15 and set(lots["land_use"]) <= {"SKK", "TMD"}


def test_a_zone_without_rules_is_refused_with_its_id():
    from geo.lot_plan import LotPlanFailure

    with pytest.raises(LotPlanFailure, match="'zone-nowhere' has no rules"):
        plan_lots(l_shaped_zone(), rules(), zone_id="zone-nowhere")


def test_an_illustrative_outline_is_not_drawn_by_the_layer_plan():
    zones = catalog().layers["zones"]
    circle = zones.loc[["zone-export-processing-1"]].copy()
    assert (circle["geometry_accuracy"] == "illustrative").all()
    from geo.lot_plan import LotPlanFailure

    with pytest.raises(LotPlanFailure, match="no drawable zone"):
        plan_layer(circle, rules())


def test_shape_of_the_shipped_file_is_a_feature_collection_with_crs84():
    doc = json.loads((REPO / "layers" / "lots.geojson").read_text(encoding="utf-8"))
    assert doc["crs"]["properties"]["name"] == "urn:ogc:def:crs:OGC:1.3:CRS84"
    assert all(shape(f["geometry"]).is_valid for f in doc["features"])
    assert [f["id"] for f in doc["features"]] == [f["properties"]["id"] for f in doc["features"]]
