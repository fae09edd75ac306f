"""The data model of ``layers/`` (docs/data-model.md) as one vocabulary and its validators.

Validators never stop at the first breach: they return every :class:`Problem` found, each
saying where (file, feature id, field), what was expected and what arrived.

Examples
--------
>>> problems = validate_properties(
...     {"id": "zone-x", "status": "finished"},
...     schema="context",
...     file="zones.geojson",
...     feature_index=0,
...     source_ids=set(),
... )
>>> print(problems[0])
zones.geojson: feature 'zone-x', field 'name_vi': expected a non-empty string; found nothing \
(the field is missing)
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import math
import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo import crs as crs_mod
from geo.errors import CRSError
from geo.i18n import LANGUAGES, text_fields

__all__ = [
    "ACCURACY_LEVELS",
    "COMMON_FIELDS",
    "DATE_PRECISIONS",
    "FEATURE_ID_PATTERN",
    "FEATURE_KINDS",
    "GEOMETRY_KINDS",
    "GROUPS",
    "HISTORY_FIELDS",
    "MILESTONE_FIELDS",
    "MILESTONE_KINDS",
    "MISSING",
    "PROJECT_FIELDS",
    "SCHEMAS",
    "STATUSES",
    "UNMAPPED_FIELDS",
    "CheckedCollection",
    "Problem",
    "check_feature_collection",
    "derived_status",
    "is_number",
    "parse_date",
    "show",
    "unknown_field_expected",
    "validate_feature_collection",
    "validate_properties",
    "validate_unmapped_item",
]

STATUSES: Final = (
    "planned",
    "preparing",
    "under_construction",
    "partly_open",
    "operational",
    "unknown",
)
ACCURACY_LEVELS: Final = ("surveyed", "digitised", "schematic", "illustrative")
MILESTONE_KINDS: Final = (
    "approval",
    "groundbreaking",
    "partial_opening",
    "opening",
    "target",
    "other",
)
DATE_PRECISIONS: Final = ("day", "month", "quarter", "year")
#: What a project feature (or an unmapped item) is. A fixed vocabulary: the UI branches on it
#: (the dashboard sums zone areas by kind, the panel skips distances within a kind).
FEATURE_KINDS: Final = (
    "cargo_transit_zone",
    "export_processing_zone",
    "non_tariff_zone",
    "trade_industry_zone",
    "cross_border_cooperation_zone",
    "international_gate",
    "national_gate",
    "secondary_gate",
    "dedicated_cargo_road",
    "expressway",
    "national_road_upgrade",
)
GROUPS: Final = ("zones", "gates", "roads", "context")
GEOMETRY_KINDS: Final[Mapping[str, tuple[str, ...]]] = {
    "polygon": ("Polygon", "MultiPolygon"),
    "line": ("LineString", "MultiLineString"),
    "point": ("Point",),
}
SCHEMAS: Final = ("project", "context")

FEATURE_ID_PATTERN: Final = re.compile(r"[a-z0-9][a-z0-9-]*")
COMMON_FIELDS: Final = (
    "id",
    "name_vi",
    "name_en",
    "name_zh",
    "geometry_accuracy",
    *text_fields("accuracy_note"),
    "sources",
)
PROJECT_FIELDS: Final = (
    "kind",
    "status",
    "progress_pct",
    "progress_as_of",
    "progress_source",
    *text_fields("progress_note"),
    "progress_history",
    "milestones",
    "area_ha",
    "area_source",
    "length_km",
    "length_source",
    "open_length_km",
    "investment_vnd_bn",
    "investment_source",
    "investor",
    "investor_source",
    *text_fields("note"),
)
HISTORY_FIELDS: Final = (
    "date",
    "date_precision",
    "progress_pct",
    "open_length_km",
    "source",
    *text_fields("note"),
)
#: Fields of an item of ``unmapped.json``: a thing the sources name whose position is not
#: known, so it is listed and never drawn (no geometry is invented for it).
UNMAPPED_FIELDS: Final = (
    "id",
    "kind",
    "name_vi",
    "name_en",
    "name_zh",
    "status",
    "milestones",
    *text_fields("location_note"),
    "related_features",
    "sources",
    *text_fields("note"),
)
MILESTONE_FIELDS: Final = (
    "date",
    "date_precision",
    "kind",
    "label_vi",
    "label_en",
    "label_zh",
    "status",
    "source",
)

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SHOW_MAX_CHARS = 80


@dataclass(frozen=True)
class Problem:
    """One breach of the data model: where it is, what was expected, what was found.

    Parameters
    ----------
    file : str
        File name, e.g. ``"zones.geojson"``.
    feature_id : str or None
        The feature's ``id`` (or a registry layer id, a source id: see ``item``); None when
        the problem is about the whole file or the feature has no usable id.
    field : str
        The field, with a path for nested values (``"milestones[2].status"``); empty for a
        problem about the file as a whole.
    expected : str
        What the data model asks for.
    found : str
        What arrived, shown as in the file (strings quoted).
    feature_index : int or None
        Position of the feature in the file, shown when ``feature_id`` is None.
    item : str
        What ``feature_id`` names: ``"feature"``, ``"layer"`` (registry), ``"source"``,
        ``"indicator"``, ``"item"`` (``unmapped.json``) or ``"distance target"``.

    Examples
    --------
    >>> print(Problem("zones.geojson", None, "id", "a string", "null", feature_index=3))
    zones.geojson: feature #3, field 'id': expected a string; found null
    """

    file: str
    feature_id: str | None
    field: str
    expected: str
    found: str
    feature_index: int | None = None
    item: str = "feature"

    def __str__(self) -> str:
        """Return the problem as one line: ``file: feature 'x', field 'f': expected …; found …``."""
        where = []
        if self.feature_id is not None:
            where.append(f"{self.item} {self.feature_id!r}")
        elif self.feature_index is not None:
            where.append(f"{self.item} #{self.feature_index}")
        if self.field:
            where.append(f"field {self.field!r}")
        place = f"{self.file}: {', '.join(where)}: " if where else f"{self.file}: "
        return f"{place}expected {self.expected}; found {self.found}"


class _Missing:
    """The value of a field that is absent (distinct from JSON null)."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = _Missing()
