"""Dashboard figures and filters from feature properties."""

from datetime import date

import pytest

from geo.summary import (
    area_total,
    held_series,
    investment_total,
    matching_ids,
    not_yet_started,
    open_vs_planned,
    progress_series,
    status_counts,
)
from geo.text import format_day

EVENT = {"kind": "groundbreaking", "source": "s"}


@pytest.fixture
def features() -> dict:
    return {
        "zone-a": {
            "layer": "zones",
            "kind": "cargo_transit_zone",
            "name_vi": "Khu trung chuyển",
            "name_en": "Cargo transit zone",
            "status": "operational",
            "area_ha": 143.7,
            "investment_vnd_bn": 3300.0,
            "milestones": [{**EVENT, "date": "2024-12-11", "status": "operational"}],
        },
        "zone-b": {
            "layer": "zones",
            "kind": "export_processing_zone",
            "name_vi": "Khu chế xuất",
            "name_en": "Export processing zone",
            "status": "unknown",
            "area_ha": 126.38,
            "investment_vnd_bn": float("nan"),
            "milestones": [],
        },
        "road-a": {
            "layer": "expressways",
            "kind": "expressway",
            "name_vi": "Cao tốc Đồng Đăng",
            "name_en": "Dong Dang expressway",
            "status": "partly_open",
            "length_km": 93.35,
            "investment_vnd_bn": 14331.6,
            "milestones": [
                {**EVENT, "date": "2024-01-01", "status": "under_construction"},
                {**EVENT, "date": "2026-02-28", "status": "partly_open"},
            ],
            "progress_history": [
                {"date": "2026-02-28", "open_length_km": 85.0, "progress_pct": None, "source": "s"}
            ],
        },
    }


def test_status_counts_follow_the_date(features):
    assert status_counts(features, date(2026, 11, 23)) == {
        "operational": 1,
        "unknown": 1,
        "partly_open": 1,
    }
    assert status_counts(features, date(2024, 6, 1)) == {"unknown": 1, "under_construction": 1}


def test_projects_not_started_on_a_date(features):
    assert not_yet_started(features, date(2023, 1, 1)) == ["zone-a", "road-a"]


def test_investment_counts_only_published_figures(features):
    total = investment_total(features)
    assert total.value == pytest.approx(3300.0 + 14331.6)
    assert (total.known, total.total) == (2, 3)


def test_area_total_by_kind(features):
    assert area_total(features, ["cargo_transit_zone"]).value == pytest.approx(143.7)
    assert area_total(features, ["cargo_transit_zone", "export_processing_zone"]).value == (
        pytest.approx(270.08)
    )


def test_open_vs_planned_on_a_date(features):
    assert open_vs_planned(features, date(2026, 3, 1)).open_km == 85.0
    assert open_vs_planned(features, date(2025, 3, 1)).open_km == 0.0
    assert open_vs_planned(features, date(2025, 3, 1)).planned_km == pytest.approx(93.35)


@pytest.mark.parametrize("query", ["dong dang", "Đồng Đăng", "DONG DANG", "expressway"])
def test_search_any_language_with_or_without_diacritics(features, query):
    ids = matching_ids(
        features,
        as_of=date(2026, 11, 23),
        statuses=["partly_open", "operational", "unknown"],
        search=query,
    )
    assert ids == ["road-a"]


def test_filters_by_status_and_layer(features):
    day = date(2026, 11, 23)
    assert matching_ids(features, as_of=day, statuses=["operational"], search="") == ["zone-a"]
    assert matching_ids(
        features,
        as_of=day,
        statuses=["operational", "partly_open", "unknown"],
        search="",
        layers={"expressways"},
    ) == ["road-a"]


def test_progress_series_stops_at_the_date(features):
    assert progress_series(features, date(2026, 1, 1)) == []
    rows = progress_series(features, date(2026, 11, 23))
    assert [(r["id"], r["open_length_km"]) for r in rows] == [("road-a", 85.0)]


@pytest.mark.parametrize(
    ("precision", "lang", "expected"),
    [
        ("day", "en", "Sep 30, 2026"),
        ("month", "vi", "thg 9 2026"),
        ("quarter", "en", "Q3 2026"),
        ("quarter", "zh", "2026年第3季度"),
        ("year", "zh", "2026年"),
    ],
)
def test_a_date_is_written_as_precisely_as_it_was_published(precision, lang, expected):
    assert format_day(date(2026, 9, 30), lang, precision) == expected


def test_first_quarter_is_q1():
    assert format_day(date(2025, 3, 31), "en", "quarter") == "Q1 2025"


def test_held_series_holds_the_last_figure_to_the_date_without_interpolating(features):
    rows = [
        {"id": "r", "date": date(2024, 12, 31), "progress_pct": 20, "source": "a"},
        {"id": "r", "date": date(2025, 6, 30), "progress_pct": 60, "source": "b"},
        {"id": "r", "date": date(2025, 9, 30), "progress_pct": None, "source": "c"},
        {"id": "z", "date": date(2026, 1, 1), "progress_pct": 100, "source": "d"},
    ]
    held = held_series(rows, "progress_pct", date(2026, 1, 1))
    assert [(r["id"], r["date"], r["value"], r["source"], r["published"]) for r in held] == [
        ("r", date(2024, 12, 31), 20.0, "a", True),
        ("r", date(2025, 6, 30), 60.0, "b", True),
        ("r", date(2026, 1, 1), 60.0, "b", False),
        # Published on the date itself: nothing to hold.
        ("z", date(2026, 1, 1), 100.0, "d", True),
    ]


def test_held_series_ignores_figures_after_the_date_and_other_fields(features):
    rows = progress_series(features, date(2026, 11, 23))
    assert held_series(rows, "progress_pct", date(2026, 11, 23)) == []
    held = held_series(rows, "open_length_km", date(2026, 1, 1))
    assert held == []
    held = held_series(rows, "open_length_km", date(2026, 3, 1))
    assert [(r["value"], r["published"]) for r in held] == [(85.0, True), (85.0, False)]
