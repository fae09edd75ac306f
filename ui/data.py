"""Loading the layers once per change of the data: the only place that caches data.

The layers come from the store (:mod:`geo.store`: the GeoPackage in ``data/`` or
``$LSZ_DATA_DIR``, or PostGIS with ``DATABASE_URL``), created and seeded from
``layers/`` on first use. The cache key is the store's stamp (its generation and
every layer's version), so an import or a re-seed is picked up on the next re-run
and nothing else (no global, no session) feeds the cached function. Sources and
indicators are reviewed reference text and are read from ``layers/``.

A damaged store file (:mod:`geo.store.damage`) is never opened: the app is then read-only,
showing the newest good backup (opened read-only) or, with none, the seed in ``layers/``;
:attr:`AppData.read_only` says which and why, and :func:`app_store` gives no store, so
nothing can be written, nor anyone log in.

``$LSZ_REGISTRY`` names a registry file to read directly instead, without a store
(tests pointing the app at a copy of ``layers/``, a planner's survey set): then the
cache key is the registry path plus the modification times of every file beside it.
Errors are kept as structured errors (:class:`geo.errors.GeoError`, each with its
problems) next to the layers that did load: one broken file hides itself, not the app.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import streamlit as st

from geo.catalog import duplicate_id_problems, load_catalog
from geo.errors import GeoError, LayerError
from geo.i18n import LANGUAGES
from geo.indicators import Indicator, load_indicators
from geo.linework import simplify_m
from geo.map_data import MapLayer, iter_features
from geo.registry import Registry, load_registry
from geo.sources import Source, credits_for, load_sources
from geo.store import Store, open_store, store_url
from geo.store.core import open_read_only
from geo.store.damage import StoreDamage, find_damage, gpkg_path
from geo.timeline import dates_of

LAYERS_DIR = Path(__file__).resolve().parent.parent / "layers"
#: Environment variable naming another registry file (tests, a planner's survey set).
REGISTRY_ENV = "LSZ_REGISTRY"


def registry_path() -> Path:
    """Return the registry file: ``$LSZ_REGISTRY`` if set, else ``layers/registry.json``."""
    return Path(os.environ.get(REGISTRY_ENV) or LAYERS_DIR / "registry.json")


@dataclass(frozen=True)
class AppData:
    """Everything the pages show, loaded and checked."""

    registry: Registry
    layers: dict[str, gpd.GeoDataFrame]
    #: Layers that could not be shown, by id, with every problem found.
    errors: dict[str, GeoError]
    sources: dict[str, Source]
    indicators: list[Indicator]
    indicator_error: str | None
    #: The version of the data: the store's stamp (generation and layer versions), or
    #: with ``$LSZ_REGISTRY`` the registry path and modification times of the files.
    stamp: tuple = ()
    #: Set when the store is damaged: the app is read-only and shows the backup (or the
    #: seed) this names.
    read_only: StoreDamage | None = None

    def map_layer(self, layer_id: str) -> MapLayer:
        """Return a loaded layer with its registry entry and the credits of its sources."""
        spec = self.registry.get(layer_id)
        return MapLayer(
            spec,
            self.layers[layer_id],
            credits_for(spec.credits, self.sources),
            {lang: credits_for(spec.credits, self.sources, lang) for lang in LANGUAGES},
        )

    def project_layers(self) -> list[MapLayer]:
        """Return the loaded project layers in registry order."""
        return [
            self.map_layer(spec.id)
            for spec in self.registry.layers
            if spec.schema == "project" and spec.id in self.layers
        ]

    def project_features(self) -> dict[str, dict]:
        """Return every project feature's properties by id, in registry order (read-only)."""
        return self._project_features

    @cached_property
    def _project_features(self) -> dict[str, dict]:
        # Built once per run: the pages ask for it many times.
        features: dict[str, dict] = {}
        for layer in self.project_layers():
            for fid, props, _ in iter_features(layer.data):
                features[fid] = {**props, "layer": layer.spec.id}
        return features

    def date_bounds(self, today: date) -> tuple[date, date]:
        """Return the first and last date of the timeline: first milestone to today."""
        days = dates_of(self.project_features().values())
        first = days[0] if days else today
        last = max([today, *(d for d in days if d <= today)])
        return first, last


