"""The guided tour (``layers/tour.json``): ordered stops, each a view with its key figures.

A tour is data: each stop has a title and a text in every language, what to frame (a
feature, or a centre and zoom), the layers to show, the date the map is drawn as of, and two
or three key figures. A figure's value, unit and source are written in the file *and* point
at the data they come from (an indicator of ``indicators.json``, or a sourced field of a
feature), and the validator checks that both agree: a tour cannot show a figure the data does
not hold.

Loading never stops at the first problem: :func:`parse_tour` returns the valid stops and
every problem (a :class:`geo.problems.Problem` naming the stop and the field), so the app can
still show the stops that are right.

Examples
--------
>>> stops, problems = parse_tour(
...     {"stops": [{"id": "intro"}]},
...     layer_ids=(),
...     features={},
...     indicators={},
...     source_ids=(),
... )
>>> stops
[]
>>> print(problems[0])
tour.json: stop 'intro', field 'title_vi': expected a non-empty string; found nothing \
(the field is missing)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from geo.errors import GeoError
from geo.i18n import LANGUAGES, text_by_language_problems, text_fields
from geo.indicators import UNITS as INDICATOR_UNITS
from geo.jsonfile import read_json
from geo.map_data import iter_features
from geo.problems import MISSING, Problem, show, unknown_field_expected
from geo.style import MAP_MAX_ZOOM, MAP_MIN_ZOOM
from geo.values import is_number, parse_date
from geo.vocabulary import FEATURE_ID_PATTERN

__all__ = [
    "FEATURE_FIGURE_FIELDS",
    "FIGURE_UNITS",
    "STOP_FIELDS",
    "TOUR_FILE",
    "Figure",
    "Stop",
    "features_by_id",
    "load_tour",
    "parse_tour",
    "stop_index",
    "tour_path",
]

TOUR_FILE: Final = "tour.json"
#: A feature's figure fields a stop may show, with their unit and the field naming their source.
FEATURE_FIGURE_FIELDS: Final[Mapping[str, tuple[str, str]]] = {
    "area_ha": ("ha", "area_source"),
    "length_km": ("km", "length_source"),
    "open_length_km": ("km", "progress_source"),
    "progress_pct": ("pct", "progress_source"),
    "investment_vnd_bn": ("bn_vnd", "investment_source"),
}
#: Units a figure may have: the indicators' and the features' (each has a ``unit.<unit>`` label).
FIGURE_UNITS: Final = (*INDICATOR_UNITS, "ha", "km", "pct")
STOP_FIELDS: Final = (
    "id",
    *text_fields("title"),
    *text_fields("text"),
    "feature",
    "centre",
    "zoom",
    "layers",
    "as_of",
    "figures",
)
FIGURE_FIELDS: Final = ("value", "unit", "label", "source", "from")
FIGURES_PER_STOP: Final = (2, 3)


@dataclass(frozen=True)
class Figure:
    """A key figure of a stop: value, unit, label by language and the source that states it.

    ``origin`` says where in the data it comes from: ``"indicator:<id>"`` or
    ``"feature:<id>.<field>"``.
    """

    value: float
    unit: str
    label: dict[str, str]
    source: str
    origin: str


@dataclass(frozen=True)
class Stop:
    """One stop of the tour (see the module docstring); ``number`` counts from 1."""

    id: str
    number: int
    title: dict[str, str]
    text: dict[str, str]
    feature: str | None
    centre: tuple[float, float] | None
    zoom: float | None
    layers: tuple[str, ...]
    as_of: dt.date
    figures: tuple[Figure, ...]


def tour_path(registry_path: Path) -> Path:
    """Return the tour file beside a registry file (as ``indicators.json`` is).

    Examples
    --------
    >>> tour_path(Path("layers/registry.json")).as_posix()
    'layers/tour.json'
    """
    return registry_path.parent / TOUR_FILE


def features_by_id(layers: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Return every feature's properties by id from loaded layers (GeoDataFrames by layer id).

    Examples
    --------
    >>> import geopandas, shapely
    >>> gdf = geopandas.GeoDataFrame({"area_ha": [1.5]}, geometry=[shapely.Point(0, 0)],
    ...                              index=["zone-a"])
    >>> features_by_id({"zones": gdf})["zone-a"]["area_ha"]
    1.5
    """
    return {fid: props for gdf in layers.values() for fid, props, _ in iter_features(gdf)}


