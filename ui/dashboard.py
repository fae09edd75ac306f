"""The dashboard page: projects by status, investment, expressway km, zone area, trade."""

from __future__ import annotations

from datetime import timedelta

import altair as alt
import pandas as pd
import streamlit as st

from geo import style
from geo.freshness import source_ages
from geo.i18n import feature_name, localized, status_label, t
from geo.summary import (
    area_total,
    held_series,
    investment_total,
    open_vs_planned,
    progress_series,
    status_counts,
)
from geo.text import escape_markdown, format_day, format_number
from geo.timeline import status_on
from geo.vocabulary import STATUSES
from ui.data import AppData
from ui.detail import NB_HYPHEN, markdown_link, source_label
from ui.query import ViewState

ZONE_KINDS = ("cargo_transit_zone", "export_processing_zone", "non_tariff_zone")
#: Dashboard figures: one decimal, thousands grouped.


def _fmt(value: float, lang: str) -> str:
    """A dashboard figure: one decimal at most, grouped, as ``lang`` writes numbers."""
    return format_number(value, 1, grouping=True, lang=lang)


_DATE_AXIS = alt.Axis(format="%m/%Y", tickCount=6, labelAngle=0)
#: The progress charts show at least this many days before the "as of" date.
_MIN_SPAN_DAYS = 730
#: Project names on the progress charts: at least this share of the y range apart, in a
#: right margin this many pixels wide.
_LABEL_GAP = 0.09
_LABEL_PX = 250
#: The right padding asked of Vega-Lite for that margin: its "fit" layout leaves more
#: than the padding (measured at 1280 px: 125 gives room for the 250 px of names).
_LABEL_PAD_PX = 125


def dashboard_page(data: AppData, state: ViewState) -> None:
    """Draw the dashboard for ``state.as_of`` in ``state.lang``."""
    lang = state.lang
    features = data.project_features()
    st.header(t("dashboard.title", lang))
    st.caption(t("dashboard.as_of", lang, date=format_day(state.as_of, lang)))

    counts = status_counts(features, state.as_of)
    investment = investment_total(features)
    roads = open_vs_planned(features, state.as_of)
    zones = area_total(features, ZONE_KINDS)

    # Two per row: at 1280 px four side by side cut "43,986.3 tỷ đồng" to "43,986.3 tỷ …".
    top, bottom = st.columns(2), st.columns(2)
    with top[0].container(border=True):
        st.metric(t("dashboard.projects", lang), sum(counts.values()))
        st.caption(t("dashboard.projects_note", lang, date=format_day(state.as_of, lang)))
    with top[1].container(border=True):
        st.metric(
            t("dashboard.total_investment", lang),
            t("panel.unit_vnd_bn", lang, value=_fmt(investment.value, lang)),
        )
        st.caption(
            t("dashboard.investment_note", lang, known=investment.known, total=investment.total)
        )
    with bottom[0].container(border=True):
        st.metric(
            t("dashboard.expressway_open", lang),
            f"{_fmt(roads.open_km, lang)} / {_fmt(roads.planned_km, lang)} km",
        )
        st.caption(t("dashboard.expressway_note", lang))
    with bottom[1].container(border=True):
        st.metric(
            t("dashboard.zone_area", lang),
            t("panel.unit_ha", lang, value=_fmt(zones.value, lang)),
        )
        st.caption(t("dashboard.area_note", lang, known=zones.known, total=zones.total))

    st.subheader(t("dashboard.projects_by_status", lang))
    _status_chart(counts, lang)

    st.subheader(t("dashboard.progress_over_time", lang))
    _progress_charts(data, features, state)

    st.subheader(t("dashboard.trade", lang))
    _trade_table(data, lang)

    st.subheader(t("dashboard.freshness", lang))
    _freshness_table(features, state)


