"""Planners' edits of stored features: validated, logged, conflict-checked, all or nothing.

:func:`edit_feature` changes fields of one feature (see :mod:`geo.feature_edits` for the
fields and the progress / status builders). One save is one database transaction:

1. the layer row is updated first (its ``version`` + 1), which queues writers of the layer
   (PostgreSQL row lock; the GeoPackage is written under ``BEGIN IMMEDIATE``);
2. if the layer moved on since ``expected_version`` and the feature changed meanwhile (an
   edit logged for it, or any write the log does not explain, such as an import), the save
   is refused with :class:`EditConflict`, which carries both values of every field in
   question: nothing is overwritten silently. Edits of *other* features of the layer
   meanwhile are not a conflict;
3. the feature as it would be after the change is checked by the rules of the data files
   (:func:`geo.collection_checks.check_feature_collection` on it, the checks between files of
   :func:`geo.checks.cross_file_problems` on the whole store with it) and
   :func:`geo.feature_edits.approval_problems`; a problem refuses the save
   (:class:`EditRefused`, one message per problem naming file, feature and field);
4. the feature row and one audit row per changed field (:mod:`geo.store.audit`) are written.

Any failure before the commit (a refused rule, a database error, an exception from the
``checkpoint`` hook, a killed process) leaves the store and the log as they were.

Examples
--------
>>> EditConflict.__mro__[1].__name__, EditRefused.__mro__[1].__name__
('StoreError', 'StoreError')
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

import numpy as np
from shapely.geometry.base import BaseGeometry
from sqlalchemy import Connection, LargeBinary, Text, bindparam, cast, func, select, update
from sqlalchemy.dialects import postgresql

from geo.checks import cross_file_problems, load_unmapped
from geo.collection_checks import check_feature_collection
from geo.errors import GeoError, StoreError
from geo.feature_edits import (
    GEOMETRY_FIELD,
    apply_changes,
    approval_problems,
    as_json,
    geometry_json,
    parse_geometry,
)
from geo.jsonfile import read_json
from geo.problems import Problem
from geo.registry import DEFAULT_REGISTRY_PATH, Registry
from geo.sources import load_sources
from geo.store import audit
from geo.store.audit import AuditEntry, EditSource, FieldChange
from geo.store.core import _SRID, Feature, Snapshot, Store, _frame

__all__ = [
    "CHECKPOINTS",
    "EditConflict",
    "EditRefused",
    "FieldConflict",
    "edit_feature",
    "history",
    "log",
    "revert",
]

#: The steps of a save at which ``checkpoint`` is called, in order, inside the transaction.
CHECKPOINTS: Final = ("feature_written", "audit_written")
#: A save retries when another layer changed between its lock and its read (PostgreSQL only:
#: in SQLite the snapshot is read under the write lock), waiting a random moment of up to
#: ``attempt * _BACKOFF_S`` first so that writers in step drift apart: at most ~2 s in all.
_ATTEMPTS: Final = 8
_BACKOFF_S: Final = 0.075
_CRS84: Final = {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}

Checkpoint = Callable[[str], None]


@dataclass(frozen=True)
class FieldConflict:
    """One field two edits disagree on.

    Attributes
    ----------
    field : str
        The field (``geometry`` for the shape).
    theirs : Any
        The value stored now (written by the other edit).
    yours : Any
        The value this edit asked for (the stored one if this edit did not touch the field).
    """

    field: str
    theirs: Any
    yours: Any


class EditConflict(StoreError):
    """The feature changed since the version an edit was made from; nothing was written.

    Attributes
    ----------
    layer_id, feature_id : str
        The feature.
    expected_version, current_version : int
        The layer version the edit was made from, and the one stored now (save again with
        ``expected_version=current_version`` once the planner chose).
    fields : tuple[FieldConflict, ...]
        Both values of every field this edit or the other changed.
    by : tuple[str, ...]
        Who made the other changes (empty when they were not edits, e.g. an import).
    """

    def __init__(
        self,
        message: str,
        *,
        layer_id: str,
        feature_id: str,
        expected_version: int,
        current_version: int,
        fields: Sequence[FieldConflict],
        by: Sequence[str],
    ) -> None:
        super().__init__(message)
        self.layer_id = layer_id
        self.feature_id = feature_id
        self.expected_version = expected_version
        self.current_version = current_version
        self.fields = tuple(fields)
        self.by = tuple(by)


class EditRefused(StoreError):
    """An edit that breaks a rule of the data model; nothing was written.

    Attributes
    ----------
    problems : tuple[Problem, ...]
        Every problem, each naming file, feature and field.
    """

    def __init__(self, message: str, problems: Sequence[Problem]) -> None:
        super().__init__(message)
        self.problems = tuple(problems)


@dataclass(frozen=True)
class _Save:
    """One save asked for: an edit of fields (:func:`edit_feature`) or a :func:`revert`.

    ``expected_version`` is None for a revert, which applies to the feature as it is now;
    ``action`` and ``reverts`` are written to the audit log.
    """

    layer_id: str
    feature_id: str
    changes: Mapping[str, Any]
    user: str
    reason: str
    source: EditSource
    expected_version: int | None
    checkpoint: Checkpoint | None
    action: str = "edit"
    reverts: int | None = None


class _Moved(Exception):
    """Another layer changed between the snapshot and the lock: read again."""


class _Unchanged(Exception):
    """Every requested value is the stored one: nothing to write."""


def _require_text(value: object, what: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise GeoError(f"edit: expected {what} (a non-empty text); found {value!r}")


def edit_feature(
    store: Store,
    layer_id: str,
    feature_id: str,
    changes: Mapping[str, Any],
    *,
    user: str,
    reason: str,
    source: EditSource,
    expected_version: int,
    checkpoint: Checkpoint | None = None,
) -> int:
    """Change fields of one stored feature; return the layer's new version.

    Parameters
    ----------
    store : Store
        The store (either back end).
    layer_id, feature_id : str
        The feature.
    changes : Mapping[str, Any]
        Field → new value: any property but ``id``, and ``geometry`` (WKT or GeoJSON in WGS
        84, or shapely). Values equal to the stored ones are not changes.
    user : str
        Who edits (an account name).
    reason : str
        Why, for the log.
    source : EditSource
        What the edit rests on (a document, a site visit, a decision).
    expected_version : int
        The layer version the planner saw (``store.versions()[layer_id]`` when the edit form
        was filled).
    checkpoint : callable or None
        Called with each of :data:`CHECKPOINTS` as the save reaches it, inside the
        transaction; an exception it raises aborts the save (tests inject failures here).

    Returns
    -------
    int
        The layer's version after the save (unchanged when nothing changed).

    Raises
    ------
    EditConflict
        When the feature changed since ``expected_version``.
    EditRefused
        When the edited feature breaks a rule (every problem listed).
    StoreError, GeoError
        When the layer or feature is unknown, an argument is empty, or the database refuses.
    """
    _require_text(user, "the editor's name")
    _require_text(reason, "a reason")
    if not isinstance(source, EditSource):
        raise GeoError(f"edit: expected an EditSource; found {source!r}")
    if not changes:
        raise GeoError("edit: expected at least one field to change; found none")
    if not isinstance(expected_version, int) or isinstance(expected_version, bool):
        raise GeoError(
            f"edit: expected_version must be a layer version; found {expected_version!r}"
        )
    return _save(
        store,
        _Save(
            layer_id,
            feature_id,
            changes,
            user=user,
            reason=reason,
            source=source,
            expected_version=expected_version,
            checkpoint=checkpoint,
        ),
    )


def _save(store: Store, save: _Save) -> int:
    for attempt in range(_ATTEMPTS):
        if attempt:
            time.sleep(random.uniform(0, attempt * _BACKOFF_S))
        try:
            with store._writing() as conn:
                # The layer is locked first, then read: no writer of this layer can move it
                # meanwhile (in SQLite, BEGIN IMMEDIATE holds the database's one write lock,
                # so nothing moves at all). Writers queue on the lock instead of retrying.
                current = _lock_layer(store, conn, save.layer_id)
                return _save_in(store, conn, store.snapshot(), current, save)
        except _Moved:
            continue
        except _Unchanged as unchanged:
            return int(unchanged.args[0])
    raise StoreError(
        f"{store.label}: the store kept changing while this edit was checked; nothing was "
        "written: save again"
    )


def _lock_layer(store: Store, conn: Connection, layer_id: str) -> int:
    """Bump the layer's version (locking its row); return the version before."""
    t = store._t
    bumped = conn.execute(
        update(t.layers)
        .where(t.layers.c.layer_id == layer_id)
        .values(version=t.layers.c.version + 1)
        .returning(t.layers.c.version)
    ).scalar_one_or_none()
    if bumped is None:
        raise store._unknown(layer_id)
    return int(bumped) - 1


