"""Download buttons: the filtered selection of lots (GeoJSON, CSV, XLSX, GeoPackage) and a
lot's one-page A4 PDF sheet.

The files are made by :mod:`geo.exports` (each carries the "for reference only" notice, what
is illustrative and the sources it cites) when their button is clicked.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

import pandas as pd
import streamlit as st

from geo.exports import EXTENSIONS, FORMATS, MEDIA_TYPES, export_bytes
from geo.exports.lot_sheet import lot_sheet_pdf
from geo.i18n import t
from ui import state as ui_state
from ui.data import AppData
from ui.lot_data import Lots

#: The name the files are offered under (the extension follows the format).
FILE_STEM = "lots"


def export_buttons(lots: Lots, shown: pd.DataFrame, data: AppData, lang: str) -> None:
    """Draw one download button per format for the lots in ``shown`` (none when it is empty).

    Each file is made when its button is clicked (a deferred download), so a filter change
    never waits for four files nobody asked for.
    """
    if shown.empty:
        return
    st.subheader(t("investor.export.heading", lang))
    st.caption(t("investor.export.caption", lang, count=len(shown)))
    selection = lots.layer.loc[list(shown.index)].drop(columns="layer_id")
    title = t("investor.export.title", lang, count=len(shown))
    for column, fmt in zip(st.columns(len(FORMATS)), FORMATS, strict=True):
        column.download_button(
            t(f"investor.export.{fmt}", lang),
            data=functools.partial(
                export_bytes, selection, fmt, title=title, sources=data.sources, lang=lang
            ),
            file_name=f"{FILE_STEM}{EXTENSIONS[fmt]}",
            mime=MEDIA_TYPES[fmt],
            key=ui_state.widget_key(f"investor.export.{fmt}", lang),
            icon=":material/download:",
        )


def lot_sheet_maker(lots: Lots, lot_id: str, data: AppData, lang: str) -> Callable[[], bytes]:
    """Return what makes the PDF sheet of one lot in ``lang`` (no Streamlit inside).

    A sheet takes seconds to make (embedding the Vietnamese and Chinese fonts), so the page
    hands this to the download button, which runs it only when the person asks for it.
    """
    columns = [target.column for target in lots.targets] + ["position_from"]
    return functools.partial(
        lot_sheet_pdf,
        lot_id,
        lots=lots.layer.drop(columns="layer_id"),
        layers=data.layers,
        sources=data.sources,
        lang=lang,
        distances=lots.table[columns],
        targets=lots.targets,
    )


def lot_sheet_button(lots: Lots, lot_id: str, data: AppData, lang: str) -> None:
    """Draw the download button of the selected lot's PDF sheet (made on click)."""
    code = str(lots.table.at[lot_id, "code"] or lot_id)
    st.download_button(
        t("investor.export.pdf", lang),
        data=lot_sheet_maker(lots, lot_id, data, lang),
        file_name=f"{FILE_STEM}-{code}{EXTENSIONS['pdf']}",
        mime=MEDIA_TYPES["pdf"],
        key=ui_state.widget_key("investor.export.pdf", lang),
        icon=":material/picture_as_pdf:",
    )
