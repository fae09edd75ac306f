"""The planners' tools: the Edit panel and milestones, a feature's History and Revert, stale list.

Drawn only for a logged-in planner or admin (:func:`ui.auth.login`); a public session never
runs this code, so nothing here (reasons, sources of edits, account names) reaches a public
page. Every value from the data or a person is shown as text (``st.text``, dataframes, or
escaped Markdown).

The shape is drawn or reshaped on a map (:mod:`geo.draw_map`, its geodesic area or length
shown live), or typed as WKT or GeoJSON text (WGS 84); what the map draws goes into the same
text field, measured as it is entered (:mod:`geo.measure`) and saved the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from shapely.geometry.base import BaseGeometry
from streamlit_folium import st_folium

from geo import style
from geo.draw_map import draw_map, drawn_geometry
from geo.errors import GeoError
from geo.feature_edits import (
    GEOMETRY_FIELD,
    milestone_changes,
    milestone_entry,
    parse_geometry,
    progress_changes,
    status_changes,
)
from geo.freshness import stale_projects
from geo.i18n import LANGUAGES, feature_name, status_label, t, text_fields
from geo.measure import area_ha, length_km
from geo.store import Feature, Store
from geo.store.accounts import Account
from geo.store.audit import SOURCE_KINDS, EditSource
from geo.store.edits import EditConflict, edit_feature, history, revert
from geo.text import escape_markdown, format_day, format_number
from geo.values import parse_date
from geo.vocabulary import DATE_PRECISIONS, MILESTONE_KINDS, STATUSES
from ui import state as ui_state
from ui.data import AppData, app_store
from ui.detail import source_label

#: The stale list's default age: a figure older than this is listed.
DEFAULT_STALE_AGE_DAYS = 180
#: Official figures a planner can edit, each with the field of its source.
OFFICIAL_FIGURES = (("area_ha", "area_source"), ("length_km", "length_source"))
#: The dates a milestone's date picker offers (Streamlit's default is ten years either side).
MILESTONE_DATE_RANGE = (date(1990, 1, 1), date(2100, 12, 31))


def _stored(store: Store, layer_id: str, feature_id: str) -> Feature | None:
    return next((f for f in store.features(layer_id) if f.id == feature_id), None)


def _shown(value: Any) -> str:
    """A logged JSON value as one line of text."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _flash(lang: str) -> None:
    message = st.session_state.pop(ui_state.EDIT_FLASH_KEY, None)
    if message:
        st.success(escape_markdown(message))


def _save(
    store: Store,
    layer_id: str,
    feature_id: str,
    changes: Mapping[str, Any],
    *,
    account: Account,
    reason: str,
    source: EditSource,
    expected: int,
    lang: str,
) -> None:
    """Save an edit; on success reset the form's base version, on a conflict keep it.

    The forms key their widgets by that base version, so a saved form starts afresh.
    """
    base_key = ui_state.edit_key(feature_id, "base_version")
    try:
        version = edit_feature(
            store,
            layer_id,
            feature_id,
            changes,
            user=account.name,
            reason=reason,
            source=source,
            expected_version=expected,
        )
    except EditConflict as conflict:
        st.session_state[ui_state.EDIT_CONFLICT_KEY] = {
            "feature": feature_id,
            "layer": layer_id,
            "changes": dict(changes),
            "reason": reason,
            "source": (source.kind, source.reference),
            "current": conflict.current_version,
            "fields": [(c.field, c.theirs, c.yours) for c in conflict.fields],
            "by": list(conflict.by),
        }
        st.rerun()  # the conflict is drawn above the form
    except GeoError as exc:
        st.error(escape_markdown(str(exc)))
        return
    st.session_state[base_key] = version
    st.session_state.pop(ui_state.EDIT_CONFLICT_KEY, None)
    st.session_state[ui_state.EDIT_FLASH_KEY] = t("edit.saved", lang, version=version)
    st.rerun()