def _stamp_in(store: Store, conn: Connection, layer_id: str, locked: int) -> tuple:
    t = store._t
    rows = conn.execute(
        select(t.layers.c.layer_id, t.layers.c.version).order_by(t.layers.c.position)
    )
    versions = tuple((str(r[0]), locked if r[0] == layer_id else int(r[1])) for r in rows.all())
    return store._generation(conn) or "", versions


def _layer_features(store: Store, conn: Connection, layer_id: str) -> list[Feature]:
    t = store._t
    rows = conn.execute(
        select(t.features.c.properties, t.features.c.geom)
        .where(t.features.c.layer_id == layer_id)
        .order_by(t.features.c.position)
    ).all()
    geoms = store._load_geometries([r[1] for r in rows])
    return [Feature(r[0], g) for r, g in zip(rows, geoms, strict=True)]


def _save_in(store: Store, conn: Connection, snap: Snapshot, current: int, save: _Save) -> int:
    layer_id, feature_id, changes = save.layer_id, save.feature_id, save.changes
    expected_version, checkpoint = save.expected_version, save.checkpoint
    if _stamp_in(store, conn, layer_id, current) != snap.stamp:
        raise _Moved
    features = _layer_features(store, conn, layer_id)
    index = next((i for i, f in enumerate(features) if f.id == feature_id), None)
    entry = next(e for e in snap.entries if e["id"] == layer_id)
    file = str(entry.get("file", layer_id))
    if index is None:
        raise StoreError(
            f"{store.label}, layer {layer_id!r}: no feature {feature_id!r}; nothing was written"
        )
    old = features[index]
    where = f"{file}: feature {feature_id!r}, field {GEOMETRY_FIELD!r}"
    new_props = as_json(apply_changes(old.properties, changes))
    new_geom = (
        parse_geometry(changes[GEOMETRY_FIELD], where=where)
        if GEOMETRY_FIELD in changes
        else old.geometry
    )
    changed = _changed_fields(old, new_props, new_geom)
    if expected_version is not None and not 0 < expected_version <= current:
        raise StoreError(
            f"{store.label}, layer {layer_id!r}: expected_version {expected_version} is not a "
            f"version of the layer (1 to {current}); nothing was written"
        )
    if expected_version is not None and expected_version != current:
        conflict = _conflict(
            store, conn, layer_id, old, new_props, new_geom, expected_version, current, changed
        )
        if conflict is not None:
            raise conflict
    if not changed:
        raise _Unchanged(current)
    edited = Feature(new_props, new_geom)
    problems = _problems(store, snap, entry, features, index, edited)
    if problems:
        raise EditRefused(
            f"{store.label}, layer {layer_id!r}: the edit of feature {feature_id!r} breaks "
            f"{len(problems)} rule(s); nothing was written\n" + "\n".join(str(p) for p in problems),
            problems,
        )
    _write_feature(store, conn, layer_id, feature_id, edited)
    if checkpoint is not None:
        checkpoint(CHECKPOINTS[0])
    audit.record(
        conn,
        user=save.user,
        layer_id=layer_id,
        feature_id=feature_id,
        changes=changed,
        reason=save.reason,
        source=save.source,
        layer_version=current + 1,
        action=save.action,
        reverts=save.reverts,
    )
    if checkpoint is not None:
        checkpoint(CHECKPOINTS[1])
    store._set_meta(conn, "edited", datetime.now(UTC).isoformat(timespec="seconds"))
    return current + 1


