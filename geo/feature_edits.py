"""A planner's edit of one feature, before any store is involved: what changes, and is it allowed.

An edit is a mapping of field → new value. The fields are the feature's properties (any but
``id``) and ``geometry`` (WKT or GeoJSON in WGS 84, or a shapely geometry). Two fields cannot
change alone without breaking the data model, so they have builders that return every field
that must change with them:

- progress (:func:`progress_changes`): ``progress_pct``, ``progress_as_of``,
  ``progress_source`` and a new ``progress_history`` entry (the top-level figure must equal
  the newest entry, docs/data-model.md);
- status (:func:`status_changes`): ``status`` and a new status-bearing milestone (the status
  must equal the latest status-bearing milestone's);
- milestones (:func:`milestone_changes`: add, change or remove one): the list, kept oldest
  first, and the ``status`` its latest status-bearing milestone sets.

The edited feature is then checked by the rules of the data files (:mod:`geo.field_checks`,
:mod:`geo.collection_checks`, :mod:`geo.checks`, run by :mod:`geo.store.edits`) plus one rule
only an edit can break (:func:`approval_problems`): a date the edit adds may not be earlier than
the project's approval. (The shipped data has dated reports older than a later approval of a
part of the works, so this is not a rule of the files.)

Examples
--------
>>> props = {"id": "road-x", "progress_pct": None, "progress_as_of": None,
...          "progress_source": None, "progress_history": []}
>>> changes = progress_changes(props, pct=40, as_of=date(2026, 3, 31), precision="month",
...                            source_id="board-2026-03")
>>> changes["progress_pct"], changes["progress_as_of"], changes["progress_history"][-1]["date"]
(40, '2026-03-31', '2026-03-31')
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Final

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

from geo.errors import GeoError
from geo.field_checks import derived_status
from geo.i18n import LANGUAGES, text_fields
from geo.problems import Problem, show
from geo.values import parse_date

__all__ = [
    "GEOMETRY_FIELD",
    "apply_changes",
    "approval_problems",
    "as_json",
    "geometry_json",
    "milestone_changes",
    "milestone_entry",
    "parse_geometry",
    "progress_changes",
    "status_changes",
]

#: The name an edit gives the feature's shape.
GEOMETRY_FIELD: Final = "geometry"


def parse_geometry(value: object, *, where: str) -> BaseGeometry:
    """Return the shapely geometry of an edited shape: WKT, GeoJSON (text or mapping), shapely.

    Coordinates are WGS 84 longitude, latitude. Only the syntax is checked here; kind,
    validity and bounds are checked with the layer's rules.

    Raises
    ------
    GeoError
        Naming ``where`` and saying what arrived, when the value is not a geometry.

    Examples
    --------
    >>> parse_geometry("POINT (106.76 21.97)", where="f").wkt
    'POINT (106.76 21.97)'
    >>> parse_geometry({"type": "Point", "coordinates": [106.7, 21.9]}, where="f").x
    106.7
    >>> parse_geometry("POINT (1", where="gates.geojson: feature 'g', field 'geometry'")
    Traceback (most recent call last):
    ...
    geo.errors.GeoError: gates.geojson: feature 'g', field 'geometry': expected WKT or GeoJSON \
