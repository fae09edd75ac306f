"""Markup in any text of the data is shown as text, in every element and every language.

Every free text of a copy of ``layers/`` (names, notes, milestone labels, investor,
source titles and publishers, credits, indicator scopes and notes, layer titles,
distance-target labels) is replaced by :data:`MARKUP`. The app must load all of it
(no test passes because loading failed first), show it, and never let Streamlit
render it: an element that renders Markdown (text, captions, alerts, headings,
widget labels, table cells) may hold it only escaped.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from geo.i18n import LANGUAGES
from geo.text import escape_markdown
from ui.data import REGISTRY_ENV
from ui.state import LANGUAGE_WIDGET_KEY, view_key

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
MARKUP = "**b** [x](http://example.invalid) ![i](http://example.invalid/i.png) <b>x</b>"
#: What Markdown or HTML would act on: none may reach a rendering element unescaped.
ACTIVE = ("**b**", "[x](", "![i](", "<b>x</b>")
#: Free texts: every language variant of these fields (and a few single ones).
TEXT_FIELD = re.compile(
    r"^(name|accuracy_note|progress_note|note|label|scope|credit|location_note)_(vi|en|zh)$"
    r"|^(investor|title|publisher|credit|period|source)$"
)


def poison(value: Any, *, in_registry: bool = False) -> Any:
    """Replace every free text in ``value`` (a parsed JSON document) by MARKUP."""
    if isinstance(value, list):
        return [poison(v, in_registry=in_registry) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        text_key = TEXT_FIELD.match(key) and (key != "source" or in_registry)
        if isinstance(item, str) and text_key and item:
            out[key] = MARKUP
        elif in_registry and key in ("title", "label") and isinstance(item, dict):
            out[key] = {lang: MARKUP for lang in item}  # titles and labels by language
        else:
            out[key] = poison(item, in_registry=in_registry)
    return out


@pytest.fixture(scope="module")
def markup_layers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("markup") / "layers"
    shutil.copytree(ROOT / "layers", copy)
    for path in [*copy.glob("*.json"), *copy.glob("*.geojson")]:
        doc = json.loads(path.read_text(encoding="utf-8"))
        if path.name == "sources.json":
            doc = {sid: poison(source) for sid, source in doc.items()}
        elif path.name == "registry.json":
            doc = poison(doc, in_registry=True)
        else:
            doc = poison(doc)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return copy / "registry.json"


@pytest.fixture
def app_on(markup_layers: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv(REGISTRY_ENV, str(markup_layers))

    def run(**query: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=120)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]  # every layer loaded
        return at

    return run


def rendered_texts(at: AppTest) -> list[tuple[str, str]]:
    """(where, text) of everything Streamlit renders as Markdown on the page."""
    found: list[tuple[str, str]] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "warning", "info"):
        found += [(kind, str(e.value)) for e in getattr(at, kind)]
    found += [("success", str(e.value)) for e in at.success]
    for kind in ("checkbox", "selectbox", "multiselect", "radio", "slider", "text_input"):
        for widget in getattr(at, kind):
            found.append((f"{kind} label", str(widget.label)))
            if getattr(widget, "help", None):
                found.append((f"{kind} help", str(widget.help)))
    for table in at.table:
        found += [("table cell", str(v)) for v in table.value.to_numpy().ravel()]
    return found


def assert_literal(at: AppTest) -> None:
    shown = rendered_texts(at)
    for where, text in shown:
        for token in ACTIVE:
            assert token not in text, f"{where} renders {token!r}: {text[:200]!r}"
    assert any(escape_markdown(MARKUP) in text for _, text in shown), "the markup was not shown"


def project_ids(markup_layers: Path) -> list[str]:
    """One feature of each project layer of the copy (each layer's panel differs)."""
    registry = json.loads(markup_layers.read_text(encoding="utf-8"))
    ids = []
    for entry in registry["layers"]:
        if entry.get("schema") == "project":
            doc = json.loads((markup_layers.parent / entry["file"]).read_text(encoding="utf-8"))
            ids.append(doc["features"][0]["properties"]["id"])
    return ids


@pytest.mark.parametrize("lang", LANGUAGES)
def test_markup_in_data_is_shown_literally_on_every_panel(app_on, markup_layers, lang):
    assert_literal(app_on(lang=lang))
    for fid in project_ids(markup_layers):
        # By link: every project's name is the same markup, so the picker cannot tell them.
        at = app_on(lang=lang, feature=fid)
        assert at.session_state[view_key("feature")] == fid
        assert_literal(at)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_markup_in_data_is_shown_literally_on_the_dashboard(app_on, lang):
    at = app_on(lang=lang, page="dashboard")
    assert_literal(at)
    assert at.dataframe or at.table  # the indicators are on the page


def test_the_language_switch_keeps_markup_literal(app_on):
    at = app_on(lang="vi")
    for lang in ("zh", "en"):
        at.selectbox(key=LANGUAGE_WIDGET_KEY).set_value(lang).run()
        assert_literal(at)
