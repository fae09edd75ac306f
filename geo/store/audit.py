"""The audit log: one row per changed field, append-only, enforced by the database.

Every edit (:mod:`geo.store.edits`) appends one row per field it changes, in the same
transaction as the change: who, when (UTC), layer, feature, field, the old and the new value
(JSON), the reason, the source the edit rests on (a document, a site visit, a decision) and
the layer version the change produced. A forced re-seed (``python -m geo seed --force``)
appends one row too (layer, feature and field ``*``), so the log says when the layers were
replaced; the log itself is never emptied by a seed.

The table refuses ``UPDATE`` and ``DELETE`` in the database itself, whoever asks:

- GeoPackage (SQLite): ``BEFORE UPDATE`` / ``BEFORE DELETE`` triggers that
  ``RAISE(ABORT, …)``;
- PostgreSQL: a ``BEFORE UPDATE OR DELETE`` row trigger and a ``BEFORE TRUNCATE`` statement
  trigger that raise.

Examples
--------
>>> sorted(c.name for c in audit_table(MetaData()).columns)[:4]
['action', 'at', 'entry_id', 'feature_id']
>>> EditSource("site_visit", "Visit of 2026-03-02, board engineer").describe()
'site_visit: Visit of 2026-03-02, board engineer'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    func,
    insert,
    select,
    text,
)

from geo.errors import GeoError

__all__ = [
    "ACTIONS",
    "ALL",
    "AUDIT_TABLE",
    "SOURCE_KINDS",
    "AuditEntry",
    "EditSource",
    "FieldChange",
    "audit_table",
    "count",
    "create",
    "entries",
    "entry",
    "record",
    "record_seed",
    "versions_logged",
]

AUDIT_TABLE: Final = "lsz_audit"
#: What an edit rests on: a document (a source id of ``sources.json`` or a reference), a
#: visit to the site, or a decision (of the board, the province).
SOURCE_KINDS: Final = ("document", "site_visit", "decision")
#: What appended a row: an edit, the revert of an earlier row, or a forced re-seed.
ACTIONS: Final = ("edit", "revert", "seed")
#: Layer, feature and field of the row a forced re-seed appends.
ALL: Final = "*"
_MESSAGE: Final = "lsz_audit is append-only"


@dataclass(frozen=True)
class EditSource:
    """What an edit rests on.

    Parameters
    ----------
    kind : {"document", "site_visit", "decision"}
        The kind of source (:data:`SOURCE_KINDS`).
    reference : str
        Which one: a source id, a document number, the visit's date and who went.

    Raises
    ------
    GeoError
        When the kind is not one of :data:`SOURCE_KINDS` or the reference is empty.

    Examples
    --------
    >>> EditSource("rumour", "x")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.GeoError: edit source: expected a kind of document, site_visit, decision; ...
    """

    kind: str
    reference: str

    def __post_init__(self) -> None:
        """Refuse an unknown kind or an empty reference."""
        if self.kind not in SOURCE_KINDS:
            raise GeoError(
                f"edit source: expected a kind of {', '.join(SOURCE_KINDS)}; found {self.kind!r}"
            )
        if not isinstance(self.reference, str) or not self.reference.strip():
            raise GeoError(
                "edit source: expected a reference (which document, visit or decision); "
                f"found {self.reference!r}"
            )

    def describe(self) -> str:
        """Return ``kind: reference``."""
        return f"{self.kind}: {self.reference}"


@dataclass(frozen=True)
class FieldChange:
    """One field's change, as an edit hands it to :func:`record`.

    ``old`` / ``new`` are JSON values (a geometry as a GeoJSON mapping).
    """

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class AuditEntry:
    """One row of the audit log.

    Attributes
    ----------
    entry_id : int
        Increasing with time.
    at : str
        When, UTC, ISO 8601 to the microsecond (``2026-03-02T09:15:00.123456+00:00``).
    user : str
        Who (an account name).
    layer_id, feature_id, field : str
        What changed (``*`` for a re-seed).
    old, new : Any
        The JSON values before and after.
    reason : str
        Why, in the editor's words.
    source : EditSource
        What the change rests on.
    layer_version : int
        The layer version the change produced (0 for a re-seed).
    action : {"edit", "revert", "seed"}
        What appended the row.
    reverts : int or None
        For a revert, the entry it undid.
    """

    entry_id: int
    at: str
    user: str
    layer_id: str
    feature_id: str
    field: str
    old: Any
    new: Any
    reason: str
    source: EditSource
    layer_version: int
    action: str
    reverts: int | None


def audit_table(metadata: MetaData) -> Table:
    """Define the audit table in ``metadata`` (the same columns on both back ends)."""
    return Table(
        AUDIT_TABLE,
        metadata,
        Column("entry_id", Integer, primary_key=True, autoincrement=True),
        Column("at", Text, nullable=False),
        Column("user_name", Text, nullable=False),
        Column("layer_id", Text, nullable=False, index=True),
        Column("feature_id", Text, nullable=False),
        Column("field", Text, nullable=False),
        # JSON text, as json.dumps wrote it: the same bytes on both back ends.
        Column("old_value", Text, nullable=False),
        Column("new_value", Text, nullable=False),
        Column("reason", Text, nullable=False),
        Column("source_kind", Text, nullable=False),
        Column("source_ref", Text, nullable=False),
        Column("layer_version", Integer, nullable=False),
        Column("action", Text, nullable=False),
        Column("reverts", Integer, nullable=True),
    )


_TABLE: Final = audit_table(MetaData())

_SQLITE_TRIGGERS: Final = tuple(
    f"CREATE TRIGGER IF NOT EXISTS lsz_audit_no_{op.lower()} BEFORE {op} ON {AUDIT_TABLE} "
    f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}: {op} refused'); END"
    for op in ("UPDATE", "DELETE")
)
_PG_TRIGGERS: Final = (
    "CREATE OR REPLACE FUNCTION lsz_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{_MESSAGE}: % refused', TG_OP; END $$",
    "CREATE OR REPLACE TRIGGER lsz_audit_no_change BEFORE UPDATE OR DELETE ON "
    f"{AUDIT_TABLE} FOR EACH ROW EXECUTE FUNCTION lsz_audit_append_only()",
    "CREATE OR REPLACE TRIGGER lsz_audit_no_truncate BEFORE TRUNCATE ON "
    f"{AUDIT_TABLE} FOR EACH STATEMENT EXECUTE FUNCTION lsz_audit_append_only()",
)


def create(conn: Connection, dialect: str) -> None:
    """Create the audit table and its append-only triggers (idempotent)."""
    _TABLE.metadata.create_all(conn, checkfirst=True)
    for statement in _PG_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS:
        conn.execute(text(statement))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def record(
    conn: Connection,
    *,
    user: str,
    layer_id: str,
    feature_id: str,
    changes: Iterable[FieldChange],
    reason: str,
    source: EditSource,
    layer_version: int,
    action: str = "edit",
    reverts: int | None = None,
) -> list[int]:
    """Append one row per change, inside the caller's transaction; return their ids."""
    if action not in ACTIONS:
        raise ValueError(f"action must be one of {', '.join(ACTIONS)}; got {action!r}")
    at = _now()
    ids = []
    for change in changes:
        inserted = conn.execute(
            insert(_TABLE)
            .values(
                at=at,
                user_name=user,
                layer_id=layer_id,
                feature_id=feature_id,
                field=change.field,
                old_value=_dump(change.old),
                new_value=_dump(change.new),
                reason=reason,
                source_kind=source.kind,
                source_ref=source.reference,
                layer_version=layer_version,
                action=action,
                reverts=reverts,
            )
            .returning(_TABLE.c.entry_id)
        )
        ids.append(int(inserted.scalar_one()))
    return ids