in WGS 84 (lon, lat); found 'POINT (1'
    """
    if isinstance(value, BaseGeometry):
        return value
    try:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("{"):
                return shape(json.loads(text))
            return shapely.from_wkt(text)
        if isinstance(value, Mapping):
            return shape(value)
    except (ShapelyError, ValueError, TypeError, KeyError, IndexError, AttributeError):
        pass  # reported below with what arrived
    raise GeoError(f"{where}: expected WKT or GeoJSON in WGS 84 (lon, lat); found {show(value)}")


def as_json(value: Any) -> Any:
    """Return ``value`` as JSON would give it back (tuples become lists, dates are refused).

    Examples
    --------
    >>> as_json({"a": (1, 2)})
    {'a': [1, 2]}
    """
    return json.loads(json.dumps(value, ensure_ascii=False, allow_nan=False))


def geometry_json(geom: BaseGeometry) -> dict[str, Any]:
    """Return a geometry as a GeoJSON mapping of JSON values (for the audit log).

    Examples
    --------
    >>> geometry_json(shapely.Point(106.7, 21.9))
    {'type': 'Point', 'coordinates': [106.7, 21.9]}
    """
    return as_json(mapping(geom))


def apply_changes(properties: Mapping[str, Any], changes: Mapping[str, Any]) -> dict[str, Any]:
    """Return the properties after an edit (the geometry field is left out; key order kept).

    Raises
    ------
    GeoError
        When the edit would change the ``id``.

    Examples
    --------
    >>> apply_changes({"id": "a", "status": "planned"}, {"status": "preparing", "geometry": "x"})
    {'id': 'a', 'status': 'preparing'}
    """
    if "id" in changes and changes["id"] != properties.get("id"):
        raise GeoError(
            f"feature {properties.get('id')!r}, field 'id': expected the id to stay "
            f"(an edit never renames a feature); found {show(changes['id'])}"
        )
    new = dict(properties)
    for key, value in changes.items():
        if key != GEOMETRY_FIELD:
            new[key] = value
    return new


def _insert_dated(entries: Sequence[Mapping[str, Any]], entry: Mapping[str, Any]) -> list:
    """Insert ``entry`` after every entry dated on or before it (lists are oldest first)."""
    result = [dict(e) for e in entries]
    position = len(result)
    while position > 0 and str(result[position - 1].get("date", "")) > entry["date"]:
        position -= 1
    result.insert(position, dict(entry))
    return result


def _texts(base: str, texts: Mapping[str, str] | None) -> dict[str, str | None]:
    """Return ``base_vi``, ``base_en``, ``base_zh`` from a text per language (None if absent)."""
    keys = text_fields(base)
    return {key: (texts or {}).get(lang) for key, lang in zip(keys, LANGUAGES, strict=True)}


def progress_changes(
    properties: Mapping[str, Any],
    *,
    pct: float,
    as_of: date,
    precision: str,
    source_id: str,
    open_length_km: float | None = None,
    note: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return the changes that record a new progress figure (and keep its history).

    Parameters
    ----------
    properties : Mapping[str, Any]
        The feature's current properties.
    pct : float
        The figure, 0–100 (checked with the data files' rules).
    as_of : date
        The day it is true for (for a month, quarter or year: its last day).
    precision : {"day", "month", "quarter", "year"}
        How much of ``as_of`` the source gives.
    source_id : str
        The source id of ``sources.json`` that publishes the figure.
    open_length_km : float or None
        Roads: the length open to traffic on that day.
    note : Mapping[str, str] or None
        The basis of the figure, in vi, en and zh (all three or none).
    """
    entry: dict[str, Any] = {
        "date": as_of.isoformat(),
        "date_precision": precision,
        "progress_pct": pct,
        "open_length_km": open_length_km,
        "source": source_id,
        **_texts("note", note),
    }
    history = _insert_dated(properties.get("progress_history") or [], entry)
    changes: dict[str, Any] = {"progress_history": history}
    newest = [e for e in history if e.get("progress_pct") is not None][-1]
    changes.update(
        progress_pct=newest["progress_pct"],
        progress_as_of=newest["date"],
        progress_source=newest["source"],
    )
    if "open_length_km" in properties and newest is entry:
        changes["open_length_km"] = open_length_km
    return changes


def status_changes(
    properties: Mapping[str, Any],
    *,
    status: str,
    day: date,
    precision: str,
    source_id: str,
    labels: Mapping[str, str],
    kind: str = "other",
) -> dict[str, Any]:
    """Return the changes that record a new status: the status and its dated milestone.

    ``labels`` says what happened, in vi, en and zh. The milestone is put in date order; the
    status is checked with the data files' rules (it must be the latest milestone's).

    Examples
    --------
    >>> changes = status_changes({"status": "planned", "milestones": []},
    ...     status="under_construction", day=date(2026, 3, 2), precision="day",
    ...     source_id="visit", labels={"vi": "Khởi công", "en": "Works began", "zh": "开工"})
    >>> changes["status"], changes["milestones"][0]["label_en"]
    ('under_construction', 'Works began')
    """
    milestone = {
        "date": day.isoformat(),
        "date_precision": precision,
        "kind": kind,
        **{f"label_{lang}": labels.get(lang) for lang in LANGUAGES},
        "status": status,
        "source": source_id,
    }
    return {
        "status": status,
        "milestones": _insert_dated(properties.get("milestones") or [], milestone),
    }


def milestone_entry(
    *,
    day: date,
    precision: str,
    kind: str,
    labels: Mapping[str, str],
    status: str | None,
    source_id: str,
) -> dict[str, Any]:
    """Return a ``milestones`` entry in the data files' form (checked when the edit is saved).

    ``labels`` says what happened, in vi, en and zh (a blank label is stored as given, and the
    save is refused naming the field).

    Examples
    --------
    >>> milestone_entry(day=date(2026, 3, 31), precision="month", kind="other",
    ...     labels={"vi": "Báo cáo", "en": "Report", "zh": "报告"}, status=None,
    ...     source_id="s")["date"]
    '2026-03-31'
    """
    return {
        "date": day.isoformat(),
        "date_precision": precision,
        "kind": kind,
        **{f"label_{lang}": (labels.get(lang) or "").strip() for lang in LANGUAGES},
        "status": status,
        "source": source_id,
    }


