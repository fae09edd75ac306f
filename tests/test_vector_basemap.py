"""The offline vector basemap: its data, its drawing, its texts, and that it needs no network."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from shapely.geometry import box, shape
from shapely.ops import unary_union
from test_mapview import CVD_MATRICES, MIN_DELTA_E, delta_e

from geo import style
from geo.basemaps import BASEMAPS, DEFAULT_BASEMAP
from geo.catalog import load_catalog
from geo.errors import BasemapError
from geo.i18n import LANGUAGES, feature_name
from geo.map_data import MapLayer
from geo.mapview import base_map, build_map
from geo.registry import load_registry
from geo.sources import credits_for
from geo.vector_basemap import (
    BASEMAP_FILE,
    VectorBasemap,
    basemap_credits,
    load_basemap,
    parse_basemap,
)

LAYERS = Path(__file__).resolve().parents[1] / "layers"
TODAY = date(2026, 11, 23)
#: The one URL a rendered map holds that is no request: the SVG namespace of the legend.
SVG_NAMESPACE = "http://www.w3.org/2000/svg"
URL = re.compile(r"(?:https?:)?//[A-Za-z0-9.-]+\.[A-Za-z]{2,}[^\s\"'<>)\\]*")


@pytest.fixture(scope="module")
def layers() -> list[MapLayer]:
    registry = load_registry()
    catalog = load_catalog(registry)
    return [
        MapLayer(spec, catalog.layers[spec.id], credits_for(spec.credits, catalog.sources))
        for spec in registry.layers
    ]


def features(name: str) -> list[dict]:
    return json.loads((LAYERS / name).read_text(encoding="utf-8"))["features"]


def element(fmap) -> VectorBasemap:
    (found,) = [c for c in fmap._children.values() if isinstance(c, VectorBasemap)]
    return found


def shapes_of(kind: str):
    """The basemap's shapes of ``kind`` as one (valid) shapely geometry."""
    parts = [
        shape(s["geometry"]).buffer(0)
        for s in load_basemap().shapes
        if s["properties"]["kind"] == kind
    ]
    return unary_union(parts)


def urls(html: str) -> set[str]:
    return {u for u in URL.findall(html) if u != SVG_NAMESPACE}


# --------------------------------------------------------------------------- data


def test_the_offline_basemap_is_the_default_and_online_tiles_are_not():
    assert DEFAULT_BASEMAP == "offline" and BASEMAPS[DEFAULT_BASEMAP] is None
    fmap = build_map([], lang="vi", as_of=TODAY)
    assert element(fmap) is not None
    assert "tile.openstreetmap" not in fmap.get_root().render()


def test_every_drawn_kind_has_shapes_and_every_shape_is_drawn():
    kinds = {s["properties"]["kind"] for s in load_basemap().shapes}
    drawn = {kind for kind, _, _ in style.BASEMAP_DRAW}
    assert kinds == drawn | {"town"}
    assert {"vietnam", "china", "border", "road", "railway", "province_line"} <= kinds
    classes = {
        s["properties"].get("road_class")
        for s in load_basemap().shapes
        if s["properties"]["kind"] == "road"
    }
    assert classes == {cls for kind, cls, _ in style.BASEMAP_DRAW if kind == "road"}


def test_china_and_vietnam_share_the_odv_border_and_do_not_overlap():
    vietnam, china = shapes_of("vietnam"), shapes_of("china")
    (south, west), (north, east) = style.MAP_MAX_BOUNDS
    extent = box(west, south, east, north)
    assert china.within(extent.buffer(1e-6)) and vietnam.within(extent.buffer(1e-6))
    assert china.intersection(vietnam).area < 0.002 * china.area
    # No gap between them along the border: a gap would show the sea (the background).
    border = unary_union([shape(f["geometry"]) for f in features("border.geojson")])
    strip = border.buffer(0.01)
    assert strip.difference(unary_union([vietnam, china])).area < 0.001 * strip.area
    # The border layer runs along the edge between the two tones (within ~100 m: the land
    # is simplified at 0.0004°).
    steps = 400
    for i in range(steps + 1):
        point = border.interpolate(border.length * i / steps)
        assert china.boundary.distance(point) < 0.001 and vietnam.boundary.distance(point) < 0.001
    for town in features("towns.geojson"):
        point = shape(town["geometry"])
        assert vietnam.contains(point) and not china.contains(point), town["properties"]["id"]