def _stamp(registry_path: Path) -> tuple[tuple[str, float], ...]:
    paths = [registry_path, *sorted(registry_path.parent.glob("*.json"))]
    paths += sorted(registry_path.parent.glob("*.geojson"))
    return tuple((str(p), p.stat().st_mtime) for p in paths if p.exists())


@dataclass(frozen=True)
class _Loaded:
    """The expensive, picklable part of :class:`AppData` (what the cache stores)."""

    layers: dict[str, gpd.GeoDataFrame]
    errors: dict[str, GeoError]
    indicators: list[Indicator]
    indicator_error: str | None


#: Context outlines are simplified for display by this much: far below their own
#: accuracy (100–300 m for the ODV border), it removes 40 % of the province vertices.
CONTEXT_DISPLAY_TOLERANCE_M = 25.0


def _for_display(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    shown = gdf.copy()
    shown["geometry"] = [simplify_m(g, CONTEXT_DISPLAY_TOLERANCE_M) for g in gdf.geometry]
    return shown


def _finish(
    registry: Registry,
    layers: dict[str, gpd.GeoDataFrame],
    errors: dict[str, GeoError],
    source_ids: set[str],
    indicators_path: Path,
) -> _Loaded:
    """Simplify context layers for display, withhold duplicate ids, load the indicators."""
    layers = dict(layers)
    for spec in registry.layers:
        if spec.schema == "context" and spec.id in layers:
            layers[spec.id] = _for_display(layers[spec.id])
    errors = dict(errors)
    # An id used in two layers makes selection ambiguous: the later layer is withheld.
    spec_of_file = {spec.file.name: spec for spec in registry.layers}
    for problem in duplicate_id_problems(layers, registry):
        spec = spec_of_file.get(problem.file)
        layer_id = spec.id if spec else problem.file
        errors.setdefault(
            layer_id, LayerError(spec.file if spec else Path(problem.file), [problem])
        )
        layers.pop(layer_id, None)
    indicators: list[Indicator] = []
    indicator_error = None
    try:
        indicators = load_indicators(indicators_path, source_ids=source_ids)
    except (GeoError, OSError, ValueError) as exc:
        indicator_error = f"{indicators_path}: {exc}"
    return _Loaded(layers, errors, indicators, indicator_error)


@st.cache_data(show_spinner=False)
def _load(registry_path: str, stamp: tuple) -> _Loaded:
    """Load every layer file; ``stamp`` (file modification times) is only the cache key."""
    registry = load_registry(Path(registry_path))
    catalog = load_catalog(registry)
    return _finish(
        registry,
        catalog.layers,
        catalog.errors,
        set(catalog.sources),
        Path(registry_path).with_name("indicators.json"),
    )


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    """Open the store once per URL (an engine is shared, thread-safe, never mutated)."""
    return open_store(url)


@st.cache_resource(show_spinner=False)
def _backup_store(path: str) -> Store:
    """Open a backup once, read-only (SQLite's read-only URI: the file is never written)."""
    return open_read_only(Path(path))


def _file_identity(url: str) -> tuple[int, int] | None:
    path = gpkg_path(url)
    try:
        found = path.stat() if path is not None else None
    except FileNotFoundError:
        found = None
    return None if found is None else (found.st_dev, found.st_ino)


@st.cache_resource(show_spinner=False)
def _damage(url: str, identity: tuple[int, int] | None) -> StoreDamage | None:
    """Check the store file once per file (``identity``: device and inode; only the key).

    A restored or re-created file is a new file and is checked again; damage done to the
    same file while the app runs shows as a read error on the page.
    """
    return find_damage(url)


def store_damage() -> StoreDamage | None:
    """Return why the app's store file cannot be used (the app is then read-only), or None.

    Checked without writing (:func:`geo.store.damage.find_damage`), once per store file.
    """
    url = store_url()
    return _damage(url, _file_identity(url))


@dataclass(frozen=True)
class _StoreLoaded:
    """What the cache stores for the store: the entries (plain dicts) and the layers."""

    entries: list[dict]
    loaded: _Loaded


@st.cache_data(show_spinner=False)
def _load_store(url: str, stamp: tuple, backup: str | None = None) -> _StoreLoaded:
    """Load every stored layer (of ``backup`` if given); ``stamp`` is only the cache key."""
    snapshot = (_store(url) if backup is None else _backup_store(backup)).snapshot()
    registry = Registry.from_dict({"layers": snapshot.entries}, base_dir=LAYERS_DIR, file="store")
    sources = load_sources(LAYERS_DIR / "sources.json")
    loaded = _finish(registry, snapshot.layers, {}, set(sources), LAYERS_DIR / "indicators.json")
    return _StoreLoaded(snapshot.entries, loaded)


def load_app_data(path: Path | None = None) -> AppData:
    """Return the app's data; the layers come from the cache while the data is unchanged.

    Parameters
    ----------
    path : Path or None
        A registry file to read directly; default ``$LSZ_REGISTRY``, and without it the
        store (seeded from ``layers/`` on first use).

    Raises
    ------
    GeoError
        If the registry, the store or the sources cannot be read (nothing can be shown then).
    """
    explicit = path or os.environ.get(REGISTRY_ENV)
    if explicit:
        return _from_files(Path(explicit))
    url = store_url()
    damage = store_damage()
    if damage is not None:
        return _read_only_data(url, damage)
    store = _store(url)
    seed = LAYERS_DIR / "registry.json"
    store.prepare(seed)  # cheap when ready; re-creates a store file deleted meanwhile
    # layers/ edited since the (never written to) embedded store was seeded: seed it again.
    # A layer that no longer loads is withheld with its problems, as when reading files.
    seed_errors = store.refresh(seed)
    stamp = ("store", store.label, store.stamp())
    result = _load_store(url, stamp)
    registry = Registry.from_dict({"layers": result.entries}, base_dir=LAYERS_DIR, file="store")
    loaded = result.loaded
    return AppData(
        registry=registry,
        layers={k: v for k, v in loaded.layers.items() if k not in seed_errors},
        errors={**loaded.errors, **seed_errors},
        sources=load_sources(LAYERS_DIR / "sources.json"),
        indicators=loaded.indicators,
        indicator_error=loaded.indicator_error,
        stamp=stamp,
    )


def _read_only_data(url: str, damage: StoreDamage) -> AppData:
    """Return the app's data from the damaged store's last good backup, or from the seed."""
    if damage.backup is None:
        return replace(_from_files(LAYERS_DIR / "registry.json"), read_only=damage)
    backup = _backup_store(str(damage.backup))
    stamp = ("store", backup.label, backup.stamp())
    result = _load_store(url, stamp, str(damage.backup))
    registry = Registry.from_dict(
        {"layers": result.entries}, base_dir=LAYERS_DIR, file=str(damage.backup)
    )
    loaded = result.loaded
    return AppData(
        registry=registry,
        layers=loaded.layers,
        errors=loaded.errors,
        sources=load_sources(LAYERS_DIR / "sources.json"),
        indicators=loaded.indicators,
        indicator_error=loaded.indicator_error,
        stamp=stamp,
        read_only=damage,
    )


def app_store() -> Store | None:
    """Return the store the app writes (planners' edits, logins), or None.

    None with ``$LSZ_REGISTRY``, and when the store file is damaged (:func:`store_damage`):
    the app is then read-only, and no one is logged in.
    """
    if os.environ.get(REGISTRY_ENV) or store_damage() is not None:
        return None
    return _store(store_url())


def _from_files(path: Path) -> AppData:
    """Return the app's data read from the files of a registry (``$LSZ_REGISTRY``)."""
    registry = load_registry(path)
    sources = load_sources(registry.sources_path) if registry.sources_path else {}
    stamp = (str(path), _stamp(path))
    loaded = _load(str(path), stamp[1])
    return AppData(
        registry=registry,
        layers=loaded.layers,
        errors=loaded.errors,
        sources=sources,
        indicators=loaded.indicators,
        indicator_error=loaded.indicator_error,
        stamp=stamp,
    )
