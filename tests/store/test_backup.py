"""Rolling backups of the embedded store and restoring the last good one after a corruption."""

from __future__ import annotations

import io
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from geo.cli import main
from geo.errors import StoreError
from geo.store import open_store
from geo.store.backup import (
    BACKUPS_KEPT,
    STORE_TABLES,
    backup,
    backups,
    restore,
    store_problem,
)
from geo.store.core import _tables
from geo.store.damage import find_damage
from tests.store.edit_fixtures import everything, layer_writes

T0 = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("LSZ_DATA_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with open_store(f"sqlite:///{folder}/lsz.gpkg", seed=None) as store:
        store.write(layer_writes())
    return folder


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return main(list(argv), out=out), out.getvalue()


def corrupt(path: Path) -> None:
    """Overwrite the first page's header and a stretch in the middle with garbage."""
    data = bytearray(path.read_bytes())
    data[0:100] = b"\xde\xad" * 50
    middle = len(data) // 2
    data[middle : middle + 4096] = b"\x00\xff" * 2048
    path.write_bytes(bytes(data))


def test_only_the_newest_backups_are_kept(data_dir):
    store = data_dir / "lsz.gpkg"
    made = [backup(store, now=T0 + timedelta(minutes=n)) for n in range(BACKUPS_KEPT + 2)]
    assert backups(data_dir / "backups") == made[2:]
    assert all(store_problem(p) is None for p in made[2:])


def test_a_corrupted_store_is_restored_from_the_last_good_backup(data_dir):
    store_file = data_dir / "lsz.gpkg"
    with open_store(f"sqlite:///{store_file}", seed=None) as store:
        good = everything(store)
    assert cli("backup")[0] == 0
    corrupt(store_file)
    assert store_problem(store_file) is not None
    damaged = store_file.read_bytes()
    status, text = cli("backup")  # a damaged store never replaces a good backup
    (good_backup,) = backups(data_dir / "backups")
    assert status == 1 and text.startswith(f"error: {store_file}: the store cannot be read (")
    assert "not backed up (the good backups are kept)" in text
    assert f"python -m geo restore {good_backup}" in text
    assert store_file.read_bytes() == damaged

    status, text = cli("restore")
    assert status == 0, text
    (used,) = backups(data_dir / "backups")
    assert text.strip() == f"restored {store_file} from {used}"
    with open_store(f"sqlite:///{store_file}", seed=None) as store:
        assert everything(store) == good
    (damaged,) = data_dir.glob("lsz.damaged-*.gpkg")
    assert store_problem(damaged) is not None  # kept for a look, not deleted


def test_a_damaged_backup_is_refused_and_the_store_untouched(data_dir, tmp_path):
    bad = tmp_path / "lsz-bad.gpkg"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 200)
    before = (data_dir / "lsz.gpkg").read_bytes()
    with pytest.raises(StoreError, match="cannot be restored"):
        restore(data_dir / "lsz.gpkg", bad)
    assert (data_dir / "lsz.gpkg").read_bytes() == before
    with pytest.raises(StoreError, match="no good backup"):
        restore(data_dir / "lsz.gpkg")


def test_make_run_backs_up_only_a_store_that_exists(tmp_path, monkeypatch):
    monkeypatch.setenv("LSZ_DATA_DIR", str(tmp_path / "fresh"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert cli("backup", "--if-present") == (
        0,
        f"no store at {tmp_path}/fresh/lsz.gpkg yet: nothing to back up\n",
    )
    assert "backup --if-present" in (Path(__file__).parents[2] / "Makefile").read_text()


def test_backup_and_restore_refuse_postgis(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://lsz@127.0.0.1:1/lsz")
    for command in ("backup", "restore"):
        status, text = cli(command)
        assert status == 1 and "back it up with pg_dump" in text


#: A writer that fills the page cache (so that SQLite writes its journal and the store
#: file) in the middle of a transaction, then is killed: its ``-journal`` is left "hot".
_KILLED_WRITER = """
import os, signal, sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
for i in range(60):
    conn.execute("INSERT INTO lsz_meta VALUES (?, hex(randomblob(50000)))", (f"junk{i}",))
conn.execute("UPDATE lsz_layers SET version = version + 100")
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_a_store_whose_writer_was_killed_is_not_damaged(data_dir):
    store_file = data_dir / "lsz.gpkg"
    with open_store(f"sqlite:///{store_file}", seed=None) as store:
        good = everything(store)
    subprocess.run([sys.executable, "-c", _KILLED_WRITER, str(store_file)], check=False)
    journal = store_file.with_name("lsz.gpkg-journal")
    assert journal.stat().st_size > 0
    with pytest.raises(sqlite3.OperationalError, match="readonly"):  # a read-only open fails
        with closing(sqlite3.connect(f"file:{store_file}?mode=ro", uri=True)) as conn:
            conn.execute("PRAGMA quick_check").fetchall()
    left = (store_file.read_bytes(), journal.read_bytes())

    # Checked on a private copy: not damage (the app opens it read-write), nothing touched.
    assert store_problem(store_file) is None
    assert find_damage(f"sqlite:///{store_file}") is None
    assert (store_file.read_bytes(), journal.read_bytes()) == left

    status, text = cli("backup", "--if-present")  # SQLite rolls the journal back, then copies
    assert status == 0 and text.startswith(f"backed up {store_file} to "), text
    (copy,) = backups(data_dir / "backups")
    for path in (store_file, copy):
        with open_store(f"sqlite:///{path}", seed=None) as store:
            assert everything(store) == good


#: A writer that holds the store's lock, with pages written to the file (SQLite's exclusive
#: lock: readers wait), for a second, then commits.
_SLOW_WRITER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
for i in range(60):
    conn.execute("INSERT INTO lsz_meta VALUES (?, hex(randomblob(50000)))", (f"big{i}",))
print("locked", flush=True)
time.sleep(1)
conn.execute("COMMIT")
"""


def test_a_store_being_written_is_waited_for_not_called_damaged(data_dir):
    store_file = data_dir / "lsz.gpkg"
    writer = subprocess.Popen(
        [sys.executable, "-c", _SLOW_WRITER, str(store_file)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().strip() == "locked"
        assert find_damage(f"sqlite:///{store_file}") is None
        assert writer.poll() == 0  # the check waited for the commit
    finally:
        writer.kill()
        writer.wait()


def test_an_empty_store_file_is_a_store_to_create_not_a_damaged_one(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "lsz.gpkg").write_bytes(b"")  # as SQLite leaves a new file before its first commit
    monkeypatch.setenv("LSZ_DATA_DIR", str(folder))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert find_damage(f"sqlite:///{folder}/lsz.gpkg") is None
    assert cli("backup", "--if-present") == (
        0,
        f"no store at {folder}/lsz.gpkg yet: nothing to back up\n",
    )
    assert not (folder / "backups").exists()


def test_the_tables_a_store_needs_are_the_stores_own():
    assert set(STORE_TABLES) <= set(_tables("sqlite").metadata.tables)
