"""The store on both back ends: seed round trip, versions, all-or-nothing, export, first use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyogrio
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely import LineString, Point, Polygon

from geo.errors import StoreError
from geo.io import read_layer
from geo.registry import DEFAULT_REGISTRY_PATH, load_registry
from geo.sources import load_sources
from geo.store import Feature, LayerWrite, Store, open_store, store_url, write_geojson
from geo.store.core import SeedError, connect_store

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ROOT / "layers"


def layer_file(layer_id: str) -> dict:
    return json.loads((LAYERS / f"{layer_id}.geojson").read_text(encoding="utf-8"))


def registry_entries() -> list[dict]:
    return json.loads(DEFAULT_REGISTRY_PATH.read_text(encoding="utf-8"))["layers"]


def entry(layer_id: str, kind: str = "point") -> dict:
    return {
        "id": layer_id,
        "title": {"vi": layer_id, "en": layer_id, "zh": layer_id},
        "file": f"{layer_id}.geojson",
        "geometry_kind": kind,
        "group": "context",
        "style": "town",
        "visible": True,
        "schema": "context",
        "source": "test",
        "licence": "CC0-1.0",
    }


def point(fid: str, x: float = 106.76, y: float = 21.97, **props: object) -> Feature:
    return Feature({"id": fid, **props}, Point(x, y))


BOWTIE = Polygon([(106.70, 21.90), (106.72, 21.92), (106.72, 21.90), (106.70, 21.92)])


def snapshot(store: Store) -> tuple:
    """Everything a reader can see: stamp, entries and every feature of every layer."""
    layers = {
        layer_id: [(f.properties, f.geometry.wkb) for f in store.features(layer_id)]
        for layer_id in store.versions()
    }
    return store.stamp(), store.entries(), layers


# --------------------------------------------------------------------------- seed


def test_seed_keeps_every_property_and_geometry_of_layers(seeded_store):
    assert [e for e in seeded_store.entries()] == registry_entries()
    for spec in load_registry():
        doc = layer_file(spec.id)
        stored = seeded_store.features(spec.id)
        assert len(stored) == len(doc["features"]), spec.id
        for feature, original in zip(stored, doc["features"], strict=True):
            # Same keys in the same order, nested lists (milestones, history) equal.
            assert list(feature.properties.items()) == list(original["properties"].items())
            expected = shapely.geometry.shape(original["geometry"])
            assert shapely.equals_exact(feature.geometry, expected, tolerance=0), feature.id


def test_seeded_layer_reads_like_the_file(seeded_store):
    sources = load_sources(LAYERS / "sources.json")
    snapshot = seeded_store.snapshot()
    assert snapshot.stamp == seeded_store.stamp()
    assert snapshot.entries == registry_entries()
    assert list(snapshot.layers) == [spec.id for spec in load_registry()]
    for spec in load_registry():
        from_file = read_layer(spec, source_ids=sources.keys())
        for from_store in (seeded_store.read_layer(spec.id), snapshot.layers[spec.id]):
            assert_geodataframe_equal(from_store, from_file, check_like=False)
            assert from_store.attrs == from_file.attrs


def test_feature_ids_name_every_stored_feature_with_its_layer(seeded_store):
    snapshot = seeded_store.snapshot()
    expected = {
        str(fid): layer_id for layer_id, gdf in snapshot.layers.items() for fid in gdf.index
    }
    assert expected  # the seed has features
    assert seeded_store.feature_ids() == expected


def test_is_ready_only_once_seeded_and_connect_store_creates_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.gpkg'}"
    with connect_store(url) as store:
        assert store.is_ready() is False
    assert not (tmp_path / "new.gpkg").exists() or (tmp_path / "new.gpkg").stat().st_size == 0
    with open_store(url) as store:
        assert store.is_ready() is True


def test_seed_starts_every_layer_at_version_1(seeded_store):
    assert seeded_store.versions() == {spec.id: 1 for spec in load_registry()}


def test_a_vn2000_layer_is_stored_in_wgs84(empty_store, tmp_path, data_dir):
    layers = tmp_path / "layers"
    layers.mkdir()
    (layers / "sources.json").write_text((data_dir / "sources.json").read_text("utf-8"), "utf-8")
    (layers / "zone_in_vn2000.geojson").write_bytes(
        (data_dir / "zone_in_vn2000.geojson").read_bytes()
    )
    registry = {
        "layers": [
            {
                **entry("zone_in_vn2000", "polygon"),
                "schema": "project",
                "group": "zones",
                "style": "zone",
                "file": "zone_in_vn2000.geojson",
            }
        ]
    }
    (layers / "registry.json").write_text(json.dumps(registry), "utf-8")
    empty_store.seed(layers / "registry.json")
    assert empty_store.source_crs("zone_in_vn2000") != "EPSG:4326"
    [feature] = empty_store.features("zone_in_vn2000")
    minx, miny, maxx, maxy = feature.geometry.bounds
    assert 106 < minx < maxx < 107.5 and 21 < miny < maxy < 22.5


def test_seeding_again_goes_on_counting_and_changes_the_generation(seeded_store):
    before = seeded_store.stamp()
    versions = seeded_store.seed()
    assert set(versions.values()) == {2}
    after = seeded_store.stamp()
    assert after[0] != before[0] and after != before


def test_an_invalid_seed_writes_nothing(seeded_store, tmp_path):
    copy = tmp_path / "layers"
    import shutil

    shutil.copytree(LAYERS, copy)
    doc = json.loads((copy / "gates.geojson").read_text("utf-8"))
    doc["features"][1]["properties"]["status"] = "finished"
    (copy / "gates.geojson").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    before = snapshot(seeded_store)
    with pytest.raises(StoreError, match=r"(?s)nothing was written.*gates\.geojson.*'status'"):
        seeded_store.seed(copy / "registry.json")
    assert snapshot(seeded_store) == before


# --------------------------------------------------------------------------- versions


def test_each_write_increments_the_version_and_the_stamp(empty_store):
    stamps = [empty_store.stamp()]
    assert empty_store.write([LayerWrite(entry("wells"), [point("w-1")])]) == {"wells": 1}
    stamps.append(empty_store.stamp())
    assert empty_store.write([LayerWrite(entry("wells"), [point("w-2")], expected_version=1)]) == {
        "wells": 2
    }
    stamps.append(empty_store.stamp())
    assert len(set(stamps)) == 3
    assert [f.id for f in empty_store.features("wells")] == ["w-2"]


def test_an_edit_made_on_an_old_version_is_refused(empty_store):
    empty_store.write([LayerWrite(entry("wells"), [point("w-1")])])
    empty_store.write([LayerWrite(entry("wells"), [point("w-2")])])
    before = snapshot(empty_store)
    with pytest.raises(StoreError, match=r"layer 'wells' is at version 2, not 1"):
        empty_store.write([LayerWrite(entry("wells"), [point("w-3")], expected_version=1)])
    with pytest.raises(StoreError, match=r"layer 'bores' is not stored, not 3"):
        empty_store.write([LayerWrite(entry("bores"), [point("b-1")], expected_version=3)])
    assert snapshot(empty_store) == before


def test_new_layers_go_last_and_replaced_ones_keep_their_place(empty_store):
    empty_store.write(
        [LayerWrite(entry("a"), [point("a-1")]), LayerWrite(entry("b"), [point("b-1")])]
    )
    empty_store.write([LayerWrite(entry("c"), [point("c-1")])])
    empty_store.write([LayerWrite(entry("a"), [point("a-2")])])
    assert empty_store.versions() == {"a": 2, "b": 1, "c": 1}


# --------------------------------------------------------------------------- all or nothing


def test_an_invalid_feature_midway_leaves_the_previous_state(seeded_store):
    towns = seeded_store.features("towns")
    before = snapshot(seeded_store)
    batch = [
        # written first, then undone: the new towns layer and a new layer
        LayerWrite(entry("towns"), towns[:2], expected_version=1),
        LayerWrite(
            entry("plots", "polygon"),
            [
                Feature({"id": "plot-1"}, BOWTIE.buffer(0)),
                Feature({"id": "plot-2"}, BOWTIE),
                Feature({"id": "plot-3"}, BOWTIE.buffer(0)),
            ],
        ),
    ]
    with pytest.raises(StoreError) as caught:
        seeded_store.write(batch)
    message = str(caught.value)
    assert "layer 'plots'" in message and "'plot-2'" in message and "'geometry'" in message
    assert "Self-intersection" in message and "nothing was written" in message
    assert snapshot(seeded_store) == before


def test_a_row_the_database_refuses_midway_leaves_the_previous_state(seeded_store):
    before = snapshot(seeded_store)
    batch = [
        LayerWrite(entry("wells"), [point("w-1")]),
        # the unique (layer, feature id) constraint of the database refuses the second row
        LayerWrite(entry("bores"), [point("b-1"), point("b-1", 106.8)]),
    ]
    with pytest.raises(StoreError, match=r"refused to write: .*nothing was written"):
        seeded_store.write(batch)
    assert snapshot(seeded_store) == before


@pytest.mark.parametrize(
    ("feature", "field", "found"),
    [
        (Feature({"name": "no id"}, Point(106.7, 21.9)), "'id'", "None"),
        (
            Feature({"id": "w"}, LineString([(106.7, 21.9), (106.8, 22.0)])),
            "'geometry'",
            "LineString",
        ),
        (Feature({"id": "w"}, Point(106.7, 21.9, 300)), "'geometry'", "Z values"),
        (Feature({"id": "w"}, Point(650000.0, 2430000.0)), "'geometry'", "bounds 650000"),
        (Feature({"id": "w"}, Point()), "'geometry'", "POINT EMPTY"),
        (Feature({"id": "w", "depth": float("nan")}, Point(106.7, 21.9)), "'properties'", "NaN"),
    ],
    ids=["no-id", "wrong-kind", "z", "metres", "empty", "nan"],
)
def test_a_bad_feature_is_named_with_its_field(empty_store, feature, field, found):
    with pytest.raises(StoreError) as caught:
        empty_store.write([LayerWrite(entry("wells"), [point("w-0"), feature])])
    message = str(caught.value)
    assert "layer 'wells'" in message and field in message and found in message
    assert empty_store.versions() == {}


def test_a_bad_registry_entry_is_refused_with_every_problem(empty_store):
    bad = {**entry("wells"), "group": "nowhere", "title": {"vi": "Giếng"}}
    with pytest.raises(StoreError, match=r"(?s)title\.en.*'group'.*nothing was written"):
        empty_store.write([LayerWrite(bad, [point("w-1")])])


# --------------------------------------------------------------------------- export


def test_export_writes_rfc7946_with_every_property(seeded_store, tmp_path):
    for layer_id in ("zones", "expressways", "gates"):
        out = tmp_path / f"{layer_id}.geojson"
        assert write_geojson(out, seeded_store.features(layer_id)) == len(
            layer_file(layer_id)["features"]
        )
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert "crs" not in doc and doc["type"] == "FeatureCollection"
        original = layer_file(layer_id)["features"]
        for exported, source in zip(doc["features"], original, strict=True):
            assert exported["id"] == source["properties"]["id"]
            assert exported["properties"] == source["properties"]
            geom = shapely.geometry.shape(exported["geometry"])
            assert geom.equals(shapely.geometry.shape(source["geometry"]))
            for polygon in getattr(geom, "geoms", [geom]):
                if isinstance(polygon, Polygon):
                    assert polygon.exterior.is_ccw  # right-hand rule
                    assert not any(ring.is_ccw for ring in polygon.interiors)


def test_an_unknown_layer_names_the_stored_ones(seeded_store):
    with pytest.raises(StoreError, match=r"no layer 'zone' in the store; stored: zones, gates"):
        seeded_store.features("zone")


# --------------------------------------------------------------------------- first use


def test_concurrent_first_use_seeds_once(store_env):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LSZ_DATA_DIR")}
    env |= store_env
    code = (
        "from geo.store import open_store\n"
        "s = open_store()\n"
        "print(s.stamp()[0], sum(s.versions().values()))\n"
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in results]
    lines = {out.strip() for out, _ in results}
    assert len(lines) == 1  # one generation, every layer at version 1
    generation, total = lines.pop().split()
    assert int(total) == len(load_registry())
    with open_store(store_url(store_env)) as store:
        assert store.stamp()[0] == generation


def test_the_data_folder_is_created_when_missing(tmp_path):
    folder = tmp_path / "not" / "yet"
    with open_store(f"sqlite:///{folder}/lsz.gpkg", seed=None) as store:
        assert store.versions() == {}
    assert (folder / "lsz.gpkg").is_file()


def test_the_embedded_store_is_a_geopackage(tmp_path):
    path = tmp_path / "lsz.gpkg"
    open_store(f"sqlite:///{path}").close()
    info = pyogrio.read_info(path, layer="lsz_features")
    assert info["driver"] == "GPKG" and info["crs"] == "EPSG:4326"
    assert info["features"] == sum(len(layer_file(s.id)["features"]) for s in load_registry())
    assert path.read_bytes()[68:72] == b"GPKG"  # application_id in the SQLite header


def test_postgis_geometry_column(postgres):
    import psycopg

    url = postgres.new_database()
    with open_store(url) as store:
        assert store.versions()
    with psycopg.connect(url) as conn:
        row = conn.execute(
            "SELECT type, srid FROM geometry_columns WHERE f_table_name = 'lsz_features'"
        ).fetchone()
        assert row == ("GEOMETRY", 4326)
        valid = conn.execute("SELECT bool_and(ST_IsValid(geom)) FROM lsz_features").fetchone()
        assert valid == (True,)


def test_a_database_without_postgis_is_refused_clearly(postgres):
    import psycopg

    with psycopg.connect(postgres.url("postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE no_postgis TEMPLATE template0")
    with pytest.raises(StoreError, match=r"PostGIS is not installed in this database"):
        open_store(postgres.url("no_postgis"))


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://u:secret@db/x", r"DATABASE_URL: expected postgresql://.*'mysql://u:\*\*\*@db/x'"),
        ("not a url", r"DATABASE_URL: expected postgresql://"),
        ("sqlite:///tmp/x.db", r"expected a \.gpkg file"),
        ("postgresql://u:secret@127.0.0.1:1/x", r"is not reachable \(connection failed: .*refused"),
    ],
)
def test_a_bad_store_url_says_what_is_expected(url, message):
    with pytest.raises(StoreError, match=message) as caught:
        open_store(url)
    assert "secret" not in str(caught.value)


# --------------------------------------------------------------------------- following layers/


def edit_copy(copy: Path, edit) -> None:
    doc = json.loads((copy / "gates.geojson").read_text("utf-8"))
    edit(doc["features"][0]["properties"])
    (copy / "gates.geojson").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


@pytest.fixture
def layers_copy(tmp_path) -> Path:
    import shutil

    copy = tmp_path / "layers"
    shutil.copytree(LAYERS, copy)
    return copy


def test_an_untouched_embedded_store_follows_its_seed_files(store_env, layers_copy):
    registry = layers_copy / "registry.json"
    with open_store(store_url(store_env), seed=registry) as store:
        assert store.refresh(registry) == {}  # unchanged files: nothing to do
        assert set(store.versions().values()) == {1}
        edit_copy(layers_copy, lambda p: p.update(name_en="Renamed gate"))
        assert store.refresh(registry) == {}
        embedded = "DATABASE_URL" not in store_env
        # PostGIS is shared: only `python -m geo seed` re-seeds it.
        assert set(store.versions().values()) == ({2} if embedded else {1})
        names = [f.properties["name_en"] for f in store.features("gates")]
        assert ("Renamed gate" in names) is embedded


def test_a_store_written_to_is_never_reseeded_behind_its_back(empty_store, layers_copy):
    registry = layers_copy / "registry.json"
    empty_store.seed(registry)
    empty_store.write([LayerWrite(entry("wells"), [point("w-1")])])
    before = snapshot(empty_store)
    edit_copy(layers_copy, lambda p: p.update(name_en="Renamed gate"))
    assert empty_store.refresh(registry) == {}
    assert snapshot(empty_store) == before


def test_a_broken_seed_edit_is_reported_per_layer_and_changes_nothing(tmp_path, layers_copy):
    registry = layers_copy / "registry.json"
    with open_store(f"sqlite:///{tmp_path}/lsz.gpkg", seed=registry) as store:
        before = snapshot(store)
        edit_copy(layers_copy, lambda p: p.update(status="finished"))
        errors = store.refresh(registry)
        assert list(errors) == ["gates"] and "'status'" in str(errors["gates"])
        assert snapshot(store) == before


def test_a_seed_failing_a_check_between_files_writes_nothing(empty_store, layers_copy):
    gates = json.loads((layers_copy / "gates.geojson").read_text("utf-8"))
    doc = json.loads((layers_copy / "towns.geojson").read_text("utf-8"))
    doc["features"][0]["properties"]["id"] = gates["features"][0]["properties"]["id"]
    (layers_copy / "towns.geojson").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    with pytest.raises(SeedError, match=r"also used in layer 'gates'") as caught:
        empty_store.seed(layers_copy / "registry.json")
    assert list(caught.value.layers) == ["towns"]
    assert empty_store.versions() == {}