def milestone_changes(
    properties: Mapping[str, Any],
    *,
    add: Mapping[str, Any] | None = None,
    index: int | None = None,
    remove: bool = False,
) -> dict[str, Any]:
    """Return the changes that add, change or remove one milestone, and the status that follows.

    With ``add`` alone a milestone is added; with ``index`` and ``add`` milestone ``index`` is
    replaced by ``add``; with ``index`` and ``remove`` it is removed. The list stays oldest
    first (an added or changed entry goes after every entry dated on or before it), and the
    ``status`` becomes the one the latest status-bearing milestone sets, as the data model
    asks (with none left, the status stays as it was: it then holds on every date). Every
    other rule (dates, precision, kind and status vocabulary, labels, source, no date before
    the approval) is checked when the edit is saved, as for the data files.

    Raises
    ------
    GeoError
        When ``index`` names no milestone, or the arguments ask for nothing or for two things.

    Examples
    --------
    >>> old = {"id": "r", "status": "planned", "milestones": [
    ...     {"date": "2024-04-14", "kind": "approval", "status": "planned"}]}
    >>> works = {"date": "2025-01-10", "kind": "groundbreaking", "status": "under_construction"}
    >>> changes = milestone_changes(old, add=works)
    >>> changes["status"], [m["date"] for m in changes["milestones"]]
    ('under_construction', ['2024-04-14', '2025-01-10'])
    >>> milestone_changes({**old, **changes}, index=1, remove=True)["status"]
    'planned'
    >>> milestone_changes(old, index=3, remove=True)
    Traceback (most recent call last):
    ...
    geo.errors.GeoError: feature 'r', field 'milestones[3]': expected one of the feature's \
1 milestone(s); found none
    """
    entries = [dict(m) for m in properties.get("milestones") or []]
    fid = properties.get("id")
    asked = (add is not None and not remove) or (add is None and remove and index is not None)
    if not asked:
        raise GeoError(
            f"feature {fid!r}, field 'milestones': expected one milestone to add, change or remove"
        )
    if index is not None:
        if not 0 <= index < len(entries):
            raise GeoError(
                f"feature {fid!r}, field 'milestones[{index}]': expected one of the feature's "
                f"{len(entries)} milestone(s); found none"
            )
        del entries[index]
    if add is not None:
        entries = _insert_dated(entries, add)
    changes: dict[str, Any] = {"milestones": entries}
    status = derived_status(entries)
    if status is not None:
        changes["status"] = status
    return changes


def _approval(props: Mapping[str, Any]) -> tuple[int, date] | None:
    found = []
    for i, milestone in enumerate(props.get("milestones") or []):
        if isinstance(milestone, Mapping) and milestone.get("kind") == "approval":
            day = parse_date(milestone.get("date"))
            if day is not None:
                found.append((day, i))
    if not found:
        return None
    day, i = min(found)
    return i, day


def _added(old: object, new: object) -> list[tuple[int, Mapping[str, Any]]]:
    """Return the entries of list ``new`` (with their positions) that ``old`` does not have."""
    before = old if isinstance(old, list) else []
    after = new if isinstance(new, list) else []
    return [(i, e) for i, e in enumerate(after) if isinstance(e, Mapping) and e not in before]


def approval_problems(
    old: Mapping[str, Any], new: Mapping[str, Any], *, file: str
) -> list[Problem]:
    """Return a problem for every date the edit adds that is earlier than the approval.

    The dates an edit can add: ``progress_as_of``, new ``progress_history`` entries and new
    milestones (an approval milestone itself excepted). Without an approval milestone there
    is nothing to compare with.

    Examples
    --------
    >>> approved = {"id": "r", "milestones": [{"date": "2024-08-17", "kind": "approval"}],
    ...             "progress_as_of": None, "progress_history": []}
    >>> edited = {**approved, "progress_as_of": "2024-01-31"}
    >>> print(approval_problems(approved, edited, file="roads.geojson")[0])
    roads.geojson: feature 'r', field 'progress_as_of': expected a date on or after \
2024-08-17 (the project's approval, milestones[0]); found '2024-01-31'
    """
    approval = _approval(new)
    if approval is None:
        return []
    index, approved_on = approval
    expected = f"a date on or after {approved_on.isoformat()} (the project's approval, " + (
        f"milestones[{index}])"
    )
    fid = str(new.get("id"))
    dated: list[tuple[str, object]] = []
    if new.get("progress_as_of") != old.get("progress_as_of"):
        dated.append(("progress_as_of", new.get("progress_as_of")))
    for i, entry in _added(old.get("progress_history"), new.get("progress_history")):
        dated.append((f"progress_history[{i}].date", entry.get("date")))
    for i, entry in _added(old.get("milestones"), new.get("milestones")):
        if entry.get("kind") != "approval":
            dated.append((f"milestones[{i}].date", entry.get("date")))
    problems = []
    for field_name, value in dated:
        day = parse_date(value)
        if day is not None and day < approved_on:
            problems.append(Problem(file, fid, field_name, expected, show(value)))
    return problems