def _value(feature: Feature, field: str) -> Any:
    if field == GEOMETRY_FIELD:
        return geometry_json(feature.geometry)
    return feature.properties.get(field)


def _changed_fields(
    old: Feature, new_props: Mapping[str, Any], new_geom: BaseGeometry
) -> list[FieldChange]:
    changed = [
        FieldChange(key, old.properties.get(key), value)
        for key, value in new_props.items()
        if key not in old.properties or old.properties[key] != value
    ]
    old_shape, new_shape = geometry_json(old.geometry), geometry_json(new_geom)
    if old_shape != new_shape:
        changed.append(FieldChange(GEOMETRY_FIELD, old_shape, new_shape))
    return changed


def _conflict(
    store: Store,
    conn: Connection,
    layer_id: str,
    stored: Feature,
    new_props: Mapping[str, Any],
    new_geom: BaseGeometry,
    expected: int,
    current: int,
    changed: Sequence[FieldChange],
) -> EditConflict | None:
    """Return the conflict when ``stored`` changed after ``expected`` (None if it did not)."""
    logged = audit.versions_logged(conn, layer_id, expected)
    explained = logged == list(range(expected + 1, current + 1))
    theirs = audit.entries(conn, layer_id=layer_id, feature_id=stored.id, after_version=expected)
    if explained and not theirs:
        return None  # only other features of the layer were edited meanwhile
    fields = [c.field for c in changed]
    fields += [e.field for e in theirs if e.field not in fields]
    edited = Feature(new_props, new_geom)
    both = [FieldConflict(f, _value(stored, f), _value(edited, f)) for f in fields]
    by = tuple(dict.fromkeys(e.user for e in theirs))
    what = (
        f"edited by {', '.join(by)}"
        if explained
        else "rewritten by a write that is not an edit (an import or a seed)"
    )
    shown = "\n".join(
        f"  {c.field}: theirs {json.dumps(c.theirs, ensure_ascii=False)[:80]}; "
        f"yours {json.dumps(c.yours, ensure_ascii=False)[:80]}"
        for c in both
    )
    return EditConflict(
        f"{store.label}, layer {layer_id!r}: feature {stored.id!r} was {what} since version "
        f"{expected} (now {current}); nothing was written. Choose a value for each field and "
        f"save again from version {current}:\n{shown}",
        layer_id=layer_id,
        feature_id=stored.id,
        expected_version=expected,
        current_version=current,
        fields=both,
        by=by,
    )


