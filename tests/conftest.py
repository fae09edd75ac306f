"""Shared fixtures: paths to tests/data and a factory of valid project properties."""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest

from geo.i18n import LANGUAGES
from geo.registry import LayerSpec

DATA = Path(__file__).resolve().parent / "data"
FIXTURE_SOURCES = frozenset({"fixture-src", "facts-md-s5"})

_VALID_PROJECT_PROPS: dict[str, Any] = {
    "id": "zone-x",
    "name_vi": "Khu thử nghiệm",
    "name_en": "Test zone",
    "name_zh": None,
    "geometry_accuracy": "schematic",
    "accuracy_note_vi": "đặt theo mô tả các đường bao quanh",
    "accuracy_note_en": "placed from a description of its bounding roads",
    "accuracy_note_zh": "依据其四周道路的描述放置",
    "sources": ["fixture-src"],
    "kind": "cargo_transit_zone",
    "status": "operational",
    "progress_pct": None,
    "progress_as_of": None,
    "progress_source": None,
    "progress_note_vi": "chưa công bố số liệu",
    "progress_note_en": "no figure published",
    "progress_note_zh": "未公布数字",
    "progress_history": [],
    "milestones": [
        {
            "date": "2024-12-11",
            "date_precision": "day",
            "kind": "opening",
            "label_vi": "Khai trương",
            "label_en": "Opening",
            "label_zh": "开通",
            "status": "operational",
            "source": "fixture-src",
        }
    ],
    "area_ha": 143.7,
    "area_source": "fixture-src",
    "length_km": None,
    "length_source": None,
    "open_length_km": None,
    "investment_vnd_bn": None,
    "investment_source": None,
    "investor": None,
    "investor_source": None,
    "note_vi": None,
    "note_en": None,
    "note_zh": None,
}
#: Data texts stored once per language: ``make(progress_note=x)`` sets x in all three.
_TEXTS = ("accuracy_note", "progress_note", "note")


_STORE_ENV = ("LSZ_DATA_DIR", "DATABASE_URL")
_saved_env: dict[str, str | None] = {}


def pytest_configure(config: pytest.Config) -> None:
    """Point the app's store at a fresh folder: tests never touch data/ or a real database.

    Set in the environment, so the app under test and the e2e server (a subprocess) both
    create and seed their GeoPackage there on first use.
    """
    for name in _STORE_ENV:
        _saved_env[name] = os.environ.pop(name, None)
    os.environ["LSZ_DATA_DIR"] = tempfile.mkdtemp(prefix="lsz-test-data-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.get("LSZ_DATA_DIR", ""), ignore_errors=True)
    for name, value in _saved_env.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def source_ids() -> frozenset[str]:
    return FIXTURE_SOURCES


@pytest.fixture
def project_props():
    """Return a factory of fresh, valid project properties, with fields overridden."""

    def make(**overrides: Any) -> dict[str, Any]:
        props = copy.deepcopy(_VALID_PROJECT_PROPS)
        for key, value in overrides.items():
            if key in _TEXTS:
                props.update({f"{key}_{lang}": value for lang in LANGUAGES})
            else:
                props[key] = value
        return props

    return make


def fixture_spec(name: str, *, kind: str = "polygon", schema: str = "project") -> LayerSpec:
    """Return a registry entry for a file in tests/data."""
    return LayerSpec(
        id=Path(name).stem,
        title={"vi": name, "en": name, "zh": name},
        file=DATA / name,
        geometry_kind=kind,
        group="zones",
        style="zone",
        visible=True,
        schema=schema,
        source="test fixture",
        licence="CC0-1.0",
    )


@pytest.fixture
def spec_for():
    return fixture_spec
