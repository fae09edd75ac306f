"""The investor page: filter the lots, see them in a table and on a map, open one, compare.

The table and the map show the same lots and the same selection: a row clicked selects the
lot and moves the map to it; a lot clicked on the map selects its row. Each widget's value is
a stable id or number (a zone id, a land-use code, an availability), held under
:func:`ui.state.investor_key` so a language switch keeps the filters and the selection.
Nothing from the data is rendered as Markdown: names and codes go to ``st.dataframe`` and
``st.text``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import style
from geo.i18n import feature_name, t
from geo.lot_filter import LotCriteria, criterion_counts, filter_lots
from geo.lot_map import land_use_label, lot_map
from geo.lot_table import codes_in, zones_of
from geo.mapview import DEFAULT_ASSET_BASE_URL
from geo.measure_control import add_measure_control
from geo.text import escape_markdown
from geo.vocabulary import AVAILABILITIES, LAND_USES
from ui import state as ui_state
from ui.data import AppData
from ui.enquiry_form import enquiry_form
from ui.lot_data import Lots, land_use_fills, load_lots
from ui.lot_exports import export_buttons
from ui.lot_panel import compare_view, lot_panel
from ui.map_panel import clicked_feature_id, prepared_context
from ui.query import ViewState

#: Distances are entered in km, in steps of this many km.
DISTANCE_STEP_KM = 0.5


def reference_notice(lang: str) -> None:
    """Say that everything on the page is for reference only (constant text)."""
    st.warning(t("investor.reference_only", lang), icon=":material/info:")


def zone_names(data: AppData, lang: str) -> dict[str, str]:
    """Return every project feature's name in ``lang`` by id (zones of the lots among them)."""
    return {fid: feature_name(props, lang) for fid, props in data.project_features().items()}