def _freshness_table(features: dict, state: ViewState) -> None:
    """How old each project's latest source is on the dashboard's date (a dataframe: text)."""
    lang = state.lang
    st.caption(t("dashboard.freshness_note", lang, date=format_day(state.as_of, lang)))
    rows = [
        {
            t("dashboard.project", lang): feature_name(features[a.feature_id], lang),
            t("stale.latest", lang): format_day(a.latest.day, lang, a.latest.precision)
            if a.latest
            else t("stale.undated", lang),
            t("stale.age", lang): a.age_days,
        }
        for a in source_ages(features, state.as_of)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _status_scale(lang: str) -> alt.Scale:
    return alt.Scale(
        domain=[status_label(s, lang) for s in STATUSES],
        range=[style.status_colour(s) for s in STATUSES],
    )


def _status_chart(counts: dict[str, int], lang: str) -> None:
    status_col, count_col = t("dashboard.status", lang), t("dashboard.count", lang)
    frame = pd.DataFrame(
        [{status_col: status_label(s, lang), count_col: counts.get(s, 0)} for s in STATUSES]
    )
    chart = (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X(f"{count_col}:Q", axis=alt.Axis(tickMinStep=1)),
            y=alt.Y(f"{status_col}:N", sort=None, title=None),
            color=alt.Color(f"{status_col}:N", scale=_status_scale(lang), legend=None),
            tooltip=[status_col, count_col],
        )
        .properties(height=200)
    )
    st.altair_chart(chart, width="stretch")


def _progress_charts(data: AppData, features: dict, state: ViewState) -> None:
    lang = state.lang
    rows = progress_series(features, state.as_of)
    if not rows:
        st.caption(t("dashboard.no_progress", lang))
        return
    # Both charts share one span, at least two years, so that one observation is
    # not drawn on a one-week axis.
    first = min([r["date"] for r in rows] + [state.as_of - timedelta(days=_MIN_SPAN_DAYS)])
    domain = [first.isoformat(), state.as_of.isoformat()]
    st.caption(t("dashboard.held_note", lang, date=format_day(state.as_of, lang)))
    # One chart per row: side by side, at 1280 px, the project names did not fit.
    for field, title_key, y_domain in (
        ("progress_pct", "dashboard.progress_pct", [0, 100]),
        ("open_length_km", "dashboard.open_km", None),
    ):
        series = held_series(rows, field, state.as_of)
        _progress_chart(data, features, series, t(title_key, lang), domain, state, y_domain)


def _progress_chart(
    data: AppData,
    features: dict,
    series: list[dict],
    value_title: str,
    domain: list[str],
    state: ViewState,
    y_domain: list[float] | None = None,
) -> None:
    """Published figures per project (lines with points), held dashed to the as-of date."""
    lang = state.lang
    if not series:
        return
    frame = pd.DataFrame(
        [
            {
                **row,
                "project": feature_name(features[row["id"]], lang),
                "colour": style.status_colour(status_on(features[row["id"]], state.as_of)),
                "status": status_label(status_on(features[row["id"]], state.as_of), lang),
                "source": source_label(data, row["source"]) or "",
                "shown": _fmt(row["value"], lang),
            }
            for row in series
        ]
    )
    x = alt.X(
        "date:T", title=t("panel.date", lang), axis=_DATE_AXIS, scale=alt.Scale(domain=domain)
    )
    y = alt.Y(
        "value:Q",
        title=value_title,
        scale=alt.Scale(domain=y_domain) if y_domain else alt.Scale(zero=True, nice=True),
    )
    colour = alt.Color("colour:N", scale=None)
    tooltip = [
        alt.Tooltip("project:N", title=t("dashboard.project", lang)),
        alt.Tooltip("date:T", title=t("panel.date", lang)),
        alt.Tooltip("shown:N", title=value_title),
        alt.Tooltip("status:N", title=t("dashboard.status", lang)),
        alt.Tooltip("source:N", title=t("dashboard.source", lang)),
    ]
    base = alt.Chart(frame).encode(x=x, y=y, color=colour, detail="id:N")
    published = base.transform_filter("datum.published")
    # Between two published figures the older one stands (step); after the last one,
    # a dashed line holds it to the as-of date.
    lines = published.mark_line(interpolate="step-after", strokeWidth=2.5)
    held = base.mark_line(interpolate="step-after", strokeDash=[5, 4], strokeWidth=2)
    points = published.mark_point(filled=True, size=70, opacity=1).encode(tooltip=tooltip)
    ends = frame.sort_values("date").groupby("id", as_index=False).last()
    top = y_domain[1] if y_domain else float(frame["value"].max()) or 1.0
    ends["label_at"] = _dodge(ends["value"].tolist(), gap=top * _LABEL_GAP)
    labels = (
        alt.Chart(ends)
        .mark_text(align="left", baseline="middle", dx=8, fontSize=12, limit=_LABEL_PX - 12)
        .encode(x=x, y="label_at:Q", text="project:N")
    )
    # Text in the theme's text colour: light status colours are too faint for letters.
    values = (
        alt.Chart(frame)
        .transform_filter("datum.published")
        .mark_text(align="left", baseline="top", dx=4, dy=4, fontSize=11)
        .encode(x=x, y=y, text="shown:N")
    )
    # The names stand right of the lines' ends, in a margin of their own: over the plot
    # they crossed other lines.
    chart = alt.layer(held, lines, points, values, labels).properties(
        height=260, padding={"left": 5, "top": 10, "bottom": 5, "right": _LABEL_PAD_PX}
    )
    st.altair_chart(chart, width="stretch", alt=value_title)


