"""The import's analysis on read layers: CRS, axis order, conversion, every validation rule."""

from __future__ import annotations

import math

import numpy as np
import pyproj
import pytest
from shapely import GeometryCollection, LineString, Point, Polygon, box
from surveys import (
    CITY_LONLAT,
    CITY_TM3,
    ESRI_TM3_ON_WGS84,
    GATE_LONLAT,
    GATE_TM3,
    lot_143_70_ha,
    raw,
)

from geo.crs import transform_geometry
from geo.importing.crs_resolve import VN2000_CRSS, identify
from geo.importing.model import ImportOptions
from geo.importing.pipeline import analyse_raw, layer_id_for
from geo.importing.validate import SLIVER_WIDTH_M
from geo.measure import GEOD, area_ha

NEW = ImportOptions(layer="survey")


def metres_apart(a: tuple[float, float], b: tuple[float, float]) -> float:
    return GEOD.inv(a[0], a[1], b[0], b[1])[2]


def rules(report) -> list[str]:
    return [p.rule for p in report.problems]


# ---------------------------------------------------------------- CRS and conversion


def test_wgs84_point_keeps_its_known_coordinates() -> None:
    report = analyse_raw(raw([Point(*GATE_LONLAT)], crs="EPSG:4326", id=["gate"]), NEW)
    assert report.ok, report.as_json()
    assert report.source_crs == "EPSG:4326"
    p = report.frame.geometry.iloc[0]
    assert metres_apart((p.x, p.y), GATE_LONLAT) < 0.01


def test_tm3_point_reaches_the_friendship_pass_within_a_metre() -> None:
    report = analyse_raw(raw([Point(*GATE_TM3)], id=["gate"]), NEW)
    assert report.ok, report.as_json()
    assert report.source_crs == "EPSG:9215"
    p = report.frame.geometry.iloc[0]
    assert metres_apart((p.x, p.y), GATE_LONLAT) < 1.0


def test_tm3_polygon_of_143_70_ha_measures_143_70_ha() -> None:
    report = analyse_raw(raw([lot_143_70_ha()], id=["lot-1"]), NEW)
    assert report.ok, report.as_json()
    assert f"{area_ha(report.frame.geometry.iloc[0]):.2f}" == "143.70"


def test_esri_wkt_of_tm3_without_epsg_id_is_identified() -> None:
    wkt = pyproj.CRS.from_epsg(9215).to_wkt("WKT1_ESRI")
    report = analyse_raw(raw([Point(*GATE_TM3)], crs=wkt, id=["gate"]), NEW)
    assert report.source_crs == "EPSG:9215"
    p = report.frame.geometry.iloc[0]
    assert metres_apart((p.x, p.y), GATE_LONLAT) < 1.0


@pytest.mark.parametrize("code", VN2000_CRSS)
def test_every_vn2000_crs_is_identified_from_its_esri_wkt(code: int) -> None:
    assert identify(pyproj.CRS.from_epsg(code).to_wkt("WKT1_ESRI")).crs == f"EPSG:{code}"


def test_proj_string_with_the_vn2000_shift_is_identified_and_goes_through_6960() -> None:
    text = (
        "+proj=tmerc +lat_0=0 +lon_0=107.25 +k=0.9999 +x_0=500000 +y_0=0 +ellps=WGS84 "
        "+towgs84=-191.90441429,-39.30318279,-111.45032835,-0.00928836,0.01975479,"
        "-0.00427372,0.252906278 +units=m +no_defs"
    )
    assert identify(text).crs == "EPSG:9215"


def test_tm3_parameters_on_the_wgs84_datum_are_asked_about_not_imported() -> None:
    layer = raw([Point(*GATE_TM3)], crs=ESRI_TM3_ON_WGS84, id=["gate"])
    report = analyse_raw(layer, NEW)
    assert not report.ok
    assert report.frame is None and report.source_crs is None
    [question] = report.questions
    assert question.kind == "datum"
    assert question.suggestion == "EPSG:9215"
    assert "probably VN-2000" in question.message
    # Read as declared (WGS 84 datum), the point would be ~200 m off: the trap is real.
    naive = pyproj.Transformer.from_crs(ESRI_TM3_ON_WGS84, "EPSG:4326", always_xy=True)
    assert 150 < metres_apart(naive.transform(*GATE_TM3), GATE_LONLAT) < 300
    answered = analyse_raw(layer, ImportOptions(layer="survey", crs="EPSG:9215"))
    assert answered.ok
    p = answered.frame.geometry.iloc[0]
    assert metres_apart((p.x, p.y), GATE_LONLAT) < 1.0


