"""The lot panel (every fact with its basis, a locator map) and the comparison of lots.

Facts come from :func:`geo.lot_facts.lot_facts` and are shown in ``st.dataframe`` (plain
text, never Markdown). Up to :data:`MAX_COMPARED` lots are compared side by side; adding
one more is refused with a message.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo import style
from geo.i18n import feature_name, localized, t
from geo.lot_facts import LotFact, lot_facts
from geo.lot_map import locator_map
from geo.text import escape_markdown
from geo.vocabulary import LAND_USES
from ui import state as ui_state
from ui.data import AppData
from ui.lot_data import Lots, land_use_fills
from ui.lot_exports import lot_sheet_button
from ui.query import ViewState

#: The most lots compared side by side.
MAX_COMPARED = 3


def display_names(data: AppData, lang: str) -> dict[str, str]:
    """Return the names shown for zone ids and land-use codes, in ``lang``."""
    names = {fid: feature_name(props, lang) for fid, props in data.project_features().items()}
    names.update({code: f"{code} · {use.name[lang]}" for code, use in LAND_USES.items()})
    return names


def facts_of(lots: Lots, lot_id: str, data: AppData, lang: str) -> list[LotFact]:
    """Return the facts of one lot in ``lang``."""
    props = _props(lots, lot_id)
    row = lots.table.loc[lot_id].to_dict()
    return lot_facts(props, row, data.sources, lots.targets, display_names(data, lang), lang)


def _props(lots: Lots, lot_id: str) -> dict[str, Any]:
    props = lots.layer.drop(columns="geometry").loc[lot_id].to_dict()
    return {k: (None if isinstance(v, float) and pd.isna(v) else v) for k, v in props.items()}


def facts_frame(facts: list[LotFact], lang: str) -> pd.DataFrame:
    """Return the facts as a three-column table: fact, value, basis."""
    return pd.DataFrame(
        {
            t("investor.lot.col.fact", lang): [f.label for f in facts],
            t("investor.lot.col.value", lang): [f.value for f in facts],
            t("investor.lot.col.basis", lang): [f.basis for f in facts],
        }
    )


def _add_to_comparison(lot_id: str) -> None:
    compared = list(ui_state.investor_value("compare", []))
    if lot_id in compared:
        return
    if len(compared) >= MAX_COMPARED:
        ui_state.set_investor("compare_refused", lot_id)
        return
    ui_state.set_investor("compare", [*compared, lot_id])


def _remove_from_comparison(lot_id: str) -> None:
    compared = [i for i in ui_state.investor_value("compare", []) if i != lot_id]
    ui_state.set_investor("compare", compared)


def lot_panel(lots: Lots, lot_id: str, data: AppData, state: ViewState) -> None:
    """Draw the selected lot: its facts with their basis, how the values were chosen, a map."""
    lang = state.lang
    code = str(lots.table.at[lot_id, "code"] or lot_id)
    # A heading renders Markdown: the code is the data's free text.
    st.subheader(t("investor.lot.panel_title", lang, code=escape_markdown(code)))
    facts_col, map_col = st.columns([3, 2])
    with facts_col:
        st.dataframe(facts_frame(facts_of(lots, lot_id, data, lang), lang), hide_index=True)
        props = _props(lots, lot_id)
        if lots.table.at[lot_id, "illustrative"]:
            st.caption(t("investor.lot.illustrative_note", lang))
            basis = localized(props, "illustrative_basis", lang)
            if basis:
                st.text(basis)
    with map_col:
        st.caption(t("investor.lot.locator", lang))
        st_folium(
            locator_map(
                lots.layer,
                lot_id,
                lang=lang,
                fills=land_use_fills(),
                basemap=ui_state.view_value("basemap"),
            ),
            key=ui_state.LOT_LOCATOR_KEY,
            height=style.LOT_LOCATOR_HEIGHT_PX,
            use_container_width=True,
            returned_objects=[],
        )
    compare_col, sheet_col = st.columns(2)
    compare_col.button(
        t("investor.lot.compare_add", lang),
        key=ui_state.widget_key("investor.compare_add", lang),
        on_click=_add_to_comparison,
        args=(lot_id,),
        icon=":material/compare_arrows:",
    )
    with sheet_col:
        lot_sheet_button(lots, lot_id, data, lang)


def compare_frame(lots: Lots, lot_ids: list[str], data: AppData, lang: str) -> pd.DataFrame:
    """Return the comparison table: one row per fact, one column per lot (value and basis)."""
    columns: dict[str, list[str]] = {}
    labels: list[str] = []
    for lot_id in lot_ids:
        facts = facts_of(lots, lot_id, data, lang)
        labels = [f.label for f in facts]
        code = str(lots.table.at[lot_id, "code"] or lot_id)
        columns[code] = [f"{f.value} ({f.basis})" if f.basis else f.value for f in facts]
    return pd.DataFrame({t("investor.lot.col.fact", lang): labels, **columns})


def compare_view(lots: Lots, data: AppData, lang: str) -> None:
    """Draw the lots chosen for comparison side by side (nothing when none is chosen)."""
    refused = ui_state.investor_value("compare_refused")
    if refused is not None:
        ui_state.set_investor("compare_refused", None)
        st.warning(t("investor.lot.compare_full", lang, limit=MAX_COMPARED))
    compared = [i for i in ui_state.investor_value("compare", []) if i in lots.table.index]
    if not compared:
        return
    st.subheader(t("investor.lot.compare_title", lang, count=len(compared), limit=MAX_COMPARED))
    st.dataframe(compare_frame(lots, compared, data, lang), hide_index=True)
    for column, lot_id in zip(st.columns(len(compared)), compared, strict=True):
        column.button(
            t(
                "investor.lot.compare_remove",
                lang,
                code=escape_markdown(str(lots.table.at[lot_id, "code"] or lot_id)),
            ),
            key=ui_state.widget_key(f"investor.compare_remove.{lot_id}", lang),
            on_click=_remove_from_comparison,
            args=(lot_id,),
        )