def _dodge(values: list[float], gap: float) -> list[float]:
    """Heights for labels above ``values``: at least ``gap`` apart, none below its line.

    >>> _dodge([91.1, 83.5, 50.0], gap=9.0)
    [92.5, 83.5, 50.0]
    """
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed: list[float] = [0.0] * len(values)
    floor = float("-inf")
    for i in order:
        placed[i] = max(values[i], floor)
        floor = placed[i] + gap
    return placed


def _trade_table(data: AppData, lang: str) -> None:
    if data.indicator_error:
        st.error(escape_markdown(data.indicator_error))
    if not data.indicators:
        return
    st.caption(t("dashboard.trade_note", lang))
    figures, details = [], []
    for item in data.indicators:
        value = _fmt(item.value, lang)
        if item.value_low is not None:
            value = f"{_fmt(item.value_low, lang)}–{value}"
        value = t(f"unit.{item.unit}", lang, value=value)
        if item.change_pct is not None:
            value += f" ({item.change_pct:+g} %)"
        source = data.sources.get(item.source)
        label = escape_markdown(source_label(data, item.source) or "")
        # Every cell is escaped Markdown (st.table renders Markdown); dates keep one line.
        figures.append(
            {
                t("dashboard.indicator", lang): escape_markdown(
                    t("panel.milestone_target_row", lang, label=item.label[lang])
                    if item.target
                    else item.label[lang]
                ),
                t("dashboard.value", lang): escape_markdown(value).replace(" ", "\u00a0"),
                t("dashboard.period", lang): escape_markdown(item.period),
                # As precise as the source: a year-precision date is not a 31 December.
                t("dashboard.date", lang): escape_markdown(
                    format_day(item.date, lang, item.date_precision or "day") if item.date else ""
                ).replace("\\-", NB_HYPHEN),
                t("dashboard.source", lang): markdown_link(label, source.url if source else None),
            }
        )
        details.append(
            {
                t("dashboard.indicator", lang): item.label[lang],
                t("dashboard.scope", lang): localized(item.texts, "scope", lang) or "",
                t("dashboard.note", lang): localized(item.texts, "note", lang) or "",
                t("dashboard.source", lang): source.title if source else item.source,
            }
        )
    # The figures with their date and source wrap to fit at 1280 px; scope, notes and
    # source titles are long text, one click away (a dataframe: shown as plain text).
    st.table(pd.DataFrame(figures), hide_index=True, border="horizontal")
    with st.expander(t("dashboard.trade_details", lang)):
        st.dataframe(pd.DataFrame(details), hide_index=True, width="stretch")