def _registry(store: Store, snap: Snapshot) -> Registry:
    """Return the stored layers' registry, with the seed registry's extent and targets.

    The store keeps the layer entries only; the extent and the distance targets of
    ``layers/registry.json`` apply where the layers they name are stored.
    """
    seed = read_json(DEFAULT_REGISTRY_PATH)
    stored = {str(e["id"]) for e in snap.entries}
    doc: dict[str, Any] = {"layers": snap.entries}
    targets = [t for t in seed.get("distance_targets", []) if t.get("layer") in stored]
    if targets:
        doc["distance_targets"] = targets
    extent = seed.get("extent")
    if isinstance(extent, Mapping) and extent.get("layer") in stored:
        doc["extent"] = extent
    return Registry.from_dict(
        doc, base_dir=DEFAULT_REGISTRY_PATH.parent, file=f"{store.label} (lsz_layers)"
    )


def _reference(registry: Registry) -> tuple[set[str], list[dict[str, Any]]]:
    """Return the source ids and the unmapped items the checks compare with."""
    sources_path = registry.sources_path or DEFAULT_REGISTRY_PATH.parent / "sources.json"
    source_ids = set(load_sources(sources_path))
    unmapped_path = registry.unmapped_path
    unmapped = (
        load_unmapped(unmapped_path, source_ids=source_ids)
        if unmapped_path is not None and unmapped_path.exists()
        else []
    )
    return source_ids, unmapped


def _feature_problems(
    entry: Mapping[str, Any], feature: Feature, source_ids: set[str]
) -> list[Problem]:
    doc = {
        "type": "FeatureCollection",
        "crs": _CRS84,
        "features": [
            {
                "type": "Feature",
                "properties": dict(feature.properties),
                "geometry": geometry_json(feature.geometry),
            }
        ],
    }
    return list(
        check_feature_collection(
            doc,
            file=str(entry.get("file", entry["id"])),
            geometry_kind=str(entry["geometry_kind"]),
            schema=str(entry["schema"]),
            source_ids=source_ids,
        ).problems
    )


