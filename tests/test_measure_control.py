"""The measuring tool's Python side: its labels, units and assets (the browser test measures)."""

from __future__ import annotations

import re

import folium
import pytest

from geo.i18n import LANGUAGES, t
from geo.mapview import DEFAULT_ASSET_BASE_URL, base_map
from geo.measure_control import (
    GEODESIC_SCRIPT,
    HA_FROM_M2,
    KM_FROM_M,
    LABEL_KEYS,
    UNIT_DECIMALS,
    add_measure_control,
    measure_config,
)
from tests.test_vendored_assets import DIRS, pinned

VENDOR = DIRS["PACKAGES"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_label_is_the_catalogue_s_in_that_language(lang):
    config = measure_config(lang)
    assert config["locale"] == lang
    assert config["labels"] == {name: t(key, lang) for name, key in LABEL_KEYS.items()}
    for unit in ("m", "km", "m2", "ha"):  # the browser puts the number where {value} is
        assert config["labels"][unit].count("{value}") == 1, (lang, unit)
    for result in ("distanceValue", "areaValue"):
        assert config["labels"][result].count("{value}") == 1, (lang, result)


def test_units_switch_at_a_kilometre_and_a_hectare_with_metre_precision():
    config = measure_config("en")
    assert (config["kmFromM"], config["haFromM2"]) == (KM_FROM_M, HA_FROM_M2) == (1e3, 1e4)
    # km to 3 decimals is a metre, ha to 4 decimals a square metre: the larger unit
    # never shows less than the smaller one did just under the switch.
    assert config["decimals"] == UNIT_DECIMALS == {"m": 1, "km": 3, "m2": 0, "ha": 4}


def test_the_map_loads_the_vendored_geodesic_library_and_nothing_from_elsewhere():
    fmap = base_map([], lang="en", basemap="none")
    add_measure_control(fmap, "en", DEFAULT_ASSET_BASE_URL)
    html = fmap.get_root().render()
    assert f'src="{DEFAULT_ASSET_BASE_URL}/{GEODESIC_SCRIPT}"' in html
    assert html.index("leaflet/leaflet.js") < html.index(GEODESIC_SCRIPT)
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', html)
    assert html.count("window.lszMeasures =") == 1 and "map.lszMeasure = api" in html


def test_the_vendored_library_is_the_pinned_release():
    (spec,) = [s for s in pinned("PACKAGES") if s["name"] == "geographiclib-geodesic"]
    script = (VENDOR / GEODESIC_SCRIPT).read_text(encoding="utf-8")
    assert f'c.version_string="{spec["version"]}"' in script
    assert spec["licence"] == "MIT"
    licence = (VENDOR / "geographiclib-geodesic" / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("The MIT License (MIT).")


def test_the_geodesic_script_is_loaded_once_per_map():
    fmap = folium.Map(tiles=None)
    add_measure_control(fmap, "vi", DEFAULT_ASSET_BASE_URL)
    add_measure_control(fmap, "vi", DEFAULT_ASSET_BASE_URL)
    assert [name for name, _ in fmap.default_js].count("geographiclib_geodesic") == 1
