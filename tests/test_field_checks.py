"""The rules of one feature's properties, one behaviour per test, on properties built here."""

from __future__ import annotations

import pytest

from geo.field_checks import derived_status, validate_properties
from geo.problems import Problem
from geo.vocabulary import STATUSES


def check(props, schema="project", source_ids=("fixture-src", "other-src")):
    return validate_properties(
        props, schema=schema, file="zones.geojson", feature_index=0, source_ids=set(source_ids)
    )


def fields(problems: list[Problem]) -> list[str]:
    return [p.field for p in problems]


def milestone(date, kind="other", status=None, precision="day"):
    return {
        "date": date,
        "date_precision": precision,
        "kind": kind,
        "label_vi": "Sự kiện",
        "label_en": "Event",
        "label_zh": "事件",
        "status": status,
        "source": "fixture-src",
    }


def history(date, pct, source="fixture-src", open_km=None, precision="day"):
    return {
        "date": date,
        "date_precision": precision,
        "progress_pct": pct,
        "open_length_km": open_km,
        "source": source,
        "note_vi": None,
        "note_en": None,
        "note_zh": None,
    }


# --- properties: both schemas -------------------------------------------------------------


def test_valid_project_properties_have_no_problem(project_props):
    assert check(project_props()) == []


def test_problem_reads_as_one_line_with_file_feature_field_expected_and_found(project_props):
    (problem,) = check(project_props(status="finished"))
    assert str(problem) == (
        "zones.geojson: feature 'zone-x', field 'status': expected one of "
        f"{', '.join(STATUSES)}; found 'finished'"
    )


def test_every_problem_is_reported_at_once(project_props):
    props = project_props(status="finished", name_en="", geometry_accuracy="guessed")
    del props["accuracy_note_zh"]
    assert sorted(fields(check(props))) == [
        "accuracy_note_zh",
        "geometry_accuracy",
        "name_en",
        "status",
    ]


@pytest.mark.parametrize("bad_id", ["Zone-X", "-zone", "zone x", "zone_x", "", 7, None])
def test_feature_ids_follow_the_pattern(project_props, bad_id):
    assert fields(check(project_props(id=bad_id))) == ["id"]


def test_a_feature_without_usable_id_is_named_by_its_position(project_props):
    (problem,) = check(project_props(id=None))
    assert "feature #0" in str(problem)


def test_name_zh_may_be_null_but_must_be_present(project_props):
    assert check(project_props(name_zh=None)) == []
    props = project_props()
    del props["name_zh"]
    assert fields(check(props)) == ["name_zh"]


def test_sources_must_be_a_non_empty_list_of_known_ids(project_props):
    assert fields(check(project_props(sources=[]))) == ["sources"]
    assert fields(check(project_props(sources="fixture-src"))) == ["sources"]
    problems = check(project_props(sources=["fixture-src", "vns-1999"]))
    assert fields(problems) == ["sources[1]"]
    assert "'vns-1999'" in str(problems[0])


def test_properties_that_are_not_an_object_are_one_problem():
    assert fields(check(None)) == ["properties"]


# --- project schema: unknown fields -----------------------------------------------------------


def test_a_misspelt_field_is_refused_in_the_project_schema_with_a_hint(project_props):
    props = project_props()
    props["progres_pct"] = props.pop("progress_pct")
    problems = check(props)
    assert sorted(fields(problems)) == ["progres_pct", "progress_pct"]
    typo = next(p for p in problems if p.field == "progres_pct")
    assert "did you mean 'progress_pct'?" in typo.expected


def test_extra_fields_are_allowed_in_the_context_schema(project_props):
    common = {
        k: v
        for k, v in project_props().items()
        if k in ("id", "name_vi", "name_en", "name_zh", "geometry_accuracy")
        or k.startswith("accuracy_note_")
    }
    props = {**common, "sources": ["fixture-src"], "osm_id": 42, "ref": "QL1A"}
    assert check(props, schema="context") == []


def test_unknown_schema_is_a_programming_error(project_props):
    with pytest.raises(ValueError, match="schema"):
        check(project_props(), schema="projects")


# --- progress ---------------------------------------------------------------------------------


@pytest.mark.parametrize("pct", [0, 55.5, 100])
def test_progress_pct_from_0_to_100_with_as_of_source_and_history_is_valid(project_props, pct):
    props = project_props(
        progress_pct=pct,
        progress_as_of="2025-06-30",
        progress_source="fixture-src",
        progress_note=None,
        progress_history=[history("2025-06-30", pct)],
    )
    assert check(props) == []


@pytest.mark.parametrize("pct", [-1, 100.5, 140, True, False, float("nan"), float("inf"), "50"])
def test_progress_pct_out_of_range_bool_nan_or_text_is_refused(project_props, pct):
    props = project_props(
        progress_pct=pct,
        progress_as_of="2025-06-30",
        progress_source="fixture-src",
        progress_history=[history("2025-06-30", 50)],
    )
    assert fields(check(props)) == ["progress_pct"]


