"""Every format end to end: a file, ``python -m geo import``, the store, known coordinates.

Each file holds a 143.70 ha lot (EPSG:9215, side from PROJ's areal scale) or the Friendship
Pass point, in WGS 84 or in EPSG:9215, with Vietnamese text. The command runs in-process
(``geo.cli.main``) on a fresh store of each back end (a GeoPackage in ``tmp_path``, and a
database on the throwaway PostGIS); ``test_pipeline_cli.py`` runs it as a
subprocess.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas
import pyogrio
import pytest
from builders import FIELD_VN, VIETNAMESE, to_cp1258, zip_folder
from shapely import Point
from surveys import GATE_LONLAT, GATE_TM3, lot_143_70_ha

from geo.cli import main
from geo.crs import transform_geometry
from geo.measure import GEOD, area_ha
from geo.store import open_store, store_url

CRSS = ("EPSG:4326", "EPSG:9215")


@pytest.fixture
def env(store_env: dict[str, str]) -> dict[str, str]:
    """A fresh store of each back end: the GeoPackage and PostGIS."""
    return store_env


def run(*args: str) -> tuple[int, dict]:
    out = io.StringIO()
    code = main(["import", *map(str, args), "--json"], out=out)
    [line] = out.getvalue().splitlines()  # exactly one JSON object
    return code, json.loads(line)


def stored(env: dict[str, str], layer: str):
    with open_store(store_url(env)) as store:
        return store.features(layer)


def lot(crs: str):
    polygon = lot_143_70_ha()
    return polygon if crs == "EPSG:9215" else transform_geometry(polygon, "EPSG:9215", crs)


def survey(crs: str) -> geopandas.GeoDataFrame:
    return geopandas.GeoDataFrame(
        {"ID": ["KTC-01"], "TEN_LO": [VIETNAMESE], "progress_p": [40]},
        geometry=[lot(crs)],
        crs=crs,
    )


def check_lot(env: dict[str, str], layer: str) -> None:
    [feature] = stored(env, layer)
    assert f"{area_ha(feature.geometry):.2f}" == "143.70"
    expected = transform_geometry(lot_143_70_ha(), "EPSG:9215", "EPSG:4326")
    # Every corner within 1 m of where it should be (a Shapefile may start the ring elsewhere).
    corners = list(feature.geometry.exterior.coords)
    for ex, ey in expected.exterior.coords:
        assert min(GEOD.inv(x, y, ex, ey)[2] for x, y in corners) < 1.0
    assert feature.properties["TEN_LO"] == VIETNAMESE
    assert feature.properties["id"] == "KTC-01"


@pytest.mark.parametrize("crs", CRSS)
def test_geojson(tmp_path: Path, env: dict[str, str], crs: str) -> None:
    path = tmp_path / "khu.geojson"
    pyogrio.write_dataframe(survey(crs), path, driver="GeoJSON")
    code, doc = run(path, "--map", "progress_p=progress_pct")
    assert (code, doc["ok"], doc["source_crs"]) == (0, True, crs)
    check_lot(env, "khu")
    assert stored(env, "khu")[0].properties["progress_pct"] == 40


@pytest.mark.parametrize("crs", CRSS)
def test_zipped_shapefile(tmp_path: Path, env: dict[str, str], crs: str) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    survey(crs).to_file(folder / "khu_a.shp", engine="pyogrio", encoding="UTF-8")
    code, doc = run(zip_folder(folder, tmp_path / "khu_a.zip"), "--layer", "khu_a")
    assert (code, doc["ok"], doc["source_crs"]) == (0, True, crs), doc
    check_lot(env, "khu_a")


def test_zipped_shapefile_in_cp1258_without_cpg(tmp_path: Path, env: dict[str, str]) -> None:
    folder = tmp_path / "src"
    folder.mkdir()
    as_bytes = lambda text: to_cp1258(text).decode("latin-1")  # noqa: E731
    frame = geopandas.GeoDataFrame(
        {
            "ID": ["KTC-01"],
            "TEN_LO": [as_bytes(VIETNAMESE)],
            as_bytes(FIELD_VN): [as_bytes("Đồng Đăng")],
        },
        geometry=[lot("EPSG:9215")],
        crs="EPSG:9215",
    )
    frame.to_file(folder / "khu_a.shp", engine="pyogrio", encoding="ISO-8859-1")
    (folder / "khu_a.cpg").unlink(missing_ok=True)
    assert to_cp1258(VIETNAMESE) in (folder / "khu_a.dbf").read_bytes()
    code, doc = run(zip_folder(folder, tmp_path / "khu_a.zip"), "--layer", "khu_a")
    if not doc["ok"]:  # an uncertain detection asks; the answer then imports it
        assert [q["kind"] for q in doc["questions"]] == ["encoding"]
        code, doc = run(tmp_path / "khu_a.zip", "--layer", "khu_a", "--encoding", "cp1258")
    assert (code, doc["ok"]) == (0, True), doc
    [feature] = stored(env, "khu_a")
    assert feature.properties["TEN_LO"] == VIETNAMESE
    assert feature.properties[FIELD_VN] == "Đồng Đăng"  # the field name's last letter too


@pytest.mark.parametrize("crs", CRSS)
def test_geopackage(tmp_path: Path, env: dict[str, str], crs: str) -> None:
    path = tmp_path / "khao_sat.gpkg"
    pyogrio.write_dataframe(survey(crs), path, layer="khu_a", driver="GPKG")
    code, doc = run(path)
    assert (code, doc["ok"], doc["source_crs"]) == (0, True, crs), doc
    check_lot(env, "khao_sat")


def test_geopackage_with_several_layers_is_refused_naming_them_then_one_is_chosen(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = tmp_path / "khao_sat.gpkg"
    pyogrio.write_dataframe(survey("EPSG:9215"), path, layer="khu_a", driver="GPKG")
    gate = geopandas.GeoDataFrame({"ID": ["g"]}, geometry=[Point(*GATE_TM3)], crs="EPSG:9215")
    pyogrio.write_dataframe(gate, path, layer="gates", driver="GPKG", append=True)
    code, doc = run(path)
    assert code == 1 and not doc["ok"]
    [problem] = doc["problems"]
    assert problem["rule"] == "several-layers"
    assert "'khu_a'" in problem["message"] and "'gates'" in problem["message"]
    code, doc = run(path, "--layer", "khu_a")
    assert (code, doc["ok"]) == (0, True), doc
    check_lot(env, "khu_a")


KML = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Khảo sát</name>
<Placemark id="KTC-01"><name>{name}</name>
<ExtendedData><Data name="ID"><value>KTC-01</value></Data>
<Data name="progress_pct"><value>40</value></Data></ExtendedData>
<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates></LinearRing>
</outerBoundaryIs></Polygon></Placemark></Document></kml>
"""


