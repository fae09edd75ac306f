"""A damaged store file at start-up: the app opens read-only from the last good backup.

Real files only: a GeoPackage store seeded from the tiny invented layer set of
``tests/test_investor_app.py`` (so every feature it holds is in no shipped layer), with a
planner account, backed up with :func:`geo.store.backup.backup`, then damaged in several ways.
The app runs through AppTest on it; ``python -m geo backup --if-present`` and the restore
command the banner gives run as subprocesses, as ``make run`` and an operator run them.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from geo.i18n import t
from geo.jsonfile import read_json
from geo.store import LayerWrite, open_store
from geo.store.accounts import add_account
from geo.store.backup import backup, backups, store_problem
from geo.store.damage import find_damage
from tests.test_investor_app import default_layers, write_lot_layers
from tests.test_planner_app import everything_sent, subheaders, unescaped
from ui import state as ui_state
from ui.auth import sessions
from ui.data import LAYERS_DIR, REGISTRY_ENV
from ui.state import view_key

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PASSWORD = "correcthorsebattery"
TAKEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
#: A project and a lot of the fixture layers: in the backup, in no shipped layer.
BACKUP_ZONE, BACKUP_LOT = "zone-fixture", "lot-f-a1"
PAGE_SIZE = 4096


def random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(14).randbytes(path.stat().st_size))


def truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def garbage_pages(path: Path) -> None:
    """Keep the header and the first pages; overwrite the rest (fails the integrity check)."""
    data = bytearray(path.read_bytes())
    data[3 * PAGE_SIZE :] = random.Random(3).randbytes(len(data) - 3 * PAGE_SIZE)
    path.write_bytes(bytes(data))


def no_tables(path: Path) -> None:
    """A valid SQLite database with no table at all."""
    path.unlink()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("CREATE TABLE scratch (a)")
        conn.execute("DROP TABLE scratch")


DAMAGE: dict[str, Callable[[Path], None]] = {
    "random bytes": random_bytes,
    "truncated store": truncated,
    "garbage pages": garbage_pages,
    "SQLite without tables": no_tables,
}


@pytest.fixture(scope="module")
def good_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder: a good store and one backup of it (made once: hashing is slow on purpose).

    The store holds the fixture layers, a planner ``lan``, and a planner's edit (a layer
    written again), so the app never re-seeds it from ``layers/`` once it is restored.
    """
    folder = tmp_path_factory.mktemp("good") / "data"
    seed = write_lot_layers(folder.parent / "layers", default_layers())
    with open_store(f"sqlite:///{folder}/lsz.gpkg", seed=seed) as store:
        add_account(store, "lan", PASSWORD, "planner")
        entry = next(e for e in store.entries() if e["id"] == "zones")
        store.write([LayerWrite(entry, store.features("zones"))])
    backup(folder / "lsz.gpkg", now=TAKEN)
    return folder


