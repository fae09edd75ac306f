"""The detail panel of one project: names, status, progress, milestones, figures, sources.

Every value from the data is shown as text (escaped Markdown, dataframes or
Altair); the only HTML is our own status swatch, whose colour is a constant.
"""

from __future__ import annotations

import html
from datetime import date
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from geo import style
from geo.i18n import LANGUAGES, accuracy_label, feature_name, localized, status_label, t
from geo.mapview import progress_text
from geo.measure import area_ha, distance_m, length_km
from geo.summary import as_number
from geo.text import escape_markdown, format_number
from geo.timeline import milestones, open_length_on, progress_on, status_on
from ui.data import AppData

HUU_NGHI_GATE_ID = "gate-huu-nghi"


def _figure(label: str, value: float | None, unit_key: str, source: str | None, lang: str) -> str:
    if value is None:
        return f"- **{label}**: _{t('panel.not_published', lang)}_"
    text = t(unit_key, lang, value=format_number(value, grouping=True))
    cited = f" ({escape_markdown(t('panel.source_of', lang, source=source))})" if source else ""
    return f"- **{label}**: {escape_markdown(text)}{cited}"


def source_label(data: AppData, source_id: str | None) -> str | None:
    """Return "publisher, date" for a source id (the id itself if it is not in sources.json)."""
    if source_id is None:
        return None
    source = data.sources.get(source_id)
    if source is None:
        return source_id
    parts = [p for p in (source.publisher or source.title, source.date) if p]
    return ", ".join(str(p) for p in parts)


def detail_panel(data: AppData, feature_id: str | None, lang: str, as_of: date) -> None:
    """Draw the panel of ``feature_id`` (or a hint when nothing is selected)."""
    st.header(t("panel.title", lang))  # h2 under the page's h1 (axe heading-order)
    features = data.project_features()
    if feature_id is None or feature_id not in features:
        st.caption(t("panel.empty", lang))
        return
    props = features[feature_id]
    layer = data.map_layer(props["layer"])
    geom = layer.data.geometry[feature_id]

    st.markdown(f"### {escape_markdown(feature_name(props, lang))}")
    others = [
        feature_name(props, other)
        for other in LANGUAGES
        if other != lang and props.get(f"name_{other}")
    ]
    if others:
        st.caption(" · ".join(others))

    status = status_on(props, as_of)
    colour = style.status_colour(status)
    st.markdown(
        f'<span style="display:inline-block;width:12px;height:12px;border-radius:50%;'
        f'background:{colour};vertical-align:middle"></span> '
        f"<b>{html.escape(t('panel.status', lang))}:</b> {html.escape(status_label(status, lang))}",
        unsafe_allow_html=True,
    )

    obs = progress_on(props, as_of)
    if obs is not None:
        st.progress(
            min(max(float(obs.progress_pct) / 100.0, 0.0), 1.0),
            text=escape_markdown(
                f"{t('panel.progress', lang)}: {progress_text(props, lang, as_of)}"
            ),
        )
    else:
        st.caption(t("panel.progress_none", lang))
        # The note explains an empty figure; it would mislead beside a later figure.
        progress_note = localized(props, "progress_note", lang)
        if props.get("progress_pct") is None and progress_note:
            st.caption(escape_markdown(progress_note))

    accuracy = str(props.get("geometry_accuracy"))
    if accuracy != "surveyed":
        st.warning(
            t(
                "panel.schematic_warning",
                lang,
                accuracy=accuracy_label(accuracy, lang),
                note=escape_markdown(localized(props, "accuracy_note", lang) or ""),
            ),
            icon="⚠️",
        )

    _milestones(props, lang, as_of)
    _figures(data, props, geom, lang, as_of)
    note = localized(props, "note", lang)
    if note:
        st.markdown(f"**{t('panel.note', lang)}**")
        st.caption(escape_markdown(note))
    _sources(data, props, lang)


