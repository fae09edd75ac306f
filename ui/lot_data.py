"""The lots of the investor view and their table, computed once per data change.

The lot layers are the registry layers of schema ``lot`` (whatever their id or group). Their
table (:func:`geo.lot_table.lot_table`: areas and straight-line distances measured) is cached
on the data's stamp (:attr:`ui.data.AppData.stamp`), so a re-run, a filter or a language
switch never measures again, and an import or a re-seed does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas
import pandas as pd
import streamlit as st

from geo.lot_distances import (
    TARGETS_PATH,
    LotDistanceTarget,
    load_lot_distance_targets,
    lot_distances,
)
from geo.lot_table import lot_table
from geo.vocabulary import LAND_USES
from ui.data import AppData, load_app_data, registry_path

LOT_SCHEMA = "lot"


@dataclass(frozen=True)
class Lots:
    """The lots of the investor view.

    Attributes
    ----------
    layer : geopandas.GeoDataFrame
        Every lot of every lot layer (EPSG:4326, indexed by lot id), ``layer_id`` a column.
    table : pandas.DataFrame
        Their lot table (same index).
    targets : tuple of LotDistanceTarget
        The distance targets (``lot_distance_targets.json`` beside the registry, else the
        shipped one), each with its column of the table.
    """

    layer: geopandas.GeoDataFrame
    table: pd.DataFrame
    targets: tuple[LotDistanceTarget, ...]


def lot_layer_ids(data: AppData) -> list[str]:
    """Return the loaded layers of schema ``lot``, in registry order."""
    return [s.id for s in data.registry.layers if s.schema == LOT_SCHEMA and s.id in data.layers]


def land_use_fills() -> Mapping[str, str]:
    """Return each land-use code's fill: its colour family's zoning-plan colour."""
    return {code: use.family.hex for code, use in LAND_USES.items()}


@st.cache_data(show_spinner=False, max_entries=8)
def _lots(stamp: tuple) -> Lots | None:
    """Return the lots of the data at ``stamp`` (only the cache key), or None without any."""
    data = load_app_data()
    ids = lot_layer_ids(data)
    if not ids:
        return None
    frames = [data.layers[i].assign(layer_id=i) for i in ids]
    layer = geopandas.GeoDataFrame(pd.concat(frames), crs=frames[0].crs)
    targets = load_lot_distance_targets(distance_targets_path())
    table = lot_table(layer, lot_distances(layer, data.layers, targets))
    return Lots(layer, table, targets)


def distance_targets_path() -> Path:
    """Return ``lot_distance_targets.json`` beside the registry, else the shipped one."""
    beside = registry_path().with_name(TARGETS_PATH.name)
    return beside if beside.exists() else TARGETS_PATH


def load_lots(data: AppData) -> Lots | None:
    """Return the lots of ``data`` (from the cache while the data is unchanged)."""
    return _lots(data.stamp)
