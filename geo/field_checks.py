"""Checks of one feature's properties, or one unmapped item, against the data model.

The per-field rules (strings, texts in every language, choices, numbers, dates, sources),
the project rules (sourced figures, progress history, milestones) and the status rule
(:func:`derived_status`). Checking a whole layer file, its CRS and geometries is
:mod:`geo.collection_checks`.

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
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from geo.i18n import LANGUAGES, text_fields
from geo.problems import MISSING, Problem, show, unknown_field_expected
from geo.values import is_number, parse_date
from geo.vocabulary import (
    ACCURACY_LEVELS,
    AVAILABILITIES,
    COMMON_FIELDS,
    DATE_PRECISIONS,
    FEATURE_ID_PATTERN,
    FEATURE_KINDS,
    HISTORY_FIELDS,
    LAND_USES,
    LOT_FIELDS,
    LOT_ID_PATTERN,
    MILESTONE_FIELDS,
    MILESTONE_KINDS,
    PROJECT_FIELDS,
    SCHEMAS,
    STATUSES,
    UNMAPPED_FIELDS,
)

__all__ = ["derived_status", "feature_id_of", "validate_properties", "validate_unmapped_item"]


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

    def refuse(self, name: str, expected: str, found: object, *, nullable: bool = False) -> Any:
        """Record that ``name`` is not ``expected`` (or null, when ``nullable``); return _BAD."""
        self.add(name, expected + (" or null" if nullable else ""), found)
        return _BAD

    def string(
        self, obj: Mapping[str, Any], key: str, prefix: str = "", *, nullable: bool = False
    ) -> Any:
        value = obj.get(key, MISSING)
        if (value is None and nullable) or (isinstance(value, str) and value.strip()):
            return value
        return self.refuse(prefix + key, "a non-empty string", value, nullable=nullable)

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
        return self.refuse(prefix + key, f"one of {', '.join(options)}", value, nullable=nullable)

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
            return self.refuse(prefix + key, "an ISO date YYYY-MM-DD", value, nullable=nullable)
        return day

    def source(
        self, obj: Mapping[str, Any], key: str, prefix: str = "", *, nullable: bool = False
    ) -> Any:
        value = obj.get(key, MISSING)
        if value is None and nullable:
            return None
        if isinstance(value, str) and value in self.source_ids:
            return value
        expected = "a source id listed in sources.json"
        return self.refuse(prefix + key, expected, value, nullable=nullable)

    def source_list(self, obj: Mapping[str, Any], *, may_be_empty: bool) -> None:
        """Check ``sources``: a list of source ids, empty only when ``may_be_empty``."""
        sources = obj.get("sources", MISSING)
        if may_be_empty and not isinstance(sources, list):
            self.add("sources", "a list of source ids (may be empty)", sources)
        elif not may_be_empty and (not isinstance(sources, list) or not sources):
            self.add("sources", "a non-empty list of source ids", sources)
        else:
            for i, sid in enumerate(sources):
                if not isinstance(sid, str) or sid not in self.source_ids:
                    self.add(f"sources[{i}]", "a source id listed in sources.json", sid)

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

    def source_when_set(
        self, obj: Mapping[str, Any], source_key: str, value: Any, value_key: str
    ) -> None:
        """Check the nullable source ``source_key``, required when ``value`` is set."""
        source = self.source(obj, source_key, nullable=True)
        self.requires_source_when_set(value, source, value_key, source_key)


def feature_id_of(props: object) -> str | None:
    """Return the ``id`` of a feature's properties when it is a non-empty string, else None.

    Examples
    --------
    >>> feature_id_of({"id": "zone-x"}), feature_id_of({"id": ""}), feature_id_of(None)
    ('zone-x', None, None)
    """
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
    schema : {"project", "context", "lot"}
        ``project`` checks the full project schema and refuses unknown fields (typos such as
        ``progres_pct``); ``context`` checks the common fields and allows extra ones; ``lot``
        checks a lot (:data:`geo.vocabulary.LOT_FIELDS`, no common fields) and refuses
        unknown fields.
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
    c = _Checker(file, feature_id_of(props), feature_index, source_ids)
    if not isinstance(props, dict):
        c.add("properties", "an object", props)
        return c.problems
    if schema == "lot":
        _check_lot(c, props)
        c.no_unknown_fields(props, LOT_FIELDS, "", "the lot schema")
        return c.problems
    _check_common(c, props)
    if schema == "project":
        _check_project(c, props)
        c.no_unknown_fields(props, COMMON_FIELDS + PROJECT_FIELDS, "", "the project schema")
    return c.problems


def _check_feature_id(c: _Checker, obj: Mapping[str, Any]) -> None:
    """Check the ``id`` of a feature or unmapped item (lots have their own pattern)."""
    fid = obj.get("id", MISSING)
    if not isinstance(fid, str) or not FEATURE_ID_PATTERN.fullmatch(fid):
        c.add("id", "a string of a-z, 0-9 and '-', starting with a letter or digit", fid)


def _check_names(c: _Checker, obj: Mapping[str, Any]) -> None:
    """Check the names: Vietnamese and English required, Chinese null where none is known."""
    c.string(obj, "name_vi")
    c.string(obj, "name_en")
    c.string(obj, "name_zh", nullable=True)


def _check_common(c: _Checker, props: Mapping[str, Any]) -> None:
    _check_feature_id(c, props)
    _check_names(c, props)
    c.choice(props, "geometry_accuracy", ACCURACY_LEVELS)
    c.texts(props, "accuracy_note")
    c.source_list(props, may_be_empty=False)


#: A lease end year outside this range is a typo (a term, a month, a two-digit year).
LEASE_END_YEARS: Final = (1990, 2100)
#: ``illustrative_fields`` may name every lot field but the bookkeeping ones, and the shape.
_ILLUSTRATABLE: Final = (
    "geometry",
    *(
        f
        for f in LOT_FIELDS
        if f not in ("id", "zone_id", "geometry_accuracy", "illustrative_fields", "sources")
        and not f.startswith("illustrative_basis")
        and not f.endswith("_source")
    ),
)


def _check_lot(c: _Checker, props: Mapping[str, Any]) -> None:
    """Check a lot: every field of :data:`LOT_FIELDS` present, each by its rule."""
    fid = props.get("id", MISSING)
    if not isinstance(fid, str) or not LOT_ID_PATTERN.fullmatch(fid):
        c.add(
            "id",
            "a string of letters, digits, '.', '_' and '-', starting with one of the first two",
            fid,
        )
    c.string(props, "code")
    c.string(props, "road", nullable=True)
    c.string(props, "zone_id")
    c.choice(props, "land_use", tuple(LAND_USES))
    availability = c.choice(props, "availability", AVAILABILITIES)
    tenant = c.string(props, "tenant", nullable=True)
    if tenant not in (None, _BAD) and availability not in ("leased", _BAD):
        c.add(
            "tenant",
            f"null (a tenant only when availability is 'leased', not {availability!r})",
            tenant,
        )
    for key in (
        "rent_usd_m2_term",
        "min_plot_m2",
        "management_fee_usd_m2_month",
        "warehouse_rent_usd_m2_month",
    ):
        c.number(props, key)
    year = props.get("lease_end_year", MISSING)
    low, high = LEASE_END_YEARS
    if year is not None and not (
        isinstance(year, int) and not isinstance(year, bool) and low <= year <= high
    ):
        c.add("lease_end_year", f"a whole year from {low} to {high}, or null", year)
    c.texts(props, "utilities", nullable=True)
    incentives = c.texts(props, "incentives", nullable=True)
    c.source_when_set(props, "incentives_source", incentives, "incentives_en")
    contact = c.texts(props, "contact", nullable=True)
    c.source_when_set(props, "contact_source", contact, "contact_en")
    area = c.number(props, "area_ha", positive=True)
    c.source_when_set(props, "area_source", area, "area_ha")
    accuracy = c.choice(props, "geometry_accuracy", ACCURACY_LEVELS)
    named = _check_illustrative_fields(c, props)
    if named is not _BAD:
        if accuracy == "illustrative" and "geometry" not in named:
            c.add(
                "illustrative_fields",
                "a list naming 'geometry' (the shape is illustrative)",
                props["illustrative_fields"],
            )
        if accuracy not in ("illustrative", _BAD) and "geometry" in named:
            c.add(
                "illustrative_fields",
                f"no 'geometry' (geometry_accuracy is {accuracy!r})",
                props["illustrative_fields"],
            )
        if tenant not in (None, _BAD) and "tenant" not in named and not props.get("sources"):
            c.add(
                "sources",
                "a source for the tenant, or 'tenant' in illustrative_fields",
                props.get("sources"),
            )
        if named:
            c.texts(
                props,
                "illustrative_basis",
                required="saying how the illustrative values were chosen",
            )
        else:
            c.texts(props, "illustrative_basis", nullable=True)
    c.source_list(props, may_be_empty=True)


def _check_illustrative_fields(c: _Checker, props: Mapping[str, Any]) -> Any:
    """Check ``illustrative_fields``: a list of distinct lot fields (or ``geometry``)."""
    value = props.get("illustrative_fields", MISSING)
    if not isinstance(value, list):
        c.add("illustrative_fields", "a list of field names (may be empty)", value)
        return _BAD
    bad = False
    for i, name in enumerate(value):
        if not isinstance(name, str) or name not in _ILLUSTRATABLE:
            c.add(
                f"illustrative_fields[{i}]",
                unknown_field_expected(
                    str(name), _ILLUSTRATABLE, "the lot fields that can be illustrative"
                ),
                name,
            )
            bad = True
        elif value.index(name) != i:
            c.add(f"illustrative_fields[{i}]", "a field named once", name)
            bad = True
    return _BAD if bad else set(value)


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
    c.source_when_set(props, "area_source", area, "area_ha")
    length = c.number(props, "length_km", positive=True)
    c.source_when_set(props, "length_source", length, "length_km")
    open_length = c.number(props, "open_length_km")
    if is_number(open_length) and is_number(length) and open_length > length:
        c.add("open_length_km", f"at most length_km ({length:g})", open_length)
    investment = c.number(props, "investment_vnd_bn")
    c.source_when_set(props, "investment_source", investment, "investment_vnd_bn")
    investor = c.string(props, "investor", nullable=True)
    c.source_when_set(props, "investor_source", investor, "investor")
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
            _check_oldest_first(c, entry, day, previous, prefix, "entries")
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
        _check_oldest_first(c, entry, day, previous, prefix, "milestones")
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


def _check_oldest_first(
    c: _Checker,
    entry: Mapping[str, Any],
    day: dt.date,
    previous: dt.date | None,
    prefix: str,
    what: str,
) -> None:
    """Report an entry dated before the one above it (``what`` are listed oldest first)."""
    if previous is not None and day < previous:
        c.add(
            prefix + "date",
            f"a date on or after {previous.isoformat()} ({what} are oldest first)",
            entry["date"],
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
    c = _Checker(file, feature_id_of(item), index, source_ids, item="item")
    if not isinstance(item, dict):
        c.add("", "an object", item)
        return c.problems
    _check_feature_id(c, item)
    c.choice(item, "kind", FEATURE_KINDS)
    _check_names(c, item)
    status = c.choice(item, "status", STATUSES)
    c.texts(item, "location_note")
    related = item.get("related_features", MISSING)
    if not isinstance(related, list) or not all(isinstance(r, str) for r in related):
        c.add("related_features", "a list of feature ids (may be empty)", related)
    c.source_list(item, may_be_empty=False)
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
