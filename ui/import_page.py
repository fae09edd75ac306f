"""The planners' Import page: upload, report, answers, preview, confirm.

The planner uploads a survey file; it is analysed (:func:`geo.importing.pipeline.analyse`,
nothing written) with the answers drawn above the report (CRS, encoding, axis order, field
renames, accepted repairs, and the accuracy a replaced project layer gets). The report shows
every problem as a table (file, feature, field, rule, message) and every open question; the
converted features are previewed on a map (shapes only, at most
:data:`PREVIEW_MAX_FEATURES`). Confirming writes the layer to the store in one transaction
(:func:`geo.importing.pipeline.commit`) and switches it on: the map reads the store, whose
new stamp reloads the data.

Nothing from the file is rendered as Markdown or HTML: names, messages and values go through
``st.text`` and ``st.dataframe``; the preview map carries geometry only.
"""

from __future__ import annotations

import hashlib
import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import folium
import pandas as pd
import streamlit as st
from shapely.geometry import mapping
from streamlit_folium import st_folium

from geo import style
from geo.crs import describe
from geo.errors import GeoError
from geo.i18n import accuracy_label, t
from geo.importing.crs_resolve import VN2000_CRSS
from geo.importing.model import QUESTION_KINDS, ImportOptions, ImportReport
from geo.importing.pipeline import (
    ACCURACY_CHOICES,
    analyse,
    commit,
    layer_id_for,
    stored_ids,
)
from geo.importing.read import SUPPORTED_EXTENSIONS
from geo.importing.validate import REPAIRS
from geo.mapview import base_map
from geo.store import open_store, store_url
from geo.store.accounts import Account
from geo.text import escape_markdown
from ui import state as ui_state
from ui.data import AppData
from ui.tiled import start_build

__all__ = ["CRS_CHOICES", "PREVIEW_MAX_FEATURES", "import_page", "safe_upload_name"]

#: The CRSs offered as answers (``""``: as the file declares): WGS 84, the VN-2000 ones.
CRS_CHOICES: Final = (
    "",
    "EPSG:4326",
    *(f"EPSG:{code}" for code in VN2000_CRSS),
    "EPSG:32648",
    "EPSG:3857",
)
ENCODING_CHOICES: Final = ("", "utf-8", "cp1258")
AXIS_CHOICES: Final = ("", "en", "ne")
#: Features drawn on the preview map at most: a big survey is summarised, not shipped.
PREVIEW_MAX_FEATURES: Final = 2000
_PREVIEW_COLOUR: Final = "#d55e00"


@dataclass(frozen=True)
class _Answers:
    options: ImportOptions
    accuracy: str


def _crs_label(code: str, lang: str) -> str:
    return t("import.crs_auto", lang) if not code else describe(code)


def safe_upload_name(name: str) -> str:
    r"""Return an uploaded file's name without any folder part, safe to create in a folder.

    The extension is kept (the format is told from it); anything else odd becomes ``_``.

    Examples
    --------
    >>> safe_upload_name("../../etc/Khu Đô thị (2025).zip")
    'Khu Đô thị (2025).zip'
    >>> safe_upload_name(".."), safe_upload_name("C:\\Users\\.hidden.kml")
    ('upload', 'hidden.kml')
    >>> safe_upload_name("a\x00b;rm.csv")
    'a_b_rm.csv'
    """
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[^\w.\-() ]", "_", base).lstrip(". ")
    return base or "upload"


def _saved_upload(upload: Any) -> Path:
    """Write the upload to this session's folder (name without any directory part)."""
    folder = st.session_state.get(ui_state.IMPORT_FOLDER_KEY)
    if folder is None or not Path(folder).is_dir():
        folder = tempfile.mkdtemp(prefix="lsz-import-")
        st.session_state[ui_state.IMPORT_FOLDER_KEY] = folder
    name = safe_upload_name(str(upload.name))
    path = Path(folder) / name
    path.write_bytes(upload.getvalue())
    return path


def _field_map(text: str) -> tuple[dict[str, str], list[str]]:
    """Parse ``SRC=DST`` lines; return the mapping and the lines that are not."""
    mapping_: dict[str, str] = {}
    bad = []
    for line in text.splitlines():
        if not line.strip():
            continue
        src, sep, dst = line.partition("=")
        if sep and src.strip() and dst.strip():
            mapping_[src.strip()] = dst.strip()
        else:
            bad.append(line)
    return mapping_, bad


