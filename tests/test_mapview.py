"""The folium map builder, tested by rendering: no Streamlit, no browser."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace
from datetime import date

import pytest
from shapely.geometry import shape

from geo import style
from geo.catalog import load_catalog
from geo.feature_text import tooltip_text
from geo.i18n import LANGUAGES, accuracy_label, feature_name, status_label, t
from geo.legend import legend_entries
from geo.map_data import MapLayer
from geo.map_elements import DataLayer
from geo.mapview import build_map, project_groups
from geo.measure import length_km
from geo.registry import load_registry
from geo.sources import credits_for
from geo.text import format_day
from geo.timeline import status_on

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def layers() -> dict[str, MapLayer]:
    registry = load_registry()
    catalog = load_catalog(registry)
    assert not catalog.errors
    # The map draws project and context layers; lot layers (schema "lot") are the investor
    # view's, drawn there with their own table and panel.
    return {
        spec.id: MapLayer(spec, catalog.layers[spec.id], credits_for(spec.credits, catalog.sources))
        for spec in registry.layers
        if spec.schema in ("project", "context")
    }


def props_of(layer: MapLayer, fid: str) -> dict:
    return {**layer.data.loc[fid].drop(labels="geometry").to_dict(), "id": fid}


def data_layers(groups) -> list[DataLayer]:
    return [c for g in groups for c in g._children.values() if isinstance(c, DataLayer)]


def features_of(groups, fid: str) -> list[tuple[dict, dict]]:
    """Return (feature, its style) pairs drawn for ``fid``."""
    found = []
    for layer in data_layers(groups):
        for feature in layer.data["features"]:
            if feature["properties"]["id"] == fid:
                found.append((feature, layer.styles[feature["properties"]["k"]]))
    return found


def render(fmap) -> str:
    return fmap.get_root().render()


def test_one_leaflet_layer_per_registry_layer(layers):
    html = render(build_map(list(layers.values()), lang="vi", as_of=TODAY, basemap="none"))
    assert html.count("L.geoJson(") == len(layers)


def test_selection_adds_one_halo_layer_under_the_feature(layers):
    html = render(
        build_map(
            list(layers.values()),
            lang="vi",
            as_of=TODAY,
            basemap="none",
            selected="zone-cargo-transit",
        )
    )
    assert html.count("L.geoJson(") == len(layers) + 1
    assert "selected-zone-cargo-transit" in html
    groups = project_groups(
        [layers["zones"]], lang="vi", as_of=TODAY, selected="zone-cargo-transit"
    )
    (_, own), *_ = features_of(groups, "zone-cargo-transit")
    halo = features_of(groups, "selected-zone-cargo-transit")
    # The feature keeps its own status colour and dash; the halo is wider, in the
    # halo colours, keeps the dash (selecting must not make a shape look surveyed),
    # and lies in a pane under the feature's.
    assert own["color"] == style.status_colour("operational")
    assert own["dashArray"] == style.ACCURACY_DASH["schematic"]
    assert {s["color"] for _, s in halo} == {style.HALO_OUTER_COLOUR, style.HALO_INNER_COLOUR}
    assert all(s["weight"] > own["weight"] and not s["interactive"] for _, s in halo)
    assert {s["dashArray"] for _, s in halo} == {own["dashArray"]}
    halo_layer, zone_layer = data_layers(groups)[-1], data_layers(groups)[0]
    assert style.PANE_Z_INDEX[halo_layer.pane] < style.PANE_Z_INDEX[zone_layer.pane]


def test_selected_road_halo_follows_its_open_and_not_open_parts(layers):
    fid = "expressway-huu-nghi-chi-lang"
    groups = project_groups([layers["expressways"]], lang="vi", as_of=TODAY, selected=fid)
    own = sorted(s.get("dashArray") or "" for _, s in features_of(groups, fid))
    halo = sorted(s.get("dashArray") or "" for _, s in features_of(groups, f"selected-{fid}"))
    assert halo == sorted(own * 2)  # two bands per drawn piece, each with its dash


def test_points_are_drawn_above_lines_above_areas(layers):
    projects = [layer for layer in layers.values() if layer.spec.schema == "project"]
    groups = project_groups(projects, lang="en", as_of=TODAY)
    z = {layer.layer_name: style.PANE_Z_INDEX[layer.pane] for layer in data_layers(groups)}
    kinds = {layer.spec.title["en"]: layer.spec.geometry_kind for layer in projects}
    by_kind = {kind: {z[name] for name, k in kinds.items() if k == kind} for kind in kinds.values()}
    assert max(by_kind["polygon"]) < min(by_kind["line"])
    assert max(by_kind["line"]) < min(by_kind["point"])
    # Context layers lie under the project layers of their kind.
    for layer in layers.values():
        if layer.spec.schema == "context":
            kind = layer.spec.geometry_kind
            assert style.PANE_Z_INDEX[style.pane_name(kind, "context")] < min(by_kind[kind])
    # And the panes are made in the page, with these z-indices.
    html = render(build_map(list(layers.values()), lang="en", as_of=TODAY, basemap="none"))
    assert "createPane" in html and '"lsz-point-project":423' in html


def test_project_colour_is_the_status_colour_of_the_date(layers):
    projects = [layer for layer in layers.values() if layer.spec.schema == "project"]
    for day in (date(2024, 6, 1), TODAY):
        groups = project_groups(projects, lang="en", as_of=day)
        for layer in projects:
            for fid in layer.data.index:
                status = status_on(props_of(layer, fid), day)
                drawn = features_of(groups, fid)
                if status is None:
                    assert drawn == [], f"{fid} drawn before it had a status"
                else:
                    assert drawn, fid
                    assert {s["color"] for _, s in drawn} <= {
                        style.status_colour(status),
                        style.POINT_OUTLINE_COLOUR,
                    }
                    assert any(
                        s.get("fillColor", s["color"]) == style.status_colour(status)
                        for _, s in drawn
                    )


def test_road_open_part_is_solid_and_in_proportion(layers):
    road = layers["expressways"]
    fid = "expressway-huu-nghi-chi-lang"
    groups = project_groups([road], lang="vi", as_of=date(2026, 3, 1))
    drawn = features_of(groups, fid)
    solid = [f for f, s in drawn if "dashArray" not in s]
    dashed = [f for f, s in drawn if s.get("dashArray") == style.NOT_OPEN_DASH]
    assert len(solid) == 1 and len(dashed) == 1
    solid_km = length_km(shape(solid[0]["geometry"]))
    dashed_km = length_km(shape(dashed[0]["geometry"]))
    assert solid_km / (solid_km + dashed_km) == pytest.approx(50 / 59.87, abs=0.005)


def test_road_before_any_opening_is_all_dashed(layers):
    groups = project_groups([layers["expressways"]], lang="vi", as_of=date(2024, 6, 1))
    drawn = features_of(groups, "expressway-huu-nghi-chi-lang")
    assert [s.get("dashArray") for _, s in drawn] == [style.NOT_OPEN_DASH]


def test_road_before_its_approval_is_not_drawn(layers):
    groups = project_groups([layers["expressways"]], lang="vi", as_of=date(2023, 1, 1))
    assert features_of(groups, "expressway-huu-nghi-chi-lang") == []


def test_schematic_and_illustrative_zones_have_their_outline(layers):
    groups = project_groups([layers["zones"]], lang="vi", as_of=TODAY)
    for fid in layers["zones"].data.index:
        accuracy = layers["zones"].data.loc[fid, "geometry_accuracy"]
        dashes = {s.get("dashArray") for _, s in features_of(groups, fid)}
        assert dashes == {style.ACCURACY_DASH[accuracy]}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_tooltip_text_in_each_language(layers, lang):
    props = props_of(layers["zones"], "zone-cargo-transit")
    text = tooltip_text(props, "project", lang, TODAY)
    assert text.startswith(feature_name(props, lang))
    assert status_label("operational", lang) in text
    assert accuracy_label("schematic", lang) in text
    assert t("map.progress_unknown", lang) in text


def test_tooltips_in_the_map_follow_the_language(layers):
    for lang in LANGUAGES:
        groups = project_groups([layers["gates"]], lang=lang, as_of=TODAY)
        (feature, _), *_ = features_of(groups, "gate-huu-nghi")
        assert status_label("operational", lang) in feature["properties"]["tip"]


def test_road_tooltip_gives_open_length(layers):
    props = props_of(layers["expressways"], "expressway-huu-nghi-chi-lang")
    assert "50 of 59.87 km open" in tooltip_text(props, "project", "en", TODAY)


def test_search_filter_draws_only_given_features(layers):
    groups = project_groups([layers["gates"]], lang="vi", as_of=TODAY, feature_ids={"gate-chi-ma"})
    ids = {f["properties"]["id"] for layer in data_layers(groups) for f in layer.data["features"]}
    assert ids == {"gate-chi-ma"}


def test_map_loads_nothing_from_a_cdn(layers):
    html = render(build_map(list(layers.values()), lang="vi", as_of=TODAY, basemap="none"))
    sources = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert sources, "Leaflet must be referenced"
    assert all(src.startswith("/app/static/vendor/") for src in sources), sources
    assert "tile.openstreetmap" not in html


def test_online_basemap_uses_xyzservices_tiles(layers):
    html = render(build_map([layers["provinces"]], lang="vi", as_of=TODAY, basemap="osm"))
    assert "tile.openstreetmap.org" in html


def test_unknown_basemap_is_refused(layers):
    with pytest.raises(KeyError, match="unknown basemap 'satellite'"):
        build_map([layers["provinces"]], lang="vi", as_of=TODAY, basemap="satellite")


def test_markup_in_names_never_reaches_the_page_as_html(layers):
    zones = layers["zones"]
    data = zones.data.copy()
    data.loc["zone-cargo-transit", "name_en"] = "<img src=x onerror=alert(1)>"
    html = render(build_map([MapLayer(zones.spec, data)], lang="en", as_of=TODAY, basemap="none"))
    assert "<img src=x" not in html
    assert "textContent" in html and "innerHTML" not in html


def test_coordinates_are_rounded_for_the_browser(layers):
    groups = project_groups([layers["zones"]], lang="vi", as_of=TODAY)
    (feature, _), *_ = features_of(groups, "zone-cargo-transit")
    ring = feature["geometry"]["coordinates"][0]
    assert all(len(str(c).split(".")[-1]) <= style.COORDINATE_DECIMALS for xy in ring for c in xy)


def test_legend_lists_only_visible_layers_and_present_statuses(layers):
    only_context = legend_entries([layers["provinces"]], lang="en", as_of=TODAY)
    assert [e["label"] for e in only_context] == [layers["provinces"].spec.title["en"]]

    entries = legend_entries([layers["expressways"]], lang="en", as_of=TODAY)
    labels = [e["label"] for e in entries]
    assert t("legend.open", "en") in labels and t("legend.not_open", "en") in labels
    assert status_label("partly_open", "en") in labels
    assert status_label("operational", "en") not in labels
    colours = {e["label"]: e["colour"] for e in entries}
    assert colours[status_label("partly_open", "en")] == style.status_colour("partly_open")


def test_focus_view_fits_the_feature(layers):
    from geo.viewport import focus_view

    zone = layers["zones"].data.geometry["zone-cargo-transit"]
    (lat, lon), zoom = focus_view(zone)
    assert zone.bounds[1] <= lat <= zone.bounds[3] and zone.bounds[0] <= lon <= zone.bounds[2]
    assert 13 <= zoom <= 14  # a ~1.5 km zone
    road = layers["expressways"].data.geometry["expressway-dong-dang-tra-linh-1"]
    assert focus_view(road)[1] <= 10  # a ~90 km road


@pytest.mark.parametrize("lang", LANGUAGES)
def test_zones_and_gates_are_labelled_with_progress_or_status(layers, lang):
    groups = project_groups([layers["zones"], layers["gates"]], lang=lang, as_of=TODAY)
    labels = [label["text"] for layer in data_layers(groups) for label in layer.labels]
    assert len(labels) == len(layers["zones"].data) + len(layers["gates"].data)
    assert all(text.startswith("≈ ") for text in labels)  # nothing here is surveyed
    cargo = feature_name(props_of(layers["zones"], "zone-cargo-transit"), lang).split(" (")[0]
    prefix = f"≈ {cargo.split('（')[0]} · {status_label('operational', lang)} · "
    # The status carries the date of the source that set it (the opening, a day).
    opened = format_day(date(2024, 12, 11), lang)
    assert f"{prefix}{opened}" in labels


def test_roads_carry_no_permanent_label(layers):
    groups = project_groups([layers["expressways"]], lang="vi", as_of=TODAY)
    assert [label for layer in data_layers(groups) for label in layer.labels] == []


def test_base_map_uses_prepared_context_layers(layers):
    from geo.mapview import base_map, context_layer_data

    provinces = layers["provinces"]
    prepared = context_layer_data(provinces, lang="en")
    assert [f["properties"]["id"] for f in prepared.features] == list(provinces.data.index)
    prepared.features[0]["properties"]["tip"] = "prepared marker"
    html = render(
        base_map([provinces], lang="en", basemap="none", prepared={"provinces": prepared})
    )
    assert "prepared marker" in html
    fresh = render(base_map([provinces], lang="en", basemap="none"))
    assert "prepared marker" not in fresh


TEMPLATE_NAMES = ["Lô {{ 7*7 }}", "Lô {{ broken", "{% if true %}x{% endif %}", "{# c #}"]


def with_zone_name(layers, name: str) -> MapLayer:
    zones = layers["zones"]
    data = zones.data.copy()
    data.loc["zone-cargo-transit", "name_vi"] = name
    return MapLayer(zones.spec, data)


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_template_syntax_in_data_is_never_evaluated_in_the_page(layers, name):
    # branca parses rendered scripts again as Jinja templates.
    html = render(build_map([with_zone_name(layers, name)], lang="vi", as_of=TODAY, basemap="none"))
    assert "Lô 49" not in html
    tips = re.findall(r'"tip":"([^"]*)"', html)
    decoded = [json_text(tip) for tip in tips]
    assert any(tip.startswith(name) for tip in decoded), decoded


@pytest.mark.parametrize("name", TEMPLATE_NAMES)
def test_template_syntax_in_data_survives_the_st_folium_path(layers, name):
    import streamlit_folium

    fmap = build_map([], lang="vi", as_of=TODAY, basemap="none")
    fmap.get_root().render()
    groups = project_groups([with_zone_name(layers, name)], lang="vi", as_of=TODAY)
    script = "".join(
        streamlit_folium._get_feature_group_string(group, fmap, i) for i, group in enumerate(groups)
    )
    assert any(json_text(tip).startswith(name) for tip in re.findall(r'"tip":"([^"]*)"', script))


def json_text(escaped: str) -> str:
    """Decode the body of a JSON string literal."""
    import json

    return json.loads(f'"{escaped}"')


# --------------------------------------------------------------------------- palette

#: Machado, Oliveira & Fernandes (2009), severity 1.0, applied to linear RGB.
CVD_MATRICES = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}
MIN_DELTA_E = 20.0  # CIE76; ~2.3 is "just noticeable", 20 is plainly different


def simulated_lab(colour: str, vision: str) -> tuple[float, float, float]:
    """CIELAB (D65) of ``#rrggbb`` as seen with ``vision``."""
    srgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
    sim = [
        min(1.0, max(0.0, sum(m * c for m, c in zip(row, lin, strict=True))))
        for row in CVD_MATRICES[vision]
    ]
    r, g, b = sim
    xyz = (
        (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047,
        0.2126 * r + 0.7152 * g + 0.0722 * b,
        (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883,
    )
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz]
    return (116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2]))


