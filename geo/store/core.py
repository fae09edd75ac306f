"""The layer store: one interface, a GeoPackage file or a PostGIS database behind it.

Which one is chosen by ``DATABASE_URL`` (:func:`store_url`): unset, the store is the
GeoPackage ``lsz.gpkg`` in the data folder (``$LSZ_DATA_DIR``, default ``<repo>/data``);
``postgresql://user:password@host:port/db`` selects PostgreSQL + PostGIS. Both are written
through SQLAlchemy Core with bound parameters; table and column names are constants of this
module, quoted by SQLAlchemy, never built from input.

Three layer tables, the same on both back ends (and ``lsz_enquiries``, investors' enquiries,
which a seed never touches: :mod:`geo.store.enquiries`):

- ``lsz_meta``: the store's ``generation`` (a new random id at every seed), schema version,
  ``seed_fingerprint`` (a digest of the seed's files) and ``edited`` (when first written to
  after the seed: such a store is never re-seeded behind its writers' back, see
  :meth:`Store.refresh`);
- ``lsz_layers``: one row per layer: its registry entry (JSON, as in ``registry.json``), the
  CRS its features came from, and its ``version`` (1 when first written, +1 at every write);
- ``lsz_features``: one row per feature: layer, position, feature id (unique in its layer),
  every property as JSON exactly as written (key order, nested lists such as ``milestones``)
  and the geometry in EPSG:4326 (PostGIS ``geometry(Geometry,4326)`` with a GiST index, or a
  GeoPackage geometry blob).

Beside them, the audit log of edits (``lsz_audit``, append-only in the database:
:mod:`geo.store.audit`) and the planners' accounts (``lsz_accounts``, ``lsz_login_failures``:
:mod:`geo.store.accounts`) are created with the store; edits are :mod:`geo.store.edits`.

Every write is one database transaction: a batch of layers is written whole or not at all.
Writers are serialised per layer (the layer row is updated first, which locks it in
PostgreSQL; SQLite writers take the file lock with ``BEGIN IMMEDIATE``), so two planners
cannot interleave; ``expected_version`` lets an edit refuse to overwrite one it did not see.

Sources and indicators are not stored: they are reviewed reference text that changes with the
code, and are read from ``layers/`` beside the seed registry.

Examples
--------
>>> import tempfile
>>> from shapely import Point
>>> folder = Path(tempfile.mkdtemp())
>>> store = open_store(f"sqlite:///{folder}/demo.gpkg", seed=None)
>>> entry = {"id": "wells", "title": {"vi": "Giếng", "en": "Wells", "zh": "井"},
...          "file": "wells.geojson", "geometry_kind": "point", "group": "context",
...          "style": "town", "visible": True, "schema": "context",
...          "source": "survey", "licence": "CC0-1.0"}
>>> well = Feature({"id": "well-1", "depth_m": [12.5, 13.0]}, Point(106.76, 21.97))
>>> store.write([LayerWrite(entry, [well])])
{'wells': 1}
>>> store.write([LayerWrite(entry, [well], expected_version=1)])
{'wells': 2}
>>> store.features("wells")[0].properties
{'id': 'well-1', 'depth_m': [12.5, 13.0]}
>>> store.write([LayerWrite(entry, [well], expected_version=1)])  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
geo.errors.StoreError: ...: layer 'wells' is at version 2, not 1: ... nothing was written
>>> store.close()
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import sqlite3
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import geopandas
import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry
from sqlalchemy import (
    Column,
    Connection,
    Engine,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    UniqueConstraint,
    bindparam,
    cast,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError
from sqlalchemy.types import TypeDecorator

from geo.checks import cross_file_problems, load_unmapped
from geo.collection_checks import check_feature_collection
from geo.crs import WGS84, transform_geometry
from geo.errors import GeoError, LayerError, StoreError
from geo.jsonfile import read_json
from geo.problems import Problem
from geo.registry import DEFAULT_REGISTRY_PATH, Registry, load_registry
from geo.sources import load_sources
from geo.store import account_tables, audit, gpkg
from geo.store.enquiries import EnquiryStore, enquiry_table
from geo.vocabulary import GEOMETRY_KINDS

__all__ = [
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "DEFAULT_DATA_DIR",
    "GPKG_NAME",
    "Feature",
    "LayerWrite",
    "SeedError",
    "Snapshot",
    "Store",
    "connect_store",
    "load_seed",
    "open_read_only",
    "open_store",
    "seed_fingerprint",
    "seed_store",
    "store_url",
]

DATABASE_URL_ENV: Final = "DATABASE_URL"
DATA_DIR_ENV: Final = "LSZ_DATA_DIR"
DEFAULT_DATA_DIR: Final = Path(__file__).resolve().parents[2] / "data"
GPKG_NAME: Final = "lsz.gpkg"
SCHEMA_VERSION: Final = "1"
#: Key of the PostgreSQL advisory lock that serialises creating and seeding a store.
_CREATE_LOCK: Final = 7_305_514_001
_SRID: Final = 4326
#: Features inserted per statement: bounded memory for large imports.
_CHUNK: Final = 1000
_SQLITE_BUSY_TIMEOUT_S: Final = 120.0
#: Tables added to the store after its first release, created by :meth:`Store.prepare` in a
#: store that lacks them (the audit log, :mod:`geo.store.audit`; accounts and login failures,
#: :mod:`geo.store.account_tables`).
_ADDED_TABLES: Final = (
    audit.AUDIT_TABLE,
    account_tables.ACCOUNTS_TABLE,
    account_tables.FAILURES_TABLE,
)
#: How psycopg words a server that cannot be reached or went away.
_UNREACHABLE: Final = re.compile(
    r"connection|could not connect|server closed|terminating|no route|timeout expired",
    re.IGNORECASE,
)
#: PostgreSQL's catalogue of installed extensions (read to tell whether PostGIS is there).
_PG_EXTENSION: Final = Table("pg_extension", MetaData(), Column("extname", Text))


@dataclass(frozen=True)
class Feature:
    """One feature as the store keeps it.

    Attributes
    ----------
    properties : Mapping[str, Any]
        Every property, ``id`` included (a non-empty string, unique in the layer); any JSON
        value, nested lists and objects kept exactly.
    geometry : BaseGeometry
        A valid, non-empty 2D geometry in EPSG:4326 (lon, lat).
    """

    properties: Mapping[str, Any]
    geometry: BaseGeometry

    @property
    def id(self) -> str:
        """Return the feature id (``properties["id"]``)."""
        return str(self.properties["id"])


@dataclass(frozen=True)
class LayerWrite:
    """A layer to write: its registry entry and all its features (they replace the old ones).

    Attributes
    ----------
    entry : Mapping[str, Any]
        The layer's registry entry, validated as ``registry.json`` entries are.
    features : Sequence[Feature]
        Every feature of the layer, in order.
    source_crs : str
        The CRS the features were read from (their geometry is already in EPSG:4326).
    expected_version : int or None
        When set, the write is refused unless the stored layer is at this version (0: the
        layer must not exist yet): an edit builds on the version it was made from.
    """

    entry: Mapping[str, Any]
    features: Sequence[Feature] = field(hash=False)
    source_crs: str = WGS84
    expected_version: int | None = None

    @property
    def layer_id(self) -> str:
        """Return the layer id of the entry."""
        return str(self.entry.get("id"))


class _Json(TypeDecorator[Any]):
    """JSON kept as written: PostgreSQL ``json`` (not ``jsonb``: it keeps key order), else TEXT."""

    impl = Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> Any:
        """Use PostgreSQL's json type there, TEXT elsewhere (GeoPackage has no JSON type)."""
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.JSON())
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        """Serialise for TEXT; PostgreSQL's json type serialises itself."""
        if value is None or dialect.name == "postgresql" or isinstance(value, str):
            return value  # a str is JSON the store serialised (and checked) already
        return json.dumps(value, ensure_ascii=False, allow_nan=False)

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        """Parse TEXT back; PostgreSQL's json type arrives parsed."""
        if value is None or dialect.name == "postgresql" or not isinstance(value, str):
            return value
        return json.loads(value)


