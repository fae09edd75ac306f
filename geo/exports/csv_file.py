"""A selection as CSV: geometry as WKT, UTF-8 with a byte-order mark so Excel reads Vietnamese.

The geometry is the column ``WKT`` (GDAL's CSV driver and QGIS read it as the geometry),
in WGS 84 lon/lat. Every row also carries ``notice`` (for reference only, the labels) and
``source_citations`` (the full citations of the sources it cites): a CSV has no other place
for them.

Examples
--------
>>> import geopandas
>>> from shapely import Point
>>> gdf = geopandas.GeoDataFrame({"id": ["a"], "name_vi": ["Đồng Đăng"]},
...                              geometry=[Point(106.7, 21.9)], crs=4326)
>>> data = csv_bytes(gdf, title="T", sources={}, lang="en")
>>> data[:3] == codecs.BOM_UTF8, data.decode("utf-8-sig").splitlines()[0]
(True, 'id,name_vi,WKT,notice,source_citations')
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Mapping

import geopandas

from geo.exports.notes import export_notes, flat_table, property_columns
from geo.sources import Source

__all__ = ["WKT_COLUMN", "csv_bytes"]

WKT_COLUMN = "WKT"


def csv_bytes(
    gdf: geopandas.GeoDataFrame, *, title: str, sources: Mapping[str, Source], lang: str
) -> bytes:
    """Return the selection as CSV bytes (UTF-8 with BOM, CRLF line ends as RFC 4180)."""
    table = flat_table(gdf)
    notes = export_notes(table, title=title, sources=sources, lang=lang)
    columns = property_columns(table)
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([*columns, WKT_COLUMN, "notice", "source_citations"])
    notice = notes.summary()
    citations = " | ".join(notes.cited)
    for (_, row), geom in zip(table.iterrows(), table.geometry, strict=True):
        cells = ["" if row[c] is None else row[c] for c in columns]
        writer.writerow([*cells, geom.wkt, notice, citations])
    return codecs.BOM_UTF8 + stream.getvalue().encode("utf-8")
