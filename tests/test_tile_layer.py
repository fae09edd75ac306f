"""geo.tile_layer + ui.tiled: what a re-run sends for a tiled layer does not grow with it."""

from __future__ import annotations

import dataclasses
from datetime import date

import folium

from geo.feature_index import FeatureIndex
from geo.map_data import MapLayer
from geo.registry import load_registry
from geo.tile_layer import TiledLayer, TileFilter, tile_style_table
from geo.tiles import ensure_archive
from tests.lot_grid import lot_grid


def _layer(count: int) -> MapLayer:
    spec = dataclasses.replace(load_registry().get("zones"), id="lots")
    return MapLayer(spec, lot_grid(count))


def _script(layer: MapLayer, tmp_path, flt: TileFilter) -> str:
    archive = ensure_archive(layer.data, "lots", len(layer.data), tiles_dir=tmp_path)
    fmap = folium.Map(tiles=None)
    TiledLayer(archive, tile_style_table(layer.spec), flt, name="Lots", pane="p").add_to(fmap)
    return fmap.get_root().render()


def test_the_page_holds_no_feature_and_the_same_bytes_for_40_or_4000_lots(tmp_path):
    flt = TileFilter(date(2026, 6, 30), statuses=("planned",), selected="lot-00001")
    small = _script(_layer(40), tmp_path / "a", flt)
    large = _script(_layer(4000), tmp_path / "b", flt)
    assert abs(len(large) - len(small)) < 100  # only the archive's name and element ids differ
    assert "lot-00002" not in large and "Lô" not in large and "never in tiles" not in large
    assert '"statuses":["planned"]' in large and '"selected":"lot-00001"' in large


def test_the_index_finds_the_lot_under_a_point_and_only_among_those_drawn():
    lots = lot_grid(100)
    index = FeatureIndex(lots)
    for fid in ("lot-00000", "lot-00057", "lot-00099"):
        point = lots.loc[fid].geometry.representative_point()
        assert index.at(point.x, point.y) == fid
        assert index.at(point.x, point.y, among={"lot-00001"}) is None
    west, south, _, _ = lots.total_bounds
    assert index.at(west - 0.01, south - 0.01) is None


def test_the_map_page_draws_lots_and_large_polygon_layers_as_tiles_and_keeps_small_ones():
    from ui.tiled import split_tiled, tile_filter

    zones = load_registry().get("zones")
    small = MapLayer(zones, lot_grid(40))
    lots = MapLayer(dataclasses.replace(zones, id="lots"), lot_grid(40))
    plan = MapLayer(dataclasses.replace(zones, id="plan_2030"), lot_grid(2001))
    inline, tiled = split_tiled([small, lots, plan])
    assert [layer.spec.id for layer in inline] == ["zones"]
    assert [layer.spec.id for layer in tiled] == ["lots", "plan_2030"]
    every = tile_filter(
        date(2026, 6, 30),
        ("planned", "preparing", "under_construction", "partly_open", "operational", "unknown"),
        "zone-x",
        {"lot-00001"},
    )
    assert every.statuses is None and every.selected is None  # not a tiled feature
    some = tile_filter(date(2026, 6, 30), ("planned",), "lot-00001", {"lot-00001"})
    assert some.as_json()["statuses"] == ["planned"] and some.selected == "lot-00001"


def test_a_click_selects_the_inline_feature_only_when_it_was_the_click_itself():
    from ui.map_panel import map_click_id

    layer = _layer(40)
    lot = layer.data.loc["lot-00005"].geometry.representative_point()
    on_zone = {"lat": 21.95, "lng": 106.75}
    stale = {
        "last_active_drawing": {"properties": {"id": "zone-x"}},
        "last_object_clicked": on_zone,
    }
    known = {"zone-x"}
    assert map_click_id({**stale, "last_clicked": on_zone}, known, [layer], ("s",)) == "zone-x"
    on_lot = {"lat": lot.y, "lng": lot.x}
    assert map_click_id({**stale, "last_clicked": on_lot}, known, [layer], ("s",)) == "lot-00005"
    empty = {"lat": 21.5, "lng": 106.5}
    assert map_click_id({**stale, "last_clicked": empty}, known, [layer], ("s",)) is None
    assert map_click_id({**stale, "last_clicked": empty}, known) == "zone-x"  # no tiles: as before
