"""Every registry layer loaded at once, one broken layer never stopping the others.

Loading also runs the checks between files (:mod:`geo.checks`), so every reference from one
file to another is checked when the data loads.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas

from geo.checks import cross_file_problems, duplicate_id_problems, load_unmapped
from geo.errors import GeoError
from geo.io import read_layer
from geo.problems import Problem
from geo.registry import Registry
from geo.sources import Source, load_sources

__all__ = ["Catalog", "duplicate_id_problems", "load_catalog"]

# ``duplicate_id_problems`` lives in geo.checks with the other cross-file checks; it is
# re-exported here for the callers that know it from this module.


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
    problems : tuple[Problem, ...]
        Every problem between files (:func:`geo.checks.cross_file_problems`): ids shared by
        two layers, official sizes the shapes do not match, features outside the extent,
        distance targets and credits that name nothing, unmapped items that clash.
    unmapped : list[dict]
        The items of ``unmapped.json``: things the sources name but do not locate.
    unmapped_error : GeoError or None
        Why ``unmapped.json`` did not load, if it did not.
    """

    registry: Registry
    layers: dict[str, geopandas.GeoDataFrame]
    errors: dict[str, GeoError]
    sources: dict[str, Source]
    problems: tuple[Problem, ...] = ()
    unmapped: list[dict[str, Any]] = field(default_factory=list)
    unmapped_error: GeoError | None = None

    def duplicate_id_problems(self) -> list[Problem]:
        """Return a problem for every feature id used in more than one loaded layer."""
        return duplicate_id_problems(self.layers, self.registry)


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
    unmapped: list[dict[str, Any]] = []
    unmapped_error: GeoError | None = None
    if registry.unmapped_path is not None:
        try:
            unmapped = load_unmapped(registry.unmapped_path, source_ids=sources.keys())
        except GeoError as exc:
            unmapped_error = exc
    problems = cross_file_problems(layers, registry, sources.keys(), unmapped)
    return Catalog(
        registry=registry,
        layers=layers,
        errors=errors,
        sources=sources,
        problems=tuple(problems),
        unmapped=unmapped,
        unmapped_error=unmapped_error,
    )