def record_seed(conn: Connection, *, user: str, reason: str, generation: str) -> None:
    """Append the row of a forced re-seed (layer, feature and field ``*``)."""
    record(
        conn,
        user=user,
        layer_id=ALL,
        feature_id=ALL,
        changes=[FieldChange(ALL, None, {"generation": generation})],
        reason=reason,
        source=EditSource("decision", "python -m geo seed --force"),
        layer_version=0,
        action="seed",
    )


def _entry(row: Any) -> AuditEntry:
    return AuditEntry(
        entry_id=int(row.entry_id),
        at=row.at,
        user=row.user_name,
        layer_id=row.layer_id,
        feature_id=row.feature_id,
        field=row.field,
        old=json.loads(row.old_value),
        new=json.loads(row.new_value),
        reason=row.reason,
        source=EditSource(row.source_kind, row.source_ref),
        layer_version=int(row.layer_version),
        action=row.action,
        reverts=None if row.reverts is None else int(row.reverts),
    )


def entries(
    conn: Connection,
    *,
    layer_id: str | None = None,
    feature_id: str | None = None,
    after_version: int | None = None,
) -> list[AuditEntry]:
    """Return the rows (oldest first), optionally of one layer / feature / after a version."""
    query = select(_TABLE).order_by(_TABLE.c.entry_id)
    if layer_id is not None:
        query = query.where(_TABLE.c.layer_id == layer_id)
    if feature_id is not None:
        query = query.where(_TABLE.c.feature_id == feature_id)
    if after_version is not None:
        query = query.where(_TABLE.c.layer_version > after_version)
    return [_entry(row) for row in conn.execute(query)]


def entry(conn: Connection, entry_id: int) -> AuditEntry | None:
    """Return one row by id, or None."""
    row = conn.execute(select(_TABLE).where(_TABLE.c.entry_id == entry_id)).first()
    return None if row is None else _entry(row)


def count(conn: Connection) -> int:
    """Return how many rows the log has."""
    return int(conn.execute(select(func.count()).select_from(_TABLE)).scalar_one())


def versions_logged(conn: Connection, layer_id: str, after_version: int) -> Sequence[int]:
    """Return the distinct layer versions after ``after_version`` that edits produced."""
    rows = conn.execute(
        select(_TABLE.c.layer_version)
        .where(_TABLE.c.layer_id == layer_id, _TABLE.c.layer_version > after_version)
        .distinct()
    )
    return sorted(int(v) for v in rows.scalars())