def _answer_binder(path: Path, lang: str) -> Any:
    """Return ``bind(name, default)``: the key/on_change arguments of one answer widget.

    The answers live under :data:`ui.state.IMPORT_ANSWERS_KEY`, independent of the language
    the widgets are drawn in (their keys are per language, like the view's), so switching the
    language keeps every answer; uploading another file starts again from its defaults.
    """
    held = st.session_state.get(ui_state.IMPORT_ANSWERS_KEY)
    if not isinstance(held, dict) or held.get("file") != path.name:
        held = {"file": path.name, "values": {}}
        st.session_state[ui_state.IMPORT_ANSWERS_KEY] = held
    values: dict[str, Any] = held["values"]

    def bind(name: str, default: Any) -> dict[str, Any]:
        def keep(value: Any) -> None:
            values[name] = value

        return ui_state.bind(f"import.{name}", lang, values.get(name, default), keep)

    return bind


def _answers(path: Path, lang: str) -> _Answers:
    """Draw the answer widgets; return the options they give."""
    bind = _answer_binder(path, lang)
    cols = st.columns(2)
    with cols[0]:
        layer = st.text_input(t("import.layer", lang), **bind("layer", layer_id_for(path.name)))
        crs = st.selectbox(
            t("import.crs", lang),
            CRS_CHOICES,
            format_func=lambda c: _crs_label(c, lang),
            **bind("crs", CRS_CHOICES[0]),
        )
        encoding = st.selectbox(
            t("import.encoding", lang),
            ENCODING_CHOICES,
            format_func=lambda e: e or t("import.encoding_auto", lang),
            **bind("encoding", ENCODING_CHOICES[0]),
        )
        axis = st.radio(
            t("import.axis", lang),
            AXIS_CHOICES,
            format_func=lambda a: t(f"import.axis_{a or 'auto'}", lang),
            horizontal=True,
            **bind("axis", AXIS_CHOICES[0]),
        )
    with cols[1]:
        repairs = st.multiselect(
            t("import.repairs", lang),
            REPAIRS,
            format_func=lambda r: t(f"import.repair.{r}", lang),
            **bind("repairs", []),
        )
        renames = st.text_area(t("import.field_map", lang), height=90, **bind("field_map", ""))
        accuracy = st.radio(
            t("import.accuracy", lang),
            ACCURACY_CHOICES,
            format_func=lambda a: accuracy_label(a, lang),
            horizontal=True,
            **bind("accuracy", ACCURACY_CHOICES[0]),
        )
    field_map, bad = _field_map(renames)
    for line in bad:
        st.error(escape_markdown(t("import.field_map_bad", lang)))
        st.text(line)
    options = ImportOptions(
        layer=layer.strip() or None,
        crs=crs or None,
        encoding=encoding or None,
        axis=axis or None,  # type: ignore[arg-type]
        field_map=field_map,
        repairs=tuple(repairs),
    )
    return _Answers(options, accuracy)


def _entries(data: AppData) -> list[dict[str, Any]]:
    return [
        {"id": s.id, "geometry_kind": s.geometry_kind, "schema": s.schema}
        for s in data.registry.layers
    ]


def _versions(data: AppData) -> dict[str, int]:
    stamp = data.stamp
    if len(stamp) == 3 and stamp[0] == "store":
        return dict(stamp[2][1])
    return {}


