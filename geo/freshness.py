"""Which projects' figures are old: the planners' list of what to update.

The map colours each project by the age of its latest figure (:func:`figure_age`,
:data:`AGE_CLASSES`), the dashboard lists the ages (:func:`source_ages`) and the planners see
the stale list (:func:`stale_projects`): all three read the age from here.

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

from calendar import monthrange
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from geo.feature_state import Dated, FeatureState, state_on
from geo.limits import AGE_OLD_AFTER_MONTHS, AGE_RECENT_MONTHS

__all__ = [
    "AGE_CLASSES",
    "STALE_REASONS",
    "FigureAge",
    "SourceAge",
    "StaleProject",
    "figure_age",
    "months_before",
    "source_ages",
    "stale_projects",
]

#: The age classes of a project's latest figure on the map, in the legend's order: younger
#: than :data:`geo.limits.AGE_RECENT_MONTHS`, up to :data:`geo.limits.AGE_OLD_AFTER_MONTHS`,
#: older, a target date passed with no event since (whatever the figure's age), no dated
#: source at all.
AGE_CLASSES: Final = ("recent", "ageing", "old", "target_passed", "undated")


def months_before(day: date, months: int) -> date:
    """Return the day ``months`` calendar months before ``day`` (the month's last day if short).

    Examples
    --------
    >>> months_before(date(2026, 5, 31), 3)
    datetime.date(2026, 2, 28)
    >>> months_before(date(2026, 1, 15), 12)
    datetime.date(2025, 1, 15)
    """
    year, month0 = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month0 + 1, min(day.day, monthrange(year, month0 + 1)[1]))


def _whole_months(earlier: date, later: date) -> int:
    """Return the whole calendar months from ``earlier`` to ``later`` (0 when not later)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    while months > 0 and months_before(later, months) < earlier:
        months -= 1
    return max(months, 0)


@dataclass(frozen=True)
class FigureAge:
    """How old a project's latest source is on a day, and its class on the map.

    Attributes
    ----------
    latest : Dated or None
        Its latest source date (None: nothing dates it).
    age_days, age_months : int or None
        How old that is on the day asked about (whole calendar months).
    passed_targets : tuple[date, ...]
        Target dates passed with no event since.
    age_class : str
        One of :data:`AGE_CLASSES`.
    """

    latest: Dated | None
    age_days: int | None
    age_months: int | None
    passed_targets: tuple[date, ...]
    age_class: str


def figure_age(state: FeatureState, day: date) -> FigureAge:
    """Return the age of the latest source behind ``state`` (a project's state on ``day``).

    Examples
    --------
    >>> props = {"status": "planned", "milestones": [
    ...     {"date": "2025-01-31", "date_precision": "month", "kind": "approval",
    ...      "status": "planned", "source": "a"}]}
    >>> age = figure_age(state_on(props, date(2026, 4, 1)), date(2026, 4, 1))
    >>> age.age_months, age.age_days, age.age_class
    (14, 425, 'old')
    >>> figure_age(state_on(props, date(2025, 3, 1)), date(2025, 3, 1)).age_class
    'recent'
    >>> figure_age(state_on({"status": "operational"}, date(2026, 1, 1)), date(2026, 1, 1))
    FigureAge(latest=None, age_days=None, age_months=None, passed_targets=(), age_class='undated')
    """
    latest = state.latest()
    passed = tuple(m.day for m in state.passed_targets)
    if latest is None:
        return FigureAge(None, None, None, passed, "target_passed" if passed else "undated")
    if passed:
        age_class = "target_passed"
    elif latest.day > months_before(day, AGE_RECENT_MONTHS):
        age_class = "recent"
    elif latest.day >= months_before(day, AGE_OLD_AFTER_MONTHS):
        age_class = "ageing"
    else:
        age_class = "old"
    return FigureAge(
        latest, (day - latest.day).days, _whole_months(latest.day, day), passed, age_class
    )


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
        aged = figure_age(state, today)
        latest, age, passed = aged.latest, aged.age_days, aged.passed_targets
        reasons = []
        if latest is None:
            reasons.append("undated")
        elif age is not None and age > max_age_days:
            reasons.append("old_source")
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
            aged = figure_age(state, day)
            ages.append(SourceAge(fid, aged.latest, aged.age_days))
    return sorted(ages, key=lambda a: (a.latest is not None, a.latest.day if a.latest else day))
