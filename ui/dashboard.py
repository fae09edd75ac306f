"""The dashboard page: projects by status, investment, expressway km, zone area, trade."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

import altair as alt
import pandas as pd
import streamlit as st

from geo import style
from geo.i18n import feature_name, localized, status_label, t
from geo.schema import STATUSES
from geo.summary import (
    area_total,
    investment_total,
    open_vs_planned,
    progress_series,
    status_counts,
)
from geo.text import escape_markdown, format_number
from ui.data import AppData
from ui.query import ViewState

ZONE_KINDS = ("cargo_transit_zone", "export_processing_zone", "non_tariff_zone")
#: Dashboard figures: one decimal, thousands grouped.
_fmt = partial(format_number, decimals=1, grouping=True)
_DATE_AXIS = alt.Axis(format="%m/%Y", tickCount=6, labelAngle=0)
#: The progress charts show at least this many days before the "as of" date.
_MIN_SPAN_DAYS = 730


def dashboard_page(data: AppData, state: ViewState) -> None:
    """Draw the dashboard for ``state.as_of`` in ``state.lang``."""
    lang = state.lang
    features = data.project_features()
    st.header(t("dashboard.title", lang))
    st.caption(t("dashboard.as_of", lang, date=state.as_of.isoformat()))

    counts = status_counts(features, state.as_of)
    investment = investment_total(features)
    roads = open_vs_planned(features, state.as_of)
    zones = area_total(features, ZONE_KINDS)

    c1, c2, c3, c4 = st.columns(4)
    c1.metric(t("dashboard.projects", lang), sum(counts.values()))
    c2.metric(
        t("dashboard.total_investment", lang),
        t("panel.unit_vnd_bn", lang, value=_fmt(investment.value)),
        help=t("dashboard.investment_note", lang, known=investment.known, total=investment.total),
    )
    c3.metric(
        t("dashboard.expressway_open", lang),
        f"{_fmt(roads.open_km)} / {_fmt(roads.planned_km)} km",
        help=t("dashboard.expressway_note", lang),
    )
    c4.metric(
        t("dashboard.zone_area", lang),
        t("panel.unit_ha", lang, value=_fmt(zones.value)),
    )

    st.subheader(t("dashboard.projects_by_status", lang))
    _status_chart(counts, lang)

    st.subheader(t("dashboard.progress_over_time", lang))
    _progress_charts(features, state)

    st.subheader(t("dashboard.trade", lang))
    _trade_table(data, lang)


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


def _progress_charts(features: dict, state: ViewState) -> None:
    lang = state.lang
    rows = progress_series(features, state.as_of)
    if not rows:
        st.caption(t("dashboard.no_progress", lang))
        return
    project_col = t("dashboard.project", lang)
    frame = pd.DataFrame(
        [
            {
                project_col: feature_name(features[r["id"]], lang),
                "date": r["date"],
                "progress_pct": r["progress_pct"],
                "open_length_km": r["open_length_km"],
                "source": r["source"],
            }
            for r in rows
        ]
    )
    # Both charts share one span, at least two years, so that one observation is
    # not drawn on a one-week axis.
    first = min([r["date"] for r in rows] + [state.as_of - timedelta(days=_MIN_SPAN_DAYS)])
    x_dates = alt.X(
        "date:T",
        title=None,
        axis=_DATE_AXIS,
        scale=alt.Scale(domain=[first.isoformat(), state.as_of.isoformat()]),
    )
    left, right = st.columns(2)
    with left:
        pct = frame.dropna(subset=["progress_pct"])
        st.altair_chart(
            alt.Chart(pct)
            .mark_line(point=True, interpolate="step-after")
            .encode(
                x=x_dates,
                y=alt.Y(
                    "progress_pct:Q",
                    title=t("dashboard.progress_pct", lang),
                    scale=alt.Scale(domain=[0, 100]),
                ),
                color=alt.Color(f"{project_col}:N", legend=alt.Legend(orient="bottom", columns=1)),
                tooltip=[project_col, "date:T", "progress_pct", "source"],
            )
            .properties(height=260),
            width="stretch",
        )
    with right:
        km = frame.dropna(subset=["open_length_km"])
        if len(km):
            st.caption(t("dashboard.open_over_time", lang))
            st.altair_chart(
                alt.Chart(km)
                .mark_line(point=True, interpolate="step-after")
                .encode(
                    x=x_dates,
                    y=alt.Y("open_length_km:Q", title=t("dashboard.open_km", lang)),
                    color=alt.Color(
                        f"{project_col}:N", legend=alt.Legend(orient="bottom", columns=1)
                    ),
                    tooltip=[project_col, "date:T", "open_length_km", "source"],
                )
                .properties(height=230),
                width="stretch",
            )


def _trade_table(data: AppData, lang: str) -> None:
    if data.indicator_error:
        st.error(escape_markdown(data.indicator_error))
    if not data.indicators:
        return
    st.caption(t("dashboard.trade_note", lang))
    rows = []
    for item in data.indicators:
        value = _fmt(item.value)
        if item.value_low is not None:
            value = f"{_fmt(item.value_low)}–{value}"
        value = t(f"unit.{item.unit}", lang, value=value)
        if item.change_pct is not None:
            value += f" ({item.change_pct:+g} %)"
        source = data.sources.get(item.source)
        rows.append(
            {
                t("dashboard.indicator", lang): item.label[lang],
                t("dashboard.value", lang): value,
                t("dashboard.period", lang): item.period,
                t("dashboard.date", lang): item.date.isoformat() if item.date else "",
                t("dashboard.scope", lang): localized(item.texts, "scope", lang) or "",
                t("dashboard.note", lang): localized(item.texts, "note", lang) or "",
                t("dashboard.source", lang): (
                    " — ".join(str(p) for p in (source.title, source.publisher, source.date) if p)
                    if source
                    else item.source
                ),
            }
        )
    # A dataframe shows every cell as text: nothing from the data is rendered as markup.
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
