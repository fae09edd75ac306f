"""The ``python -m geo import`` contract, as other tools see it: a subprocess, JSON, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import geopandas
import pyogrio
import pytest
from shapely import Point, Polygon
from surveys import CITY_TM3, GATE_LONLAT, lot_143_70_ha

from geo.measure import area_ha
from geo.store import open_store, store_url

REPO = Path(__file__).resolve().parents[2]


def run(*args: object, data: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["LSZ_DATA_DIR"] = str(data)
    return subprocess.run(
        [sys.executable, "-m", "geo", "import", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=False,
    )


def one_json(done: subprocess.CompletedProcess[str]) -> dict:
    [line] = done.stdout.splitlines()
    doc = json.loads(line)
    assert set(doc) == {"ok", "features", "source_crs", "problems", "questions"}
    assert "Traceback" not in done.stderr
    return doc


@pytest.fixture
def lots(tmp_path: Path) -> Path:
    frame = geopandas.GeoDataFrame(
        {"id": ["KTC-01"], "ten": ["Lô Đồng Đăng"], "so": [1]},
        geometry=[lot_143_70_ha()],
        crs="EPSG:9215",
    )
    path = tmp_path / "survey.geojson"
    pyogrio.write_dataframe(frame, path, driver="GeoJSON")
    return path


def test_importable_dry_run_exits_0_and_out_is_rfc7946_in_wgs84(tmp_path: Path, lots: Path) -> None:
    out = tmp_path / "out.geojson"
    done = run(lots, "--dry-run", "--json", "--out", out, data=tmp_path / "data")
    assert done.returncode == 0, done.stderr
    assert one_json(done) == {
        "ok": True,
        "features": 1,
        "source_crs": "EPSG:9215",
        "problems": [],
        "questions": [],
    }
    text = out.read_text(encoding="utf-8")
    assert "Lô Đồng Đăng" in text and '"crs"' not in text  # UTF-8, RFC 7946: no crs member
    back = pyogrio.read_dataframe(out)
    assert back.crs.to_epsg() == 4326
    assert list(back.columns) == ["id", "ten", "so", "geometry"]
    assert (back.loc[0, "id"], back.loc[0, "ten"], back.loc[0, "so"]) == (
        "KTC-01",
        "Lô Đồng Đăng",
        1,
    )
    assert f"{area_ha(back.geometry.iloc[0]):.2f}" == "143.70"
    assert not (tmp_path / "data").exists()  # a dry run creates no store


def test_written_import_exits_0_and_a_second_run_makes_version_2(
    tmp_path: Path, lots: Path
) -> None:
    first = run(lots, data=tmp_path / "data")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "written as layer 'survey' v1" in first.stdout
    second = run(lots, "--json", data=tmp_path / "data")
    assert second.returncode == 0 and one_json(second)["ok"]


def test_not_importable_exits_1_with_the_report_and_writes_no_out(tmp_path: Path) -> None:
    x, y = CITY_TM3
    frame = geopandas.GeoDataFrame(
        {"id": ["KTC-01"], "status": ["xong"]},
        geometry=[Polygon([(x, y), (x + 50, y + 50), (x + 50, y), (x, y + 50)])],
        crs="EPSG:9215",
    )
    path = tmp_path / "bad.geojson"
    pyogrio.write_dataframe(frame, path, driver="GeoJSON")
    out = tmp_path / "out.geojson"
    done = run(path, "--json", "--out", out, "--dry-run", data=tmp_path / "data")
    assert done.returncode == 1
    doc = one_json(done)
    assert doc["ok"] is False and doc["features"] == 1
    assert [(p["feature"], p["field"], p["rule"]) for p in doc["problems"]] == [
        ("KTC-01", "geometry", "invalid-geometry"),
        ("KTC-01", "status", "vocabulary"),
    ]
    assert doc["problems"][1]["message"].startswith("bad.geojson: feature 'KTC-01', field 'status'")
    assert [(q["kind"], q["suggestion"]) for q in doc["questions"]] == [("repair", "make-valid")]
    assert not out.exists()


def test_no_crs_exits_1_with_a_crs_question_and_null_source_crs(tmp_path: Path) -> None:
    path = tmp_path / "moc.csv"
    path.write_text(f"id,x,y\nm-1,{GATE_LONLAT[0]},{GATE_LONLAT[1]}\n", encoding="utf-8")
    done = run(path, "--json", "--dry-run", data=tmp_path / "data")
    assert done.returncode == 1
    doc = one_json(done)
    assert doc["source_crs"] is None and doc["features"] == 0
    assert [(q["kind"], q["suggestion"]) for q in doc["questions"]] == [("crs", "EPSG:4326")]


@pytest.mark.parametrize(
    ("name", "content", "rule"),
    [
        ("missing.geojson", None, "unreadable"),
        ("garbage.zip", b"PK\x03\x04 not really a zip", "unreadable"),
        ("notes.docx", b"hello", "unreadable"),
        ("broken.geojson", b'{"type": "FeatureCollection", "features": [', "unreadable"),
    ],
)
def test_bad_input_is_a_report_never_a_traceback(
    tmp_path: Path, name: str, content: bytes | None, rule: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    done = run(path, "--json", data=tmp_path / "data")
    assert done.returncode == 1
    doc = one_json(done)
    assert [p["rule"] for p in doc["problems"]] == [rule]
    assert doc["problems"][0]["message"].startswith(name)


def test_unusable_crs_answer_is_a_problem_not_a_traceback(tmp_path: Path, lots: Path) -> None:
    done = run(lots, "--crs", "+proj=tmerc +lon_0=107.25", "--json", data=tmp_path / "data")
    assert done.returncode == 1
    assert [p["rule"] for p in one_json(done)["problems"]] == ["crs"]


def test_malformed_command_line_exits_2_with_usage(tmp_path: Path, lots: Path) -> None:
    done = run(lots, "--map", "progress_p", data=tmp_path / "data")
    assert done.returncode == 2
    assert "SRC=DST" in done.stderr and "Traceback" not in done.stderr
    done = run(lots, "--axis", "xy", data=tmp_path / "data")
    assert done.returncode == 2


def test_help_names_every_option_of_the_contract(tmp_path: Path) -> None:
    done = run("--help", data=tmp_path / "data")
    for option in (
        "--layer",
        "--crs",
        "--encoding",
        "--axis",
        "--map",
        "--dry-run",
        "--json",
        "--out",
    ):
        assert option in done.stdout


def test_text_report_lines_name_rule_file_feature_and_field(tmp_path: Path) -> None:
    frame = geopandas.GeoDataFrame(
        {"id": ["KTC-01"], "progress_pct": [150]}, geometry=[Point(*CITY_TM3)], crs="EPSG:9215"
    )
    path = tmp_path / "p.geojson"
    pyogrio.write_dataframe(frame, path, driver="GeoJSON")
    done = run(path, "--dry-run", data=tmp_path / "data")
    assert done.returncode == 1
    assert (
        "problem [progress-range] p.geojson: feature 'KTC-01', field 'progress_pct': "
        "expected a number from 0 to 100, or null; found 150"
    ) in done.stdout
    assert "nothing was written" in done.stdout


def test_an_out_that_cannot_be_written_is_a_problem_and_nothing_is_stored(
    tmp_path: Path, lots: Path
) -> None:
    done = run(
        lots, "--json", "--out", tmp_path / "missing" / "out.geojson", data=tmp_path / "data"
    )
    assert done.returncode == 1
    doc = one_json(done)
    assert [p["rule"] for p in doc["problems"]] == ["out"]
    assert doc["features"] == 1
    again = run(lots, "--dry-run", "--json", data=tmp_path / "data")
    assert one_json(again)["ok"]  # the store exists now (opened), but holds no 'survey' layer
    with open_store(store_url({"LSZ_DATA_DIR": str(tmp_path / "data")})) as store:
        assert "survey" not in store.versions()


def test_a_plan_replacing_the_lots_layer_must_meet_the_lot_schema(
    tmp_path: Path, lots: Path
) -> None:
    """The board's real lot plan replaces the illustrative one by import: it is a lot layer."""
    bare = run(lots, "--layer", "lots", "--dry-run", "--json", data=tmp_path / "data")
    report = one_json(bare)
    assert bare.returncode == 1 and not report["ok"]
    missing = {p["field"] for p in report["problems"] if p["feature"] == "KTC-01"}
    assert {"code", "zone_id", "land_use", "availability"} <= missing, report["problems"]

    shipped = REPO / "layers" / "lots.geojson"
    full = run(shipped, "--layer", "lots", "--dry-run", "--json", data=tmp_path / "data")
    assert full.returncode == 0, full.stdout
    assert one_json(full)["features"] == len(json.loads(shipped.read_text())["features"])