def test_progress_pct_set_requires_as_of_and_source(project_props):
    props = project_props(
        progress_pct=40,
        progress_as_of=None,
        progress_source=None,
        progress_history=[history("2025-06-30", 40)],
    )
    assert {"progress_as_of", "progress_source"} <= set(fields(check(props)))


def test_progress_pct_null_requires_a_note_saying_why(project_props):
    problems = check(project_props(progress_pct=None, progress_note=None))
    assert fields(problems) == ["progress_note_vi", "progress_note_en", "progress_note_zh"]
    assert all("why" in p.expected for p in problems)


def test_top_level_progress_must_equal_the_newest_history_entry_with_a_pct(project_props):
    props = project_props(
        progress_pct=60,
        progress_as_of="2025-06-30",
        progress_source="fixture-src",
        progress_note=None,
        progress_history=[
            history("2025-06-30", 60),
            history("2025-09-30", 70, source="other-src"),
            history("2025-12-31", None, open_km=1.0),  # no pct: not the one to match
        ],
    )
    problems = check(props)
    assert sorted(fields(problems)) == ["progress_as_of", "progress_pct", "progress_source"]
    pct = next(p for p in problems if p.field == "progress_pct")
    assert pct.expected.startswith("70") and pct.found == "60"


def test_a_top_level_figure_missing_from_the_history_is_refused(project_props):
    props = project_props(
        progress_pct=60,
        progress_as_of="2025-06-30",
        progress_source="fixture-src",
        progress_note=None,
        progress_history=[],
    )
    assert fields(check(props)) == ["progress_history"]


def test_history_must_be_oldest_first(project_props):
    props = project_props(
        progress_history=[history("2025-06-30", None), history("2025-01-31", None)],
    )
    assert fields(check(props)) == ["progress_history[1].date"]


def test_history_entries_have_their_own_rules(project_props):
    entry = history("2025-13-01", 120, source="nowhere")
    entry["progres_pct"] = 1
    problems = check(project_props(progress_history=[entry]))
    assert sorted(fields(problems)) == [
        "progress_history[0].date",
        "progress_history[0].progres_pct",
        "progress_history[0].progress_pct",
        "progress_history[0].source",
    ]


def test_a_history_date_of_month_precision_is_the_last_day_of_the_month(project_props):
    good = project_props(progress_history=[history("2026-02-28", None, precision="month")])
    assert check(good) == []
    bad = check(project_props(progress_history=[history("2026-02-20", None, precision="month")]))
    assert [str(p) for p in bad] == [
        "zones.geojson: feature 'zone-x', field 'progress_history[0].date': expected "
        "the last day "
        "of the month (dates of month precision mark the end of the period); found '2026-02-20'"
    ]


def test_a_history_entry_without_date_precision_is_refused(project_props):
    entry = history("2026-02-28", None)
    del entry["date_precision"]
    assert fields(check(project_props(progress_history=[entry]))) == [
        "progress_history[0].date_precision"
    ]


def test_a_feature_kind_outside_the_vocabulary_is_refused(project_props):
    problems = check(project_props(kind="logistics_park"))
    assert [p.field for p in problems] == ["kind"]
    assert problems[0].expected.startswith("one of cargo_transit_zone, export_processing_zone")


# --- milestones and status ---------------------------------------------------------------------


def test_status_must_equal_the_latest_status_bearing_milestone(project_props):
    props = project_props(
        status="under_construction",
        milestones=[
            milestone("2024-04-21", "groundbreaking", "under_construction"),
            milestone("2025-06-30", "partial_opening", "partly_open", precision="month"),
            milestone("2026-12-31", "target", None, precision="year"),
        ],
    )
    problems = check(props)
    assert fields(problems) == ["status"]
    assert problems[0].expected.startswith("'partly_open'")
    assert problems[0].found == "'under_construction'"


@pytest.mark.parametrize("status", ["operational", "unknown", "planned"])
def test_any_status_is_allowed_without_status_bearing_milestones(project_props, status):
    props = project_props(
        status=status, milestones=[milestone("2020-12-31", "other", None, precision="year")]
    )
    assert check(props) == []


def test_a_target_never_carries_a_status(project_props):
    props = project_props(
        milestones=[
            milestone("2024-12-11", "opening", "operational"),
            milestone("2026-12-31", "target", "operational", precision="year"),
        ]
    )
    assert fields(check(props)) == ["milestones[1].status"]


def test_milestones_must_be_oldest_first(project_props):
    props = project_props(
        milestones=[
            milestone("2024-12-11", "opening", "operational"),
            milestone("2024-04-21", "groundbreaking", None),
        ]
    )
    assert fields(check(props)) == ["milestones[1].date"]