def delta_e(a: str, b: str, vision: str) -> float:
    la, lb = simulated_lab(a, vision), simulated_lab(b, vision)
    return sum((x - y) ** 2 for x, y in zip(la, lb, strict=True)) ** 0.5


def test_simulation_confuses_what_colour_blind_viewers_confuse():
    # The check must be able to fail. The old palette's national-road orange and
    # "under construction" orange (the complaint) differ for normal vision
    # and collapse under deuteranopia; its green "operational" and red "under
    # construction" collapse under protanopia.
    assert delta_e("#e67700", "#d9480f", "normal") > MIN_DELTA_E
    assert delta_e("#e67700", "#d9480f", "deuteranopia") < MIN_DELTA_E
    assert delta_e("#2b8a3e", "#d9480f", "normal") > 60
    assert delta_e("#2b8a3e", "#d9480f", "protanopia") < MIN_DELTA_E


@pytest.mark.parametrize("vision", CVD_MATRICES)
def test_status_colours_stay_apart_for_colour_blind_viewers(vision):
    colours = style.STATUS_COLOURS
    for a, b in itertools.combinations(colours, 2):
        assert delta_e(colours[a], colours[b], vision) >= MIN_DELTA_E, (a, b, vision)
    for status, colour in colours.items():
        assert delta_e(colour, style.MAP_BACKGROUND, vision) >= MIN_DELTA_E, (status, vision)


