"""Shared pieces of the app tests: invented features, the files the app reads, checked runs.

The panel, investor and store edit tests each build a tiny invented layer set; the feature
builders (:func:`project`, :func:`milestone`, :func:`texts`), the registry entry and the
writer of the layer folder (:func:`write_layer_set`, pointed at with ``$LSZ_REGISTRY``) live
here so that a change of the data model is made once. Names, shapes, dates and figures are
invented; they sit near Đồng Đăng only so that they pass the area-of-use checks.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from streamlit.testing.v1 import AppTest

from geo.i18n import LANGUAGES

#: The app's entry script, for ``AppTest.from_file``.
APP: Final = str(Path(__file__).resolve().parent.parent / "app.py")
#: The fixture's ``sources.json``: one source with an address, one on paper only.
SOURCES = {
    "src-web": {
        "title": "Fixture article with an address",
        "publisher": "example.org",
        "date": "2025-03-04",
        "url": "https://example.org/fixture-article",
    },
    "src-paper": {
        "title": "Fixture decision on paper",
        "publisher": "Fixture committee",
        "date": None,
        "url": None,
    },
}
_CRS84 = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}


def texts(field: str, text: str | None) -> dict[str, str | None]:
    """Return a data text in every language: ``text`` in English, tagged with the language."""
    return {
        f"{field}_{lang}": None if text is None else (text if lang == "en" else f"{text} ({lang})")
        for lang in LANGUAGES
    }


def milestone(
    day: str,
    kind: str,
    label: str,
    status: str | None = None,
    source: str = "src-web",
    precision: str = "day",
) -> dict:
    return {
        "date": day,
        "date_precision": precision,
        "kind": kind,
        "label_vi": f"{label} (vi)",
        "label_en": label,
        "label_zh": f"{label} (zh)",
        "status": status,
        "source": source,
    }


def no_figures() -> dict[str, Any]:
    """Return a project's dated and sourced figures, all empty: no history, milestone or figure."""
    return {
        "progress_history": [],
        "milestones": [],
        "area_ha": None,
        "area_source": None,
        "length_km": None,
        "length_source": None,
        "open_length_km": None,
        "investment_vnd_bn": None,
        "investment_source": None,
        "investor": None,
        "investor_source": None,
    }


def project(fid: str, kind: str, accuracy: str, geometry: dict, **props: Any) -> dict:
    """An invented project feature with every field of the project schema."""
    base = {
        "id": fid,
        "name_vi": f"{fid} vi",
        "name_en": f"{fid} en",
        "name_zh": f"{fid} zh",
        "geometry_accuracy": accuracy,
        **texts("accuracy_note", f"Invented {accuracy} shape (fixture)."),
        "sources": ["src-web"],
        "kind": kind,
        "status": "operational",
        "progress_pct": None,
        "progress_as_of": None,
        "progress_source": None,
        **texts("progress_note", "No figure published (fixture)."),
        **no_figures(),
        **texts("note", None),
    }
    base.update(props)
    return {"type": "Feature", "properties": base, "geometry": geometry}


def polygon(ring: list[list[float]]) -> dict:
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def point(coords: list[float]) -> dict:
    return {"type": "Point", "coordinates": coords}


def registry_entry(
    layer_id: str, kind: str, group: str, style: str, schema: str = "project"
) -> dict[str, Any]:
    """The registry entry of a fixture layer kept in ``<layer_id>.geojson``."""
    return {
        "id": layer_id,
        "title": {lang: f"{layer_id} {lang}" for lang in LANGUAGES},
        "file": f"{layer_id}.geojson",
        "geometry_kind": kind,
        "group": group,
        "style": style,
        "visible": True,
        "schema": schema,
        "source": "test fixture",
        "licence": "CC0-1.0",
    }


def write_layer_set(
    folder: Path,
    layers: Mapping[str, list[dict]],
    meta: Mapping[str, tuple[str, str, str, str]],
    *,
    distance_targets: Sequence[dict] = (),
    indicators: Sequence[dict] = (),
) -> Path:
    """Write the registry, the layers, sources.json and indicators.json; return the registry.

    ``meta`` gives each layer's geometry kind, group, style and schema.
    """
    folder.mkdir(parents=True, exist_ok=True)
    entries = []
    for layer_id, features in layers.items():
        doc = {"type": "FeatureCollection", "name": layer_id, "crs": _CRS84, "features": features}
        (folder / f"{layer_id}.geojson").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
        entries.append(registry_entry(layer_id, *meta[layer_id]))
    registry = {"layers": entries, "distance_targets": list(distance_targets)}
    (folder / "registry.json").write_text(json.dumps(registry), "utf-8")
    (folder / "sources.json").write_text(json.dumps(SOURCES), "utf-8")
    (folder / "indicators.json").write_text(json.dumps({"indicators": list(indicators)}), "utf-8")
    return folder / "registry.json"


def run(at: AppTest) -> AppTest:
    """Run the app script; fail with the exceptions it raised, if any."""
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def plain(text: str) -> str:
    """Markdown source without the escapes the app adds to quoted text."""
    return text.replace("\\", "")
