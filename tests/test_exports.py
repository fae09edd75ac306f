"""Exports opened with independent readers: pyogrio/GDAL, openpyxl and pypdf.

Each file is checked for its content, CRS and feature count, and for what it must carry: the
"for reference only" notice, the illustrative labels and the sources. The selection is the
shipped lot layer (a filtered subset, as the investor view exports) and small invented frames
for the edge cases (formula-like text, a shape too long for an Excel cell).
"""

from __future__ import annotations

import codecs
import io
import json
import re
from functools import cache
from pathlib import Path

import geopandas
import openpyxl
import pyogrio
import pypdf
import pytest
import shapely
from shapely import Point

from geo.catalog import load_catalog
from geo.errors import ExportError, StoreError
from geo.exports import FORMATS, export_bytes, write_bytes, write_export
from geo.exports.lot_sheet import LotSheetError, lot_sheet_pdf
from geo.registry import load_registry
from geo.sources import load_sources

REPO = Path(__file__).resolve().parent.parent
NOTICE_VI = "Thông tin chỉ có giá trị tham khảo"
A4_PT = (595.28, 841.89)


@cache
def catalog():
    return load_catalog(load_registry())


@cache
def sources():
    return load_sources(REPO / "layers" / "sources.json")


def selection() -> geopandas.GeoDataFrame:
    """The reserved lots of the shipped layer: a filtered selection, as the view exports."""
    lots = catalog().layers["lots"]
    return lots[lots["availability"] == "reserved"]


def export(fmt: str, gdf=None, lang: str = "vi") -> bytes:
    gdf = selection() if gdf is None else gdf
    return export_bytes(gdf, fmt, title="Lô đất (minh họa)", sources=sources(), lang=lang)


def read(fmt: str, data: bytes, tmp_path: Path) -> geopandas.GeoDataFrame:
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(data)
    return pyogrio.read_dataframe(path)


def test_every_format_is_tested_here():
    assert set(FORMATS) == {"geojson", "csv", "xlsx", "gpkg"}


def test_geojson_reads_back_with_crs_count_properties_and_notes(tmp_path):
    data = export("geojson")
    back = read("geojson", data, tmp_path)
    assert back.crs.to_epsg() == 4326 and len(back) == len(selection())
    doc = json.loads(data)
    assert doc["notice"] == NOTICE_VI
    assert any("illustrative_fields" in label for label in doc["labels"])
    assert any(c.startswith("banqlktck-540: Ban Quản lý") for c in doc["sources"])
    first = doc["features"][0]["properties"]
    assert first["illustrative_fields"][0] == "geometry"  # lists stay lists
    assert first["id"] == selection().index[0]
    shapes = [shapely.geometry.shape(f["geometry"]) for f in doc["features"]]
    assert all(a.equals_exact(b, 1e-9) for a, b in zip(shapes, selection().geometry, strict=True))


def test_csv_has_a_bom_wkt_geometry_vietnamese_text_and_the_notes(tmp_path):
    data = export("csv")
    assert data.startswith(codecs.BOM_UTF8)
    back = read("csv", data, tmp_path)  # GDAL takes the WKT column as the geometry
    assert len(back) == len(selection())
    assert back.crs is None  # a CSV cannot say; the WKT is lon/lat:
    xmin, ymin, xmax, ymax = back.total_bounds
    assert 106 < xmin < xmax < 107 and 21 < ymin < ymax < 23
    for a, b in zip(back.geometry, selection().geometry, strict=True):
        assert a.equals_exact(b, 1e-9)
    row = back.iloc[0]
    assert row["contact_vi"].startswith("Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng")
    assert row["illustrative_fields"].startswith("geometry; code; road")
    assert row["notice"].startswith(NOTICE_VI) and "EPSG:4326" in row["notice"]
    assert "banqlktck-540: Ban Quản lý" in row["source_citations"]


