"""The planners' stale list: old sources, undated projects, passed targets."""

from __future__ import annotations

from datetime import date

import pytest

from geo.freshness import stale_projects


def milestone(day: str, kind: str, status: str | None) -> dict:
    return {"date": day, "date_precision": "day", "kind": kind, "status": status, "source": "s"}


def project(*milestones: dict, status: str = "planned", history: list | None = None) -> dict:
    return {"status": status, "milestones": list(milestones), "progress_history": history or []}


def test_the_list_holds_old_undated_and_overdue_projects_oldest_first():
    features = {
        "fresh": project(milestone("2026-02-01", "approval", "planned")),
        "old": project(milestone("2024-05-01", "approval", "planned")),
        "older": project(milestone("2023-05-01", "approval", "planned")),
        "undated": project(status="operational"),
        "overdue": project(
            milestone("2026-01-01", "approval", "planned"), milestone("2026-02-15", "target", None)
        ),
        "not-begun": project(milestone("2027-01-01", "approval", "planned")),
    }
    stale = stale_projects(features, date(2026, 3, 1), max_age_days=180)
    assert [(s.feature_id, s.reasons) for s in stale] == [
        ("undated", ("undated",)),
        ("older", ("old_source",)),
        ("old", ("old_source",)),
        ("overdue", ("target_passed",)),
    ]
    assert stale[1].age_days == (date(2026, 3, 1) - date(2023, 5, 1)).days
    assert stale[3].passed_targets == (date(2026, 2, 15),)


def test_a_progress_figure_counts_as_the_latest_source():
    history = [
        {
            "date": "2026-02-20",
            "date_precision": "day",
            "progress_pct": 40,
            "open_length_km": None,
            "source": "s",
        }
    ]
    props = project(milestone("2020-01-01", "approval", "planned"), history=history)
    props.update(progress_pct=40, progress_as_of="2026-02-20", progress_source="s")
    assert stale_projects({"p": props}, date(2026, 3, 1), max_age_days=30) == []
    [old] = stale_projects({"p": props}, date(2026, 6, 1), max_age_days=30)
    assert old.latest.day == date(2026, 2, 20)


def test_a_negative_age_is_refused():
    with pytest.raises(ValueError, match="max_age_days"):
        stale_projects({}, date(2026, 3, 1), max_age_days=-1)