"""Stands for an absent field in :func:`show`."""


def show(value: object) -> str:
    """Show a JSON value as it would appear in the file, shortened, for a message.

    Examples
    --------
    >>> show("finished"), show(None), show(True), show(float("nan")), show(MISSING)
    ("'finished'", 'null', 'true', 'NaN', 'nothing (the field is missing)')
    """
    if value is MISSING:
        return "nothing (the field is missing)"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and math.isnan(value):
        return "NaN"
    text = repr(value) if isinstance(value, str | int | float) else _dumps(value)
    if len(text) > _SHOW_MAX_CHARS:
        text = text[: _SHOW_MAX_CHARS - 1] + "…"
    return text


def _dumps(value: object) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


def unknown_field_expected(key: str, allowed: Sequence[str], what: str) -> str:
    """Return the ``expected`` text for a field that should not be there, with a hint.

    Examples
    --------
    >>> unknown_field_expected("progres_pct", ["progress_pct", "status"], "the project schema")
    "no such field in the project schema (did you mean 'progress_pct'?)"
    """
    near = difflib.get_close_matches(key, allowed, n=1)
    hint = f" (did you mean {near[0]!r}?)" if near else ""
    return f"no such field in {what}{hint}"


def is_number(value: object) -> bool:
    """Tell whether a value is a finite int or float; bool is refused (JSON true is not 1).

    Examples
    --------
    >>> is_number(12.5), is_number(True), is_number(float("nan")), is_number(None)
    (True, False, False, False)
    """
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def parse_date(value: object) -> dt.date | None:
    """Return the date of a strict ISO ``YYYY-MM-DD`` string, or None for anything else.

    Examples
    --------
    >>> parse_date("2024-12-11"), parse_date("2024-12"), parse_date("2024-02-30")
    (datetime.date(2024, 12, 11), None, None)
    """
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _is_period_end(day: dt.date, precision: str) -> bool:
    """Tell whether ``day`` is the last day of its month, quarter or year."""
    if precision == "day":
        return True
    if (day + dt.timedelta(days=1)).day != 1:
        return False
    if precision == "quarter":
        return day.month in (3, 6, 9, 12)
    if precision == "year":
        return day.month == 12
    return True


class _Bad:
    def __repr__(self) -> str:
        return "BAD"


_BAD: Final = _Bad()
"""Returned by a field check that reported a problem: later cross-field checks skip it."""


