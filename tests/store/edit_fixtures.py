"""A tiny store of two project layers for the edit tests (not the shipped data).

``test_zones`` has one polygon with an official area equal to its geodesic area; ``test_roads``
two lines, ``road-a`` approved on 2024-04-14. Sources are real ids of ``layers/sources.json``
(the edit rules check ids against it); the figures are made up for the tests and never shown.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

import psycopg
from shapely import LineString, Polygon

from geo.measure import area_ha, length_km
from geo.sources import load_sources
from geo.store import Feature, LayerWrite, Store
from geo.store import edits as edits_mod
from tests.app_fixtures import no_figures
from tests.app_fixtures import registry_entry as entry

LAYERS = Path(__file__).resolve().parents[2] / "layers"
SOURCES = sorted(load_sources(LAYERS / "sources.json"))
SOURCE, OTHER_SOURCE = SOURCES[0], SOURCES[1]

ZONE = Polygon([(106.70, 21.90), (106.72, 21.90), (106.72, 21.92), (106.70, 21.92)])
ROAD_A = LineString([(106.70, 21.90), (106.74, 21.93)])
ROAD_B = LineString([(106.75, 21.90), (106.78, 21.95)])


def project(fid: str, kind: str, **props: Any) -> dict[str, Any]:
    base = {
        "id": fid,
        "name_vi": f"{fid} vi",
        "name_en": f"{fid} en",
        "name_zh": None,
        "geometry_accuracy": "schematic",
        "accuracy_note_vi": "sơ đồ",
        "accuracy_note_en": "schematic",
        "accuracy_note_zh": "示意",
        "sources": [SOURCE],
        "kind": kind,
        "status": "planned",
        "progress_pct": None,
        "progress_as_of": None,
        "progress_source": None,
        "progress_note_vi": "chưa có số liệu",
        "progress_note_en": "no figure published",
        "progress_note_zh": "未公布数字",
        **no_figures(),
        "note_vi": None,
        "note_en": None,
        "note_zh": None,
    }
    base.update(props)
    return base


APPROVAL = {
    "date": "2024-04-14",
    "date_precision": "day",
    "kind": "approval",
    "label_vi": "Phê duyệt",
    "label_en": "Approved",
    "label_zh": "批准",
    "status": "planned",
    "source": SOURCE,
}


def layer_writes() -> list[LayerWrite]:
    zone = project(
        "zone-t",
        "trade_industry_zone",
        area_ha=round(area_ha(ZONE), 3),
        area_source=SOURCE,
    )
    road_a = project(
        "road-a",
        "expressway",
        milestones=[APPROVAL],
        length_km=round(length_km(ROAD_A), 2),
        length_source=SOURCE,
    )
    road_b = project("road-b", "expressway")
    return [
        LayerWrite(entry("test_zones", "polygon", "zones", "zone"), [Feature(zone, ZONE)]),
        LayerWrite(
            entry("test_roads", "line", "roads", "expressway"),
            [Feature(road_a, ROAD_A), Feature(road_b, ROAD_B)],
        ),
    ]


def everything(store: Store) -> tuple:
    """All a reader can see, and the whole log: equal before and after a refused save."""
    layers = {
        layer_id: [(f.properties, f.geometry.wkb) for f in store.features(layer_id)]
        for layer_id in store.versions()
    }
    return store.stamp(), store.entries(), layers, edits_mod.log(store)


def raw_connection(store: Store, store_env: dict[str, str]) -> Any:
    """A plain DB-API connection to the store's database, outside the store's code."""
    if store.dialect == "postgresql":
        return psycopg.connect(store_env["DATABASE_URL"], autocommit=True)
    return sqlite3.connect(os.fspath(store.url.database), isolation_level=None)