def _problems(
    store: Store,
    snap: Snapshot,
    entry: Mapping[str, Any],
    features: Sequence[Feature],
    index: int,
    edited: Feature,
) -> list[Problem]:
    """Return the problems the edit brings (those the feature or store had already excepted)."""
    registry = _registry(store, snap)
    source_ids, unmapped = _reference(registry)
    old = features[index]
    file = str(entry.get("file", entry["id"]))
    before = {str(p) for p in _feature_problems(entry, old, source_ids)}
    problems = [p for p in _feature_problems(entry, edited, source_ids) if str(p) not in before]
    problems += approval_problems(old.properties, edited.properties, file=file)
    if problems:
        return problems  # the checks between files need a well-formed feature
    layer_id = str(entry["id"])
    crs = str(snap.layers[layer_id].attrs.get("source_crs"))
    after_layers = dict(snap.layers)
    after_layers[layer_id] = _frame(
        layer_id, crs, [*features[:index], edited, *features[index + 1 :]]
    )
    before_cross = {
        str(p) for p in cross_file_problems(snap.layers, registry, source_ids, unmapped)
    }
    return [
        p
        for p in cross_file_problems(after_layers, registry, source_ids, unmapped)
        if str(p) not in before_cross
    ]


def _write_feature(
    store: Store, conn: Connection, layer_id: str, feature_id: str, feature: Feature
) -> None:
    t = store._t
    text = json.dumps(dict(feature.properties), ensure_ascii=False, allow_nan=False)
    [blob] = store._bind_geometries(_array(feature.geometry))
    statement = update(t.features).where(
        t.features.c.layer_id == layer_id, t.features.c.feature_id == feature_id
    )
    if store.dialect == "postgresql":
        statement = statement.values(
            properties=cast(bindparam("p", type_=Text), postgresql.JSON),
            geom=func.ST_GeomFromWKB(bindparam("g", type_=LargeBinary), _SRID),
        )
        done = conn.execute(statement, {"p": text, "g": blob})
    else:
        done = conn.execute(statement.values(properties=text, geom=blob))
    if done.rowcount != 1:
        raise StoreError(
            f"{store.label}, layer {layer_id!r}: feature {feature_id!r} was not written "
            f"({done.rowcount} rows); nothing was written"
        )


def _array(geom: BaseGeometry) -> np.ndarray:
    return np.array([geom], dtype=object)


# ---------------------------------------------------------------------- history and revert


def history(store: Store, layer_id: str, feature_id: str) -> list[AuditEntry]:
    """Return every logged change of one feature, oldest first."""
    with store._reading() as conn:
        return audit.entries(conn, layer_id=layer_id, feature_id=feature_id)


def log(store: Store) -> list[AuditEntry]:
    """Return the whole audit log, oldest first."""
    with store._reading() as conn:
        return audit.entries(conn)


def revert(
    store: Store,
    audit_entry_id: int,
    *,
    user: str,
    reason: str,
    source: EditSource | None = None,
    checkpoint: Checkpoint | None = None,
) -> int:
    """Set the fields of a logged save back to their old values, as a new logged change.

    The save that wrote entry ``audit_entry_id`` may have changed several fields together
    (progress: the figure, its date, source and history; status: the status and its
    milestone); they were checked together, so they are set back together. The revert is
    checked by the same rules as an edit and applies to the feature as it is now.

    Returns
    -------
    int
        The layer's new version.

    Raises
    ------
    StoreError
        When there is no such entry, it is a re-seed, or the revert breaks a rule.
    """
    _require_text(user, "the editor's name")
    _require_text(reason, "a reason")
    with store._reading() as conn:
        target = audit.entry(conn, audit_entry_id)
        if target is None:
            raise StoreError(f"{store.label}: no audit entry #{audit_entry_id}")
        if target.action == "seed":
            raise StoreError(
                f"{store.label}: audit entry #{audit_entry_id} is a re-seed, which cannot be "
                "reverted (seed again from the files that were replaced)"
            )
        saved = [
            e
            for e in audit.entries(conn, layer_id=target.layer_id, feature_id=target.feature_id)
            if e.layer_version == target.layer_version
        ]
    return _save(
        store,
        _Save(
            target.layer_id,
            target.feature_id,
            {e.field: e.old for e in saved},
            user=user,
            reason=reason,
            source=source or EditSource("decision", f"revert of audit entry #{audit_entry_id}"),
            expected_version=None,
            checkpoint=checkpoint,
            action="revert",
            reverts=audit_entry_id,
        ),
    )
