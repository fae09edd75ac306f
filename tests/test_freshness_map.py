"""The map coloured by the age of each project's latest figure: classes, colours, legend, tooltip.

The features are a tiny fixture made here (one project per age class on a fixed day), not the
shipped data; the classes are checked against :func:`geo.freshness.figure_age`, so the map,
the dashboard and the stale list cannot disagree about an age.
"""

from __future__ import annotations

import itertools
from datetime import date

import geopandas as gpd
import pytest
from shapely import Point, box

from geo import style
from geo.feature_state import state_on
from geo.feature_text import age_class_label, age_text, day_text
from geo.freshness import AGE_CLASSES, figure_age, months_before, source_ages, stale_projects
from geo.i18n import LANGUAGES, status_label, t
from geo.legend import legend_entries
from geo.map_data import MapLayer
from geo.mapview import build_map, project_groups
from geo.registry import load_registry
from tests.test_mapview import MIN_DELTA_E, delta_e, features_of

DAY = date(2026, 6, 15)
VISIONS = ("normal", "protanopia", "deuteranopia")


def event(day: str, status: str = "planned", kind: str = "approval", source: str = "src-a"):
    return {
        "date": day,
        "date_precision": "day",
        "kind": kind,
        "label_vi": "sự kiện",
        "label_en": "event",
        "label_zh": "事件",
        "status": status,
        "source": source,
    }


def target(day: str):
    return {**event(day, kind="target"), "status": None}


#: One project per age class on :data:`DAY`, with the class it must get.
PROJECTS = {
    "p-recent": ([event("2026-04-01")], "recent"),  # 2.5 months
    "p-ageing": ([event("2025-09-01")], "ageing"),  # 9.5 months
    "p-old": ([event("2025-04-30", source="src-b")], "old"),  # 13.5 months
    "p-target": ([event("2026-05-01"), target("2026-06-01")], "target_passed"),
    "p-undated": ([], "undated"),
}


def props(fid: str) -> dict:
    milestones, _ = PROJECTS[fid]
    return {
        "id": fid,
        "name_vi": f"{fid} vi",
        "name_en": f"{fid} en",
        "name_zh": None,
        "status": "planned" if milestones else "operational",
        "milestones": milestones,
        "progress_history": [],
        "geometry_accuracy": "schematic",
    }


@pytest.fixture(scope="module")
def zones() -> MapLayer:
    spec = next(s for s in load_registry().layers if s.id == "zones")
    rows = [props(fid) for fid in PROJECTS]
    shapes = [box(106.7 + i * 0.01, 21.9, 106.705 + i * 0.01, 21.905) for i in range(len(rows))]
    gdf = gpd.GeoDataFrame(rows, geometry=shapes, crs="EPSG:4326").set_index("id", drop=False)
    return MapLayer(spec, gdf.drop(columns="id"))


@pytest.mark.parametrize("fid", PROJECTS)
def test_each_project_gets_its_age_class(fid):
    assert figure_age(state_on(props(fid), DAY), DAY).age_class == PROJECTS[fid][1]


def test_the_class_boundaries_are_calendar_months():
    def age_class(day: date) -> str:
        p = {"status": "planned", "milestones": [event(day.isoformat())]}
        return figure_age(state_on(p, DAY), DAY).age_class

    three, twelve = months_before(DAY, 3), months_before(DAY, 12)
    assert age_class(date(three.year, three.month, three.day + 1)) == "recent"
    assert age_class(three) == "ageing"
    assert age_class(twelve) == "ageing"
    assert age_class(date(twelve.year, twelve.month, twelve.day - 1)) == "old"


def test_the_age_is_the_one_the_dashboard_and_the_stale_list_give():
    features = {fid: props(fid) for fid in PROJECTS}
    ages = {a.feature_id: a.age_days for a in source_ages(features, DAY)}
    for fid in PROJECTS:
        assert figure_age(state_on(features[fid], DAY), DAY).age_days == ages[fid]
    stale = {s.feature_id for s in stale_projects(features, DAY, max_age_days=365)}
    assert stale == {"p-old", "p-target", "p-undated"}


def test_the_age_text_names_months_source_and_date():
    old = figure_age(state_on(props("p-old"), DAY), DAY)
    assert old.age_months == 13
    when = day_text(old.latest, "en")
    assert age_text(old, "en", "Board") == f"latest figure: 13 months old — Board, {when}"
    assert age_text(old, "en") == f"latest figure: 13 months old — src-b, {when}"
    recent = figure_age(state_on(props("p-recent"), DAY), DAY)
    assert age_text(recent, "en").startswith("latest figure: 2 months old — src-a, ")
    for lang in LANGUAGES:
        assert "13" in age_text(old, lang)
        undated = figure_age(state_on(props("p-undated"), DAY), DAY)
        assert age_text(undated, lang) == t("age.undated", lang)


