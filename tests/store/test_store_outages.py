"""The store when the disk is full, the store is read-only, or PostGIS goes away and comes back.

How the faults are made, without root tricks or mocks:

- **Disk full**: SQLite's ``PRAGMA max_page_count`` caps the file at its current size on every
  connection of the store, so the next write that needs a new page fails exactly as on a
  full disk (SQLite reports ``database or disk is full`` in both cases). A real full file
  system would need a loop device (root, a kernel module) and would fill the test machine.
- **Read-only data folder**: the tests may run as root, where ``chmod`` does not stop a
  write; the store is opened through SQLite's read-only URI (``file:…?mode=ro&uri=true``),
  which refuses every write as a read-only file or folder does
  (``attempt to write a readonly database``).
- **PostGIS away**: a throwaway PostgreSQL server of this test's own (not the session's) is
  stopped and started again while one :class:`~geo.store.Store` object stays open.

In each case the message says what happened in words a planner can act on, and everything
stored before is still there, unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event

from geo.errors import StoreError
from geo.store import LayerWrite, open_store
from geo.store.core import Feature, Store, _parse_url
from tests.store.conftest import PostgresServer, _pg_bin
from tests.store.edit_fixtures import entry, everything, layer_writes


def big_layer(n: int = 3_000) -> LayerWrite:
    from shapely import Point

    features = [
        Feature({"id": f"well-{i}", "name": "x" * 200}, Point(106.6 + i / 10_000, 21.9))
        for i in range(n)
    ]
    return LayerWrite(entry("wells", "point", "context", "town"), features)


@pytest.fixture
def gpkg(tmp_path: Path) -> Iterator[Store]:
    store = open_store(f"sqlite:///{tmp_path}/lsz.gpkg", seed=None)
    store.write(layer_writes())
    yield store
    store.close()


def test_a_full_disk_while_saving_says_so_and_loses_nothing(gpkg):
    before = everything(gpkg)
    with gpkg.engine.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar_one()

    @event.listens_for(gpkg.engine, "connect")
    def _full(dbapi_connection, _record) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    gpkg.engine.dispose()  # every connection from now on has the cap
    with pytest.raises(StoreError) as caught:
        gpkg.write([big_layer()])
    message = str(caught.value)
    assert message.startswith(f"{gpkg.label}: the disk is full")
    assert (
        "nothing was written" in message and f"free space in {Path(gpkg.label).parent}" in message
    )
    assert everything(gpkg) == before


def test_a_read_only_store_refuses_to_save_clearly_and_keeps_its_data(gpkg, tmp_path):
    before = everything(gpkg)
    gpkg.close()
    read_only = Store(_parse_url(f"sqlite:///file:{tmp_path}/lsz.gpkg?mode=ro&uri=true"))
    try:
        assert everything(read_only) == before  # it still reads
        with pytest.raises(StoreError) as caught:
            read_only.write([big_layer(10)])
        message = str(caught.value)
        assert message.startswith(f"{tmp_path}/lsz.gpkg: the store is read-only")
        assert "nothing was written" in message
        assert everything(read_only) == before
    finally:
        read_only.close()


@pytest.fixture
def own_postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for this test alone: it is stopped and started again."""
    bin_dir = _pg_bin()
    assert bin_dir is not None, "PostgreSQL is needed: run `make test`"
    server = PostgresServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


def pg_ctl(server: PostgresServer, *args: str) -> None:
    server._run(str(server.bin_dir / "pg_ctl"), "-D", str(server.data), *args)


def test_postgis_going_away_is_said_and_the_same_store_recovers(own_postgres):
    server = own_postgres
    store = open_store(server.new_database(), seed=None)
    try:
        store.write(layer_writes())
        before = everything(store)
        pg_ctl(server, "-m", "fast", "-w", "stop")
        with pytest.raises(StoreError) as caught:
            store.versions()
        message = str(caught.value)
        assert message.startswith(f"the database at {store.label} is not reachable")
        assert "reconnects by itself" in message
        with pytest.raises(StoreError, match=r"is not reachable .*nothing was written"):
            store.write([big_layer(10)])
        options = f"-p {server.port} -k {server.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        pg_ctl(server, "-l", str(server.folder / "server.log"), "-o", options, "-w", "start")
        # The same Store object, no restart: the pool pings and reconnects.
        assert everything(store) == before
        store.write([big_layer(10)])
        assert len(store.features("wells")) == 10
    finally:
        store.close()