def _milestones(props: dict, lang: str, as_of: date) -> None:
    items = milestones(props)
    if not items:
        return
    st.markdown(f"**{t('panel.milestones', lang)}**")
    rows = pd.DataFrame(
        [
            {
                t("panel.date", lang): m.day,
                t("panel.event", lang): m.labels.get(lang) or m.labels.get("en") or "",
                t("panel.kind", lang): t(
                    "panel.milestone_target" if m.is_target else "panel.milestone_event", lang
                ),
                "source": m.source,
            }
            for m in items
        ]
    )
    date_col, kind_col, event_col = (
        t("panel.date", lang),
        t("panel.kind", lang),
        t("panel.event", lang),
    )
    chart = (
        alt.Chart(rows)
        .mark_point(filled=True, size=90)
        .encode(
            x=alt.X(f"{date_col}:T", title=None, axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y(f"{kind_col}:N", title=None),
            shape=alt.Shape(f"{kind_col}:N", legend=None),
            color=alt.Color(f"{kind_col}:N", legend=None),
            tooltip=[date_col, event_col, "source"],
        )
        .properties(height=90)
    )
    rule = (
        alt.Chart(pd.DataFrame({"as_of": [as_of]})).mark_rule(strokeDash=[4, 3]).encode(x="as_of:T")
    )
    st.altair_chart(chart + rule, width="stretch")
    st.dataframe(rows, hide_index=True, width="stretch")


def _figures(data: AppData, props: dict, geom: Any, lang: str, as_of: date) -> None:
    st.markdown(f"**{t('panel.figures', lang)}**")
    lines = []
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        lines.append(
            _figure(
                t("panel.area", lang),
                as_number(props.get("area_ha")),
                "panel.unit_ha",
                source_label(data, props.get("area_source")),
                lang,
            )
        )
        lines.append(
            _figure(t("panel.measured_area", lang), area_ha(geom), "panel.unit_ha", None, lang)
        )
    if geom.geom_type in ("LineString", "MultiLineString"):
        lines.append(
            _figure(
                t("panel.length", lang),
                as_number(props.get("length_km")),
                "panel.unit_km",
                source_label(data, props.get("length_source")),
                lang,
            )
        )
        lines.append(
            _figure(t("panel.measured_length", lang), length_km(geom), "panel.unit_km", None, lang)
        )
        opened = open_length_on(props, as_of)
        if opened is not None:
            lines.append(
                _figure(
                    t("panel.open_length", lang),
                    float(opened.open_length_km),
                    "panel.unit_km",
                    source_label(data, opened.source),
                    lang,
                )
            )
    lines.append(
        _figure(
            t("panel.investment", lang),
            as_number(props.get("investment_vnd_bn")),
            "panel.unit_vnd_bn",
            source_label(data, props.get("investment_source")),
            lang,
        )
    )
    investor = props.get("investor")
    if isinstance(investor, str) and investor:
        source = source_label(data, props.get("investor_source"))
        cited = f" ({escape_markdown(t('panel.source_of', lang, source=source))})" if source else ""
        lines.append(f"- **{t('panel.investor', lang)}**: {escape_markdown(investor)}{cited}")
    else:
        lines.append(f"- **{t('panel.investor', lang)}**: _{t('panel.not_published', lang)}_")
    lines.extend(_distances(data, props, geom, lang))
    lines.append(
        f"- **{t('panel.accuracy', lang)}**: "
        f"{escape_markdown(accuracy_label(str(props.get('geometry_accuracy')), lang))}"
    )
    st.markdown("\n".join(lines))


def _distances(data: AppData, props: dict, geom: Any, lang: str) -> list[str]:
    lines = []
    gates = data.layers.get("gates")
    if gates is not None and HUU_NGHI_GATE_ID in gates.index and props["id"] != HUU_NGHI_GATE_ID:
        km = distance_m(geom, gates.geometry[HUU_NGHI_GATE_ID]) / 1000.0
        lines.append(_figure(t("panel.distance_gate", lang), km, "panel.unit_km", None, lang))
    expressways = data.layers.get("expressways")
    if expressways is not None and props.get("kind") != "expressway" and len(expressways):
        km = min(distance_m(geom, line) for line in expressways.geometry) / 1000.0
        lines.append(_figure(t("panel.distance_expressway", lang), km, "panel.unit_km", None, lang))
    return lines


def _sources(data: AppData, props: dict, lang: str) -> None:
    ids = list(props.get("sources") or [])
    if not ids:
        return
    st.markdown(f"**{t('panel.sources', lang)}**")
    lines = []
    for source_id in ids:
        source = data.sources.get(source_id)
        if source is None:
            lines.append(f"- {escape_markdown(source_id)}")
            continue
        parts = [p for p in (source.title, source.publisher, source.date) if p]
        label = escape_markdown(" — ".join(str(p) for p in parts))
        url = source.url
        if url and url.startswith(("https://", "http://")) and ")" not in url and " " not in url:
            lines.append(f"- [{label}]({url})")
        else:
            lines.append(f"- {label}")
    st.markdown("\n".join(lines))
