"""filter_lots and criterion_counts on a small invented lot table."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from geo.lot_filter import LotCriteria, criterion_counts, filter_lots

NAN = math.nan


@pytest.fixture
def lots() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "zone_id": ["zone-a", "zone-a", "zone-b", "zone-b"],
            "land_use": ["SKK", "TMD", "SKK", "TMD"],
            "availability": ["available", "leased", "reserved", "available"],
            "area_ha": [0.5, 1.0, 2.5, 5.0],
            "rent_usd_m2_term": [70.0, NAN, 95.0, 120.0],
            "distance_gate_m": [400.0, 1200.0, NAN, 3000.0],
            "distance_station_m": [2500.0, 800.0, NAN, 100.0],
        },
        index=["lot-1", "lot-2", "lot-3", "lot-4"],
    )


def ids(frame: pd.DataFrame) -> list[str]:
    return list(frame.index)


def test_no_criterion_keeps_every_lot_in_order_and_returns_a_copy(lots):
    kept = filter_lots(lots, LotCriteria())
    assert ids(kept) == ids(lots)
    kept.loc["lot-1", "area_ha"] = 99
    assert lots.loc["lot-1", "area_ha"] == 0.5


def test_choices_keep_lots_with_any_chosen_value(lots):
    criteria = LotCriteria(zones=("zone-b",), availabilities=("available", "reserved"))
    assert ids(filter_lots(lots, criteria)) == ["lot-3", "lot-4"]
    assert ids(filter_lots(lots, LotCriteria(land_uses=("TMD",)))) == ["lot-2", "lot-4"]


def test_ranges_include_both_ends_and_an_open_end_is_unbounded(lots):
    assert ids(filter_lots(lots, LotCriteria(area_ha=(1.0, 2.5)))) == ["lot-2", "lot-3"]
    assert ids(filter_lots(lots, LotCriteria(area_ha=(None, 1.0)))) == ["lot-1", "lot-2"]
    assert ids(filter_lots(lots, LotCriteria(area_ha=(2.5, None)))) == ["lot-3", "lot-4"]


def test_a_price_range_excludes_lots_without_a_published_rent(lots):
    assert ids(filter_lots(lots, LotCriteria(rent_usd_m2_term=(0, 1000)))) == [
        "lot-1",
        "lot-3",
        "lot-4",
    ]


def test_a_distance_limit_excludes_lots_whose_distance_is_not_known(lots):
    near_gate = LotCriteria(max_distance_m={"distance_gate_m": 5000.0})
    assert ids(filter_lots(lots, near_gate)) == ["lot-1", "lot-2", "lot-4"]
    both = LotCriteria(max_distance_m={"distance_gate_m": 1500.0, "distance_station_m": 1000.0})
    assert ids(filter_lots(lots, both)) == ["lot-2"]


def test_nothing_matching_gives_an_empty_frame_with_the_same_columns(lots):
    empty = filter_lots(lots, LotCriteria(zones=("zone-c",)))
    assert empty.empty and list(empty.columns) == list(lots.columns)


def test_counts_name_the_criterion_that_excludes_every_lot_by_itself(lots):
    criteria = LotCriteria(
        land_uses=("SKK",), area_ha=(10.0, None), max_distance_m={"distance_gate_m": 500.0}
    )
    assert filter_lots(lots, criteria).empty
    assert criterion_counts(lots, criteria) == {"land_use": 2, "area": 0, "distance_gate_m": 1}


def test_counts_show_when_only_the_combination_excludes_every_lot(lots):
    criteria = LotCriteria(availabilities=("leased",), land_uses=("SKK",))
    assert filter_lots(lots, criteria).empty
    assert criterion_counts(lots, criteria) == {"land_use": 2, "availability": 1}


def test_a_distance_column_the_table_lacks_is_an_error_not_a_silent_pass(lots):
    with pytest.raises(KeyError, match="no column 'distance_port_m' in the lot table"):
        filter_lots(lots, LotCriteria(max_distance_m={"distance_port_m": 100.0}))