@pytest.mark.parametrize("vision", CVD_MATRICES)
def test_context_styles_never_imitate_a_status(vision):
    status_dashes = {style.NOT_OPEN_DASH, *filter(None, style.ACCURACY_DASH.values())}
    for key, layer_style in style.LAYER_STYLES.items():
        if layer_style.by_status:
            continue
        for status, colour in style.STATUS_COLOURS.items():
            assert delta_e(layer_style.colour, colour, vision) >= MIN_DELTA_E, (key, status)
        # A dashed context line would read as "not yet open" or "not surveyed".
        assert layer_style.dash not in status_dashes, key


# --------------------------------------------------------------------------- overlay


def overlay_options(html: str) -> dict:
    import json

    (options,) = re.findall(r"var opts = (\{.*?\});\n", html)
    return json.loads(options)


def test_map_credits_name_the_source_of_every_drawn_layer(layers):
    html = render(build_map(list(layers.values()), lang="en", as_of=TODAY, basemap="none"))
    (context_credits,) = re.findall(r"\n\s*(\[.*?\])\.forEach\(function \(text\)", html)
    import json

    shown = json.loads(context_credits) + overlay_options(html)["credits"]
    for layer in layers.values():
        assert layer.credits, layer.spec.id  # every shipped layer declares its credits
        assert set(layer.credits) <= set(shown), layer.spec.id


