"""The lot map: one style table, dotted illustrative lots, a halo, text-only tooltips."""

from __future__ import annotations

import geopandas
from shapely import box

from geo import style
from geo.lot_map import locator_map, lot_layer_data, lot_map
from geo.vocabulary import LAND_USES

FILLS = {code: use.family.hex for code, use in LAND_USES.items()}


def lots() -> geopandas.GeoDataFrame:
    return geopandas.GeoDataFrame(
        {
            "code": ["A-1", "<img src=x onerror=alert(1)>", "B-2"],
            "land_use": ["SKK", "TMD", "DKV"],
            "availability": ["available", "leased", "reserved"],
            "geometry_accuracy": ["illustrative", "illustrative", "digitised"],
        },
        geometry=[
            box(106.730, 21.930, 106.735, 21.935),
            box(106.735, 21.930, 106.740, 21.935),
            box(106.730, 21.935, 106.735, 21.940),
        ],
        index=["lot-1", "lot-2", "lot-3"],
        crs="EPSG:4326",
    )


def styles_by_id(data) -> dict[str, dict]:
    return {f["properties"]["id"]: data.styles[f["properties"]["k"]] for f in data.features}


def test_fill_is_the_land_use_family_and_outline_the_availability():
    data, _ = lot_layer_data(lots(), lang="en", fills=FILLS, shown={"lot-1", "lot-2", "lot-3"})
    styles = styles_by_id(data)
    assert styles["lot-1"]["fillColor"] == LAND_USES["SKK"].family.hex
    assert styles["lot-2"]["fillColor"] == LAND_USES["TMD"].family.hex
    for lot_id, availability in (
        ("lot-1", "available"),
        ("lot-2", "leased"),
        ("lot-3", "reserved"),
    ):
        assert styles[lot_id]["color"] == style.AVAILABILITY_COLOURS[availability]
        assert styles[lot_id]["fillOpacity"] == style.LOT_FILL_OPACITY[availability]


def test_illustrative_lots_are_dotted_and_placed_ones_solid():
    data, _ = lot_layer_data(lots(), lang="en", fills=FILLS, shown={"lot-1", "lot-3"})
    styles = styles_by_id(data)
    assert styles["lot-1"]["dashArray"] == style.ACCURACY_DASH["illustrative"]
    assert "dashArray" not in styles["lot-3"]


def test_only_the_lots_shown_are_drawn_and_the_selected_one_has_a_halo():
    data, halo = lot_layer_data(
        lots(), lang="en", fills=FILLS, shown={"lot-1", "lot-3"}, selected="lot-3"
    )
    assert [f["properties"]["id"] for f in data.features] == ["lot-1", "lot-3"]
    assert [f["properties"]["id"] for f in halo.features] == ["selected-lot-3"] * 2
    assert [s["color"] for s in halo.styles] == [style.HALO_OUTER_COLOUR, style.HALO_INNER_COLOUR]


def test_tooltips_say_illustrative_in_the_language_and_markup_stays_text():
    data, _ = lot_layer_data(lots(), lang="vi", fills=FILLS, shown={"lot-1", "lot-2"})
    tips = {f["properties"]["id"]: f["properties"]["tip"] for f in data.features}
    assert tips["lot-1"] == "A-1 · Còn trống · minh họa"
    html = lot_map(lots(), lang="en", fills=FILLS, shown={"lot-2"}).get_root().render()
    assert "<img src=x" not in html and "\\u003cimg src=x" in html


def test_the_map_loads_only_the_vendored_leaflet():
    html = (
        lot_map(lots(), lang="en", fills=FILLS, shown={"lot-1"}, selected="lot-1")
        .get_root()
        .render()
    )
    scripts = [line for line in html.splitlines() if "<script src=" in line]
    assert scripts and all("/app/static/vendor/" in line for line in scripts)


def test_the_lot_and_locator_maps_default_to_the_offline_basemap_and_follow_the_chosen_one():
    def rendered(fmap) -> str:
        return fmap.get_root().render()

    offline = [
        rendered(lot_map(lots(), lang="en", fills=FILLS, shown={"lot-1"})),
        rendered(locator_map(lots(), "lot-1", lang="en", fills=FILLS)),
    ]
    for html in offline:  # no tile server: a conference hall has no network
        assert "tile.openstreetmap.org" not in html and "{z}" not in html
    online = rendered(locator_map(lots(), "lot-1", lang="en", fills=FILLS, basemap="osm"))
    assert "tile.openstreetmap.org" in online