@dataclass
class _Checker:
    """Collects problems for one feature; each method checks one field and returns its value.

    A method returns ``_BAD`` when the value breaks the rule (the problem is already recorded),
    so cross-field rules can skip values that are already reported.
    """

    file: str
    feature_id: str | None
    feature_index: int | None
    source_ids: Collection[str]
    item: str = "feature"
    problems: list[Problem] = field(default_factory=list)

    def add(self, name: str, expected: str, found: object) -> None:
        self.problems.append(
            Problem(
                self.file,
                self.feature_id,
                name,
                expected,
                show(found),
                self.feature_index,
                item=self.item,
            )
        )

    def string(
        self, obj: Mapping[str, Any], key: str, prefix: str = "", *, nullable: bool = False
    ) -> Any:
        value = obj.get(key, MISSING)
        if (value is None and nullable) or (isinstance(value, str) and value.strip()):
            return value
        expected = "a non-empty string" + (" or null" if nullable else "")
        self.add(prefix + key, expected, value)
        return _BAD

    def texts(
        self,
        obj: Mapping[str, Any],
        base: str,
        prefix: str = "",
        *,
        nullable: bool = False,
        required: str = "",
    ) -> Any:
        """Check a data text stored once per language (``base_vi``, ``base_en``, ``base_zh``).

        Each must be a non-empty string; with ``nullable`` all three may be null together
        (a text that does not exist), never one alone (a missing translation). ``required``
        replaces ``nullable`` for one call: the reason the text is required here. Returns
        the English text, None, or ``_BAD``.
        """
        keys = text_fields(base)
        values = [obj.get(key, MISSING) for key in keys]
        if nullable and not required and all(v is None for v in values):
            return None
        bad = False
        for key, value in zip(keys, values, strict=True):
            if isinstance(value, str) and value.strip():
                continue
            others = " and ".join(k for k in keys if k != key)
            if required:
                expected = f"a non-empty string ({required})"
            elif nullable:
                expected = f"a non-empty string (a translation of {others}), or null in all three"
            else:
                expected = "a non-empty string"
            self.add(prefix + key, expected, value)
            bad = True
        return _BAD if bad else values[LANGUAGES.index("en")]

    def choice(
        self,
        obj: Mapping[str, Any],
        key: str,
        options: Sequence[str],
        prefix: str = "",
        *,
        nullable: bool = False,
    ) -> Any:
        value = obj.get(key, MISSING)
        if (value is None and nullable) or (isinstance(value, str) and value in options):
            return value
        expected = f"one of {', '.join(options)}" + (" or null" if nullable else "")
        self.add(prefix + key, expected, value)
        return _BAD

    def number(
        self,
        obj: Mapping[str, Any],
        key: str,
        prefix: str = "",
        *,
        low: float = 0.0,
        high: float = math.inf,
        positive: bool = False,
    ) -> Any:
        """Check a number-or-null field within [low, high] (or > 0 when ``positive``)."""
        value = obj.get(key, MISSING)
        ok_range = is_number(value) and (value > low if positive else value >= low)
        if value is None or (ok_range and value <= high):
            return value
        if positive:
            bound = f"greater than {low:g}"
        elif math.isinf(high):
            bound = f"{low:g} or more"
        else:
            bound = f"from {low:g} to {high:g}"
        self.add(prefix + key, f"a number {bound}, or null", value)
        return _BAD

    def date(
        self, obj: Mapping[str, Any], key: str, prefix: str = "", *, nullable: bool = False
    ) -> Any:
        value = obj.get(key, MISSING)
        if value is None and nullable:
            return None
        day = parse_date(value)
        if day is None:
            expected = "an ISO date YYYY-MM-DD" + (" or null" if nullable else "")
            self.add(prefix + key, expected, value)
            return _BAD
        return day

    def source(
        self, obj: Mapping[str, Any], key: str, prefix: str = "", *, nullable: bool = False
    ) -> Any:
        value = obj.get(key, MISSING)
        if value is None and nullable:
            return None
        if isinstance(value, str) and value in self.source_ids:
            return value
        expected = "a source id listed in sources.json" + (" or null" if nullable else "")
        self.add(prefix + key, expected, value)
        return _BAD

    def list_of_objects(self, obj: Mapping[str, Any], key: str) -> list[Any]:
        value = obj.get(key, MISSING)
        if isinstance(value, list):
            for i, item in enumerate(value):
                if not isinstance(item, dict):
                    self.add(f"{key}[{i}]", "an object", item)
            return [item if isinstance(item, dict) else _BAD for item in value]
        self.add(key, "a list (may be empty)", value)
        return []

    def no_unknown_fields(
        self, obj: Mapping[str, Any], allowed: Sequence[str], prefix: str, what: str
    ) -> None:
        for key in obj:
            if key not in allowed:
                self.add(prefix + key, unknown_field_expected(key, allowed, what), obj[key])

    def requires_source_when_set(
        self, value: Any, source: Any, value_key: str, source_key: str
    ) -> None:
        if value is not None and value is not _BAD and source is None:
            self.add(source_key, f"a source id (required when {value_key} is set)", None)