def _conflict(store: Store, account: Account, feature_id: str, lang: str) -> None:
    pending = st.session_state.get(ui_state.EDIT_CONFLICT_KEY)
    if not pending or pending["feature"] != feature_id:
        return
    by = ", ".join(pending["by"]) or t("edit.conflict_not_an_edit", lang)
    st.warning(escape_markdown(t("edit.conflict", lang, by=by)))
    st.dataframe(
        pd.DataFrame(
            [(f, _shown(theirs), _shown(yours)) for f, theirs, yours in pending["fields"]],
            columns=[t("edit.field", lang), t("edit.theirs", lang), t("edit.yours", lang)],
        ),
        hide_index=True,
    )
    mine, theirs = st.columns(2)
    if mine.button(t("edit.keep_mine", lang), key=ui_state.edit_key(feature_id, "keep_mine")):
        _save(
            store,
            pending["layer"],
            feature_id,
            pending["changes"],
            account=account,
            reason=pending["reason"],
            source=EditSource(*pending["source"]),
            expected=pending["current"],
            lang=lang,
        )
    if theirs.button(t("edit.keep_theirs", lang), key=ui_state.edit_key(feature_id, "keep_theirs")):
        st.session_state[ui_state.edit_key(feature_id, "base_version")] = pending["current"]
        st.session_state.pop(ui_state.EDIT_CONFLICT_KEY, None)
        st.rerun()


def _changes(props: Mapping[str, Any], values: Mapping[str, Any], lang: str) -> dict[str, Any]:
    """Turn the form's values into the fields an edit changes (only what differs)."""
    changes: dict[str, Any] = {}
    if values["status"] != props.get("status"):
        labels = {
            other: t("edit.status_milestone", other, status=status_label(values["status"], other))
            for other in LANGUAGES
        }
        changes.update(
            status_changes(
                props,
                status=values["status"],
                day=values["status_day"],
                precision="day",
                source_id=values["figure_source"],
                labels=labels,
            )
        )
    pct = values["progress"]
    if pct is not None and (
        pct != props.get("progress_pct")
        or values["as_of"].isoformat() != props.get("progress_as_of")
    ):
        changes.update(
            progress_changes(
                {**props, **changes},
                pct=pct,
                as_of=values["as_of"],
                precision=values["precision"],
                source_id=values["figure_source"],
            )
        )
    for key in text_fields("note"):
        text = (values[key] or "").strip() or None
        if text != props.get(key):
            changes[key] = text
    for key in text_fields("name"):
        text = (values[key] or "").strip() or (None if key == "name_zh" else "")
        if text != props.get(key):
            changes[key] = text
    for figure, source_key in OFFICIAL_FIGURES:
        value = values[figure]
        if figure in props and value != props.get(figure):
            changes[figure] = value
            changes[source_key] = None if value is None else values["figure_source"]
    if values["geometry"].strip():
        changes[GEOMETRY_FIELD] = values["geometry"]
    return changes


def _take_drawing(feature_id: str) -> None:
    """Put the shape last drawn on the map into the shape field (before the field is drawn).

    Read from the map's state on every run, not in a callback: a drawing is taken once,
    and the person may then still edit the text.
    """
    text = drawn_geometry(st.session_state.get(ui_state.edit_key(feature_id, "draw_map")))
    taken = ui_state.edit_key(feature_id, "drawn")
    if text is not None and text != st.session_state.get(taken):
        st.session_state[taken] = text
        st.session_state[ui_state.edit_key(feature_id, "geometry")] = text


def _shape_map(feature_id: str, stored: BaseGeometry, kind: str, lang: str) -> None:
    """Draw the drawing map: the shape in the field if it reads as one, else the stored one."""
    text = st.session_state.get(ui_state.edit_key(feature_id, "geometry")) or ""
    shape = stored
    if text.strip():
        try:
            shape = parse_geometry(text, where=t("edit.shape", lang))
        except GeoError:
            pass  # the field says why under it; the map keeps the stored shape
    st.caption(t("edit.draw_hint", lang))
    st_folium(
        draw_map(shape, kind, lang=lang, basemap=ui_state.view_value("basemap")),
        key=ui_state.edit_key(feature_id, "draw_map"),
        height=style.MAP_HEIGHT_PX // 2,
        use_container_width=True,
        returned_objects=["all_drawings"],
    )


