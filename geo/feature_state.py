"""The state of every project on one date, computed once: one table for every view.

The map, the detail panel, the dashboard and the exports all show a project's
status, progress and open length *with the date of the source that says it*.
:func:`states_on` computes that once per date for every feature, so no view walks
the timeline on its own (and no two views can disagree).

A status that no dated event set (an operating gate whose opening date is not
published) carries no date, and the views say so; a target whose date has passed
with no later event is listed in :attr:`FeatureState.passed_targets`, to be shown
as "target date passed, outcome not published", never as an implied result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from geo.timeline import (
    Milestone,
    Observation,
    milestones,
    open_length_on,
    progress_on,
    status_on,
)


@dataclass(frozen=True)
class Dated:
    """A date as precise as its source gives it.

    Parameters
    ----------
    day : datetime.date
        The date (for a month, quarter or year: its last day, as stored).
    precision : {"day", "month", "quarter", "year"}
        How much of ``day`` the source gives.
    source : str
        Source id in ``layers/sources.json``.
    """

    day: date
    precision: str
    source: str


@dataclass(frozen=True)
class FeatureState:
    """What is known of one project on one date.

    Parameters
    ----------
    status : str or None
        The status on the date; ``None`` when the project had none yet (not drawn).
    status_dated : Dated or None
        The dated event that set the status; ``None`` for a status no event dates.
    progress : Observation or None
        The latest published progress figure on or before the date.
    open_length : Observation or None
        The latest published open length (roads) on or before the date.
    passed_targets : tuple of Milestone
        Targets dated on or before the date with no event on or after them.
    """

    status: str | None
    status_dated: Dated | None
    progress: Observation | None
    open_length: Observation | None
    passed_targets: tuple[Milestone, ...]

    @property
    def exists(self) -> bool:
        """Whether the project had a status on the date (and so is drawn)."""
        return self.status is not None

    def latest(self) -> Dated | None:
        """Return the newest source date behind this state (status or figures).

        Examples
        --------
        >>> obs = Observation(date(2026, 2, 28), 91.1, 85, "c", "month")
        >>> FeatureState("partly_open", None, obs, obs, ()).latest()
        Dated(day=datetime.date(2026, 2, 28), precision='month', source='c')
        """
        dated = [self.status_dated] if self.status_dated else []
        dated += [
            Dated(o.as_of, o.precision, o.source) for o in (self.progress, self.open_length) if o
        ]
        return max(dated, key=lambda d: d.day, default=None)


def state_on(props: Mapping[str, Any], day: date) -> FeatureState:
    """Return the state of one project on ``day``.

    Examples
    --------
    >>> props = {"status": "partly_open", "milestones": [
    ...     {"date": "2024-01-01", "kind": "groundbreaking",
    ...      "status": "under_construction", "source": "a"},
    ...     {"date": "2026-02-28", "date_precision": "month", "kind": "partial_opening",
    ...      "status": "partly_open", "source": "b"},
    ...     {"date": "2026-04-30", "kind": "target", "status": None, "source": "b"}]}
    >>> s = state_on(props, date(2026, 12, 1))
    >>> s.status, s.status_dated.day, s.status_dated.precision
    ('partly_open', datetime.date(2026, 2, 28), 'month')
    >>> [t.day.isoformat() for t in s.passed_targets]
    ['2026-04-30']
    >>> state_on(props, date(2023, 1, 1)).exists
    False

    A status that no event dates holds on every date, undated:

    >>> state_on({"status": "operational", "milestones": []}, date(2010, 1, 1))
    FeatureState(status='operational', status_dated=None, progress=None, open_length=None, passed_targets=())
    """  # noqa: E501
    events = [m for m in milestones(props) if not m.is_target and m.day <= day]
    status_events = [m for m in milestones(props) if m.status and not m.is_target]
    status: str | None
    dated: Dated | None = None
    if not status_events:
        status = props.get("status")
    else:
        setting = [m for m in status_events if m.day <= day]
        status = setting[-1].status if setting else status_on(props, day)
        if setting:
            dated = Dated(setting[-1].day, setting[-1].precision, setting[-1].source)
    passed = tuple(
        m
        for m in milestones(props)
        if m.is_target and m.day <= day and not any(e.day >= m.day for e in events)
    )
    return FeatureState(
        status=status,
        status_dated=dated,
        progress=progress_on(props, day),
        open_length=open_length_on(props, day),
        passed_targets=passed if status is not None else (),
    )


def states_on(features: Mapping[str, Mapping[str, Any]], day: date) -> dict[str, FeatureState]:
    """Return the state of every feature on ``day``, by feature id (in the given order).

    Examples
    --------
    >>> features = {"a": {"status": "planned"}, "b": {"status": "operational"}}
    >>> {fid: s.status for fid, s in states_on(features, date(2026, 1, 1)).items()}
    {'a': 'planned', 'b': 'operational'}
    """
    return {fid: state_on(props, day) for fid, props in features.items()}


def latest_source(states: Mapping[str, FeatureState]) -> Dated | None:
    """Return the newest source date behind any of ``states`` (``None`` if none is dated).

    The page says it, so a reader knows how recent the map's information is.

    Examples
    --------
    >>> latest_source({"a": state_on({"status": "planned"}, date(2026, 1, 1))}) is None
    True
    """
    dated = [d for s in states.values() if (d := s.latest())]
    return max(dated, key=lambda d: d.day, default=None)
