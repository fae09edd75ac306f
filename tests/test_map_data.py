"""geo.map_data: what the map sends to the browser, serialised safely (no folium)."""

from __future__ import annotations

import json

from shapely.geometry import Point

from geo.map_data import LayerData, script_json


def json_text(escaped: str) -> str:
    """Decode the body of a JSON string literal."""
    return json.loads(f'"{escaped}"')


def test_script_json_escapes_html_and_template_openers():
    text = script_json({"a": "</script><img src=x>'&", "b": "{{x}} {%y%} {#z#}"})
    for raw in ("</script", "<img", "'", "&", "{{", "{%", "{#"):
        assert raw not in text
    assert json_text(text[6:].split('","b":"')[0]) == "</script><img src=x>'&"


def test_layer_data_keeps_one_style_entry_per_distinct_style():
    data = LayerData()
    data.add(Point(106.7, 21.9), {"id": "a"}, {"color": "#111", "weight": 2})
    data.add(Point(106.8, 22.0), {"id": "b"}, {"weight": 2, "color": "#111"})
    data.add(Point(106.9, 22.1), {"id": "c"}, {"color": "#222", "weight": 2})
    assert [f["properties"]["k"] for f in data.features] == [0, 0, 1]
    assert len(data.styles) == 2