def test_proj_string_without_datum_is_never_used_silently() -> None:
    text = "+proj=tmerc +lon_0=107.25 +k=0.9999 +x_0=500000 +ellps=WGS84"
    report = analyse_raw(raw([Point(*GATE_TM3)], crs=text, id=["gate"]), NEW)
    assert [q.kind for q in report.questions] == ["datum"]
    assert report.frame is None


@pytest.mark.parametrize(
    ("point", "suggestion", "words"),
    [
        (GATE_LONLAT, "EPSG:4326", "degrees"),
        (GATE_TM3, "EPSG:9215", "TM-3"),
        (GATE_TM3[::-1], "EPSG:9215", "northing (latitude) first"),
        (
            pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True).transform(
                *CITY_LONLAT
            ),
            "EPSG:3857",
            "Web Mercator",
        ),
        (
            pyproj.Transformer.from_crs("EPSG:4326", "EPSG:32648", always_xy=True).transform(
                *CITY_LONLAT
            ),
            "EPSG:3405",
            "UTM zone 48N",
        ),
        ((5.0e6, 9.0e6), None, "fit none"),
    ],
)
def test_no_crs_is_never_guessed_the_question_says_what_the_numbers_look_like(
    point: tuple[float, float], suggestion: str | None, words: str
) -> None:
    report = analyse_raw(raw([Point(*point)], crs=None, id=["a"]), NEW)
    assert not report.ok and report.frame is None and report.source_crs is None
    [question] = report.questions
    assert question.kind == "crs"
    assert question.suggestion == suggestion
    assert words in question.message
    assert report.as_json()["features"] == 0


def test_no_crs_answered_with_crs_option_converts() -> None:
    report = analyse_raw(
        raw([Point(*GATE_TM3)], crs=None, id=["a"]), ImportOptions(crs="EPSG:9215")
    )
    assert report.ok and report.source_crs == "EPSG:9215"


@pytest.mark.parametrize("answer", ["EPSG:99999999", "+proj=longlat", "9215", "EPSG:5714"])
def test_an_unusable_crs_answer_is_a_problem(answer: str) -> None:
    report = analyse_raw(raw([Point(*GATE_TM3)], crs=None, id=["a"]), ImportOptions(crs=answer))
    assert rules(report) == ["crs"]
    assert report.frame is None


# ---------------------------------------------------------------- axis order


def test_northing_first_in_tm3_is_certain_and_swapped() -> None:
    points = [Point(GATE_TM3[1], GATE_TM3[0]), Point(CITY_TM3[1], CITY_TM3[0])]
    report = analyse_raw(raw(points, id=["a", "b"]), NEW)
    assert report.ok, report.as_json()
    p = report.frame.geometry.iloc[0]
    assert metres_apart((p.x, p.y), GATE_LONLAT) < 1.0


def test_latitude_first_in_degrees_is_certain_and_swapped() -> None:
    report = analyse_raw(
        raw([Point(GATE_LONLAT[1], GATE_LONLAT[0])], crs="EPSG:4326", id=["a"]), NEW
    )
    assert report.ok
    assert metres_apart(report.frame.geometry.iloc[0].coords[0], GATE_LONLAT) < 0.01


def test_a_file_mixing_both_orders_asks_and_axis_answer_decides() -> None:
    points = [Point(*CITY_TM3), Point(CITY_TM3[1], CITY_TM3[0])]
    layer = raw(points, id=["a", "b"])
    report = analyse_raw(layer, NEW)
    assert [q.kind for q in report.questions] == ["axis"]
    assert not report.ok
    answered = analyse_raw(layer, ImportOptions(layer="survey", axis="en"))
    assert [q.kind for q in answered.questions] == []
    # As written, b is swapped: reported for that feature, named.
    [problem] = answered.problems
    assert (problem.feature, problem.rule) == ("b", "swapped-coordinates")


def test_axis_option_overrides_detection() -> None:
    report = analyse_raw(raw([Point(*GATE_TM3)], id=["a"]), ImportOptions(axis="ne"))
    assert "outside-area" in rules(report) or "swapped-coordinates" in rules(report)


# ---------------------------------------------------------------- validation rules


