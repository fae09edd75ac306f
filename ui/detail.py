"""The detail panel of one project: names, status, progress, milestones, figures, sources.

Every value from the data is shown as text (escaped Markdown, also in the cells of
``st.table``, which renders Markdown; dataframes; Altair); the only HTML is our own
status swatch, whose colour is a constant.
"""

from __future__ import annotations

import html
from datetime import date, timedelta
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from geo import style
from geo.distances import target_distances_km
from geo.feature_state import state_on
from geo.feature_text import age_text, day_text, passed_target_texts, progress_text, status_text
from geo.freshness import figure_age
from geo.i18n import LANGUAGES, accuracy_label, feature_name, localized, status_label, t
from geo.measure import area_ha, length_km
from geo.registry import distance_targets
from geo.summary import as_number
from geo.text import escape_markdown, format_day, format_number
from geo.timeline import milestones, open_length_on, status_on
from ui.data import AppData

NB_HYPHEN = "\u2011"


def _figure(label: str, value: float | None, unit_key: str, source: str | None, lang: str) -> str:
    if value is None:
        return f"- **{escape_markdown(label)}**: _{t('panel.not_published', lang)}_"
    text = t(unit_key, lang, value=format_number(value, grouping=True, lang=lang))
    cited = f" ({escape_markdown(t('panel.source_of', lang, source=source))})" if source else ""
    return f"- **{escape_markdown(label)}**: {escape_markdown(text)}{cited}"


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
        st.caption(escape_markdown(" · ".join(others)))

    state = state_on(props, as_of)
    colour = style.status_colour(state.status)
    status = html.escape(status_text(state, lang))
    st.markdown(
        f'<span style="display:inline-block;width:12px;height:12px;border-radius:50%;'
        f'background:{colour};vertical-align:middle"></span> '
        f"<b>{html.escape(t('panel.status', lang))}:</b> {status}",
        unsafe_allow_html=True,
    )
    for line in passed_target_texts(state, lang):
        st.caption(escape_markdown(line))
    if state.exists:  # the map's "age of the latest figure", in words
        aged = figure_age(state, as_of)
        age = age_text(aged, lang, source_label(data, aged.latest.source) if aged.latest else None)
        st.caption(escape_markdown(age[:1].upper() + age[1:]))

    obs = state.progress
    if obs is not None:
        st.progress(
            min(max(float(obs.progress_pct) / 100.0, 0.0), 1.0),
            text=escape_markdown(
                f"{t('panel.progress', lang)}: {progress_text(props, lang, as_of, state)}"
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

    _milestones(data, props, lang, as_of)
    _figures(data, props, geom, lang, as_of)
    note = localized(props, "note", lang)
    if note:
        st.markdown(f"**{t('panel.note', lang)}**")
        st.caption(escape_markdown(note))
    _sources(data, props, lang)


#: Milestone chart: pixels per milestone row (a label line above its point), and the
#: pixels of the date axis, which Vega-Lite counts inside the chart's height.
_ROW_PX = 36
_FRAME_PX = 80
#: Longest label drawn in the chart, in pixels; the table below has every word.
_LABEL_LIMIT_PX = 300


def _milestones(data: AppData, props: dict, lang: str, as_of: date) -> None:
    items = milestones(props)
    if not items:
        return
    st.markdown(f"**{t('panel.milestones', lang)}**")
    rows = []
    # Row 0 holds the as-of mark's label, so that it never covers a milestone's.
    for rank, m in enumerate(items, start=1):
        label = m.labels.get(lang) or m.labels.get("en") or ""
        when = format_day(m.day, lang, m.precision)
        status = status_on(props, m.day)
        shown = t("panel.milestone_target_row", lang, label=label) if m.is_target else label
        rows.append(
            {
                "rank": rank,
                "day": m.day,
                "when": when,
                "label": label,
                "shown": shown,
                "text": f"{when} · {shown}",
                "is_target": m.is_target,
                "kind": t(
                    "panel.milestone_target" if m.is_target else "panel.milestone_event", lang
                ),
                "status": status_label(status, lang),
                "colour": style.status_colour(status),
                "source": source_label(data, m.source) or "",
            }
        )
    frame = pd.DataFrame(rows)
    _milestone_chart(frame, feature_name(props, lang), lang, as_of)
    # A static table wraps long text inside the panel; every cell is escaped Markdown.
    table = pd.DataFrame(
        {
            # Non-breaking hyphens and spaces: a date is not split over two lines.
            t("panel.date", lang): [
                escape_markdown(r["when"]).replace("\\-", NB_HYPHEN).replace(" ", "\u00a0")
                for r in rows
            ],
            t("panel.event", lang): [escape_markdown(r["shown"]) for r in rows],
            t("panel.source", lang): [_source_link(data, m.source) for m in items],
        }
    )
    st.table(table, hide_index=True, border="horizontal")


def _milestone_chart(frame: pd.DataFrame, name: str, lang: str, as_of: date) -> None:
    """One row per milestone: its date and text above a point at its date on a time axis."""
    first, last = min(frame["day"].min(), as_of), max(frame["day"].max(), as_of)
    pad = max((last - first) * 0.04, timedelta(days=20))
    domain = [(first - pad).isoformat(), (last + pad).isoformat()]
    x = alt.X(
        "day:T",
        title=t("panel.date", lang),
        scale=alt.Scale(domain=domain),
        axis=alt.Axis(format="%Y", tickCount="year", labelOverlap=True, grid=True),
    )
    y = alt.Y(
        "rank:O", axis=None, scale=alt.Scale(domain=list(range(len(frame) + 1)), paddingOuter=0.4)
    )
    tooltip = [
        alt.Tooltip("when:N", title=t("panel.date", lang)),
        alt.Tooltip("label:N", title=t("panel.event", lang)),
        alt.Tooltip("kind:N", title=t("panel.kind", lang)),
        alt.Tooltip("status:N", title=t("panel.status", lang)),
        alt.Tooltip("source:N", title=t("panel.source", lang)),
    ]
    # Colours are the map's status colours (explained by the map legend beside it);
    # targets are hollow diamonds and say "target" in their label.
    points = (
        alt.Chart(frame)
        .mark_point(size=90, opacity=1, strokeWidth=2)
        .encode(
            x=x,
            y=y,
            shape=alt.Shape(
                "is_target:N",
                scale=alt.Scale(domain=[False, True], range=["circle", "diamond"]),
                legend=None,
            ),
            fill=alt.condition(
                "datum.is_target", alt.value("white"), alt.Color("colour:N", scale=None)
            ),
            stroke=alt.Color("colour:N", scale=None),
            tooltip=tooltip,
        )
    )
    # Labels start at the left edge of the plot, one line above their point, so that
    # they never overlap however close the dates are.
    labels = (
        alt.Chart(frame.assign(left=first - pad))
        .mark_text(align="left", baseline="bottom", dy=-9, fontSize=12, limit=_LABEL_LIMIT_PX)
        .encode(x=alt.X("left:T", scale=alt.Scale(domain=domain)), y=y, text="text:N")
    )
    mark = pd.DataFrame(
        {
            "day": [as_of],
            "rank": [0],
            "text": [t("panel.as_of_mark", lang, date=format_day(as_of, lang))],
        }
    )
    rule = alt.Chart(mark).mark_rule(strokeDash=[4, 3]).encode(x="day:T")
    rule_text = (
        alt.Chart(mark)
        .mark_text(align="right", baseline="middle", dx=-4, fontSize=11)
        .encode(x="day:T", y=y, text="text:N")
    )
    chart = alt.layer(rule, points, labels, rule_text).properties(
        height=_ROW_PX * (len(frame) + 1) + _FRAME_PX
    )
    st.altair_chart(chart, width="stretch", alt=t("panel.milestone_chart", lang, name=name))


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
                    f"{t('panel.open_length', lang)} · {day_text(opened, lang)}",
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
    """Escaped Markdown lines: the distance to each declared target, or why it is not known."""
    lines = []
    for found in target_distances_km(
        props["id"],
        props["layer"],
        geom,
        props.get("geometry_accuracy"),
        data.layers,
        distance_targets(data.registry),
    ):
        label = found.target.label[lang]
        if found.km is not None:
            lines.append(_figure(label, found.km, "panel.unit_km", None, lang))
        else:
            reason = t(f"panel.distance_unknown_{found.unknown}", lang)
            lines.append(f"- **{escape_markdown(label)}**: _{escape_markdown(reason)}_")
    return lines


def _source_link(data: AppData, source_id: str) -> str:
    """Escaped Markdown: "publisher, date" of a source, linked where it has an address."""
    # Non-breaking hyphens keep the date on one line in a narrow table.
    label = escape_markdown(source_label(data, source_id) or "").replace("\\-", NB_HYPHEN)
    source = data.sources.get(source_id)
    return markdown_link(label, source.url if source else None)


def markdown_link(label: str, url: str | None) -> str:
    """``[label](url)`` for a plain http(s) address, else the (already escaped) label."""
    if url and url.startswith(("https://", "http://")) and not any(c in url for c in ") <>"):
        return f"[{label}]({url})"
    return label


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
        lines.append(
            f"- {markdown_link(escape_markdown(' — '.join(str(p) for p in parts)), source.url)}"
        )
    st.markdown("\n".join(lines))