def test_labels_are_the_names_of_the_layer_files_in_every_language():
    labels = load_basemap().labels
    by_role = lambda role, lang: sorted(lb.texts[lang] for lb in labels if lb.role == role)  # noqa: E731
    for lang in LANGUAGES:
        towns = sorted(feature_name(f["properties"], lang) for f in features("towns.geojson"))
        assert by_role("town", lang) == towns
        provinces = sorted(
            feature_name(f["properties"], lang) for f in features("provinces.geojson")
        )
        assert by_role("province", lang) == provinces
    refs = {
        f["properties"]["ref"]
        for f in features("national_roads.geojson")
        if f["properties"].get("ref")
    }
    assert set(by_role("road", "en")) == {r for r in refs if r.startswith("QL")}
    assert {"QL1A", "QL4B"} <= set(by_role("road", "zh"))
    assert set(by_role("provincial_road", "vi")) == {r for r in refs if not r.startswith("QL")}
    lines = {
        f["properties"]["name_vi"]
        for f in features("railways.geojson")
        if f["properties"].get("name_vi")
    }
    assert set(by_role("railway", "vi")) == lines
    assert len(by_role("country", "zh")) == 2


def test_the_basemap_credits_every_layer_it_is_drawn_from(layers):
    credits = set(basemap_credits(load_basemap(), "en"))
    drawn_from = {"provinces", "border", "towns", "national_roads", "railways"}
    for layer in layers:
        if layer.spec.id in drawn_from:
            assert set(layer.credits) <= credits, layer.spec.id
    assert "Natural Earth (public domain)" in credits


def test_a_broken_basemap_file_names_the_feature_and_field(tmp_path):
    doc = {
        "credits": ["odv-2016"],
        "features": [
            {
                "type": "Feature",
                "properties": {"kind": "lake"},
                "geometry": {"type": "Point", "coordinates": [0, 0]},
            },
            {
                "type": "Feature",
                "properties": {
                    "kind": "label",
                    "role": "mountain",
                    "text_vi": "a",
                    "text_en": "a",
                    "text_zh": "a",
                },
                "geometry": {"type": "Point", "coordinates": [0, 0]},
            },
        ],
    }
    data, problems = parse_basemap(doc, "offline.geojson")
    assert data is None
    assert [(p.feature_index, p.field) for p in problems] == [(0, "kind"), (1, "role")]
    path = tmp_path / "offline.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(BasemapError, match="feature #0, field 'kind'"):
        load_basemap(path)
    with pytest.raises(BasemapError, match=r"nowhere\.geojson"):
        load_basemap(tmp_path / "nowhere.geojson")


# --------------------------------------------------------------------------- drawing


def test_panes_lie_under_every_data_pane_and_take_no_clicks():
    data_panes = [z for name, z in style.PANE_Z_INDEX.items() if name not in style.BASEMAP_PANES]
    assert all(style.PANE_Z_INDEX[p] < min(data_panes) for p in style.BASEMAP_PANES)
    assert all(style.PANE_Z_INDEX[p] > 200 for p in style.BASEMAP_PANES)  # above Leaflet's tiles
    html = base_map([], lang="en").get_root().render()
    for pane in style.BASEMAP_PANES:
        assert f".leaflet-{pane}-pane" in html
    assert "pointer-events: none !important" in html
    assert html.count("interactive: false") >= 3


def test_colours_and_widths_come_from_the_style_table():
    fmap = base_map([], lang="en")
    assert json.loads(element(fmap).draw_json) == [list(d) for d in style.BASEMAP_DRAW]
    fills = {
        kind: opts["color"] for kind, _, opts in style.BASEMAP_DRAW if kind in ("vietnam", "china")
    }
    assert fills["vietnam"] != fills["china"]
    assert delta_e(fills["vietnam"], fills["china"], "normal") >= 5  # two tones, not one grey
    for role, label in style.BASEMAP_LABELS.items():
        assert f".lsz-label.lsz-base-{role} {{ {label.css} }}" in fmap.get_root().render()


