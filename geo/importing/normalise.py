"""What every reader does to what it read: NFC text, feature labels, building the frame.

Examples
--------
>>> nfc("\u0110o\u0302\u0300ng")
'Đồng'
>>> nfc({"tên": ["e\u0302\u0323"]})
{'tên': ['ệ']}
>>> feature_label({"ID": "KTC-01"}, 0), feature_label({"name": "x"}, 4)
('KTC-01', '#5')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

import geopandas
import pandas as pd
from shapely.geometry.base import BaseGeometry

__all__ = ["feature_label", "make_frame", "nfc", "nfc_frame"]


def nfc(value: Any) -> Any:
    """Return ``value`` with every string in it NFC-normalised (lists and dicts walked).

    Examples
    --------
    >>> nfc(None), nfc(3.5)
    (None, 3.5)
    """
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    return value


def feature_label(attributes: Mapping[str, Any], position: int) -> str:
    """Return how a feature is named in problems: its ``id`` (any case), else ``#N``.

    ``position`` is 0-based; ``#N`` is 1-based, as a planner counts.
    """
    for key, value in attributes.items():
        if isinstance(key, str) and key.casefold() == "id" and value not in (None, ""):
            if not (isinstance(value, float) and value != value):
                return str(value)
    return f"#{position + 1}"


def nfc_frame(frame: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    """Return ``frame`` with NFC-normalised column names and text values (in place).

    Examples
    --------
    >>> from shapely import Point
    >>> f = geopandas.GeoDataFrame({"te\u0302n": ["Đa\u0306ng"]}, geometry=[Point(0, 0)])
    >>> g = nfc_frame(f)
    >>> list(g.columns), g["tên"].iloc[0]
    (['tên', 'geometry'], 'Đăng')
    """
    geometry = frame.geometry.name
    renamed = {c: nfc(c) for c in frame.columns if isinstance(c, str) and nfc(c) != c}
    for column in frame.columns:
        series = frame[column]
        if column == geometry or pd.api.types.is_numeric_dtype(series.dtype):
            continue
        if pd.api.types.is_string_dtype(series.dtype) and not series.dtype == object:
            frame[column] = series.str.normalize("NFC")
        else:
            frame[column] = series.map(nfc)
    if renamed:
        frame = frame.rename(columns=renamed)
        if geometry in renamed:
            frame = frame.set_geometry(renamed[geometry])
    return frame


def make_frame(
    records: Sequence[Mapping[str, Any]],
    geometries: Sequence[BaseGeometry | None],
    crs: str | None,
) -> geopandas.GeoDataFrame:
    """Build a frame from attribute dicts and geometries (columns in first-seen order).

    The geometry column is ``geometry``, or ``_geometry`` (with more ``_`` as needed) when
    the file has an attribute of that name, so no attribute is overwritten.

    Examples
    --------
    >>> from shapely import Point
    >>> f = make_frame([{"geometry": "a field"}], [Point(1, 2)], "EPSG:4326")
    >>> f.geometry.name, f["geometry"].iloc[0], f.crs.to_string()
    ('_geometry', 'a field', 'EPSG:4326')
    >>> len(make_frame([], [], None))
    0
    """
    columns: dict[str, None] = {}
    for record in records:
        columns.update(dict.fromkeys(record))
    name = "geometry"
    while name in columns:
        name = f"_{name}"
    data = pd.DataFrame(list(records), columns=list(columns))
    data[name] = geopandas.array.from_shapely(list(geometries), crs=crs)
    return geopandas.GeoDataFrame(data, geometry=name, crs=crs)
