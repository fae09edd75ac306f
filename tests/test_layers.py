"""The shipped data in layers/: every registry entry is tested, so a new layer is tested for free.

The rules and tolerances are the validator's own (geo.checks, geo.field_checks,
geo.collection_checks): the tests and `python -m geo validate` cannot disagree. Project features
(zones, gates, roads) must lie in the registry's `extent` (Lạng Sơn ∪ Cao Bằng, points + 500 m,
lines and polygons + 50 m, in metres on WGS 84 / UTM 48N, never in degrees). Context layers
deliberately show neighbours (the other provinces, Tiên Yên at the end of QL4B, railways and
roads clipped to a box reaching into Bắc Giang and Quảng Ninh), so their features must lie
inside the wider frame of every `provinces` feature, + 500 m.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from functools import cache

import pandas as pd
import pytest
import shapely
from shapely.geometry.base import BaseGeometry

from geo.catalog import Catalog, load_catalog
from geo.checks import AREA_TOLERANCE, LENGTH_TOLERANCE, extent_problems
from geo.crs import WGS84, WGS84_UTM_48N, transform_geometry
from geo.errors import GeoError
from geo.i18n import LANGUAGES
from geo.measure import area_ha, length_km
from geo.registry import load_registry
from geo.vocabulary import GEOMETRY_KINDS

BUFFER_M = 500.0
STUDY_PROVINCES = ("province-lang-son", "province-cao-bang")


def _registry_ids(schema: str | None = None, kind: str | None = None) -> list[str]:
    """Layer ids for parametrisation; one failing id when the registry cannot be read."""
    try:
        registry = load_registry()
    except GeoError as exc:
        return [f"registry-unreadable: {exc}"]
    return [
        spec.id
        for spec in registry.layers
        if schema in (None, spec.schema) and kind in (None, spec.geometry_kind)
    ]


LAYER_IDS = _registry_ids()
PROJECT_POLYGON_IDS = _registry_ids("project", "polygon")
PROJECT_LINE_IDS = _registry_ids("project", "line")


@cache
def registry():
    return load_registry()


@cache
def catalog() -> Catalog:
    return load_catalog(registry())


def loaded(layer_id: str):
    """Return a loaded layer, failing with every problem of the file when it did not load."""
    if layer_id.startswith("registry-unreadable"):
        pytest.fail(layer_id)
    errors = catalog().errors
    if layer_id in errors:
        pytest.fail(f"layer {layer_id!r} did not load:\n{errors[layer_id]}")
    return catalog().layers[layer_id]


def _metric(geom: BaseGeometry) -> BaseGeometry:
    return transform_geometry(geom, WGS84, WGS84_UTM_48N)


@cache
def study_area_m() -> BaseGeometry:
    provinces = loaded("provinces")
    missing = [fid for fid in STUDY_PROVINCES if fid not in provinces.index]
    assert not missing, f"provinces layer lacks {missing}"
    union = shapely.union_all([provinces.geometry.loc[fid] for fid in STUDY_PROVINCES])
    return _metric(union).buffer(BUFFER_M)


@cache
def context_frame_m() -> BaseGeometry:
    return _metric(shapely.union_all(list(loaded("provinces").geometry))).buffer(BUFFER_M)


@pytest.mark.parametrize("layer_id", LAYER_IDS)
def test_layer_file_exists(layer_id):
    if layer_id.startswith("registry-unreadable"):
        pytest.fail(layer_id)
    spec = load_registry().get(layer_id)
    assert spec.file.is_file(), f"{layer_id}: no file at {spec.file}"


@pytest.mark.parametrize("layer_id", LAYER_IDS)
def test_layer_loads_and_is_schema_valid(layer_id):
    gdf = loaded(layer_id)
    assert len(gdf) > 0, f"{layer_id} has no feature"
    assert gdf.crs.to_epsg() == 4326


@pytest.mark.parametrize("layer_id", LAYER_IDS)
def test_layer_geometry_kind_is_the_registered_one(layer_id):
    gdf = loaded(layer_id)
    kind = catalog().registry.get(layer_id).geometry_kind
    wrong = {fid: t for fid, t in gdf.geom_type.items() if t not in GEOMETRY_KINDS[kind]}
    assert not wrong, f"{layer_id} is a {kind} layer; found {wrong}"


@pytest.mark.parametrize("layer_id", LAYER_IDS)
def test_every_feature_lies_in_the_study_area(layer_id):
    gdf = loaded(layer_id)
    spec = catalog().registry.get(layer_id)
    if spec.schema == "project":
        problems = extent_problems({layer_id: gdf, "provinces": loaded("provinces")}, registry())
        assert [str(p) for p in problems] == []
        return
    area, name = (context_frame_m(), "every province of the provinces layer + 500 m")
    outside = {}
    for fid, geom in gdf.geometry.items():
        metric = _metric(geom)
        if not area.contains(metric):
            outside[fid] = round(metric.distance(area) if not metric.intersects(area) else 0.0)
    assert not outside, f"{layer_id}: features outside {name} (distance m): {outside}"


@pytest.mark.parametrize("layer_id", PROJECT_POLYGON_IDS)
def test_official_area_matches_the_geodesic_area_within_the_validator_tolerance(layer_id):
    gdf = loaded(layer_id)
    off = {}
    for fid, row in gdf.iterrows():
        official = row.get("area_ha")
        if pd.isna(official):  # null in the file: no official figure
            continue
        measured = area_ha(row.geometry)
        if abs(measured - official) > AREA_TOLERANCE * official:
            off[fid] = (official, round(measured, 2))
    assert not off, (
        f"{layer_id}: (official ha, geodesic ha) differ by > {AREA_TOLERANCE:.1%}: {off}"
    )


@pytest.mark.parametrize("layer_id", PROJECT_LINE_IDS)
def test_official_length_matches_the_geodesic_length_within_the_validator_tolerance(layer_id):
    gdf = loaded(layer_id)
    off = {}
    for fid, row in gdf.iterrows():
        official = row.get("length_km")
        if pd.isna(official):
            continue
        measured = length_km(row.geometry)
        if abs(measured - official) > LENGTH_TOLERANCE * official:
            off[fid] = (official, round(measured, 2))
    assert not off, (
        f"{layer_id}: (official km, geodesic km) differ by > {LENGTH_TOLERANCE:.0%}: {off}"
    )


@pytest.mark.parametrize("layer_id", LAYER_IDS)
def test_every_non_surveyed_feature_says_how_far_to_trust_it(layer_id):
    gdf = loaded(layer_id)
    # A lot says it in illustrative_basis_* (the lot schema has no accuracy_note).
    note = "illustrative_basis" if registry().get(layer_id).schema == "lot" else "accuracy_note"
    silent = [
        (fid, lang)
        for fid, row in gdf.iterrows()
        for lang in LANGUAGES
        if row["geometry_accuracy"] != "surveyed"
        and not (isinstance(row[f"{note}_{lang}"], str) and row[f"{note}_{lang}"].strip())
    ]
    assert not silent, f"{layer_id}: non-surveyed features without accuracy_note: {silent}"


def test_feature_ids_are_unique_across_layers():
    for layer_id in LAYER_IDS:
        loaded(layer_id)
    counts = Counter(fid for gdf in catalog().layers.values() for fid in gdf.index)
    assert not [fid for fid, n in counts.items() if n > 1]
    assert [str(p) for p in catalog().duplicate_id_problems()] == []


def _cited(props: dict) -> Iterator[tuple[str, object]]:
    """Yield (field, source id) for every citation in a feature's raw properties."""
    for i, sid in enumerate(props.get("sources") or []):
        yield f"sources[{i}]", sid
    for key, value in props.items():
        if key.endswith("_source") and value is not None:
            yield key, value
    for key in ("progress_history", "milestones"):
        for i, entry in enumerate(props.get(key) or []):
            if isinstance(entry, dict):
                yield f"{key}[{i}].source", entry.get("source")


