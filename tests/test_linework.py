"""Cutting lines by length in metres."""

import pytest
from shapely.geometry import LineString, MultiLineString

from geo.linework import split_by_fraction
from geo.measure import length_km

# Two straight parts: about 10.3 km east–west, then 11.1 km north.
CHAIN = MultiLineString([[(106.70, 21.90), (106.80, 21.90)], [(106.80, 21.90), (106.80, 22.00)]])


def test_split_keeps_the_total_length():
    first, rest = split_by_fraction(CHAIN, 0.4)
    assert length_km(first) + length_km(rest) == pytest.approx(length_km(CHAIN), rel=1e-6)


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.83])
def test_first_part_is_the_requested_share_of_metres(fraction):
    first, _ = split_by_fraction(CHAIN, fraction)
    assert length_km(first) / length_km(CHAIN) == pytest.approx(fraction, abs=0.002)


def test_parts_are_taken_in_stored_order():
    first, rest = split_by_fraction(CHAIN, 0.3)
    assert len(first.geoms) == 1 and len(rest.geoms) == 2
    assert first.geoms[0].coords[0] == pytest.approx((106.70, 21.90))


def test_zero_and_full_fractions_give_one_empty_side():
    assert split_by_fraction(CHAIN, 0.0)[0] is None
    assert split_by_fraction(CHAIN, 1.0)[1] is None


def test_out_of_range_fraction_is_refused():
    with pytest.raises(ValueError, match="within 0–1"):
        split_by_fraction(LineString([(106.7, 21.9), (106.8, 21.9)]), 1.2)
