"""A lot's facts: each with its source, "illustrative", "measured", or "not published"."""

from __future__ import annotations

import math

from geo.i18n import t
from geo.lot_distances import LotDistanceTarget
from geo.lot_facts import distance_text, lot_facts
from geo.sources import Source

SOURCES = {
    "src-board": Source("src-board", "Fixture board page", "board.example", "2025-05-01", None),
    "src-plan": Source("src-plan", "Fixture plan", "planner.example", None, None),
}
GATE = LotDistanceTarget("gate", "distance_gate_m", "gates", None, {"en": "To the gate"})


def lot(**props: object) -> dict:
    base: dict[str, object] = {
        "code": "A-01",
        "road": None,
        "zone_id": "zone-x",
        "land_use": "TMD",
        "availability": "available",
        "tenant": None,
        "rent_usd_m2_term": 95,
        "lease_end_year": 2070,
        "min_plot_m2": 5000,
        "management_fee_usd_m2_month": 0.5,
        "warehouse_rent_usd_m2_month": None,
        "contact_en": "Fixture board",
        "contact_source": "src-board",
        "incentives_en": None,
        "utilities_en": None,
        "area_source": None,
        "geometry_accuracy": "digitised",
        "illustrative_fields": ["rent_usd_m2_term"],
        "sources": ["src-plan"],
    }
    base.update(props)
    return base


def facts(props: dict, row: dict | None = None) -> dict[str, tuple[str, str]]:
    row = {"area_ha": 2.0, "area_official": False, "distance_gate_m": 1234.0} | (row or {})
    names = {"zone-x": "Zone X", "TMD": "TMD · Commerce"}
    return {f.key: (f.value, f.basis) for f in lot_facts(props, row, SOURCES, [GATE], names, "en")}


def test_an_illustrative_field_says_so_and_a_sourced_one_cites_its_source():
    shown = facts(lot())
    assert shown["rent_usd_m2_term"] == ("95 USD/m²", t("investor.lot.basis.illustrative", "en"))
    assert shown["management_fee_usd_m2_month"] == ("0.5 USD/m²/month", "planner.example")
    assert shown["contact"] == ("Fixture board", "board.example, 2025-05-01")
    assert shown["land_use"] == ("TMD · Commerce", "planner.example")


def test_a_value_nobody_published_says_so_without_a_basis():
    shown = facts(lot())
    not_published = (t("investor.lot.not_published", "en"), "")
    assert shown["road"] == shown["tenant"] == shown["incentives"] == not_published


def test_area_official_cites_its_source_measured_says_measured_and_illustrative():
    official = facts(lot(area_source="src-board"), {"area_ha": 1.25, "area_official": True})
    assert official["area"] == ("1.25 ha (12,500 m²)", "board.example, 2025-05-01")
    drawn = facts(lot(geometry_accuracy="illustrative", illustrative_fields=["geometry"]))
    measured, illustrative = (
        t(f"investor.lot.basis.{k}", "en") for k in ("measured", "illustrative")
    )
    assert drawn["area"] == ("2 ha (20,000 m²)", f"{measured}; {illustrative}")


def test_a_distance_says_how_it_was_measured_and_an_unknown_one_is_not_given():
    placed = facts(lot())
    assert placed["distance_gate_m"] == ("1.2 km", t("investor.lot.basis.distance", "en"))
    via_zone = facts(lot(), {"position_from": "zone"})
    assert via_zone["distance_gate_m"][1].endswith(t("investor.lot.basis.distance_zone", "en"))
    unknown = facts(lot(), {"distance_gate_m": math.nan})
    assert unknown["distance_gate_m"] == (t("investor.lot.distance_unknown", "en"), "")


def test_distances_in_metres_below_a_kilometre_and_in_the_languages_conventions():
    assert distance_text(999.4, "en") == "999 m"
    assert distance_text(1000.0, "en") == "1 km"
    assert distance_text(12345.0, "vi") == "12,3 km"
    assert distance_text(math.nan, "zh") == ""