def _shape_input(feature_id: str, kind: str, lang: str) -> str:
    """Draw the shape box (WKT or GeoJSON) and the geodesic size of what it holds."""
    text = st.text_area(t("edit.shape", lang), key=ui_state.edit_key(feature_id, "geometry"))
    if not text.strip():
        return ""
    try:
        geom = parse_geometry(text, where=t("edit.shape", lang))
        if kind == "polygon":
            size = t("edit.shape_area", lang, area=format_number(area_ha(geom), lang=lang))
        elif kind == "line":
            size = t("edit.shape_length", lang, length=format_number(length_km(geom), lang=lang))
        else:
            size = ""
    except (GeoError, ValueError) as exc:
        st.error(escape_markdown(str(exc)))
        return text
    if size:
        st.text(size)
    return text


def edit_panel(data: AppData, feature_id: str | None, lang: str, account: Account | None) -> None:
    """Draw the Edit panel and the History of the selected project (planners only)."""
    store = app_store()
    if account is None or not account.can_edit or store is None or feature_id is None:
        return
    features = data.project_features()
    if feature_id not in features:
        return
    layer_id = str(features[feature_id]["layer"])
    stored = _stored(store, layer_id, feature_id)
    if stored is None:
        return
    props = stored.properties
    base_key = ui_state.edit_key(feature_id, "base_version")
    if base_key not in st.session_state:
        st.session_state[base_key] = store.versions()[layer_id]
    st.subheader(t("edit.title", lang))
    _flash(lang)
    _conflict(store, account, feature_id, lang)
    key = lambda name: ui_state.edit_key(feature_id, name)  # noqa: E731
    sources = sorted(data.sources)
    current_source = props.get("progress_source")
    values: dict[str, Any] = {}
    kind = data.registry.get(layer_id).geometry_kind
    _take_drawing(feature_id)
    _shape_map(feature_id, stored.geometry, kind, lang)
    values["geometry"] = _shape_input(feature_id, kind, lang)
    with st.form(key("form")):
        values["status"] = st.selectbox(
            t("edit.status", lang),
            STATUSES,
            index=STATUSES.index(props["status"]) if props.get("status") in STATUSES else 0,
            format_func=lambda s: status_label(s, lang),
            key=key("status"),
        )
        values["status_day"] = st.date_input(t("edit.status_date", lang), key=key("status_day"))
        values["progress"] = st.number_input(
            t("edit.progress", lang),
            value=None if props.get("progress_pct") is None else float(props["progress_pct"]),
            step=1.0,
            key=key("progress"),
        )
        values["as_of"] = st.date_input(
            t("edit.as_of", lang),
            value=date.fromisoformat(props["progress_as_of"])
            if props.get("progress_as_of")
            else "today",
            key=key("as_of"),
        )
        values["precision"] = st.selectbox(
            t("edit.precision", lang), DATE_PRECISIONS, key=key("precision")
        )
        values["figure_source"] = st.selectbox(
            t("edit.figure_source", lang),
            sources,
            index=sources.index(current_source) if current_source in sources else 0,
            key=key("figure_source"),
        )
        for field, other in zip(text_fields("name"), LANGUAGES, strict=True):
            values[field] = st.text_input(
                t("edit.name", lang, language=other),
                value=props.get(field) or "",
                key=key(field),
            )
        for figure, _ in OFFICIAL_FIGURES:
            values[figure] = st.number_input(
                t(f"edit.{figure}", lang),
                value=None if props.get(figure) is None else float(props[figure]),
                key=key(figure),
            )
        for field, other in zip(text_fields("note"), LANGUAGES, strict=True):
            values[field] = st.text_area(
                t("edit.note", lang, language=other),
                value=props.get(field) or "",
                key=key(field),
            )
        kind = st.selectbox(
            t("edit.source_kind", lang),
            SOURCE_KINDS,
            format_func=lambda k: t(f"edit.source_kind.{k}", lang),
            key=key("source_kind"),
        )
        reference = st.text_input(t("edit.source_ref", lang), key=key("source_ref"))
        reason = st.text_input(t("edit.reason", lang), key=key("reason"))
        submitted = st.form_submit_button(t("edit.save", lang))
    if submitted:
        try:
            source = EditSource(kind, reference)
            changes = _changes(props, values, lang)
        except GeoError as exc:
            st.error(escape_markdown(str(exc)))
        else:
            if not changes:
                st.info(t("edit.nothing", lang))
            else:
                _save(
                    store,
                    layer_id,
                    feature_id,
                    changes,
                    account=account,
                    reason=reason,
                    source=source,
                    expected=st.session_state[base_key],
                    lang=lang,
                )
    _milestones(store, data, layer_id, feature_id, props, account, lang)
    _history(store, layer_id, feature_id, account, lang)


