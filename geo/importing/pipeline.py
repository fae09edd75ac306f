"""An import from file to store: :func:`analyse` (read, CRS, axis, convert, check), :func:`commit`.

:func:`analyse` never writes: it returns an :class:`~geo.importing.model.ImportReport` with
the features converted to EPSG:4326 (VN-2000 through EPSG:6960, :mod:`geo.crs`), every problem
per feature and field, and every question the planner must answer. Only a report that is
``ok`` can be committed; :func:`commit` writes it as one layer in one store transaction (all
of it or nothing).

A new layer (an id not in the store) needs valid geometry and unique ids; the data model's
rules apply to the fields it has. It gets a registry entry: the id, titles from the name (the
same in every language: a name is not translated), group ``context``, a style of its geometry
kind, schema ``context``, the file name and import date as its source, licence ``unknown``
(never invented). A layer that replaces a stored one keeps its entry and geometry kind; when
that layer is a project or lot layer, every feature must meet its full data model; a project
layer's accuracy becomes ``surveyed`` or ``digitised`` with the file name and date in the note.

A file with several layers (a GeoPackage) is imported one layer at a time:
:func:`analyse_layers` gives one report per layer; :func:`analyse` takes the layer named by
``--layer`` and otherwise refuses, naming the layers.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import geopandas
import numpy as np
import pandas as pd

from geo.crs import WGS84, to_wgs84
from geo.errors import CRSError
from geo.i18n import LANGUAGES, t, text_fields
from geo.importing.axis import decide_axis, swap_axes
from geo.importing.crs_resolve import resolve_crs, sample_xy
from geo.importing.model import (
    ImportFileError,
    ImportOptions,
    ImportProblem,
    ImportReport,
    Question,
    RawLayer,
)
from geo.importing.records import json_value, layer_records
from geo.importing.validate import (
    drop_flat_z,
    field_problems,
    geometry_problems,
    id_problems,
    layer_kind,
    location_problems,
    placeable,
    repair,
    sliver_problems,
    taken_id_problems,
)
from geo.jsonfile import read_json
from geo.registry import DEFAULT_REGISTRY_PATH
from geo.sources import load_sources

if TYPE_CHECKING:
    from geo.store.core import Store

__all__ = [
    "ACCURACY_CHOICES",
    "NEW_LAYER_STYLES",
    "analyse",
    "analyse_layers",
    "analyse_raw",
    "commit",
    "layer_id_for",
    "new_entry",
    "report_features",
    "stored_ids",
]

#: What a replaced project layer's features become (the planner's choice; default first).
#: Schemas whose layers a replacing import must meet in full (a new layer needs only valid
#: shapes and the model fields it has): the projects, and the lots an investor reads.
FULL_SCHEMAS: Final = ("project", "lot")
ACCURACY_CHOICES: Final = ("digitised", "surveyed")
#: The style of a new layer, by geometry kind (keys of ``geo.style.LAYER_STYLES``).
NEW_LAYER_STYLES: Final = {"polygon": "province", "line": "railway", "point": "town"}
NEW_LAYER_GROUP: Final = "context"
NEW_LAYER_LICENCE: Final = "unknown"
_LAYER_ID = re.compile(r"^[a-z0-9_]+$")


def layer_id_for(name: str) -> str:
    """Return a layer id (``[a-z0-9_]+``) made from a file or layer name.

    Examples
    --------
    >>> layer_id_for("Khu Đô thị-A (2025).shp")
    'khu_do_thi_a_2025'
    >>> layer_id_for("ĐỒNG ĐĂNG")
    'dong_dang'
    """
    stem = Path(name).stem if "." in name else name
    text = unicodedata.normalize("NFKD", stem.replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    return slug or "imported"


@functools.lru_cache(maxsize=1)
def _seed_entries() -> tuple[Mapping[str, Any], ...]:
    """Return the seed registry's entries: what a store holds before anyone writes to it."""
    return tuple(read_json(DEFAULT_REGISTRY_PATH)["layers"])


@functools.lru_cache(maxsize=1)
def _seed_source_ids() -> frozenset[str]:
    return frozenset(load_sources(DEFAULT_REGISTRY_PATH.parent / "sources.json"))


