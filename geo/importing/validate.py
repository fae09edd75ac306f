"""Every problem of an import, per feature and field, before anything is written.

Geometry rules (:func:`geometry_problems`): a missing or empty geometry, a GeometryCollection,
a geometry of another kind than the layer's (mixed kinds), non-finite coordinates, Z values
and invalid geometry with shapely's reason and location (in the file's coordinates). Where
they are (:func:`location_problems`): inside the shipped extent (Lạng Sơn ∪ Cao Bằng, with the
registry's tolerances, :mod:`geo.importing.area`), or apparently swapped (outside, but inside
with x and y exchanged). Slivers (:func:`sliver_problems`): polygons thinner than
:data:`SLIVER_WIDTH_M`, measured in EPSG:9215 metres. Fields (:func:`field_problems`): the
data model's rules from :mod:`geo.field_checks`, for the fields the file has (a new layer),
or all of them (a layer that replaces a project layer); ids unique (:func:`id_problems`).

Safe repairs are offered, never applied unless accepted (:func:`repair`): ``drop-z`` and
``make-valid`` (shapely's structure method), each with the geodesic area change it causes.

Examples
--------
>>> import numpy as np
>>> from shapely import Polygon
>>> bowtie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2), (0, 0)])
>>> problems = geometry_problems("f.shp", ["a"], np.array([bowtie]), "polygon")
>>> print(problems[0])
f.shp: feature 'a', field 'geometry': invalid geometry: Self-intersection[1 1] (file coordinates)
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.crs import VN2000_TM3_LANG_SON, WGS84, transformer
from geo.crs import transform_geometry as _transform
from geo.errors import CRSError
from geo.field_checks import validate_properties
from geo.importing import area
from geo.importing.axis import swapped_geometry
from geo.importing.model import ImportProblem, Question
from geo.measure import area_ha
from geo.problems import Problem
from geo.vocabulary import COMMON_FIELDS, FEATURE_ID_PATTERN, GEOMETRY_KINDS, PROJECT_FIELDS

__all__ = [
    "REPAIRS",
    "SLIVER_WIDTH_M",
    "Repaired",
    "drop_flat_z",
    "field_problems",
    "geometry_problems",
    "id_problems",
    "layer_kind",
    "location_problems",
    "non_finite",
    "placeable",
    "repair",
    "sliver_problems",
    "taken_id_problems",
]

#: A polygon part whose mean width (2 × area / perimeter, in EPSG:9215 metres) is below this
#: is a sliver: a digitising leftover, not a parcel or a zone.
SLIVER_WIDTH_M: Final = 1.0
#: The repairs an import can offer (``ImportOptions.repairs``).
REPAIRS: Final = ("drop-z", "make-valid")
#: Features listed by name in a repair question; the rest are counted.
_LISTED: Final = 10
_RULES_BY_FIELD: Final = {"status": "vocabulary", "progress_pct": "progress-range"}
_MODEL_FIELDS: Final = frozenset(COMMON_FIELDS + PROJECT_FIELDS)


def _problem(file: str, label: str, name: str | None, rule: str, text: str) -> ImportProblem:
    return ImportProblem(file, label, name, rule, text)


def drop_flat_z(geoms: np.ndarray) -> np.ndarray:
    """Return geometries with Z dropped where every Z is 0 or NaN (no height is recorded).

    KML writes ``lon,lat,0`` for shapes clamped to the ground: such a Z holds nothing, so
    dropping it loses nothing. Any other Z value is reported and only dropped on request.

    Examples
    --------
    >>> from shapely import Point
    >>> [g.has_z for g in drop_flat_z(np.array([Point(1, 2, 0), Point(1, 2, 5)]))]
    [False, True]
    """
    out = np.array(geoms, dtype=object, copy=True)
    for i in np.flatnonzero(shapely.has_z(out) & ~shapely.is_empty(out)):
        z = shapely.get_coordinates(out[i], include_z=True)[:, 2]
        if np.all((z == 0) | np.isnan(z)):
            out[i] = shapely.force_2d(out[i])
    return out


_TYPE_NAMES: Final = {t.value: t.name for t in shapely.GeometryType}
_COLLECTION_ID: Final = shapely.GeometryType.GEOMETRYCOLLECTION.value


def _type_names(geoms: np.ndarray) -> np.ndarray:
    """Return each geometry's type name as shapely writes it (``Polygon``), "" for None."""
    ids = shapely.get_type_id(geoms)
    names = {
        i: ("" if i < 0 else shapely.from_wkt(f"{_TYPE_NAMES[i]} EMPTY").geom_type)
        for i in np.unique(ids)
    }
    return np.array([names[i] for i in ids], dtype=object)