def test_xlsx_has_the_data_sheet_and_a_notes_sheet_with_label_and_sources():
    book = openpyxl.load_workbook(io.BytesIO(export("xlsx", lang="en")))
    assert book.sheetnames == ["data", "Notes"]
    data = book["data"]
    header = [c.value for c in data[1]]
    assert header[0] == "id" and "illustrative_fields" in header and header[-1] == "geometry_wkt"
    assert data.max_row - 1 == len(selection())
    wkt = data.cell(row=2, column=len(header)).value
    assert shapely.from_wkt(wkt).equals_exact(selection().geometry.iloc[0], 1e-9)
    rows = {r[0].value: r for r in data.iter_rows(min_row=2)}
    assert set(rows) == set(selection().index)
    notes = [r[0].value for r in book["Notes"].iter_rows()]
    assert notes[0] == "For reference only"
    assert any("illustrative_fields" in n for n in notes)
    assert "Sources:" in notes
    assert any(n.startswith("cw-hanoi-industrial-q1-2025: Cushman & Wakefield") for n in notes)


def test_xlsx_stores_formula_like_text_as_text_and_refuses_nothing_too_long():
    huge = shapely.Polygon(
        [(106.0 + i * 1e-5, 21.0 + (i % 2) * 1e-5) for i in range(3000)] + [(106.0, 21.1)]
    )
    gdf = geopandas.GeoDataFrame(
        {"id": ["a", "b"], "note": ['=HYPERLINK("http://x")', "-1+2"]},
        geometry=[Point(106.7, 21.9), huge],
        crs=4326,
    )
    book = openpyxl.load_workbook(io.BytesIO(export("xlsx", gdf, lang="en")))
    data = book["data"]
    assert data["B2"].data_type == "s" and data["B2"].value.startswith("=HYPERLINK")
    assert data["B3"].data_type == "s"
    assert data["C3"].value.startswith("(shape too long for an Excel cell")


def test_gpkg_reads_back_with_crs_count_and_metadata(tmp_path):
    data = export("gpkg", lang="zh")
    path = tmp_path / "lots.gpkg"
    path.write_bytes(data)
    info = pyogrio.read_info(path)
    assert info["crs"] == "EPSG:4326" and info["features"] == len(selection())
    meta = info["layer_metadata"]
    assert meta["notice"] == "仅供参考"
    assert "illustrative_fields" in meta["labels"] and "banqlktck-540: " in meta["sources"]
    back = pyogrio.read_dataframe(path)
    assert list(back["id"]) == list(selection().index)
    assert back["illustrative_fields"].str.contains("rent_usd_m2_term").all()
    assert back["sources"].str.contains("banqlktck-540").all()


def test_any_layer_exports_too_with_its_accuracy_label(tmp_path):
    zones = catalog().layers["zones"]
    back = read("gpkg", export("gpkg", zones, lang="en"), tmp_path)
    assert len(back) == len(zones) and set(back["geometry_accuracy"]) == {
        "schematic",
        "illustrative",
    }
    info = pyogrio.read_info(tmp_path / "export.gpkg")
    assert "not surveyed" in info["layer_metadata"]["labels"]


def test_a_projected_selection_is_written_in_wgs84(tmp_path):
    projected = selection().to_crs(9215)
    back = read("geojson", export("geojson", projected), tmp_path)
    for a, b in zip(back.geometry, selection().geometry, strict=True):
        assert a.equals_exact(b, 1e-7)


def test_bad_requests_are_refused_with_a_message(tmp_path):
    with pytest.raises(ExportError, match="unknown export format 'shp'"):
        export("shp")
    no_crs = geopandas.GeoDataFrame({"id": ["a"]}, geometry=[Point(0, 0)])
    with pytest.raises(ExportError, match="no CRS"):
        export("csv", no_crs)
    with pytest.raises(StoreError, match="expected an existing folder"):
        write_bytes(tmp_path / "no" / "x.csv", b"x")
    assert not (tmp_path / "no").exists()


