"""Rolling backups of the embedded store (the GeoPackage) and restoring the last good one.

A backup is a consistent copy of ``lsz.gpkg`` made with SQLite's online backup API (safe while
the app reads and writes it), written as ``<data>/backups/lsz-<UTC time>.gpkg``; the newest
:data:`BACKUPS_KEPT` are kept and older ones removed. ``make run`` takes one before starting
the app, and ``python -m geo backup`` takes one at any time (from cron, say).

:func:`restore` puts a backup (by default the newest that passes SQLite's ``quick_check``)
in place of the store; the store file it replaces is kept beside it as
``lsz.damaged-<UTC time>.gpkg`` (with its journal), never deleted.

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
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from geo.errors import StoreError

__all__ = [
    "BACKUPS_KEPT",
    "BACKUP_FOLDER",
    "backup",
    "backups",
    "last_good_backup",
    "restore",
    "store_problem",
]

#: Backups kept; the oldest goes when a new one is taken.
BACKUPS_KEPT: Final = 10
#: The folder beside the store that holds its backups.
BACKUP_FOLDER: Final = "backups"
#: What SQLite keeps beside a database file while writing it (moved with a damaged file:
#: a hot journal left beside a restored file would be rolled into it).
_SIDECARS: Final = ("-journal", "-wal", "-shm")


def _stamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def store_problem(path: Path) -> str | None:
    """Return why the GeoPackage at ``path`` cannot be used as the store, or None if it can.

    Runs SQLite's ``quick_check`` and reads the layer table, without writing.
    """
    path = Path(path)
    if not path.is_file():
        return f"no file {path}"
    try:
        with closing(_read_only(path)) as conn:
            rows = [str(r[0]) for r in conn.execute("PRAGMA quick_check").fetchall()]
            conn.execute("SELECT count(*) FROM lsz_layers").fetchone()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    if rows != ["ok"]:
        return "; ".join(rows[:3])
    return None


def backups(folder: Path) -> list[Path]:
    """Return the backups in ``folder``, oldest first (their names sort by time)."""
    return sorted(Path(folder).glob("lsz-*.gpkg"))


def backup(store_path: Path, *, keep: int = BACKUPS_KEPT, now: datetime | None = None) -> Path:
    """Copy the store into ``<its folder>/backups/lsz-<UTC>.gpkg``; keep the newest ``keep``.

    Raises
    ------
    StoreError
        When the store is missing or damaged (a damaged store is never backed up over the
        good backups: restore one instead), or the copy cannot be written.
    """
    store_path = Path(store_path)
    problem = store_problem(store_path)
    if problem is not None:
        raise StoreError(
            f"{store_path}: not backed up: the store cannot be read ({problem}); restore the "
            "last good backup with `python -m geo restore`"
        )
    folder = store_path.parent / BACKUP_FOLDER
    target = folder / f"lsz-{_stamp(now)}.gpkg"
    part = target.with_name(target.name + ".part")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with closing(_read_only(store_path)) as source, closing(sqlite3.connect(part)) as copy:
            source.backup(copy)
        os.replace(part, target)
    except (OSError, sqlite3.Error) as exc:
        part.unlink(missing_ok=True)
        raise StoreError(f"{target}: the backup cannot be written ({exc})") from exc
    for old in backups(folder)[: max(len(backups(folder)) - keep, 0)]:
        old.unlink()
    return target


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
