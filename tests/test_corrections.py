"""The corrections of issue 8, checked on the shipped data in layers/.

Each test reads the layer files as the app does (geo.catalog) and asks what the map would
show on a date (geo.timeline), so a correction that is undone in the data fails here.
"""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import shapely

from geo.catalog import Catalog, load_catalog
from geo.indicators import Indicator, load_indicators
from geo.registry import distance_targets, load_registry
from geo.timeline import progress_on, status_on

LAYERS = Path(__file__).resolve().parents[1] / "layers"


@cache
def catalog() -> Catalog:
    return load_catalog(load_registry(LAYERS / "registry.json"))


def props(feature_id: str) -> dict[str, Any]:
    """Return a feature's properties as written in its file (lists kept, nulls as None)."""
    for spec in catalog().registry:
        doc = json.loads(spec.file.read_text(encoding="utf-8"))
        for feature in doc["features"]:
            if feature["properties"]["id"] == feature_id:
                return feature["properties"]
    raise AssertionError(f"no feature {feature_id!r} in layers/")


@cache
def indicators() -> dict[str, Indicator]:
    items = load_indicators(LAYERS / "indicators.json", source_ids=catalog().sources.keys())
    return {item.id: item for item in items}


def raw_indicators() -> list[dict[str, Any]]:
    return json.loads((LAYERS / "indicators.json").read_text(encoding="utf-8"))["indicators"]


# --- roads -------------------------------------------------------------------------------------


def test_ql4b_has_a_dated_2024_start_cited_to_the_province():
    ql4b = props("road-ql4b-km18-km80")
    starts = [m for m in ql4b["milestones"] if m["kind"] == "groundbreaking"]
    assert [(m["date"], m["date_precision"], m["source"]) for m in starts] == [
        ("2024-12-31", "year", "ddnd-2024")
    ]
    assert status_on(ql4b, date(2025, 6, 1)) == "under_construction"
    assert status_on(ql4b, date(2024, 6, 1)) is None  # the year of the start, day unknown


def test_cargo_road_1119_1120_is_operational_before_the_widening_of_2025_11_27():
    road = props("cargo-road-1119-1120")
    assert status_on(road, date(2024, 5, 27)) == "operational"
    assert status_on(road, date(2025, 11, 26)) == "operational"
    assert status_on(road, date(2025, 11, 27)) == "operational"
    assert status_on(road, date(2024, 5, 26)) is None
    assert road["status"] == "operational"
    assert "partly_open" not in {m["status"] for m in road["milestones"]}
    widening = next(m for m in road["milestones"] if m["date"] == "2025-11-27")
    assert "4 to 6 lanes" in widening["label_en"] and widening["source"] == "xe-today-2025-11-29"


def test_cargo_road_1088_is_not_drawn_operational_before_any_source_says_so():
    road = props("cargo-road-1088-2-1089")
    # Its first dated status is a report: before it, the status is not published.
    assert status_on(road, date(2010, 1, 1)) == "unknown"
    assert status_on(road, date(2024, 10, 31)) == "operational"


# --- zones -------------------------------------------------------------------------------------


def test_the_cargo_transit_zone_has_no_unsourced_100_percent():
    zone = props("zone-cargo-transit")
    assert zone["progress_pct"] is None
    assert all(h["progress_pct"] != 100 for h in zone["progress_history"])
    assert progress_on(zone, date(2026, 2, 1)) is None


def test_the_cargo_transit_zone_is_under_construction_in_october_2024_and_opens_in_december():
    zone = props("zone-cargo-transit")
    assert status_on(zone, date(2024, 10, 31)) == "under_construction"
    assert status_on(zone, date(2024, 12, 10)) == "under_construction"
    assert status_on(zone, date(2024, 12, 11)) == "operational"


def test_the_non_tariff_zone_is_under_construction_and_keeps_no_invented_milestone():
    zone = props("zone-non-tariff")
    assert zone["status"] == "under_construction"
    assert status_on(zone, date(2024, 10, 31)) == "under_construction"
    assert "2021-12-31" not in [m["date"] for m in zone["milestones"]]


def test_export_processing_zone_1_has_the_october_2024_works_under_way():
    zone = props("zone-export-processing-1")
    events = [m for m in zone["milestones"] if m["status"] == "under_construction"]
    assert [(m["date"], m["source"]) for m in events] == [("2024-10-31", "banqlktck-2024-10m")]


# --- sources -----------------------------------------------------------------------------------


def test_decision_865_is_credited_to_vov5_and_not_to_vietnam_vn():
    title = catalog().sources["qd-865-2024"].title
    assert "as reported by VOV5" in title
    assert "as reported by VOV5 and vietnam.vn" not in title


def test_the_october_2024_report_is_two_sources_and_the_merged_id_is_gone():
    sources = catalog().sources
    assert "lsprov-2024-10" not in sources
    assert {"lsprov-2024-9m", "banqlktck-2024-10m"} <= set(sources)
    text = json.dumps([json.loads(s.file.read_text(encoding="utf-8")) for s in catalog().registry])
    assert "lsprov-2024-10" not in text + json.dumps(raw_indicators())
    by_source = {item.id: item.source for item in indicators().values()}
    assert by_source["turnover_2024_to_sep29"] == "lsprov-2024-9m"
    assert by_source["turnover_2024_10m"] == "banqlktck-2024-10m"


# --- indicators --------------------------------------------------------------------------------


def test_the_2030_figure_is_a_volume_of_goods_cleared_not_a_capacity():
    assert "clearance_capacity_2030" not in indicators()
    volume = indicators()["cleared_volume_target_2030"]
    assert (volume.unit, volume.value_low, volume.value, volume.target) == (
        "times_2024_volume",
        4,
        5,
        True,
    )


