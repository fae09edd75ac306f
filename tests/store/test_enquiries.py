"""Investors' enquiries in the store, on both back ends: never lost, never half-written."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete

from geo.errors import StoreError
from geo.store import open_store, store_url
from geo.store.enquiries import ENQUIRY_LIMITS, EnquiryError

ENQUIRY = {
    "lot_id": "lot-fixture-a",
    "name": "  Nguyễn Văn An  ",
    "organisation": "Công ty <b>Fixture</b> [x](javascript:y)",
    "email": "an@example.vn",
    "phone": "+84 205 123 456",
    "message": "Giá thuê lô này?\nXin cảm ơn. *not bold*",
    "language": "vi",
}


def test_an_enquiry_is_found_after_the_store_is_closed_and_opened_again(store_env):
    url = store_url(store_env)
    with open_store(url, seed=None) as store:
        reference = store.add_enquiry(ENQUIRY)
    with open_store(url, seed=None) as reopened:
        (found,) = reopened.enquiries()
        assert reopened.enquiry(reference) == found
    assert re.fullmatch(rf"LSZ-{datetime.now(UTC).year}-\d{{6}}", reference)
    assert found.reference == reference and not found.answered
    # Kept exactly as typed (trimmed), markup included: it is shown as text, never rendered.
    assert found.name == "Nguyễn Văn An"
    assert found.organisation == ENQUIRY["organisation"]
    assert found.message == ENQUIRY["message"]
    assert (found.lot_id, found.email, found.phone, found.language) == (
        "lot-fixture-a",
        "an@example.vn",
        "+84 205 123 456",
        "vi",
    )
    assert found.created_at.tzinfo is not None
    assert abs((datetime.now(UTC) - found.created_at).total_seconds()) < 600


def test_optional_fields_left_empty_are_stored_as_none(empty_store):
    reference = empty_store.add_enquiry({**ENQUIRY, "organisation": " ", "phone": ""})
    found = empty_store.enquiry(reference)
    assert found is not None and found.organisation is None and found.phone is None


def test_reference_numbers_count_up_and_are_never_reused(empty_store):
    first = empty_store.add_enquiry(ENQUIRY, now=datetime(2026, 12, 2, 1, 0, tzinfo=UTC))
    second = empty_store.add_enquiry(ENQUIRY, now=datetime(2027, 1, 1, 0, 0, tzinfo=UTC))
    assert first.startswith("LSZ-2026-") and second.startswith("LSZ-2027-")
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1
    table = empty_store._t.enquiries
    with empty_store.engine.begin() as conn:  # an administrator deleting the newest one
        conn.execute(delete(table).where(table.c.reference == second))
    third = empty_store.add_enquiry(ENQUIRY, now=datetime(2027, 1, 2, tzinfo=UTC))
    assert int(third.rsplit("-", 1)[1]) > int(second.rsplit("-", 1)[1])
    assert [e.reference for e in empty_store.enquiries()] == [third, first]


def test_concurrent_writers_get_distinct_reference_numbers(store_env):
    url = store_url(store_env)
    open_store(url, seed=None).close()
    stores = [open_store(url, seed=None) for _ in range(3)]
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            jobs = [
                pool.submit(stores[i % 3].add_enquiry, {**ENQUIRY, "name": f"Writer {i}"})
                for i in range(18)
            ]
            references = [job.result() for job in jobs]
        stored = stores[0].enquiries()
    finally:
        for store in stores:
            store.close()
    assert len(set(references)) == 18
    assert sorted(e.reference for e in stored) == sorted(references)
    assert sorted(e.name for e in stored) == sorted(f"Writer {i}" for i in range(18))


def test_a_planner_marks_an_enquiry_answered_once(empty_store):
    older = empty_store.add_enquiry(ENQUIRY)
    newer = empty_store.add_enquiry({**ENQUIRY, "name": "Second"})
    when = datetime(2026, 12, 3, 9, 30, tzinfo=UTC)
    answered = empty_store.mark_answered(older, now=when)
    assert answered.answered and answered.answered_at == when
    again = empty_store.mark_answered(older, now=datetime(2026, 12, 4, tzinfo=UTC))
    assert again.answered_at == when  # the first answer's time is kept
    assert [e.reference for e in empty_store.enquiries(answered=False)] == [newer]
    assert [e.reference for e in empty_store.enquiries(answered=True)] == [older]
    assert [e.reference for e in empty_store.enquiries()] == [newer, older]


def test_marking_an_unknown_reference_is_refused(empty_store):
    empty_store.add_enquiry(ENQUIRY)
    with pytest.raises(StoreError, match=r"no enquiry with reference number 'LSZ-2026-999999'"):
        empty_store.mark_answered("LSZ-2026-999999")
    assert not any(e.answered for e in empty_store.enquiries())


def test_an_invalid_enquiry_is_refused_with_every_problem_and_nothing_written(empty_store):
    bad = {
        **ENQUIRY,
        "name": "",
        "email": "an at example.vn",
        "phone": "call me",
        "message": "x" * (ENQUIRY_LIMITS["message"] + 1),
        "language": "fr",
    }
    with pytest.raises(EnquiryError) as caught:
        empty_store.add_enquiry(bad)
    assert [p.field for p in caught.value.problems] == [
        "name",
        "email",
        "phone",
        "message",
        "language",
    ]
    assert "nothing was written" in str(caught.value)
    assert "Email: expected an address such as name@example.com" in str(caught.value)
    assert empty_store.enquiries() == []


def test_an_enquiry_about_a_lot_that_does_not_exist_is_refused(empty_store):
    with pytest.raises(EnquiryError, match="Lot: expected a lot shown on the map"):
        empty_store.add_enquiry(ENQUIRY, lot_ids={"lot-other"})
    assert empty_store.enquiries() == []


def test_a_seed_keeps_the_enquiries(seeded_store):
    reference = seeded_store.add_enquiry(ENQUIRY)
    seeded_store.seed()
    assert [e.reference for e in seeded_store.enquiries()] == [reference]


def test_a_store_made_before_enquiries_existed_gets_the_table_on_first_enquiry(empty_store):
    empty_store._t.enquiries.drop(empty_store.engine)
    assert empty_store.enquiries() == [] and empty_store.enquiry("LSZ-2026-000001") is None
    reference = empty_store.add_enquiry(ENQUIRY)
    assert [e.reference for e in empty_store.enquiries()] == [reference]
