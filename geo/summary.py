"""Figures of the dashboard and the filters, computed from feature properties.

Pure functions over ``{id: properties}`` mappings: no Streamlit, no geometry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from geo.i18n import LANGUAGES
from geo.text import matches
from geo.timeline import observations, open_length_on, status_on

Features = Mapping[str, Mapping[str, Any]]


def as_number(value: Any) -> float | None:
    """Return a property as a float, or ``None`` when it is missing.

    Missing values arrive as ``None`` or, from a GeoDataFrame row, as NaN.

    Examples
    --------
    >>> as_number(143.7), as_number(None), as_number(float("nan"))
    (143.7, None, None)
    """
    if value is None or value != value:  # NaN != NaN
        return None
    return float(value)


def matching_ids(
    features: Features,
    *,
    as_of: date,
    statuses: Collection[str],
    search: str,
    layers: Collection[str] | None = None,
) -> list[str]:
    """Return the ids of features that pass the filters, in input order.

    Parameters
    ----------
    features : Mapping
        ``{id: properties}``; properties may hold ``layer`` (its layer id).
    as_of : date
        Statuses are those of this date; a project with no status yet never matches.
    statuses : collection of str
        Statuses to keep.
    search : str
        Text to find in any of the names (``name_vi``, ``name_en``, ``name_zh``),
        ignoring case and Vietnamese diacritics; blank keeps all.
    layers : collection of str, optional
        Keep only features of these layers.
    """
    result = []
    for fid, props in features.items():
        if layers is not None and props.get("layer") not in layers:
            continue
        status = status_on(props, as_of)
        if status is None or status not in statuses:
            continue
        if not matches(search, [props.get(f"name_{lang}") for lang in LANGUAGES] + [fid]):
            continue
        result.append(fid)
    return result


def not_yet_started(features: Features, as_of: date) -> list[str]:
    """Return the ids of projects that had no status yet on ``as_of``."""
    return [fid for fid, props in features.items() if status_on(props, as_of) is None]


def status_counts(features: Features, as_of: date) -> Counter[str]:
    """Count projects by their status on ``as_of`` (projects not yet started are left out)."""
    counts: Counter[str] = Counter()
    for props in features.values():
        status = status_on(props, as_of)
        if status is not None:
            counts[status] += 1
    return counts


@dataclass(frozen=True)
class Total:
    """A sum over the features that publish the figure, and how many do."""

    value: float
    known: int
    total: int


def investment_total(features: Features) -> Total:
    """Sum the published investment (bn VND) of all projects."""
    values = [as_number(p.get("investment_vnd_bn")) for p in features.values()]
    known = [v for v in values if v is not None]
    return Total(sum(known), len(known), len(values))


def area_total(features: Features, kinds: Iterable[str] | None = None) -> Total:
    """Sum the official ``area_ha`` of the features (optionally only of some ``kind``)."""
    kinds = set(kinds) if kinds is not None else None
    chosen = [p for p in features.values() if kinds is None or p.get("kind") in kinds]
    values = [as_number(p.get("area_ha")) for p in chosen]
    known = [v for v in values if v is not None]
    return Total(sum(known), len(known), len(values))


@dataclass(frozen=True)
class OpenLength:
    """Length open to traffic and length planned, in km."""

    open_km: float
    planned_km: float


def open_vs_planned(features: Features, as_of: date, kind: str = "expressway") -> OpenLength:
    """Sum open and official lengths of the roads of ``kind`` on ``as_of``.

    A road counts as open for its latest published open length on or before
    ``as_of``; an operational road without one counts as fully open.
    """
    open_km = planned_km = 0.0
    for props in features.values():
        if props.get("kind") != kind:
            continue
        length = as_number(props.get("length_km")) or 0.0
        planned_km += length
        obs = open_length_on(props, as_of)
        if obs is not None:
            open_km += float(obs.open_length_km)
        elif status_on(props, as_of) == "operational":
            open_km += length
    return OpenLength(open_km, planned_km)


def progress_series(features: Features, until: date) -> list[dict[str, Any]]:
    """Return every published observation up to ``until``, one row each, for charts.

    Rows: ``{"id", "date", "progress_pct", "open_length_km", "source"}``.
    """
    rows = []
    for fid, props in features.items():
        for obs in observations(props):
            if obs.as_of <= until:
                rows.append(
                    {
                        "id": fid,
                        "date": obs.as_of,
                        "progress_pct": obs.progress_pct,
                        "open_length_km": obs.open_length_km,
                        "source": obs.source,
                    }
                )
    return rows


def held_series(rows: Iterable[Mapping[str, Any]], field: str, until: date) -> list[dict[str, Any]]:
    """Return, per project, its published values of ``field`` and that value held to ``until``.

    Nothing is interpolated: between two figures the older one stands, and after the
    last one it stands until ``until`` (the "as of" date). That last, held point is
    marked ``published=False`` so that a chart can draw it differently; it is added
    only when the last figure is older than ``until``.

    Parameters
    ----------
    rows : iterable of mapping
        Rows of :func:`progress_series` (``id``, ``date``, the field, ``source``).
    field : str
        ``"progress_pct"`` or ``"open_length_km"``; rows without it are skipped.
    until : date
        The end of the chart.

    Returns
    -------
    list of dict
        ``{"id", "date", "value", "source", "published"}``, by project then date.

    Examples
    --------
    >>> rows = [{"id": "r", "date": date(2025, 1, 1), "progress_pct": 20, "source": "s"},
    ...         {"id": "r", "date": date(2025, 6, 1), "progress_pct": None, "source": "s"}]
    >>> [(r["date"].isoformat(), r["value"], r["published"])
    ...  for r in held_series(rows, "progress_pct", date(2026, 1, 1))]
    [('2025-01-01', 20.0, True), ('2026-01-01', 20.0, False)]
    >>> held_series(rows, "open_length_km", date(2026, 1, 1))
    []
    """
    by_id: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        if as_number(row.get(field)) is not None and row["date"] <= until:
            by_id.setdefault(row["id"], []).append(row)
    result: list[dict[str, Any]] = []
    for fid, found in by_id.items():
        found = sorted(found, key=lambda r: r["date"])
        for row in found:
            result.append(
                {
                    "id": fid,
                    "date": row["date"],
                    "value": as_number(row[field]),
                    "source": row.get("source"),
                    "published": True,
                }
            )
        last = found[-1]
        if last["date"] < until:
            result.append(
                {
                    "id": fid,
                    "date": until,
                    "value": as_number(last[field]),
                    "source": last.get("source"),
                    "published": False,
                }
            )
    return result
