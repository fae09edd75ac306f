"""The detail panel shows each data text in the UI's language (on the fixture layer set)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from geo.i18n import LANGUAGES

DATA = Path(__file__).resolve().parent / "data"
ZONE = json.loads((DATA / "valid_zone.geojson").read_text(encoding="utf-8"))["features"][0]


def _panel(registry: str, feature_id: str, lang: str) -> None:
    from datetime import date
    from pathlib import Path

    from ui.data import load_app_data
    from ui.detail import detail_panel

    detail_panel(load_app_data(Path(registry)), feature_id, lang, date(2026, 2, 28))


def run_panel(feature_id: str, lang: str) -> AppTest:
    at = AppTest.from_function(
        _panel, args=(str(DATA / "registry.json"), feature_id, lang), default_timeout=60
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    parts = [e.value for e in at.caption] + [e.value for e in at.warning]
    parts += [e.value for e in at.markdown]
    # The panel escapes Markdown in data texts; compare the texts without the escapes.
    return "\n".join(str(p) for p in parts).replace("\\", "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_panel_shows_the_accuracy_and_progress_notes_in_the_ui_language(lang):
    props = ZONE["properties"]
    text = shown(run_panel(props["id"], lang))
    assert props[f"accuracy_note_{lang}"] in text
    assert props[f"progress_note_{lang}"] in text
    for other in LANGUAGES:
        if other != lang:
            assert props[f"accuracy_note_{other}"] not in text
            assert props[f"progress_note_{other}"] not in text


def test_the_chinese_panel_shows_chinese_and_the_vietnamese_panel_vietnamese():
    zh = shown(run_panel("zone-valid", "zh"))
    vi = shown(run_panel("zone-valid", "vi"))
    assert "测试数据：同登附近的虚构形状；位置没有意义。" in zh
    assert "Dữ liệu kiểm thử: hình bịa đặt gần Đồng Đăng; vị trí không có ý nghĩa." in vi
    assert "测试数据" not in vi and "Dữ liệu kiểm thử" not in zh
