"""The sidebar's "Colour by" choice through AppTest: the link, a language switch, the panel.

What the map draws for each choice is tested without Streamlit in ``test_freshness_map.py``;
here the choice must reach the map's legend, stay through a language switch and round-trip
through the address bar. No shipped id or figure is named: the project selected is the
first the picker offers.
"""

from __future__ import annotations

import json
import re

from geo import style
from geo.feature_text import age_class_label
from geo.freshness import AGE_CLASSES
from geo.i18n import t
from tests.test_app import alerts, map_legend, picker_options, query, run_app, wk
from ui.state import LANGUAGE_WIDGET_KEY


def legend_entries(at) -> list[dict]:
    (component,) = at.get("component_instance")
    script = json.loads(component.proto.json_args)["feature_group"]
    (options,) = re.findall(r"var opts = (\{.*?\});\n", script)
    return json.loads(options)["legend"]["entries"]


def test_colour_by_age_goes_to_the_link_and_survives_language_switches():
    at = run_app()
    assert at.radio(key=wk(at, "colour_by")).value == "status"
    assert "colour" not in query(at)
    at.radio(key=wk(at, "colour_by")).set_value("age").run()
    assert query(at)["colour"] == "age"
    legend = map_legend(at)
    assert legend[0].startswith(t("legend.age_heading", "vi", date="").strip())
    age_labels = {age_class_label(c, "vi") for c in AGE_CLASSES}
    assert age_labels & set(legend)
    colours = {e["colour"] for e in legend_entries(at) if e["label"] in age_labels}
    assert colours and colours <= set(style.AGE_COLOURS.values())

    for lang in ("en", "zh", "vi", "en"):
        at.selectbox(key=LANGUAGE_WIDGET_KEY).set_value(lang).run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.radio(key=wk(at, "colour_by")).value == "age"
        assert query(at)["colour"] == "age"
        assert {age_class_label(c, lang) for c in AGE_CLASSES} & set(map_legend(at))

    again = run_app(query(at))
    assert again.radio(key=wk(again, "colour_by")).value == "age"
    assert query(again) == query(at)
    again.radio(key=wk(again, "colour_by")).set_value("status").run()
    assert "colour" not in query(again)
    assert not {age_class_label(c, "en") for c in AGE_CLASSES} & set(map_legend(again))


def test_an_unknown_colouring_in_the_link_is_named_and_status_is_used():
    at = run_app({"colour": "rainbow", "lang": "en"})
    assert "rainbow" in alerts(at.warning)
    assert at.radio(key=wk(at, "colour_by")).value == "status"


def test_the_panel_says_how_old_the_latest_figure_is():
    at = run_app({"lang": "en"})
    first = next(fid for fid in picker_options(at) if fid)
    at.selectbox(key=wk(at, "feature")).set_value(first).run()
    captions = [str(c.value).replace("\\", "") for c in at.caption]
    assert [c for c in captions if c.startswith("Latest figure: ")], captions