def analyse_layers(
    path: Path,
    options: ImportOptions | None = None,
    *,
    entries: Sequence[Mapping[str, Any]] | None = None,
    source_ids: Collection[str] | None = None,
    taken_ids: Mapping[str, str] | None = None,
) -> list[ImportReport]:
    """Return one report per layer of a file (a GeoPackage may hold several).

    A file that cannot be read at all gives one report with its ``unreadable`` problem.
    """
    from geo.importing.read import read_file

    options = options or ImportOptions()
    path = Path(path)
    try:
        raws = read_file(path, options)
    except ImportFileError as exc:
        return [_unreadable(path, options, str(exc))]
    except OSError as exc:
        return [_unreadable(path, options, f"cannot be read: {exc}")]
    single = len(raws) == 1
    return [
        analyse_raw(
            raw,
            options if single else _for_layer(options, raw),
            entries=entries,
            source_ids=source_ids,
            taken_ids=taken_ids,
        )
        for raw in raws
    ]


def _for_layer(options: ImportOptions, raw: RawLayer) -> ImportOptions:
    return replace(options, layer=layer_id_for(raw.name))


def _unreadable(path: Path, options: ImportOptions, message: str) -> ImportReport:
    layer_id = options.layer or layer_id_for(path.name)
    # ImportProblem names the file itself.
    message = message.removeprefix(f"{path.name}: ")
    problem = ImportProblem(path.name, None, None, "unreadable", message)
    return ImportReport(path.name, layer_id, None, None, [problem])


def analyse(
    path: Path,
    options: ImportOptions | None = None,
    *,
    entries: Sequence[Mapping[str, Any]] | None = None,
    source_ids: Collection[str] | None = None,
    taken_ids: Mapping[str, str] | None = None,
) -> ImportReport:
    """Read a planner's file and report on it; nothing is written.

    Parameters
    ----------
    path : Path
        The file (GeoJSON, zipped Shapefile, GeoPackage, KML/KMZ, CSV).
    options : ImportOptions or None
        The planner's answers (``--layer``, ``--crs``, ``--encoding``, ``--axis``,
        ``--map``, accepted repairs).
    entries : Sequence[Mapping] or None
        The store's registry entries (to tell a new layer from a replacement); default the
        seed registry's.
    source_ids : Collection[str] or None
        The ids of ``sources.json``; default the seed's.
    taken_ids : Mapping[str, str] or None
        Feature id → layer id of the stored layers (ids are unique across layers); None
        skips that check.

    Returns
    -------
    ImportReport
        For a file with several layers and no ``--layer`` naming one of them: a report that
        refuses, naming the layers.
    """
    from geo.importing.read import read_file

    options = options or ImportOptions()
    path = Path(path)
    try:
        raws = read_file(path, options)
    except ImportFileError as exc:
        return _unreadable(path, options, str(exc))
    except OSError as exc:
        return _unreadable(path, options, f"cannot be read: {exc}")
    if len(raws) == 1:
        return analyse_raw(
            raws[0], options, entries=entries, source_ids=source_ids, taken_ids=taken_ids
        )
    chosen = [r for r in raws if options.layer in (r.name, layer_id_for(r.name))]
    if options.layer and len(chosen) == 1:
        return analyse_raw(
            chosen[0], options, entries=entries, source_ids=source_ids, taken_ids=taken_ids
        )
    names = ", ".join(repr(r.name) for r in raws) or "none"
    layer_id = options.layer or layer_id_for(path.name)
    message = (
        f"the file holds {len(raws)} layers ({names}); import one at a time with "
        "--layer NAME (its name in the file, which also becomes the layer id)"
        if raws
        else "the file holds no layer"
    )
    return ImportReport(
        path.name,
        layer_id,
        None,
        None,
        [ImportProblem(path.name, None, None, "several-layers" if raws else "no-layer", message)],
    )