def kml_text() -> str:
    ring = " ".join(f"{x!r},{y!r},0" for x, y in lot("EPSG:4326").exterior.coords)
    return KML.format(name=VIETNAMESE, ring=ring)


@pytest.mark.parametrize("suffix", [".kml", ".kmz"])
def test_kml_and_kmz_in_wgs84(tmp_path: Path, env: dict[str, str], suffix: str) -> None:
    path = tmp_path / f"khu{suffix}"
    if suffix == ".kml":
        path.write_text(kml_text(), encoding="utf-8")
    else:
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("doc.kml", kml_text())
    code, doc = run(path)
    assert (code, doc["ok"], doc["source_crs"]) == (0, True, "EPSG:4326"), doc
    [feature] = stored(env, "khu")
    assert f"{area_ha(feature.geometry):.2f}" == "143.70"
    assert feature.properties["name"] == VIETNAMESE
    assert feature.properties["progress_pct"] == 40  # ExtendedData text read as the number


def test_csv_lat_lon_from_excel_csv_utf8(tmp_path: Path, env: dict[str, str]) -> None:
    lon, lat = GATE_LONLAT
    text = f"ID;Tên cổng;lat;lon\r\nKTC-01;{VIETNAMESE};{lat};{lon}\r\n"
    path = tmp_path / "cong.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    code, doc = run(path)
    assert (code, doc["ok"], doc["source_crs"]) == (0, True, "EPSG:4326"), doc
    [feature] = stored(env, "cong")
    assert GEOD.inv(feature.geometry.x, feature.geometry.y, lon, lat)[2] < 0.01
    assert feature.properties["Tên cổng"] == VIETNAMESE


def test_csv_x_y_northing_first_in_tm3_asks_the_crs_then_imports(
    tmp_path: Path, env: dict[str, str]
) -> None:
    east, north = GATE_TM3
    path = tmp_path / "moc.csv"
    path.write_text(f"ID,X,Y\nM-1,{north},{east}\n", encoding="utf-8")
    code, doc = run(path)
    assert code == 1 and doc["source_crs"] is None
    [question] = doc["questions"]
    assert (question["kind"], question["suggestion"]) == ("crs", "EPSG:9215")
    assert "northing (latitude) first" in question["message"]
    code, doc = run(path, "--crs", "EPSG:9215")
    assert (code, doc["ok"], doc["source_crs"]) == (0, True, "EPSG:9215"), doc
    [feature] = stored(env, "moc")
    assert GEOD.inv(feature.geometry.x, feature.geometry.y, *GATE_LONLAT)[2] < 1.0


def test_csv_wkt_in_tm3(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "lo.csv"
    path.write_text(
        f'ID,TEN_LO,wkt\nKTC-01,{VIETNAMESE},"{lot("EPSG:9215").wkt}"\n', encoding="utf-8"
    )
    code, doc = run(path, "--crs", "EPSG:9215")
    assert (code, doc["ok"]) == (0, True), doc
    check_lot(env, "lo")


def test_a_reader_problem_reaches_the_report_and_nothing_is_written(
    tmp_path: Path, env: dict[str, str]
) -> None:
    lon, lat = GATE_LONLAT
    lon, lat = lon - 0.01, lat - 0.01
    ring = [[lon, lat], [lon + 0.001, lat], [lon + 0.001, lat + 0.001]]  # not closed
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"id": "KTC-01"},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    path = tmp_path / "ho.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, report = run(path)
    assert code == 1 and not report["ok"]
    assert "unclosed-ring" in [p["rule"] for p in report["problems"]]
    with open_store(store_url(env)) as store:
        assert "ho" not in store.versions()
