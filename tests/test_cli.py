"""python -m geo validate / info, through main(argv) and once through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from geo.cli import main

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def registry(data_dir) -> list[str]:
    return ["--registry", str(data_dir / "registry.json")]


def test_validate_clean_files_exits_0_with_a_summary(capsys, data_dir, registry):
    files = [str(data_dir / n) for n in ("valid_zone.geojson", "zone_in_vn2000.geojson")]
    assert main(["validate", *files, *registry]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "OK: 2 file(s), 2 feature(s), no problems"


def test_validate_prints_each_problem_on_its_own_line_and_exits_1(capsys, data_dir, registry):
    files = [
        str(data_dir / n)
        for n in ("bowtie_polygon.geojson", "unknown_status.geojson", "valid_zone.geojson")
    ]
    assert main(["validate", *files, *registry]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == [
        "bowtie_polygon.geojson: feature 'zone-bowtie', field 'geometry': expected a valid "
        "geometry; found Self-intersection[106.705 21.945]",
        "unknown_status.geojson: feature 'zone-unknown-status', field 'status': expected one of "
        "planned, preparing, under_construction, partly_open, operational, unknown; "
        "found 'finished'",
        "2 problem(s) in 2 file(s); 3 file(s) checked",
    ]


def test_validate_without_files_checks_every_registry_layer(capsys, registry):
    assert main(["validate", *registry]) == 1
    out = capsys.readouterr().out
    assert "zone-bowtie" in out  # the one broken fixture layer
    assert out.strip().endswith("1 problem(s) in 1 file(s); 5 file(s) checked")


def test_a_file_outside_the_registry_gets_its_kind_from_its_first_feature(
    capsys, data_dir, registry
):
    point_file = str(data_dir / "wrong_geometry_kind.geojson")
    assert main(["validate", point_file, *registry]) == 0
    capsys.readouterr()
    assert main(["validate", point_file, "--kind", "polygon", *registry]) == 1
    assert "expected a Polygon or MultiPolygon" in capsys.readouterr().out


def test_schema_option_reads_a_file_as_context(capsys, data_dir, registry):
    points = str(data_dir / "valid_points.geojson")
    assert main(["validate", points, "--schema", "context", *registry]) == 0
    capsys.readouterr()
    assert main(["validate", points, "--schema", "project", *registry]) == 1
    out = capsys.readouterr().out
    assert "field 'osm_id': expected no such field in the project schema" in out


def test_validate_reports_a_missing_registry_and_sources(capsys, tmp_path):
    assert main(["validate", "--registry", str(tmp_path / "registry.json")]) == 1
    out = capsys.readouterr().out
    assert "registry.json: expected an existing file" in out
    assert "sources.json: expected an existing file" in out


def test_info_prints_an_aligned_table_of_official_and_measured_sizes(capsys, registry):
    assert main(["info", *registry, "--layer", "zone_in_vn2000", "--layer", "valid_road"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    header, zone, road = lines
    assert header.split() == [
        "layer",
        "id",
        "name_en",
        "status",
        "accuracy",
        "official",
        "measured",
        "diff",
        "%",
    ]
    assert zone.startswith("zone_in_vn2000  zone-vn2000")
    assert "4.00 ha" in zone and "operational" in zone and "illustrative" in zone
    assert (
        "1.10 km" in road and "1.11 km" in road and road.endswith("+0.66")
    )  # 0.01° of meridian = 1.1072 km
    # aligned: every column starts at the same offset on every line
    assert header.index("status") == zone.index("operational") == road.index("partly_open")


def test_info_lists_layers_that_did_not_load_and_exits_1(capsys, registry):
    assert main(["info", *registry]) == 1
    out = capsys.readouterr().out
    assert "layer 'bowtie' not loaded:" in out
    assert "point-valid" in out


def test_info_refuses_an_unknown_layer(capsys, registry):
    assert main(["info", *registry, "--layer", "nope"]) == 1
    assert "unknown layer id(s): nope" in capsys.readouterr().out


def test_python_m_geo_runs_as_a_module(data_dir):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "geo",
            "validate",
            str(data_dir / "not_json.geojson"),
            "--registry",
            str(data_dir / "registry.json"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "not_json.geojson: expected valid JSON; found Expecting ',' delimiter at line 6" in (
        result.stdout
    )


def test_validate_reports_ids_shared_between_layers(capsys, data_dir, tmp_path):
    registry = json.loads((data_dir / "registry.json").read_text(encoding="utf-8"))
    first = registry["layers"][0]
    registry["layers"] = [first, dict(first, id="valid_zone_again")]
    for name in ("valid_zone.geojson", "sources.json"):
        (tmp_path / name).write_bytes((data_dir / name).read_bytes())
    (tmp_path / "registry.json").write_text(json.dumps(registry), encoding="utf-8")
    assert main(["validate", "--registry", str(tmp_path / "registry.json")]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0] == (
        "valid_zone.geojson: feature 'zone-valid', field 'id': expected an id unique across "
        "all layers; found 'zone-valid', also used in layer 'valid_zone'"
    )
    assert lines[-1] == "1 problem(s) in 1 file(s); 2 file(s) checked"


def test_validate_reports_a_broken_registry_with_every_problem(capsys, data_dir, tmp_path):
    (tmp_path / "sources.json").write_bytes((data_dir / "sources.json").read_bytes())
    (tmp_path / "registry.json").write_text('{"layers": [{"id": "zones"}]}', encoding="utf-8")
    assert main(["validate", "--registry", str(tmp_path / "registry.json")]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 10  # nine missing fields (credits is optional) and the summary
    assert lines[0].startswith("registry.json: layer 'zones', field 'title': expected")
    assert lines[-1] == "9 problem(s) in 1 file(s); 0 file(s) checked"