def test_bowtie_is_invalid_with_reason_and_location_and_make_valid_offered_with_area() -> None:
    x, y = CITY_TM3
    bowtie = Polygon([(x, y), (x + 1000, y + 1000), (x + 1000, y), (x, y + 1000), (x, y)])
    layer = raw([bowtie], id=["KTC-01"])
    report = analyse_raw(layer, NEW)
    [problem] = report.problems
    assert (problem.feature, problem.field, problem.rule) == (
        "KTC-01",
        "geometry",
        "invalid-geometry",
    )
    assert "Self-intersection[449658 2417640]" in problem.message
    [question] = report.questions
    assert (question.kind, question.suggestion) == ("repair", "make-valid")
    repaired = analyse_raw(layer, ImportOptions(layer="survey", repairs=["make-valid"]))
    after = area_ha(repaired.frame.geometry.iloc[0])
    before = area_ha(transform_geometry(bowtie, "EPSG:9215", "EPSG:4326"))
    assert f"{before:.2f} ha → {after:.2f} ha" in question.message
    assert f"{after - before:+.2f} ha" in question.message
    assert repaired.ok and repaired.frame.geometry.iloc[0].is_valid
    assert 49.9 < after < 50.1  # two triangles of 25 ha each


def test_repair_not_applied_unless_accepted() -> None:
    x, y = CITY_TM3
    bowtie = Polygon([(x, y), (x + 1000, y + 1000), (x + 1000, y), (x, y + 1000), (x, y)])
    report = analyse_raw(raw([bowtie], id=["a"]), NEW)
    assert not report.frame.geometry.iloc[0].is_valid
    assert not report.ok


def test_z_values_are_reported_and_drop_z_offered_then_applied() -> None:
    layer = raw([Point(*CITY_TM3, 350.0)], id=["a"])
    report = analyse_raw(layer, NEW)
    assert rules(report) == ["z-values"]
    [question] = report.questions
    assert (question.kind, question.suggestion) == ("repair", "drop-z")
    assert "0.00 ha" in question.message
    accepted = analyse_raw(layer, ImportOptions(layer="survey", repairs=["drop-z"]))
    assert accepted.ok and not accepted.frame.geometry.iloc[0].has_z


@pytest.mark.parametrize(
    ("geom", "rule"),
    [
        (None, "null-geometry"),
        (Polygon(), "empty-geometry"),
        (GeometryCollection([Point(*CITY_TM3)]), "geometry-collection"),
        (LineString([CITY_TM3, (CITY_TM3[0] + 50, CITY_TM3[1])]), "mixed-geometry"),
        (Polygon([CITY_TM3, (math.nan, CITY_TM3[1]), (CITY_TM3[0], 1.0)]), "non-finite"),
        (Polygon([CITY_TM3, (math.inf, CITY_TM3[1]), (CITY_TM3[0], 1.0)]), "non-finite"),
    ],
)
def test_each_shape_rule_names_the_feature(geom, rule: str) -> None:
    good = box(CITY_TM3[0], CITY_TM3[1], CITY_TM3[0] + 100, CITY_TM3[1] + 100)
    other = box(CITY_TM3[0] + 200, CITY_TM3[1], CITY_TM3[0] + 300, CITY_TM3[1] + 100)
    report = analyse_raw(raw([good, geom, other], id=["p-1", "P-2", "p-3"]), NEW)
    assert [(p.feature, p.field, p.rule) for p in report.problems] == [("P-2", "geometry", rule)]
    assert not report.ok


def test_outside_lang_son_is_a_problem_with_where() -> None:
    hanoi = transform_geometry(Point(105.85, 21.03), "EPSG:4326", "EPSG:9215")
    report = analyse_raw(raw([Point(*CITY_TM3), hanoi], id=["in", "out"]), NEW)
    [problem] = report.problems
    assert (problem.feature, problem.rule) == ("out", "outside-area")
    assert "lon 105.85000, lat 21.03000" in problem.message


def test_sliver_thinner_than_the_threshold_is_a_problem() -> None:
    x, y = CITY_TM3
    thin = box(x, y, x + 500, y + SLIVER_WIDTH_M * 0.4)
    report = analyse_raw(raw([box(x, y + 10, x + 100, y + 110), thin], id=["ok", "thin"]), NEW)
    [problem] = report.problems
    assert (problem.feature, problem.rule) == ("thin", "sliver")


def test_field_rules_apply_where_the_file_has_the_fields() -> None:
    points = [Point(*CITY_TM3)] * 4
    layer = raw(
        points,
        id=["KTC-01", "KTC-02", "KTC-03", "KTC-01"],
        status=["planned", "xong", "operational", "planned"],
        progress_pct=[50, 120, "nhiều", 10],
        ghi_chu=["a", "b", "c", "d"],
    )
    report = analyse_raw(layer, NEW)
    assert [(p.feature, p.field, p.rule) for p in report.problems] == [
        ("KTC-02", "status", "vocabulary"),
        ("KTC-02", "progress_pct", "progress-range"),
        ("KTC-03", "progress_pct", "not-a-number"),
        ("KTC-01", "id", "duplicate-id"),
    ]
    assert all(p.file == "survey.zip" for p in report.problems)
    assert "survey.zip: feature 'KTC-02', field 'status': expected one of planned" in str(
        report.problems[0]
    )


