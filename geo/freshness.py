"""Which projects' figures are old: the planners' list of what to update.

A project is *stale* on a day when its latest source (:meth:`FeatureState.latest`, the newest
dated status event or figure) is older than a chosen age, when nothing dates it at all, or
when a target date has passed with no event since (:attr:`FeatureState.passed_targets`).

Examples
--------
>>> props = {"status": "planned", "milestones": [
...     {"date": "2024-01-31", "date_precision": "month", "kind": "approval",
...      "status": "planned", "source": "a"},
...     {"date": "2025-06-30", "date_precision": "month", "kind": "target",
...      "status": None, "source": "a"}]}
>>> [s.reasons for s in stale_projects({"p": props}, date(2026, 3, 1), max_age_days=365)]
[('old_source', 'target_passed')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from geo.feature_state import Dated, state_on

__all__ = ["STALE_REASONS", "SourceAge", "StaleProject", "source_ages", "stale_projects"]

#: Why a project is listed: its latest source is older than the age chosen, no source
#: dates it, or a target date passed with no event since.
STALE_REASONS: Final = ("old_source", "undated", "target_passed")


@dataclass(frozen=True)
class StaleProject:
    """A project whose figures need a look.

    Attributes
    ----------
    feature_id : str
        The project.
    latest : Dated or None
        Its latest source date (None: nothing dates it).
    age_days : int or None
        How old that is on the day asked about.
    passed_targets : tuple[date, ...]
        Target dates passed with no event since.
    reasons : tuple[str, ...]
        Of :data:`STALE_REASONS`, in that order.
    """

    feature_id: str
    latest: Dated | None
    age_days: int | None
    passed_targets: tuple[date, ...]
    reasons: tuple[str, ...]


def stale_projects(
    features: Mapping[str, Mapping[str, Any]], today: date, *, max_age_days: int
) -> list[StaleProject]:
    """Return the projects that are stale on ``today``, oldest source first (undated first).

    Raises
    ------
    ValueError
        When ``max_age_days`` is negative.

    Examples
    --------
    >>> fresh = {"status": "planned", "milestones": [
    ...     {"date": "2026-02-01", "kind": "approval", "status": "planned", "source": "a"}]}
    >>> stale_projects({"f": fresh}, date(2026, 3, 1), max_age_days=90)
    []
    >>> [s.reasons for s in stale_projects({"u": {"status": "operational"}}, date(2026, 3, 1),
    ...                                     max_age_days=90)]
    [('undated',)]
    """
    if max_age_days < 0:
        raise ValueError(f"max_age_days must be 0 or more; got {max_age_days}")
    found = []
    for fid, props in features.items():
        state = state_on(props, today)
        if not state.exists:
            continue  # not begun on that day: nothing to update yet
        latest = state.latest()
        age = None if latest is None else (today - latest.day).days
        reasons = []
        if latest is None:
            reasons.append("undated")
        elif age is not None and age > max_age_days:
            reasons.append("old_source")
        passed = tuple(m.day for m in state.passed_targets)
        if passed:
            reasons.append("target_passed")
        if reasons:
            ordered = tuple(r for r in STALE_REASONS if r in reasons)
            found.append(StaleProject(fid, latest, age, passed, ordered))
    return sorted(
        found, key=lambda s: (s.latest is not None, s.latest.day if s.latest else date.min)
    )


@dataclass(frozen=True)
class SourceAge:
    """How old a project's latest source is on a day (``latest`` None: nothing dates it)."""

    feature_id: str
    latest: Dated | None
    age_days: int | None


def source_ages(features: Mapping[str, Mapping[str, Any]], day: date) -> list[SourceAge]:
    """Return the age of every existing project's latest source on ``day``, oldest first.

    Undated projects come first; projects not begun on ``day`` are left out.

    Examples
    --------
    >>> dated = {"status": "planned", "milestones": [
    ...     {"date": "2026-01-01", "kind": "approval", "status": "planned", "source": "a"}]}
    >>> [(a.feature_id, a.age_days) for a in source_ages(
    ...     {"d": dated, "u": {"status": "operational"}}, date(2026, 1, 31))]
    [('u', None), ('d', 30)]
    """
    ages = []
    for fid, props in features.items():
        state = state_on(props, day)
        if state.exists:
            latest = state.latest()
            ages.append(SourceAge(fid, latest, None if latest is None else (day - latest.day).days))
    return sorted(ages, key=lambda a: (a.latest is not None, a.latest.day if a.latest else day))