def non_finite(geoms: np.ndarray) -> np.ndarray:
    """Tell, per geometry, whether any coordinate (Z included) is NaN or infinite.

    Examples
    --------
    >>> from shapely import Point
    >>> non_finite(np.array([Point(1, 2), Point(float("nan"), 2), None])).tolist()
    [False, True, False]
    """
    out = np.zeros(len(geoms), dtype=bool)
    for include_z in (False, True):
        chosen = np.flatnonzero(shapely.has_z(geoms) == include_z)
        if len(chosen) == 0:
            continue
        xy, index = shapely.get_coordinates(geoms[chosen], include_z=include_z, return_index=True)
        bad = ~np.isfinite(xy).all(axis=1)
        out[chosen[np.unique(index[bad])]] = True
    return out


def layer_kind(geoms: np.ndarray) -> str | None:
    """Return the geometry kind most features have (``polygon``, ``line``, ``point``).

    Examples
    --------
    >>> from shapely import LineString, Point
    >>> layer_kind(np.array([Point(0, 0), Point(1, 1), LineString([(0, 0), (1, 1)])]))
    'point'
    """
    names = _type_names(np.asarray(geoms, dtype=object))
    present = ~shapely.is_empty(np.asarray(geoms, dtype=object)) & (names != "")
    counts = {
        kind: int((np.isin(names, types) & present).sum()) for kind, types in GEOMETRY_KINDS.items()
    }
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else None


def placeable(geoms: np.ndarray, kind: str | None) -> np.ndarray:
    """Tell, per geometry, whether it can be converted and placed.

    That is: present, non-empty, of the layer's kind, with finite coordinates.

    Examples
    --------
    >>> from shapely import LineString, Point
    >>> placeable(np.array([Point(1, 2), LineString([(0, 0), (1, 1)]), None]), "point").tolist()
    [True, False, False]
    """
    geoms = np.asarray(geoms, dtype=object)
    allowed = GEOMETRY_KINDS.get(kind or "", ())
    names = _type_names(geoms)
    ok = (names != "") & ~shapely.is_empty(geoms) & np.isin(names, allowed)
    return ok & ~non_finite(geoms)