def _range_slider(
    name: str, label: str, values: pd.Series, lang: str, step: float
) -> tuple[float | None, float | None]:
    """Draw a range slider over the known ``values``; return the range, open ends as None."""
    known = pd.to_numeric(values, errors="coerce").dropna()
    if known.empty or known.min() == known.max():
        return (None, None)
    low, high = float(known.min()), float(known.max())
    low, high = step * (low // step), step * -(-high // step)
    stored = ui_state.investor_value(name) or (low, high)
    value = (max(low, min(stored[0], high)), min(high, max(stored[1], low)))
    chosen = st.slider(
        label,
        min_value=low,
        max_value=high,
        step=step,
        **ui_state.bind_investor(name, lang, value, tuple),
    )
    return (
        None if chosen[0] <= low else float(chosen[0]),
        None if chosen[1] >= high else float(chosen[1]),
    )


def lot_filters(lots: Lots, data: AppData, lang: str) -> LotCriteria:
    """Draw the filters; return the criteria they set (unset ones mean "any")."""
    table = lots.table
    names = zone_names(data, lang)
    # Folded by default, so the table and the map are in view below the notice.
    box = st.expander(t("investor.filters", lang), icon=":material/filter_list:")
    first, second, third = box.columns(3)
    with first:
        zones = st.multiselect(
            t("investor.filter.zone", lang),
            zones_of(table),
            format_func=lambda z: names.get(z, z),
            placeholder=t("investor.filter.any", lang),
            **ui_state.bind_investor("zones", lang, ui_state.investor_value("zones", ()), tuple),
        )
        uses = st.multiselect(
            t("investor.filter.land_use", lang),
            codes_in(
                table, "land_use", dict.fromkeys([*LAND_USES, *sorted(table["land_use"].dropna())])
            ),
            format_func=lambda c: land_use_label(c, lang),
            placeholder=t("investor.filter.any", lang),
            **ui_state.bind_investor(
                "land_uses", lang, ui_state.investor_value("land_uses", ()), tuple
            ),
        )
        availability = st.multiselect(
            t("investor.filter.availability", lang),
            codes_in(table, "availability", AVAILABILITIES),
            format_func=lambda a: t(f"investor.lot.availability.{a}", lang),
            placeholder=t("investor.filter.any", lang),
            **ui_state.bind_investor(
                "availabilities", lang, ui_state.investor_value("availabilities", ()), tuple
            ),
        )
    with second:
        area = _range_slider(
            "area_ha", t("investor.filter.area", lang), table["area_ha"], lang, 0.1
        )
        rent = _range_slider(
            "rent", t("investor.filter.rent", lang), table["rent_usd_m2_term"], lang, 1.0
        )
    with third:
        distances = {}
        for target in lots.targets:
            km = st.number_input(
                # A widget's label renders Markdown; the target's label is data.
                t("investor.filter.max_distance", lang, target=escape_markdown(target.label[lang])),
                min_value=0.0,
                step=DISTANCE_STEP_KM,
                format="%.1f",
                placeholder=t("investor.filter.any", lang),
                **ui_state.bind_investor(
                    f"max_km.{target.id}", lang, ui_state.investor_value(f"max_km.{target.id}")
                ),
            )
            if km is not None:
                distances[target.column] = float(km) * 1000.0
    return LotCriteria(
        zones=tuple(zones),
        land_uses=tuple(uses),
        availabilities=tuple(availability),
        area_ha=area,
        rent_usd_m2_term=rent,
        max_distance_m=distances,
    )


def explain_empty(table: pd.DataFrame, criteria: LotCriteria, lots: Lots, lang: str) -> None:
    """Say that no lot matches, and which filter excluded every lot (or that only all did)."""
    st.info(t("investor.no_match", lang))
    labels = criterion_labels(lots, lang)
    counts = criterion_counts(table, criteria)
    alone = [name for name, count in counts.items() if count == 0]
    if alone:
        names = ", ".join(labels[name] for name in alone)
        st.text(t("investor.excluded_by", lang, filters=names))
    lines = [t("investor.passes", lang, filter=labels[n], count=c) for n, c in counts.items()]
    st.text(
        "\n".join(lines) if alone else t("investor.only_together", lang) + "\n" + "\n".join(lines)
    )


def criterion_labels(lots: Lots, lang: str) -> dict[str, str]:
    """Return the label of every criterion :func:`geo.lot_filter.criterion_counts` names."""
    labels = {
        "zone": t("investor.filter.zone", lang),
        "land_use": t("investor.filter.land_use", lang),
        "availability": t("investor.filter.availability", lang),
        "area": t("investor.filter.area", lang),
        "rent": t("investor.filter.rent", lang),
    }
    for target in lots.targets:
        labels[target.column] = target.label[lang]
    return labels


def display_table(
    shown: pd.DataFrame, lots: Lots, names: Mapping[str, str], lang: str
) -> pd.DataFrame:
    """Return the results table as shown: plain values, labels in ``lang``, one row per lot."""
    col = lambda key: t(f"investor.col.{key}", lang)  # noqa: E731
    frame = pd.DataFrame(index=range(len(shown)))
    frame[col("code")] = [str(c or i) for c, i in zip(shown["code"], shown.index, strict=True)]
    frame[col("illustrative")] = [
        t("investor.lot.illustrative_mark", lang) if flag else "" for flag in shown["illustrative"]
    ]
    frame[col("availability")] = [
        t(f"investor.lot.availability.{a}", lang) for a in shown["availability"]
    ]
    frame[col("area_ha")] = shown["area_ha"].round(2).to_numpy()
    frame[col("rent")] = pd.to_numeric(shown["rent_usd_m2_term"], errors="coerce").to_numpy()
    for target in lots.targets:
        metres = shown[target.column].to_numpy()
        frame[t("investor.col.distance_km", lang, target=target.label[lang])] = (
            metres / 1000
        ).round(2)
    frame[col("land_use")] = [land_use_label(str(c), lang) for c in shown["land_use"]]
    frame[col("zone")] = [names.get(z, z) for z in shown["zone_id"]]
    frame[col("area_m2")] = shown["area_m2"].round(0).to_numpy()
    return frame


def distance_columns(lots: Lots, lang: str) -> dict[str, Any]:
    """Return the distance columns' config: narrow, the full label as the header's help."""
    config: dict[str, Any] = {}
    for target in lots.targets:
        label = t("investor.col.distance_km", lang, target=target.label[lang])
        # The header is drawn as plain text; its help renders Markdown (the label is data).
        config[label] = st.column_config.NumberColumn(
            label, width="small", help=escape_markdown(label), format="%.2f"
        )
    return config


def _select(lot_id: str | None) -> None:
    ui_state.set_view("lot", lot_id)


def _on_table_select() -> None:
    """A row was clicked (a callback: it runs before the script, so the link shows it)."""
    state = st.session_state.get(ui_state.LOT_TABLE_KEY) or {}
    rows = list((state.get("selection") or {}).get("rows") or [])
    ids = st.session_state.get(ui_state.LOT_TABLE_IDS_KEY, [])
    st.session_state[ui_state.LOT_TABLE_WRITTEN_KEY] = rows
    _select(ids[rows[0]] if rows and rows[0] < len(ids) else None)


def _on_map_click(known: set[str]) -> None:
    """A lot was clicked on the map (a callback, after ``st_folium`` stored its value)."""
    clicked = clicked_feature_id(st.session_state.get(ui_state.LOT_MAP_KEY), known)
    if clicked is not None:
        st.session_state[ui_state.LOT_MAP_SEEN_KEY] = clicked
        _select(clicked)


def _read_clicks(known: Sequence[str]) -> None:
    """Turn a row selection or a map click that no callback saw into the selected lot.

    In the browser the callbacks above do it; a selection written into the widgets' state
    from outside (a test, a restored session) is read here, before anything is drawn.
    """
    state = st.session_state.get(ui_state.LOT_TABLE_KEY)
    if state is not None:
        rows = list((state.get("selection") or {}).get("rows") or [])
        if rows != st.session_state.get(ui_state.LOT_TABLE_WRITTEN_KEY, []):
            ids = st.session_state.get(ui_state.LOT_TABLE_IDS_KEY, [])
            _select(ids[rows[0]] if rows and rows[0] < len(ids) else None)
    clicked = clicked_feature_id(st.session_state.get(ui_state.LOT_MAP_KEY), set(known))
    if clicked is not None and clicked != st.session_state.get(ui_state.LOT_MAP_SEEN_KEY):
        st.session_state[ui_state.LOT_MAP_SEEN_KEY] = clicked
        _select(clicked)


def _write_selection(ids: list[str], selected: str | None) -> None:
    """Show ``selected`` as the table's selected row (the table's state accepts writes)."""
    rows = [ids.index(selected)] if selected in ids else []
    st.session_state[ui_state.LOT_TABLE_KEY] = {
        "selection": {"rows": rows, "columns": [], "cells": []}
    }
    st.session_state[ui_state.LOT_TABLE_WRITTEN_KEY] = rows
    st.session_state[ui_state.LOT_TABLE_IDS_KEY] = ids


def results(shown: pd.DataFrame, lots: Lots, data: AppData, state: ViewState) -> None:
    """Draw the results table and the map, both showing the selection."""
    lang = state.lang
    ids = [str(i) for i in shown.index]
    selected = ui_state.view_value("lot")
    _write_selection(ids, selected)
    table_col, map_col = st.columns(2)
    table_col.caption(t("investor.results", lang, count=len(ids), total=len(lots.table)))
    table_col.dataframe(
        display_table(shown, lots, zone_names(data, lang), lang),
        key=ui_state.LOT_TABLE_KEY,
        on_select=_on_table_select,
        selection_mode="single-row",
        hide_index=True,
        width="stretch",
        height=style.LOT_MAP_HEIGHT_PX - 80,
        placeholder="",
        column_config=distance_columns(lots, lang),
    )
    table_col.caption(t("investor.table_hint", lang))
    context = tuple(
        data.map_layer(layer_id)
        for layer_id in data.registry.ids
        if data.registry.get(layer_id).schema == "context"
        and layer_id in state.layers
        and layer_id in data.layers
    )
    fmap = lot_map(
        lots.layer,
        lang=lang,
        fills=land_use_fills(),
        shown=set(ids),
        selected=selected if selected in ids else None,
        context=context,
        basemap=state.basemap,
        prepared={c.spec.id: prepared_context(c.spec.id, lang, data.stamp) for c in context},
    )
    add_measure_control(fmap, lang, DEFAULT_ASSET_BASE_URL)
    with map_col:
        _lot_map_widget(fmap, lots)
    map_col.caption(t("investor.map_legend", lang))


def _lot_map_widget(fmap: folium.Map, lots: Lots) -> None:
    st_folium(
        fmap,
        key=ui_state.LOT_MAP_KEY,
        height=style.LOT_MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        on_change=lambda: _on_map_click(set(lots.table.index)),
    )


def investor_page(data: AppData, state: ViewState) -> None:
    """Draw the investor page: notice, filters, results, the selected lot, comparison, enquiry."""
    lang = state.lang
    st.header(t("investor.title", lang))
    reference_notice(lang)
    lots = load_lots(data)
    if lots is None or lots.table.empty:
        st.info(t("investor.no_lots", lang))
        return
    _read_clicks(list(lots.table.index))
    criteria = lot_filters(lots, data, lang)
    shown = filter_lots(lots.table, criteria)
    if shown.empty:
        explain_empty(lots.table, criteria, lots, lang)
    else:
        results(shown, lots, data, state)
    selected = ui_state.view_value("lot")
    if selected in lots.table.index:
        lot_panel(lots, selected, data, state)
    compare_view(lots, data, lang)
    export_buttons(lots, shown, data, lang)
    enquiry_form(lots, selected, lang)
    reference_notice(lang)
