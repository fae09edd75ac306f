"""Edits on both back ends: validated, logged, append-only log, conflicts, revert, failures."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import psycopg
import pytest
import shapely
from shapely import Point, Polygon

from geo.errors import GeoError, StoreError
from geo.feature_edits import progress_changes, status_changes
from geo.measure import area_ha
from geo.store import LayerWrite, open_store, store_url
from geo.store.audit import EditSource
from geo.store.edits import (
    CHECKPOINTS,
    EditConflict,
    EditRefused,
    edit_feature,
    history,
    log,
    revert,
)
from tests.store.edit_fixtures import (
    APPROVAL,
    SOURCE,
    ZONE,
    everything,
    layer_writes,
    raw_connection,
)

ROOT = Path(__file__).resolve().parents[2]
VISIT = EditSource("site_visit", "Visit of 2026-03-02 by the board's engineer")


@pytest.fixture
def store(empty_store):
    empty_store.write(layer_writes())
    return empty_store


def version(store, layer_id="test_roads"):
    return store.versions()[layer_id]


def props(store, fid, layer_id="test_roads"):
    return next(f.properties for f in store.features(layer_id) if f.id == fid)


def edit(store, fid, changes, *, layer_id="test_roads", user="lan", expected=None, **kw):
    return edit_feature(
        store,
        layer_id,
        fid,
        changes,
        user=user,
        reason=kw.pop("reason", "board report"),
        source=kw.pop("source", VISIT),
        expected_version=version(store, layer_id) if expected is None else expected,
        **kw,
    )


# --------------------------------------------------------------------------- edit and log


def test_an_edit_writes_the_feature_and_one_log_row_per_field(store):
    before = version(store)
    new = edit(store, "road-a", {"note_vi": "Ghi chú", "note_en": "A note", "note_zh": "注"})
    assert new == before + 1 == version(store)
    stored = props(store, "road-a")
    assert (stored["note_vi"], stored["note_en"], stored["note_zh"]) == ("Ghi chú", "A note", "注")
    assert list(stored)[:3] == ["id", "name_vi", "name_en"]  # key order kept
    rows = history(store, "test_roads", "road-a")
    assert [(r.field, r.old, r.new) for r in rows] == [
        ("note_vi", None, "Ghi chú"),
        ("note_en", None, "A note"),
        ("note_zh", None, "注"),
    ]
    for row in rows:
        assert row.user == "lan" and row.reason == "board report" and row.source == VISIT
        assert row.layer_version == new and row.action == "edit"
        assert row.at.endswith("+00:00")
    assert history(store, "test_roads", "road-b") == []


def test_a_progress_edit_keeps_the_history_and_is_logged_field_by_field(store):
    changes = progress_changes(
        props(store, "road-a"),
        pct=35,
        as_of=date(2026, 2, 28),
        precision="month",
        source_id=SOURCE,
    )
    edit(store, "road-a", changes, source=EditSource("document", SOURCE))
    stored = props(store, "road-a")
    assert (stored["progress_pct"], stored["progress_as_of"], stored["progress_source"]) == (
        35,
        "2026-02-28",
        SOURCE,
    )
    assert stored["progress_history"][-1]["progress_pct"] == 35
    fields = {r.field for r in history(store, "test_roads", "road-a")}
    assert fields == {"progress_pct", "progress_as_of", "progress_source", "progress_history"}


def test_a_status_edit_adds_its_milestone(store):
    changes = status_changes(
        props(store, "road-a"),
        status="under_construction",
        day=date(2026, 3, 2),
        precision="day",
        source_id=SOURCE,
        labels={"vi": "Khởi công", "en": "Works began", "zh": "开工"},
        kind="groundbreaking",
    )
    edit(store, "road-a", changes)
    stored = props(store, "road-a")
    assert stored["status"] == "under_construction"
    assert [m["kind"] for m in stored["milestones"]] == ["approval", "groundbreaking"]


def test_a_geometry_edit_is_measured_and_checked_against_the_official_area(store):
    bigger = Polygon([(106.70, 21.90), (106.73, 21.90), (106.73, 21.92), (106.70, 21.92)])
    with pytest.raises(EditRefused, match=r"zone-t', field 'geometry': expected a geodesic area"):
        edit(store, "zone-t", {"geometry": bigger.wkt}, layer_id="test_zones")
    new_area = round(area_ha(bigger), 3)
    edit(
        store,
        "zone-t",
        {"geometry": json.dumps(shapely.geometry.mapping(bigger)), "area_ha": new_area},
        layer_id="test_zones",
    )
    [zone] = store.features("test_zones")
    assert zone.geometry.equals(bigger) and zone.properties["area_ha"] == new_area
    [geometry_row] = [r for r in history(store, "test_zones", "zone-t") if r.field == "geometry"]
    assert shapely.geometry.shape(geometry_row.old).equals(ZONE)


@pytest.mark.parametrize(
    ("layer_id", "fid", "changes", "message"),
    [
        (
            "test_roads",
            "road-b",
            {"status": "finished"},
            r"test_roads\.geojson: feature 'road-b', field 'status': expected one of planned",
        ),
        (
            "test_roads",
            "road-b",
            {"progress_pct": 140, "progress_as_of": "2026-01-01", "progress_source": SOURCE},
            r"feature 'road-b', field 'progress_pct': expected a number from 0 to 100",
        ),
        (
            "test_zones",
            "zone-t",
            {
                "geometry": "POLYGON ((106.70 21.90, 106.72 21.92, 106.72 21.90, "
                "106.70 21.92, 106.70 21.90))"
            },
            r"feature 'zone-t', field 'geometry': expected a valid geometry; found Self-inters",
        ),
        (
            "test_zones",
            "zone-t",
            {"geometry": "POINT (106.7 21.9)"},
            r"feature 'zone-t', field 'geometry': expected a Polygon or MultiPolygon",
        ),
        (
            "test_roads",
            "road-a",
            {
                "milestones": [
                    APPROVAL,
                    {**APPROVAL, "date": "2024-01-02", "kind": "other", "status": None},
                ]
            },
            r"field 'milestones\[1\]\.date': expected a date on or after 2024-04-14",
        ),
        (
            "test_roads",
            "road-a",
            {"milestones": [{**APPROVAL, "kind": "approval", "date": "2024-14-01"}]},
            r"field 'milestones\[0\]\.date'",
        ),
    ],
    ids=["unknown-status", "progress-140", "bowtie", "wrong-kind", "before-approval", "bad-date"],
)
def test_an_edit_breaking_a_rule_is_refused_and_writes_nothing(
    store, layer_id, fid, changes, message
):
    before = everything(store)
    with pytest.raises(EditRefused, match=message) as refused:
        edit(store, fid, changes, layer_id=layer_id)
    assert "nothing was written" in str(refused.value) and refused.value.problems
    assert everything(store) == before


def test_a_progress_date_before_the_approval_is_refused(store):
    changes = progress_changes(
        props(store, "road-a"), pct=5, as_of=date(2024, 1, 31), precision="month", source_id=SOURCE
    )
    before = everything(store)
    with pytest.raises(EditRefused) as refused:
        edit(store, "road-a", changes)
    fields = [p.field for p in refused.value.problems]
    assert fields == ["progress_as_of", "progress_history[0].date"]
    assert everything(store) == before


def test_an_edit_must_name_who_why_and_its_source(store):
    before = everything(store)
    with pytest.raises(GeoError, match="a reason"):
        edit(store, "road-a", {"note_en": "x"}, reason=" ")
    with pytest.raises(GeoError, match="edit source: expected a kind"):
        EditSource("hearsay", "x")
    with pytest.raises(GeoError, match="expected the id to stay"):
        edit(store, "road-a", {"id": "road-z"})
    with pytest.raises(StoreError, match="no feature 'road-z'"):
        edit(store, "road-z", {"note_en": "x"})
    assert everything(store) == before


# --------------------------------------------------------------------------- append-only


def test_the_log_refuses_update_and_delete_in_the_database(store, store_env):
    edit(store, "road-a", {"name_en": "Renamed"})
    before = log(store)
    conn = raw_connection(store, store_env)
    try:
        refused = (
            sqlite3.IntegrityError if store.dialect == "sqlite" else psycopg.errors.RaiseException
        )
        statements = [
            "UPDATE lsz_audit SET new_value = '\"forged\"'",
            "DELETE FROM lsz_audit",
        ]
        if store.dialect == "postgresql":
            statements.append("TRUNCATE lsz_audit")
        for statement in statements:
            with pytest.raises(refused, match="lsz_audit is append-only"):
                conn.execute(statement)
    finally:
        conn.close()
    assert log(store) == before


# --------------------------------------------------------------------------- revert


def test_revert_sets_the_old_value_back_as_a_new_logged_change(store):
    edit(store, "road-a", {"name_en": "Renamed"}, user="lan")
    edit(store, "road-a", {"name_en": "Renamed again"}, user="minh")
    first = history(store, "test_roads", "road-a")[0]
    new = revert(store, first.entry_id, user="hoa", reason="wrong name")
    assert props(store, "road-a")["name_en"] == "road-a en"
    last = history(store, "test_roads", "road-a")[-1]
    assert (last.action, last.reverts, last.user, last.layer_version) == (
        "revert",
        first.entry_id,
        "hoa",
        new,
    )
    assert (last.old, last.new) == ("Renamed again", "road-a en")
    assert len(log(store)) == 3  # nothing removed from the log


def test_reverting_a_progress_save_sets_all_its_fields_back(store):
    before = props(store, "road-a")
    edit(
        store,
        "road-a",
        progress_changes(
            before, pct=20, as_of=date(2026, 1, 31), precision="month", source_id=SOURCE
        ),
    )
    some_row = history(store, "test_roads", "road-a")[1]
    revert(store, some_row.entry_id, user="hoa", reason="figure withdrawn")
    assert props(store, "road-a") == before


def test_a_revert_is_checked_like_an_edit(store):
    edit(store, "road-b", {"status": "preparing"})
    row = history(store, "test_roads", "road-b")[0]
    # Since then a milestone fixed the status at 'preparing': going back would break it.
    milestone = {**APPROVAL, "date": "2026-01-05", "kind": "other", "status": "preparing"}
    edit(store, "road-b", {"milestones": [milestone]})
    before = everything(store)
    with pytest.raises(EditRefused, match=r"field 'status': expected 'preparing'"):
        revert(store, row.entry_id, user="hoa", reason="undo")
    assert everything(store) == before


# --------------------------------------------------------------------------- conflicts


def test_a_stale_second_save_gets_both_values_and_overwrites_nothing(store):
    seen = version(store)
    edit(store, "road-a", {"name_en": "Lan's name"}, user="lan", expected=seen)
    before = everything(store)
    with pytest.raises(EditConflict) as conflict:
        edit(store, "road-a", {"name_en": "Minh's name"}, user="minh", expected=seen)
    error = conflict.value
    assert [(c.field, c.theirs, c.yours) for c in error.fields] == [
        ("name_en", "Lan's name", "Minh's name")
    ]
    assert error.by == ("lan",)
    assert (error.expected_version, error.current_version) == (seen, seen + 1)
    assert "nothing was written" in str(error) and "Lan's name" in str(error)
    assert everything(store) == before
    # Minh chose his value: saving from the version the conflict names goes through.
    edit(store, "road-a", {"name_en": "Minh's name"}, user="minh", expected=error.current_version)
    assert props(store, "road-a")["name_en"] == "Minh's name"


def test_a_conflict_lists_the_fields_the_other_edit_changed(store):
    seen = version(store)
    edit(store, "road-a", {"note_en": "n", "note_vi": "n", "note_zh": "n"}, expected=seen)
    with pytest.raises(EditConflict) as conflict:
        edit(store, "road-a", {"name_en": "Minh's name"}, user="minh", expected=seen)
    by_field = {c.field: (c.theirs, c.yours) for c in conflict.value.fields}
    assert by_field["name_en"] == ("road-a en", "Minh's name")
    assert by_field["note_en"] == ("n", "n")  # Minh did not touch it: his form had the old


def test_edits_of_other_features_of_the_layer_are_not_a_conflict(store):
    seen = version(store)
    edit(store, "road-b", {"name_en": "B renamed"}, expected=seen)
    edit(store, "road-a", {"name_en": "A renamed"}, user="minh", expected=seen)
    assert props(store, "road-a")["name_en"] == "A renamed"
    assert props(store, "road-b")["name_en"] == "B renamed"


def test_a_version_the_layer_never_had_is_refused(store):
    before = everything(store)
    for bogus in (version(store) + 1, 0):
        with pytest.raises(StoreError, match="is not a version of the layer"):
            edit(store, "road-a", {"name_en": "x"}, expected=bogus)
    assert everything(store) == before


def test_a_write_that_is_not_an_edit_meanwhile_is_a_conflict(store):
    seen = version(store)
    roads = layer_writes()[1]
    store.write([LayerWrite(roads.entry, roads.features)])  # e.g. an import
    with pytest.raises(EditConflict, match="not an edit"):
        edit(store, "road-b", {"name_en": "B"}, expected=seen)


# --------------------------------------------------------------------------- failures


@pytest.mark.parametrize("step", CHECKPOINTS)
def test_a_failure_midway_leaves_the_store_and_the_log_as_they_were(store, step):
    edit(store, "road-a", {"name_en": "Before"})
    before = everything(store)

    def fail(reached: str) -> None:
        if reached == step:
            raise RuntimeError(f"injected failure at {reached}")

    with pytest.raises(RuntimeError, match=f"injected failure at {step}"):
        edit(store, "road-a", {"name_en": "Lost"}, checkpoint=fail)
    assert everything(store) == before
    edit(store, "road-a", {"name_en": "After"})  # the store is not left locked
    assert props(store, "road-a")["name_en"] == "After"


_CHILD = textwrap.dedent(
    """
    import sys, time
    from geo.store import open_store, store_url
    from geo.store.audit import EditSource
    from geo.store.edits import edit_feature

    def hang(step):
        if step == sys.argv[1]:
            print("reached", step, flush=True)
            time.sleep(600)

    store = open_store(store_url(), seed=None)
    edit_feature(store, "test_roads", "road-a", {"name_en": "Lost"}, user="lan",
                 reason="r", source=EditSource("decision", "d"),
                 expected_version=store.versions()["test_roads"], checkpoint=hang)
    """
)


@pytest.mark.parametrize("step", CHECKPOINTS)
def test_a_process_killed_mid_save_leaves_the_store_and_the_log_as_they_were(
    store, store_env, step
):
    edit(store, "road-a", {"name_en": "Before"})
    before = everything(store)
    env = {**os.environ, **store_env, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, step],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = child.stdout.readline()
        assert line.strip() == f"reached {step}", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=60) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            child.wait(timeout=60)
    assert everything(store) == before
    edit(store, "road-a", {"name_en": "After"})
    assert props(store, "road-a")["name_en"] == "After"


# --------------------------------------------------------------------------- seed


def test_an_edited_store_is_reseeded_only_with_force_and_keeps_its_log(store):
    edit(store, "road-a", {"name_en": "Renamed"})
    before = everything(store)
    with pytest.raises(StoreError, match="seed with --force"):
        store.seed()
    assert everything(store) == before
    store.seed(force=True, user="admin")
    rows = log(store)
    assert rows[:-1] == before[3]
    assert (rows[-1].action, rows[-1].user, rows[-1].field) == ("seed", "admin", "*")
    assert "test_roads" not in store.versions()  # the seed replaced the layers
    store.seed()  # not edited since the forced seed: no force needed


def test_a_store_from_before_the_log_gets_it_on_open(tmp_path):
    url = f"sqlite:///{tmp_path}/old.gpkg"
    with open_store(url, seed=None) as store:
        store.write(layer_writes())
    with sqlite3.connect(tmp_path / "old.gpkg") as conn:
        conn.execute("DROP TABLE lsz_audit")
    with open_store(url, seed=None) as store:
        edit(store, "road-a", {"name_en": "Renamed"})
        assert [r.field for r in log(store)] == ["name_en"]
        assert store.versions()["test_roads"] == 2  # not re-seeded


def test_edits_work_on_the_shipped_seed(store_env):
    with open_store(store_url(store_env)) as store:
        layer_id = "gates"
        feature = store.features(layer_id)[0]
        edit(
            store,
            feature.id,
            {"geometry": Point(feature.geometry.x, feature.geometry.y + 1e-5)},
            layer_id=layer_id,
        )
        moved = store.features(layer_id)[0].geometry
        assert moved.y == pytest.approx(feature.geometry.y + 1e-5)


def test_the_seed_command_refuses_an_edited_store_without_force(store_env):
    env = {**os.environ, **store_env, "PYTHONPATH": str(ROOT)}

    def geo(*args):
        return subprocess.run(
            [sys.executable, "-m", "geo", *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    with open_store(store_url(store_env)) as store:
        feature = store.features("gates")[0]
        edit(store, feature.id, {"name_en": "Renamed"}, layer_id="gates")
    refused = geo("seed")
    assert refused.returncode == 1 and "seed with --force" in refused.stdout
    forced = geo("seed", "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    with open_store(store_url(store_env)) as store:
        assert [r.action for r in log(store)] == ["edit", "seed"]
        assert store.features("gates")[0].properties["name_en"] != "Renamed"
