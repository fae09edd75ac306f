"""The investor view's maps: the lots of the current selection, and a small locator map.

Pure folium (no Streamlit), built on :func:`geo.mapview.base_map` (vendored Leaflet only, no
CDN). Lots are filled with their land-use family colour and outlined by availability
(:func:`geo.style.lot_style`, one table); an illustrative lot is dotted, as illustrative
shapes are everywhere. Tooltips are text (``textContent``), never HTML.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import folium
import geopandas

from geo import style as st
from geo.basemaps import DEFAULT_BASEMAP
from geo.i18n import t
from geo.leaflet_style import halo_band_styles
from geo.map_data import LayerData, MapLayer, iter_features
from geo.map_elements import DataLayer
from geo.mapview import DEFAULT_ASSET_BASE_URL, base_map
from geo.vocabulary import LAND_USES

__all__ = ["land_use_label", "locator_map", "lot_layer_data", "lot_map", "lot_tooltip"]


def land_use_label(code: str, lang: str) -> str:
    """Return ``CODE · name`` of a land-use code (the code alone when it is not in the table).

    Examples
    --------
    >>> land_use_label("TMD", "en").startswith("TMD · "), land_use_label("X9", "en")
    (True, 'X9')
    """
    use = LAND_USES.get(code)
    return f"{code} · {use.name[lang]}" if use else code


def lot_tooltip(props: Mapping[str, object], lang: str) -> str:
    """Return a lot's tooltip: code, availability and, when so, that it is illustrative.

    Examples
    --------
    >>> lot_tooltip({"code": "A-01", "availability": "available",
    ...              "geometry_accuracy": "illustrative"}, "en")
    'A-01 · Available · illustrative'
    """
    parts = [
        str(props.get("code") or props.get("id") or ""),
        t(f"investor.lot.availability.{props.get('availability')}", lang),
    ]
    if props.get("geometry_accuracy") == "illustrative":
        parts.append(t("investor.lot.illustrative_short", lang))
    return " · ".join(parts)


def lot_layer_data(
    lots: geopandas.GeoDataFrame,
    *,
    lang: str,
    fills: Mapping[str, str],
    shown: Collection[str],
    selected: str | None = None,
) -> tuple[LayerData, LayerData]:
    """Return the lots in ``shown`` ready for the map, and the selected lot's halo.

    Parameters
    ----------
    lots : geopandas.GeoDataFrame
        The lot layer (EPSG:4326, indexed by id).
    lang : str
        Language of the tooltips.
    fills : Mapping[str, str]
        Fill colour by land-use code (the code's colour family).
    shown : Collection[str]
        The lots to draw (the filtered selection).
    selected : str or None
        The selected lot: drawn with the map page's halo under it.
    """
    data, halo = LayerData(), LayerData()
    for fid, props, geom in iter_features(lots):
        if fid not in shown:
            continue
        options = st.lot_style(
            props.get("availability"),
            fills.get(str(props.get("land_use"))),
            props.get("geometry_accuracy"),
        )
        data.add(geom, {"id": fid, "tip": lot_tooltip(props, lang)}, options)
        if fid == selected:
            for band in halo_band_styles(options):
                halo.add(geom, {"id": f"selected-{fid}", "tip": ""}, band)
    return data, halo


def lot_map(
    lots: geopandas.GeoDataFrame,
    *,
    lang: str,
    fills: Mapping[str, str],
    shown: Collection[str],
    selected: str | None = None,
    context: tuple[MapLayer, ...] = (),
    basemap: str = DEFAULT_BASEMAP,
    focus_zoom: int = st.LOT_FOCUS_ZOOM,
    asset_base_url: str = DEFAULT_ASSET_BASE_URL,
    prepared: Mapping[str, LayerData] | None = None,
) -> folium.Map:
    """Build the lot map: context layers, the lots in ``shown``, centred on the selection.

    With a lot selected the map fits it, zoomed in at most to ``focus_zoom``; otherwise it
    fits the lots shown (all lots when none is shown). ``prepared`` is passed to
    :func:`geo.mapview.base_map` (context layers already made for ``lang``).
    """
    fmap = base_map(
        context, lang=lang, basemap=basemap, asset_base_url=asset_base_url, prepared=prepared
    )
    data, halo = lot_layer_data(lots, lang=lang, fills=fills, shown=shown, selected=selected)
    if halo.features:
        DataLayer(halo, name="selection", pane=st.pane_name("polygon", "halo")).add_to(fmap)
    DataLayer(
        data, name=t("investor.lot.layer_name", lang), pane=st.pane_name("polygon", "project")
    ).add_to(fmap)
    if selected is not None and selected in lots.index:
        _fit(fmap, lots.geometry[selected].bounds, focus_zoom)
    else:
        ids = [fid for fid in lots.index if fid in shown] or list(lots.index)
        if ids:
            _fit(fmap, tuple(lots.loc[ids].total_bounds), st.FIT_MAX_ZOOM)
    return fmap


def _fit(fmap: folium.Map, bounds: tuple[float, ...], max_zoom: int) -> None:
    minx, miny, maxx, maxy = bounds
    fmap.fit_bounds(
        [[miny, minx], [maxy, maxx]], padding=(st.FIT_PADDING_PX,) * 2, max_zoom=max_zoom
    )


def locator_map(
    lots: geopandas.GeoDataFrame,
    lot_id: str,
    *,
    lang: str,
    fills: Mapping[str, str],
    basemap: str = DEFAULT_BASEMAP,
    asset_base_url: str = DEFAULT_ASSET_BASE_URL,
) -> folium.Map:
    """Build the panel's small locator map: the lot and its neighbours, the lot haloed."""
    return lot_map(
        lots,
        lang=lang,
        fills=fills,
        shown=set(lots.index),
        selected=lot_id,
        basemap=basemap,
        focus_zoom=st.LOT_LOCATOR_ZOOM,
        asset_base_url=asset_base_url,
    )