def _feature_id(props: object) -> str | None:
    if isinstance(props, Mapping):
        value = props.get("id")
        if isinstance(value, str) and value:
            return value
    return None


def validate_properties(
    props: object,
    *,
    schema: str,
    file: str,
    feature_index: int | None,
    source_ids: Collection[str],
) -> list[Problem]:
    """Return every problem in one feature's properties.

    Parameters
    ----------
    props : object
        The feature's ``properties`` member (anything; a non-object is itself a problem).
    schema : {"project", "context"}
        ``project`` checks the full project schema and refuses unknown fields (typos such as
        ``progres_pct``); ``context`` checks the common fields and allows extra ones.
    file : str
        File name for the messages.
    feature_index : int or None
        Position of the feature in its file, shown when it has no id.
    source_ids : Collection[str]
        The ids of ``sources.json``.

    Returns
    -------
    list[Problem]
        Empty when the properties are valid.

    Raises
    ------
    ValueError
        When ``schema`` is not one of :data:`SCHEMAS` (a caller's bug, not a data problem).

    Examples
    --------
    >>> validate_properties(
    ...     {"id": "pt-1", "name_vi": "A", "name_en": "A", "name_zh": None,
    ...      "geometry_accuracy": "digitised", "accuracy_note_vi": "từ OSM",
    ...      "accuracy_note_en": "from OSM", "accuracy_note_zh": "来自OSM", "sources": ["osm"]},
    ...     schema="context", file="f.geojson", feature_index=0, source_ids={"osm"},
    ... )
    []
    >>> [p.field for p in validate_properties(
    ...     None, schema="context", file="f.geojson", feature_index=0, source_ids=())]
    ['properties']
    """
    if schema not in SCHEMAS:
        raise ValueError(f"schema must be one of {', '.join(SCHEMAS)}; got {schema!r}")
    c = _Checker(file, _feature_id(props), feature_index, source_ids)
    if not isinstance(props, dict):
        c.add("properties", "an object", props)
        return c.problems
    _check_common(c, props)
    if schema == "project":
        _check_project(c, props)
        c.no_unknown_fields(props, COMMON_FIELDS + PROJECT_FIELDS, "", "the project schema")
    return c.problems


def _check_common(c: _Checker, props: Mapping[str, Any]) -> None:
    fid = props.get("id", MISSING)
    if not isinstance(fid, str) or not FEATURE_ID_PATTERN.fullmatch(fid):
        c.add("id", "a string of a-z, 0-9 and '-', starting with a letter or digit", fid)
    c.string(props, "name_vi")
    c.string(props, "name_en")
    c.string(props, "name_zh", nullable=True)
    c.choice(props, "geometry_accuracy", ACCURACY_LEVELS)
    c.texts(props, "accuracy_note")
    sources = props.get("sources", MISSING)
    if not isinstance(sources, list) or not sources:
        c.add("sources", "a non-empty list of source ids", sources)
    else:
        for i, sid in enumerate(sources):
            if not isinstance(sid, str) or sid not in c.source_ids:
                c.add(f"sources[{i}]", "a source id listed in sources.json", sid)


