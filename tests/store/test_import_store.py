"""Committing imports to the store, on both back ends: one transaction, all or nothing."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas
import pyogrio
import pytest
from shapely import Point

from geo.crs import transform_geometry
from geo.errors import StoreError
from geo.importing.model import ImportFileError, ImportOptions, ImportReport, RawLayer
from geo.importing.pipeline import analyse_raw, commit
from geo.measure import GEOD, area_ha
from geo.store import open_store, store_url
from geo.store.core import Store
from tests.importing.surveys import CITY_TM3, GATE_LONLAT, GATE_TM3, lot_143_70_ha, raw

REPO = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 12, 2)


def metres_apart(a, b) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def test_new_layer_is_written_with_its_entry_and_every_attribute(empty_store: Store) -> None:
    layer = raw(
        [lot_143_70_ha(), lot_143_70_ha(CITY_TM3[0] + 3000)],
        file="khu_a.zip!khu_a.shp",
        name="Khu A",
        ID=["KTC-01", "KTC-02"],
        ten=["Khu Đô thị", None],
        so_lo=[7, 8],
    )
    report = analyse_raw(layer, ImportOptions(layer="khu_a"), entries=empty_store.entries())
    assert report.ok, report.as_json()
    assert commit(report, empty_store, today=DAY) == 1
    entry = empty_store.entries()[0]
    assert entry["id"] == "khu_a"
    assert entry["title"] == {"vi": "Khu A", "en": "Khu A", "zh": "Khu A"}
    assert (entry["geometry_kind"], entry["group"], entry["schema"]) == (
        "polygon",
        "context",
        "context",
    )
    assert entry["source"] == "khu_a.zip!khu_a.shp, imported 2026-12-02 (EPSG:9215)"
    assert entry["licence"] == "unknown"
    assert empty_store.source_crs("khu_a") == "EPSG:9215"
    features = empty_store.features("khu_a")
    assert [f.properties for f in features] == [
        {"ID": "KTC-01", "ten": "Khu Đô thị", "so_lo": 7, "id": "KTC-01"},
        {"ID": "KTC-02", "ten": None, "so_lo": 8, "id": "KTC-02"},
    ]
    assert f"{area_ha(features[0].geometry):.2f}" == "143.70"


def test_point_in_tm3_is_stored_at_the_friendship_pass(empty_store: Store) -> None:
    report = analyse_raw(raw([Point(*GATE_TM3)], id=["gate"]), ImportOptions(layer="gate_survey"))
    commit(report, empty_store, today=DAY)
    p = empty_store.features("gate_survey")[0].geometry
    assert metres_apart((p.x, p.y), GATE_LONLAT) < 1.0


def test_a_report_with_problems_writes_nothing(seeded_store: Store) -> None:
    before = seeded_store.stamp()
    layer = raw([Point(*CITY_TM3), None], id=["a", "b"])
    report = analyse_raw(layer, ImportOptions(layer="wells"), entries=seeded_store.entries())
    assert not report.ok
    with pytest.raises(ImportFileError, match="nothing was written"):
        commit(report, seeded_store)
    assert seeded_store.stamp() == before


def _report_with_duplicate_late_id(layer_id: str, count: int) -> ImportReport:
    """A report that passes as ok but whose feature #count-1 repeats id 'p-0'.

    Analysis would report the duplicate; built by hand, it reaches the database, whose
    unique constraint refuses it after the first chunk of rows was inserted.
    """
    lon, lat = 106.76, 21.85
    ids = [f"p-{i}" for i in range(count - 1)] + ["p-0"]
    frame = geopandas.GeoDataFrame(
        {"id": ids}, geometry=[Point(lon + i * 1e-5, lat) for i in range(count)], crs="EPSG:4326"
    )
    frame.attrs.update({"layer_name": layer_id, "geometry_kind": "point"})
    report = ImportReport("big.gpkg", layer_id, "EPSG:4326", frame)
    assert report.ok
    return report


def test_a_database_error_midway_writes_nothing_of_a_new_layer(empty_store: Store) -> None:
    with pytest.raises(StoreError, match="nothing was written"):
        commit(_report_with_duplicate_late_id("big", 2500), empty_store)
    assert empty_store.versions() == {}


def test_a_database_error_midway_leaves_the_replaced_layer_as_it_was(seeded_store: Store) -> None:
    before = seeded_store.stamp()
    towns = [f.properties for f in seeded_store.features("towns")]
    with pytest.raises(StoreError, match="nothing was written"):
        commit(_report_with_duplicate_late_id("towns", 2500), seeded_store)
    assert seeded_store.stamp() == before
    assert [f.properties for f in seeded_store.features("towns")] == towns


def test_expected_version_refuses_a_layer_changed_since(seeded_store: Store) -> None:
    report = analyse_raw(raw([Point(*CITY_TM3)], id=["t"]), ImportOptions(layer="towns"))
    with pytest.raises(StoreError, match="nothing was written"):
        commit(report, seeded_store, expected_version=0)


@pytest.mark.parametrize("accuracy", ["surveyed", "digitised"])
def test_replacing_a_schematic_project_layer_records_accuracy_file_and_date(
    seeded_store: Store, accuracy: str
) -> None:
    stored = seeded_store.features("zones")
    frame = geopandas.GeoDataFrame(
        [dict(f.properties) for f in stored],
        geometry=[transform_geometry(f.geometry, "EPSG:4326", "EPSG:9215") for f in stored],
        crs="EPSG:9215",
    )
    layer = RawLayer("zones_survey.gpkg", "zones", frame)
    report = analyse_raw(layer, ImportOptions(layer="zones"), entries=seeded_store.entries())
    assert report.ok, report.as_json()
    version = seeded_store.versions()["zones"]
    assert commit(report, seeded_store, accuracy=accuracy, today=DAY) == version + 1
    after = seeded_store.features("zones")
    assert [f.id for f in after] == [f.id for f in stored]
    for old, new in zip(stored, after, strict=True):
        assert new.properties["geometry_accuracy"] == accuracy
        for lang in ("vi", "en", "zh"):
            note = new.properties[f"accuracy_note_{lang}"]
            assert "zones_survey.gpkg" in note and "2026-12-02" in note
        kept = {k: v for k, v in old.properties.items() if not k.startswith("accuracy_note")}
        kept["geometry_accuracy"] = accuracy
        assert {
            k: v for k, v in new.properties.items() if not k.startswith("accuracy_note")
        } == kept
        a, b = old.geometry.representative_point(), new.geometry.representative_point()
        assert metres_apart((a.x, a.y), (b.x, b.y)) < 1.0
    entry = next(e for e in seeded_store.entries() if e["id"] == "zones")
    assert entry["schema"] == "project"
    assert "zones_survey.gpkg, imported 2026-12-02" in entry["source"]


# ---------------------------------------------------------------- the CLI, into the store


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LSZ_DATA_DIR")}
    return subprocess.run(
        [sys.executable, "-m", "geo", "import", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**full, **env},
        check=False,
    )


def _survey_geojson(folder: Path) -> Path:
    frame = geopandas.GeoDataFrame(
        {"id": ["KTC-01"], "ten": ["Khu Đô thị Đồng Đăng"], "progress_p": [55.0]},
        geometry=[lot_143_70_ha()],
        crs="EPSG:9215",
    )
    path = folder / "khu_dong_dang.geojson"
    pyogrio.write_dataframe(frame, path, driver="GeoJSON")
    return path


def test_cli_imports_into_the_store_and_exports_rfc7946(
    store_env: dict[str, str], tmp_path: Path
) -> None:
    path = _survey_geojson(tmp_path)
    out = tmp_path / "out.geojson"
    done = _run(
        [str(path), "--map", "progress_p=progress_pct", "--json", "--out", str(out)], store_env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    doc = json.loads(done.stdout)
    assert doc == {
        "ok": True,
        "features": 1,
        "source_crs": "EPSG:9215",
        "problems": [],
        "questions": [],
    }
    with open_store(store_url(store_env)) as store:
        [feature] = store.features("khu_dong_dang")
        assert feature.properties == {
            "id": "KTC-01",
            "ten": "Khu Đô thị Đồng Đăng",
            "progress_pct": 55.0,
        }
        assert f"{area_ha(feature.geometry):.2f}" == "143.70"
    back = pyogrio.read_dataframe(out)
    assert back.crs.to_epsg() == 4326
    assert back.loc[0, "ten"] == "Khu Đô thị Đồng Đăng"
    assert f"{area_ha(back.geometry.iloc[0]):.2f}" == "143.70"


def test_cli_dry_run_writes_nothing_not_even_a_new_store(
    store_env: dict[str, str], tmp_path: Path
) -> None:
    path = _survey_geojson(tmp_path)
    done = _run([str(path), "--dry-run", "--json"], store_env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["ok"] is True
    assert not (tmp_path / "data" / "lsz.gpkg").exists()
    with open_store(store_url(store_env), seed=None) as store:
        assert store.versions() == {}  # no layer: the dry run created and seeded nothing


def test_cli_refused_file_writes_nothing(store_env: dict[str, str], tmp_path: Path) -> None:
    frame = geopandas.GeoDataFrame(
        {"id": ["a", "a"], "status": ["xong", "planned"]},
        geometry=[Point(*CITY_TM3), Point(*CITY_TM3)],
        crs="EPSG:9215",
    )
    path = tmp_path / "bad.geojson"
    pyogrio.write_dataframe(frame, path, driver="GeoJSON")
    with open_store(store_url(store_env)) as store:
        before = store.stamp()
    done = _run([str(path), "--json"], store_env)
    assert done.returncode == 1
    doc = json.loads(done.stdout)
    assert doc["ok"] is False
    assert {(p["feature"], p["field"], p["rule"]) for p in doc["problems"]} == {
        ("a", "status", "vocabulary"),
        ("a", "id", "duplicate-id"),
    }
    with open_store(store_url(store_env)) as store:
        assert store.stamp() == before


def _symlink_member(name: str, target: str) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: the mode bits below are read
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info, target.encode()


@pytest.mark.parametrize("member", ["../../evil.shp", "/etc/evil.shp", "symlink"])
def test_a_hostile_archive_is_refused_and_nothing_is_written(
    store_env: dict[str, str], tmp_path: Path, member: str
) -> None:
    path = tmp_path / "survey.zip"
    with zipfile.ZipFile(path, "w") as zf:
        if member == "symlink":
            zf.writestr(*_symlink_member("lots.shp", "/etc/passwd"))
        else:
            zf.writestr(member, b"x")
    with open_store(store_url(store_env)) as store:
        before = store.stamp()
    done = _run([str(path), "--json"], store_env)
    assert done.returncode == 1, done.stderr
    doc = json.loads(done.stdout)
    assert [p["rule"] for p in doc["problems"]] == ["unreadable"]
    assert "refused" in doc["problems"][0]["message"]
    assert not (tmp_path / "evil.shp").exists() and not Path("/etc/evil.shp").exists()
    with open_store(store_url(store_env)) as store:
        assert store.stamp() == before