def _milestone_rows(data: AppData, entries: list[Mapping[str, Any]], lang: str) -> pd.DataFrame:
    """The feature's milestones as stored, one row each (a dataframe: text, never Markdown)."""
    rows = []
    for i, m in enumerate(entries):
        day = parse_date(m.get("date"))
        kind = m.get("kind")
        rows.append(
            {
                "#": i,
                t("panel.date", lang): format_day(day, lang, str(m.get("date_precision") or "day"))
                if day
                else str(m.get("date")),
                t("panel.kind", lang): t(f"milestone.kind.{kind}", lang)
                if kind in MILESTONE_KINDS
                else str(kind),
                t("panel.event", lang): str(m.get(f"label_{lang}") or m.get("label_en") or ""),
                t("panel.status", lang): status_label(m["status"], lang)
                if m.get("status") in STATUSES
                else t("milestones.no_status", lang),
                t("panel.source", lang): source_label(data, m.get("source")) or "",
            }
        )
    return pd.DataFrame(rows)


def _index_of(options: tuple[Any, ...], value: Any) -> int:
    return options.index(value) if value in options else 0


def _milestones(
    store: Store,
    data: AppData,
    layer_id: str,
    feature_id: str,
    props: Mapping[str, Any],
    account: Account,
    lang: str,
) -> None:
    """Draw the feature's milestones and the form that adds, changes or removes one.

    The change goes through the one edit path (:func:`_save`): checked by the data files'
    rules, logged, shown in History, revertible, and refused on a conflict.
    """
    st.subheader(t("milestones.title", lang))
    entries = [m for m in props.get("milestones") or [] if isinstance(m, Mapping)]
    if entries:
        st.dataframe(_milestone_rows(data, entries, lang), hide_index=True)
    else:
        st.caption(t("milestones.empty", lang))
    base = st.session_state[ui_state.edit_key(feature_id, "base_version")]
    which = st.selectbox(
        t("milestones.which", lang),
        [None, *range(len(entries))],
        format_func=lambda i: (
            t("milestones.new", lang)
            if i is None
            else f"#{i} {entries[i].get('date')} · {entries[i].get(f'label_{lang}') or ''}"
        ),
        key=ui_state.milestone_key(feature_id, base, "which"),
    )
    current: Mapping[str, Any] = {} if which is None else entries[which]
    key = lambda name: ui_state.milestone_key(feature_id, base, f"{which}.{name}")  # noqa: E731
    sources = tuple(sorted(data.sources))
    statuses: tuple[str | None, ...] = (None, *STATUSES)
    with st.form(key("form")):
        day = st.date_input(
            t("panel.date", lang),
            value=parse_date(current.get("date")) or "today",
            min_value=MILESTONE_DATE_RANGE[0],
            max_value=MILESTONE_DATE_RANGE[1],
            key=key("date"),
        )
        precision = st.selectbox(
            t("edit.precision", lang),
            DATE_PRECISIONS,
            index=_index_of(DATE_PRECISIONS, current.get("date_precision")),
            key=key("precision"),
        )
        kind = st.selectbox(
            t("milestones.kind", lang),
            MILESTONE_KINDS,
            index=_index_of(MILESTONE_KINDS, current.get("kind", "other")),
            format_func=lambda k: t(f"milestone.kind.{k}", lang),
            key=key("kind"),
        )
        labels = {
            other: st.text_input(
                t("milestones.label", lang, language=other),
                value=str(current.get(f"label_{other}") or ""),
                key=key(f"label_{other}"),
            )
            for other in LANGUAGES
        }
        status = st.selectbox(
            t("milestones.status", lang),
            statuses,
            index=_index_of(statuses, current.get("status")),
            format_func=lambda s: (
                t("milestones.no_status", lang) if s is None else status_label(s, lang)
            ),
            key=key("status"),
        )
        source_id = st.selectbox(
            t("milestones.source", lang),
            sources,
            index=_index_of(sources, current.get("source")),
            key=key("source"),
        )
        kind_of_source = st.selectbox(
            t("edit.source_kind", lang),
            SOURCE_KINDS,
            format_func=lambda k: t(f"edit.source_kind.{k}", lang),
            key=key("source_kind"),
        )
        reference = st.text_input(t("edit.source_ref", lang), key=key("source_ref"))
        reason = st.text_input(t("edit.reason", lang), key=key("reason"))
        save = st.form_submit_button(t("milestones.save", lang))
        remove = st.form_submit_button(t("milestones.remove", lang))
    if not (save or remove):
        return
    if remove and which is None:
        st.error(t("milestones.remove_new", lang))
        return
    try:
        source = EditSource(kind_of_source, reference)
        entry = None
        if save:
            entry = milestone_entry(
                day=day,
                precision=precision,
                kind=kind,
                labels=labels,
                status=status,
                source_id=source_id,
            )
        changes = milestone_changes(props, add=entry, index=which, remove=entry is None)
    except GeoError as exc:
        st.error(escape_markdown(str(exc)))
        return
    if changes["milestones"] == entries and changes.get("status", props.get("status")) == props.get(
        "status"
    ):
        st.info(t("edit.nothing", lang))
        return
    _save(
        store,
        layer_id,
        feature_id,
        changes,
        account=account,
        reason=reason,
        source=source,
        expected=base,
        lang=lang,
    )