def test_ids_of_any_case_are_fine_and_every_field_is_kept() -> None:
    layer = raw([Point(*CITY_TM3)], ID=["KTC-01"], ten=["Khu Đô thị"], dien_tich=[1.5])
    report = analyse_raw(layer, NEW)
    assert report.ok, report.as_json()
    row = report.frame.iloc[0]
    assert (row["id"], row["ID"], row["ten"], row["dien_tich"]) == (
        "KTC-01",
        "KTC-01",
        "Khu Đô thị",
        1.5,
    )


def test_file_without_id_field_gets_position_ids() -> None:
    report = analyse_raw(raw([Point(*CITY_TM3)] * 2, ten=["a", "b"]), NEW)
    assert list(report.frame["id"]) == ["survey-1", "survey-2"]


def test_map_renames_a_dbf_name_and_the_project_rule_then_applies() -> None:
    layer = raw([Point(*CITY_TM3)], id=["a"], progress_p=[140.0])
    assert analyse_raw(layer, NEW).ok  # not a project field: kept, unchecked
    mapped = analyse_raw(
        layer, ImportOptions(layer="survey", field_map={"progress_p": "progress_pct"})
    )
    assert [(p.field, p.rule) for p in mapped.problems] == [("progress_pct", "progress-range")]
    assert "progress_p" not in mapped.frame.columns


def test_map_clash_and_unknown_source_field_are_problems() -> None:
    layer = raw([Point(*CITY_TM3)], id=["a"], progress_p=[40.0], progress_pct=[41.0])
    clash = analyse_raw(layer, ImportOptions(layer="s", field_map={"progress_p": "progress_pct"}))
    assert "field-clash" in rules(clash)
    unknown = analyse_raw(layer, ImportOptions(layer="s", field_map={"tien_do": "progress_pct"}))
    assert rules(unknown) == ["field-map"]


def test_replacing_a_project_layer_needs_the_full_data_model() -> None:
    lot = lot_143_70_ha()
    report = analyse_raw(raw([lot], id=["zone-x"]), ImportOptions(layer="zones"))
    fields = {p.field for p in report.problems}
    assert {"name_vi", "name_en", "kind", "status", "sources"} <= fields
    assert not report.ok
    point = analyse_raw(raw([Point(*CITY_TM3)], id=["zone-x"]), ImportOptions(layer="zones"))
    assert "mixed-geometry" in rules(point)  # zones holds polygons


def test_invalid_layer_id_is_a_problem() -> None:
    report = analyse_raw(raw([Point(*CITY_TM3)], id=["a"]), ImportOptions(layer="Khu A"))
    assert rules(report) == ["layer-id"]


def test_layer_id_from_a_vietnamese_file_name() -> None:
    assert layer_id_for("Đất ở 2025.zip") == "dat_o_2025"


def test_every_problem_and_question_serialises_to_the_contract() -> None:
    x, y = CITY_TM3
    bowtie = Polygon([(x, y), (x + 10, y + 10), (x + 10, y), (x, y + 10), (x, y)])
    report = analyse_raw(raw([bowtie, None], id=["a", "a"], status=["xong", "planned"]), NEW)
    doc = report.as_json()
    assert set(doc) == {"ok", "features", "source_crs", "problems", "questions"}
    assert all(set(p) == {"feature", "field", "rule", "message"} for p in doc["problems"])
    assert all(set(q) == {"kind", "message", "suggestion"} for q in doc["questions"])
    assert np.isin(
        ["invalid-geometry", "null-geometry", "vocabulary", "duplicate-id"], rules(report)
    ).all()


def test_an_id_another_stored_layer_uses_is_a_problem() -> None:
    layer = raw([Point(*CITY_TM3)], id=["gate-1"])
    report = analyse_raw(layer, NEW, taken_ids={"gate-1": "gates"})
    [problem] = report.problems
    assert (problem.feature, problem.field, problem.rule) == ("gate-1", "id", "duplicate-id")
    assert "layer 'gates'" in problem.message
    # Replacing the layer that holds the id is no clash.
    replacing = analyse_raw(layer, ImportOptions(layer="gates"), taken_ids={"gate-1": "gates"})
    assert "duplicate-id" not in rules(replacing)
    assert analyse_raw(layer, NEW, taken_ids={"gate-1": "survey"}).ok
