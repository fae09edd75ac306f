"""The layer store the app reads: a GeoPackage file by default, PostGIS with ``DATABASE_URL``.

See :mod:`geo.store.core` for the interface and the tables, :mod:`geo.store.gpkg` for the
GeoPackage specifics, :mod:`geo.store.export` for GeoJSON output and
:mod:`geo.store.commands` for ``python -m geo seed`` / ``export`` / ``users``,
:mod:`geo.store.edits` for planners' edits (logged in :mod:`geo.store.audit`) and
:mod:`geo.store.accounts` for their accounts, :mod:`geo.store.backup` for the embedded
store's backups and :mod:`geo.store.damage` for a damaged store at start-up (the app then
opens read-only). The names below are
imported on first use, so that ``python -m geo validate`` does not load SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "DEFAULT_DATA_DIR",
    "GPKG_NAME",
    "Feature",
    "LayerWrite",
    "Store",
    "feature_collection",
    "load_seed",
    "open_store",
    "seed_store",
    "store_url",
    "write_geojson",
]
_EXPORT = frozenset({"feature_collection", "write_geojson"})


def __getattr__(name: str) -> Any:
    """Import the public names of :mod:`geo.store.core` and :mod:`geo.store.export` lazily."""
    if name not in __all__:
        raise AttributeError(f"module 'geo.store' has no attribute {name!r}")
    module = importlib.import_module("geo.store.export" if name in _EXPORT else "geo.store.core")
    return getattr(module, name)
