"""The one table of project states on a date: status with its date, figures, passed targets."""

from __future__ import annotations

from datetime import date

from geo.feature_state import latest_source, state_on, states_on

ROAD = {
    "status": "partly_open",
    "length_km": 93.35,
    "milestones": [
        {"date": "2020-08-10", "kind": "approval", "status": "planned", "source": "a"},
        {"date": "2024-01-01", "kind": "groundbreaking", "status": "under_construction",
         "source": "b"},
        {"date": "2026-02-28", "date_precision": "month", "kind": "partial_opening",
         "status": "partly_open", "source": "c"},
        {"date": "2026-04-30", "kind": "target", "status": None, "source": "c"},
    ],
    "progress_history": [
        {"date": "2026-02-28", "progress_pct": 91.1, "open_length_km": 85, "source": "c"}
    ],
}  # fmt: skip


def test_status_carries_the_date_and_source_of_the_event_that_set_it():
    state = state_on(ROAD, date(2025, 6, 1))
    assert state.status == "under_construction"
    assert (state.status_dated.day, state.status_dated.source) == (date(2024, 1, 1), "b")
    assert state.progress is None and state.open_length is None


def test_a_target_is_passed_only_after_its_date_and_only_without_a_later_event():
    assert state_on(ROAD, date(2026, 4, 29)).passed_targets == ()
    assert [t.source for t in state_on(ROAD, date(2026, 5, 1)).passed_targets] == ["c"]
    met = {**ROAD, "milestones": [*ROAD["milestones"], {"date": "2026-05-02",
           "kind": "opening", "status": "operational", "source": "d"}]}  # fmt: skip
    assert state_on(met, date(2026, 6, 1)).passed_targets == ()
    assert state_on(met, date(2026, 6, 1)).status == "operational"


def test_before_any_status_event_the_project_does_not_exist_and_has_no_targets():
    state = state_on(ROAD, date(2019, 1, 1))
    assert not state.exists and state.passed_targets == ()


def test_undated_status_has_no_date_and_holds_on_every_date():
    gate = {"status": "operational", "milestones": [
        {"date": "2024-05-27", "kind": "other", "status": None, "source": "x"}]}  # fmt: skip
    for day in (date(2000, 1, 1), date(2026, 1, 1)):
        state = state_on(gate, day)
        assert state.status == "operational" and state.status_dated is None


def test_latest_source_is_the_newest_date_behind_any_state():
    states = states_on({"road": ROAD, "gate": {"status": "operational"}}, date(2026, 12, 1))
    newest = latest_source(states)
    assert (newest.day, newest.precision, newest.source) == (date(2026, 2, 28), "month", "c")
    assert latest_source(states_on({"road": ROAD}, date(2022, 1, 1))).day == date(2020, 8, 10)