def _check_project(c: _Checker, props: Mapping[str, Any]) -> None:
    c.choice(props, "kind", FEATURE_KINDS)
    status = c.choice(props, "status", STATUSES)

    pct = c.number(props, "progress_pct", high=100.0)
    as_of = c.date(props, "progress_as_of", nullable=True)
    progress_source = c.source(props, "progress_source", nullable=True)
    if pct is None:
        c.texts(props, "progress_note", required="saying why progress_pct is null")
    else:
        c.texts(props, "progress_note", nullable=True)
        if pct is not _BAD:
            if as_of is None:
                c.add("progress_as_of", "a date (required when progress_pct is set)", None)
            c.requires_source_when_set(pct, progress_source, "progress_pct", "progress_source")

    area = c.number(props, "area_ha", positive=True)
    area_source = c.source(props, "area_source", nullable=True)
    c.requires_source_when_set(area, area_source, "area_ha", "area_source")
    length = c.number(props, "length_km", positive=True)
    length_source = c.source(props, "length_source", nullable=True)
    c.requires_source_when_set(length, length_source, "length_km", "length_source")
    open_length = c.number(props, "open_length_km")
    if is_number(open_length) and is_number(length) and open_length > length:
        c.add("open_length_km", f"at most length_km ({length:g})", open_length)
    investment = c.number(props, "investment_vnd_bn")
    investment_source = c.source(props, "investment_source", nullable=True)
    c.requires_source_when_set(
        investment, investment_source, "investment_vnd_bn", "investment_source"
    )
    investor = c.string(props, "investor", nullable=True)
    investor_source = c.source(props, "investor_source", nullable=True)
    c.requires_source_when_set(investor, investor_source, "investor", "investor_source")
    c.texts(props, "note", nullable=True)

    _check_history(c, props, pct, as_of, progress_source, length)
    _check_milestones(c, props, status)


def _check_history(
    c: _Checker,
    props: Mapping[str, Any],
    pct: Any,
    as_of: Any,
    progress_source: Any,
    length: Any,
) -> None:
    entries = c.list_of_objects(props, "progress_history")
    newest: tuple[int, dt.date, float, str] | None = None
    previous: dt.date | None = None
    for i, entry in enumerate(entries):
        if entry is _BAD:
            continue
        prefix = f"progress_history[{i}]."
        day = c.date(entry, "date", prefix)
        precision = c.choice(entry, "date_precision", DATE_PRECISIONS, prefix)
        if isinstance(day, dt.date) and isinstance(precision, str):
            _check_period_end(c, entry, day, precision, prefix)
        entry_pct = c.number(entry, "progress_pct", prefix, high=100.0)
        entry_open = c.number(entry, "open_length_km", prefix)
        source = c.source(entry, "source", prefix)
        c.texts(entry, "note", prefix, nullable=True)
        c.no_unknown_fields(entry, HISTORY_FIELDS, prefix, "a progress_history entry")
        if is_number(entry_open) and is_number(length) and entry_open > length:
            c.add(prefix + "open_length_km", f"at most length_km ({length:g})", entry_open)
        if isinstance(day, dt.date):
            if previous is not None and day < previous:
                c.add(
                    prefix + "date",
                    f"a date on or after {previous.isoformat()} (entries are oldest first)",
                    entry["date"],
                )
            previous = day
            if is_number(entry_pct) and source is not _BAD:
                newest = (i, day, entry_pct, source)
    if pct is _BAD or as_of is _BAD or progress_source is _BAD:
        return
    if newest is None:
        if pct is not None:
            c.add(
                "progress_history",
                f"an entry dated {show(_iso(as_of))} with progress_pct {pct:g} (every dated "
                "progress figure is kept in the history)",
                "no entry with a progress_pct",
            )
        return
    i, day, entry_pct, source = newest
    basis = f"progress_history[{i}]: the newest entry with a progress_pct"
    if pct != entry_pct:
        c.add("progress_pct", f"{entry_pct:g}, as in {basis}", pct)
    if as_of != day:
        c.add("progress_as_of", f"{day.isoformat()!r}, as in {basis}", _iso(as_of))
    if progress_source != source:
        c.add("progress_source", f"{source!r}, as in {basis}", progress_source)


def _iso(value: object) -> object:
    return value.isoformat() if isinstance(value, dt.date) else value


def _check_milestones(c: _Checker, props: Mapping[str, Any], status: Any) -> None:
    entries = c.list_of_objects(props, "milestones")
    previous: dt.date | None = None
    for i, entry in enumerate(entries):
        if entry is _BAD:
            continue
        prefix = f"milestones[{i}]."
        day = c.date(entry, "date", prefix)
        precision = c.choice(entry, "date_precision", DATE_PRECISIONS, prefix)
        kind = c.choice(entry, "kind", MILESTONE_KINDS, prefix)
        c.string(entry, "label_vi", prefix)
        c.string(entry, "label_en", prefix)
        c.string(entry, "label_zh", prefix)
        event_status = c.choice(entry, "status", STATUSES, prefix, nullable=True)
        c.source(entry, "source", prefix)
        c.no_unknown_fields(entry, MILESTONE_FIELDS, prefix, "a milestone")
        if kind == "target" and event_status not in (None, _BAD):
            c.add(prefix + "status", "null (a target is not a fact)", event_status)
        if not isinstance(day, dt.date):
            continue
        if isinstance(precision, str):
            _check_period_end(c, entry, day, precision, prefix)
        if previous is not None and day < previous:
            c.add(
                prefix + "date",
                f"a date on or after {previous.isoformat()} (milestones are oldest first)",
                entry["date"],
            )
        previous = day
    latest = _latest_event([e for e in entries if e is not _BAD])
    if latest is not None and status is not _BAD and status != latest[2]:
        i, day, latest_status = latest
        c.add(
            "status",
            f"{latest_status!r}, the status of the latest milestone with a status "
            f"(milestones[{i}], {day.isoformat()})",
            status,
        )