def geometry_problems(
    file: str, labels: Sequence[str], geoms: np.ndarray, kind: str | None
) -> list[ImportProblem]:
    """Return the shape problems of every feature (geometries in the file's coordinates).

    Z values are reported here as ``z-values``; :func:`repair` offers to drop them. The
    checks run on the whole array (shapely's vectorised predicates); only the features with
    a problem are looked at one by one.
    """
    geoms = np.asarray(geoms, dtype=object)
    allowed = GEOMETRY_KINDS.get(kind or "", ())
    names = _type_names(geoms)
    missing = names == ""
    empty = ~missing & shapely.is_empty(geoms)
    collection = ~missing & ~empty & (shapely.get_type_id(geoms) == _COLLECTION_ID)
    other_kind = ~missing & ~empty & ~collection & ~np.isin(names, allowed)
    bad_numbers = ~missing & ~empty & ~collection & ~other_kind & non_finite(geoms)
    checkable = ~missing & ~empty & ~collection & ~other_kind & ~bad_numbers
    with_z = checkable & shapely.has_z(geoms)
    invalid = checkable & ~shapely.is_valid(geoms)
    expected = " or ".join(allowed) if allowed else "Polygon, LineString or Point"
    problems: list[ImportProblem] = []
    flagged = missing | empty | collection | other_kind | bad_numbers | with_z | invalid
    for i in np.flatnonzero(flagged):
        label = labels[i]

        def add(rule: str, text: str, label: str = label) -> None:
            problems.append(_problem(file, label, "geometry", rule, text))

        if missing[i]:
            add("null-geometry", "no geometry")
        elif empty[i]:
            add("empty-geometry", f"an empty {names[i]}")
        elif collection[i]:
            add("geometry-collection", "a GeometryCollection; expected one kind of shape")
        elif other_kind[i]:
            add("mixed-geometry", f"a {names[i]} in a {kind} layer; expected {expected}")
        elif bad_numbers[i]:
            add("non-finite", "NaN or infinite coordinates")
        if with_z[i]:
            add("z-values", "Z values (3D coordinates); the map stores 2D (repair: drop-z)")
        if invalid[i]:
            reason = shapely.is_valid_reason(geoms[i])
            add("invalid-geometry", f"invalid geometry: {reason} (file coordinates)")
    return problems


def location_problems(
    file: str,
    labels: Sequence[str],
    lonlat: np.ndarray,
    source: np.ndarray,
    crs: str,
) -> list[ImportProblem]:
    """Return a problem for every feature outside the import area, or apparently swapped.

    Parameters
    ----------
    lonlat : numpy.ndarray
        The converted geometries (EPSG:4326); None or empty ones are skipped.
    source : numpy.ndarray
        The same geometries in the source CRS and axis order (to try them swapped).
    crs : str
        The source CRS.
    """
    shape = area.import_area()
    usable = np.array([g is not None and not g.is_empty for g in lonlat], dtype=bool)
    if not usable.any():
        return []
    points = usable & np.array([g is not None and g.geom_type == "Point" for g in lonlat])
    inside = np.ones(len(lonlat), dtype=bool)
    with np.errstate(all="ignore"):
        idx = np.flatnonzero(usable & points)
        inside[idx] = shapely.covers(shape.points, lonlat[idx])
        idx = np.flatnonzero(usable & ~points)
        inside[idx] = shapely.covers(shape.edges, lonlat[idx])
    problems = []
    for i in np.flatnonzero(~inside):
        geom = lonlat[i]
        tolerance = shape.point_tolerance_m if points[i] else shape.edge_tolerance_m
        where = shapely.get_coordinates(geom.representative_point())[0]
        found = f"at lon {where[0]:.5f}, lat {where[1]:.5f}" if np.isfinite(where).all() else ""
        if _inside_swapped(source[i], crs, shape.points if points[i] else shape.edges):
            problems.append(
                _problem(
                    file,
                    labels[i],
                    "geometry",
                    "swapped-coordinates",
                    f"outside {shape.name} {found}, but inside with x and y swapped: "
                    "northing written first? (answer --axis ne if the whole file is)",
                )
            )
            continue
        problems.append(
            _problem(
                file,
                labels[i],
                "geometry",
                "outside-area",
                f"outside {shape.name} (+ {tolerance:g} m, the registry's extent) {found}",
            )
        )
    return problems


def _inside_swapped(geom: BaseGeometry | None, crs: str, target: BaseGeometry) -> bool:
    if geom is None or geom.is_empty:
        return False
    swapped = swapped_geometry(geom)
    if crs != WGS84:
        try:
            swapped = _transform(swapped, crs, WGS84)
        except CRSError:  # swapped numbers PROJ cannot transform are not inside
            return False
    return not swapped.is_empty and bool(target.covers(swapped))


