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

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, Final

from geo.errors import RegistryError
from geo.io import read_json
from geo.schema import (
    GEOMETRY_KINDS,
    GROUPS,
    MISSING,
    SCHEMAS,
    Problem,
    show,
    unknown_field_expected,
)

__all__ = [
    "DEFAULT_REGISTRY_PATH",
    "LANGUAGES",
    "LAYER_FIELDS",
    "LAYER_ID_PATTERN",
    "LayerSpec",
    "Registry",
    "load_registry",
]

DEFAULT_REGISTRY_PATH: Final = Path(__file__).resolve().parent.parent / "layers" / "registry.json"
LAYER_ID_PATTERN: Final = re.compile(r"[a-z0-9_]+")
LANGUAGES: Final = ("vi", "en", "zh")
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
)


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
            Listing every missing or invalid field of every entry, and duplicate ids.
        """
        problems: list[Problem] = []
        layers = doc.get("layers", MISSING) if isinstance(doc, dict) else MISSING
        if not isinstance(layers, list):
            found = show(layers) if isinstance(doc, dict) else show(doc)
            problems.append(Problem(file, None, "layers", "a list of layer entries", found))
            raise RegistryError(path or base_dir / file, problems)
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
        if problems:
            raise RegistryError(path or base_dir / file, problems)
        return cls(tuple(specs), path)


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
    title = get("title", MISSING)
    if not isinstance(title, dict):
        add("title", "an object with vi, en and zh titles", title)
    else:
        for lang in LANGUAGES:
            text = title.get(lang, MISSING)
            if not (isinstance(text, str) and text.strip()):
                add(f"title.{lang}", "a non-empty string", text)
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
    for key in ("style", "source", "licence"):
        value = get(key, MISSING)
        if not (isinstance(value, str) and value.strip()):
            add(key, "a non-empty string", value)
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
