"""Status, progress and open length as of a date."""

from datetime import date

import pytest

from geo.timeline import (
    clamp,
    dates_of,
    milestones,
    open_fraction_on,
    open_length_on,
    progress_on,
    status_on,
)


@pytest.fixture
def expressway() -> dict:
    """An expressway approved, started, then partly opened, with a future target."""
    return {
        "id": "expressway-x",
        "status": "partly_open",
        "length_km": 60.0,
        "milestones": [
            {"date": "2024-04-14", "kind": "approval", "status": "preparing", "source": "s"},
            {
                "date": "2024-04-21",
                "kind": "groundbreaking",
                "status": "under_construction",
                "source": "s",
            },
            {
                "date": "2026-02-20",
                "kind": "partial_opening",
                "status": "partly_open",
                "source": "s",
            },
            {"date": "2026-12-31", "kind": "target", "status": None, "source": "s"},
        ],
        "progress_history": [
            {"date": "2025-06-30", "progress_pct": 40.0, "open_length_km": 12.0, "source": "a"},
            {"date": "2026-02-20", "progress_pct": None, "open_length_km": 50.0, "source": "b"},
        ],
    }


def test_status_follows_the_latest_event_on_or_before_the_date(expressway):
    assert status_on(expressway, date(2024, 4, 14)) == "preparing"
    assert status_on(expressway, date(2024, 4, 20)) == "preparing"
    assert status_on(expressway, date(2025, 1, 1)) == "under_construction"
    assert status_on(expressway, date(2026, 11, 23)) == "partly_open"


def test_no_status_before_the_first_event(expressway):
    assert status_on(expressway, date(2024, 4, 13)) is None


def test_targets_never_change_the_status(expressway):
    assert status_on(expressway, date(2027, 6, 1)) == "partly_open"


def test_feature_without_dated_events_keeps_its_status_on_every_date():
    gate = {"status": "operational", "milestones": []}
    assert status_on(gate, date(1990, 1, 1)) == "operational"


def test_progress_is_the_latest_published_figure_never_interpolated(expressway):
    assert progress_on(expressway, date(2025, 6, 29)) is None
    obs = progress_on(expressway, date(2026, 3, 1))
    assert obs.progress_pct == 40.0
    assert obs.as_of == date(2025, 6, 30)


def test_open_length_steps_at_each_observation(expressway):
    assert open_length_on(expressway, date(2025, 1, 1)) is None
    assert open_length_on(expressway, date(2025, 7, 1)).open_length_km == 12.0
    assert open_length_on(expressway, date(2026, 2, 20)).open_length_km == 50.0


def test_open_fraction_is_open_over_official_length(expressway):
    assert open_fraction_on(expressway, date(2026, 3, 1)) == pytest.approx(50 / 60)
    assert open_fraction_on(expressway, date(2024, 5, 1)) == 0.0


def test_operational_road_without_open_length_is_fully_open():
    road = {"status": "operational", "length_km": 10, "milestones": []}
    assert open_fraction_on(road, date(2026, 1, 1)) == 1.0


def test_milestones_are_sorted_and_flag_targets(expressway):
    expressway["milestones"].reverse()
    items = milestones(expressway)
    assert [m.day for m in items] == sorted(m.day for m in items)
    assert [m.is_target for m in items] == [False, False, False, True]


def test_dates_of_is_unique_and_sorted(expressway):
    days = dates_of([expressway, expressway])
    assert days == sorted(set(days))
    assert date(2025, 6, 30) in days and date(2026, 12, 31) in days


def test_missing_history_columns_read_as_empty():
    # A GeoDataFrame row holds NaN where a feature lacks a list column.
    assert milestones({"milestones": float("nan")}) == []
    assert progress_on({"progress_history": None}, date(2026, 1, 1)) is None


def test_clamp():
    bounds = (date(2020, 1, 1), date(2026, 1, 1))
    assert clamp(date(2019, 5, 5), bounds) == date(2020, 1, 1)
    assert clamp(date(2030, 5, 5), bounds) == date(2026, 1, 1)
    assert clamp(date(2022, 5, 5), bounds) == date(2022, 5, 5)


def test_a_whole_play_takes_one_frame_per_dated_event():
    from geo.style import PLAY_FRAME_S
    from ui.sidebar import next_play_date

    bounds = (date(2010, 7, 8), date(2026, 12, 1))
    events = [date(2010, 7, 8), date(2020, 8, 10), date(2024, 12, 11), date(2025, 11, 27)]
    frames, day = [], bounds[0]
    while True:
        day = next_play_date(day, events, bounds)
        frames.append(day)
        if day == bounds[1]:
            break
    assert frames == [*events[1:], bounds[1]]
    assert len(frames) * PLAY_FRAME_S < 60