def sliver_problems(file: str, labels: Sequence[str], lonlat: np.ndarray) -> list[ImportProblem]:
    """Return a problem for every polygon with a part thinner than :data:`SLIVER_WIDTH_M`.

    Examples
    --------
    >>> from shapely import box
    >>> thin = box(106.7, 21.9, 106.71, 21.900005)  # ~1 km by ~0.55 m
    >>> [p.rule for p in sliver_problems("f.shp", ["a"], np.array([thin]))]
    ['sliver']
    >>> sliver_problems("f.shp", ["a"], np.array([box(106.7, 21.9, 106.71, 21.91)]))
    []
    """
    lonlat = np.asarray(lonlat, dtype=object)
    names = _type_names(lonlat)
    polygonal = np.isin(names, GEOMETRY_KINDS["polygon"]) & ~shapely.is_empty(lonlat)
    # An invalid one is reported as such; its area means nothing.
    polygonal[polygonal] = shapely.is_valid(lonlat[polygonal])
    if not polygonal.any():
        return []
    rows = np.flatnonzero(polygonal)
    t = transformer(WGS84, VN2000_TM3_LANG_SON)

    def to_metres(xy: np.ndarray) -> np.ndarray:
        x, y = t.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    with np.errstate(all="ignore"):
        metric = shapely.transform(lonlat[rows], to_metres)
        parts, owner = shapely.get_parts(metric, return_index=True)
        perimeter = shapely.length(parts)
        width = np.where(perimeter > 0, 2 * shapely.area(parts) / perimeter, 0.0)
    narrowest = np.full(len(lonlat), np.inf)
    np.minimum.at(narrowest, rows[owner], width)
    problems = []
    for i in np.flatnonzero(narrowest < SLIVER_WIDTH_M):
        problems.append(
            _problem(
                file,
                labels[i],
                "geometry",
                "sliver",
                f"a sliver: a part {narrowest[i]:.2f} m wide on average (2 × area / perimeter, "
                f"EPSG:9215), thinner than {SLIVER_WIDTH_M:g} m",
            )
        )
    return problems


def _from_problem(p: Problem, label: str) -> ImportProblem:
    root = p.field.split("[")[0].split(".")[0]
    rule = _RULES_BY_FIELD.get(root, "data-model")
    if root == "progress_pct" and "number" in p.expected and not _looks_numeric(p.found):
        rule = "not-a-number"
    return _problem(p.file, label, p.field or None, rule, f"expected {p.expected}; found {p.found}")


def _looks_numeric(found: str) -> bool:
    try:
        float(found)
    except ValueError:
        return False
    return True


def field_problems(
    file: str,
    labels: Sequence[str],
    properties: Sequence[Mapping[str, Any]],
    *,
    full_schema: str | None,
    source_ids: Collection[str],
) -> list[ImportProblem]:
    """Return the data model's problems in every feature's properties.

    Parameters
    ----------
    full_schema : {"project", "context"} or None
        The schema of the project layer the import replaces: every rule of it applies.
        None for a new layer: only the rules of fields the file has (``status``,
        ``progress_pct`` …), and ids of any case.

    Examples
    --------
    >>> [p.rule for p in field_problems("f.shp", ["KTC-01"],
    ...     [{"id": "KTC-01", "status": "xong", "progress_pct": 120, "owner": "x"}],
    ...     full_schema=None, source_ids=())]
    ['vocabulary', 'progress-range']
    """
    if full_schema is not None:
        problems: list[ImportProblem] = []
        for i, props in enumerate(properties):
            found = validate_properties(
                dict(props),
                schema=full_schema,
                file=file,
                feature_index=i + 1,
                source_ids=source_ids,
            )
            problems.extend(
                _from_problem(p, labels[i]) for p in found if not _any_case_id(p, props)
            )
        return problems
    # A new layer: only the model fields it has. Features with the same values of those
    # fields break the same rules, so each distinct combination is checked once (a survey of
    # 200,000 parcels has a handful).
    checked: dict[str, list[Problem]] = {}
    problems = []
    for i, props in enumerate(properties):
        present = {k: v for k, v in props.items() if k in _MODEL_FIELDS and k != "id"}
        if not present:
            continue
        key = json.dumps(present, sort_keys=True, default=str)
        if key not in checked:
            checked[key] = [
                p
                for p in validate_properties(
                    {"id": "x", **present},
                    schema="project",
                    file=file,
                    feature_index=None,
                    source_ids=source_ids,
                )
                if _root(p.field) in present
            ]
        problems.extend(_from_problem(p, labels[i]) for p in checked[key])
    return problems


