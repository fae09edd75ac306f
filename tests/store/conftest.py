"""Both store back ends for real: a GeoPackage in a temporary folder, and PostGIS.

The PostGIS server is Debian's PostgreSQL (``make test`` installs it with
``scripts/ensure_postgres.sh``), started once per session in a temporary folder on a free
localhost port, as the ``postgres`` system user when the tests run as root (PostgreSQL refuses
to run as root), and stopped at the end even when tests fail. Every test gets a fresh
database cloned from a template that already has the postgis extension (fast: no
``CREATE EXTENSION`` per test). Nothing is mocked and nothing is skipped: without PostgreSQL
the PostGIS tests fail and say to run ``make test``.
"""

from __future__ import annotations

import atexit
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from geo.store import open_store, store_url
from geo.store.core import Store

BACKENDS = ("gpkg", "postgis")
_MISSING = (
    "PostgreSQL with PostGIS is needed for the store tests ({what}): run `make test` "
    "(scripts/ensure_postgres.sh installs Debian's postgresql and postgresql-<major>-postgis-3)"
)
_TEMPLATE = "lsz_template"
_SUPERUSER = "lsz"


def _pg_bin() -> Path | None:
    """Return the newest /usr/lib/postgresql/<major>/bin that has initdb and pg_ctl."""
    found = []
    for bin_dir in Path("/usr/lib/postgresql").glob("*/bin"):
        if (bin_dir / "initdb").exists() and (bin_dir / "pg_ctl").exists():
            major = bin_dir.parent.name
            found.append((int(major) if major.isdigit() else 0, bin_dir))
    return max(found)[1] if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    """A throwaway PostgreSQL server in a temporary folder, run as a non-root user."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        # /tmp, not $TMPDIR: the postgres user must reach it, and the socket path is short.
        self.folder = Path(tempfile.mkdtemp(prefix="lsz-pg-", dir="/tmp"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self._as: list[str] = []
        self._names = itertools.count(1)
        self._running = False
        if os.geteuid() == 0:
            try:
                owner = pwd.getpwnam("postgres")
            except KeyError:
                pytest.fail(_MISSING.format(what="no `postgres` system user to run it as"))
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            [*self._as, *args], capture_output=True, text=True, cwd=self.folder, check=False
        )
        if done.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}{tail}")

    def start(self) -> None:
        """Create the cluster, start the server and a template database with PostGIS."""
        self._run(
            str(self.bin_dir / "initdb"),
            "-D",
            str(self.data),
            "-U",
            _SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-o",
            options,
            "-w",
            "-t",
            "120",
            "start",
        )
        self._running = True
        atexit.register(self.stop)
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(_TEMPLATE)))
        with psycopg.connect(self.url(_TEMPLATE), autocommit=True) as conn:
            conn.execute("CREATE EXTENSION postgis")

    def url(self, database: str, driver: str = "postgresql") -> str:
        """Return the URL of a database on this server."""
        return f"{driver}://{_SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Create a fresh database with PostGIS; return its ``postgresql://`` URL."""
        name = f"store_test_{next(self._names)}"
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(_TEMPLATE)
                )
            )
        return self.url(name)

    def stop(self) -> None:
        """Stop the server (immediately: its data is thrown away) and remove its folder."""
        if self._running:
            self._running = False
            pg_ctl = str(self.bin_dir / "pg_ctl")
            subprocess.run(
                [*self._as, pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop"],
                capture_output=True,
                cwd=self.folder,
                check=False,
            )
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """Start one PostgreSQL + PostGIS server for the session; stop it at the end."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.fail(_MISSING.format(what="no /usr/lib/postgresql/*/bin/initdb"))
    major = bin_dir.parent.name
    if not Path(f"/usr/share/postgresql/{major}/extension/postgis.control").exists():
        pytest.fail(_MISSING.format(what=f"PostGIS is not installed for PostgreSQL {major}"))
    server = PostgresServer(bin_dir)
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(params=BACKENDS)
def store_env(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Return the environment that selects a fresh, empty store of each back end."""
    env = {"LSZ_DATA_DIR": str(tmp_path / "data")}
    if request.param == "postgis":
        env["DATABASE_URL"] = request.getfixturevalue("postgres").new_database()
    return env


@pytest.fixture
def empty_store(store_env: dict[str, str]) -> Iterator[Store]:
    """Return an empty store (tables, no layers) of each back end."""
    store = open_store(store_url(store_env), seed=None)
    yield store
    store.close()


@pytest.fixture
def seeded_store(store_env: dict[str, str]) -> Iterator[Store]:
    """Return a store of each back end seeded from layers/ on first use."""
    store = open_store(store_url(store_env))
    yield store
    store.close()