def test_a_layer_without_declared_credits_is_credited_by_its_source_and_licence(layers):
    bare = replace(layers["railways"], credits=())
    html = render(build_map([bare], lang="en", as_of=TODAY, basemap="none"))
    assert f"{bare.spec.source} ({bare.spec.licence})" in html


def test_on_map_legend_is_the_legend_of_the_visible_layers(layers):
    visible = [layers["zones"], layers["expressways"], layers["railways"]]
    html = render(build_map(visible, lang="vi", as_of=TODAY, basemap="none"))
    legend = overlay_options(html)["legend"]
    assert legend["title"] == t("legend.title", "vi")
    assert legend["entries"] == legend_entries(visible, lang="vi", as_of=TODAY)
    assert legend["note"] == t("legend.road_split_note", "vi")  # a road is visible
    assert "textContent" in html and "innerHTML" not in html


def test_the_map_fits_the_selection_else_what_is_drawn(layers):
    from geo.viewport import fit_bounds

    gates = layers["gates"]
    html = render(
        build_map([gates], lang="en", as_of=TODAY, basemap="none", feature_ids={"gate-chi-ma"})
    )
    west, south, east, north = gates.data.geometry[["gate-chi-ma"]].total_bounds
    assert overlay_options(html)["fit"]["bounds"] == [[south, west], [north, east]]
    # Over several layers, the box holds every feature asked for and no other.
    zones = layers["zones"]
    ids = {gates.data.index[0], zones.data.index[-1]}
    (s, w), (n, e) = fit_bounds([gates, zones], ids)
    for layer in (gates, zones):
        for fid in ids & set(layer.data.index):
            minx, miny, maxx, maxy = layer.data.geometry[fid].bounds
            assert w <= minx and maxx <= e and s <= miny and maxy <= n
    assert fit_bounds([gates, zones], {"no-such-feature"}) is None


@pytest.mark.parametrize("layer_id", ["railways", "zones"])  # a context and a project layer
def test_map_credits_are_in_the_map_language_where_a_credit_is_translated(layers, layer_id):
    import json

    texts = {"vi": "tệp mẫu (không rõ giấy phép)", "en": "seed file (licence not known)"}
    texts["zh"] = "种子文件（许可不详）"
    layer = replace(
        layers[layer_id],
        credits=(texts["en"],),
        credits_by_lang={lang: (text,) for lang, text in texts.items()},
    )
    for lang, text in texts.items():
        html = render(build_map([layer], lang=lang, as_of=TODAY, basemap="none"))
        (context_credits,) = re.findall(r"\n\s*(\[.*?\])\.forEach\(function \(text\)", html)
        shown = json.loads(context_credits) + overlay_options(html)["credits"]
        assert text in shown and all(t not in shown for t in texts.values() if t != text)