def test_no_indicator_date_is_a_target_date():
    # A target is dated by its statement, which comes before the period it is set for.
    targets = [item for item in indicators().values() if item.target]
    assert len(targets) >= 8
    for item in targets:
        if item.date is not None:
            assert item.date.year < int(item.period[:4]), (item.id, item.date, item.period)


def test_no_indicator_date_is_more_precise_than_its_source():
    # VOV5 is "early 2025" with no day: the year is all the source gives.
    for item in indicators().values():
        if item.source == "vov5-2025":
            assert (item.date, item.date_precision) == (date(2025, 12, 31), "year"), item.id
    assert indicators()["turnover_2024"].date_precision == "year"
    # An article whose date is not recorded gives no date at all.
    plan = indicators()["state_budget_investment_plan_2021_2025"]
    assert (plan.date, plan.date_precision) == (None, None)


def test_february_2026_is_a_month_not_the_28th():
    entry = props("expressway-dong-dang-tra-linh-1")["progress_history"][0]
    assert (entry["date"], entry["date_precision"]) == ("2026-02-28", "month")


def test_gan_6000_is_an_upper_bound():
    note = indicators()["budget_revenue_import_export_2024_10m"].note or ""
    assert "gần 6.000" in note and "upper bound" in note
    assert "≈ 6,000" not in note


def test_the_2025_turnover_target_and_its_parts_are_there_and_add_up():
    items = indicators()
    total, export, imports = (
        items[k] for k in ("turnover_target_2025", "export_target_2025", "import_target_2025")
    )
    assert (total.value, export.value, imports.value) == (6.65, 3.89, 2.76)
    assert round(export.value + imports.value, 2) == total.value
    assert all(i.target and i.source == "bct-quynh-nga" for i in (total, export, imports))


def test_the_2021_2025_investment_plan_is_there():
    items = indicators()
    assert items["state_budget_investment_plan_2021_2025"].value == 1000
    assert items["non_budget_investment_plan_2021_2025"].value == 14000
    assert items["non_budget_investment_plan_2021_2025"].unit == "bn_vnd"


def test_the_23_extensions_of_clearance_hours_are_there():
    item = indicators()["clearance_hour_extensions_2024"]
    assert (item.value, item.unit, item.source) == (23, "count", "lsprov-2024-9m")


# --- gates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "gate_id",
    [
        "gate-huu-nghi",
        "gate-dong-dang-rail",
        "gate-tan-thanh",
        "gate-coc-nam",
        "gate-chi-ma",
        "gate-binh-nghi",
    ],
)
def test_every_gate_status_is_dated_by_a_source_or_unknown(gate_id):
    gate = props(gate_id)
    events = [m for m in gate["milestones"] if m["status"] is not None]
    if gate["status"] == "unknown":
        assert events == []
    else:
        assert events, f"{gate_id} is {gate['status']!r} with no dated source"
        # Before the first report, the gate stands with its status not published.
        assert status_on(gate, date(2010, 1, 1)) == "unknown"


@pytest.mark.parametrize("gate_id", ["gate-coc-nam", "gate-chi-ma", "gate-binh-nghi"])
def test_the_schematic_gates_are_on_the_vietnamese_side(gate_id):
    lang_son = catalog().layers["provinces"].geometry["province-lang-son"]
    gate = catalog().layers["gates"].geometry[gate_id]
    assert lang_son.contains(gate), f"{gate_id} is not inside Lạng Sơn"
    # well inside, not on the line within rounding
    assert lang_son.boundary.distance(gate) > 0.001


def test_dong_mo_is_not_called_digitised_while_unverified():
    dong_mo = props("town-dong-mo")
    assert dong_mo["geometry_accuracy"] == "schematic"
    assert "not located" in dong_mo["accuracy_note_en"]


# --- what the data adds ------------------------------------------------------------------------


def test_the_planned_zones_and_po_nhung_are_listed_without_geometry():
    items = {item["id"]: item for item in catalog().unmapped}
    assert {
        "gate-po-nhung",
        "trade-industry-zone-coc-nam",
        "trade-industry-zone-chi-ma",
        "trade-industry-zone-binh-nghi",
        "coop-zone-dong-dang-bang-tuong",
    } <= set(items)
    assert all("geometry" not in item for item in items.values())
    assert items["trade-industry-zone-chi-ma"]["related_features"] == ["gate-chi-ma"]


def test_the_panel_distances_are_declared_in_the_data():
    targets = distance_targets(catalog().registry)
    assert [(t.layer, t.feature) for t in targets] == [
        ("gates", "gate-huu-nghi"),
        ("expressways", None),
    ]


def test_the_map_credits_name_every_source_a_shape_derives_from():
    from geo.sources import credits_for

    registry, sources = catalog().registry, catalog().sources
    zones = " ".join(credits_for(registry.get("zones").credits, sources))
    assert "OpenStreetMap" in zones and "LegoCity" in zones
    towns = " ".join(credits_for(registry.get("towns").credits, sources))
    assert "Wikipedia" in towns and "GeoNames" in towns


def test_no_project_shape_is_outside_vietnam_by_more_than_the_extent_allows():
    # The cargo zone outline and every schematic gate: none in China.
    vietnam = shapely.union_all(list(catalog().layers["provinces"].geometry))
    for layer_id in ("zones", "gates"):
        for fid, geom in catalog().layers[layer_id].geometry.items():
            if fid != "gate-tan-thanh":  # a Wikipedia coordinate 0.13 km over the ODV line
                assert vietnam.intersects(geom), fid
