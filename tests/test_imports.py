"""Layering: ``geo/`` is pure (no Streamlit); the link parser and the map's data, legend,
view and style modules need no map library."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEO_MODULES = sorted(
    f"geo.{p.stem}" for p in (ROOT / "geo").glob("*.py") if p.stem not in {"__init__", "__main__"}
)


def imported_after(module: str) -> set[str]:
    """Return the top-level packages a fresh interpreter holds after importing ``module``."""
    names = "' '.join(sorted({m.split('.')[0] for m in sys.modules}))"
    code = f"import sys, {module}; print({names})"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(out.stdout.split())


def test_geo_never_imports_streamlit():
    # One interpreter for every module (each costs seconds to start); the message
    # names the module when one does.
    assert GEO_MODULES
    assert "streamlit" not in imported_after(", ".join(GEO_MODULES))


def test_the_link_parser_does_not_import_folium():
    loaded = imported_after("ui.query")
    assert "folium" not in loaded and "branca" not in loaded


def test_the_map_data_legend_view_and_styles_do_not_import_folium():
    # Only the elements and the assembly need folium: the rest is testable,
    # and reusable by exports, without it.
    loaded = imported_after("geo.map_data, geo.legend, geo.viewport, geo.leaflet_style")
    assert "folium" not in loaded and "branca" not in loaded
