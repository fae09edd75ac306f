"""A selection as an Excel workbook (openpyxl): the data sheet and a notes sheet.

The data sheet has one row per feature, every property as a scalar (lists joined with
``"; "``), and ``geometry_wkt`` (WGS 84 lon/lat). The notes sheet holds the "for reference
only" notice, what is illustrative or schematic, the CRS and every cited source. Text that
Excel would run as a formula (starting with ``=``, ``+``, ``-`` or ``@``) is stored as text.

Examples
--------
>>> import io, geopandas, openpyxl
>>> from shapely import Point
>>> gdf = geopandas.GeoDataFrame({"id": ["a"], "note": ["=HYPERLINK(1)"]},
...                              geometry=[Point(106.7, 21.9)], crs=4326)
>>> book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(gdf, title="T", sources={}, lang="en")))
>>> book.sheetnames, book["data"]["B2"].data_type, book["Notes"]["A1"].value
(['data', 'Notes'], 's', 'For reference only')
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any, Final

import geopandas
import openpyxl
from openpyxl.styles import Font

from geo.exports.notes import export_notes, flat_table, property_columns
from geo.i18n import t
from geo.sources import Source

__all__ = ["EXCEL_CELL_LIMIT", "xlsx_bytes"]

#: Excel keeps at most this many characters in a cell.
EXCEL_CELL_LIMIT: Final = 32_767
_FORMULA_STARTS: Final = ("=", "+", "-", "@")


def _set(sheet: Any, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        cell.data_type = "s"  # data, never a formula


def xlsx_bytes(
    gdf: geopandas.GeoDataFrame,
    *,
    title: str,
    sources: Mapping[str, Source],
    lang: str,
    sheet: str = "data",
) -> bytes:
    """Return the selection as XLSX bytes: sheet ``sheet`` and the notes sheet."""
    table = flat_table(gdf)
    notes = export_notes(table, title=title, sources=sources, lang=lang)
    book = openpyxl.Workbook()
    data = book.active
    data.title = sheet
    columns = [*property_columns(table), "geometry_wkt"]
    for j, name in enumerate(columns, start=1):
        _set(data, 1, j, name)
        data.cell(row=1, column=j).font = Font(bold=True)
    for i, ((_, row), geom) in enumerate(zip(table.iterrows(), table.geometry, strict=True), 2):
        for j, name in enumerate(columns[:-1], start=1):
            _set(data, i, j, row[name])
        wkt = geom.wkt
        if len(wkt) > EXCEL_CELL_LIMIT:
            wkt = t("export.geometry_too_long", lang, n=f"{len(wkt):,}")
        _set(data, i, len(columns), wkt)
    data.freeze_panes = "B2"
    sheet_notes = book.create_sheet(t("export.notes_sheet", lang))
    for i, line in enumerate(notes.lines(), start=1):
        _set(sheet_notes, i, 1, line)
    sheet_notes["A1"].font = Font(bold=True, color="C00000")
    sheet_notes.column_dimensions["A"].width = 120
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
