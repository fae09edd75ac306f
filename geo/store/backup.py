"""Rolling backups of the embedded store (the GeoPackage) and restoring the last good one.

A backup is a consistent copy of ``lsz.gpkg`` made with SQLite's online backup API (safe while
the app reads and writes it), written as ``<data>/backups/lsz-<UTC time>.gpkg``; the newest
:data:`BACKUPS_KEPT` are kept and older ones removed. ``make run`` takes one before starting
the app, and ``python -m geo backup`` takes one at any time (from cron, say).

:func:`restore` puts a backup (by default the newest that passes SQLite's ``quick_check``)
in place of the store; the store file it replaces is kept beside it as
``lsz.damaged-<UTC time>.gpkg`` (with its journal), never deleted.

A store a writer was killed in the middle of (its ``-journal`` left "hot") is not damaged:
SQLite rolls the journal back on the next ordinary open. :func:`store_problem` checks it on a
private copy rolled back there, and :func:`backup` lets SQLite roll it back first.

A PostGIS store is backed up by its operator with ``pg_dump`` (see the README): these
functions refuse it.

Examples
--------
>>> import tempfile
>>> from geo.store import open_store
>>> folder = Path(tempfile.mkdtemp())
>>> open_store(f"sqlite:///{folder}/lsz.gpkg", seed=None).close()
>>> copy = backup(folder / "lsz.gpkg", now=datetime(2026, 12, 2, 1, 30, tzinfo=UTC))
>>> copy.relative_to(folder).as_posix(), store_problem(copy)
('backups/lsz-20261202T013000000000Z.gpkg', None)
>>> _ = (folder / "lsz.gpkg").write_bytes(b"not a database at all")
>>> store_problem(folder / "lsz.gpkg")
'file is not a database'
>>> restore(folder / "lsz.gpkg") == copy, store_problem(folder / "lsz.gpkg")
(True, None)
"""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from geo.errors import StoreError

__all__ = [
    "BACKUPS_KEPT",
    "BACKUP_FOLDER",
    "RESTORE_COMMAND",
    "STORE_TABLES",
    "StoreDamagedError",
    "backup",
    "backup_time",
    "backups",
    "is_unborn",
    "last_good_backup",
    "restore",
    "restore_command",
    "store_problem",
]

#: Backups kept; the oldest goes when a new one is taken.
BACKUPS_KEPT: Final = 10
#: The folder beside the store that holds its backups.
BACKUP_FOLDER: Final = "backups"
#: What SQLite keeps beside a database file while writing it (moved with a damaged file:
#: a hot journal left beside a restored file would be rolled into it).
_SIDECARS: Final = ("-journal", "-wal", "-shm")
#: The layer tables of :mod:`geo.store.core` (``lsz_meta``, ``lsz_layers``, ``lsz_features``):
#: a file without one of them is not a store. (The audit and account tables are added to an
#: older store when it is opened.) Named here so that this module needs no SQLAlchemy.
STORE_TABLES: Final = ("lsz_meta", "lsz_layers", "lsz_features")
#: The command that restores a backup, as the README writes it (run from the repository).
RESTORE_COMMAND: Final = ".venv/bin/python -m geo restore"
_STAMP_FORMAT: Final = "%Y%m%dT%H%M%S%fZ"
#: How long a check waits for a writer holding the store's lock: as long as the store's own
#: writers wait (``geo.store.core``); a store being written is not a damaged one.
_BUSY_TIMEOUT_S: Final = 120.0


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime(_STAMP_FORMAT)


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)


def _hot_journal(exc: sqlite3.Error) -> bool:
    """Whether a read-only connection failed only because a hot journal must be rolled back."""
    return getattr(exc, "sqlite_errorname", "") == "SQLITE_READONLY_ROLLBACK"


def _check(conn: sqlite3.Connection) -> str | None:
    rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
    if rows != ["ok"]:
        return "; ".join(rows[:3])
    names = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    missing = [name for name in STORE_TABLES if name not in names]
    if missing:
        have = ", ".join(sorted(names)) or "none"
        return f"not a store: no table {', '.join(missing)} (tables: {have})"
    return None


