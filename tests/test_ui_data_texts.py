"""The panel and the dashboard show each data text in the UI's language (fixture layer set)."""

from __future__ import annotations

import json
import shutil
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


NOTE = {
    "vi": "Chưa tìm thấy nhà đầu tư (dữ liệu kiểm thử).",
    "en": "Investor not found (fixture).",
    "zh": "未找到投资者（测试数据）。",
}
SCOPE = {
    "vi": "chỉ hàng khai báo tại hải quan (dữ liệu kiểm thử)",
    "en": "declared goods only (fixture)",
    "zh": "仅在海关申报的货物（测试数据）",
}


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Path:
    """A copy of tests/data with a note on zone-valid and one valid indicator beside it."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    path = copy / "valid_zone.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["features"][0]["properties"].update({f"note_{k}": v for k, v in NOTE.items()})
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    indicator = {
        "id": "fixture_turnover",
        "label": {"vi": "Kim ngạch", "en": "Turnover", "zh": "进出口额"},
        "value": 1.5,
        "value_low": None,
        "unit": "bn_usd",
        "change_pct": None,
        "period": "2024",
        "date": "2024-12-31",
        "date_precision": "year",
        "target": False,
        **{f"scope_{k}": v for k, v in SCOPE.items()},
        "source": "fixture-src",
        **{f"note_{k}": v for k, v in NOTE.items()},
    }
    (copy / "indicators.json").write_text(
        json.dumps({"indicators": [indicator]}, ensure_ascii=False), encoding="utf-8"
    )
    return copy / "registry.json"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_panel_shows_the_note_in_the_ui_language(fixture_copy, lang):
    at = AppTest.from_function(
        _panel, args=(str(fixture_copy), "zone-valid", lang), default_timeout=60
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = shown(at)
    assert NOTE[lang] in text
    assert all(NOTE[other] not in text for other in LANGUAGES if other != lang)


def _trade(registry: str, lang: str) -> None:
    from pathlib import Path

    from ui.dashboard import _trade_table
    from ui.data import load_app_data

    _trade_table(load_app_data(Path(registry)), lang)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_dashboard_shows_indicator_scope_and_note_in_the_ui_language(fixture_copy, lang):
    at = AppTest.from_function(_trade, args=(str(fixture_copy), lang), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (table,) = at.dataframe
    cells = set(table.value.astype(str).to_numpy().ravel())
    assert {SCOPE[lang], NOTE[lang]} <= cells
    assert not cells & {SCOPE[o] for o in LANGUAGES if o != lang}
