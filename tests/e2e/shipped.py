"""The shipped layers, as the browser tests read them (ids and properties of features)."""

from __future__ import annotations

from functools import cache

from geo.catalog import Catalog, load_catalog
from geo.registry import load_registry


@cache
def shipped_catalog() -> Catalog:
    """The catalogue of ``layers/`` (loaded once per test session)."""
    return load_catalog(load_registry())


def shipped_props(fid: str) -> dict:
    """Properties of a shipped feature, as the map builder reads them (with ``id``)."""
    for gdf in shipped_catalog().layers.values():
        if fid in gdf.index:
            return {**gdf.drop(columns="geometry").loc[fid].to_dict(), "id": fid}
    raise KeyError(fid)