def parse_tour(
    doc: object,
    *,
    layer_ids: Collection[str],
    features: Mapping[str, Mapping[str, Any]],
    indicators: Mapping[str, Any],
    source_ids: Collection[str],
    file: str = TOUR_FILE,
) -> tuple[list[Stop], list[Problem]]:
    """Build the stops of a parsed tour file; return the valid ones and every problem.

    Parameters
    ----------
    doc : object
        The parsed document, ``{"stops": [...]}``.
    layer_ids : Collection[str]
        The registry's layer ids.
    features : Mapping[str, Mapping]
        Every loaded feature's properties by id (any layer): what a stop may frame and
        where a feature figure is read.
    indicators : Mapping[str, Indicator]
        The indicators by id (objects with ``value``, ``unit`` and ``source``).
    source_ids : Collection[str]
        The ids of ``sources.json``.
    file : str
        File name for the messages.

    Returns
    -------
    tuple of (list of Stop, list of Problem)
        A stop with any problem is left out; the others keep their order and are numbered
        from 1 in the order they are kept.
    """
    raw_stops = doc.get("stops", MISSING) if isinstance(doc, dict) else MISSING
    if not isinstance(raw_stops, list):
        found = show(raw_stops) if isinstance(doc, dict) else show(doc)
        return [], [Problem(file, None, "stops", "a list of stops", found)]
    problems: list[Problem] = []
    if isinstance(doc, dict):
        problems.extend(
            Problem(file, None, key, unknown_field_expected(key, ["stops"], "a tour"), show(v))
            for key, v in doc.items()
            if key != "stops"
        )
    stops: list[Stop] = []
    seen: set[str] = set()
    context = _Context(layer_ids, features, indicators, source_ids)
    for index, raw in enumerate(raw_stops):
        raw_id = raw.get("id") if isinstance(raw, dict) else None
        shown = raw_id if isinstance(raw_id, str) and raw_id else None
        found: list[Problem] = []

        def add(
            name: str,
            expected: str,
            value: object,
            shown: str | None = shown,
            index: int = index,
            found: list[Problem] = found,
        ) -> None:
            found.append(Problem(file, shown, name, expected, show(value), index, item="stop"))

        if not isinstance(raw, dict):
            add("", "an object", raw)
        else:
            _check_stop(raw, add, context, seen)
        problems.extend(found)
        if not found:
            stops.append(_build(raw, len(stops) + 1))
    return stops, problems


def load_tour(
    path: Path,
    *,
    layer_ids: Collection[str],
    features: Mapping[str, Mapping[str, Any]],
    indicators: Mapping[str, Any],
    source_ids: Collection[str],
) -> tuple[list[Stop], list[Problem]]:
    """Read and check a tour file: the valid stops and every problem (see :func:`parse_tour`).

    A file that cannot be read (missing, not JSON) gives no stops and its problem.
    """
    try:
        doc = read_json(path)
    except GeoError as exc:
        problems = getattr(exc, "problems", ())
        return [], list(problems) or [Problem(path.name, None, "", "a readable file", str(exc))]
    return parse_tour(
        doc,
        layer_ids=layer_ids,
        features=features,
        indicators=indicators,
        source_ids=source_ids,
        file=path.name,
    )


@dataclass(frozen=True)
class _Context:
    layer_ids: Collection[str]
    features: Mapping[str, Mapping[str, Any]]
    indicators: Mapping[str, Any]
    source_ids: Collection[str]


def _check_stop(raw: Mapping[str, Any], add: Any, ctx: _Context, seen: set[str]) -> None:
    get = raw.get
    stop_id = get("id", MISSING)
    if not (isinstance(stop_id, str) and FEATURE_ID_PATTERN.fullmatch(stop_id)):
        add("id", f"a string matching {FEATURE_ID_PATTERN.pattern}", stop_id)
    elif stop_id in seen:
        add("id", "an id used once in the tour", stop_id)
    seen.add(str(stop_id))
    for base in ("title", "text"):
        for key in text_fields(base):
            value = get(key, MISSING)
            if not (isinstance(value, str) and value.strip()):
                add(key, "a non-empty string", value)
    _check_frame(raw, add, ctx)
    layers = get("layers", MISSING)
    if not (isinstance(layers, list) and layers):
        add("layers", "a non-empty list of registry layer ids", layers)
    else:
        for i, layer in enumerate(layers):
            if layer not in ctx.layer_ids:
                add(f"layers[{i}]", f"a registry layer id ({', '.join(ctx.layer_ids)})", layer)
    if parse_date(get("as_of", MISSING)) is None:
        add("as_of", "an ISO date YYYY-MM-DD (the date the map is drawn as of)", get("as_of"))
    figures = get("figures", MISSING)
    low, high = FIGURES_PER_STOP
    if not (isinstance(figures, list) and low <= len(figures) <= high):
        add("figures", f"a list of {low} to {high} key figures", figures)
    else:
        for i, figure in enumerate(figures):
            _check_figure(figure, f"figures[{i}]", add, ctx)
    for key in raw:
        if key not in STOP_FIELDS:
            add(key, unknown_field_expected(key, STOP_FIELDS, "a tour stop"), raw[key])


def _check_frame(raw: Mapping[str, Any], add: Any, ctx: _Context) -> None:
    feature, centre, zoom = (raw.get(k, MISSING) for k in ("feature", "centre", "zoom"))
    if feature is not None:
        if feature not in ctx.features:
            add("feature", "the id of a loaded feature, or null with a centre and zoom", feature)
        for key, value in (("centre", centre), ("zoom", zoom)):
            if value is not None:
                add(key, "null (the stop frames its feature)", value)
        return
    if not (
        isinstance(centre, list)
        and len(centre) == 2
        and all(is_number(c) for c in centre)
        and -90 <= centre[0] <= 90
        and -180 <= centre[1] <= 180
    ):
        add("centre", "[latitude, longitude] in degrees (the stop frames no feature)", centre)
    if not (is_number(zoom) and MAP_MIN_ZOOM <= zoom <= MAP_MAX_ZOOM):
        add("zoom", f"a number from {MAP_MIN_ZOOM} to {MAP_MAX_ZOOM}", zoom)


