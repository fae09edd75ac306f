"""Which lots fit an investor's criteria, and, when none does, which criterion excluded them.

Pure pandas on the lot table (:func:`geo.lot_table.lot_table`: one row per lot, the area
shown in ha, the rent, and one ``distance_<what>_m`` column per distance target,
:func:`geo.lot_distances.lot_distances`). Every
criterion is optional; a criterion that is set excludes a lot whose value is not known (a
lot with no published rent does not fit a price range, a lot whose position is not known is
not "within 2 km" of anything).

Examples
--------
>>> import pandas as pd
>>> lots = pd.DataFrame({
...     "zone_id": ["zone-a", "zone-a", "zone-b"],
...     "land_use": ["SKK", "TMD", "SKK"],
...     "availability": ["available", "leased", "available"],
...     "area_ha": [1.2, 3.5, 0.8],
...     "rent_usd_m2_term": [80.0, None, 95.0],
...     "distance_gate_m": [1500.0, 2500.0, None],
... }, index=["lot-1", "lot-2", "lot-3"])
>>> list(filter_lots(lots, LotCriteria(land_uses=("SKK",))).index)
['lot-1', 'lot-3']
>>> list(filter_lots(lots, LotCriteria(rent_usd_m2_term=(70, 90))).index)
['lot-1']
>>> list(filter_lots(lots, LotCriteria(max_distance_m={"distance_gate_m": 2000})).index)
['lot-1']
>>> criterion_counts(lots, LotCriteria(zones=("zone-b",),
...                                    max_distance_m={"distance_gate_m": 2000}))
{'zone': 1, 'distance_gate_m': 1}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "LotCriteria",
    "criterion_counts",
    "filter_lots",
]

Range = tuple[float | None, float | None]


@dataclass(frozen=True)
class LotCriteria:
    """What an investor looks for; an empty tuple or ``None`` bound means "any".

    Attributes
    ----------
    zones, land_uses, availabilities : tuple of str
        Zone ids, land-use codes, availabilities a lot may have.
    area_ha : (float or None, float or None)
        Smallest and largest area, ha (both ends included).
    rent_usd_m2_term : (float or None, float or None)
        Lowest and highest indicative land rent, USD per m² for the lease term.
    max_distance_m : Mapping[str, float]
        Largest straight-line distance in metres, by distance column of the lot table
        (``distance_gate_m`` …).
    """

    zones: tuple[str, ...] = ()
    land_uses: tuple[str, ...] = ()
    availabilities: tuple[str, ...] = ()
    area_ha: Range = (None, None)
    rent_usd_m2_term: Range = (None, None)
    max_distance_m: Mapping[str, float] = field(default_factory=dict)


def _one_of(column: str, allowed: tuple[str, ...]) -> Callable[[pd.DataFrame], pd.Series]:
    return lambda frame: frame[column].isin(allowed)


def _within(column: str, bounds: Range) -> Callable[[pd.DataFrame], pd.Series]:
    low, high = bounds

    def mask(frame: pd.DataFrame) -> pd.Series:
        values = pd.to_numeric(frame[column], errors="coerce")
        keep = values.notna()
        if low is not None:
            keep &= values >= low
        if high is not None:
            keep &= values <= high
        return keep

    return mask


def _criteria(criteria: LotCriteria) -> dict[str, Callable[[pd.DataFrame], pd.Series]]:
    """Return a mask function for every criterion that is set, by criterion name."""
    masks: dict[str, Callable[[pd.DataFrame], pd.Series]] = {}
    if criteria.zones:
        masks["zone"] = _one_of("zone_id", criteria.zones)
    if criteria.land_uses:
        masks["land_use"] = _one_of("land_use", criteria.land_uses)
    if criteria.availabilities:
        masks["availability"] = _one_of("availability", criteria.availabilities)
    if criteria.area_ha != (None, None):
        masks["area"] = _within("area_ha", criteria.area_ha)
    if criteria.rent_usd_m2_term != (None, None):
        masks["rent"] = _within("rent_usd_m2_term", criteria.rent_usd_m2_term)
    for column, metres in criteria.max_distance_m.items():
        masks[column] = _within(column, (None, metres))
    return masks


def filter_lots(frame: pd.DataFrame, criteria: LotCriteria) -> pd.DataFrame:
    """Return the rows of ``frame`` that meet every criterion that is set, in their order.

    Parameters
    ----------
    frame : pandas.DataFrame
        The lot table: columns ``zone_id``, ``land_use``, ``availability``, ``area_ha``,
        ``rent_usd_m2_term`` and the distance column of each target filtered on.
    criteria : LotCriteria
        What to keep.

    Returns
    -------
    pandas.DataFrame
        A new frame (``frame`` is not changed); empty, with the same columns, when no lot fits.

    Raises
    ------
    KeyError
        When a criterion names a column the frame does not have (a distance target that
        was not computed): a typo must not silently keep every lot.

    Examples
    --------
    >>> import pandas as pd
    >>> lots = pd.DataFrame({"zone_id": ["z"], "land_use": ["SKK"], "availability": ["leased"],
    ...                      "area_ha": [2.0], "rent_usd_m2_term": [None]}, index=["lot-1"])
    >>> filter_lots(lots, LotCriteria()).index.tolist()
    ['lot-1']
    >>> filter_lots(lots, LotCriteria(area_ha=(2.0, 2.0))).index.tolist()
    ['lot-1']
    >>> filter_lots(lots, LotCriteria(availabilities=("available",))).empty
    True
    >>> filter_lots(lots, LotCriteria(max_distance_m={"distance_station_m": 500.0}))
    Traceback (most recent call last):
    ...
    KeyError: "no column 'distance_station_m' in the lot table; columns: zone_id, land_use, ..."
    """
    keep = pd.Series(True, index=frame.index)
    for mask in _criteria(criteria).values():
        keep &= _checked(frame, mask)
    return frame.loc[keep].copy()


def _checked(frame: pd.DataFrame, mask: Callable[[pd.DataFrame], pd.Series]) -> pd.Series:
    try:
        return mask(frame).fillna(False).astype(bool)
    except KeyError as exc:
        shown = ", ".join(str(c) for c in frame.columns)
        raise KeyError(f"no column {exc.args[0]!r} in the lot table; columns: {shown}") from None


def criterion_counts(frame: pd.DataFrame, criteria: LotCriteria) -> dict[str, int]:
    """Return how many lots each criterion that is set lets through on its own.

    When :func:`filter_lots` keeps nothing, this says why: a criterion with 0 excluded every
    lot by itself; if none has 0, only their combination did.

    Returns
    -------
    dict[str, int]
        By criterion name: ``zone``, ``land_use``, ``availability``, ``area``, ``rent``,
        then each distance column, in that order.
    """
    return {name: int(_checked(frame, mask).sum()) for name, mask in _criteria(criteria).items()}