@pytest.mark.parametrize("layer_id", LAYER_IDS)
def test_every_cited_source_resolves(layer_id):
    loaded(layer_id)
    spec = catalog().registry.get(layer_id)
    doc = json.loads(spec.file.read_text(encoding="utf-8"))
    known = catalog().sources
    unresolved = [
        (feature["properties"]["id"], field, sid)
        for feature in doc["features"]
        for field, sid in _cited(feature["properties"])
        if sid not in known
    ]
    assert not unresolved, f"{layer_id}: unknown source ids: {unresolved}"


def test_every_source_has_a_title_and_publisher_and_http_url_or_none():
    for sid, source in catalog().sources.items():
        assert source.title.strip() and source.publisher.strip(), sid
        assert source.url is None or source.url.startswith(("http://", "https://")), sid


def test_the_study_area_is_lang_son_and_cao_bang_in_the_right_place():
    # Lạng Sơn ≈ 8,310 km², Cao Bằng ≈ 6,700 km² (official); the 500 m buffer adds a little.
    area_km2 = study_area_m().area / 1e6
    assert 14_500 < area_km2 < 16_500
    friendship_pass = _metric(shapely.Point(106.71222, 21.97639))
    assert study_area_m().contains(friendship_pass)


def test_no_problem_between_files():
    for layer_id in LAYER_IDS:
        loaded(layer_id)
    assert [str(p) for p in catalog().problems] == []
    assert catalog().unmapped_error is None


def test_the_extent_is_lang_son_and_cao_bang():
    extent = registry().extent
    assert extent is not None
    assert (extent.layer, extent.features) == ("provinces", STUDY_PROVINCES)
    assert (extent.point_tolerance_m, extent.edge_tolerance_m) == (BUFFER_M, 50.0)


@pytest.mark.parametrize("layer_id", LAYER_IDS)
def test_every_layer_credits_the_data_sets_its_shapes_derive_from(layer_id):
    spec = registry().get(layer_id)
    assert spec.credits, f"{layer_id}: no credits"
    missing = [sid for sid in spec.credits if catalog().sources[sid].credit is None]
    assert not missing, f"{layer_id}: credited sources without a credit text: {missing}"
