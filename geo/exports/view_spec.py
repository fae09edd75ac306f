"""What a view export draws: the view (:class:`ExportView`) and the data (:class:`ViewMaterial`).

Both the app (from its loaded data) and the command line (from the registry files, see
:func:`load_material`) build these, so an export from either shows the same thing.

Examples
--------
>>> view = ExportView(lang="en", layers=("zones",), as_of=date(2026, 2, 28))
>>> view.query()
{'lang': 'en', 'layers': 'zones', 'date': '2026-02-28'}
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from geo import style as st
from geo.catalog import load_catalog
from geo.i18n import LANGUAGES
from geo.indicators import load_indicators
from geo.map_data import MapLayer
from geo.problems import Problem
from geo.registry import Registry, load_registry
from geo.sources import Source, credits_for, load_sources
from geo.tour import Stop, features_by_id, load_tour, tour_path
from geo.view_frame import view_box
from geo.viewport import fit_bounds

__all__ = [
    "REFERENCE_SCREEN_PX",
    "ExportView",
    "ViewMaterial",
    "frame_box",
    "load_material",
    "stop_query",
    "stop_view",
]

#: The screen a centre and zoom are framed on when a print draws them (a 720p projector).
REFERENCE_SCREEN_PX: tuple[int, int] = (1280, 720)


@dataclass(frozen=True)
class ExportView:
    """One view to export: language, visible layers, date, and what to frame.

    ``feature`` frames (and highlights) a feature; else ``centre`` and ``zoom``; else the
    map's home view. ``stop`` is the tour stop the view shows, if any (its title, text and
    key figures go with it). ``link`` is the address of the same view (for the QR code).
    ``colour_by`` is what the project colours show, as on the map (``geo.style.COLOUR_BY``).
    """

    lang: str
    layers: tuple[str, ...]
    as_of: date
    feature: str | None = None
    centre: tuple[float, float] | None = None
    zoom: float | None = None
    stop: Stop | None = None
    stop_count: int = 0
    link: str = ""
    colour_by: str = "status"

    def query(self) -> dict[str, str]:
        """Return the view's query string for the app (see ``ui.query``)."""
        if self.stop is not None:
            return stop_query(self.stop, self.lang)
        query = {"lang": self.lang, "layers": ",".join(self.layers)}
        if self.feature:
            query["feature"] = self.feature
        query["date"] = self.as_of.isoformat()
        if self.colour_by != "status":
            query["colour"] = self.colour_by
        return query


@dataclass(frozen=True)
class ViewMaterial:
    """The data an export draws from: the registry, the loaded layers, sources and tour."""

    registry: Registry
    layers: Mapping[str, MapLayer]
    sources: Mapping[str, Source]
    stops: Sequence[Stop] = ()
    problems: Sequence[Problem] = field(default_factory=tuple)

    def visible(self, view: ExportView) -> list[MapLayer]:
        """Return the loaded layers of ``view`` in registry order."""
        return [
            self.layers[spec.id]
            for spec in self.registry.layers
            if spec.id in view.layers and spec.id in self.layers
        ]

    def credits(self, view: ExportView) -> tuple[str, ...]:
        """Return the credits of the view's layers in its language (registry ``credits``)."""
        texts: list[str] = []
        for layer in self.visible(view):
            texts.extend(credits_for(layer.spec.credits, self.sources, view.lang))
            if not layer.spec.credits:
                texts.append(f"{layer.spec.source} ({layer.spec.licence})")
        return tuple(dict.fromkeys(texts))

    def source_label(self, source_id: str) -> str:
        """Return "publisher, date" of a source (its id if unknown)."""
        source = self.sources.get(source_id)
        if source is None:
            return source_id
        return ", ".join(p for p in (source.publisher or source.title, source.date) if p)


def stop_query(stop: Stop, lang: str) -> dict[str, str]:
    """Return the query string of a tour stop in the app: ``page=tour&stop=N&lang=L``."""
    return {"page": "tour", "stop": str(stop.number), "lang": lang}


def stop_view(stop: Stop, lang: str, *, count: int, link: str = "") -> ExportView:
    """Return the view of a tour stop."""
    return ExportView(
        lang=lang,
        layers=stop.layers,
        as_of=stop.as_of,
        feature=stop.feature,
        centre=stop.centre,
        zoom=stop.zoom,
        stop=stop,
        stop_count=count,
        link=link,
    )


def frame_box(view: ExportView, material: ViewMaterial) -> list[list[float]]:
    """Return ``[[south, west], [north, east]]`` the view frames.

    A feature's box (any loaded layer); else the box its centre and zoom show on
    :data:`REFERENCE_SCREEN_PX`; else that of the map's home view.
    """
    if view.feature is not None:
        box = fit_bounds(material.layers.values(), {view.feature})
        if box is not None:
            return box
    centre = view.centre or st.MAP_CENTRE
    zoom = view.zoom if view.zoom is not None and view.centre else st.MAP_ZOOM
    width, height = REFERENCE_SCREEN_PX
    return view_box(centre, zoom, width_px=width, height_px=height)


def load_material(registry_path: Path | None = None) -> ViewMaterial:
    """Load the registry's layers, sources, indicators and tour from its files.

    A layer that does not load is left out (``python -m geo validate`` names its problems);
    so is a tour stop with a problem (kept in ``problems``).
    """
    registry = load_registry(registry_path)
    catalog = load_catalog(registry)
    sources = load_sources(registry.sources_path) if registry.sources_path else {}
    layers = {
        layer_id: MapLayer(
            registry.get(layer_id),
            gdf,
            credits_for(registry.get(layer_id).credits, sources),
            {
                lang: credits_for(registry.get(layer_id).credits, sources, lang)
                for lang in LANGUAGES
            },
        )
        for layer_id, gdf in catalog.layers.items()
    }
    stops: list[Stop] = []
    problems: list[Problem] = []
    if registry.path is not None and tour_path(registry.path).exists():
        indicators_path = registry.indicators_path
        indicators = (
            load_indicators(indicators_path, source_ids=sources)
            if indicators_path is not None and indicators_path.exists()
            else []
        )
        stops, problems = load_tour(
            tour_path(registry.path),
            layer_ids=registry.ids,
            features=features_by_id(catalog.layers),
            indicators={item.id: item for item in indicators},
            source_ids=sources,
        )
    return ViewMaterial(registry, layers, sources, tuple(stops), tuple(problems))
