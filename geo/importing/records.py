"""A read layer's attributes as JSON properties: every field kept, mapped names, feature ids.

Every field of the file becomes a property under its own name, with JSON values (missing
numbers are ``null``, dates ISO text); ``--map SRC=DST`` renames exactly the fields the
planner named, and a mapped name that collides with another field is a problem, never a
silent overwrite. The feature id is the ``id`` field, or the one field whose name is ``id``
in another case (``ID``, kept as well under its own name); a file without one gets ids
``<layer>-<position>`` (1-based).

Examples
--------
>>> import geopandas, numpy as np
>>> from shapely import Point
>>> gdf = geopandas.GeoDataFrame(
...     {"ID": ["KTC-01"], "progress_p": [np.nan]}, geometry=[Point(1, 2)])
>>> records = layer_records(gdf, "lots.shp", "lots", {"progress_p": "progress_pct"})
>>> records.properties
[{'ID': 'KTC-01', 'progress_pct': None, 'id': 'KTC-01'}]
>>> records.id_field, records.labels
('ID', ['KTC-01'])
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

import geopandas
import numpy as np
import pandas as pd

from geo.importing.model import ImportProblem

__all__ = ["NUMERIC_MODEL_FIELDS", "Records", "json_value", "layer_records"]

#: The data model's numeric fields: where a file holds them as text (KML's ExtendedData is
#: text only), a plain decimal number (``40``, ``-3.5``) is read as that number; anything
#: else stays as written and validation reports it.
NUMERIC_MODEL_FIELDS: Final = (
    "progress_pct",
    "area_ha",
    "length_km",
    "open_length_km",
    "investment_vnd_bn",
)
_PLAIN_NUMBER: Final = re.compile(r"^\s*-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?\s*$")


@dataclass
class Records:
    """The properties of every feature, and how features are named in messages.

    Attributes
    ----------
    properties : list of dict
        One dict per feature, every field (mapped names applied) plus ``id``.
    labels : list of str
        How each feature is named in messages: its id, or ``#N`` (1-based) without one.
    id_field : str or None
        The file's id field, None when ids were generated.
    fields : list of str
        The property names, in file order (after mapping).
    problems : list of ImportProblem
        Mapping problems (unknown source field, clashes) and values that are not JSON.
    """

    properties: list[dict[str, Any]]
    labels: list[str]
    id_field: str | None
    fields: list[str]
    problems: list[ImportProblem] = field(default_factory=list)


def json_value(value: object) -> Any:
    """Return a cell as a JSON value: NaN and NA are null, numpy scalars plain, dates ISO.

    Raises
    ------
    TypeError
        When the value has no JSON form (bytes, a geometry in an attribute).

    Examples
    --------
    >>> json_value(np.float64("nan")), json_value(np.int64(3)), json_value(dt.date(2025, 6, 1))
    (None, 3, '2025-06-01')
    """
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else value
    if isinstance(value, str | bool | int):
        return value
    if isinstance(value, pd.Timestamp | dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if value is pd.NA:
        return None
    raise TypeError(f"a {type(value).__name__} value has no JSON form")


def _column_values(series: pd.Series, name: str) -> tuple[list[Any], tuple[int, str] | None]:
    """Return a column's cells as JSON values, and the first cell that has none (1-based)."""
    dtype = series.dtype
    if isinstance(dtype, np.dtype) and dtype.kind == "f":  # numpy floats: NaN is null
        return [None if math.isnan(v) else v for v in series.tolist()], None
    if isinstance(dtype, np.dtype) and dtype.kind in "iub":  # numpy ints, bools: no nulls
        return series.tolist(), None
    cells: list[Any] = []
    bad: tuple[int, str] | None = None
    for position, cell in enumerate(series.tolist(), start=1):
        if isinstance(cell, str):
            cells.append(_number_text(name, cell))
            continue
        try:
            cells.append(_number_text(name, json_value(cell)))
        except TypeError as exc:
            cells.append(None)
            bad = bad or (position, str(exc))
    return cells, bad


def _number_text(name: str, value: Any) -> Any:
    """Return a numeric model field written as plain number text as that number."""
    if name in NUMERIC_MODEL_FIELDS and isinstance(value, str) and _PLAIN_NUMBER.match(value):
        number = float(value)
        return int(number) if number.is_integer() and "." not in value else number
    return value


def _id_text(value: Any) -> str | None:
    """Return an id cell as text (``7.0`` from a DBF as ``7``), None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def layer_records(
    frame: geopandas.GeoDataFrame, file: str, layer_id: str, field_map: Mapping[str, str]
) -> Records:
    """Return every feature's properties, the id field and the mapping problems."""
    columns = [str(c) for c in frame.columns if c != frame.geometry.name]
    problems: list[ImportProblem] = []
    renamed: dict[str, str] = {}
    for src, dst in field_map.items():
        if src not in columns:
            problems.append(
                ImportProblem(
                    file,
                    None,
                    src,
                    "field-map",
                    f"--map {src}={dst}: the file has no field {src!r}; its fields: "
                    f"{', '.join(columns) or 'none'}",
                )
            )
            continue
        clash = [c for c in columns if c == dst and c not in field_map] + [
            s for s, d in renamed.items() if d == dst
        ]
        if clash:
            problems.append(
                ImportProblem(
                    file,
                    None,
                    dst,
                    "field-clash",
                    f"--map {src}={dst}: field {clash[0]!r} is already named {dst!r}; "
                    "map one of them to another name (nothing is overwritten)",
                )
            )
            continue
        renamed[src] = dst
    names = [renamed.get(c, c) for c in columns]
    id_field = "id" if "id" in names else None
    if id_field is None:
        like = [n for n in names if n.casefold() == "id"]
        id_field = like[0] if len(like) == 1 else None
    values: list[list[Any]] = []
    for column, name in zip(columns, names, strict=True):
        cells, bad = _column_values(frame[column], name)
        values.append(cells)
        if bad is not None:
            position, reason = bad
            problems.append(ImportProblem(file, f"#{position}", name, "not-json", reason))
    properties: list[dict[str, Any]] = [
        dict(zip(names, row, strict=True)) for row in zip(*values, strict=True)
    ] or [{} for _ in range(len(frame))]
    labels: list[str] = []
    for position, props in enumerate(properties, start=1):
        if id_field is None:
            props["id"] = f"{layer_id}-{position}"
            labels.append(f"#{position}")
        else:
            fid = _id_text(props.get(id_field))
            props["id"] = fid  # None is reported by validation (missing-id)
            labels.append(fid if fid is not None else f"#{position}")
    out_fields = names + ([] if "id" in names else ["id"])
    return Records(properties, labels, id_field, out_fields, problems)
