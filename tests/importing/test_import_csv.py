import pandas as pd
import pytest
from builders import GATE_LONLAT, GATE_TM3, VIETNAMESE, to_cp1258

from geo.importing.model import ImportFileError, ImportOptions
from geo.importing.read import read_file

LON, LAT = GATE_LONLAT
E, N = GATE_TM3


def write(tmp_path, text: str, name="survey.csv", bom=True, crlf=True, encoding="utf-8"):
    if crlf:
        text = text.replace("\n", "\r\n")
    data = text.encode(encoding) if encoding != "cp1258" else to_cp1258(text)
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def test_excel_csv_utf8_with_wkt_semicolons_bom_and_crlf(tmp_path):
    text = (
        "ID;Tên lô;WKT;progress_pct\n"
        f"KTC-01;{VIETNAMESE};POLYGON (({E} {N}, {E + 100} {N}, {E + 100} {N + 100}, {E} {N}));40\n"
        f"ktc-02;Tân Thanh;POINT ({E} {N});100\n"
    )
    [layer] = read_file(write(tmp_path, text))
    frame = layer.frame
    assert list(frame.columns) == ["ID", "Tên lô", "progress_pct", "geometry"]
    assert list(frame["ID"]) == ["KTC-01", "ktc-02"]
    assert frame["Tên lô"].iloc[0] == VIETNAMESE
    assert list(frame["progress_pct"]) == [40, 100]
    assert frame.geometry.iloc[0].exterior.coords[2] == (E + 100, N + 100)
    assert frame.geometry.iloc[1].coords[0] == (E, N)
    assert frame.crs is None and layer.crs_text is None and layer.encoding == "utf-8"
    assert layer.problems == [] and layer.questions == []


def test_lat_lon_columns_are_wgs84_lon_first(tmp_path):
    text = f"id,name,lat,lon\nKTC-01,Cổng,{LAT},{LON}\n"
    [layer] = read_file(write(tmp_path, text, bom=False, crlf=False))
    assert layer.frame.geometry.iloc[0].coords[0] == (LON, LAT)
    assert layer.frame.crs.to_string() == "EPSG:4326" and layer.crs_text == "EPSG:4326"
    assert list(layer.frame.columns) == ["id", "name", "geometry"]


def test_vietnamese_coordinate_headers(tmp_path):
    text = f"Mã;Vĩ độ;Kinh độ\nKTC-01;{LAT};{LON}\n"
    [layer] = read_file(write(tmp_path, text))
    assert layer.frame.geometry.iloc[0].coords[0] == (LON, LAT)
    assert layer.frame["Mã"].iloc[0] == "KTC-01"


def test_x_y_columns_are_kept_as_read_without_a_crs(tmp_path):
    text = f"ID,X,Y\nKTC-01,{N},{E}\n"
    [layer] = read_file(write(tmp_path, text))
    assert layer.frame.geometry.iloc[0].coords[0] == (N, E)
    assert layer.frame.crs is None and layer.crs_text is None


def test_decimal_commas_are_reported_not_guessed(tmp_path):
    text = "ID;lat;lon;dien_tich\nKTC-01;21,97639;106,71222;143,70\nKTC-02;21.9;106.7;1,5\n"
    [layer] = read_file(write(tmp_path, text))
    found = {(p.feature, p.field, p.rule) for p in layer.problems}
    assert found == {
        ("KTC-01", "lat", "decimal-comma"),
        ("KTC-01", "dien_tich", "decimal-comma"),
        ("KTC-02", "dien_tich", "decimal-comma"),
    }
    assert layer.frame.geometry.iloc[0] is None
    assert layer.frame["dien_tich"].iloc[0] == "143,70"


def test_bad_numbers_wkt_and_row_lengths_are_problems(tmp_path):
    text = "ID,wkt,note\nA,POINT (1 2),ok\nB,POINT (1,x\nC,POINT (3 4)\nD,POINT (5 6),a,b\n"
    [layer] = read_file(write(tmp_path, text))
    found = {(p.feature, p.field, p.rule) for p in layer.problems}
    assert ("B", "wkt", "unreadable-geometry") in found
    assert ("#3", None, "row-length") in found and ("#4", None, "row-length") in found
    assert len(layer.frame) == 4 and pd.isna(layer.frame["note"].iloc[2])


def test_leading_zeros_keep_a_column_as_text(tmp_path):
    text = "ma,x,y\n007,1,2\n010,3,4\n"
    [layer] = read_file(write(tmp_path, text))
    assert list(layer.frame["ma"]) == ["007", "010"]


def test_cp1258_csv_is_detected_and_read_intact(tmp_path):
    text = f"ID;Tên;lat;lon\nKTC-01;{VIETNAMESE};{LAT};{LON}\n"
    [layer] = read_file(write(tmp_path, text, bom=False, encoding="cp1258"))
    assert layer.encoding == "cp1258" and layer.frame["Tên"].iloc[0] == VIETNAMESE


def test_the_encoding_option_is_used(tmp_path):
    text = "ID;Tên;lat;lon\nKTC-01;Đồng Đăng;21;106\n"
    path = write(tmp_path, text, bom=False, encoding="cp1258")
    [layer] = read_file(path, ImportOptions(encoding="windows-1258"))
    assert layer.frame["Tên"].iloc[0] == "Đồng Đăng"


def test_no_geometry_column_is_refused_listing_the_columns(tmp_path):
    path = write(tmp_path, "ID,name\nA,b\n")
    with pytest.raises(ImportFileError, match=r"^survey\.csv: no geometry column.*'ID', 'name'"):
        read_file(path)


def test_a_repeated_header_is_refused(tmp_path):
    path = write(tmp_path, "ID,ID,wkt\nA,B,POINT (1 2)\n")
    with pytest.raises(ImportFileError, match=r"^survey\.csv: columns 1 and 2 are both named"):
        read_file(path)


def test_an_excel_sep_line_names_the_delimiter(tmp_path):
    text = f"sep=;\nID;lat;lon;ghi chú\nKTC-01;{LAT};{LON};a, b\n"
    [layer] = read_file(write(tmp_path, text))
    assert layer.frame["ghi chú"].iloc[0] == "a, b"
    assert layer.frame.geometry.iloc[0].coords[0] == (LON, LAT)
