"""The drawing map's Python side: one tool per kind, texts, assets, and what it returns."""

from __future__ import annotations

import json
import re

import pytest
from shapely import LineString, Point, box

from geo.draw_map import (
    DRAW_CSS,
    DRAW_SCRIPT,
    DRAW_TEXTS,
    DRAW_TOOLS,
    draw_map,
    draw_options,
    draw_texts,
    drawn_geometry,
)
from geo.feature_edits import parse_geometry
from geo.i18n import LANGUAGES
from geo.mapview import DEFAULT_ASSET_BASE_URL
from tests.test_vendored_assets import DIRS

LEAFLET_DRAW = DIRS["PACKAGES"] / "leaflet-draw" / "leaflet.draw.js"


@pytest.mark.parametrize("kind", sorted(DRAW_TOOLS))
def test_each_kind_gets_only_its_own_tool_and_no_spherical_figures(kind):
    options = draw_options(kind)
    (tool,) = [name for name, value in options.items() if value]
    assert tool == DRAW_TOOLS[kind]
    if kind != "point":
        assert options[tool]["allowIntersection"] is False
        assert options[tool]["showArea"] is options[tool]["showLength"] is False


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_toolbar_text_is_in_the_catalogue_and_names_a_leaflet_draw_text(lang):
    texts = draw_texts(lang)
    assert set(texts) == set(DRAW_TEXTS) and all(texts.values())
    plugin = LEAFLET_DRAW.read_text(encoding="utf-8")
    for path in DRAW_TEXTS:  # a misspelt path would add a text leaflet-draw never shows
        assert f"{path.rsplit('.', 1)[-1]}:" in plugin, path
    assert not any(re.search(r"<[a-z]", text) for text in texts.values())  # written as HTML


@pytest.mark.parametrize(
    ("shape", "kind"),
    [
        (box(106.70, 21.90, 106.71, 21.91), "polygon"),
        (LineString([(106.7, 21.9), (106.8, 21.95)]), "line"),
        (Point(106.7, 21.9), "point"),
    ],
)
def test_the_map_holds_the_shape_and_loads_only_vendored_files(shape, kind):
    html = draw_map(shape, kind, lang="vi", basemap="none").get_root().render()
    assert f'src="{DEFAULT_ASSET_BASE_URL}/{DRAW_SCRIPT}"' in html
    assert f'href="{DEFAULT_ASSET_BASE_URL}/{DRAW_CSS}"' in html
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html)
    options = json.loads(re.search(r"var opts = (\{.*?\});\n", html)[1])
    assert parse_geometry(options["shape"], where="map").equals(shape)
    assert options["tool"] == DRAW_TOOLS[kind]


def test_the_last_drawing_becomes_the_shape_field_s_text():
    first = {"type": "Point", "coordinates": [106.7, 21.9]}
    second = {
        "type": "Polygon",
        "coordinates": [[[106.7, 21.9], [106.8, 21.9], [106.8, 22.0], [106.7, 21.9]]],
    }
    value = {"all_drawings": [{"geometry": first}, {"type": "Feature", "geometry": second}]}
    assert json.loads(drawn_geometry(value)) == second
    assert drawn_geometry({"all_drawings": None}) is None
    assert drawn_geometry({"all_drawings": [{"geometry": None}]}) is None