@dataclass(frozen=True)
class _Tables:
    metadata: MetaData
    meta: Table
    layers: Table
    features: Table
    gpkg_system: tuple[Table, Table, Table] | None
    enquiries: Table


def _tables(dialect: str) -> _Tables:
    """Return the store's tables for a dialect (only the geometry column type differs)."""
    metadata = MetaData()
    meta = Table(
        "lsz_meta",
        metadata,
        Column("key", Text, primary_key=True),
        Column("value", Text, nullable=False),
    )
    layers = Table(
        "lsz_layers",
        metadata,
        Column("layer_id", Text, primary_key=True),
        Column("position", Integer, nullable=False),
        Column("version", Integer, nullable=False),
        Column("entry", _Json, nullable=False),
        Column("source_crs", Text, nullable=False),
        Column("updated_at", Text, nullable=False),
    )
    if dialect == "postgresql":
        from geoalchemy2 import Geometry

        geom_type: Any = Geometry("GEOMETRY", srid=_SRID, spatial_index=True)
        system = None
    else:
        geom_type = gpkg.GpkgGeometry()
        system = gpkg.system_tables(metadata)
    features = Table(
        "lsz_features",
        metadata,
        Column("fid", Integer, primary_key=True, autoincrement=True),
        Column(
            "layer_id",
            Text,
            ForeignKey("lsz_layers.layer_id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("position", Integer, nullable=False),
        Column("feature_id", Text, nullable=False),
        Column("properties", _Json, nullable=False),
        Column("geom", geom_type, nullable=False),
        UniqueConstraint("layer_id", "feature_id", name="lsz_features_layer_feature_id"),
    )
    return _Tables(metadata, meta, layers, features, system, enquiry_table(metadata))


def store_url(environ: Mapping[str, str] | None = None) -> str:
    """Return the store's URL: ``$DATABASE_URL``, else the GeoPackage in the data folder.

    Parameters
    ----------
    environ : Mapping[str, str] or None
        The environment to read; default ``os.environ``.

    Examples
    --------
    >>> store_url({"DATABASE_URL": "postgresql://lsz@db.example/lsz"})
    'postgresql://lsz@db.example/lsz'
    >>> store_url({"LSZ_DATA_DIR": "/srv/lsz"})
    'sqlite:////srv/lsz/lsz.gpkg'
    """
    env = os.environ if environ is None else environ
    url = env.get(DATABASE_URL_ENV, "").strip()
    if url:
        return url
    data_dir = Path(env.get(DATA_DIR_ENV, "").strip() or DEFAULT_DATA_DIR)
    return f"sqlite:///{data_dir.absolute() / GPKG_NAME}"


def connect_store(url: str | None = None) -> Store:
    """Return the store at ``url`` (default: :func:`store_url`) without creating or seeding it.

    For readers that must not change anything, such as an import's dry run; see
    :meth:`Store.is_ready`. :func:`open_store` is what everything else uses.

    Raises
    ------
    StoreError
        When the URL is not a supported store.
    """
    return Store(_parse_url(url or store_url()))


def _parse_url(url: str) -> URL:
    """Return the SQLAlchemy URL of a store URL, with the psycopg 3 driver for PostgreSQL."""
    expected = (
        "postgresql://user:password@host:port/database (PostgreSQL + PostGIS) "
        "or sqlite:///path/to/file.gpkg"
    )
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StoreError(f"{DATABASE_URL_ENV}: expected {expected}; found {url!r}") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql" and parsed.get_driver_name() in ("psycopg", "psycopg2"):
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername in ("sqlite", "sqlite+pysqlite") and parsed.database:
        if not parsed.database.endswith(".gpkg"):
            raise StoreError(f"store URL: expected a .gpkg file; found {parsed.database!r}")
        return parsed.set(drivername="sqlite+pysqlite")
    shown = parsed.render_as_string(hide_password=True)
    raise StoreError(f"{DATABASE_URL_ENV}: expected {expected}; found {shown!r}")


def open_store(url: str | None = None, *, seed: Path | None = DEFAULT_REGISTRY_PATH) -> Store:
    """Open the store at ``url`` (default: :func:`store_url`), creating it on first use.

    Parameters
    ----------
    url : str or None
        A store URL; default from the environment (``DATABASE_URL`` / ``LSZ_DATA_DIR``).
    seed : Path or None
        The registry to seed a new, empty store from; ``None`` leaves a new store empty.
        Seeding is safe when several processes open the same new store at once: one seeds,
        the others wait and find it seeded.

    Raises
    ------
    StoreError
        When the URL is not a supported store, the database cannot be reached, PostGIS is
        missing, or the seed is invalid (every problem listed; nothing written).
    """
    store = Store(_parse_url(url or store_url()))
    try:
        store.prepare(seed)
    except BaseException:  # any failure, even an interrupt: close the engine, then re-raise
        store.close()
        raise
    return store


def open_read_only(path: Path) -> Store:
    """Open the GeoPackage store at ``path`` read-only: nothing done through it can write it.

    SQLite opens the file with its read-only URI (``mode=ro``), so not even a journal is
    written beside it; nothing is created or seeded (the file must be a store already,
    see :func:`geo.store.backup.store_problem`). The app reads a backup this way when the
    store is damaged (:mod:`geo.store.damage`).

    Examples
    --------
    >>> import tempfile
    >>> from shapely import Point
    >>> folder = Path(tempfile.mkdtemp())
    >>> entry = {"id": "wells", "title": {"vi": "Giếng", "en": "Wells", "zh": "井"},
    ...          "file": "wells.geojson", "geometry_kind": "point", "group": "context",
    ...          "style": "town", "visible": True, "schema": "context",
    ...          "source": "survey", "licence": "CC0-1.0"}
    >>> well = LayerWrite(entry, [Feature({"id": "well-1"}, Point(106.76, 21.97))])
    >>> with open_store(f"sqlite:///{folder}/lsz.gpkg", seed=None) as store:
    ...     store.write([well])
    {'wells': 1}
    >>> store = open_read_only(folder / "lsz.gpkg")
    >>> store.versions(), store.read_only
    ({'wells': 1}, True)
    >>> store.write([well])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    geo.errors.StoreError: ...: the store is read-only (attempt to write a readonly database)...
    >>> store.close()
    """
    return Store(_parse_url(f"sqlite:///{Path(path).absolute()}"), read_only=True)


def seed_store(
    registry_path: Path = DEFAULT_REGISTRY_PATH,
    url: str | None = None,
    *,
    force: bool = False,
    user: str = "",
) -> tuple[str, dict[str, int]]:
    """(Re)create the store at ``url`` (default: :func:`store_url`) from a registry.

    Creating the tables and seeding are one transaction: a reader never sees an empty store.
    A store written to since its seed (an edit, an import) is re-seeded only with ``force``
    (see :meth:`Store.seed`).

    Returns
    -------
    tuple[str, dict[str, int]]
        The store's label (path or URL without password) and every layer's new version.

    Raises
    ------
    StoreError, GeoError
        As :meth:`Store.seed`; nothing is written.
    """
    with Store(_parse_url(url or store_url())) as store:
        return store.label, store.seed(registry_path, force=force, user=user)


class Store(EnquiryStore):
    """A layer store (use :func:`open_store`, which creates and seeds it).

    Besides the layers it keeps investors' enquiries (:mod:`geo.store.enquiries`:
    :meth:`add_enquiry`, :meth:`enquiries`, :meth:`enquiry`, :meth:`mark_answered`).

    Parameters
    ----------
    url : URL
        A SQLAlchemy URL: ``postgresql+psycopg://…`` or ``sqlite+pysqlite:///….gpkg``.
    read_only : bool
        Open a GeoPackage with SQLite's read-only URI (use :func:`open_read_only`).
    """

    def __init__(self, url: URL, *, read_only: bool = False) -> None:
        self.url = url
        self.dialect = url.get_backend_name()
        self.read_only = read_only
        self.label = (
            (url.database or "").removeprefix("file:")
            if self.dialect == "sqlite"
            else url.render_as_string(hide_password=True)
        )
        self._t = _tables(self.dialect)
        self.engine: Engine = self._engine()

    def __repr__(self) -> str:
        """Show the back end and where it is, never a password."""
        return f"Store({self.label!r})"

    def _engine(self) -> Engine:
        if self.dialect != "sqlite":
            return create_engine(self.url, pool_pre_ping=True)
        # An SQLite URI (``file:…?mode=ro&uri=true``, a read-only store) names the same file.
        path = Path((self.url.database or "").removeprefix("file:"))
        if self.read_only:
            # A creator, not a URI in the URL: SQLAlchemy would decode a %-escaped path
            # before SQLite reads the URI, and a "#" or "?" in a folder name would cut it.
            uri = f"file:{quote(str(path))}?mode=ro"
            engine = create_engine(
                self.url,
                creator=lambda: sqlite3.connect(
                    uri, uri=True, timeout=_SQLITE_BUSY_TIMEOUT_S, check_same_thread=False
                ),
            )
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the data folder {path.parent}: {exc}") from exc
            engine = create_engine(self.url, connect_args={"timeout": _SQLITE_BUSY_TIMEOUT_S})

        # pysqlite's own transaction handling defers BEGIN and cannot take the write lock up
        # front; SQLAlchemy's documented recipe hands BEGIN to us.
        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None
            dbapi_connection.execute("PRAGMA foreign_keys = ON")

        @event.listens_for(engine, "begin")
        def _begin(conn: Connection) -> None:
            write = conn.get_execution_options().get("lsz_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

        return engine

    def close(self) -> None:
        """Close every connection of the store."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        """Return the store itself."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Close the store."""
        self.close()

    # ------------------------------------------------------------------ transactions

    @contextmanager
    def _reading(self) -> Iterator[Connection]:
        with self._errors("read"), self.engine.connect() as conn, conn.begin():
            yield conn

    @contextmanager
    def _writing(self) -> Iterator[Connection]:
        """One write transaction: committed when the block ends, rolled back on any error."""
        with self._errors("write"), self.engine.connect() as conn:
            conn.execution_options(lsz_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except SQLAlchemyError as exc:
            reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
            raise StoreError(self._explain(exc, action, reason)) from exc

    def _explain(self, exc: SQLAlchemyError, action: str, reason: str) -> str:
        """Say what failed in words a planner can act on (SECURITY.md, "faults").

        Examples
        --------
        >>> store = Store(_parse_url("sqlite:////srv/lsz.gpkg"))
        >>> print(store._explain(OperationalError("", {}, Exception()), "write",
        ...                      "database or disk is full"))  # doctest: +NORMALIZE_WHITESPACE
        /srv/lsz.gpkg: the disk is full (database or disk is full); nothing was written:
        free space in /srv and save again
        """
        written = "; nothing was written" if action == "write" else ""
        lowered = reason.lower()
        if "disk is full" in lowered or "disk full" in lowered:
            folder = Path(self.label).parent if self.dialect == "sqlite" else "the database"
            return (
                f"{self.label}: the disk is full ({reason}){written}: free space in {folder} "
                "and save again"
            )
        if "readonly database" in lowered or "read-only" in lowered:
            return (
                f"{self.label}: the store is read-only ({reason}){written}: the data folder "
                "or the store file cannot be written; ask the operator to make it writable"
            )
        if self.dialect == "postgresql" and (
            getattr(exc, "connection_invalidated", False)
            or (isinstance(exc, OperationalError) and _UNREACHABLE.search(reason))
        ):
            return (
                f"the database at {self.label} is not reachable ({reason}){written}; the app "
                "reconnects by itself once it is back"
            )
        return f"{self.label}: the database refused to {action}: {reason}{written}"

    # ------------------------------------------------------------------ creation

    def _meta(self, conn: Connection, key: str) -> str | None:
        meta = self._t.meta
        row = conn.execute(select(meta.c.value).where(meta.c.key == key)).first()
        return None if row is None else row[0]

    def _set_meta(self, conn: Connection, key: str, value: str) -> None:
        """Set one key: an upsert, as writers of other layers may set the same key at once.

        (Delete-then-insert made two PostgreSQL writers both insert ``edited``, and the
        second fail on the primary key.)
        """
        meta = self._t.meta
        dialect_insert = postgresql.insert if self.dialect == "postgresql" else sqlite.insert
        statement = dialect_insert(meta).values(key=key, value=value)
        conn.execute(
            statement.on_conflict_do_update(
                index_elements=[meta.c.key], set_={"value": statement.excluded.value}
            )
        )

    def _generation(self, conn: Connection) -> str | None:
        return self._meta(conn, "generation")

    def is_ready(self) -> bool:
        """Return whether the store holds its tables and has been seeded (reads only).

        A store from before a table was added is not ready: :meth:`prepare` adds it.
        """
        with self._reading() as conn:
            tables = inspect(conn)
            if not all(tables.has_table(name) for name in (self._t.meta.name, *_ADDED_TABLES)):
                return False  # a store from before a table was added gets it in prepare()
            return self._generation(conn) is not None

    def prepare(self, seed: Path | None = DEFAULT_REGISTRY_PATH) -> None:
        """Create the tables and seed from ``seed`` if the store is new (idempotent).

        Raises
        ------
        StoreError
            When the database cannot be reached, lacks PostGIS, or the seed is invalid.
        """
        if self.dialect == "postgresql":
            self._check_postgis()
        if self.is_ready():
            return
        writes = load_seed(seed) if seed is not None else []
        fingerprint = seed_fingerprint(seed) if seed is not None else ""
        with self._writing() as conn:
            self._create(conn)
            if self._generation(conn) is None:  # another process may have seeded meanwhile
                self._replace_all(conn, writes, fingerprint)

    def refresh(self, seed: Path = DEFAULT_REGISTRY_PATH) -> dict[str, GeoError]:
        """Re-seed an embedded store whose seed files changed, if no one wrote to it since.

        A developer editing ``layers/`` sees the edit on the next run, as when the app read
        the files; a store someone wrote to (an import, an edit) is never replaced behind
        their back, and a shared PostGIS store is re-seeded only by ``python -m geo seed``
        (app servers with different checkouts would otherwise replace each other's seed).

        Returns
        -------
        dict[str, GeoError]
            When the changed seed breaks the data model, each broken layer's error (the store
            is left as it was); else empty.
        """
        if self.dialect != "sqlite":
            return {}
        fingerprint = seed_fingerprint(seed)
        with self._reading() as conn:
            stored, edited = self._meta(conn, "seed_fingerprint"), self._meta(conn, "edited")
        if not stored or stored == fingerprint or edited:
            return {}
        try:
            writes = load_seed(seed)
        except SeedError as exc:
            return exc.layers
        with self._writing() as conn:
            # Checked again under the write lock: another process may have been first.
            if self._meta(conn, "seed_fingerprint") == stored and not self._meta(conn, "edited"):
                self._replace_all(conn, writes, fingerprint)
        return {}

    def _check_postgis(self) -> None:
        with self._errors("connect"), self.engine.connect() as conn:
            has = conn.execute(
                select(func.count())
                .select_from(_PG_EXTENSION)
                .where(_PG_EXTENSION.c.extname == "postgis")
            ).scalar_one()
        if not has:
            raise StoreError(
                f"{self.label}: PostGIS is not installed in this database: run "
                "CREATE EXTENSION postgis; as the database owner"
            )

    def _create_lock(self, conn: Connection) -> None:
        """Take the lock that serialises creating tables (PostgreSQL; SQLite writers queue)."""
        if self.dialect == "postgresql":
            conn.execute(select(func.pg_advisory_xact_lock(_CREATE_LOCK)))

    @property
    def _enquiry_table(self) -> Table:
        return self._t.enquiries

    def _create(self, conn: Connection) -> None:
        """Create the tables (inside the creating transaction, under its lock)."""
        self._create_lock(conn)
        self._t.metadata.create_all(conn, checkfirst=True)
        audit.create(conn, self.dialect)
        account_tables.create(conn, self.dialect)
        if self._t.gpkg_system is not None:
            gpkg.register_feature_table(
                conn,
                self._t.gpkg_system,
                table_name=self._t.features.name,
                column_name="geom",
                description="Đồng Đăng – Lạng Sơn map layers (layer_id names the layer)",
            )

    def seed(
        self, registry_path: Path = DEFAULT_REGISTRY_PATH, *, force: bool = False, user: str = ""
    ) -> dict[str, int]:
        """Replace the whole store with the layers of a registry, in one transaction.

        Layers already stored keep counting versions (old + 1); others start at 1; layers not
        in the registry are removed. The store gets a new ``generation``.

        A store written to since its seed (``edited`` in ``lsz_meta``: an edit, an import) is
        refused unless ``force``: the planners' changes would be replaced. The audit log is
        never emptied: a forced seed appends a row saying so (``user``, layer and field
        ``*``), and every edit made from a version before it then meets a conflict.

        Returns
        -------
        dict[str, int]
            The new version of every layer.

        Raises
        ------
        StoreError, GeoError
            When a layer file breaks the data model (every problem listed): nothing is written.
        """
        writes = load_seed(registry_path)
        fingerprint = seed_fingerprint(registry_path)
        if self.dialect == "postgresql":
            self._check_postgis()
        with self._writing() as conn:
            self._create(conn)
            edited = self._meta(conn, "edited")
            if edited and not force:
                raise StoreError(
                    f"{self.label}: the store was written to on {edited} (an edit or an "
                    "import) after its seed; seeding would replace those changes. Nothing was "
                    "written; seed with --force to replace them (the audit log is kept)"
                )
            versions = self._replace_all(conn, writes, fingerprint)
            if edited:
                audit.record_seed(
                    conn,
                    user=user or "unknown",
                    reason=f"seed --force from {registry_path} replaced the layers edited "
                    f"since {edited}",
                    generation=self._generation(conn) or "",
                )
            return versions

    def _replace_all(
        self, conn: Connection, writes: Sequence[LayerWrite], fingerprint: str
    ) -> dict[str, int]:
        t = self._t
        old = dict(conn.execute(select(t.layers.c.layer_id, t.layers.c.version)).all())
        conn.execute(delete(t.features))
        conn.execute(delete(t.layers))
        versions = {}
        for position, write in enumerate(writes):
            versions[write.layer_id] = self._insert_layer(
                conn, write, position, old.get(write.layer_id, 0) + 1
            )
        conn.execute(delete(t.meta))
        conn.execute(
            insert(t.meta),
            [
                {"key": "generation", "value": uuid.uuid4().hex},
                {"key": "schema_version", "value": SCHEMA_VERSION},
                {"key": "seed_fingerprint", "value": fingerprint},
            ],
        )
        return versions

    # ------------------------------------------------------------------ writing

    def write(self, writes: Sequence[LayerWrite]) -> dict[str, int]:
        """Write layers (new or replacing their features) in one transaction.

        Parameters
        ----------
        writes : Sequence[LayerWrite]
            The layers; each replaces the stored layer of its id, a new id adds a layer at
            the end of the layer list.

        Returns
        -------
        dict[str, int]
            The new version of each written layer.

        Raises
        ------
        StoreError
            When an entry or a feature is invalid (naming layer, feature and field), a version
            is not the expected one, or the database refuses a row: nothing is written.
        """
        t = self._t
        with self._writing() as conn:
            versions: dict[str, int] = {}
            for write in writes:
                layer_id = write.layer_id
                # Updating the row first locks it (PostgreSQL): writers of a layer queue here.
                bumped = conn.execute(
                    update(t.layers)
                    .where(t.layers.c.layer_id == layer_id)
                    .values(version=t.layers.c.version + 1)
                    .returning(t.layers.c.version, t.layers.c.position)
                ).first()
                current = 0 if bumped is None else bumped[0] - 1
                if write.expected_version is not None and write.expected_version != current:
                    state = f"at version {current}" if current else "not stored"
                    raise StoreError(
                        f"{self.label}: layer {layer_id!r} is {state}, not "
                        f"{write.expected_version}: it changed since this edit was made; "
                        "nothing was written"
                    )
                if bumped is None:
                    position = conn.execute(
                        select(func.coalesce(func.max(t.layers.c.position) + 1, 0))
                    ).scalar_one()
                    versions[layer_id] = self._insert_layer(conn, write, position, 1)
                else:
                    conn.execute(delete(t.layers).where(t.layers.c.layer_id == layer_id))
                    versions[layer_id] = self._insert_layer(conn, write, bumped[1], bumped[0])
            if versions:
                # From now on the store holds more than its seed: never re-seeded silently.
                self._set_meta(conn, "edited", datetime.now(UTC).isoformat(timespec="seconds"))
            return versions

    def _insert_layer(
        self, conn: Connection, write: LayerWrite, position: int, version: int
    ) -> int:
        t = self._t
        kind = _check_entry(self.label, write.entry)
        conn.execute(
            insert(t.layers).values(
                layer_id=write.layer_id,
                position=position,
                version=version,
                entry=dict(write.entry),
                source_crs=write.source_crs,
                updated_at=datetime.now(UTC).isoformat(timespec="seconds"),
            )
        )
        features = list(write.features)
        for start in range(0, len(features), _CHUNK):
            chunk = features[start : start + _CHUNK]
            # Checked chunk by chunk as rows are inserted: a bad feature midway stops the
            # transaction there, after the rows before it reached the database.
            texts, geoms = _check_chunk(self.label, write.layer_id, kind, start, chunk)
            rows = [
                {
                    "layer_id": write.layer_id,
                    "position": start + offset,
                    "feature_id": feature.properties["id"],
                    "properties": text,
                    "geom": geom,
                }
                for offset, (feature, text, geom) in enumerate(
                    zip(chunk, texts, self._bind_geometries(geoms), strict=True)
                )
            ]
            conn.execute(self._insert_features, rows)
        return version

    def _bind_geometries(self, geoms: np.ndarray) -> list[bytes]:
        if self.dialect == "postgresql":
            return list(shapely.to_wkb(geoms))
        return gpkg.encode_many(geoms)

    @cached_property
    def _insert_features(self) -> Any:
        """The feature INSERT, taking checked JSON text and WKB / GeoPackage bytes as they are.

        In PostgreSQL the conversion happens in the database (``CAST(… AS json)``,
        ``ST_GeomFromWKB(…, 4326)``): twice as fast as binding GeoAlchemy2 elements
        and dicts row by row.
        """
        t = self._t
        if self.dialect != "postgresql":
            return insert(t.features)
        return insert(t.features).values(
            properties=cast(bindparam("properties", type_=Text), postgresql.JSON),
            geom=func.ST_GeomFromWKB(bindparam("geom", type_=LargeBinary), _SRID),
        )

    def _load_geometries(self, values: Sequence[Any]) -> list[BaseGeometry]:
        if not values:
            return []
        if self.dialect == "postgresql":
            # ST_AsEWKB: GEOS reads the SRID-flagged WKB directly.
            blobs = np.array([bytes(v.data) for v in values], dtype=object)
            return list(shapely.from_wkb(blobs))
        return list(gpkg.decode_many(values))

    # ------------------------------------------------------------------ reading

    def versions(self) -> dict[str, int]:
        """Return every layer's version, in layer order."""
        t = self._t
        with self._reading() as conn:
            rows = conn.execute(
                select(t.layers.c.layer_id, t.layers.c.version).order_by(t.layers.c.position)
            )
            return dict(rows.all())

    def stamp(self) -> tuple[str, tuple[tuple[str, int], ...]]:
        """Return what identifies the stored data: the generation and every layer's version.

        Any write changes it (a version goes up; a seed changes the generation), so it is a
        cache key for anything computed from the store.
        """
        t = self._t
        with self._reading() as conn:
            generation = self._generation(conn) or ""
            rows = conn.execute(
                select(t.layers.c.layer_id, t.layers.c.version).order_by(t.layers.c.position)
            )
            return generation, tuple((str(r[0]), int(r[1])) for r in rows)

    def entries(self) -> list[dict[str, Any]]:
        """Return every layer's registry entry, in layer order."""
        t = self._t
        with self._reading() as conn:
            rows = conn.execute(select(t.layers.c.entry).order_by(t.layers.c.position))
            return [dict(entry) for entry in rows.scalars()]

    def feature_ids(self) -> dict[str, str]:
        """Return feature id → layer id of every stored feature (ids only, no geometry).

        What an import checks a new layer's ids against, without reading every shape.
        """
        t = self._t
        with self._reading() as conn:
            rows = conn.execute(
                select(t.features.c.feature_id, t.features.c.layer_id)
                .order_by(t.layers.c.position, t.features.c.position)
                .join_from(t.features, t.layers)
            )
            return {str(fid): str(layer_id) for fid, layer_id in rows}

    def registry(self, base_dir: Path = DEFAULT_REGISTRY_PATH.parent) -> Registry:
        """Return the stored layers as a :class:`~geo.registry.Registry` (``path`` None).

        ``base_dir`` only resolves the entries' nominal ``file`` names.
        """
        return Registry.from_dict(
            {"layers": self.entries()}, base_dir=base_dir, file=f"{self.label} (lsz_layers)"
        )

    def source_crs(self, layer_id: str) -> str:
        """Return the CRS a layer's features were read from before they became EPSG:4326."""
        t = self._t
        with self._reading() as conn:
            value = conn.execute(
                select(t.layers.c.source_crs).where(t.layers.c.layer_id == layer_id)
            ).scalar_one_or_none()
        if value is None:
            raise self._unknown(layer_id)
        return str(value)

    def _unknown(self, layer_id: str) -> StoreError:
        known = ", ".join(self.versions()) or "none"
        return StoreError(f"{self.label}: no layer {layer_id!r} in the store; stored: {known}")

    def features(self, layer_id: str) -> list[Feature]:
        """Return a layer's features in order, properties exactly as written.

        Raises
        ------
        StoreError
            When there is no such layer (naming the stored ones).
        """
        t = self._t
        with self._reading() as conn:
            exists = conn.execute(
                select(t.layers.c.layer_id).where(t.layers.c.layer_id == layer_id)
            ).first()
            if exists is None:
                raise self._unknown(layer_id)
            rows = conn.execute(
                select(t.features.c.properties, t.features.c.geom)
                .where(t.features.c.layer_id == layer_id)
                .order_by(t.features.c.position)
            ).all()
        geoms = self._load_geometries([r[1] for r in rows])
        return [Feature(r[0], g) for r, g in zip(rows, geoms, strict=True)]

    def read_layer(self, layer_id: str) -> geopandas.GeoDataFrame:
        """Return a layer as :func:`geo.io.read_layer` does: indexed by id, in EPSG:4326.

        ``attrs`` has ``layer_id`` and ``source_crs``.
        """
        return _frame(layer_id, self.source_crs(layer_id), self.features(layer_id))

    def snapshot(self) -> Snapshot:
        """Return every layer, its entry and the stamp, all read in one consistent view.

        One read transaction (``REPEATABLE READ`` in PostgreSQL, a SQLite read transaction):
        a write committed meanwhile is either wholly in the snapshot or not at all.
        """
        t = self._t
        with self._errors("read"), self.engine.connect() as conn:
            if self.dialect == "postgresql":
                conn = conn.execution_options(isolation_level="REPEATABLE READ")
            with conn.begin():
                generation = self._generation(conn) or ""
                rows = conn.execute(
                    select(
                        t.layers.c.layer_id,
                        t.layers.c.version,
                        t.layers.c.entry,
                        t.layers.c.source_crs,
                    ).order_by(t.layers.c.position)
                ).all()
                grouped: dict[str, list[Feature]] = {str(r[0]): [] for r in rows}
                features = conn.execute(
                    select(
                        t.features.c.layer_id, t.features.c.properties, t.features.c.geom
                    ).order_by(t.features.c.layer_id, t.features.c.position)
                )
                feature_rows = features.all()
        geoms = self._load_geometries([r[2] for r in feature_rows])
        for (layer_id, props, _), geom in zip(feature_rows, geoms, strict=True):
            grouped[layer_id].append(Feature(props, geom))
        return Snapshot(
            stamp=(generation, tuple((str(r[0]), int(r[1])) for r in rows)),
            entries=[dict(r[2]) for r in rows],
            layers={str(r[0]): _frame(str(r[0]), str(r[3]), grouped[str(r[0])]) for r in rows},
        )


@dataclass(frozen=True)
class Snapshot:
    """Everything stored, read at one moment (see :meth:`Store.snapshot`); picklable.

    Attributes
    ----------
    stamp : tuple
        As :meth:`Store.stamp`: the generation and every layer's version.
    entries : list[dict]
        Every layer's registry entry, in layer order.
    layers : dict[str, geopandas.GeoDataFrame]
        Every layer as :meth:`Store.read_layer` returns it, in layer order.
    """

    stamp: tuple[str, tuple[tuple[str, int], ...]]
    entries: list[dict[str, Any]]
    layers: dict[str, geopandas.GeoDataFrame]


def _frame(layer_id: str, source_crs: str, features: Sequence[Feature]) -> geopandas.GeoDataFrame:
    """Build the GeoDataFrame :func:`geo.io.read_layer_file` would build from the same data."""
    records = [dict(f.properties) for f in features]
    frame = pd.DataFrame.from_records(records) if records else pd.DataFrame({"id": []})
    frame = frame.set_index("id")
    gdf = geopandas.GeoDataFrame(frame, geometry=[f.geometry for f in features], crs=WGS84)
    gdf.attrs["source_crs"] = source_crs
    gdf.attrs["layer_id"] = layer_id
    return gdf


# ---------------------------------------------------------------------- checks


def _check_entry(label: str, entry: Mapping[str, Any]) -> str:
    """Validate a registry entry as ``registry.json`` does; return its geometry kind."""
    try:
        registry = Registry.from_dict(
            {"layers": [dict(entry)]}, base_dir=DEFAULT_REGISTRY_PATH.parent, file=label
        )
    except GeoError as exc:
        raise StoreError(f"{exc}\nnothing was written") from None
    return registry.layers[0].geometry_kind


def _check_chunk(
    label: str, layer_id: str, kind: str, start: int, chunk: Sequence[Feature]
) -> tuple[list[str], np.ndarray]:
    """Check features ``start…`` at once; return their JSON texts and geometries.

    Geometry checks run on the whole array (shapely's vectorised predicates); the first bad
    feature is then checked alone by :func:`_check_feature`, which raises its message.
    """
    texts: list[str] = []
    first_bad: int | None = None
    for offset, feature in enumerate(chunk):
        props = feature.properties
        ok = isinstance(props, Mapping) and isinstance(feature.geometry, BaseGeometry)
        if ok:
            fid = props.get("id")
            ok = isinstance(fid, str) and bool(fid)
        if ok:
            try:
                texts.append(json.dumps(dict(props), ensure_ascii=False, allow_nan=False))
            except (TypeError, ValueError):
                ok = False
        if not ok:
            first_bad = offset
            break
    geoms = np.array([f.geometry for f in chunk[: len(texts)]], dtype=object)
    if len(geoms):
        bounds = shapely.bounds(geoms)
        kinds = [shapely.GeometryType[name.upper()].value for name in GEOMETRY_KINDS[kind]]
        good = (
            ~shapely.is_empty(geoms)
            & np.isin(shapely.get_type_id(geoms), kinds)
            & ~shapely.has_z(geoms)
            & shapely.is_valid(geoms)
            & np.isfinite(bounds).all(axis=1)
            & (bounds[:, 0] >= -180)
            & (bounds[:, 2] <= 180)
            & (bounds[:, 1] >= -90)
            & (bounds[:, 3] <= 90)
        )
        bad = np.flatnonzero(~good)
        if bad.size and (first_bad is None or bad[0] < first_bad):
            first_bad = int(bad[0])
    if first_bad is not None:
        _check_feature(label, layer_id, kind, start + first_bad, chunk[first_bad])
        raise StoreError(
            f"{label}, layer {layer_id!r}: feature #{start + first_bad} cannot be stored; "
            "nothing was written"
        )
    return texts, geoms


def _check_feature(label: str, layer_id: str, kind: str, index: int, feature: Feature) -> None:
    """Raise StoreError naming the layer, feature and field if ``feature`` cannot be stored."""
    props = feature.properties
    fid = props.get("id") if isinstance(props, Mapping) else None
    shown = fid if isinstance(fid, str) and fid else None

    def fail(name: str, expected: str, found: str) -> StoreError:
        problem = Problem(f"{label}, layer {layer_id!r}", shown, name, expected, found, index)
        return StoreError(f"{problem}; nothing was written")

    if not isinstance(props, Mapping):
        raise fail("properties", "an object", type(props).__name__)
    if shown is None:
        raise fail("id", "a non-empty string", repr(fid))
    try:
        json.dumps(dict(props), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise fail("properties", "JSON values (no NaN or infinity)", str(exc)) from None
    geom = feature.geometry
    if not isinstance(geom, BaseGeometry) or geom.is_empty:
        raise fail("geometry", "a non-empty geometry", repr(geom))
    if geom.geom_type not in GEOMETRY_KINDS[kind]:
        raise fail("geometry", f"one of {', '.join(GEOMETRY_KINDS[kind])}", geom.geom_type)
    if shapely.has_z(geom):
        raise fail("geometry", "2D coordinates", "Z values (drop them first)")
    if not geom.is_valid:
        raise fail("geometry", "a valid geometry", shapely.is_valid_reason(geom))
    minx, miny, maxx, maxy = geom.bounds
    if not (
        all(math.isfinite(v) for v in (minx, miny, maxx, maxy))
        and -180 <= minx <= maxx <= 180
        and -90 <= miny <= maxy <= 90
    ):
        raise fail(
            "geometry",
            "EPSG:4326 lon/lat (within -180..180, -90..90)",
            f"bounds {minx:g}, {miny:g}, {maxx:g}, {maxy:g}",
        )


# ---------------------------------------------------------------------- seed


def load_seed(registry_path: Path = DEFAULT_REGISTRY_PATH) -> list[LayerWrite]:
    """Read and validate every layer of a registry for writing to a store.

    The properties are kept exactly as in the files (not through a DataFrame), the
    geometries are transformed to EPSG:4326 (VN-2000 through EPSG:6960, see :mod:`geo.crs`).

    Raises
    ------
    SeedError
        Listing every problem of every layer, and of the checks between files
        (:func:`geo.checks.cross_file_problems`, as ``python -m geo validate``), when any
        breaks the data model; ``layers`` has each broken layer's error.
    GeoError
        When the registry or ``sources.json`` cannot be read.
    """
    registry_path = Path(registry_path)
    registry = load_registry(registry_path)
    raw_entries = {entry["id"]: entry for entry in read_json(registry_path)["layers"]}
    sources_path = registry.sources_path
    source_ids = set(load_sources(sources_path)) if sources_path else set()
    problems: list[str] = []
    by_layer: dict[str, GeoError] = {}
    writes: list[LayerWrite] = []
    for spec in registry.layers:
        try:
            doc = read_json(spec.file)
        except GeoError as exc:
            problems.append(str(exc))
            by_layer[spec.id] = exc
            continue
        checked = check_feature_collection(
            doc,
            file=spec.file.name,
            geometry_kind=spec.geometry_kind,
            schema=spec.schema,
            source_ids=source_ids,
        )
        problems.extend(str(p) for p in checked.problems)
        if checked.problems:
            by_layer[spec.id] = LayerError(spec.file, checked.problems)
        if checked.problems or checked.crs is None:
            continue
        features = []
        for props, geom in zip(checked.properties, checked.geometries, strict=True):
            if geom is None:  # not after a clean check; kept for the type checker
                continue
            if checked.crs != WGS84:
                geom = transform_geometry(geom, checked.crs, WGS84)
            features.append(Feature(props, geom))
        writes.append(LayerWrite(raw_entries[spec.id], features, source_crs=checked.crs))
    if not problems:
        # The checks between files, as `python -m geo validate` runs them: ids unique across
        # layers, official sizes, extent, distance targets, credits, unmapped items.
        frames = {w.layer_id: _frame(w.layer_id, w.source_crs, w.features) for w in writes}
        unmapped: list[dict[str, Any]] = []
        if registry.unmapped_path is not None and registry.unmapped_path.exists():
            try:
                unmapped = load_unmapped(registry.unmapped_path, source_ids=source_ids)
            except GeoError as exc:
                problems.append(str(exc))
        spec_of_file = {spec.file.name: spec for spec in registry.layers}
        for problem in cross_file_problems(frames, registry, source_ids, unmapped):
            problems.append(str(problem))
            spec = spec_of_file.get(problem.file)
            if spec is not None:
                by_layer.setdefault(spec.id, LayerError(spec.file, [problem]))
    if problems:
        raise SeedError(
            f"{registry_path}: the seed has {len(problems)} problem(s); nothing was written\n"
            + "\n".join(problems),
            by_layer,
        )
    return writes


class SeedError(StoreError):
    """A seed that breaks the data model; nothing was written.

    Attributes
    ----------
    layers : dict[str, GeoError]
        Each broken layer's error (with its problems), by layer id.
    """

    def __init__(self, message: str, layers: Mapping[str, GeoError]) -> None:
        super().__init__(message)
        self.layers = dict(layers)

    def __reduce__(self) -> tuple:
        """Pickle with the per-layer errors (the app's cache stores errors whole)."""
        return (type(self), (str(self), self.layers))


def seed_fingerprint(registry_path: Path = DEFAULT_REGISTRY_PATH) -> str:
    """Return a digest of a seed's files: the registry and every JSON file beside it.

    Examples
    --------
    >>> len(seed_fingerprint())
    64
    """
    folder = Path(registry_path).parent
    digest = hashlib.sha256()
    paths = [Path(registry_path), *sorted(folder.glob("*.json")), *sorted(folder.glob("*.geojson"))]
    for path in paths:
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"(unreadable)")
        digest.update(b"\0")
    return digest.hexdigest()
