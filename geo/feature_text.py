"""The words shown for a project: its status, progress and open length, each with its date.

Every status, progress figure and open length is shown with the date of the source
that says it ("Partly open · as of Feb 2026"), no more precisely than the source
gives it; a status that no source dates says so; a target whose date has passed
with no later event says "outcome not published", never an implied result. The map
(tooltips, labels), the panel and the exports all take their words from here.
Everything returned is plain text: callers set it with ``textContent`` or escape it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from geo.feature_state import Dated, FeatureState, state_on
from geo.freshness import FigureAge
from geo.i18n import accuracy_label, feature_name, status_label, t
from geo.limits import AGE_OLD_AFTER_MONTHS, AGE_RECENT_MONTHS
from geo.text import format_day, format_number
from geo.timeline import Observation

#: Prefix of the on-map label of a shape that is not surveyed (explained in the legend).
NOT_SURVEYED_MARK = "≈ "


def day_text(dated: Dated | Observation, lang: str) -> str:
    """Return the date of a source as ``lang`` writes it, as precise as the source.

    Examples
    --------
    >>> day_text(Dated(date(2026, 2, 28), "month", "s"), "en")
    'Feb 2026'
    >>> day_text(Observation(date(2026, 2, 20), 83.5, 50, "s"), "vi")
    '20 thg 2, 2026'
    """
    if isinstance(dated, Observation):
        return format_day(dated.as_of, lang, dated.precision)
    return format_day(dated.day, lang, dated.precision)


def status_text(state: FeatureState, lang: str) -> str:
    """Return the status with the date of the source that set it.

    Examples
    --------
    >>> props = {"status": "partly_open", "milestones": [{"date": "2026-02-28",
    ...     "date_precision": "month", "kind": "partial_opening", "status": "partly_open",
    ...     "source": "s"}]}
    >>> status_text(state_on(props, date(2026, 6, 1)), "en")
    'Partly open · as of Feb 2026'
    >>> status_text(state_on({"status": "operational"}, date(2026, 6, 1)), "en")
    'Operational · date not published'
    >>> status_text(state_on({"status": "unknown"}, date(2026, 6, 1)), "en")
    'Status not published'
    """
    label = status_label(state.status, lang)
    if state.status in (None, "unknown"):
        return label
    if state.status_dated is None:
        return t("state.undated", lang, status=label)
    return t("state.as_of", lang, status=label, date=day_text(state.status_dated, lang))


def progress_text(
    props: Mapping[str, Any], lang: str, as_of: date, state: FeatureState | None = None
) -> str:
    """Return "45 % (as of Feb 2026)"-style progress text for ``as_of``, or "no figure".

    Examples
    --------
    >>> progress_text({"progress_history": []}, "en", date(2026, 1, 1))
    'progress not published'
    >>> progress_text({"progress_history": [{"date": "2026-02-28", "date_precision": "month",
    ...     "progress_pct": 91.1, "source": "s"}]}, "en", date(2026, 6, 1))
    '91.1 % (as of Feb 2026)'
    """
    obs = (state or state_on(props, as_of)).progress
    if obs is None:
        return t("map.progress_unknown", lang)
    pct = format_number(obs.progress_pct, lang=lang)
    return t("map.progress", lang, pct=pct, date=day_text(obs, lang))


def open_length_text(props: Mapping[str, Any], state: FeatureState, lang: str) -> str | None:
    """Return "85 of 93.35 km open (as of Feb 2026)" for a road, or ``None``.

    Examples
    --------
    >>> props = {"length_km": 93.35, "progress_history": [{"date": "2026-02-28",
    ...     "date_precision": "month", "open_length_km": 85, "source": "s"}]}
    >>> open_length_text(props, state_on(props, date(2026, 6, 1)), "en")
    '85 of 93.35 km open (as of Feb 2026)'
    """
    opened = state.open_length
    if opened is None or not props.get("length_km"):
        return None
    return t(
        "map.open_length_dated",
        lang,
        open=format_number(opened.open_length_km, lang=lang),
        total=format_number(props["length_km"], lang=lang),
        date=day_text(opened, lang),
    )


def passed_target_texts(state: FeatureState, lang: str) -> list[str]:
    """Return one "target date passed, outcome not published" line per passed target.

    Examples
    --------
    >>> props = {"status": "partly_open", "milestones": [
    ...     {"date": "2026-04-30", "kind": "target", "status": None, "source": "s",
    ...      "label_en": "Target inauguration"}]}
    >>> passed_target_texts(state_on(props, date(2026, 6, 1)), "en")
    ['Target inauguration: target date (Apr 30, 2026) passed, outcome not published']
    """
    lines = []
    for target in state.passed_targets:
        label = target.labels.get(lang) or target.labels.get("en") or ""
        day = format_day(target.day, lang, target.precision)
        lines.append(t("state.target_passed", lang, target=label, date=day))
    return lines


def age_text(age: FigureAge, lang: str, source_name: str | None = None) -> str:
    """Return "latest figure: 14 months old — source, date" for a project's latest source.

    ``source_name`` is how the source is shown (publisher and date of ``sources.json``);
    without it the source id is.

    Examples
    --------
    >>> from geo.freshness import figure_age
    >>> props = {"status": "planned", "milestones": [{"date": "2025-01-31",
    ...     "date_precision": "month", "kind": "approval", "status": "planned",
    ...     "source": "board-2025"}]}
    >>> day = date(2026, 4, 1)
    >>> age_text(figure_age(state_on(props, day), day), "en")
    'latest figure: 14 months old — board-2025, Jan 2025'
    >>> age_text(figure_age(state_on(props, date(2025, 2, 10)), date(2025, 2, 10)), "en")
    'latest figure: under a month old — board-2025, Jan 2025'
    >>> age_text(figure_age(state_on({"status": "operational"}, day), day), "en")
    'latest figure: no source dates it'
    """
    if age.latest is None:
        return t("age.undated", lang)
    months = age.age_months or 0
    if months == 0:
        span = t("age.under_month", lang)
    elif months == 1:
        span = t("age.month_one", lang)
    else:
        span = t("age.months", lang, n=months)
    return t(
        "age.text",
        lang,
        age=span,
        source=source_name or age.latest.source,
        date=day_text(age.latest, lang),
    )


def age_class_label(age_class: str, lang: str) -> str:
    """Return the legend's words for an age class (:data:`geo.freshness.AGE_CLASSES`).

    Examples
    --------
    >>> age_class_label("ageing", "en")
    'Latest figure 3–12 months old'
    """
    return t(f"age.class.{age_class}", lang, recent=AGE_RECENT_MONTHS, old=AGE_OLD_AFTER_MONTHS)


def accuracy_tag(props: Mapping[str, Any], lang: str) -> str | None:
    """Return the short accuracy warning for a non-surveyed shape, else ``None``."""
    accuracy = props.get("geometry_accuracy")
    if accuracy in (None, "surveyed"):
        return None
    return accuracy_label(str(accuracy), lang)


def tooltip_text(
    props: Mapping[str, Any],
    schema: str,
    lang: str,
    as_of: date,
    state: FeatureState | None = None,
    age: str | None = None,
) -> str:
    """Return the hover text of a feature: name, dated status, progress, open length, accuracy.

    Parameters
    ----------
    props : Mapping
        Feature properties (with ``id``).
    schema : {"project", "context"}
        The layer's schema: context features have no status or progress.
    lang : str
        Language code.
    as_of : datetime.date
        The date the status and progress are shown for.
    state : FeatureState, optional
        ``state_on(props, as_of)`` when the caller has it already.
    age : str, optional
        :func:`age_text` of the project, shown after its figures (the map coloured by age).

    Returns
    -------
    str
        Plain text, parts separated by " · ".
    """
    parts = [feature_name(props, lang)]
    if schema == "project":
        state = state or state_on(props, as_of)
        parts.append(status_text(state, lang))
        parts.append(progress_text(props, lang, as_of, state))
        opened = open_length_text(props, state, lang)
        if opened:
            parts.append(opened)
        if age:
            parts.append(age)
        parts.extend(passed_target_texts(state, lang))
    tag = accuracy_tag(props, lang)
    if tag:
        parts.append(tag)
    return " · ".join(parts)


def label_text(
    props: Mapping[str, Any], lang: str, as_of: date, state: FeatureState | None = None
) -> str:
    """Return the short permanent label of a zone or gate: name, progress or status, date.

    The name loses any parenthesis (the tooltip and panel keep it), a shape that is
    not surveyed is marked with :data:`NOT_SURVEYED_MARK`, and the figure carries
    the date of its source.

    Examples
    --------
    >>> props = {"name_en": "Cargo transit zone (Viettel Logistics Park)", "status": "planned",
    ...          "geometry_accuracy": "schematic", "milestones": [], "progress_history": []}
    >>> label_text(props, "en", date(2026, 1, 1))
    '≈ Cargo transit zone · Planned · undated'
    """
    name = feature_name(props, lang).split(" (")[0].split("（")[0]
    state = state or state_on(props, as_of)
    if state.progress is not None:
        pct = format_number(state.progress.progress_pct, lang=lang)
        figure = t("label.progress", lang, pct=pct, date=day_text(state.progress, lang))
    elif state.status in (None, "unknown"):
        figure = status_label(state.status, lang)
    elif state.status_dated is None:
        figure = t("label.undated", lang, status=status_label(state.status, lang))
    else:
        label = status_label(state.status, lang)
        figure = t("label.as_of", lang, status=label, date=day_text(state.status_dated, lang))
    mark = NOT_SURVEYED_MARK if accuracy_tag(props, lang) else ""
    return f"{mark}{name} · {figure}"
