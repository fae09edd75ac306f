"""The layer registry: ``layers/registry.json`` as data plus thin classes.

Adding a layer is a data edit: the app, the CLI and the tests iterate over the registry.
Loading validates every entry and reports every missing or invalid field in one
:class:`~geo.errors.RegistryError`.

Examples
--------
>>> registry = Registry.from_dict(
...     {"layers": [{"id": "zones", "file": "zones.geojson"}]}, base_dir=Path("/data")
... )  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
geo.errors.RegistryError: registry.json: layer 'zones', field 'title': expected an object ...
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, Final

from geo.errors import RegistryError
from geo.i18n import LANGUAGES, text_by_language_problems
from geo.jsonfile import read_json
from geo.problems import MISSING, Problem, show, unknown_field_expected
from geo.style import LAYER_STYLES
from geo.vocabulary import FEATURE_ID_PATTERN, GEOMETRY_KINDS, GROUPS, SCHEMAS

__all__ = [
    "DEFAULT_REGISTRY_PATH",
    "DISTANCE_TARGET_FIELDS",
    "EXTENT_FIELDS",
    "LANGUAGES",
    "LAYER_FIELDS",
    "LAYER_ID_PATTERN",
    "REGISTRY_FIELDS",
    "DistanceTarget",
    "Extent",
    "LayerSpec",
    "Registry",
    "distance_targets",
    "load_registry",
]

DEFAULT_REGISTRY_PATH: Final = Path(__file__).resolve().parent.parent / "layers" / "registry.json"
LAYER_ID_PATTERN: Final = re.compile(r"[a-z0-9_]+")
LAYER_FIELDS: Final = (
    "id",
    "title",
    "file",
    "geometry_kind",
    "group",
    "style",
    "visible",
    "schema",
    "source",
    "licence",
    "credits",
)
#: Top-level members of ``registry.json``.
REGISTRY_FIELDS: Final = ("layers", "distance_targets", "extent")
DISTANCE_TARGET_FIELDS: Final = ("id", "label", "layer", "feature")
EXTENT_FIELDS: Final = ("layer", "features", "point_tolerance_m", "edge_tolerance_m", "note")


@dataclass(frozen=True)
class DistanceTarget:
    """What the detail panel measures distances to, as declared in ``registry.json``.

    Parameters
    ----------
    id : str
        Stable id of the target, e.g. ``"huu-nghi-gate"``.
    label : Mapping[str, str]
        What the panel calls the distance, in ``vi``, ``en`` and ``zh``.
    layer : str
        The registry layer holding the target.
    feature : str or None
        One feature of that layer; None means the nearest feature of the whole layer.

    A feature is never measured to itself, nor to a target layer it belongs to.
    """

    id: str
    label: Mapping[str, str] = field(hash=False)
    layer: str
    feature: str | None


@dataclass(frozen=True)
class Extent:
    """Where every project feature must lie: some features of one layer, with tolerances.

    Parameters
    ----------
    layer : str
        The registry layer holding the area (e.g. ``"provinces"``).
    features : tuple[str, ...]
        The feature ids whose union is the area.
    point_tolerance_m : float
        How far outside a point may fall (the border data is only good to ±100–300 m).
    edge_tolerance_m : float
        How far outside a line or polygon may reach (segments that end on the border).
    """

    layer: str
    features: tuple[str, ...]
    point_tolerance_m: float
    edge_tolerance_m: float


@dataclass(frozen=True)
class LayerSpec:
    """One registry entry: where a layer's file is and how to read and show it.

    Parameters
    ----------
    id : str
        ``[a-z0-9_]+``, unique in the registry.
    title : Mapping[str, str]
        Title in ``vi``, ``en`` and ``zh`` (read-only).
    file : Path
        Absolute path of the GeoJSON file.
    geometry_kind : {"polygon", "line", "point"}
        What every feature's geometry must be.
    group : {"zones", "gates", "roads", "context"}
        Place in the layer tree.
    style : str
        A key of ``geo.style.LAYER_STYLES`` (checked there, not here).
    visible : bool
        Shown when the app opens.
    schema : {"project", "context"}
        The properties schema of the layer's features.
    source : str
        Source text shown in the UI.
    licence : str
        Licence of the data, e.g. ``"CC BY-SA 4.0"``.
    credits : tuple[str, ...]
        Source ids (``sources.json``) of every data set the layer's shapes derive from; the
        map credits them whenever the layer is shown (checked against the sources by
        :mod:`geo.checks`).
    """

    id: str
    title: Mapping[str, str] = field(hash=False)
    file: Path
    geometry_kind: str
    group: str
    style: str
    visible: bool
    schema: str
    source: str
    licence: str
    credits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Registry:
    """Every layer of the map, in registry order.

    Attributes
    ----------
    layers : tuple[LayerSpec, ...]
        The entries, in file order.
    path : Path or None
        The ``registry.json`` they came from, if any.
    """

    layers: tuple[LayerSpec, ...]
    path: Path | None = None
    distance_targets: tuple[DistanceTarget, ...] = ()
    extent: Extent | None = None

    def __iter__(self) -> Iterator[LayerSpec]:
        """Iterate over the layers in registry order."""
        return iter(self.layers)

    def __len__(self) -> int:
        """Return the number of layers."""
        return len(self.layers)

    @property
    def ids(self) -> tuple[str, ...]:
        """Return the layer ids in registry order."""
        return tuple(spec.id for spec in self.layers)

    @property
    def sources_path(self) -> Path | None:
        """Return the ``sources.json`` beside the registry file (None without a path)."""
        return None if self.path is None else self.path.parent / "sources.json"

    @property
    def indicators_path(self) -> Path | None:
        """Return the ``indicators.json`` beside the registry file (None without a path)."""
        return None if self.path is None else self.path.parent / "indicators.json"

    @property
    def unmapped_path(self) -> Path | None:
        """Return the ``unmapped.json`` beside the registry file (None without a path)."""
        return None if self.path is None else self.path.parent / "unmapped.json"

    def get(self, layer_id: str) -> LayerSpec:
        """Return the layer with id ``layer_id``.

        Raises
        ------
        KeyError
            Naming the known ids when there is no such layer.
        """
        for spec in self.layers:
            if spec.id == layer_id:
                return spec
        raise KeyError(f"no layer {layer_id!r} in the registry; known: {', '.join(self.ids)}")

    def by_group(self) -> dict[str, tuple[LayerSpec, ...]]:
        """Return the layers by group, groups in layer-tree order, empty groups left out."""
        grouped = {g: tuple(s for s in self.layers if s.group == g) for g in GROUPS}
        return {g: specs for g, specs in grouped.items() if specs}

    @classmethod
    def from_dict(
        cls, doc: object, *, base_dir: Path, path: Path | None = None, file: str = "registry.json"
    ) -> Registry:
        """Build a registry from a parsed ``registry.json``, validating every entry.

        Parameters
        ----------
        doc : object
            The parsed document, ``{"layers": [...]}``.
        base_dir : Path
            Directory layer ``file`` names are relative to.
        path : Path or None
            The registry file, kept on the result and on errors.
        file : str
            File name for the messages.

        Raises
        ------
        RegistryError
            Listing every missing or invalid field of every entry, duplicate ids, a style key
            that :data:`geo.style.LAYER_STYLES` does not define, and every problem of
            ``distance_targets`` and ``extent`` (which must name registry layers).
        """
        problems: list[Problem] = []
        layers = doc.get("layers", MISSING) if isinstance(doc, dict) else MISSING
        if not isinstance(layers, list):
            found = show(layers) if isinstance(doc, dict) else show(doc)
            problems.append(Problem(file, None, "layers", "a list of layer entries", found))
            raise RegistryError(path or base_dir / file, problems)
        for key in doc:
            if key not in REGISTRY_FIELDS:
                expected = unknown_field_expected(key, REGISTRY_FIELDS, "registry.json")
                problems.append(Problem(file, None, key, expected, show(doc[key])))
        specs: list[LayerSpec] = []
        first_seen: dict[str, int] = {}
        for index, entry in enumerate(layers):
            spec, entry_problems = _parse_entry(entry, index, Path(base_dir), file)
            problems.extend(entry_problems)
            if spec is None:
                continue
            if spec.id in first_seen:
                problems.append(
                    Problem(
                        file,
                        spec.id,
                        "id",
                        "an id used once in the registry",
                        f"{spec.id!r} again (first used by layer #{first_seen[spec.id]})",
                        index,
                        item="layer",
                    )
                )
            first_seen.setdefault(spec.id, index)
            specs.append(spec)
        layer_ids = {entry["id"] for entry in layers if isinstance(entry, dict) and "id" in entry}
        targets = _parse_distance_targets(doc.get("distance_targets", []), layer_ids, file)
        extent = _parse_extent(doc.get("extent"), layer_ids, file)
        problems.extend(targets[1])
        problems.extend(extent[1])
        if problems:
            raise RegistryError(path or base_dir / file, problems)
        return cls(tuple(specs), path, targets[0], extent[0])


def _hint(value: object, options: Collection[str]) -> str:
    near = difflib.get_close_matches(str(value), sorted(options), n=1)
    return f" (did you mean {near[0]!r}?)" if near else ""


def _parse_distance_targets(
    value: object, layer_ids: set[str], file: str
) -> tuple[tuple[DistanceTarget, ...], list[Problem]]:
    """Return the distance targets and every problem in ``distance_targets``."""
    problems: list[Problem] = []
    if not isinstance(value, list):
        problems.append(
            Problem(file, None, "distance_targets", "a list of targets (may be empty)", show(value))
        )
        return (), problems
    targets: list[DistanceTarget] = []
    seen: set[str] = set()
    for index, entry in enumerate(value):
        tid = entry.get("id") if isinstance(entry, dict) else None
        shown = tid if isinstance(tid, str) and tid else None
        before = len(problems)

        def add(
            name: str, expected: str, found: object, shown: str | None = shown, index: int = index
        ) -> None:
            prefix = f"distance_targets[{index}]" + (f".{name}" if name else "")
            problems.append(
                Problem(file, shown, prefix, expected, show(found), item="distance target")
            )

        if not isinstance(entry, dict):
            add("", "an object with id, label, layer and feature", entry)
            continue
        if not (isinstance(tid, str) and FEATURE_ID_PATTERN.fullmatch(tid)):
            add("id", "a string of a-z, 0-9 and '-'", entry.get("id", MISSING))
        elif tid in seen:
            add("id", "an id used once in distance_targets", tid)
        seen.add(str(tid))
        for problem in text_by_language_problems(entry.get("label", MISSING), "label"):
            add(*problem)
        layer = entry.get("layer", MISSING)
        if layer not in layer_ids:
            add("layer", f"a layer id of the registry{_hint(layer, layer_ids)}", layer)
        feature = entry.get("feature", MISSING)
        if feature is not None and not (
            isinstance(feature, str) and FEATURE_ID_PATTERN.fullmatch(feature)
        ):
            add("feature", "a feature id, or null for the nearest feature of the layer", feature)
        for key in entry:
            if key not in DISTANCE_TARGET_FIELDS:
                add(
                    key,
                    unknown_field_expected(key, DISTANCE_TARGET_FIELDS, "a distance target"),
                    entry[key],
                )
        if len(problems) == before:
            targets.append(
                DistanceTarget(
                    id=tid,
                    label=MappingProxyType(dict(entry["label"])),
                    layer=layer,
                    feature=feature,
                )
            )
    return tuple(targets), problems


def _parse_extent(
    value: object, layer_ids: set[str], file: str
) -> tuple[Extent | None, list[Problem]]:
    """Return the extent (None when not declared) and every problem in ``extent``."""
    problems: list[Problem] = []
    if value is None:
        return None, problems

    def add(name: str, expected: str, found: object) -> None:
        problems.append(Problem(file, None, f"extent.{name}", expected, show(found)))

    if not isinstance(value, dict):
        problems.append(Problem(file, None, "extent", "an object or null", show(value)))
        return None, problems
    layer = value.get("layer", MISSING)
    if layer not in layer_ids:
        add("layer", f"a layer id of the registry{_hint(layer, layer_ids)}", layer)
    features = value.get("features", MISSING)
    if not (
        isinstance(features, list)
        and features
        and all(isinstance(f, str) and FEATURE_ID_PATTERN.fullmatch(f) for f in features)
    ):
        add("features", "a non-empty list of feature ids", features)
    for key in ("point_tolerance_m", "edge_tolerance_m"):
        number = value.get(key, MISSING)
        if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
            add(key, "a number of metres, 0 or more", number)
    note = value.get("note", MISSING)
    if not (isinstance(note, str) and note.strip()):
        add("note", "a non-empty string saying why these tolerances", note)
    for key in value:
        if key not in EXTENT_FIELDS:
            add(key, unknown_field_expected(key, EXTENT_FIELDS, "the extent"), value[key])
    if problems:
        return None, problems
    extent = Extent(
        layer=layer,
        features=tuple(features),
        point_tolerance_m=float(value["point_tolerance_m"]),
        edge_tolerance_m=float(value["edge_tolerance_m"]),
    )
    return extent, problems


def distance_targets(registry: Registry) -> tuple[DistanceTarget, ...]:
    """Return what the detail panel measures distances to, in registry order.

    Examples
    --------
    >>> registry = Registry.from_dict({"layers": [], "distance_targets": []}, base_dir=Path("."))
    >>> distance_targets(registry)
    ()
    """
    return registry.distance_targets


def _parse_entry(
    entry: object, index: int, base_dir: Path, file: str
) -> tuple[LayerSpec | None, list[Problem]]:
    """Return the LayerSpec of one entry, or None and every problem in it."""
    layer_id = entry.get("id") if isinstance(entry, dict) else None
    shown_id = layer_id if isinstance(layer_id, str) and layer_id else None
    problems: list[Problem] = []

    def add(name: str, expected: str, found: object) -> None:
        problems.append(Problem(file, shown_id, name, expected, show(found), index, item="layer"))

    if not isinstance(entry, dict):
        add("", "an object", entry)
        return None, problems
    get: Any = entry.get
    if not (isinstance(layer_id, str) and LAYER_ID_PATTERN.fullmatch(layer_id)):
        add("id", "a string of a-z, 0-9 and '_'", get("id", MISSING))
    for problem in text_by_language_problems(get("title", MISSING), "title", "titles"):
        add(*problem)
    name = get("file", MISSING)
    if not (isinstance(name, str) and _is_relative_file(name)):
        add("file", "a file name relative to the registry, e.g. 'zones.geojson'", name)
    for key, options in (
        ("geometry_kind", tuple(GEOMETRY_KINDS)),
        ("group", GROUPS),
        ("schema", SCHEMAS),
    ):
        value = get(key, MISSING)
        if value not in options:
            add(key, f"one of {', '.join(options)}", value)
    for key in ("source", "licence"):
        value = get(key, MISSING)
        if not (isinstance(value, str) and value.strip()):
            add(key, "a non-empty string", value)
    style_key = get("style", MISSING)
    if style_key not in LAYER_STYLES:
        hint = _hint(style_key, LAYER_STYLES)
        add("style", f"a style key defined in geo/style.py LAYER_STYLES{hint}", style_key)
    credits = get("credits", [])
    if not (isinstance(credits, list) and all(isinstance(c, str) and c for c in credits)):
        add("credits", "a list of source ids (sources.json)", credits)
    if not isinstance(get("visible", MISSING), bool):
        add("visible", "true or false", get("visible", MISSING))
    for key in entry:
        if key not in LAYER_FIELDS:
            add(key, unknown_field_expected(key, LAYER_FIELDS, "a registry entry"), entry[key])
    if problems:
        return None, problems
    spec = LayerSpec(
        id=entry["id"],
        title=MappingProxyType(dict(entry["title"])),
        file=(base_dir / entry["file"]).absolute(),
        geometry_kind=entry["geometry_kind"],
        group=entry["group"],
        style=entry["style"],
        visible=entry["visible"],
        schema=entry["schema"],
        source=entry["source"],
        licence=entry["licence"],
        credits=tuple(entry.get("credits", ())),
    )
    return spec, problems


def _is_relative_file(name: str) -> bool:
    pure = PurePosixPath(name)
    return (
        bool(name.strip())
        and not pure.is_absolute()
        and ".." not in pure.parts
        and "\\" not in name
    )


def load_registry(path: Path | None = None) -> Registry:
    """Load and validate the layer registry.

    Parameters
    ----------
    path : Path or None
        The ``registry.json``; default ``<repo>/layers/registry.json``.

    Returns
    -------
    Registry
        Layer files are absolute paths resolved against the registry's directory. Whether
        they exist is not checked here: reading a layer reports a missing file for that
        layer alone.

    Raises
    ------
    RegistryError
        With every problem at once: missing file, invalid JSON, every missing or invalid
        field of every entry, duplicate ids.
    """
    path = Path(path) if path is not None else DEFAULT_REGISTRY_PATH
    doc = read_json(path, RegistryError)
    return Registry.from_dict(doc, base_dir=path.absolute().parent, path=path, file=path.name)