def analyse_raw(
    raw: RawLayer,
    options: ImportOptions | None = None,
    *,
    entries: Sequence[Mapping[str, Any]] | None = None,
    source_ids: Collection[str] | None = None,
    taken_ids: Mapping[str, str] | None = None,
) -> ImportReport:
    """Report on one read layer: CRS, axis order, conversion to EPSG:4326, validation."""
    options = options or ImportOptions()
    file = raw.file
    problems: list[ImportProblem] = list(raw.problems)
    questions: list[Question] = list(raw.questions)
    file_stem = Path(file.split("!")[0]).stem
    layer_id = options.layer or layer_id_for(file_stem)
    # A layer picked from a file of several is named after itself, else after the file.
    title = raw.name if raw.name and layer_id == layer_id_for(raw.name) else file_stem
    if not _LAYER_ID.fullmatch(layer_id):
        problems.append(
            ImportProblem(
                file,
                None,
                None,
                "layer-id",
                f"--layer {layer_id!r}: expected a layer id of a-z, 0-9 and '_' "
                f"(e.g. {layer_id_for(layer_id)!r})",
            )
        )
    stored = {str(e.get("id")): e for e in (_seed_entries() if entries is None else entries)}
    existing = stored.get(layer_id)
    ids = _seed_source_ids() if source_ids is None else source_ids

    records = layer_records(raw.frame, file, layer_id, options.field_map)
    problems.extend(records.problems)
    labels = records.labels
    geoms = np.asarray(raw.frame.geometry.array, dtype=object)
    if len(geoms) == 0:
        problems.append(ImportProblem(file, None, None, "no-features", "no features"))

    resolved = resolve_crs(raw, options)
    problems.extend(resolved.problems)
    questions.extend(resolved.questions)
    crs = resolved.crs
    if crs is not None:
        decision = decide_axis(sample_xy(raw.frame), crs, options.axis, file)
        if decision.question is not None:
            questions.append(decision.question)
        order = decision.order
    else:
        order = options.axis or "en"
    if order == "ne":
        geoms = swap_axes(geoms)
    geoms = drop_flat_z(geoms)

    kind = str(existing["geometry_kind"]) if existing else layer_kind(geoms)
    shape_problems = geometry_problems(file, labels, geoms, kind)
    usable = placeable(geoms, kind)
    lonlat: np.ndarray | None = None
    if crs is not None:
        try:
            lonlat = _convert(geoms, crs, usable)
        except CRSError as exc:
            problems.append(ImportProblem(file, None, "geometry", "transform", str(exc)))
    repaired = repair(file, labels, geoms, lonlat, options.repairs)
    questions.extend(repaired.questions)
    problems.extend(p for p in shape_problems if (p.feature, p.rule) not in repaired.fixed)
    if lonlat is not None:
        placed = np.where(usable, repaired.geometries, None)
        problems.extend(location_problems(file, labels, placed, geoms, crs or WGS84))
        problems.extend(sliver_problems(file, labels, placed))
    # A layer that replaces a project or lot layer meets that layer's whole data model.
    full_schema = existing.get("schema") if existing else None
    full_schema = full_schema if full_schema in FULL_SCHEMAS else None
    problems.extend(
        field_problems(file, labels, records.properties, full_schema=full_schema, source_ids=ids)
    )
    problems.extend(id_problems(file, labels, records.properties, records.id_field))
    if taken_ids:
        problems.extend(taken_id_problems(file, labels, records.properties, taken_ids, layer_id))

    frame = None
    if lonlat is not None:
        frame = _frame(records.properties, records.fields, repaired.geometries)
        frame.attrs.update(
            {"layer_name": title, "geometry_kind": kind, "replaces": existing is not None}
        )
    return ImportReport(file, layer_id, crs, frame, problems, questions)


def _convert(geoms: np.ndarray, crs: str, convertible: Sequence[bool]) -> np.ndarray:
    """Return the geometries in EPSG:4326 (None where they cannot be converted)."""
    out = np.full(len(geoms), None, dtype=object)
    rows = np.flatnonzero(np.asarray(convertible, dtype=bool))
    if len(rows) == 0:
        return out
    frame = geopandas.GeoDataFrame(geometry=list(geoms[rows]), crs=crs)
    converted = to_wgs84(frame)
    out[rows] = np.asarray(converted.geometry.array, dtype=object)
    return out


def _frame(
    properties: Sequence[Mapping[str, Any]], fields: Sequence[str], geoms: np.ndarray
) -> geopandas.GeoDataFrame:
    """Build the converted layer: object columns (ints stay ints, nulls stay None)."""
    columns = {name: pd.Series([p.get(name) for p in properties], dtype=object) for name in fields}
    data = pd.DataFrame(columns) if columns else pd.DataFrame(index=range(len(geoms)))
    return geopandas.GeoDataFrame(data, geometry=list(geoms), crs=WGS84)


def stored_ids(layers: Mapping[str, geopandas.GeoDataFrame]) -> dict[str, str]:
    """Return feature id → layer id of loaded layers (indexed by id, as the store gives them)."""
    return {str(fid): layer_id for layer_id, gdf in layers.items() for fid in gdf.index}