def test_write_export_writes_the_file_and_counts(tmp_path):
    path = tmp_path / "lots.csv"
    count = write_export(path, selection(), "csv", title="T", sources=sources(), lang="en")
    assert count == len(selection()) and path.read_bytes().startswith(codecs.BOM_UTF8)


# --- the lot sheet ----------------------------------------------------------------------


@cache
def sheet(lang: str) -> pypdf.PdfReader:
    lots = catalog().layers["lots"]
    data = lot_sheet_pdf(
        lots.index[0], lots=lots, layers=catalog().layers, sources=sources(), lang=lang
    )
    return pypdf.PdfReader(io.BytesIO(data))


def embedded_fonts(reader: pypdf.PdfReader) -> dict[str, bool]:
    """Return every font of the page: its base name -> whether its file is embedded."""
    fonts = {}
    for font in reader.pages[0]["/Resources"]["/Font"].values():
        font = font.get_object()
        descendants = font.get("/DescendantFonts")
        target = descendants[0].get_object() if descendants else font
        descriptor = target.get("/FontDescriptor")
        embedded = descriptor is not None and any(
            k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3")
        )
        fonts[str(font["/BaseFont"])] = embedded
    return fonts


def page_text(lang: str) -> str:
    """The sheet's text as pypdf extracts it, normalised on both sides by :func:`norm`."""
    return norm(sheet(lang).pages[0].extract_text())


def norm(text: str) -> str:
    """Drop white space and collapse repeated characters.

    matplotlib shapes some Vietnamese letters (ị, ọ, ả) as two glyphs, a base and a mark,
    and maps both to the letter in the PDF's ToUnicode table: pypdf then reads the letter
    twice ("trịị"), with a space here and there. The page shows it once.
    """
    return re.sub(r"(.)\1+", r"\1", re.sub(r"\s+", "", text))


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_the_lot_sheet_is_one_a4_page(lang):
    reader = sheet(lang)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4_PT[0], abs=0.5)
    assert float(box.height) == pytest.approx(A4_PT[1], abs=0.5)


def test_the_vietnamese_sheet_holds_the_code_the_notice_facts_and_distances():
    lot = catalog().layers["lots"].iloc[0]
    text = page_text("vi")
    for expected in (
        f"Lô {lot['code']}",
        NOTICE_VI,
        "Khu trung chuyển hàng hóa",  # the zone's name
        "minh họa",
        "chưa có trong nguồn",
        lot["contact_vi"],
        "nguồn: banqlktck-540",
        "Đến ga Đồng Đăng",
        "cw-hanoi-industrial-q1-2025",
    ):
        assert norm(expected) in text, expected
    assert re.search(r"\d\.\d\dkm", text)


def test_the_chinese_sheet_is_in_chinese_with_the_notice():
    text = page_text("zh")
    lot = catalog().layers["lots"].iloc[0]
    for expected in (f"地块 {lot['code']}", "仅供参考", "至同登站", "示意", lot["contact_zh"]):
        assert norm(expected) in text, expected
    assert norm(NOTICE_VI) not in text


@pytest.mark.parametrize("lang", ["vi", "zh"])
def test_the_fonts_embedded_are_noto(lang):
    fonts = embedded_fonts(sheet(lang))
    assert fonts and all(fonts.values()), fonts
    assert all("NotoSans" in name for name in fonts), fonts
    if lang == "zh":
        assert any("NotoSansSC" in name for name in fonts)


def test_an_unknown_lot_or_language_is_refused():
    lots = catalog().layers["lots"]
    with pytest.raises(LotSheetError, match="no lot 'lot-nowhere'"):
        lot_sheet_pdf("lot-nowhere", lots=lots, layers={}, sources={}, lang="vi")
    with pytest.raises(LotSheetError, match="unknown language 'fr'"):
        lot_sheet_pdf(lots.index[0], lots=lots, layers={}, sources={}, lang="fr")
