"""The lot schema's field rules (geo.field_checks, schema "lot") and the land-use table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.field_checks import validate_properties
from geo.land_uses import LandUseError, load_land_uses, parse_land_uses
from geo.sources import load_sources
from geo.vocabulary import AVAILABILITIES, LAND_USES, LOT_FIELDS, SCHEMAS

REPO = Path(__file__).resolve().parent.parent
SOURCES = {"src-plan", "src-board", "src-tenant"}


def lot(**changes):
    """A valid leased lot of an imported (digitised) plan: every field present."""
    props = {field: None for field in LOT_FIELDS}
    props.update(
        id="KTC-01",
        code="A-01",
        road="N1",
        zone_id="zone-a",
        land_use="TMD",
        availability="leased",
        tenant="Công ty X",
        rent_usd_m2_term=95.5,
        lease_end_year=2058,
        min_plot_m2=5000,
        management_fee_usd_m2_month=0.5,
        warehouse_rent_usd_m2_month=4.0,
        contact_vi="Ban quản lý",
        contact_en="Management board",
        contact_zh="管理委员会",
        contact_source="src-board",
        area_ha=2.5,
        area_source="src-plan",
        geometry_accuracy="digitised",
        illustrative_fields=["rent_usd_m2_term"],
        illustrative_basis_vi="giá minh họa",
        illustrative_basis_en="illustrative price",
        illustrative_basis_zh="示意价格",
        sources=["src-plan", "src-tenant"],
    )
    props.update(changes)
    return props


def problems(props):
    return [
        (p.field, p.expected)
        for p in validate_properties(
            props, schema="lot", file="lots.geojson", feature_index=0, source_ids=SOURCES
        )
    ]


def fields(props):
    return [field for field, _ in problems(props)]


def test_the_valid_fixture_lot_has_no_problem():
    assert problems(lot()) == []


def test_lot_is_a_schema_and_the_vocabularies_are_the_agreed_ones():
    assert "lot" in SCHEMAS
    assert AVAILABILITIES == ("available", "reserved", "leased")
    assert {"TMD", "SKC", "SKK", "SKT", "DGT", "DKV"} <= set(LAND_USES)


def test_a_tenant_is_refused_unless_the_lot_is_leased():
    found = problems(lot(availability="available"))
    assert [f for f, _ in found] == ["tenant"]
    assert "only when availability is 'leased'" in found[0][1]
    assert problems(lot(availability="available", tenant=None)) == []


def test_a_tenant_needs_a_source_or_an_illustrative_label():
    assert fields(lot(sources=[])) == ["sources"]
    assert problems(lot(sources=[], illustrative_fields=["tenant", "rent_usd_m2_term"])) == []


@pytest.mark.parametrize(
    "field",
    [
        "rent_usd_m2_term",
        "min_plot_m2",
        "management_fee_usd_m2_month",
        "warehouse_rent_usd_m2_month",
    ],
)
def test_money_and_sizes_are_numbers_zero_or_more(field):
    assert fields(lot(**{field: -1})) == [field]
    assert fields(lot(**{field: "95"})) == [field]
    assert problems(lot(**{field: 0})) == []


@pytest.mark.parametrize("year", [58, 2200, 2058.5, True, "2058"])
def test_an_implausible_lease_end_year_is_refused(year):
    assert fields(lot(lease_end_year=year)) == ["lease_end_year"]


def test_illustrative_fields_must_be_real_fields_named_once():
    found = problems(
        lot(illustrative_fields=["rent_usd_m2", "rent_usd_m2_term", "rent_usd_m2_term"])
    )
    assert [f for f, _ in found] == ["illustrative_fields[0]", "illustrative_fields[2]"]
    assert "did you mean 'rent_usd_m2_term'" in found[0][1]
    assert fields(lot(illustrative_fields=["sources"])) == ["illustrative_fields[0]"]


def test_an_illustrative_shape_is_named_in_illustrative_fields_and_only_then():
    assert fields(lot(geometry_accuracy="illustrative")) == ["illustrative_fields"]
    assert problems(lot(geometry_accuracy="illustrative", illustrative_fields=["geometry"])) == []
    assert fields(lot(illustrative_fields=["geometry"])) == ["illustrative_fields"]


def test_illustrative_values_need_their_basis_in_every_language():
    assert fields(lot(illustrative_basis_zh=None)) == ["illustrative_basis_zh"]
    bare = lot(
        illustrative_fields=[], **{f"illustrative_basis_{x}": None for x in ("vi", "en", "zh")}
    )
    assert problems(bare) == []


def test_source_ids_must_exist():
    assert fields(lot(sources=["src-plan", "nowhere"])) == ["sources[1]"]
    assert fields(lot(contact_source="nowhere")) == ["contact_source"]
    assert fields(lot(area_source=None)) == ["area_source"]
    assert fields(lot(incentives_vi="x", incentives_en="x", incentives_zh="x")) == [
        "incentives_source"
    ]


def test_unknown_and_missing_fields_are_named():
    extra = lot(rent_usd=1)
    assert fields(extra) == ["rent_usd"]
    missing = lot()
    del missing["zone_id"]
    assert fields(missing) == ["zone_id"]


def test_closed_fields_take_their_vocabulary():
    assert fields(lot(land_use="XYZ", availability="sold")) == ["land_use", "availability"]


def test_an_imported_plan_may_keep_its_own_id_case_but_no_spaces():
    assert problems(lot(id="KTC-01")) == []
    assert fields(lot(id="KTC 01")) == ["id"]


def test_the_shipped_land_use_table_cites_sources_that_exist():
    doc = json.loads((REPO / "layers" / "land_uses.json").read_text(encoding="utf-8"))
    known = set(load_sources(REPO / "layers" / "sources.json"))
    assert set(doc["sources"].values()) <= known
    assert set(load_land_uses()) == set(doc["codes"])


def test_the_land_use_palettes_are_the_planning_conventions_ones():
    uses = load_land_uses()
    # §1a: every production and business code shares one salmon; transport is orange
    assert {uses[c].swatch_hex for c in ("SKK", "SKT", "SKC", "TMD")} == {"#FAAAA0"}
    assert uses["DGT"].swatch_hex == "#FFAA32"
    # §1b: industry violet, commerce red, transport grey, green green
    assert uses["SKK"].family.hex == "#7F7FFF" and uses["TMD"].family.hex == "#FF0000"
    assert uses["DGT"].family.hex == "#808080" and uses["DKV"].family.hex == "#52A500"


def test_a_broken_land_use_file_lists_every_problem(tmp_path):
    path = tmp_path / "land_uses.json"
    path.write_text(json.dumps({"families": {}, "codes": {"tmd": {}}}), encoding="utf-8")
    with pytest.raises(LandUseError) as error:
        load_land_uses(path)
    text = str(error.value)
    assert "land_uses.json" in text and "'families'" in text and "'codes.tmd'" in text
    _, found = parse_land_uses([])
    assert found[0].expected == "an object with 'families' and 'codes'"


@pytest.mark.parametrize("family", [["green"], {"id": "green"}, None])
def test_a_land_use_family_that_is_not_a_name_is_a_problem_not_a_crash(family):
    entry = {"vi": "Đất cây xanh", "en": "Green", "zh": "绿地", "swatch_hex": "#52A500"}
    doc = {
        "families": {"green": {"hex": "#52A500", "vi": "Cây xanh", "en": "Green", "zh": "绿地"}},
        "codes": {"DKV": {**entry, "family": family}},
    }
    uses, found = parse_land_uses(doc)
    assert uses == {}
    assert [(p.field, p.expected) for p in found] == [("codes.DKV.family", "one of green")]