def _analysed(path: Path, options: ImportOptions, data: AppData, lang: str) -> ImportReport:
    """Analyse once per file content, answers and data version (kept for the session)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    cache_key = (
        path.name,
        digest,
        json.dumps(
            [
                options.layer,
                options.crs,
                options.encoding,
                options.axis,
                sorted(options.field_map.items()),
                list(options.repairs),
            ]
        ),
        repr(data.stamp),
    )
    held = st.session_state.get(ui_state.IMPORT_ANALYSIS_KEY)
    if held is not None and held[0] == cache_key:
        return held[1]
    with st.spinner(t("import.analysing", lang)):
        report = analyse(path, options, entries=_entries(data), taken_ids=stored_ids(data.layers))
    st.session_state[ui_state.IMPORT_ANALYSIS_KEY] = (cache_key, report)
    return report


def _report(report: ImportReport, lang: str) -> None:
    st.subheader(t("import.report", lang))
    st.text(
        t(
            "import.summary",
            lang,
            file=report.file,
            features=report.features,
            crs=report.source_crs or t("import.crs_unknown", lang),
            problems=len(report.problems),
            questions=len(report.questions),
        )
    )
    if report.problems:
        st.markdown(f"**{escape_markdown(t('import.problems', lang))}**")
        rows = [
            {
                t("import.col.file", lang): p.file,
                t("import.col.feature", lang): p.feature or "",
                t("import.col.field", lang): p.field or "",
                t("import.col.rule", lang): p.rule,
                t("import.col.message", lang): str(p),
            }
            for p in report.problems
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True, use_container_width=True)
    if report.questions:
        st.markdown(f"**{escape_markdown(t('import.questions', lang))}**")
        for q in report.questions:
            kind = t(f"import.question.{q.kind}", lang) if q.kind in QUESTION_KINDS else q.kind
            suggestion = (
                t("import.suggestion", lang, suggestion=q.suggestion) if q.suggestion else ""
            )
            st.text(f"{kind}: {q.message} {suggestion}".strip())


def _preview(report: ImportReport, lang: str) -> None:
    frame = report.frame
    if frame is None or frame.empty:
        return
    shown = frame.geometry[frame.geometry.notna()].iloc[:PREVIEW_MAX_FEATURES]
    st.caption(t("import.preview", lang, shown=len(shown), total=len(frame)))
    fmap = base_map([], lang=lang, basemap=ui_state.view_value("basemap"))
    # Geometry only: no property of the file reaches the browser.
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {}, "geometry": mapping(g)}
            for g in shown
            if not g.is_empty
        ],
    }
    folium.GeoJson(
        collection,
        style_function=lambda _f: {"color": _PREVIEW_COLOUR, "weight": 2, "fillOpacity": 0.2},
        marker=folium.CircleMarker(radius=5, color=_PREVIEW_COLOUR, fill=True),
    ).add_to(fmap)
    minx, miny, maxx, maxy = shown.total_bounds
    fmap.fit_bounds([[miny, minx], [maxy, maxx]])
    st_folium(
        fmap,
        key=ui_state.IMPORT_MAP_KEY,
        height=style.MAP_HEIGHT_PX // 2,
        use_container_width=True,
        returned_objects=[],
    )


def _confirm(report: ImportReport, answers: _Answers, data: AppData, lang: str) -> None:
    versions = _versions(data)
    current = versions.get(report.layer_id, 0)
    if current:
        st.text(t("import.replaces", lang, layer=report.layer_id, version=current))
    else:
        st.text(t("import.new_layer", lang, layer=report.layer_id))
    if not report.ok:
        st.warning(escape_markdown(t("import.not_ok", lang)))
        return
    if st.button(t("import.confirm", lang), key=ui_state.IMPORT_CONFIRM_KEY, type="primary"):
        try:
            with open_store(store_url()) as store:
                version = commit(report, store, accuracy=answers.accuracy, expected_version=current)
        except GeoError as exc:  # refused (changed meanwhile, database down): nothing written
            st.error(escape_markdown(str(exc)))
            return
        st.session_state[ui_state.IMPORT_DONE_KEY] = (report.layer_id, version)
        st.session_state.pop(ui_state.IMPORT_ANALYSIS_KEY, None)
        layers = tuple(ui_state.view_value("layers"))
        if report.layer_id not in layers:
            ui_state.set_view("layers", (*layers, report.layer_id))
        st.rerun()


def import_page(data: AppData, lang: str, account: Account | None) -> None:
    """Draw the Import page: only for a logged-in planner or admin (:func:`ui.auth.login`).

    Without a store the page says import is not available. Anyone else sees that the page
    is for planners, and nothing of it runs: no uploader, and
    no report, preview or confirm read from the session state (whatever a script put there).
    """
    st.header(t("import.title", lang))
    if data.read_only is not None:  # the store file is damaged: nothing can be written
        st.info(t("readonly.import", lang))
        return
    if data.stamp[:1] != ("store",):  # no store: no login either, and nothing to import into
        st.info(escape_markdown(t("import.no_store", lang)))
        return
    if account is None or not account.can_edit:
        st.info(t("import.planners_only", lang))
        return
    st.caption(t("import.intro", lang))
    done = st.session_state.get(ui_state.IMPORT_DONE_KEY)
    if done is not None:
        st.success(escape_markdown(t("import.done", lang, layer=done[0], version=done[1])))
        if done[0] in data.layers:  # a large layer's tiles start now, not on the map page
            start_build(data.map_layer(done[0]), data.stamp)
    upload = st.file_uploader(
        t("import.upload", lang),
        type=[ext.lstrip(".") for ext in SUPPORTED_EXTENSIONS],
        key=ui_state.IMPORT_UPLOAD_KEY,
    )
    if upload is None:
        return
    path = _saved_upload(upload)
    answers = _answers(path, lang)
    report = _analysed(path, answers.options, data, lang)
    _report(report, lang)
    _preview(report, lang)
    _confirm(report, answers, data, lang)