@pytest.mark.parametrize("vision", CVD_MATRICES)
def test_basemap_colours_never_imitate_a_status(vision):
    status_dashes = {style.NOT_OPEN_DASH, *filter(None, style.ACCURACY_DASH.values())}
    for kind, _, opts in style.BASEMAP_DRAW:
        for status, colour in style.STATUS_COLOURS.items():
            assert delta_e(opts["color"], colour, vision) >= MIN_DELTA_E, (kind, status, vision)
        assert opts.get("dashArray") not in status_dashes, kind


@pytest.mark.parametrize("lang", LANGUAGES)
def test_label_texts_reach_the_map_in_its_language(lang):
    fmap = base_map([], lang=lang)
    texts = {label["text"] for label in element(fmap).labels}
    assert {feature_name(f["properties"], lang) for f in features("towns.geojson")} <= texts
    assert "QL1A" in texts
    assert json.loads(element(fmap).labels_json) == element(fmap).labels


def test_the_basemap_credits_are_on_the_map():
    html = base_map([], lang="en").get_root().render()
    for credit in ("Natural Earth (public domain)", "© OpenStreetMap contributors (ODbL 1.0)"):
        assert credit in html


def test_markup_in_a_label_stays_text(tmp_path):
    doc = json.loads(BASEMAP_FILE.read_text(encoding="utf-8"))
    label = next(f for f in doc["features"] if f["properties"].get("role") == "town")
    label["properties"]["text_en"] = "<img src=x onerror=alert(1)></script>"
    path = tmp_path / "offline.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    load_basemap.cache_clear()
    labels_json = VectorBasemap(load_basemap(path), "en").labels_json
    assert "</script>" not in labels_json and "<img" not in labels_json
    assert "el.textContent = label.text;" in base_map([], lang="en").get_root().render()
    assert "innerHTML" not in base_map([], lang="en").get_root().render()


# --------------------------------------------------------------------------- no network


@pytest.mark.parametrize("basemap", ["offline", "none"])
def test_an_offline_map_names_no_address_outside_the_machine(layers, basemap):
    html = build_map(layers, lang="zh", as_of=TODAY, basemap=basemap).get_root().render()
    assert urls(html) == set(), urls(html)
    assert "/app/static/vendor/leaflet/leaflet.js" in html
    assert "/app/static/vendor/fonts/noto-sans/NotoSans-Regular.ttf" in html


@pytest.mark.parametrize("basemap", ["osm", "light"])
def test_an_online_map_names_only_its_tiles_and_their_attribution(layers, basemap):
    html = build_map(layers, lang="en", as_of=TODAY, basemap=basemap).get_root().render()
    provider = BASEMAPS[basemap]
    allowed = set(URL.findall(provider.html_attribution)) | set(URL.findall(provider.build_url()))
    assert urls(html) and urls(html) <= allowed, urls(html) - allowed
    assert element_free(html)


def element_free(html: str) -> bool:
    """An online map draws no offline basemap under its tiles."""
    return "lsz-base-label" not in html.split("</style>")[-1]


def test_page_size_of_the_offline_basemap_stays_light():
    """Not a timing: the bytes a browser gets for the basemap (measured in README)."""
    assert BASEMAP_FILE.stat().st_size < 400_000


def test_every_basemap_label_reads_on_land_and_sea_at_wcag_aa():
    from test_theme import contrast, rgb

    grounds = [style.BASEMAP_COLOURS[k] for k in ("vietnam", "china", "sea")]
    for role, label in style.BASEMAP_LABELS.items():
        text = re.search(r"(?<![-\w])color: (#[0-9a-f]{6})", label.css).group(1)
        shield = re.search(r"background: (#[0-9a-f]{6})", label.css)
        for ground in [shield.group(1)] if shield else grounds:
            # Without counting the white halo the labels also carry.
            assert contrast(rgb(text), rgb(ground)) >= 4.5, (role, text, ground)
