"""Data tests: every text of the shipped layers that the UI shows is in every language.

The validator (``geo.field_checks``, ``geo.indicators``) refuses a missing translation; these tests
read the shipped files directly, so they also catch a text that is present but still a copy
of the English, or Vietnamese that is not NFC.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from geo.i18n import LANGUAGES, text_fields
from geo.registry import load_registry

LAYERS = Path(__file__).resolve().parents[1] / "layers"
REGISTRY = load_registry(LAYERS / "registry.json")

#: The texts of a feature, a progress_history entry, an unmapped item and an indicator.
FEATURE_TEXTS = ("accuracy_note",)
PROJECT_TEXTS = ("progress_note", "note")
HISTORY_TEXTS = ("note",)
UNMAPPED_TEXTS = ("location_note", "note")
INDICATOR_TEXTS = ("scope", "note")

#: Gates whose Chinese name is left null, and why (layers/README.md says so too).
GATES_WITHOUT_CHINESE_NAME = {
    # No source gives a Chinese name for Cốc Nam nor for its partner Lũng Vài ('Lộng Hoài').
    "gate-coc-nam",
}
TOWNS_WITHOUT_CHINESE_NAME = {
    # Đồng Mỏ: no established Chinese rendering is known to us.
    "town-dong-mo",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _records() -> Iterator[tuple[str, dict[str, Any], tuple[str, ...]]]:
    """Yield (where, record, text names) for every record of the shipped data."""
    for spec in REGISTRY.layers:
        doc = json.loads(spec.file.read_text(encoding="utf-8"))
        for feature in doc["features"]:
            props = feature["properties"]
            where = f"{spec.file.name}: {props['id']}"
            names = FEATURE_TEXTS + (PROJECT_TEXTS if spec.schema == "project" else ())
            yield where, props, names
            for i, entry in enumerate(props.get("progress_history", [])):
                yield f"{where} progress_history[{i}]", entry, HISTORY_TEXTS
    for item in json.loads((LAYERS / "unmapped.json").read_text(encoding="utf-8"))["items"]:
        yield f"unmapped.json: {item['id']}", item, UNMAPPED_TEXTS
    doc = json.loads((LAYERS / "indicators.json").read_text(encoding="utf-8"))
    for item in doc["indicators"]:
        yield f"indicators.json: {item['id']}", item, INDICATOR_TEXTS


RECORDS = list(_records())


def _texts() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for where, record, names in RECORDS:
        for name in names:
            yield where, name, {lang: record.get(f"{name}_{lang}") for lang in LANGUAGES}


def test_every_text_is_in_every_language_or_null_in_all():
    bad = []
    for where, name, texts in _texts():
        if all(v is None for v in texts.values()):
            continue
        for lang, value in texts.items():
            if not (isinstance(value, str) and value.strip()):
                bad.append(f"{where} {name}_{lang}: {value!r}")
    assert not bad, bad


def test_no_text_is_stored_under_its_old_single_language_name():
    old = [
        f"{where}: {name}" for where, record, names in RECORDS for name in names if name in record
    ]
    assert not old, old


def test_translations_are_not_copies_of_the_english():
    copies = [
        f"{where} {name}_{lang}"
        for where, name, texts in _texts()
        if texts["en"] is not None
        for lang in ("vi", "zh")
        if texts[lang] == texts["en"]
    ]
    assert not copies, copies


def test_chinese_texts_are_written_in_chinese():
    latin_only = [
        f"{where} {name}_zh"
        for where, name, texts in _texts()
        if texts["zh"] is not None and not _CJK.search(texts["zh"])
    ]
    assert not latin_only, latin_only


def test_every_text_and_name_is_nfc():
    not_nfc = [
        f"{where} {key}"
        for where, record, _ in RECORDS
        for key, value in record.items()
        if isinstance(value, str) and unicodedata.normalize("NFC", value) != value
    ]
    assert not not_nfc, not_nfc


def test_every_milestone_label_is_in_every_language():
    missing = [
        f"{where} milestones[{i}] label_{lang}"
        for where, record, _ in RECORDS
        for i, m in enumerate(record.get("milestones", []))
        for lang in LANGUAGES
        if not (isinstance(m.get(f"label_{lang}"), str) and m[f"label_{lang}"].strip())
    ]
    assert not missing, missing


def test_every_gate_town_and_named_road_has_a_chinese_name_unless_none_is_established():
    unnamed = set()
    for spec in REGISTRY.layers:
        if spec.id not in (
            "gates",
            "towns",
            "national_roads",
            "cargo_roads",
            "expressways",
            "road_upgrades",
        ):
            continue
        doc = json.loads(spec.file.read_text(encoding="utf-8"))
        unnamed |= {
            f["properties"]["id"] for f in doc["features"] if not f["properties"]["name_zh"]
        }
    assert unnamed == GATES_WITHOUT_CHINESE_NAME | TOWNS_WITHOUT_CHINESE_NAME


def test_the_partner_port_is_in_the_chinese_gate_name_where_a_source_names_it():
    doc = json.loads((LAYERS / "gates.geojson").read_text(encoding="utf-8"))
    names = {f["properties"]["id"]: f["properties"]["name_zh"] for f in doc["features"]}
    assert "友谊关" in names["gate-huu-nghi"]
    assert "浦寨" in names["gate-tan-thanh"]
    assert "爱店" in names["gate-chi-ma"]
    assert "平而关" in names["gate-binh-nghi"]


def test_text_fields_names_the_three_languages_in_order():
    assert text_fields("scope") == ("scope_vi", "scope_en", "scope_zh")