def _root(field_path: str) -> str:
    return field_path.split("[")[0].split(".")[0]


def _any_case_id(p: Problem, props: Mapping[str, Any]) -> bool:
    """Tell whether a problem is only the id's case (ids may be any case: ``KTC-01``)."""
    fid = props.get("id")
    return (
        _root(p.field) == "id"
        and isinstance(fid, str)
        and FEATURE_ID_PATTERN.fullmatch(fid.lower()) is not None
    )


def id_problems(
    file: str, labels: Sequence[str], properties: Sequence[Mapping[str, Any]], id_field: str | None
) -> list[ImportProblem]:
    """Return a problem for every missing or repeated id (when the file has an id field).

    Examples
    --------
    >>> [str(p) for p in id_problems("f.shp", ["KTC-01", "KTC-01"],
    ...     [{"id": "KTC-01"}, {"id": "KTC-01"}], "id")]
    ["f.shp: feature 'KTC-01', field 'id': 'KTC-01' again (first used by feature #1)"]
    """
    if id_field is None:
        return []
    problems = []
    first: dict[str, int] = {}
    for i, props in enumerate(properties):
        fid = props.get("id")
        if not isinstance(fid, str) or not fid:
            problems.append(_problem(file, labels[i], id_field, "missing-id", "no id"))
        elif fid in first:
            problems.append(
                _problem(
                    file,
                    labels[i],
                    id_field,
                    "duplicate-id",
                    f"{fid!r} again (first used by feature #{first[fid]})",
                )
            )
        else:
            first[fid] = i + 1
    return problems


def taken_id_problems(
    file: str,
    labels: Sequence[str],
    properties: Sequence[Mapping[str, Any]],
    taken: Mapping[str, str],
    layer_id: str,
) -> list[ImportProblem]:
    """Return a problem for every id another stored layer already uses.

    Feature ids are unique across layers (the app selects features by id and withholds a
    layer whose ids another one uses); ``taken`` maps ids to their layer.

    Examples
    --------
    >>> [p.rule for p in taken_id_problems(
    ...     "f.shp", ["g-1"], [{"id": "g-1"}], {"g-1": "gates"}, "wells")]
    ['duplicate-id']
    """
    problems = []
    for i, props in enumerate(properties):
        owner = taken.get(str(props.get("id")))
        if owner is not None and owner != layer_id:
            problems.append(
                _problem(
                    file,
                    labels[i],
                    "id",
                    "duplicate-id",
                    f"{props['id']!r} is already used in layer {owner!r} (ids are unique "
                    "across layers)",
                )
            )
    return problems


@dataclass
class Repaired:
    """Geometries after the accepted repairs, the questions for the others, what remains.

    Attributes
    ----------
    geometries : numpy.ndarray
        The converted geometries with the accepted repairs applied.
    questions : list of Question
        One ``repair`` question per repair that would help and was not accepted.
    fixed : set of tuple
        ``(label, rule)`` of the problems the accepted repairs removed.
    """

    geometries: np.ndarray
    questions: list[Question] = field(default_factory=list)
    fixed: set[tuple[str, str]] = field(default_factory=set)


def _area_text(before: float, after: float) -> str:
    change = after - before
    return f"{before:.2f} ha → {after:.2f} ha ({change:+.2f} ha, {change * 10_000:+,.0f} m²)"