@contextmanager
def _rolled_back_copy(path: Path) -> Iterator[Path]:
    """Yield a private copy of the store and its hot journal, rolled back there.

    The store itself is not touched; the copy is removed afterwards.
    """
    with tempfile.TemporaryDirectory(prefix="lsz-check-") as folder:
        copy = Path(folder) / path.name
        for suffix in ("", *_SIDECARS):
            if Path(f"{path}{suffix}").exists():
                shutil.copyfile(f"{path}{suffix}", f"{copy}{suffix}")
        with closing(sqlite3.connect(copy)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls back
        yield copy


def _check_rolled_back(path: Path) -> str | None:
    try:
        with _rolled_back_copy(path) as copy, closing(sqlite3.connect(copy)) as conn:
            return _check(conn)
    except sqlite3.DatabaseError as exc:
        return str(exc)


def is_unborn(path: Path) -> bool:
    """Return whether ``path`` is an empty database file: a store not created yet.

    SQLite writes nothing to a new file before the transaction that creates the store's
    tables commits, so a file of 0 bytes (once a hot journal, left by a first start killed
    midway, is rolled back) is a store about to be created, or whose creation was undone;
    the app creates it as if the file were missing. It is still no store to back up or
    restore (:func:`store_problem` says so).

    Examples
    --------
    >>> import tempfile
    >>> new = Path(tempfile.mkdtemp()) / "lsz.gpkg"
    >>> _ = new.write_bytes(b"")
    >>> is_unborn(new), store_problem(new)
    (True, 'not a store: no table lsz_meta, lsz_layers, lsz_features (tables: none)')
    >>> _ = new.write_bytes(b"garbage")
    >>> is_unborn(new)
    False
    """
    path = Path(path)
    try:
        if not Path(f"{path}-journal").exists():
            return path.stat().st_size == 0
        with _rolled_back_copy(path) as copy:
            return copy.stat().st_size == 0
    except (OSError, sqlite3.DatabaseError):
        return False  # unreadable: not a store about to be created (store_problem says why)


def store_problem(path: Path) -> str | None:
    """Return why the GeoPackage at ``path`` cannot be used as the store, or None if it can.

    Runs SQLite's ``quick_check`` and looks for the store's tables (:data:`STORE_TABLES`),
    without writing. A hot journal (a writer killed midway) is rolled back on a private copy
    first, as SQLite will roll it back in the store on its next ordinary open.

    Examples
    --------
    >>> import tempfile
    >>> empty = Path(tempfile.mkdtemp()) / "lsz.gpkg"
    >>> with closing(sqlite3.connect(empty)) as conn:
    ...     _ = conn.execute("CREATE TABLE notes (text)")
    >>> store_problem(empty)
    'not a store: no table lsz_meta, lsz_layers, lsz_features (tables: notes)'
    >>> store_problem(empty.with_name("missing.gpkg"))  # doctest: +ELLIPSIS
    'no file .../missing.gpkg'
    """
    path = Path(path)
    if not path.is_file():
        return f"no file {path}"
    try:
        with closing(_read_only(path)) as conn:
            return _check(conn)
    except sqlite3.DatabaseError as exc:
        if _hot_journal(exc):
            return _check_rolled_back(path)
        return str(exc)


class StoreDamagedError(StoreError):
    """The store file cannot be read as a store; it was left exactly as it is.

    Attributes
    ----------
    path : Path
        The damaged file.
    reason : str
        What :func:`store_problem` found.
    """

    def __init__(self, path: Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            f"{path}: not backed up: the store cannot be read ({reason}); the good backups "
            f"are kept. Restore the last good one with `{RESTORE_COMMAND}`"
        )

    def __reduce__(self) -> tuple:
        """Pickle with the path and the reason."""
        return (type(self), (self.path, self.reason))


def backup_time(path: Path) -> datetime | None:
    """Return when a backup was taken (from its name, UTC), or None for another name.

    Examples
    --------
    >>> backup_time(Path("data/backups/lsz-20261202T013000000000Z.gpkg"))
    datetime.datetime(2026, 12, 2, 1, 30, tzinfo=datetime.timezone.utc)
    >>> backup_time(Path("data/my-copy.gpkg")) is None
    True
    """
    name = Path(path).name
    if not (name.startswith("lsz-") and name.endswith(".gpkg")):
        return None
    try:
        taken = datetime.strptime(name.removeprefix("lsz-").removesuffix(".gpkg"), _STAMP_FORMAT)
    except ValueError:
        return None
    return taken.replace(tzinfo=UTC)


def restore_command(store_path: Path, chosen: Path | None = None) -> str:
    """Return the shell command that restores ``chosen`` (default: the newest good backup).

    ``LSZ_DATA_DIR`` is named when the store is not in the repository's ``data/`` folder, so
    that the command restores this store and no other.

    Examples
    --------
    >>> from geo.store.core import DEFAULT_DATA_DIR
    >>> store = DEFAULT_DATA_DIR / "lsz.gpkg"
    >>> restore_command(store, store.parent / "backups" / "lsz-20261202T013000000000Z.gpkg")
    ... # doctest: +ELLIPSIS
    '.venv/bin/python -m geo restore .../data/backups/lsz-20261202T013000000000Z.gpkg'
    >>> restore_command(Path("/srv/lsz data/lsz.gpkg"))
    "LSZ_DATA_DIR='/srv/lsz data' .venv/bin/python -m geo restore"
    """
    from geo.store.core import DATA_DIR_ENV, DEFAULT_DATA_DIR

    store_path = Path(store_path).absolute()
    command = RESTORE_COMMAND if chosen is None else f"{RESTORE_COMMAND} {shlex.quote(str(chosen))}"
    if store_path.parent == DEFAULT_DATA_DIR:
        return command
    return f"{DATA_DIR_ENV}={shlex.quote(str(store_path.parent))} {command}"


def backups(folder: Path) -> list[Path]:
    """Return the backups in ``folder``, oldest first (their names sort by time)."""
    return sorted(Path(folder).glob("lsz-*.gpkg"))


def backup(store_path: Path, *, keep: int = BACKUPS_KEPT, now: datetime | None = None) -> Path:
    """Copy the store into ``<its folder>/backups/lsz-<UTC>.gpkg``; keep the newest ``keep``.

    A store with a hot journal (a writer killed midway, see :func:`store_problem`) is
    opened as the app opens it, which rolls the journal back, then copied.

    Raises
    ------
    StoreDamagedError
        When the store is missing or damaged: a damaged store is never backed up over the
        good backups, and is left exactly as it is (restore a backup instead).
    StoreError
        When the copy cannot be written.
    """
    store_path = Path(store_path)
    problem = store_problem(store_path)
    if problem is not None:
        raise StoreDamagedError(store_path, problem)
    folder = store_path.parent / BACKUP_FOLDER
    target = folder / f"lsz-{_stamp(now)}.gpkg"
    part = target.with_name(target.name + ".part")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with closing(_source(store_path)) as source, closing(sqlite3.connect(part)) as copy:
            source.backup(copy)
        os.replace(part, target)
    except (OSError, sqlite3.Error) as exc:
        part.unlink(missing_ok=True)
        raise StoreError(f"{target}: the backup cannot be written ({exc})") from exc
    for old in backups(folder)[: max(len(backups(folder)) - keep, 0)]:
        old.unlink()
    return target


def _source(store_path: Path) -> sqlite3.Connection:
    """Open a good store to copy: read-only, unless a hot journal needs rolling back."""
    conn = _read_only(store_path)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        conn.close()
        if not _hot_journal(exc):
            raise
        # SQLite's own recovery, as any open of the store does.
        return sqlite3.connect(store_path, timeout=_BUSY_TIMEOUT_S)
    return conn


def last_good_backup(folder: Path) -> Path | None:
    """Return the newest backup in ``folder`` that passes :func:`store_problem`, or None."""
    return next((p for p in reversed(backups(folder)) if store_problem(p) is None), None)


def restore(store_path: Path, chosen: Path | None = None, *, now: datetime | None = None) -> Path:
    """Put a backup in place of the store; return the backup used.

    Parameters
    ----------
    store_path : Path
        The store file (``lsz.gpkg``); it may be missing or damaged.
    chosen : Path or None
        The backup to restore; default :func:`last_good_backup` of the store's backups.
    now : datetime or None
        Names the kept damaged file (default: now).

    Raises
    ------
    StoreError
        When there is no good backup, or the chosen one is damaged; the store is untouched.
    """
    store_path = Path(store_path)
    folder = store_path.parent / BACKUP_FOLDER
    chosen = last_good_backup(folder) if chosen is None else Path(chosen)
    if chosen is None:
        raise StoreError(f"{store_path}: no good backup in {folder} to restore")
    problem = store_problem(chosen)
    if problem is not None:
        raise StoreError(f"{chosen}: cannot be restored: {problem}; the store is untouched")
    part = store_path.with_name(store_path.name + ".restoring")
    with closing(_read_only(chosen)) as source, closing(sqlite3.connect(part)) as copy:
        source.backup(copy)
    stamp = _stamp(now)
    for suffix in ("", *_SIDECARS):
        old = Path(f"{store_path}{suffix}")
        if old.exists():
            os.replace(old, store_path.with_name(f"lsz.damaged-{stamp}.gpkg{suffix}"))
    os.replace(part, store_path)
    return chosen
