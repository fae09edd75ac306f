"""A project's status, progress and open length on a given date.

Everything here is derived from the dated ``milestones`` and ``progress_history``
of a feature (see ``docs/data-model.md``). Nothing is interpolated: between two
observations the older one stands, shown with its own date, because a figure
that was never published must not appear on the map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from geo.i18n import LANGUAGES

#: Milestone kinds that *report* a status already under way, rather than begin it.
REPORT_KINDS: frozenset[str] = frozenset({"other"})
#: The status of a reported project before its first report ("status not published").
UNKNOWN_STATUS = "unknown"


@dataclass(frozen=True)
class Observation:
    """A published progress figure and the date it was true for.

    Parameters
    ----------
    as_of : datetime.date
        The date the figure is true for.
    progress_pct : float or None
        Share of work done, 0–100, where published.
    open_length_km : float or None
        Length open to traffic (roads), where published.
    source : str
        Source id in ``layers/sources.json``.
    precision : {"day", "month", "quarter", "year"}
        How much of ``as_of`` the source gives (``date_precision``; default day).
    """

    as_of: date
    progress_pct: float | None
    open_length_km: float | None
    source: str
    precision: str = "day"


@dataclass(frozen=True)
class Milestone:
    """A dated event or target of a project (see ``docs/data-model.md``)."""

    day: date
    precision: str
    kind: str
    labels: Mapping[str, str | None]
    status: str | None
    source: str

    @property
    def is_target(self) -> bool:
        """Whether this is a target (a plan), not an event that happened."""
        return self.kind == "target"


def _as_list(value: Any) -> list[Mapping[str, Any]]:
    # Rows of a GeoDataFrame hold NaN where a column is absent for that feature.
    return list(value) if isinstance(value, list | tuple) else []


def milestones(props: Mapping[str, Any]) -> list[Milestone]:
    """Return a feature's milestones, oldest first.

    Parameters
    ----------
    props : Mapping
        Feature properties; a missing or empty ``milestones`` gives ``[]``.

    Returns
    -------
    list of Milestone
    """
    result = [
        Milestone(
            day=date.fromisoformat(m["date"]),
            precision=m.get("date_precision") or "day",
            kind=m["kind"],
            labels={lang: m.get(f"label_{lang}") for lang in LANGUAGES},
            status=m.get("status"),
            source=m["source"],
        )
        for m in _as_list(props.get("milestones"))
    ]
    return sorted(result, key=lambda m: m.day)


def observations(props: Mapping[str, Any]) -> list[Observation]:
    """Return a feature's progress observations, oldest first."""
    result = [
        Observation(
            as_of=date.fromisoformat(o["date"]),
            progress_pct=o.get("progress_pct"),
            open_length_km=o.get("open_length_km"),
            source=o["source"],
            precision=o.get("date_precision") or "day",
        )
        for o in _as_list(props.get("progress_history"))
    ]
    return sorted(result, key=lambda o: o.as_of)


def status_on(props: Mapping[str, Any], day: date) -> str | None:
    """Return the status a project had on ``day``.

    The status is the one set by the latest status-bearing event milestone on or
    before ``day``. Before the first one, a project whose first dated status is a
    *beginning* (approval, groundbreaking, opening) did not exist yet (``None``);
    one whose first dated status is a *report* (kind ``other``: "in operation in
    Oct 2024") existed with a status no source gives (``"unknown"``). A feature
    without any such milestone has no dated history: its current ``status`` holds
    on every date.

    Parameters
    ----------
    props : Mapping
        Feature properties.
    day : datetime.date
        The "as of" date.

    Returns
    -------
    str or None
        A status, or ``None`` when the project had no status yet on ``day``.

    Examples
    --------
    A project approved in 2020 and started in 2024 was ``planned`` in 2022:

    >>> props = {"status": "under_construction", "milestones": [
    ...     {"date": "2020-08-10", "kind": "approval", "status": "planned", "source": "s"},
    ...     {"date": "2024-01-01", "kind": "groundbreaking",
    ...      "status": "under_construction", "source": "s"}]}
    >>> status_on(props, date(2022, 1, 1))
    'planned'
    >>> status_on(props, date(2019, 1, 1)) is None
    True

    A gate first *reported* operating in 2024 has an unpublished status before:

    >>> gate = {"status": "operational", "milestones": [
    ...     {"date": "2024-01-01", "kind": "other", "status": "operational", "source": "s"}]}
    >>> status_on(gate, date(2020, 1, 1)), status_on(gate, date(2024, 6, 1))
    ('unknown', 'operational')
    """
    events = [m for m in milestones(props) if m.status and not m.is_target]
    if not events:
        return props.get("status")
    current = UNKNOWN_STATUS if events[0].kind in REPORT_KINDS else None
    for event in events:
        if event.day <= day:
            current = event.status
    return current


def _latest(props: Mapping[str, Any], day: date, field: str) -> Observation | None:
    found = None
    for obs in observations(props):
        if obs.as_of <= day and getattr(obs, field) is not None:
            found = obs
    return found


def progress_on(props: Mapping[str, Any], day: date) -> Observation | None:
    """Return the latest observation with a ``progress_pct`` on or before ``day``.

    Returns
    -------
    Observation or None
        ``None`` when no progress figure had been published by ``day``.
    """
    return _latest(props, day, "progress_pct")


def open_length_on(props: Mapping[str, Any], day: date) -> Observation | None:
    """Return the latest observation with an ``open_length_km`` on or before ``day``.

    Before the first such observation nothing is known to be open, and a road
    that is not yet under way is drawn entirely as not open.
    """
    return _latest(props, day, "open_length_km")


def open_fraction_on(props: Mapping[str, Any], day: date) -> float:
    """Return the share (0–1) of a road drawn as open on ``day``.

    It is ``open_length_km / length_km`` of the latest observation; an operational
    road with no published open length counts as fully open, any other as closed.
    """
    status = status_on(props, day)
    obs = open_length_on(props, day)
    length = props.get("length_km")
    if obs is not None and length:
        return max(0.0, min(1.0, float(obs.open_length_km) / float(length)))
    return 1.0 if status == "operational" else 0.0


def dates_of(features: Iterable[Mapping[str, Any]]) -> list[date]:
    """Return every milestone and observation date of ``features``, sorted, unique."""
    days: set[date] = set()
    for props in features:
        days.update(m.day for m in milestones(props))
        days.update(o.as_of for o in observations(props))
    return sorted(days)


def clamp(day: date, bounds: Sequence[date]) -> date:
    """Clamp ``day`` into ``(first, last)`` of ``bounds``."""
    return min(max(day, bounds[0]), bounds[-1])
