"""What every exported file carries besides the features: the notice, the labels, the sources.

A selection (lots or any layer) leaves the app only with its "for reference only" notice, the
statement of what is illustrative or schematic, the CRS, and the full citation of every source
its features cite. Files with columns also get the selection flattened: lists (``sources``,
``illustrative_fields``) as ``"; "``-joined text, nested objects (``milestones``) as JSON.

Examples
--------
>>> import geopandas
>>> from shapely import Point
>>> from geo.sources import Source
>>> gdf = geopandas.GeoDataFrame(
...     {"id": ["a"], "sources": [["s1"]], "illustrative_fields": [["geometry", "code"]],
...      "geometry_accuracy": ["illustrative"]}, geometry=[Point(106.7, 21.9)], crs=4326)
>>> notes = export_notes(gdf, title="Lots", sources={"s1": Source("s1", "T", "P", None)},
...                      lang="en")
>>> notes.notice, notes.cited[0]
('For reference only', 's1: P, T')
>>> flat_table(gdf)[["sources", "illustrative_fields"]].iloc[0].tolist()
['s1', 'geometry; code']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

import geopandas
import numpy as np
import pandas as pd

from geo.errors import ExportError
from geo.i18n import t
from geo.sources import Source

__all__ = [
    "ExportNotes",
    "cited_source_ids",
    "export_notes",
    "flat_table",
    "plain_value",
    "property_columns",
    "rows",
    "selection_frame",
]

#: Properties that name sources: ``sources`` (a list) and every ``*_source`` field.
_LIST_SEPARATOR: Final = "; "


@dataclass(frozen=True)
class ExportNotes:
    """The texts a file carries about its content, in one language.

    Attributes
    ----------
    notice : str
        "For reference only" (vi: "Thông tin chỉ có giá trị tham khảo").
    labels : tuple[str, ...]
        What is illustrative or schematic, the CRS, the layer and its count.
    cited : tuple[str, ...]
        ``"id: publisher, title, date, url"`` per cited source, in id order.
    heading : str
        The heading of the citations ("Sources").
    """

    notice: str
    labels: tuple[str, ...]
    cited: tuple[str, ...]
    heading: str

    def lines(self) -> list[str]:
        """Return every note as lines: notice, labels, then the sources under their heading."""
        return [
            self.notice,
            *self.labels,
            *((f"{self.heading}:", *self.cited) if self.cited else ()),
        ]

    def summary(self) -> str:
        """Return the notice and the labels as one text."""
        return " ".join((self.notice, *self.labels))


def plain_value(value: Any) -> Any:
    """Return a frame cell as a plain JSON value (numpy scalars, NaN and arrays out).

    Examples
    --------
    >>> import numpy as np
    >>> plain_value(np.int64(3)), plain_value(float("nan")), plain_value(np.array(["a"]))
    (3, None, ['a'])
    """
    if isinstance(value, np.ndarray):
        return [plain_value(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and np.isnan(value):
        return None
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    if value is pd.NA or value is pd.NaT:
        return None
    return value


def cited_source_ids(gdf: pd.DataFrame) -> list[str]:
    """Return every source id the rows cite (``sources`` lists, ``*_source`` fields), sorted.

    Examples
    --------
    >>> frame = pd.DataFrame({"sources": [["b", "a"], "d; e"], "contact_source": ["c", None]})
    >>> cited_source_ids(frame)
    ['a', 'b', 'c', 'd', 'e']
    """
    found: set[str] = set()
    for column in gdf.columns:
        if column != "sources" and not str(column).endswith("_source"):
            continue
        for value in gdf[column]:
            value = plain_value(value)
            if isinstance(value, str):  # a flattened list (flat_table) or one id
                value = value.split(_LIST_SEPARATOR)
            items = value if isinstance(value, list) else [value]
            found.update(v.strip() for v in items if isinstance(v, str) and v.strip())
    return sorted(found)


def _citation(sid: str, source: Source | None) -> str:
    if source is None:
        return f"{sid}: (not in sources.json)"
    parts = [source.publisher, source.title, source.date, source.url]
    return f"{sid}: " + ", ".join(p for p in parts if p)


def export_notes(
    gdf: pd.DataFrame, *, title: str, sources: Mapping[str, Source], lang: str
) -> ExportNotes:
    """Return the notice, labels and citations of a selection in ``lang``.

    Parameters
    ----------
    gdf : DataFrame
        The selection (its ``sources``, ``*_source``, ``illustrative_fields`` and
        ``geometry_accuracy`` columns are read).
    title : str
        The layer's or selection's title, in ``lang``.
    sources : Mapping[str, Source]
        ``geo.sources.load_sources`` of ``layers/sources.json``.
    lang : {"vi", "en", "zh"}
    """
    labels = [t("export.layer", lang, title=title, count=len(gdf))]
    if "illustrative_fields" in gdf and any(plain_value(v) for v in gdf["illustrative_fields"]):
        labels.append(t("export.illustrative_fields_note", lang))
    if (
        "geometry_accuracy" in gdf
        and gdf["geometry_accuracy"].isin(["schematic", "illustrative"]).any()
    ):
        labels.append(t("export.accuracy_note", lang))
    labels.append(t("export.crs", lang))
    cited = tuple(_citation(sid, sources.get(sid)) for sid in cited_source_ids(gdf))
    return ExportNotes(t("export.notice", lang), tuple(labels), cited, t("export.sources", lang))


def _flat(value: Any) -> Any:
    value = plain_value(value)
    if isinstance(value, list):
        if all(isinstance(v, str | int | float) for v in value):
            return _LIST_SEPARATOR.join(str(v) for v in value)
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def selection_frame(gdf: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    """Return the selection ready to write: an ``id`` column first, EPSG:4326, a plain index.

    Raises
    ------
    ExportError
        When the selection has no CRS (a file must say what its coordinates are).

    Examples
    --------
    >>> from shapely import Point
    >>> gdf = geopandas.GeoDataFrame({"code": ["A"]}, geometry=[Point(0, 0)],
    ...                              index=["lot-a"], crs=4326)
    >>> list(selection_frame(gdf).columns), selection_frame(gdf)["id"].tolist()
    (['id', 'code', 'geometry'], ['lot-a'])
    """
    if gdf.crs is None:
        raise ExportError("the selection has no CRS: set one before exporting")
    out = gdf.to_crs(4326) if gdf.crs.to_epsg() != 4326 else gdf.copy()
    if "id" not in out.columns:
        out.insert(0, "id", [str(i) for i in out.index])
    return out.reset_index(drop=True)


def flat_table(gdf: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    """Return the selection (:func:`selection_frame`) with every cell a scalar.

    Lists of scalars become ``"; "``-joined text, other lists and objects JSON.
    """
    out = selection_frame(gdf)
    for column in out.columns:
        if column == out.geometry.name:
            continue
        if out[column].dtype == object:
            out[column] = pd.Series([_flat(v) for v in out[column]], index=out.index, dtype=object)
    return out


def property_columns(gdf: geopandas.GeoDataFrame) -> list[str]:
    """Return the non-geometry columns in order."""
    return [c for c in gdf.columns if c != gdf.geometry.name]


def rows(gdf: geopandas.GeoDataFrame) -> Iterable[dict[str, Any]]:
    """Yield each row's properties as plain JSON values (lists kept)."""
    columns = property_columns(gdf)
    for _, row in gdf.iterrows():
        yield {c: plain_value(row[c]) for c in columns}
