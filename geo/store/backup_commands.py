"""``python -m geo backup`` and ``python -m geo restore [BACKUP]``: the embedded store's backups.

See :mod:`geo.store.backup`. Both refuse a PostGIS store (``DATABASE_URL``): back it up with
``pg_dump`` (README, "Backups").

Examples
--------
>>> import argparse
>>> sub = argparse.ArgumentParser().add_subparsers(dest="command")
>>> add_parsers(sub)
>>> sorted(sub.choices)
['backup', 'restore']
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Final, TextIO

from geo.errors import StoreError

__all__ = ["COMMANDS", "add_parsers", "run"]

COMMANDS: Final = ("backup", "restore")


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``backup`` and ``restore`` to ``python -m geo``'s parser."""
    backup = sub.add_parser(
        "backup",
        help="copy the embedded store into data/backups/ (the newest 10 are kept)",
        description="Copy lsz.gpkg into <data>/backups/lsz-<UTC>.gpkg with SQLite's online "
        "backup API (safe while the app runs); the newest 10 backups are kept.",
    )
    backup.add_argument(
        "--if-present",
        action="store_true",
        help="succeed when there is no store yet (nothing to back up), and when the store is "
        "damaged: it is then left as it is, not backed up, and the app runs read-only (make "
        "run uses this)",
    )
    restore = sub.add_parser(
        "restore",
        help="put a backup (default: the newest good one) in place of the embedded store",
        description="Replace lsz.gpkg by a backup (default: the newest that passes SQLite's "
        "quick_check); the replaced file is kept as lsz.damaged-<UTC>.gpkg. Stop the app first.",
    )
    restore.add_argument("backup", nargs="?", type=Path, help="the backup file to restore")


def _store_path() -> Path:
    from geo.store.core import DATABASE_URL_ENV, store_url

    if os.environ.get(DATABASE_URL_ENV, "").strip():
        raise StoreError(
            f"{DATABASE_URL_ENV} selects a PostGIS store: back it up with pg_dump and restore "
            "it with pg_restore (README, 'Backups'); backup/restore handle the embedded store"
        )
    return Path(store_url().removeprefix("sqlite:///"))


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Run ``backup`` or ``restore``; print what was done or the error; return the status.

    A damaged store is never backed up: ``backup`` says so, with what the app shows meanwhile
    and the command that restores the last good backup, and fails (status 1), except with
    ``--if-present``, where it warns and succeeds so that ``make run`` starts the app
    read-only.
    """
    from geo.store.backup import (
        BACKUP_FOLDER,
        StoreDamagedError,
        backup,
        is_unborn,
        last_good_backup,
        restore,
    )
    from geo.store.damage import StoreDamage

    try:
        path = _store_path()
        if args.command == "backup":
            if args.if_present and (not path.exists() or is_unborn(path)):
                print(f"no store at {path} yet: nothing to back up", file=out)
                return 0
            try:
                print(f"backed up {path} to {backup(path)}", file=out)
            except StoreDamagedError as exc:
                good = last_good_backup(path.parent / BACKUP_FOLDER)
                message = StoreDamage(exc.path, exc.reason, good).message()
                print(f"{'warning' if args.if_present else 'error'}: {message}", file=out)
                return 0 if args.if_present else 1
            return 0
        used = restore(path, args.backup)
        print(f"restored {path} from {used}", file=out)
        return 0
    except StoreError as exc:
        print(f"error: {exc}", file=out)
        return 1