def test_every_age_class_has_a_colour_and_a_label_in_every_language():
    assert tuple(style.AGE_COLOURS) == AGE_CLASSES
    for lang in LANGUAGES:
        labels = [age_class_label(c, lang) for c in AGE_CLASSES]
        assert len(set(labels)) == len(labels)
    with pytest.raises(KeyError, match="unknown age class 'stale'"):
        style.age_colour("stale")


@pytest.mark.parametrize("vision", VISIONS)
def test_age_colours_stay_apart_from_each_other_and_the_ground(vision):
    for (a, ca), (b, cb) in itertools.combinations(style.AGE_COLOURS.items(), 2):
        assert delta_e(ca, cb, vision) >= MIN_DELTA_E, (a, b, vision)
    ground = [style.MAP_BACKGROUND, *(style.BASEMAP_COLOURS[k] for k in ("vietnam", "china"))]
    for name, colour in style.AGE_COLOURS.items():
        for other in [*ground, style.BASEMAP_COLOURS["sea"]]:
            assert delta_e(colour, other, vision) >= MIN_DELTA_E, (name, other, vision)


def test_the_map_colours_each_project_by_its_age_class(zones):
    groups = project_groups([zones], lang="en", as_of=DAY, colour_by="age")
    for fid, (_, expected) in PROJECTS.items():
        drawn = features_of(groups, fid)
        assert drawn, fid
        assert {s["fillColor"] for _, s in drawn} == {style.age_colour(expected)}, fid
    by_status = project_groups([zones], lang="en", as_of=DAY)
    for fid in PROJECTS:
        status = state_on(props(fid), DAY).status
        assert {s["fillColor"] for _, s in features_of(by_status, fid)} == {
            style.status_colour(status)
        }


def test_the_tooltip_gives_the_age_only_when_the_map_shows_it(zones):
    names = {"src-b": "Board of the zone, 2025"}
    groups = project_groups([zones], lang="en", as_of=DAY, colour_by="age", source_names=names)
    (feature, _), *_ = features_of(groups, "p-old")
    assert (
        "latest figure: 13 months old — Board of the zone, 2025, " in feature["properties"]["tip"]
    )
    (plain, _), *_ = features_of(project_groups([zones], lang="en", as_of=DAY), "p-old")
    assert "latest figure" not in plain["properties"]["tip"]


def test_the_legend_lists_the_age_classes_present_instead_of_statuses(zones):
    entries = legend_entries([zones], lang="en", as_of=DAY, colour_by="age")
    coloured = {e["label"]: e["colour"] for e in entries if e["kind"] != "text"}
    for _, expected in PROJECTS.values():
        assert coloured[age_class_label(expected, "en")] == style.age_colour(expected)
    statuses = {status_label(s, "en") for s in style.STATUS_COLOURS}
    assert not statuses & {e["label"] for e in entries}
    assert entries[0]["kind"] == "text" and entries[0]["label"].startswith("Colour: age")
    fewer = MapLayer(zones.spec, zones.data.loc[["p-recent"]])
    labels = [e["label"] for e in legend_entries([fewer], lang="zh", as_of=DAY, colour_by="age")]
    assert age_class_label("recent", "zh") in labels
    assert age_class_label("old", "zh") not in labels


def test_the_built_map_carries_the_age_colours_and_refuses_an_unknown_choice(zones):
    html = build_map([zones], lang="vi", as_of=DAY, colour_by="age").get_root().render()
    for colour in style.AGE_COLOURS.values():
        assert colour in html
    with pytest.raises(KeyError, match="unknown colour_by 'rainbow'"):
        project_groups([zones], lang="en", as_of=DAY, colour_by="rainbow")


def test_a_point_project_is_coloured_by_age_too():
    spec = next(s for s in load_registry().layers if s.id == "gates")
    gdf = gpd.GeoDataFrame(
        [props("p-old")], geometry=[Point(106.76, 21.97)], crs="EPSG:4326"
    ).set_index("id")
    groups = project_groups([MapLayer(spec, gdf)], lang="en", as_of=DAY, colour_by="age")
    assert {s["fillColor"] for _, s in features_of(groups, "p-old")} == {style.age_colour("old")}