def _safe_area(geom: BaseGeometry | None) -> float | None:
    if geom is None or geom.is_empty:
        return None
    try:
        return area_ha(geom)
    except ValueError:
        return None


def repair(
    file: str,
    labels: Sequence[str],
    source: np.ndarray,
    lonlat: np.ndarray | None,
    accepted: Collection[str],
) -> Repaired:
    """Offer or apply the safe repairs: drop Z, make invalid geometries valid.

    Parameters
    ----------
    source : numpy.ndarray
        The geometries as read (file coordinates): where Z and invalidity are found.
    lonlat : numpy.ndarray or None
        The converted geometries (EPSG:4326), None while the CRS is unknown: the area
        change is then not known yet and the question says so.
    accepted : Collection[str]
        ``ImportOptions.repairs``.
    """
    out = np.array(lonlat if lonlat is not None else source, dtype=object, copy=True)
    result = Repaired(out)
    fine = _placeable_any_kind(np.asarray(source, dtype=object))
    with_z = np.flatnonzero(fine & shapely.has_z(source))
    # Only what was converted can be repaired (a shape of another kind is not converted).
    invalid = [
        int(i) for i in np.flatnonzero(fine & ~shapely.is_valid(source)) if out[i] is not None
    ]
    if len(with_z):
        if "drop-z" in accepted:
            out[with_z] = shapely.force_2d(out[with_z])
            result.fixed.update((labels[i], "z-values") for i in with_z)
        else:
            names = ", ".join(repr(labels[i]) for i in with_z[:_LISTED])
            more = f" and {len(with_z) - _LISTED} more" if len(with_z) > _LISTED else ""
            result.questions.append(
                Question(
                    "repair",
                    f"{file}: {len(with_z)} feature(s) have Z values ({names}{more}). Dropping Z "
                    "keeps every horizontal position: area change 0.00 ha (0 m²).",
                    "drop-z",
                )
            )
    if invalid:
        changes = []
        for i in invalid:
            fixed = shapely.make_valid(out[i], method="structure", keep_collapsed=False)
            fixed = shapely.force_2d(fixed) if "drop-z" in accepted else fixed
            if lonlat is not None:
                changes.append((i, fixed, _safe_area(out[i]), _safe_area(fixed)))
            else:
                changes.append((i, fixed, None, None))
        if "make-valid" in accepted:
            for i, fixed, _, _ in changes:
                if not fixed.is_empty and fixed.geom_type in _same_family(out[i].geom_type):
                    out[i] = fixed
                    result.fixed.add((labels[i], "invalid-geometry"))
        else:
            shown = []
            for i, _, before, after in changes[:_LISTED]:
                what = (
                    _area_text(before, after)
                    if before is not None and after is not None
                    else (
                        "area change known once the CRS is"
                        if lonlat is None
                        else "area not measurable"
                    )
                )
                shown.append(f"{labels[i]!r}: {what}")
            more = f"; and {len(changes) - _LISTED} more" if len(changes) > _LISTED else ""
            total = [a - b for _, _, b, a in changes if a is not None and b is not None]
            total_text = (
                f" In all: {sum(total):+.2f} ha ({sum(total) * 10_000:+,.0f} m²)." if total else ""
            )
            result.questions.append(
                Question(
                    "repair",
                    f"{file}: {len(changes)} invalid geometry(ies) can be made valid (shapely "
                    f"make_valid, structure method); geodesic area before → after: "
                    f"{'; '.join(shown)}{more}.{total_text}",
                    "make-valid",
                )
            )
    return result


def _placeable_any_kind(geoms: np.ndarray) -> np.ndarray:
    names = _type_names(geoms)
    known = np.isin(names, [t for types in GEOMETRY_KINDS.values() for t in types])
    return known & ~shapely.is_empty(geoms) & ~non_finite(geoms)


def _same_family(geom_type: str) -> tuple[str, ...]:
    for types in GEOMETRY_KINDS.values():
        if geom_type in types:
            return types
    return (geom_type,)