@pytest.fixture
def data_dir(good_data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of :func:`good_data` for one test, selected as the app's data folder."""
    folder = tmp_path / "data"
    shutil.copytree(good_data, folder)
    monkeypatch.delenv(REGISTRY_ENV, raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("LSZ_DATA_DIR", str(folder))
    st.cache_resource.clear()  # no store or session table of another test
    yield folder
    st.cache_resource.clear()


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def planner_token() -> str:
    """A genuine login of ``lan`` in the server's session table (as a real login makes)."""
    from geo.store.accounts import Account

    return sessions().open(Account("lan", "planner"))


def start(page: str = "map", *, token: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(lang="en", page=page, role="admin", **query)
    if token is not None:
        at.session_state[ui_state.AUTH_TOKEN_KEY] = token
        at.session_state["role"] = "admin"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def banner(at: AppTest) -> str:
    (error,) = [unescaped(e.value) for e in at.error]
    return error


def assert_no_planner_tools(at: AppTest) -> None:
    assert "Edit" not in subheaders(at) and "History" not in subheaders(at)
    assert "Stale figures" not in subheaders(at)
    # No login form: the accounts are in the damaged store.
    assert not [w for w in at.sidebar.text_input if w.key == ui_state.LOGIN_NAME_KEY]
    assert t("readonly.login", "en") in [c.value for c in at.sidebar.caption]
    assert not at.get("file_uploader")


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_a_damaged_store_opens_read_only_from_the_last_good_backup(data_dir, damage):
    store_file = data_dir / "lsz.gpkg"
    (good,) = backups(data_dir / "backups")
    damage(store_file)
    reason = store_problem(store_file)
    assert reason is not None
    before = files(data_dir)

    at = start(token=planner_token(), feature=BACKUP_ZONE)
    text = banner(at)
    assert str(store_file) in text and f"({reason})" in text and "read-only" in text
    assert "last good backup, taken 2026-12-01 09:00 UTC" in text
    assert str(good) in " ".join(x.value for x in at.text)
    (command,) = [c.value for c in at.code]
    assert command == f"LSZ_DATA_DIR={data_dir} .venv/bin/python -m geo restore {good}"
    # The map is the backup's: the link selects its project, which is drawn and described.
    assert at.session_state[view_key("feature")] == BACKUP_ZONE
    assert f"{BACKUP_ZONE} en" in everything_sent(at)
    assert_no_planner_tools(at)
    assert files(data_dir) == before  # the damaged file and the backup, byte for byte


def test_nothing_is_written_and_no_form_is_offered_while_read_only(data_dir):
    random_bytes(data_dir / "lsz.gpkg")
    before = files(data_dir)
    token = planner_token()

    investor = start("investor", token=token, lot=BACKUP_LOT)
    assert BACKUP_LOT in everything_sent(investor)  # the lots of the backup are listed
    assert t("readonly.enquiry_form", "en") in [w.value for w in investor.warning]
    assert not [b for b in investor.button if b.proto.is_form_submitter]
    assert not investor.text_area  # no enquiry form to type into and lose
    imports = start("import", token=token)
    assert t("readonly.import", "en") in [i.value for i in imports.info]
    enquiries = start("enquiries", token=token)
    assert t("readonly.enquiries", "en") in [i.value for i in enquiries.info]
    assert not enquiries.dataframe
    for at in (investor, imports, enquiries):
        assert_no_planner_tools(at)
    tour = start("tour", token=token)  # presenting mode: one line, no paths, no command
    note = "Read-only: the map shows the last good backup, taken 2026-12-01 09:00 UTC."
    assert note in [unescaped(c.value) for c in tour.caption]
    assert not tour.code and str(data_dir) not in everything_sent(tour)

    assert files(data_dir) == before  # the damaged file and the backups, byte for byte


def test_with_no_good_backup_the_seed_is_shown_read_only(data_dir):
    store_file = data_dir / "lsz.gpkg"
    (only,) = backups(data_dir / "backups")
    truncated(only)  # the one backup is damaged too: it is not used
    random_bytes(store_file)
    before = files(data_dir)
    layers = read_json(LAYERS_DIR / "registry.json")["layers"]
    seed_layer = next(e for e in layers if e["schema"] == "project")
    seed_props = read_json(LAYERS_DIR / seed_layer["file"])["features"][0]["properties"]

    at = start(feature=seed_props["id"])
    assert at.session_state[view_key("feature")] == seed_props["id"]
    text = banner(at)
    assert str(store_file) in text and "read-only" in text
    assert f"no good backup in {data_dir / 'backups'}" in text and "layers/" in text
    (command,) = [c.value for c in at.code]
    assert command == f"LSZ_DATA_DIR={data_dir} .venv/bin/python -m geo restore COPY.gpkg"
    sent = everything_sent(at)
    assert seed_props["id"] in sent and BACKUP_ZONE not in sent
    assert_no_planner_tools(at)
    assert files(data_dir) == before


def test_the_make_run_backup_step_warns_and_lets_the_app_start(data_dir):
    store_file = data_dir / "lsz.gpkg"
    (good,) = backups(data_dir / "backups")
    garbage_pages(store_file)
    before = files(data_dir)
    done = subprocess.run(
        [sys.executable, "-m", "geo", "backup", "--if-present"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr  # make goes on to start the app
    assert done.stdout.startswith(f"warning: {store_file}: the store cannot be read (")
    assert "not backed up (the good backups are kept)" in done.stdout
    assert "runs read-only meanwhile and shows the last good backup taken 2026-12-01" in done.stdout
    assert f".venv/bin/python -m geo restore {good}" in done.stdout
    assert files(data_dir) == before
    makefile = (ROOT / "Makefile").read_text()
    run_target = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert run_target.index("-m geo backup --if-present") < run_target.index("streamlit run")


def test_after_the_restore_command_the_app_opens_read_write(data_dir):
    store_file = data_dir / "lsz.gpkg"
    no_tables(store_file)
    damaged = store_file.read_bytes()
    token = planner_token()
    (command,) = [c.value for c in start(token=token).code]

    done = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert find_damage(f"sqlite:///{store_file}") is None
    (kept,) = data_dir.glob("lsz.damaged-*.gpkg")
    assert kept.read_bytes() == damaged  # moved aside, never deleted

    at = start(token=token, feature=BACKUP_ZONE)
    assert not at.error and not at.code
    assert at.session_state[view_key("feature")] == BACKUP_ZONE
    assert "Edit" in subheaders(at)  # the same login now reaches the planner's tools
