"""The embedded store found damaged at start-up, and the good copy shown instead of it.

When ``lsz.gpkg`` exists but cannot be read as a store (not a database, truncated, pages that
fail SQLite's ``quick_check``, the store's tables missing: :func:`geo.store.backup.store_problem`),
the app neither stops nor touches the file: it shows the newest good backup, opened read-only
(:func:`geo.store.core.open_read_only`), or, with no good backup, the reviewed seed in
``layers/``, and says which, why, and how to restore (``ui.read_only``). Restoring is the
operator's, at the server: :attr:`StoreDamage.restore_command`.

A missing file is not damage (the store is created on first use), nor an empty one (a store
about to be created: :func:`geo.store.backup.is_unborn`), nor a store whose writer was killed
midway (SQLite rolls its journal back), nor one a writer holds locked (the check waits). A
PostGIS store is never judged here: an outage there is said as such (:mod:`geo.store.core`).

Examples
--------
>>> import tempfile
>>> from datetime import UTC
>>> from geo.store import open_store
>>> from geo.store.backup import backup
>>> folder = Path(tempfile.mkdtemp())
>>> url = f"sqlite:///{folder}/lsz.gpkg"
>>> find_damage(url) is None  # no store yet: it is created on first use
True
>>> open_store(url, seed=None).close()
>>> copy = backup(folder / "lsz.gpkg", now=datetime(2026, 12, 2, 1, 30, tzinfo=UTC))
>>> find_damage(url) is None
True
>>> _ = (folder / "lsz.gpkg").write_bytes(b"not a database at all")
>>> damage = find_damage(url)
>>> damage.reason, damage.backup == copy, damage.backup_taken.isoformat()
('file is not a database', True, '2026-12-02T01:30:00+00:00')
>>> damage.restore_command == f"LSZ_DATA_DIR={folder} .venv/bin/python -m geo restore {copy}"
True
>>> find_damage("postgresql://lsz@db.example/lsz") is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from geo.store.backup import (
    BACKUP_FOLDER,
    backup_time,
    is_unborn,
    last_good_backup,
    restore_command,
    store_problem,
)

__all__ = ["StoreDamage", "find_damage", "gpkg_path"]


@dataclass(frozen=True)
class StoreDamage:
    """A damaged store file and the good copy the app shows instead.

    Attributes
    ----------
    store : Path
        The damaged file (left exactly as it is).
    reason : str
        What :func:`geo.store.backup.store_problem` found.
    backup : Path or None
        The newest backup that passes the same check, or None: the app then shows the seed.
    """

    store: Path
    reason: str
    backup: Path | None

    @property
    def backup_folder(self) -> Path:
        """Return the folder of the store's backups."""
        return self.store.parent / BACKUP_FOLDER

    @property
    def backup_taken(self) -> datetime | None:
        """Return when :attr:`backup` was taken (UTC), or None."""
        return None if self.backup is None else backup_time(self.backup)

    @property
    def restore_command(self) -> str:
        """Return the command that puts :attr:`backup` back, or a copy's (``COPY.gpkg``)."""
        if self.backup is None:
            return f"{restore_command(self.store)} COPY.gpkg"
        return restore_command(self.store, self.backup)

    def message(self) -> str:
        """Return what ``make run`` prints (English; the app says it in every language).

        Examples
        --------
        >>> print(StoreDamage(Path("/srv/lsz.gpkg"), "file is not a database", None).message())
        ... # doctest: +NORMALIZE_WHITESPACE
        /srv/lsz.gpkg: the store cannot be read (file is not a database); it is left as it
        is and not backed up. The app runs read-only meanwhile and shows the reviewed seed
        in layers/: there is no good backup in /srv/backups. Stop the app and restore a copy
        kept elsewhere:
          LSZ_DATA_DIR=/srv .venv/bin/python -m geo restore COPY.gpkg
        or move the damaged file aside and start again to create the store afresh from layers/.
        """
        head = (
            f"{self.store}: the store cannot be read ({self.reason}); it is left as it is and "
            "not backed up"
        )
        if self.backup is None:
            return (
                f"{head}. The app runs read-only meanwhile and shows the reviewed seed in layers/: "
                f"there is no good backup in {self.backup_folder}. Stop the app and restore a "
                f"copy kept elsewhere:\n  {self.restore_command}\nor move the damaged file "
                "aside and start again to create the store afresh from layers/."
            )
        taken = self.backup_taken
        when = f" taken {taken:%Y-%m-%d %H:%M} UTC" if taken else ""
        return (
            f"{head} (the good backups are kept). The app runs read-only meanwhile and shows "
            f"the last good backup{when}. To restore it, stop the app and run:\n  "
            f"{self.restore_command}"
        )


def gpkg_path(url: str) -> Path | None:
    """Return the file of a GeoPackage store URL, or None for another back end.

    Examples
    --------
    >>> gpkg_path("sqlite:////srv/lsz/lsz.gpkg")
    PosixPath('/srv/lsz/lsz.gpkg')
    >>> gpkg_path("postgresql://lsz@db.example/lsz") is None
    True
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    return Path(parsed.database.removeprefix("file:"))


def find_damage(url: str) -> StoreDamage | None:
    """Return the damage of the GeoPackage store at ``url``, or None if it can be used.

    Reads without writing: the store file, its backups and their folder are left as they
    are. None also for a missing or empty file (a new store) and for PostGIS.
    """
    path = gpkg_path(url)
    if path is None or not path.exists() or is_unborn(path):
        return None
    reason = store_problem(path)
    if reason is None:
        return None
    return StoreDamage(path, reason, last_good_backup(path.parent / BACKUP_FOLDER))