def _history(store: Store, layer_id: str, feature_id: str, account: Account, lang: str) -> None:
    st.subheader(t("history.title", lang))
    rows = history(store, layer_id, feature_id)
    if not rows:
        st.caption(t("history.empty", lang))
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "#": r.entry_id,
                    t("history.when", lang): r.at[:19].replace("T", " ") + " UTC",
                    t("history.who", lang): r.user,
                    t("edit.field", lang): r.field,
                    t("history.old", lang): _shown(r.old),
                    t("history.new", lang): _shown(r.new),
                    t("edit.reason", lang): r.reason,
                    t("edit.source_ref", lang): r.source.describe(),
                    t("history.version", lang): r.layer_version,
                }
                for r in reversed(rows)
            ]
        ),
        hide_index=True,
    )
    ids = [r.entry_id for r in reversed(rows)]
    labels = {r.entry_id: f"#{r.entry_id} {r.field}" for r in rows}
    with st.form(ui_state.edit_key(feature_id, "revert_form")):
        chosen = st.selectbox(
            t("history.revert_which", lang),
            ids,
            format_func=labels.__getitem__,
            key=ui_state.edit_key(feature_id, "revert_entry"),
        )
        reason = st.text_input(
            t("edit.reason", lang), key=ui_state.edit_key(feature_id, "revert_reason")
        )
        submitted = st.form_submit_button(t("history.revert", lang))
    if submitted:
        try:
            version = revert(store, int(chosen), user=account.name, reason=reason)
        except GeoError as exc:
            st.error(escape_markdown(str(exc)))
            return
        st.session_state[ui_state.edit_key(feature_id, "base_version")] = version
        st.session_state[ui_state.EDIT_FLASH_KEY] = t("edit.saved", lang, version=version)
        st.rerun()


def stale_list(data: AppData, lang: str, today: date, account: Account | None) -> None:
    """Draw the planners' list of projects whose figures are old (planners only)."""
    if account is None or not account.can_edit:
        return
    st.subheader(t("stale.title", lang))
    age = st.number_input(
        t("stale.max_age", lang),
        min_value=0,
        value=DEFAULT_STALE_AGE_DAYS,
        step=30,
        key=ui_state.STALE_AGE_KEY,
    )
    features = data.project_features()
    stale = stale_projects(features, today, max_age_days=int(age))
    if not stale:
        st.caption(t("stale.none", lang))
        return
    st.dataframe(
        pd.DataFrame(
            [
                {
                    t("dashboard.project", lang): feature_name(features[s.feature_id], lang),
                    t("stale.latest", lang): format_day(s.latest.day, lang, s.latest.precision)
                    if s.latest
                    else t("stale.undated", lang),
                    t("stale.age", lang): s.age_days,
                    t("stale.targets", lang): ", ".join(
                        format_day(d, lang) for d in s.passed_targets
                    ),
                    t("stale.why", lang): ", ".join(
                        t(f"stale.reason.{r}", lang) for r in s.reasons
                    ),
                }
                for s in stale
            ]
        ),
        hide_index=True,
    )