@pytest.mark.parametrize(
    ("date", "precision", "ok"),
    [
        ("2025-06-30", "month", True),
        ("2025-06-15", "month", False),
        ("2024-02-29", "month", True),
        ("2025-09-30", "quarter", True),
        ("2025-08-31", "quarter", False),
        ("2025-12-31", "year", True),
        ("2025-06-30", "year", False),
        ("2025-06-15", "day", True),
    ],
)
def test_a_period_precision_date_is_the_last_day_of_the_period(project_props, date, precision, ok):
    props = project_props(milestones=[milestone(date, "opening", "operational", precision)])
    assert fields(check(props)) == ([] if ok else ["milestones[0].date"])


@pytest.mark.parametrize("date", ["11/12/2024", "2024-12", "2024-02-30", "2024-12-11T00:00", None])
def test_milestone_dates_are_strict_iso_dates(project_props, date):
    props = project_props(milestones=[milestone(date, "opening", "operational")])
    assert "milestones[0].date" in fields(check(props))


def test_milestone_fields_are_checked(project_props):
    bad = milestone("2024-12-11", "inauguration", "done", precision="week")
    bad["label_en"] = ""
    bad["source"] = "nowhere"
    props = project_props(status="unknown", milestones=[bad])
    assert sorted(fields(check(props))) == [
        "milestones[0].date_precision",
        "milestones[0].kind",
        "milestones[0].label_en",
        "milestones[0].source",
        "milestones[0].status",
    ]


def test_derived_status_takes_the_latest_event_and_ignores_targets():
    milestones = [
        milestone("2024-04-21", "groundbreaking", "under_construction"),
        milestone("2024-12-11", "opening", "operational"),
        milestone("2026-12-31", "target", "planned", precision="year"),
    ]
    assert derived_status(milestones) == "operational"
    assert derived_status(milestones[:1]) == "under_construction"
    assert derived_status([]) is None


# --- official figures and their sources ----------------------------------------------------


def test_a_set_figure_needs_its_source(project_props):
    props = project_props(area_ha=143.7, area_source=None, investor="Viettel", investor_source=None)
    assert sorted(fields(check(props))) == ["area_source", "investor_source"]


@pytest.mark.parametrize("area", [0, -5, "143.7", True])
def test_area_must_be_a_positive_number(project_props, area):
    assert fields(check(project_props(area_ha=area))) == ["area_ha"]


def test_open_length_cannot_exceed_length(project_props):
    props = project_props(length_km=59.87, length_source="fixture-src", open_length_km=60.0)
    problems = check(props)
    assert fields(problems) == ["open_length_km"]
    assert "59.87" in problems[0].expected


def test_unknown_source_id_in_a_source_field_is_refused(project_props):
    problems = check(project_props(area_source="vns-2024"))
    assert fields(problems) == ["area_source"]
    assert problems[0].found == "'vns-2024'"


# --- texts in every language ------------------------------------------------------------------


def test_a_missing_translation_is_reported_with_file_feature_and_field(project_props):
    props = project_props()
    del props["accuracy_note_zh"]
    props["progress_note_vi"] = ""
    assert [str(p) for p in check(props)] == [
        "zones.geojson: feature 'zone-x', field 'accuracy_note_zh': expected a non-empty "
        "string; found nothing (the field is missing)",
        "zones.geojson: feature 'zone-x', field 'progress_note_vi': expected a non-empty "
        "string (saying why progress_pct is null); found ''",
    ]


def test_a_note_may_be_null_in_all_languages_but_not_in_one(project_props):
    assert check(project_props(note=None)) == []
    props = project_props(note=None)
    props["note_en"] = "investor not found"
    assert [str(p) for p in check(props)] == [
        "zones.geojson: feature 'zone-x', field 'note_vi': expected a non-empty string (a "
        "translation of note_en and note_zh), or null in all three; found null",
        "zones.geojson: feature 'zone-x', field 'note_zh': expected a non-empty string (a "
        "translation of note_vi and note_en), or null in all three; found null",
    ]


def test_a_history_note_needs_every_language(project_props):
    entry = {**history("2025-06-30", None), "note_en": "share of length open"}
    problems = check(project_props(progress_history=[entry]))
    assert fields(problems) == ["progress_history[0].note_vi", "progress_history[0].note_zh"]


def test_the_old_single_language_field_is_refused_with_a_hint(project_props):
    props = project_props()
    props["note"] = "left from the old model"
    (problem,) = check(props)
    assert problem.field == "note"
    assert "did you mean" in problem.expected


def test_a_milestone_label_is_required_in_chinese_too(project_props):
    bad = milestone("2024-12-11", "opening", "operational")
    bad["label_zh"] = None
    (problem,) = check(project_props(milestones=[bad]))
    assert str(problem) == (
        "zones.geojson: feature 'zone-x', field 'milestones[0].label_zh': expected a "
        "non-empty string; found null"
    )
