"""The app reads every layer from the store, and sees each write on its next run."""

from __future__ import annotations

import pytest
from shapely import Point

from geo.store import Feature, LayerWrite, open_store, store_url
from geo.store.damage import gpkg_path
from ui.data import REGISTRY_ENV, load_app_data

WELLS = {
    "id": "wells",
    "title": {"vi": "Giếng khoan", "en": "Wells", "zh": "井"},
    "file": "wells.geojson",
    "geometry_kind": "point",
    "group": "context",
    "style": "town",
    "visible": True,
    "schema": "context",
    "source": "survey 2026",
    "licence": "CC0-1.0",
}


@pytest.fixture
def app_store(store_env, monkeypatch):
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name, value in store_env.items():
        monkeypatch.setenv(name, value)
    return store_url(store_env)


def test_the_app_seeds_the_store_on_first_use_and_reads_it(app_store):
    data = load_app_data()
    with open_store(app_store, seed=None) as store:
        assert data.registry.ids == tuple(store.versions())
        assert data.stamp == ("store", store.label, store.stamp())
    assert set(data.layers) == set(data.registry.ids) and not data.errors
    assert data.project_features()["zone-cargo-transit"]["area_ha"] == 143.7


def test_a_write_to_the_store_shows_on_the_next_run(app_store):
    before = load_app_data()
    with open_store(app_store) as store:
        towns = store.features("towns")
        store.write(
            [
                LayerWrite(dict(store.entries()[store.registry().ids.index("towns")]), towns[:2]),
                LayerWrite(WELLS, [Feature({"id": "well-1", "name_vi": "G1"}, Point(106.7, 21.9))]),
            ]
        )
    after = load_app_data()
    assert after.stamp != before.stamp
    assert len(before.layers["towns"]) == len(towns) and len(after.layers["towns"]) == 2
    assert after.registry.ids[-1] == "wells" and after.registry.get("wells").title["en"] == "Wells"
    assert list(after.layers["wells"].index) == ["well-1"]


def test_a_store_emptied_meanwhile_is_seeded_again_or_shown_read_only(app_store):
    first = load_app_data()
    with open_store(app_store) as store:  # e.g. an administrator dropping the tables
        tables = store._t
        tables.metadata.drop_all(store.engine, tables=[tables.features, tables.layers, tables.meta])
    path = gpkg_path(app_store)  # None for PostGIS
    left = path.read_bytes() if path else None
    again = load_app_data()
    assert again.registry.ids == first.registry.ids
    if path is None:  # the shared PostGIS database: created and seeded again
        assert again.read_only is None
        assert again.stamp[2][0] != first.stamp[2][0]  # a new generation
    else:
        # A GeoPackage that lost its tables is a damaged store (the planners' edits are gone
        # from it): the seed is shown read-only, and the file is left as it is.
        assert again.read_only is not None and again.read_only.store == path
        assert again.read_only.reason.startswith("not a store: no table lsz_meta, lsz_layers")
        assert load_app_data().read_only == again.read_only and path.read_bytes() == left