def _check_period_end(
    c: _Checker, entry: Mapping[str, Any], day: dt.date, precision: str, prefix: str
) -> None:
    if not _is_period_end(day, precision):
        c.add(
            prefix + "date",
            f"the last day of the {precision} (dates of {precision} precision mark "
            "the end of the period)",
            entry["date"],
        )


def validate_unmapped_item(
    item: object, *, file: str, index: int, source_ids: Collection[str]
) -> list[Problem]:
    """Return every problem of one item of ``unmapped.json`` (a thing named but not located).

    The item has no geometry: :data:`UNMAPPED_FIELDS` only, each required (null where
    allowed). ``kind`` is one of :data:`FEATURE_KINDS`; ``status`` follows the same rule as a
    feature's (the status of the latest status-bearing milestone); ``related_features`` are
    feature ids, checked against the layers by :mod:`geo.checks`.

    Examples
    --------
    >>> item = {"id": "gate-x", "kind": "secondary_gate", "name_vi": "X", "name_en": "X",
    ...         "name_zh": None, "status": "unknown", "milestones": [],
    ...         "location_note_vi": "chưa định vị", "location_note_en": "not located",
    ...         "location_note_zh": "未定位", "related_features": [], "sources": ["s"],
    ...         "note_vi": None, "note_en": None, "note_zh": None}
    >>> validate_unmapped_item(item, file="unmapped.json", index=0, source_ids={"s"})
    []
    >>> problem = validate_unmapped_item(
    ...     {**item, "kind": "gate"}, file="unmapped.json", index=0, source_ids={"s"})[0]
    >>> problem.field, problem.found
    ('kind', "'gate'")
    """
    c = _Checker(file, _feature_id(item), index, source_ids, item="item")
    if not isinstance(item, dict):
        c.add("", "an object", item)
        return c.problems
    fid = item.get("id", MISSING)
    if not isinstance(fid, str) or not FEATURE_ID_PATTERN.fullmatch(fid):
        c.add("id", "a string of a-z, 0-9 and '-', starting with a letter or digit", fid)
    c.choice(item, "kind", FEATURE_KINDS)
    c.string(item, "name_vi")
    c.string(item, "name_en")
    c.string(item, "name_zh", nullable=True)
    status = c.choice(item, "status", STATUSES)
    c.texts(item, "location_note")
    related = item.get("related_features", MISSING)
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        c.add("related_features", "a list of feature ids (may be empty)", related)
    sources = item.get("sources", MISSING)
    if not isinstance(sources, list) or not sources:
        c.add("sources", "a non-empty list of source ids", sources)
    else:
        for i, sid in enumerate(sources):
            if not isinstance(sid, str) or sid not in c.source_ids:
                c.add(f"sources[{i}]", "a source id listed in sources.json", sid)
    c.texts(item, "note", nullable=True)
    _check_milestones(c, item, status)
    c.no_unknown_fields(item, UNMAPPED_FIELDS, "", "an unmapped item")
    return c.problems


def _latest_event(milestones: Sequence[Mapping[str, Any]]) -> tuple[int, dt.date, str] | None:
    """Return (index, date, status) of the latest status-bearing milestone, or None.

    Targets never count (a target is not a fact), nor do malformed entries. Equal dates are
    resolved by list order: the later entry wins.
    """
    best: tuple[int, dt.date, str] | None = None
    for i, entry in enumerate(milestones):
        day = parse_date(entry.get("date"))
        status = entry.get("status")
        if entry.get("kind") == "target" or day is None or status not in STATUSES:
            continue
        if best is None or day >= best[1]:
            best = (i, day, status)
    return best


