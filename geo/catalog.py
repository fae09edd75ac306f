"""Every registry layer loaded at once, one broken layer never stopping the others."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas

from geo.errors import GeoError
from geo.io import read_layer
from geo.registry import Registry
from geo.schema import Problem
from geo.sources import Source, load_sources

__all__ = ["Catalog", "duplicate_id_problems", "load_catalog"]


@dataclass(frozen=True)
class Catalog:
    """The loaded layers, the errors of those that did not load, and the sources.

    Attributes
    ----------
    registry : Registry
        Where the layers came from.
    layers : dict[str, geopandas.GeoDataFrame]
        Layers that loaded, by layer id, in registry order (see :func:`geo.io.read_layer`).
    errors : dict[str, GeoError]
        Why each other layer did not load, by layer id.
    sources : dict[str, Source]
        ``sources.json`` by source id.
    """

    registry: Registry
    layers: dict[str, geopandas.GeoDataFrame]
    errors: dict[str, GeoError]
    sources: dict[str, Source]

    def duplicate_id_problems(self) -> list[Problem]:
        """Return a problem for every feature id used in more than one loaded layer."""
        return duplicate_id_problems(self.layers, self.registry)


def duplicate_id_problems(
    layers: Mapping[str, geopandas.GeoDataFrame], registry: Registry
) -> list[Problem]:
    """Return a problem for every feature id used in more than one of ``layers``.

    Feature ids must be unique across all layers (the app selects features by id); a single
    file cannot see this, so it is checked here. The problem is reported on the later layer.

    Parameters
    ----------
    layers : Mapping[str, geopandas.GeoDataFrame]
        Loaded layers by layer id, indexed by feature id (as :func:`geo.io.read_layer` gives).
    registry : Registry
        Where the layers' file names come from.
    """
    owner: dict[str, str] = {}
    problems: list[Problem] = []
    for layer_id, gdf in layers.items():
        file = registry.get(layer_id).file.name
        for fid in gdf.index:
            if fid in owner:
                problems.append(
                    Problem(
                        file,
                        str(fid),
                        "id",
                        "an id unique across all layers",
                        f"{fid!r}, also used in layer {owner[fid]!r}",
                    )
                )
            else:
                owner[fid] = layer_id
    return problems


def load_catalog(registry: Registry, *, sources_path: Path | None = None) -> Catalog:
    """Load the sources and every registry layer.

    Parameters
    ----------
    registry : Registry
        The layers to load.
    sources_path : Path or None
        The ``sources.json``; default: the one beside the registry file.

    Returns
    -------
    Catalog
        A layer that cannot be loaded is in ``errors`` (its :class:`~geo.errors.GeoError`
        lists every problem), the others in ``layers``.

    Raises
    ------
    SourcesError
        When ``sources.json`` cannot be loaded: without it no citation can be checked, so no
        layer would be trustworthy.
    ValueError
        When neither ``sources_path`` nor ``registry.path`` says where the sources are.
    """
    path = sources_path if sources_path is not None else registry.sources_path
    if path is None:
        raise ValueError("the registry has no path: pass sources_path to load_catalog")
    sources = load_sources(path)
    layers: dict[str, geopandas.GeoDataFrame] = {}
    errors: dict[str, GeoError] = {}
    for spec in registry.layers:
        try:
            layers[spec.id] = read_layer(spec, source_ids=sources.keys())
        except GeoError as exc:
            errors[spec.id] = exc
    return Catalog(registry=registry, layers=layers, errors=errors, sources=sources)
