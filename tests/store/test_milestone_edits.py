"""Milestone edits (add, change, remove) on both back ends: checked, logged, reverted, conflicts.

The store is the tiny one of ``edit_fixtures`` (``road-a`` approved on 2024-04-14); the
milestones are built with :func:`geo.feature_edits.milestone_changes` and saved through the
one edit path (:func:`geo.store.edits.edit_feature`), as the planners' form does.
"""

from __future__ import annotations

from datetime import date

import pytest

from geo.errors import GeoError
from geo.feature_edits import milestone_changes, milestone_entry
from geo.store.audit import EditSource
from geo.store.edits import EditConflict, EditRefused, edit_feature, history, revert
from tests.store.edit_fixtures import APPROVAL, OTHER_SOURCE, everything, layer_writes

DOCUMENT = EditSource("document", "Board report 12/BC-BQL")
LABELS = {"vi": "Khởi công", "en": "Works began", "zh": "开工"}


@pytest.fixture
def store(empty_store):
    empty_store.write(layer_writes())
    return empty_store


def version(store) -> int:
    return store.versions()["test_roads"]


def props(store, fid="road-a") -> dict:
    return next(f.properties for f in store.features("test_roads") if f.id == fid)


def save(store, changes, *, expected=None, user="lan"):
    return edit_feature(
        store,
        "test_roads",
        "road-a",
        changes,
        user=user,
        reason="board report",
        source=DOCUMENT,
        expected_version=version(store) if expected is None else expected,
    )


def works(day=date(2025, 1, 10), **kw):
    values = {
        "day": day,
        "precision": "day",
        "kind": "groundbreaking",
        "labels": LABELS,
        "status": "under_construction",
        "source_id": OTHER_SOURCE,
    }
    return milestone_entry(**{**values, **kw})


def test_adding_a_milestone_sets_its_status_is_logged_and_reverts(store):
    before = props(store)
    new_version = save(store, milestone_changes(before, add=works()))
    stored = props(store)
    assert [m["kind"] for m in stored["milestones"]] == ["approval", "groundbreaking"]
    assert stored["milestones"][1]["label_zh"] == "开工"
    assert stored["status"] == "under_construction"
    rows = history(store, "test_roads", "road-a")
    assert {r.field for r in rows} == {"milestones", "status"}
    for row in rows:
        assert row.user == "lan" and row.source == DOCUMENT and row.layer_version == new_version
    logged = next(r for r in rows if r.field == "milestones")
    assert logged.old == before["milestones"] and logged.new == stored["milestones"]

    revert(store, logged.entry_id, user="lan", reason="typed on the wrong project")
    assert props(store)["milestones"] == before["milestones"]
    assert props(store)["status"] == "planned"
    assert [r.action for r in history(store, "test_roads", "road-a")].count("revert") == 2


def test_changing_and_removing_a_milestone_keep_the_order_and_the_status(store):
    save(store, milestone_changes(props(store), add=works()))
    moved = works(day=date(2025, 3, 31), precision="month", status="preparing", kind="other")
    save(store, milestone_changes(props(store), index=1, add=moved))
    stored = props(store)
    assert [(m["date"], m["status"]) for m in stored["milestones"]] == [
        ("2024-04-14", "planned"),
        ("2025-03-31", "preparing"),
    ]
    assert stored["status"] == "preparing"
    save(store, milestone_changes(props(store), index=1, remove=True))
    assert props(store)["milestones"] == [APPROVAL]
    assert props(store)["status"] == "planned"


@pytest.mark.parametrize(
    ("entry", "field", "expected"),
    [
        (works(day=date(2024, 1, 2)), "milestones[0].date", "on or after 2024-04-14"),
        (works(labels={**LABELS, "zh": " "}), "milestones[1].label_zh", "expected"),
        (works(kind="target"), "milestones[1].status", "null (a target is not a fact)"),
        (works(kind="opened"), "milestones[1].kind", "expected one of approval"),
        (works(status="done"), "milestones[1].status", "expected one of planned"),
        (works(precision="month"), "milestones[1].date", "the last day of the month"),
        (works(source_id="no-such-source"), "milestones[1].source", "no-such-source"),
    ],
    ids=["before-approval", "blank-label", "target-status", "kind", "status", "month", "source"],
)
def test_a_bad_milestone_is_refused_naming_feature_and_field_and_writes_nothing(
    store, entry, field, expected
):
    before = everything(store)
    with pytest.raises(EditRefused) as refused:
        save(store, milestone_changes(props(store), add=entry))
    message = str(refused.value)
    assert f"feature 'road-a', field '{field}'" in message, message
    assert expected in message and "nothing was written" in message
    assert everything(store) == before


def test_a_milestone_that_does_not_exist_cannot_be_changed(store):
    with pytest.raises(GeoError, match=r"field 'milestones\[5\]'"):
        milestone_changes(props(store), index=5, remove=True)
    with pytest.raises(GeoError, match="one milestone to add, change or remove"):
        milestone_changes(props(store), remove=True)


def test_a_stale_milestone_save_is_a_conflict_and_overwrites_nothing(store):
    seen = version(store)
    opened = props(store)
    save(store, milestone_changes(opened, add=works()), expected=seen, user="minh")
    before = everything(store)
    later = works(day=date(2025, 6, 30), precision="month", kind="other", status=None)
    with pytest.raises(EditConflict) as conflict:
        save(store, milestone_changes(opened, add=later), expected=seen)
    assert "milestones" in [c.field for c in conflict.value.fields]
    assert conflict.value.by == ("minh",)
    assert everything(store) == before