def derived_status(milestones: Sequence[Mapping[str, Any]]) -> str | None:
    """Return the status set by the latest status-bearing milestone, or None if there is none.

    This is the value a project feature's ``status`` must equal (see data-model.md). Equal
    dates are resolved by list order (the later entry wins). Targets and malformed entries
    are skipped: :func:`validate_properties` reports the latter.

    Examples
    --------
    >>> derived_status([
    ...     {"date": "2024-04-21", "kind": "groundbreaking", "status": "under_construction"},
    ...     {"date": "2026-12-31", "kind": "target", "status": None},
    ... ])
    'under_construction'
    >>> derived_status([]) is None
    True
    """
    latest = _latest_event(milestones)
    return None if latest is None else latest[2]


@dataclass(frozen=True)
class CheckedCollection:
    """A FeatureCollection after validation, with what loading needs from it.

    Attributes
    ----------
    crs : str or None
        The declared CRS (``"EPSG:<code>"``), None when missing or not understood.
    geometries : tuple
        One shapely geometry per feature (None where it could not be built).
    properties : tuple
        One properties dict per feature (an empty dict where it was not an object).
    problems : tuple[Problem, ...]
        Every problem found; the collection is valid when this is empty.
    """

    crs: str | None
    geometries: tuple[BaseGeometry | None, ...]
    properties: tuple[dict[str, Any], ...]
    problems: tuple[Problem, ...]


def validate_feature_collection(
    doc: object,
    *,
    file: str,
    geometry_kind: str,
    schema: str,
    source_ids: Collection[str],
) -> list[Problem]:
    """Return every problem of a parsed GeoJSON layer document.

    Checks the FeatureCollection structure, the ``crs`` member, each feature's geometry
    (present, non-empty, of the layer's kind, valid, inside the CRS's area of use), its
    properties (:func:`validate_properties`) and that ids are unique in the file.

    Parameters
    ----------
    doc : object
        The parsed JSON document.
    file : str
        File name for the messages.
    geometry_kind : {"polygon", "line", "point"}
        The layer's geometry kind (registry).
    schema : {"project", "context"}
        The layer's schema (registry).
    source_ids : Collection[str]
        The ids of ``sources.json``.

    Returns
    -------
    list[Problem]
        Empty when the document is a valid layer.

    Examples
    --------
    >>> problems = validate_feature_collection(
    ...     {"type": "FeatureCollection", "features": []},
    ...     file="x.geojson", geometry_kind="point", schema="context", source_ids=())
    >>> print(problems[0])  # doctest: +ELLIPSIS
    x.geojson: field 'crs': expected a 'crs' member declaring the CRS, ...; found nothing (the...
    """
    return list(
        check_feature_collection(
            doc, file=file, geometry_kind=geometry_kind, schema=schema, source_ids=source_ids
        ).problems
    )


def check_feature_collection(
    doc: object,
    *,
    file: str,
    geometry_kind: str,
    schema: str,
    source_ids: Collection[str],
) -> CheckedCollection:
    """Validate a parsed GeoJSON layer and keep the geometries built on the way.

    Same checks and arguments as :func:`validate_feature_collection`, which returns only the
    problems; :func:`geo.io.read_layer` uses the geometries too, so they are built once.

    Raises
    ------
    ValueError
        When ``geometry_kind`` or ``schema`` is not a known value (a caller's bug).
    """
    if geometry_kind not in GEOMETRY_KINDS:
        raise ValueError(
            f"geometry_kind must be one of {', '.join(GEOMETRY_KINDS)}; got {geometry_kind!r}"
        )
    if schema not in SCHEMAS:
        raise ValueError(f"schema must be one of {', '.join(SCHEMAS)}; got {schema!r}")
    problems: list[Problem] = []
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        found = doc.get("type", MISSING) if isinstance(doc, dict) else doc
        problems.append(Problem(file, None, "type", "'FeatureCollection'", show(found)))
        return CheckedCollection(None, (), (), tuple(problems))
    declared = _check_crs(doc, file, problems)
    features = doc.get("features", MISSING)
    if not isinstance(features, list):
        problems.append(Problem(file, None, "features", "a list of features", show(features)))
        return CheckedCollection(declared, (), (), tuple(problems))
    bounds = crs_mod.valid_bounds(declared) if declared is not None else None
    geometries: list[BaseGeometry | None] = []
    properties: list[dict[str, Any]] = []
    first_seen: dict[str, int] = {}
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            found = feature.get("type", MISSING) if isinstance(feature, dict) else feature
            problems.append(Problem(file, None, "type", "'Feature'", show(found), index))
            geometries.append(None)
            properties.append({})
            continue
        props = feature.get("properties", MISSING)
        fid = _feature_id(props)
        problems.extend(
            validate_properties(
                props, schema=schema, file=file, feature_index=index, source_ids=source_ids
            )
        )
        geom, geom_problems = _check_geometry(
            feature.get("geometry", MISSING),
            file=file,
            feature_id=fid,
            feature_index=index,
            geometry_kind=geometry_kind,
            crs=declared,
            bounds=bounds,
        )
        problems.extend(geom_problems)
        geometries.append(geom)
        properties.append(props if isinstance(props, dict) else {})
        if fid is not None:
            if fid in first_seen:
                problems.append(
                    Problem(
                        file,
                        fid,
                        "id",
                        "an id used once in the file",
                        f"{fid!r} again (first used by feature #{first_seen[fid]})",
                        index,
                    )
                )
            else:
                first_seen[fid] = index
    return CheckedCollection(declared, tuple(geometries), tuple(properties), tuple(problems))