def _check_figure(figure: object, name: str, add: Any, ctx: _Context) -> None:
    if not isinstance(figure, dict):
        add(name, "an object with value, unit, label, source and from", figure)
        return
    get = figure.get
    value, unit, source = get("value", MISSING), get("unit", MISSING), get("source", MISSING)
    if not is_number(value):
        add(f"{name}.value", "a number", value)
    if unit not in FIGURE_UNITS:
        add(f"{name}.unit", f"one of {', '.join(FIGURE_UNITS)}", unit)
    for problem in text_by_language_problems(get("label", MISSING), f"{name}.label", "labels"):
        add(*problem)
    if not (isinstance(source, str) and source in ctx.source_ids):
        add(f"{name}.source", "a source id listed in sources.json", source)
    for key in figure:
        if key not in FIGURE_FIELDS:
            add(
                f"{name}.{key}", unknown_field_expected(key, FIGURE_FIELDS, "a figure"), figure[key]
            )
    expected = _data_figure(get("from", MISSING), f"{name}.from", add, ctx)
    if expected is None:
        return
    valid = (is_number(value), unit in FIGURE_UNITS, source in ctx.source_ids)
    for key, written, held, ok in zip(
        ("value", "unit", "source"), (value, unit, source), expected, valid, strict=True
    ):
        # A value already reported as malformed is not compared again.
        if ok and written != held and not (key == "value" and _same_number(written, held)):
            add(f"{name}.{key}", f"{show(held)}, as the data it comes from says", written)


def _same_number(a: object, b: object) -> bool:
    return is_number(a) and is_number(b) and abs(float(a) - float(b)) < 1e-9  # type: ignore[arg-type]


def _data_figure(
    origin: object, name: str, add: Any, ctx: _Context
) -> tuple[object, object, object] | None:
    """Return ``(value, unit, source)`` the data holds for a figure's ``from``, or None."""
    expected = (
        '{"indicator": ID} (an indicators.json id) or {"feature": ID, "field": F} '
        f"(F one of {', '.join(FEATURE_FIGURE_FIELDS)})"
    )
    if isinstance(origin, dict) and set(origin) == {"indicator"}:
        item = ctx.indicators.get(origin["indicator"])
        if item is None:
            add(f"{name}.indicator", "an indicator id of indicators.json", origin["indicator"])
            return None
        return item.value, item.unit, item.source
    if isinstance(origin, dict) and set(origin) == {"feature", "field"}:
        props = ctx.features.get(origin["feature"])
        field = origin["field"]
        if props is None:
            add(f"{name}.feature", "the id of a loaded feature", origin["feature"])
            return None
        if field not in FEATURE_FIGURE_FIELDS:
            add(f"{name}.field", f"one of {', '.join(FEATURE_FIGURE_FIELDS)}", field)
            return None
        unit, source_field = FEATURE_FIGURE_FIELDS[field]
        held = props.get(field)
        if not is_number(held):
            add(f"{name}.field", f"a field that holds a number in {origin['feature']!r}", field)
            return None
        return held, unit, props.get(source_field)
    add(name, expected, origin)
    return None


def _build(raw: Mapping[str, Any], number: int) -> Stop:
    centre = raw["centre"]
    return Stop(
        id=raw["id"],
        number=number,
        title={lang: raw[f"title_{lang}"] for lang in LANGUAGES},
        text={lang: raw[f"text_{lang}"] for lang in LANGUAGES},
        feature=raw["feature"],
        centre=None if centre is None else (float(centre[0]), float(centre[1])),
        zoom=None if raw["zoom"] is None else float(raw["zoom"]),
        layers=tuple(raw["layers"]),
        as_of=dt.date.fromisoformat(raw["as_of"]),
        figures=tuple(_build_figure(f) for f in raw["figures"]),
    )


def _build_figure(raw: Mapping[str, Any]) -> Figure:
    origin = raw["from"]
    where = (
        f"indicator:{origin['indicator']}"
        if "indicator" in origin
        else f"feature:{origin['feature']}.{origin['field']}"
    )
    return Figure(
        value=float(raw["value"]),
        unit=raw["unit"],
        label=dict(raw["label"]),
        source=raw["source"],
        origin=where,
    )


def stop_index(stops: Sequence[Stop], number: object) -> int:
    """Return the 0-based index of stop ``number`` (1-based, as in links), clamped.

    Examples
    --------
    >>> stop_index([None, None, None], "2"), stop_index([None] * 3, 9), stop_index([None], "x")
    (1, 2, 0)
    """
    try:
        wanted = int(str(number))
    except ValueError:
        return 0
    return max(0, min(len(stops) - 1, wanted - 1))