def report_features(report: ImportReport) -> list[Any]:
    """Return a report's features as store :class:`~geo.store.core.Feature` objects."""
    from geo.store.core import Feature

    if report.frame is None:
        return []
    frame = report.frame
    names = [c for c in frame.columns if c != frame.geometry.name]
    features = []
    for values, geom in zip(
        frame[names].itertuples(index=False, name=None), frame.geometry, strict=True
    ):
        props = {name: json_value(v) for name, v in zip(names, values, strict=True)}
        features.append(Feature(props, geom))
    return features


def new_entry(report: ImportReport, today: dt.date) -> dict[str, Any]:
    """Return the registry entry of a new layer made from a report.

    Examples
    --------
    >>> from shapely import Point
    >>> frame = geopandas.GeoDataFrame({"id": ["a"]}, geometry=[Point(106.7, 21.9)])
    >>> frame.attrs.update({"layer_name": "Giếng khoan", "geometry_kind": "point"})
    >>> entry = new_entry(ImportReport("gieng.zip", "gieng", "EPSG:9215", frame),
    ...                   dt.date(2026, 12, 2))
    >>> entry["title"]["zh"], entry["style"], entry["source"], entry["licence"]
    ('Giếng khoan', 'town', 'gieng.zip, imported 2026-12-02 (EPSG:9215)', 'unknown')
    """
    frame = report.frame
    kind = str(frame.attrs["geometry_kind"]) if frame is not None else "point"
    name = str(frame.attrs.get("layer_name") or report.layer_id) if frame is not None else ""
    return {
        "id": report.layer_id,
        "title": dict.fromkeys(LANGUAGES, name or report.layer_id),
        "file": f"{report.layer_id}.geojson",
        "geometry_kind": kind,
        "group": NEW_LAYER_GROUP,
        "style": NEW_LAYER_STYLES[kind],
        "visible": True,
        "schema": "context",
        "source": f"{report.file}, imported {today.isoformat()} ({report.source_crs})",
        "licence": NEW_LAYER_LICENCE,
    }


def commit(
    report: ImportReport,
    store: Store,
    *,
    accuracy: str = ACCURACY_CHOICES[0],
    today: dt.date | None = None,
    expected_version: int | None = None,
) -> int:
    """Write an ``ok`` report to the store as one layer, in one transaction; return its version.

    Parameters
    ----------
    report : ImportReport
        From :func:`analyse`; refused unless ``report.ok``.
    store : geo.store.Store
        The store to write to.
    accuracy : {"digitised", "surveyed"}
        What a replaced project layer's features become; the note names file and date.
    today : datetime.date or None
        The import date (default today).
    expected_version : int or None
        Refuse the write unless the stored layer is at this version (0: it must be new).

    Raises
    ------
    ImportFileError
        When the report is not ``ok`` (nothing is written).
    geo.errors.StoreError
        When the store refuses (nothing is written).
    """
    from geo.store.core import Feature, LayerWrite

    if not report.ok:
        raise ImportFileError(
            f"{report.file}: not importable as is ({len(report.problems)} problem(s), "
            f"{len(report.questions)} open question(s)); nothing was written"
        )
    if accuracy not in ACCURACY_CHOICES:
        raise ValueError(f"accuracy must be one of {', '.join(ACCURACY_CHOICES)}; got {accuracy!r}")
    day = today or dt.date.today()
    entries = {str(e.get("id")): e for e in store.entries()}
    existing = entries.get(report.layer_id)
    features = report_features(report)
    if existing is None:
        entry: dict[str, Any] = new_entry(report, day)
    else:
        entry = dict(existing)
        entry["source"] = (
            f"{existing['source']}. Shapes replaced from {report.file}, imported "
            f"{day.isoformat()} ({report.source_crs})"
        )
        if existing.get("schema") == "project":
            note = {
                field: t(
                    f"import.accuracy_note.{accuracy}", lang, file=report.file, date=day.isoformat()
                )
                for field, lang in zip(text_fields("accuracy_note"), LANGUAGES, strict=True)
            }
            features = [
                Feature({**f.properties, "geometry_accuracy": accuracy, **note}, f.geometry)
                for f in features
            ]
    write = LayerWrite(entry, features, report.source_crs or WGS84, expected_version)
    return store.write([write])[report.layer_id]