def _check_crs(doc: Mapping[str, Any], file: str, problems: list[Problem]) -> str | None:
    try:
        return crs_mod.parse_geojson_crs(doc, file)
    except CRSError as exc:
        expected = (
            'a \'crs\' member declaring the CRS, e.g. {"type": "name", "properties": '
            '{"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}} (a file without one is refused: '
            "VN-2000 read as WGS84 is ~200 m off)"
        )
        found = show(doc.get("crs", MISSING))
        if "crs" in doc:
            found += f" ({exc})"
        problems.append(Problem(file, None, "crs", expected, found))
        return None


def _check_geometry(
    geometry: object,
    *,
    file: str,
    feature_id: str | None,
    feature_index: int,
    geometry_kind: str,
    crs: str | None,
    bounds: tuple[float, float, float, float] | None,
) -> tuple[BaseGeometry | None, list[Problem]]:
    """Build one feature's geometry and return it with its problems (geometry None if unusable)."""
    allowed = GEOMETRY_KINDS[geometry_kind]
    expected_type = f"a {' or '.join(allowed)} (the layer's geometry_kind is {geometry_kind!r})"

    def problem(expected: str, found: str) -> Problem:
        return Problem(file, feature_id, "geometry", expected, found, feature_index)

    if not isinstance(geometry, dict):
        return None, [problem(expected_type, show(geometry))]
    gtype = geometry.get("type", MISSING)
    if gtype not in allowed:
        return None, [problem(expected_type, show(gtype))]
    try:
        geom = shape(geometry)
    except (ShapelyError, ValueError, TypeError, IndexError, KeyError, AttributeError) as exc:
        coords = show(geometry.get("coordinates", MISSING))
        return None, [problem(f"well-formed {gtype} coordinates", f"{coords} ({exc})")]
    if geom.is_empty:
        return None, [problem(f"a non-empty {gtype}", f"an empty {gtype}")]
    problems: list[Problem] = []
    if not geom.is_valid:
        problems.append(problem("a valid geometry", shapely.is_valid_reason(geom)))
    if bounds is not None and crs is not None:
        problems.extend(_check_bounds(geom, crs, bounds, problem))
    return (None if problems else geom), problems


def _check_bounds(
    geom: BaseGeometry,
    crs: str,
    bounds: tuple[float, float, float, float],
    problem: Callable[[str, str], Problem],
) -> list[Problem]:
    xmin, ymin, xmax, ymax = bounds
    coords = shapely.get_coordinates(geom)
    outside = (
        (coords[:, 0] < xmin)
        | (coords[:, 0] > xmax)
        | (coords[:, 1] < ymin)
        | (coords[:, 1] > ymax)
    )
    if not outside.any():
        return []
    x, y = coords[outside.argmax()]
    if crs_mod.is_geographic(crs):
        expected = (
            f"longitude {xmin:g} to {xmax:g} and latitude {ymin:g} to {ymax:g} "
            f"(the area of use of {crs_mod.describe(crs)}, widened by 1°)"
        )
    else:
        expected = (
            f"x {xmin:.0f} to {xmax:.0f} and y {ymin:.0f} to {ymax:.0f} "
            f"(the area of use of {crs_mod.describe(crs)}, widened by 1°)"
        )
    found = f"{int(outside.sum())} coordinate(s) outside it, first ({x:g}, {y:g})"
    return [problem(expected, found)]
